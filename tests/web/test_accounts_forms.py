"""The /accounts page's forms for an administrator: add an account (the password twice), change its roles,
set a new password (that person's sessions end), remove it — through commands.accounts, the functions
`bulletin user` calls: the last administrator stays, one's own account goes only when confirmed. Problems
beside their fields in Chinese; a password never shown again, logged or audited."""
from __future__ import annotations

import logging
import warnings

import pytest
from web_support import form_token, labelled_controls, parse, text_of

from bulletin.accounts.store import AccountStore
from bulletin.store.workspace import Workspace

PASSWORD = "correct horse battery"
NEW = "staple battery horse"


pytestmark = pytest.mark.usefixtures("quick_hashes")


def accounts(ws) -> dict:
    return {a.name: a.roles for a in AccountStore(Workspace(ws)).accounts()}


def _client(ws):
    from starlette.testclient import TestClient

    from bulletin.web.app import create_app

    return TestClient(create_app(ws), base_url="http://127.0.0.1:8110", raise_server_exceptions=False,
                      follow_redirects=False)


@pytest.fixture
def signed_in(ws):
    """`signed_in(name)`: a client of its own signed in as `name` (the accounts 赵管理 admin and 张明
    editor exist)."""
    store = AccountStore(Workspace(ws))
    store.add("赵管理", ["admin"], PASSWORD)
    store.add("张明", ["editor"], PASSWORD)
    made = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")

        def client(name):
            c = _client(ws).__enter__()
            made.append(c)
            r = c.post("/login", data={"name": name, "password": PASSWORD}, headers={"X-CSRF-Token": form_token(ws)})
            assert r.status_code == 303, r.text
            c.headers["X-CSRF-Token"] = form_token(ws, c.cookies["bulletin_session"])
            return c
        yield client
        for c in made:
            c.__exit__(None, None, None)


def error_beside(r, control_id: str) -> str:
    node = parse(r.text).find(f".//*[@id='{control_id}-error']")
    return text_of(node) if node is not None else ""


def test_the_page_has_the_forms_with_labels_and_the_audit_trail(signed_in):
    r = signed_in("赵管理").get("/accounts?edit=张明")
    assert r.status_code == 200
    doc = parse(r.text)
    controls = dict(labelled_controls(doc))
    assert controls["add-name"] == "用户名" and controls["add-password"] == "密码"
    assert controls["add-again"] == "再次输入密码" and controls["add-role-reviewer"] == "审核"
    assert controls["edit-role-editor"] == "编辑" and doc.find(".//input[@id='edit-role-editor']").get("checked") is not None
    actions = {f.get("action") for f in doc.iter("form")}
    assert {"/accounts/add", "/accounts/roles", "/accounts/password", "/accounts/remove"} <= actions
    audit = next(s for s in doc.iter("section") if s.get("id") == "audit")
    assert "登录" in text_of(audit) and "赵管理" in text_of(audit)


def test_an_admin_adds_an_account_and_the_password_is_nowhere_but_its_hash(signed_in, ws, caplog):
    caplog.set_level(logging.DEBUG)
    c = signed_in("赵管理")
    r = c.post("/accounts/add", data={"name": "李审核", "roles": ["reviewer", "signer"], "password": NEW, "again": NEW})
    assert r.status_code == 303 and r.headers["location"] == "/accounts?done=added"
    assert accounts(ws)["李审核"] == ("reviewer", "signer")
    page = c.get(r.headers["location"])
    assert "账户已添加。" in page.text and NEW not in page.text
    row = AccountStore(Workspace(ws)).audit()[0]
    assert (row["who"], row["what"], row["subject"], row["detail"]) == ("赵管理", "account-added", "李审核",
                                                                         "reviewer,signer")
    assert NEW not in caplog.text and all(NEW not in str(v) for r in AccountStore(Workspace(ws)).audit()
                                          for v in r.values())
    other = _client(ws)   # the new account signs in
    with other:
        assert other.post("/login", data={"name": "李审核", "password": NEW},
                          headers={"X-CSRF-Token": form_token(ws)}).status_code == 303


@pytest.mark.parametrize("data, field, words", [
    ({"name": "李审核", "roles": ["reviewer"], "password": NEW, "again": NEW + "x"}, "add-again", "两次输入的密码不一致"),
    ({"name": "李审核", "roles": ["reviewer"], "password": "short", "again": "short"}, "add-password", "少于 8 个字符"),
    ({"name": "李审核", "password": NEW, "again": NEW}, "add-roles", "至少需要一个角色"),
    ({"name": "张明", "roles": ["editor"], "password": NEW, "again": NEW}, "add-name", "已有名为“张明”的账户"),
    ({"name": "李 审核", "roles": ["editor"], "password": NEW, "again": NEW}, "add-name", "空格"),
])
def test_a_refused_account_says_why_beside_its_field_and_adds_nothing(signed_in, ws, data, field, words):
    c = signed_in("赵管理")
    before = accounts(ws)
    r = c.post("/accounts/add", data=data)
    assert r.status_code == 422
    assert words in error_beside(r, field), r.text
    assert parse(r.text).find(f".//*[@id='{field}']").get("aria-invalid") == "true"
    assert accounts(ws) == before
    assert data["password"] not in r.text and data["again"] not in r.text   # never echoed
    if field != "add-name":
        assert parse(r.text).find(".//input[@id='add-name']").get("value") == data["name"]   # the name stays


