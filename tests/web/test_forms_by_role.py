"""Each page shows a person only the forms and buttons their roles and the issue's status allow, asked of
the one permission check (web.pages.Can over rules.permissions); a form that is not shown still gets its
403 when posted (or the core's refusal, for a status), and nothing is written."""
from __future__ import annotations

import warnings

import pytest
from cli_support import snapshot as snapshot_all
from web_support import buttons, form_token, parse, text_of

from bulletin.rules.permissions import ROLES, Actor

ISSUE = "issues/2026/10/issue.yaml"
PASSWORD = "correct horse battery"
EDITOR = Actor("王编辑", frozenset({"editor"}))
REVIEWER = Actor("李审核", frozenset({"reviewer"}))
SIGNER = Actor("张签发", frozenset({"signer"}))
ADMIN = Actor("赵管理", frozenset({"admin"}))
PEOPLE = {"editor": EDITOR, "reviewer": REVIEWER, "signer": SIGNER, "admin": ADMIN}

# what a form does → the address its form posts to (the page's form actions are matched against these)
ISSUE_FORMS = {
    "upload": "/issues/2026-10/upload",
    "order": "/issues/2026-10/articles/up",
    "section": "/issues/2026-10/section",
    "note": "/issues/2026-10/note",
    "people": "/issues/2026-10/people",
    "remove": "/issues/2026-10/articles/remove",
    "distribution": "/issues/2026-10/distribution/extra/add",
    "submit": "/issues/2026-10/review/submit",
    "publish": "/issues/2026-10/review/publish",
}
EDITING = {"upload", "order", "section", "note", "people", "remove", "distribution"}
# role → the issue page's forms for a draft (the publish of the one user needs no review)
DRAFT_FORMS = {"editor": EDITING | {"submit"}, "reviewer": set(), "signer": set(), "admin": set(),
               "local": EDITING | {"submit", "publish"}}
# a forbidden form's POST: (address, fields)
POSTS = {
    "create": ("/issues", {"date": "2026-12-01", "kind": "regular", "theme": ""}),
    "upload": None,   # a multipart body: posted on its own below
    "order": ("/issues/2026-10/articles/down", {"article": "01-first.md"}),
    "section": ("/issues/2026-10/section", {"article": "01-first.md", "section": "新栏目"}),
    "note": ("/issues/2026-10/note", {"editor_note": "不该写入"}),
    "people": ("/issues/2026-10/people", {"editor": "某人", "reviewer": "", "signer": ""}),
    "remove": ("/issues/2026-10/articles/remove", {"article": "01-first.md"}),
    "distribution": ("/issues/2026-10/distribution/extra/add", {"extra": "不该加上的单位"}),
    "article": ("/issues/2026-10/articles/01-first.md", {"title": "不该写入", "source": "", "author": "",
                                                         "section": "", "body": "不该写入\n"}),
    "recipients": ("/recipients/add", {"id": "newone", "name": "新单位", "role": "送", "copies": "1"}),
    "accounts": ("/accounts/add", {"name": "钱七", "roles": "editor", "password": PASSWORD,
                                   "again": PASSWORD}),
}


def snapshot(ws) -> dict:
    """The workspace's files, less its private folder (a sign-in writes the accounts' database)."""
    return {k: v for k, v in snapshot_all(ws).items() if not k.startswith(".bulletin/")}


def actions(r) -> set[str]:
    """Where the page's forms post to (a button's formaction too: the review's buttons share a form)."""
    doc = parse(r.text)
    return ({form.get("action") for form in doc.iter("form")}
            | {b.get("formaction") for b in doc.iter("button") if b.get("formaction")})


def issue_forms(r) -> set[str]:
    shown = actions(r)
    return {what for what, url in ISSUE_FORMS.items() if url in shown}


def held_line(r) -> str:
    node = next((p for p in parse(r.text).iter("p") if "held" in (p.get("class") or "")), None)
    return text_of(node) if node is not None else ""


@pytest.fixture
def people(ws, monkeypatch):
    """`people(role)`: a client signed in as the account of that role (through /login); "local": the
    workspace without accounts (created only when asked first)."""
    from argon2 import PasswordHasher

    from bulletin.accounts import store as accounts
    from bulletin.store.workspace import Workspace
    from bulletin.web.app import create_app

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    current = {"who": None}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        with TestClient(create_app(ws), base_url="http://127.0.0.1:8110", raise_server_exceptions=False,
                        follow_redirects=False) as c:
            def client(who: str):
                if who == "local":
                    assert not accounts.AccountStore(Workspace(ws)).any()
                    c.headers["X-CSRF-Token"] = form_token(ws)
                    return c
                store = accounts.AccountStore(Workspace(ws))
                if not store.any():
                    for actor in PEOPLE.values():
                        store.add(actor.name, actor.roles, PASSWORD)
                if current["who"] != who:
                    c.cookies.clear()
                    r = c.post("/login", data={"name": PEOPLE[who].name, "password": PASSWORD},
                               headers={"X-CSRF-Token": form_token(ws)})
                    assert r.status_code == 303, r.text
                    c.headers["X-CSRF-Token"] = form_token(ws, c.cookies["bulletin_session"])
                    current["who"] = who
                return c
            yield client


