"""The history through the workbench: a change is one commit in the person's name with a Chinese
message; the 历史 pages show who, when, what and the diff (escaped); 恢复此版本 is a new commit; a
workspace without git (or with --no-history) works and commits nothing."""
from __future__ import annotations

import shutil
import warnings

import pytest
from cli_support import ISSUE_DIR, snapshot
from web_support import buttons, form_token, parse, text_of

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
ARTICLE = f"{ISSUE_DIR.as_posix()}/01-first.md"


@pytest.fixture(autouse=True)
def no_git_config(tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "nothing"))


def git_out(root, *args) -> str:
    from bulletin.store.history import git

    return git(root, *args).stdout.decode("utf-8")


def _client(app):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        return TestClient(app, base_url="http://127.0.0.1:8110", raise_server_exceptions=False,
                          follow_redirects=False)


@pytest.fixture
def repo(ws):
    from bulletin.commands.history import start
    from bulletin.store.workspace import Workspace

    start(Workspace(ws), "管理员")
    return ws


@pytest.fixture
def kept(repo, monkeypatch):
    """A client signed in as 王小明 (an account with every role, signed in through /login)."""
    from argon2 import PasswordHasher

    from bulletin.accounts import store as accounts
    from bulletin.rules.permissions import ROLES
    from bulletin.store.workspace import Workspace
    from bulletin.web.app import create_app

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    accounts.AccountStore(Workspace(repo)).add("王小明", [r for r in ROLES if r != "submitter"], "一个够长的口令123")
    with _client(create_app(repo)) as c:
        r = c.post("/login", data={"name": "王小明", "password": "一个够长的口令123"},
                   headers={"X-CSRF-Token": form_token(repo)})
        assert r.status_code == 303, r.text
        c.headers["X-CSRF-Token"] = form_token(repo, c.cookies["bulletin_session"])
        yield c


def test_an_upload_is_one_commit_in_the_persons_name_with_a_chinese_message(kept, repo):
    r = kept.post("/issues/2026-10/upload", headers={"Accept-Language": "en"},
                  files=[("files", ("市民政局.txt", "关于推进政务公开的情况\n\n今年以来，我局扎实推进。".encode(), "text/plain"))])
    assert r.status_code == 303, r.text
    assert git_out(repo, "rev-list", "--count", "HEAD") == "2\n"
    assert git_out(repo, "log", "-1", "--format=%an|%s") == "王小明|第10期：上传 市民政局.txt\n"
    files = git_out(repo, "show", "--name-only", "--format=", "HEAD").split()
    assert f"{ISSUE_DIR.as_posix()}/issue.yaml" in files and all(f.startswith(ISSUE_DIR.as_posix()) for f in files)
    assert git_out(repo, "status", "--porcelain", "--", "issues") == ""
    page = kept.get("/issues/2026-10/history")
    assert page.status_code == 200 and "第10期：上传 市民政局.txt" in page.text and "王小明" in page.text


def _restore_commits(doc) -> list[str]:
    """The versions the page offers to restore (each 恢复此版本 form's commit), in page order."""
    return [i.get("value") for f in doc.iter("form") for i in f.iter("input") if i.get("name") == "commit"]


