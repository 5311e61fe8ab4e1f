"""Accounts in the workbench over ASGI: once an account exists every page needs a session; signing in
and out; the wrong password and the throttle said in words; the session cookie's flags and its end;
next= only within the site; the form token on every change; the permission check's 403 pages."""
from __future__ import annotations

import warnings

import pytest
from web_support import form_token, buttons, labelled_controls, parse, text_of

from bulletin.accounts.store import AccountStore
from bulletin.store.workspace import Workspace

ISSUE = "issues/2026/10/issue.yaml"
PASSWORD = "correct horse battery"
pytestmark = pytest.mark.usefixtures("quick_hashes")


PAGES = ["/", "/issues/2026-10", "/issues/2026-10/articles/01-first.md", "/issues/2026-10/distribution",
         "/recipients", "/accounts"]


def add(ws, name, *roles, password=PASSWORD, unit=""):
    AccountStore(Workspace(ws)).add(name, roles, password, unit=unit)


def sign_in(client, ws, name, password=PASSWORD, next_=""):
    r = client.post("/login", data={"name": name, "password": password, "next": next_},
                    headers={"X-CSRF-Token": form_token(ws)})
    if r.status_code == 303:
        client.headers["X-CSRF-Token"] = form_token(ws, client.cookies["bulletin_session"])
    return r


def issue_yaml(ws) -> str:
    return (ws / ISSUE).read_text(encoding="utf-8")


def test_without_accounts_every_page_opens_and_names_no_one(client):
    r = client.get("/")
    assert r.status_code == 200 and "退出" not in r.text
    assert client.get("/login").status_code == 303   # nothing to sign in to


@pytest.mark.parametrize("url", PAGES)
def test_once_an_account_exists_every_page_needs_a_sign_in(client, ws, url):
    add(ws, "张明", "editor")
    r = client.get(url)
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    r = client.get(url, headers={"HX-Request": "true"})
    assert r.status_code == 401 and r.headers["hx-redirect"].startswith("/login")
    assert client.get("/static/workbench.css").status_code == 200


def test_a_change_without_a_session_is_refused_and_nothing_is_written(client, ws):
    add(ws, "张明", "editor")
    before = issue_yaml(ws)
    r = client.post("/issues/2026-10/note", data={"editor_note": "改了"})
    assert r.status_code == 303 and r.headers["location"].startswith("/login")
    assert issue_yaml(ws) == before


def test_the_sign_in_page_is_labelled_in_chinese(client, ws):
    add(ws, "张明", "editor")
    doc = parse(client.get("/login").text)
    assert sorted(label for _id, label in labelled_controls(doc)) == ["密码", "用户名"]
    assert buttons(doc) == ["登录"]


def test_sign_in_shows_the_name_and_roles_and_sign_out_ends_the_session(client, ws):
    add(ws, "张明", "editor", "reviewer")
    r = sign_in(client, ws, "张明", next_="/issues/2026-10")
    assert r.status_code == 303 and r.headers["location"] == "/issues/2026-10"
    page = client.get("/issues/2026-10")
    header = text_of(parse(page.text).find(".//header"))
    assert page.status_code == 200 and "张明" in header and "编辑" in header and "审核" in header
    assert "退出" in header
    old = client.cookies["bulletin_session"]
    r = client.post("/logout")
    assert r.status_code == 303 and r.headers["location"] == "/login"
    assert "bulletin_session" not in client.cookies
    client.cookies.set("bulletin_session", old)    # the cookie kept from before: refused
    assert client.get("/").status_code == 303


def test_the_session_cookie_is_httponly_lax_and_secure_behind_https(ws):
    from bulletin.web.app import create_app

    add(ws, "张明", "editor")
    cases = [("http://127.0.0.1:8110", {}, False), ("https://127.0.0.1:8110", {}, True),
             ("http://127.0.0.1:8110", {"X-Forwarded-Proto": "https"}, False)]   # not trusted by default
    for base, headers, secure in cases:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from starlette.testclient import TestClient

            with TestClient(create_app(ws), base_url=base, follow_redirects=False) as c:
                r = c.post("/login", data={"name": "张明", "password": PASSWORD},
                           headers={"X-CSRF-Token": form_token(ws), **headers})
        cookie = r.headers["set-cookie"]
        assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie, cookie
        assert ("Secure" in cookie) == secure, (base, headers, cookie)


def test_a_trusted_proxy_s_https_makes_the_cookie_secure(ws):
    from bulletin.web.app import create_app

    (ws / "bulletin.toml").write_text((ws / "bulletin.toml").read_text(encoding="utf-8")
                                      + "\n[workbench]\ntrust_proxy = true\n", encoding="utf-8")
    add(ws, "张明", "editor")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        with TestClient(create_app(ws), base_url="http://127.0.0.1:8110", follow_redirects=False) as c:
            r = c.post("/login", data={"name": "张明", "password": PASSWORD},
                       headers={"X-CSRF-Token": form_token(ws), "X-Forwarded-Proto": "https"})
    assert "Secure" in r.headers["set-cookie"]


def test_a_wrong_password_says_so_and_sets_no_cookie(client, ws):
    add(ws, "张明", "editor")
    r = sign_in(client, ws, "张明", "wrong password")
    assert r.status_code == 401 and "用户名或密码不正确" in r.text and "set-cookie" not in r.headers
    assert 'value="张明"' in r.text and "wrong password" not in r.text