def set_status(ws, status: str) -> None:
    path = ws / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", f"status: {status}"), encoding="utf-8")


@pytest.mark.parametrize("who", ["editor", "reviewer", "signer", "admin", "local"])
def test_the_issue_page_of_a_draft_shows_each_person_their_forms(people, who):
    r = people(who).get("/issues/2026-10")
    assert r.status_code == 200
    assert issue_forms(r) == DRAFT_FORMS[who]
    doc = parse(r.text)
    dragged = [tr for tr in doc.iter("tr") if tr.get("draggable")]
    assert bool(dragged) == (who in ("editor", "local"))           # drag and drop only where the order may change
    assert ("data-order-url" in r.text) == (who in ("editor", "local"))
    assert held_line(r) == ""                                        # nothing is held back by the status
    if who not in ("editor", "local"):
        assert "上传" not in buttons(doc) and "保存编者按" not in buttons(doc)
        assert "各区人民政府" in r.text and "我市深化政务公开工作取得新成效" in r.text   # still shown, to read


@pytest.mark.parametrize("who, create, recipients, accounts_link", [
    ("editor", True, True, False), ("reviewer", False, False, False), ("signer", False, False, False),
    ("admin", False, True, True), ("local", True, True, False)])
def test_home_recipients_and_the_header_by_role(people, who, create, recipients, accounts_link):
    c = people(who)
    home = c.get("/")
    assert ("/issues" in actions(home)) is create
    assert ('href="/accounts"' in home.text) is accounts_link
    shown = actions(c.get("/recipients"))
    assert ({"/recipients/add", "/recipients/remove", "/recipients/lists/add"} <= shown) is recipients
    if not recipients:
        assert not any(a and a.startswith("/recipients") for a in shown)


@pytest.mark.parametrize("who, editable", [("editor", True), ("reviewer", False), ("signer", False),
                                           ("admin", False), ("local", True)])
def test_the_article_page_offers_its_editing_only_to_editors(people, who, editable):
    r = people(who).get("/issues/2026-10/articles/01-first.md")
    assert r.status_code == 200
    assert ("/issues/2026-10/articles/01-first.md" in actions(r)) is editable
    doc = parse(r.text)
    assert (doc.find(".//textarea[@id='article-body']") is not None) is editable
    assert "今年以来" in r.text   # the body is shown to read either way


FORBIDDEN = {"reviewer": ["create", "upload", "order", "section", "note", "people", "remove", "distribution",
                          "article", "recipients", "accounts"],
             "signer": ["create", "note", "article", "recipients", "accounts"],
             "admin": ["create", "note", "people", "article", "distribution"],
             "editor": ["accounts"]}


@pytest.mark.parametrize("who, what", [(who, what) for who, whats in FORBIDDEN.items() for what in whats])
def test_a_form_not_shown_is_refused_with_403_when_posted_and_nothing_is_written(people, ws, who, what):
    from bulletin.accounts.store import AccountStore
    from bulletin.store.workspace import Workspace

    c = people(who)
    before, accounts_before = snapshot(ws), AccountStore(Workspace(ws)).accounts()
    if what == "upload":
        r = c.post("/issues/2026-10/upload", files={"files": ("市民政局.txt", "标题\n\n正文。\n".encode(), "text/plain")})
    else:
        url, data = POSTS[what]
        r = c.post(url, data=data)
    assert r.status_code == 403, r.text
    assert "禁止" in r.text or "403" in r.text
    assert snapshot(ws) == before
    assert [a.name for a in AccountStore(Workspace(ws)).accounts()] == [a.name for a in accounts_before]


@pytest.mark.parametrize("status, words", [
    ("signed", "已签发：不能再修改本期；如需修改，请先退回"),
    ("submitted", ""), ("approved", "")])
def test_the_status_hides_an_editors_forms_and_says_so(people, ws, status, words):
    c = people("editor")
    set_status(ws, status)
    r = c.get("/issues/2026-10")
    if words:
        assert issue_forms(r) == set()
        assert held_line(r) == words
        article = c.get("/issues/2026-10/articles/01-first.md")
        assert "/issues/2026-10/articles/01-first.md" not in actions(article) and held_line(article) == words
    else:   # editing a submitted or approved issue is allowed (it goes back to draft)
        assert EDITING <= issue_forms(r) and held_line(r) == ""


