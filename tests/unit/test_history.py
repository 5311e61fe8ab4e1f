"""The workspace's history in git (bulletin.store.history, bulletin.commands.history), with a real git in
a temporary folder: the author and the Chinese message, only the files a change touched, no commit when
nothing changed, 恢复此版本 as a new commit, and a clear message without git."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_support import ISSUE_DIR, write_workspace  # noqa: E402

from bulletin.errors import BulletinError  # noqa: E402

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@pytest.fixture(autouse=True)
def no_git_config(tmp_path, monkeypatch):
    """Nothing of the machine's git configuration: an empty HOME, no global or system file."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "nothing"))
    for name in ("GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL", "EMAIL"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def ws(tmp_path):
    from bulletin.commands.history import start
    from bulletin.store.workspace import Workspace

    root = write_workspace(tmp_path / "ws")
    workspace = Workspace(root)
    start(workspace, "管理员")
    return workspace


def git_out(ws, *args) -> str:
    from bulletin.store.history import git

    return git(ws.root, *args).stdout.decode("utf-8")


def commits(ws) -> int:
    return int(git_out(ws, "rev-list", "--count", "HEAD"))


def test_start_commits_the_workspace_with_a_gitignore_of_build_and_the_private_folder(ws):
    assert commits(ws) == 1
    tracked = git_out(ws, "ls-files").split()
    assert "bulletin.toml" in tracked and f"{ISSUE_DIR.as_posix()}/issue.yaml" in tracked
    ignore = (ws.root / ".gitignore").read_text()
    assert "/build/" in ignore and "/.bulletin/" in ignore
    assert git_out(ws, "log", "-1", "--format=%s") == "工作区开始记录历史时的样子\n"


def test_a_change_is_one_commit_of_the_touched_files_with_the_author_and_a_chinese_message(ws):
    from bulletin.commands import edit
    from bulletin.commands.history import recorded
    from bulletin.i18n import N_

    (ws.root / "build").mkdir()
    (ws.root / "build" / "out.docx").write_bytes(b"made")
    (ws.root / "notes.txt").write_text("not the workspace's content")
    recorded(ws, "王小明", N_("edit the editor's note"), {}, ws.resolve("2026-10"),
             edit.set_editor_note, ws, "2026-10", "本期聚焦政务公开。")
    assert commits(ws) == 2
    assert git_out(ws, "log", "-1", "--format=%an|%s") == "王小明|第10期：修改编者按\n"
    assert git_out(ws, "show", "--name-only", "--format=", "HEAD").split() == [f"{ISSUE_DIR.as_posix()}/issue.yaml"]
    assert "notes.txt" in git_out(ws, "status", "--porcelain")  # not the change's: left as it was


def test_english_speakers_still_get_chinese_messages(ws):
    from bulletin.commands import edit
    from bulletin.commands.history import recorded
    from bulletin.i18n import N_, _, speaking

    with speaking("en"):
        recorded(ws, "Ann", N_("move {article} up"), {"article": "02-second.md"}, ws.resolve("2026-10"),
                 edit.move_article, ws, "2026-10", "02-second.md", -1)
        assert _("upload {files}") == "upload {files}"
    assert git_out(ws, "log", "-1", "--format=%s").startswith("第10期：")
    assert "02-second.md" in git_out(ws, "log", "-1", "--format=%s")


def test_no_commit_when_nothing_changed_and_none_when_the_change_fails(ws):
    from bulletin.commands import edit
    from bulletin.commands.history import recorded
    from bulletin.i18n import N_

    assert recorded(ws, "王小明", N_("proofread {article}: safe fixes"), {"article": "02-second.md"}, None,
                    edit.fix_article, ws, "2026-10", "02-second.md") is False
    assert commits(ws) == 1
    with pytest.raises(BulletinError):
        recorded(ws, "王小明", N_("move {article} up"), {"article": "x.md"}, None,
                 edit.move_article, ws, "2026-10", "x.md", -1)
    assert commits(ws) == 1


def test_a_file_changed_by_hand_before_is_committed_apart_not_in_the_persons_name(ws):
    from bulletin.commands import edit
    from bulletin.commands.history import recorded
    from bulletin.i18n import N_

    article = ws.root / ISSUE_DIR / "02-second.md"
    article.write_text(article.read_text() + "\n手工补充一段。\n", encoding="utf-8")
    recorded(ws, "王小明", N_("edit the editor's note"), {}, ws.resolve("2026-10"),
             edit.set_editor_note, ws, "2026-10", "按语")
    log = git_out(ws, "log", "-2", "--format=%an|%s").splitlines()
    assert log[0] == "王小明|第10期：修改编者按"
    assert log[1].startswith("bulletin|") and "工作台之外" in log[1]
    assert git_out(ws, "show", "--name-only", "--format=", "HEAD").split() == [f"{ISSUE_DIR.as_posix()}/issue.yaml"]


def test_history_of_an_article_its_diff_and_restore_makes_a_new_commit_with_the_content_back(ws):
    from bulletin.commands import edit, history
    from bulletin.i18n import N_

    key = ws.resolve("2026-10")
    path = ws.root / ISSUE_DIR / "01-first.md"
    first = path.read_bytes()
    fields = edit.read_article(ws, "2026-10", "01-first.md")["fields"]
    history.recorded(ws, "王小明", N_("edit {article}"), {"article": "01-first.md"}, key,
                     edit.save_article, ws, "2026-10", "01-first.md", {**fields, "title": "新标题"}, "新的正文。\n")
    versions = history.article_history(ws, "2026-10", "01-first.md")
    assert [v["author"] for v in versions] == ["王小明", "管理员"]
    kinds = {(line.kind, line.text) for line in versions[0]["diff"]}
    assert ("add", "+title: 新标题") in kinds and ("del", "-title: 我市深化政务公开工作取得新成效") in kinds
    old = versions[1]["short"]
    history.recorded(ws, "李审核", history.RESTORE, {"file": "01-first.md", "commit": old}, key,
                     history.restore_article, ws, "2026-10", "01-first.md", versions[1]["commit"])
    assert path.read_bytes() == first
    assert commits(ws) == 3
    assert git_out(ws, "log", "-1", "--format=%an|%s") == f"李审核|第10期：恢复 01-first.md 至 {old} 的版本\n"


def test_restore_refuses_a_commit_that_is_not_a_version_of_the_file_and_a_bad_id(ws):
    from bulletin.commands import history

    with pytest.raises(BulletinError, match="not a version"):
        history.restore_article(ws, "2026-10", "01-first.md", "0" * 40)
    with pytest.raises(BulletinError):
        history.restore_article(ws, "2026-10", "01-first.md", "--output=/tmp/x")
    assert commits(ws) == 1


def test_restore_of_the_issue_brings_back_its_files_as_they_were(ws):
    from bulletin.commands import edit, history
    from bulletin.i18n import N_

    key = ws.resolve("2026-10")
    first = history.issue_history(ws, "2026-10")[0]["commit"]
    folder = ws.root / ISSUE_DIR
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    history.recorded(ws, "王小明", N_("take {article} out of the issue"), {"article": "02-second.md"}, key,
                     edit.remove_article, ws, "2026-10", "02-second.md")
    fields = edit.read_article(ws, "2026-10", "01-first.md")["fields"]
    history.recorded(ws, "王小明", N_("edit {article}"), {"article": "01-first.md"}, key,
                     edit.save_article, ws, "2026-10", "01-first.md", fields, "改过的正文。\n")
    (folder / "02-second.md").unlink()
    history.recorded(ws, "李审核", history.RESTORE_ISSUE, {"commit": first[:7]}, key,
                     history.restore_issue, ws, "2026-10", first)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    assert git_out(ws, "log", "-1", "--format=%an|%s") == f"李审核|第10期：恢复本期至 {first[:7]} 的版本\n"
    with pytest.raises(BulletinError, match="already as it was"):
        history.restore_issue(ws, "2026-10", first)
    with pytest.raises(BulletinError, match="already as it was"):
        history.restore_article(ws, "2026-10", "01-first.md", first)


def test_a_workspace_inside_a_bigger_repository(tmp_path):
    from bulletin.commands import edit
    from bulletin.commands.history import recorded
    from bulletin.i18n import N_
    from bulletin.store import history
    from bulletin.store.workspace import Workspace

    outer = tmp_path / "office"
    outer.mkdir()
    history.git(outer, "init", "--quiet")
    ws = Workspace(write_workspace(outer / "bulletin"))
    assert history.is_repository(ws.root)
    recorded(ws, "王小明", N_("edit the editor's note"), {}, None, edit.set_editor_note, ws, "2026-10", "按语")
    (outer / "minutes.txt").write_text("the office's other files")
    recorded(ws, "王小明", N_("edit the editor's note"), {}, None, edit.set_editor_note, ws, "2026-10", "另一段按语")
    # the files first found there are kept apart, under the committer; the person's change on its own
    assert [e.author for e in history.log(ws.root, "issues")] == ["王小明", "王小明", "bulletin"]
    shown = history.git(outer, "show", "--name-only", "--format=", "HEAD").stdout.decode().split()
    assert shown == [f"bulletin/{ISSUE_DIR.as_posix()}/issue.yaml"]
    assert "minutes.txt" not in history.git(outer, "ls-files").stdout.decode()  # outside the workspace


def test_git_missing_is_said_in_words(ws, monkeypatch):
    from bulletin.store import history

    monkeypatch.setattr(history.shutil, "which", lambda name: None)
    assert not history.is_repository(ws.root)
    with pytest.raises(BulletinError) as caught:
        history.log(ws.root, "issues")
    assert "git is not installed" in caught.value.diagnostics[0].message
    assert "--no-history" in caught.value.diagnostics[0].hint


def test_git_missing_is_said_in_chinese_too(ws, monkeypatch, chinese):
    from bulletin.store import history

    monkeypatch.setattr(history.shutil, "which", lambda name: None)
    with pytest.raises(BulletinError) as caught:
        history.changed(ws.root)
    assert caught.value.diagnostics[0].message == "未安装 git，无法记录修改"


def test_a_failing_git_is_a_message_not_a_traceback(ws):
    from bulletin.store import history

    (ws.root / ".git" / "index.lock").write_text("")   # another git (or a crashed one) holds the index
    (ws.root / "issues" / "2026" / "10" / "issue.yaml").write_text("number: 10\n", encoding="utf-8")
    with pytest.raises(BulletinError) as caught:
        history.commit(ws.root, ["issues"], "x", "王小明")
    assert "git add failed" in caught.value.diagnostics[0].message
    assert "git status" in caught.value.diagnostics[0].hint


def test_a_restore_sends_an_issue_under_review_back_to_draft_and_a_signed_one_refuses_it(ws):
    from bulletin.commands import edit, history, review
    from bulletin.i18n import N_

    key = ws.resolve("2026-10")
    first = history.article_history(ws, "2026-10", "01-first.md")[0]["commit"]
    fields = edit.read_article(ws, "2026-10", "01-first.md")["fields"]
    history.recorded(ws, "王小明", N_("edit {article}"), {"article": "01-first.md"}, key,
                     edit.save_article, ws, "2026-10", "01-first.md", fields, "改过的正文。\n")
    review.submit(ws, "2026-10")
    ws.forget_issue(key)
    assert ws.load_issue(key)[0].status == "submitted"
    history.restore_article(ws, "2026-10", "01-first.md", first)
    ws.forget_issue(key)
    assert ws.load_issue(key)[0].status == "draft"
    review.submit(ws, "2026-10")
    history.restore_issue(ws, "2026-10", first)   # the issue as it was: a draft, the step recorded
    ws.forget_issue(key)
    assert ws.load_issue(key)[0].status == "draft"
    assert "reopen" in (ws.root / ISSUE_DIR / "issue.yaml").read_text(encoding="utf-8")
    review.submit(ws, "2026-10")
    review.approve(ws, "2026-10")
    review.sign(ws, "2026-10")
    with pytest.raises(BulletinError, match="signed off"):
        history.restore_article(ws, "2026-10", "01-first.md", first)
    with pytest.raises(BulletinError, match="signed off"):
        history.restore_issue(ws, "2026-10", first)


def test_what_a_killed_save_leaves_beside_a_file_is_never_committed(tmp_path):
    """store.atomic's temporary and the old file's second name, left when the workbench is killed in
    the middle of a save: git passes over them (the repository's own exclude file, not the office's
    .gitignore), so the next change does not commit them as a change made outside the workbench."""
    import subprocess

    from bulletin.commands import edit
    from bulletin.commands.history import recorded
    from bulletin.i18n import N_
    from bulletin.store import history
    from bulletin.store.workspace import Workspace
    from bulletin.web.app import create_app

    root = write_workspace(tmp_path / "ws")
    for args in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "-m", "start"]):
        subprocess.run(["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@localhost", *args], check=True)
    exclude = root / ".git" / "info" / "exclude"
    exclude.write_text("# the office's own\n*.bak", encoding="utf-8")
    create_app(root)                     # the workbench over a repository made by hand
    create_app(root)
    assert exclude.read_text(encoding="utf-8") == "# the office's own\n*.bak\n.*.tmp\n.*.old\n"
    left = [root / ISSUE_DIR / ".issue.yaml.k3j2h1gf.tmp", root / ISSUE_DIR / ".01-first.md.a8d7s6f5.old"]
    for path in left:
        path.write_text("cut short", encoding="utf-8")
    assert history.changed(root) == []
    ws = Workspace(root)
    recorded(ws, "王小明", N_("edit the editor's note"), {}, ws.resolve("2026-10"),
             edit.set_editor_note, ws, "2026-10", "按语")
    assert git_out(ws, "show", "--name-only", "--format=", "HEAD").split() == [f"{ISSUE_DIR.as_posix()}/issue.yaml"]
    assert git_out(ws, "rev-list", "--count", "HEAD") == "2\n"
    assert not (root / ".gitignore").exists()


def test_a_history_begun_by_the_workbench_passes_over_them_too(ws):
    from bulletin.store import history

    (ws.root / ISSUE_DIR / ".issue.yaml.k3j2h1gf.tmp").write_text("cut short", encoding="utf-8")
    assert history.changed(ws.root) == []
