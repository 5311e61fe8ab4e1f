"""Two people, one file: every edit function takes the version of the file its form was opened on
(`expected_version`, the sha256 of its bytes) and, under the workspace lock, refuses a save against a
file that changed since (store.versions.Conflict, carrying the file as it is now), writing nothing.
Without an expected version (the CLI) nothing is checked, as before; a change the CLI made meanwhile
makes the web's stale form fail."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_support import ok, run, snapshot, write_workspace  # noqa: E402

from bulletin.commands import directory, distribution, edit  # noqa: E402
from bulletin.store.versions import Conflict, file_version, version_of  # noqa: E402
from bulletin.store.workspace import Workspace  # noqa: E402

ISSUE = "issues/2026/10/issue.yaml"
ARTICLE = "issues/2026/10/01-first.md"


@pytest.fixture
def root(tmp_path) -> Path:
    return write_workspace(tmp_path / "ws")


def test_a_version_is_the_sha256_of_the_bytes(root):
    import hashlib

    data = (root / ARTICLE).read_bytes()
    assert file_version(root / ARTICLE) == version_of(data) == hashlib.sha256(data).hexdigest()


def test_the_article_page_reads_the_version_of_what_it_shows(root):
    article = edit.read_article(Workspace(root), "2026-10", "01-first.md")
    assert article["version"] == file_version(root / ARTICLE)


def test_two_saves_from_the_same_version_the_second_is_refused_with_nothing_written(root):
    ws = Workspace(root)
    opened = edit.read_article(ws, "2026-10", "01-first.md")
    fields = opened["fields"]
    edit.save_article(ws, "2026-10", "01-first.md", fields, "\n甲的正文。\n", expected_version=opened["version"])
    after_first = snapshot(root)
    assert "甲的正文" in (root / ARTICLE).read_text(encoding="utf-8")
    with pytest.raises(Conflict) as caught:
        edit.save_article(ws, "2026-10", "01-first.md", fields, "\n乙的正文。\n", expected_version=opened["version"])
    assert snapshot(root) == after_first
    conflict = caught.value
    assert conflict.version == file_version(root / ARTICLE) != opened["version"]
    assert "甲的正文" in conflict.text
    (d,) = conflict.diagnostics
    assert d.path.endswith("01-first.md") and "changed" in d.message


def test_a_save_from_the_current_version_goes_through(root):
    ws = Workspace(root)
    opened = edit.read_article(ws, "2026-10", "01-first.md")
    edit.save_article(ws, "2026-10", "01-first.md", opened["fields"], "\n新的正文。\n", expected_version=opened["version"])
    again = edit.read_article(ws, "2026-10", "01-first.md")
    edit.save_article(ws, "2026-10", "01-first.md", again["fields"], "\n再改一次。\n", expected_version=again["version"])
    assert "再改一次" in (root / ARTICLE).read_text(encoding="utf-8")


def test_no_expected_version_saves_as_today(root):
    ws = Workspace(root)
    (root / ARTICLE).write_text((root / ARTICLE).read_text(encoding="utf-8") + "\n别人加的一段。\n", encoding="utf-8")
    fields = edit.read_article(ws, "2026-10", "01-first.md")["fields"]
    edit.save_article(ws, "2026-10", "01-first.md", fields, "\n覆盖。\n")
    assert "覆盖" in (root / ARTICLE).read_text(encoding="utf-8")
    edit.set_editor_note(ws, "2026-10", "按语")
    edit.move_article(ws, "2026-10", "02-second.md", -1, expected_version=None)


def test_a_cli_change_meanwhile_refuses_the_web_save(root):
    """The web opened the article; `bulletin lint --fix` (the CLI) changed it; the web's save is refused."""
    ws = Workspace(root)
    (root / ARTICLE).write_text((root / ARTICLE).read_text(encoding="utf-8") + "\n工作全面完成,成效明显。\n",
                                encoding="utf-8")
    opened = edit.read_article(ws, "2026-10", "01-first.md")
    run("lint", "--fix", str(root / ARTICLE), workspace=root)
    assert "完成，成效" in (root / ARTICLE).read_text(encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(Conflict):
        edit.save_article(ws, "2026-10", "01-first.md", opened["fields"], opened["body"],
                          expected_version=opened["version"])
    assert snapshot(root) == before


def test_a_cli_add_meanwhile_refuses_the_web_order(root, tmp_path):
    ws = Workspace(root)
    opened = file_version(root / ISSUE)
    new = tmp_path / "03-third.md"
    new.write_text("---\ntitle: 第三篇\nsource: 市统计局\n---\n\n正文。\n", encoding="utf-8")
    ok(run("add", "2026-10", str(new), workspace=root))
    before = snapshot(root)
    with pytest.raises(Conflict) as caught:
        edit.move_article(ws, "2026-10", "02-second.md", -1, expected_version=opened)
    assert snapshot(root) == before
    assert "03-third.md" in caught.value.text and caught.value.version == file_version(root / ISSUE)


ISSUE_EDITS = {
    "move": lambda ws, v: edit.move_article(ws, "2026-10", "02-second.md", -1, expected_version=v),
    "remove": lambda ws, v: edit.remove_article(ws, "2026-10", "02-second.md", expected_version=v),
    "order": lambda ws, v: edit.set_article_order(ws, "2026-10", ["02-second.md", "01-first.md"], expected_version=v),
    "note": lambda ws, v: edit.set_editor_note(ws, "2026-10", "按语", expected_version=v),
    "people": lambda ws, v: edit.set_people(ws, "2026-10", {"editor": "赵××"}, expected_version=v),
    "lists": lambda ws, v: distribution.set_lists(ws, "2026-10", ["short"], expected_version=v),
    "add_recipient": lambda ws, v: distribution.add_recipient(ws, "2026-10", "towns", expected_version=v),
    "remove_recipient": lambda ws, v: distribution.remove_recipient(ws, "2026-10", "shiwei", expected_version=v),
    "add_extra": lambda ws, v: distribution.add_extra(ws, "2026-10", "市档案馆", expected_version=v),
    "copies": lambda ws, v: distribution.set_copies(ws, "2026-10", "99", expected_version=v),
}


@pytest.mark.parametrize("name", sorted(ISSUE_EDITS))
def test_every_issue_yaml_edit_is_refused_against_a_changed_file(root, name):
    ws = Workspace(root)
    opened = file_version(root / ISSUE)
    text = (root / ISSUE).read_text(encoding="utf-8")
    (root / ISSUE).write_text(text.replace('editor_note: ""', 'editor_note: "别人写的按语"'), encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(Conflict) as caught:
        ISSUE_EDITS[name](ws, opened)
    assert snapshot(root) == before
    assert "别人写的按语" in caught.value.text
    ISSUE_EDITS[name](ws, file_version(root / ISSUE))   # from the version as it is now: saved
    assert snapshot(root) != before


def test_the_issue_edits_accept_the_current_version(root):
    ws = Workspace(root)
    edit.set_editor_note(ws, "2026-10", "第一次", expected_version=file_version(root / ISSUE))
    edit.set_editor_note(ws, "2026-10", "第二次", expected_version=file_version(root / ISSUE))
    assert "第二次" in (root / ISSUE).read_text(encoding="utf-8")


@pytest.mark.parametrize("name", ["fix", "field"])
def test_the_other_article_edits_are_refused_against_a_changed_file(root, name):
    ws = Workspace(root)
    path = root / ARTICLE
    opened = file_version(path)
    path.write_text(path.read_text(encoding="utf-8") + "\n工作全面完成,成效明显。\n", encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(Conflict):
        if name == "fix":
            edit.fix_article(ws, "2026-10", "01-first.md", expected_version=opened)
        else:
            edit.set_article_field(ws, "2026-10", "01-first.md", "section", "新栏目", expected_version=opened)
    assert snapshot(root) == before


def test_a_conflict_is_said_in_chinese(root):
    from bulletin.i18n import speaking

    ws = Workspace(root)
    opened = file_version(root / ISSUE)
    edit.set_editor_note(ws, "2026-10", "甲")
    with speaking("zh"), pytest.raises(Conflict) as caught:
        edit.set_editor_note(ws, "2026-10", "乙", expected_version=opened)
    assert "他人" in caught.value.diagnostics[0].format()


DIRECTORY_EDITS = {
    "add_recipient": lambda ws, v: directory.add_recipient(ws, "dangan", "市档案馆", "送", 1, expected_version=v),
    "edit_recipient": lambda ws, v: directory.edit_recipient(ws, "renda", "市人大常委会办公厅", "报", 1,
                                                             expected_version=v),
    "remove_recipient": lambda ws, v: directory.remove_recipient(ws, "towns", expected_version=v),
    "add_list": lambda ws, v: directory.add_list(ws, "new", ["renda"], expected_version=v),
    "set_list_members": lambda ws, v: directory.set_list_members(ws, "short", ["renda"], expected_version=v),
    "rename_list": lambda ws, v: directory.rename_list(ws, "short", "brief", expected_version=v),
    "remove_list": lambda ws, v: directory.remove_list(ws, "short", expected_version=v),
}


@pytest.mark.parametrize("name", sorted(DIRECTORY_EDITS))
def test_every_directory_edit_is_refused_against_a_changed_recipients_yaml(root, name):
    ws = Workspace(root)
    path = root / "recipients.yaml"
    opened = file_version(path)
    path.write_text(path.read_text(encoding="utf-8") + "# 别人加的注释\n", encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(Conflict) as caught:
        DIRECTORY_EDITS[name](ws, opened)
    assert snapshot(root) == before and "别人加的注释" in caught.value.text
    DIRECTORY_EDITS[name](Workspace(root), file_version(path))
    assert snapshot(root) != before


def test_the_directory_page_reads_the_version_of_what_it_shows(root):
    assert directory.directory_view(Workspace(root))["version"] == file_version(root / "recipients.yaml")