def test_a_signed_issue_refuses_the_hidden_forms_of_an_editor_and_writes_nothing(people, ws):
    c = people("editor")
    set_status(ws, "signed")
    before = snapshot(ws)
    for what in ("note", "section", "order", "distribution", "article"):
        url, data = POSTS[what]
        r = c.post(url, data=data)
        assert r.status_code in (403, 409, 422), (what, r.status_code)
        assert snapshot(ws) == before, what


def test_a_published_issue_shows_no_form_to_anyone_and_says_why(ws, people):
    from bulletin.commands.publish import publish
    from bulletin.store.workspace import Workspace

    publish(Workspace(ws), "10")
    r = people("local").get("/issues/2026-10")
    assert issue_forms(r) == set() and held_line(r) == "已发布：不能再修改本期。"
    for who in ("editor", "signer", "admin"):
        r = people(who).get("/issues/2026-10")
        assert issue_forms(r) == set()
        assert held_line(r) == ("已发布：不能再修改本期。" if who == "editor" else "")


def test_the_review_buttons_follow_the_status_for_each_role(people, ws):
    set_status(ws, "submitted")
    assert {a.rsplit("/", 1)[-1] for a in actions(people("reviewer").get("/issues/2026-10"))
            if "/review/" in a} == {"approve", "return"}
    assert {a.rsplit("/", 1)[-1] for a in actions(people("signer").get("/issues/2026-10"))
            if "/review/" in a} == {"return"}
    assert not any("/review/" in a for a in actions(people("admin").get("/issues/2026-10")))
    before = snapshot(ws)
    r = people("admin").post("/issues/2026-10/review/approve", data={"comment": ""})
    assert r.status_code == 403 and snapshot(ws) == before


@pytest.fixture
def repo(ws, monkeypatch, tmp_path):
    """The workspace as a git repository (before the app is made: it records history), no git config."""
    import shutil

    from bulletin.commands.history import start
    from bulletin.store.workspace import Workspace

    if shutil.which("git") is None:
        pytest.skip("needs git")
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "nothing"))
    start(Workspace(ws), "管理员")
    return ws


def test_the_history_offers_restore_only_to_who_may_edit(repo, people, ws):
    c = people("editor")
    assert c.post("/issues/2026-10/note", data={"editor_note": "第一版"}).status_code == 303
    restore = "/issues/2026-10/history/restore"
    assert restore in actions(c.get("/issues/2026-10/history"))
    r = people("reviewer").get("/issues/2026-10/history")
    assert r.status_code == 200 and restore not in actions(r)
    before = snapshot(ws)
    first = [text_of(code) for code in parse(r.text).iter("code")][-1]
    r = people("reviewer").post(restore, data={"commit": first})
    assert r.status_code == 403 and snapshot(ws) == before


def test_every_role_is_covered():
    assert set(PEOPLE) | {"submitter"} == set(ROLES)


def people_section(r):
    return next(s for s in parse(r.text).iter("section") if s.get("id") == "people")


def test_the_names_come_from_the_review_record_once_it_names_someone(people, ws):
    c = people("editor")
    section = people_section(c.get("/issues/2026-10"))
    assert section.find(".//form") is not None                 # no record yet: the names typed by hand
    assert "本期的审核记录中没有署名" in text_of(section)
    assert c.post("/issues/2026-10/review/submit", data={"comment": ""}).status_code == 303
    r = c.get("/issues/2026-10")
    section = people_section(r)
    assert section.find(".//form") is None and "/issues/2026-10/people" not in actions(r)
    words = text_of(section)
    assert "取自审核记录" in words
    assert "编辑王编辑（" in words and "送审）" in words          # who took 送审, and when
    assert "审核李××（手工填写）" in words               # not yet approved: the typed name prints
    before = snapshot(ws)
    r = c.post("/issues/2026-10/people", data={"editor": "别人", "reviewer": "", "signer": ""})
    assert r.status_code == 422 and "取自本期的审核记录" in r.text
    assert snapshot(ws) == before


def test_without_accounts_steps_taken_without_a_name_keep_the_typed_names(people, ws):
    c = people("local")
    assert c.post("/issues/2026-10/review/submit", data={"comment": "", "by": ""}).status_code == 303
    r = c.get("/issues/2026-10")
    assert "/issues/2026-10/people" in actions(r)
    assert c.post("/issues/2026-10/review/submit", data={}).status_code in (403, 422)   # already submitted