def test_roles_change_and_the_last_administrator_keeps_the_role(signed_in, ws):
    c = signed_in("赵管理")
    r = c.post("/accounts/roles", data={"account": "张明", "roles": ["editor", "reviewer"]})
    assert r.status_code == 303 and accounts(ws)["张明"] == ("editor", "reviewer")
    r = c.post("/accounts/roles", data={"account": "赵管理", "roles": ["editor"]})
    assert r.status_code == 422 and "唯一的管理员" in error_beside(r, "edit-roles")
    assert accounts(ws)["赵管理"] == ("admin",)
    assert AccountStore(Workspace(ws)).audit()[0]["detail"] == "editor,reviewer"


def test_a_new_password_ends_that_persons_sessions(signed_in, ws):
    editor = signed_in("张明")
    assert editor.get("/").status_code == 200
    admin = signed_in("赵管理")
    r = admin.post("/accounts/password", data={"account": "张明", "password": NEW, "again": NEW})
    assert r.status_code == 303
    assert editor.get("/").status_code == 303                 # signed out
    assert admin.get("/").status_code == 200                  # the admin's own session stays
    row = AccountStore(Workspace(ws)).audit()[0]
    assert row["what"] == "password-changed" and row["detail"] == ""
    r = admin.post("/accounts/password", data={"account": "张明", "password": NEW, "again": "different one"})
    assert r.status_code == 422 and "不一致" in error_beside(r, "edit-again")


def test_ones_own_new_password_signs_one_out(signed_in):
    admin = signed_in("赵管理")
    r = admin.post("/accounts/password", data={"account": "赵管理", "password": NEW, "again": NEW})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert admin.get("/accounts").status_code == 303


def test_removing_the_last_admin_is_refused_and_ones_own_account_needs_the_box_ticked(signed_in, ws):
    admin = signed_in("赵管理")
    r = admin.post("/accounts/remove", data={"account": "赵管理", "confirm": "yes"})
    assert r.status_code == 422 and "唯一的管理员" in r.text and "赵管理" in accounts(ws)
    assert admin.post("/accounts/roles", data={"account": "张明", "roles": ["editor", "admin"]}).status_code == 303
    page = admin.get("/accounts?edit=赵管理")
    assert "这是你自己的账户" in page.text and parse(page.text).find(".//input[@id='remove-confirm']") is not None
    r = admin.post("/accounts/remove", data={"account": "赵管理"})
    assert r.status_code == 422 and "请勾选确认" in error_beside(r, "remove-confirm") and "赵管理" in accounts(ws)
    r = admin.post("/accounts/remove", data={"account": "赵管理", "confirm": "yes"})
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert "赵管理" not in accounts(ws)


def test_an_admin_removes_another_account_and_its_sessions_end(signed_in, ws):
    editor = signed_in("张明")
    admin = signed_in("赵管理")
    r = admin.post("/accounts/remove", data={"account": "张明"})
    assert r.status_code == 303 and "张明" not in accounts(ws)
    assert editor.get("/").status_code == 303
    assert "账户已删除。" in admin.get("/accounts?done=removed").text


def test_without_accounts_the_page_and_its_forms_are_refused(client, ws):
    r = client.get("/accounts")
    assert r.status_code == 403 and "bulletin user add" in r.text
    r = client.post("/accounts/add", data={"name": "王五", "roles": ["admin"], "password": NEW, "again": NEW})
    assert r.status_code == 403 and accounts(ws) == {}


def test_an_admin_adds_a_submitter_with_the_unit_they_send_for(signed_in, ws):
    (ws / "bulletin.toml").write_text((ws / "bulletin.toml").read_text(encoding="utf-8")
                                      + '\n[submissions]\nunits = ["市税务局", "市民政局"]\n', encoding="utf-8")
    c = signed_in("赵管理")
    page = parse(c.get("/accounts").text)
    assert [o.get("value") for o in page.iter("option")] == ["市税务局", "市民政局"]
    r = c.post("/accounts/add", data={"name": "李华", "roles": ["submitter"], "unit": "市公安局",
                                      "password": NEW, "again": NEW})
    assert r.status_code == 422 and "市公安局" in error_beside(r, "add-unit") and "李华" not in accounts(ws)
    r = c.post("/accounts/add", data={"name": "李华", "roles": ["submitter"], "unit": "", "password": NEW,
                                      "again": NEW})
    assert r.status_code == 422 and error_beside(r, "add-unit") and "李华" not in accounts(ws)
    r = c.post("/accounts/add", data={"name": "李华", "roles": ["submitter"], "unit": "市税务局",
                                      "password": NEW, "again": NEW})
    assert r.status_code == 303
    assert {a.name: a.unit for a in AccountStore(Workspace(ws)).accounts()}["李华"] == "市税务局"
    assert "（市税务局）" in c.get("/accounts").text
    r = c.post("/accounts/roles", data={"account": "李华", "roles": ["submitter"], "unit": "市民政局"})
    assert r.status_code == 303
    assert {a.name: a.unit for a in AccountStore(Workspace(ws)).accounts()}["李华"] == "市民政局"
