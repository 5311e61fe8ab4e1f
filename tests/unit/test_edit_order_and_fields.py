"""The core functions behind the issue page's drag and drop, its 栏目 fields and the volume download:
commands.edit.set_article_order and set_article_field, commands.compile.build_volume, and
rules.columns.columns_apart (the column warning `bulletin check` gives)."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_support import ISSUE_YAML, run, snapshot, write_workspace  # noqa: E402

from bulletin.errors import BulletinError  # noqa: E402
from bulletin.rules.columns import ColumnApart, columns_apart  # noqa: E402
from bulletin.store.workspace import Workspace  # noqa: E402

ISSUE = "issues/2026/10/issue.yaml"


@pytest.fixture
def root(tmp_path) -> Path:
    return write_workspace(tmp_path / "ws")


def articles(root: Path) -> list[str]:
    ws = Workspace(root)
    return ws.load_issue(ws.resolve("2026-10"))[0].articles


# --- set_article_order ------------------------------------------------------------------------------

def test_the_order_is_set_and_comments_in_the_list_stay(root):
    from bulletin.commands.edit import set_article_order

    (root / ISSUE).write_text(ISSUE_YAML.replace("articles:\n", "articles:   # in print order\n"), encoding="utf-8")
    set_article_order(Workspace(root), "2026-10", ["02-second.md", "01-first.md"])
    assert articles(root) == ["02-second.md", "01-first.md"]
    assert "articles:   # in print order\n  - 02-second.md\n  - 01-first.md\n" in (root / ISSUE).read_text(encoding="utf-8")


def test_the_same_order_changes_nothing_but_is_accepted(root):
    from bulletin.commands.edit import set_article_order

    set_article_order(Workspace(root), "2026-10", ["01-first.md", "02-second.md"])
    assert articles(root) == ["01-first.md", "02-second.md"]


@pytest.mark.parametrize("names", [[], ["01-first.md"], ["01-first.md", "01-first.md"],
                                   ["01-first.md", "02-second.md", "02-second.md"],
                                   ["02-second.md", "03-new.md"], ["01-first.md", "02-second.md", "03-new.md"]])
def test_anything_but_a_permutation_is_refused_and_nothing_written(root, names):
    from bulletin.commands.edit import set_article_order

    before = snapshot(root)
    with pytest.raises(BulletinError) as caught:
        set_article_order(Workspace(root), "2026-10", names)
    (d,) = caught.value.diagnostics
    assert d.path.endswith("issue.yaml") and d.line == 7 and "changed meanwhile" in d.message and "reload" in d.hint
    assert snapshot(root) == before


def test_the_order_of_a_published_issue_is_refused(root):
    from bulletin.commands.edit import set_article_order

    (root / ISSUE).write_text(ISSUE_YAML.replace("status: draft", "status: published"), encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(BulletinError, match="published"):
        set_article_order(Workspace(root), "2026-10", ["02-second.md", "01-first.md"])
    assert snapshot(root) == before


# --- set_article_field -----------------------------------------------------------------------------

def test_a_field_is_set_and_the_body_and_other_lines_stay_byte_for_byte(root):
    from bulletin.commands.edit import set_article_field

    path = root / "issues/2026/10/01-first.md"
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n") + "\r\n\r\n"   # Windows lines, a blank tail
    path.write_bytes(text.encode("utf-8"))
    set_article_field(Workspace(root), "2026-10", "01-first.md", "section", "要闻\t速递")
    assert path.read_bytes().decode("utf-8") == text.replace("section: 工作动态", "section: 要闻 速递")


def test_a_new_field_is_added_and_an_empty_one_not_added(root):
    from bulletin.commands.edit import set_article_field

    path = root / "issues/2026/10/01-first.md"
    before = path.read_text(encoding="utf-8")
    set_article_field(Workspace(root), "2026-10", "01-first.md", "author", "")
    assert path.read_text(encoding="utf-8") == before
    set_article_field(Workspace(root), "2026-10", "01-first.md", "author", "王伟")
    assert path.read_text(encoding="utf-8") == before.replace("section: 工作动态\n", "section: 工作动态\nauthor: 王伟\n")


def test_a_value_yaml_would_misread_is_written_as_text(root):
    from bulletin.commands.edit import set_article_field

    ws = Workspace(root)
    set_article_field(ws, "2026-10", "01-first.md", "section", "要闻: #1 [特稿]")
    article, _loaded = ws.load_article(root / "issues/2026/10/01-first.md")
    assert article.section == "要闻: #1 [特稿]"


@pytest.mark.parametrize("name, field, words", [("99-none.md", "section", "not in this issue"),
                                                ("../issue.yaml", "section", "not in this issue"),
                                                ("01-first.md", "body", "unknown field"),
                                                ("01-first.md", "title", "")])
def test_bad_names_and_fields_are_refused_and_nothing_written(root, name, field, words):
    from bulletin.commands.edit import set_article_field

    before = snapshot(root)
    with pytest.raises(BulletinError) as caught:
        set_article_field(Workspace(root), "2026-10", name, field, "")  # an emptied title: refused by the check
    assert words in caught.value.diagnostics[0].message
    assert snapshot(root) == before


def test_a_field_of_a_published_issue_is_refused(root):
    from bulletin.commands.edit import set_article_field

    (root / ISSUE).write_text(ISSUE_YAML.replace("status: draft", "status: published"), encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(BulletinError, match="published"):
        set_article_field(Workspace(root), "2026-10", "01-first.md", "section", "要闻")
    assert snapshot(root) == before


# --- columns_apart --------------------------------------------------------------------------------

def test_columns_apart_names_each_article_that_starts_its_column_again():
    assert columns_apart([]) == []
    assert columns_apart([("a", "动态"), ("b", ""), ("c", "动态"), ("d", "交流")]) == []  # b stays in 动态
    assert columns_apart([("a", "动态"), ("b", "交流"), ("c", "动态"), ("d", "交流"), ("e", "动态")]) == [
        ColumnApart(2, "c", "动态", "a"), ColumnApart(3, "d", "交流", "b"), ColumnApart(4, "e", "动态", "c")]


# --- build_volume ---------------------------------------------------------------------------------

def test_build_volume_is_what_compile_writes_and_writes_nothing(root, tmp_path):
    from bulletin.commands.compile import build_volume

    assert run("publish", "2026-10", workspace=root).returncode == 0
    before = snapshot(root)
    volume = build_volume(Workspace(root), 2026)
    assert snapshot(root) == before
    assert volume.filename == "测试简报-2026-合订本.docx" and volume.notes == []
    out = tmp_path / "v.docx"
    assert run("compile", "2026", "-o", str(out), workspace=root).returncode == 0
    assert out.read_bytes() == volume.data


def test_build_volume_of_a_year_without_published_issues_says_what_to_do(root):
    from bulletin.commands.compile import build_volume

    with pytest.raises(BulletinError) as caught:
        build_volume(Workspace(root), 2026)
    assert "no published issues of 2026" in caught.value.diagnostics[0].message
    with pytest.raises(BulletinError, match="no issues of 2025"):
        build_volume(Workspace(root), 2025)