def test_the_history_page_shows_the_diff_escaped_and_restore_is_a_new_commit(kept, repo):
    form = {"title": "<script>alert(1)</script>", "source": "", "author": "", "section": "工作动态",
            "body": "新的正文。"}
    before = (repo / ARTICLE).read_bytes()
    assert kept.post("/issues/2026-10/articles/01-first.md", data=form).status_code == 303
    assert "<script>" in (repo / ARTICLE).read_text(encoding="utf-8")
    r = kept.get("/issues/2026-10/articles/01-first.md/history")
    assert r.status_code == 200
    assert "<script>alert" not in r.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    doc = parse(r.text)
    added = [text_of(s) for s in doc.iter("span") if s.get("class") == "add"]
    removed = [text_of(s) for s in doc.iter("span") if s.get("class") == "del"]
    assert any("<script>alert(1)</script>" in line for line in added)
    assert any("我市深化政务公开工作取得新成效" in line for line in removed)
    assert text_of(doc.find(".//h1")) == "<script>alert(1)</script>的历史"
    assert [b for b in buttons(doc) if b != "退出"] == ["恢复此版本"]   # the current version has none (退出: sign out)
    old = _restore_commits(doc)[0]

    r = kept.post("/issues/2026-10/articles/01-first.md/history/restore", data={"commit": old})
    assert r.status_code == 303 and r.headers["location"].startswith("/issues/2026-10/articles/01-first.md/history")
    assert (repo / ARTICLE).read_bytes() == before
    assert git_out(repo, "log", "-1", "--format=%an|%s") == f"王小明|第10期：恢复 01-first.md 至 {old[:7]} 的版本\n"
    assert "已恢复" in kept.get(r.headers["location"]).text
    assert kept.get("/issues/2026-10").text.count('href="/issues/2026-10/history"') == 1
    assert 'href="/issues/2026-10/articles/01-first.md/history"' in kept.get("/issues/2026-10/articles/01-first.md").text


def test_restore_of_something_that_is_not_a_version_is_refused_and_changes_nothing(kept, repo):
    before, count = snapshot(repo), git_out(repo, "rev-list", "--count", "HEAD")
    for commit in ("0" * 40, "HEAD~1", "--help", ""):
        r = kept.post("/issues/2026-10/articles/01-first.md/history/restore", data={"commit": commit})
        assert r.status_code == 422 and "Traceback" not in r.text, commit
    for file in ("%2e%2e", "nope.md", "..%2fissue.yaml"):
        r = kept.post(f"/issues/2026-10/articles/{file}/history/restore", data={"commit": "0" * 40})
        assert r.status_code == 404, file
        assert kept.get(f"/issues/2026-10/articles/{file}/history").status_code == 404, file
    assert kept.get("/issues/2026-99/history").status_code == 404
    assert snapshot(repo) == before and git_out(repo, "rev-list", "--count", "HEAD") == count


def test_the_issue_history_and_its_restore(kept, repo):
    assert kept.post("/issues/2026-10/note", data={"editor_note": "本期按语。"}).status_code == 303
    doc = parse(kept.get("/issues/2026-10/history").text)
    assert [text_of(h) for h in doc.iter("h2")][0].endswith("第10期：修改编者按")
    first = _restore_commits(doc)[0]
    r = kept.post("/issues/2026-10/history/restore", data={"commit": first})
    assert r.status_code == 303
    assert "本期按语" not in (repo / ISSUE_DIR / "issue.yaml").read_text(encoding="utf-8")
    assert git_out(repo, "log", "-1", "--format=%s") == f"第10期：恢复本期至 {first[:7]} 的版本\n"
    r = kept.post("/issues/2026-10/history/restore", data={"commit": first})   # nothing left to restore
    assert r.status_code == 422 and "已是该版本的样子" in r.text


def test_without_git_the_workbench_works_and_says_the_history_is_not_kept(client, ws):
    r = client.post("/issues/2026-10/note", data={"editor_note": "按语。"})
    assert r.status_code == 303 and "按语" in (ws / ISSUE_DIR / "issue.yaml").read_text(encoding="utf-8")
    assert not (ws / ".git").exists()
    page = client.get("/issues/2026-10/history").text
    assert "工作台未记录历史" in page and "还没有记录的修改" in page


def test_no_history_on_a_repository_makes_no_commit(repo):
    from bulletin.web.app import create_app

    with _client(create_app(repo, history=False)) as c:
        c.headers["X-CSRF-Token"] = form_token(repo)
        assert c.post("/issues/2026-10/note", data={"editor_note": "按语。"}).status_code == 303
    assert git_out(repo, "rev-list", "--count", "HEAD") == "1\n"