def test_after_five_failures_the_page_says_to_wait_fifteen_minutes(client, ws):
    add(ws, "张明", "editor")
    for _n in range(5):
        assert sign_in(client, ws, "张明", "wrong password").status_code == 401
    r = sign_in(client, ws, "张明")
    assert r.status_code == 429 and "15 分钟" in r.text and "set-cookie" not in r.headers


@pytest.mark.parametrize("target", ["//evil.example/", "https://evil.example/", "/\\evil.example", "evil",
                                    "/%0d%0aSet-Cookie:x"])
def test_next_leads_only_within_the_site(client, ws, target):
    add(ws, "张明", "editor")
    r = sign_in(client, ws, "张明", next_=target)
    assert r.status_code == 303
    location = r.headers["location"]
    assert location.startswith("/") and not location.startswith("//") and "evil" not in location.split("?")[0][:2]
    assert "\n" not in location and "\r" not in location


def test_next_is_carried_from_the_page_asked_for(client, ws):
    add(ws, "张明", "editor")
    r = client.get("/issues/2026-10?tab=x")
    assert r.headers["location"] == "/login?next=/issues/2026-10%3Ftab%3Dx"
    assert 'value="/issues/2026-10?tab=x"' in client.get(r.headers["location"]).text


@pytest.mark.parametrize("token", [None, "forged", "anonymous"])
def test_a_change_without_the_session_s_form_token_is_refused_and_nothing_is_written(client, ws, token):
    add(ws, "张明", "editor")
    sign_in(client, ws, "张明")
    before = issue_yaml(ws)
    headers = {} if token is None else {"X-CSRF-Token": form_token(ws) if token == "anonymous" else token}
    del client.headers["X-CSRF-Token"]
    r = client.post("/issues/2026-10/note", data={"editor_note": "伪造"}, headers=headers)
    assert r.status_code == 403 and "重新载入" in r.text
    assert issue_yaml(ws) == before


def test_without_accounts_a_post_needs_the_form_token_too(client, ws):
    before = issue_yaml(ws)
    del client.headers["X-CSRF-Token"]
    assert client.post("/issues/2026-10/note", data={"editor_note": "伪造"}).status_code == 403
    assert issue_yaml(ws) == before


def test_the_form_s_hidden_token_is_its_first_field_and_is_accepted(client, ws):
    add(ws, "张明", "editor")
    sign_in(client, ws, "张明")
    token = client.headers.pop("X-CSRF-Token")
    page = client.get("/issues/2026-10").text
    doc = parse(page)
    forms = [f for f in doc.iter("form") if f.get("method") == "post"]
    assert forms and all(f[0].get("name") == "csrf_token" and f[0].get("value") == token for f in forms)
    assert f"\"X-CSRF-Token\": \"{token}\"" in page                           # <body hx-headers> for htmx
    r = client.post("/issues/2026-10/note", data={"csrf_token": token, "editor_note": "按表单保存"})
    assert r.status_code == 303 and "按表单保存" in issue_yaml(ws)
    r = client.post("/issues/2026-10/upload", data={"csrf_token": token},
                    files={"files": ("新文章.txt", "新文章的标题\n\n正文一段。\n".encode(), "text/plain")})
    assert r.status_code == 303, r.text
    files_before = sorted(p.name for p in (ws / "issues/2026/10").iterdir())
    r = client.post("/issues/2026-10/upload", data={"csrf_token": "forged"},
                    files={"files": ("再一篇.txt", "再一篇\n\n正文。\n".encode(), "text/plain")})
    assert r.status_code == 403
    assert sorted(p.name for p in (ws / "issues/2026/10").iterdir()) == files_before


def test_a_reviewer_may_not_edit_and_nothing_is_written(client, ws):
    add(ws, "李审", "reviewer")
    sign_in(client, ws, "李审")
    assert client.get("/issues/2026-10").status_code == 200
    before = issue_yaml(ws)
    r = client.post("/issues/2026-10/note", data={"editor_note": "审核人改的"})
    assert r.status_code == 403 and "编辑" in r.text and "李审" in r.text
    assert issue_yaml(ws) == before


def test_accounts_are_for_administrators(client, ws):
    add(ws, "张明", "editor")
    add(ws, "王管", "admin")
    sign_in(client, ws, "张明")
    r = client.get("/accounts")
    assert r.status_code == 403 and "管理员" in r.text
    client.post("/logout")
    sign_in(client, ws, "王管")
    r = client.get("/accounts")
    assert r.status_code == 200 and "张明" in r.text and "登录" in r.text   # the audit trail names the sign-ins


def test_a_submitter_is_sent_to_the_submit_page_and_sees_a_page_saying_the_workbench_is_not_theirs(client, ws):
    add(ws, "赵投", "submitter", unit="市税务局")  # a submitter sends for one unit
    assert sign_in(client, ws, "赵投").status_code == 303
    assert client.get("/").headers["location"] == "/submit"   # 信息报送 is the submitter's home
    r = client.get("/issues/2026-10")
    assert r.status_code == 403 and "报送" in r.text
    assert "第10期" not in r.text


def test_a_password_change_ends_the_sessions(client, ws):
    add(ws, "张明", "editor")
    sign_in(client, ws, "张明")
    assert client.get("/").status_code == 200
    AccountStore(Workspace(ws)).set_password("张明", "another long one")
    assert client.get("/").status_code == 303
