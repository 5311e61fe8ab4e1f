"""The core edits of an issue's distribution (commands.distribution) and of recipients.yaml
(commands.directory): what each writes, what each refuses, and that nothing else changes."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_support import ISSUE_YAML, RECIPIENTS_YAML, snapshot, write_workspace  # noqa: E402

from bulletin.commands import directory, distribution  # noqa: E402
from bulletin.commands.check import check  # noqa: E402
from bulletin.errors import BulletinError  # noqa: E402
from bulletin.store.workspace import Workspace  # noqa: E402

ISSUE = "issues/2026/10/issue.yaml"
PUBLISHED = ISSUE_YAML.replace("status: draft", "status: published")


@pytest.fixture
def root(tmp_path) -> Path:
    return write_workspace(tmp_path / "ws")


def ws_of(root: Path) -> Workspace:
    return Workspace(root)  # a fresh view, as each web request and each command has


def issue_text(root: Path) -> str:
    return (root / ISSUE).read_text(encoding="utf-8")


def recipients_text(root: Path) -> str:
    return (root / "recipients.yaml").read_text(encoding="utf-8")


def view(root: Path) -> dict:
    return distribution.distribution_view(ws_of(root), "10")


def names(root: Path) -> list[str]:
    return [r["name"] for group in view(root)["roles"] for r in group["recipients"]]


def outside_distribution(text: str) -> list[str]:
    """The lines of issue.yaml outside `distribution:` and `copies:` (people's flow mapping aside, which
    ruamel writes back with its own spacing)."""
    lines, inside = [], False
    for line in text.splitlines():
        if line.startswith("distribution:"):
            inside = True
            continue
        if inside and line.startswith(" "):
            continue
        inside = False
        if not line.startswith(("copies:", "people:")):
            lines.append(line)
    return lines


# --- one issue's distribution ----------------------------------------------------------------------------

def test_taking_out_a_list_member_writes_remove_and_adding_it_back_clears_it(root):
    assert view(root)["copies"] == 20
    distribution.remove_recipient(ws_of(root), "10", "renda")
    text = issue_text(root)
    assert "remove: [renda]\n" in text and "add: []" in text
    assert "市人大常委会办公室" not in names(root) and view(root)["copies"] == 19
    assert [r["id"] for r in view(root)["removed"]] == ["renda"]
    distribution.add_recipient(ws_of(root), "10", "renda")
    assert "renda" not in issue_text(root) and view(root)["copies"] == 20 and view(root)["removed"] == []
    assert outside_distribution(issue_text(root)) == outside_distribution(ISSUE_YAML)


def test_a_recipient_from_no_list_goes_under_add_and_comes_off_it(root):
    distribution.add_recipient(ws_of(root), "10", "towns")
    assert "add: [towns]\n" in issue_text(root)
    towns = [r for g in view(root)["roles"] for r in g["recipients"] if r["id"] == "towns"]
    assert towns and towns[0]["added"] and view(root)["copies"] == 27
    distribution.add_recipient(ws_of(root), "10", "towns")  # twice: still once
    assert issue_text(root).count("towns") == 1
    distribution.remove_recipient(ws_of(root), "10", "towns")
    assert "towns" not in issue_text(root) and view(root)["copies"] == 20


def test_lists_are_written_in_the_directory_order_and_checked(root):
    distribution.set_lists(ws_of(root), "10", ["short"])
    assert "lists: [short]" in issue_text(root) and view(root)["copies"] == 2 + 5
    distribution.set_lists(ws_of(root), "10", ["short", "default"])
    assert "lists: [default, short]" in issue_text(root)
    before = snapshot(root)
    with pytest.raises(directory.FormRefused) as refused:
        distribution.set_lists(ws_of(root), "10", ["defualt"])
    assert "there is no list 'defualt'" in refused.value.fields["lists"][0]
    assert "did you mean 'default'?" in refused.value.fields["lists"][0]
    with pytest.raises(directory.FormRefused) as refused:
        distribution.set_lists(ws_of(root), "10", [])
    assert "choose at least one list" in refused.value.fields["lists"][0]
    assert snapshot(root) == before


def test_an_unknown_recipient_is_named_with_a_suggestion_and_nothing_is_written(root):
    before = snapshot(root)
    for action in (distribution.add_recipient, distribution.remove_recipient):
        with pytest.raises(directory.FormRefused) as refused:
            action(ws_of(root), "10", "rneda")
        assert refused.value.fields["recipient"] == [
            "there is no recipient 'rneda' in recipients.yaml（did you mean 'renda'?）"]
        assert refused.value.diagnostics[0].path == "recipients.yaml"
    assert snapshot(root) == before


def test_one_off_recipients_are_added_once_and_removed(root):
    distribution.add_extra(ws_of(root), "10", "  市档案馆\n")
    assert "extra:\n    - 市档案馆\n" in issue_text(root)
    assert view(root)["extra"] == ["市档案馆"] and view(root)["copies"] == 21
    before = snapshot(root)
    for typed, words in (("市档案馆", "already"), ("", "must not be empty"), ("市委办公室", "recipient directory"),
                         ("长" * 101, "longer than 100")):
        with pytest.raises(directory.FormRefused) as refused:
            distribution.add_extra(ws_of(root), "10", typed)
        assert words in refused.value.fields["extra"][0]
    with pytest.raises(directory.FormRefused):
        distribution.remove_extra(ws_of(root), "10", "市方志办")
    assert snapshot(root) == before
    distribution.remove_extra(ws_of(root), "10", "市档案馆")
    assert "extra: []" in issue_text(root) and view(root)["copies"] == 20


def test_the_copies_override_is_set_checked_and_cleared(root):
    distribution.set_copies(ws_of(root), "10", "３０")  # full-width digits, as an IME types them
    assert "copies: 30\n" in issue_text(root) and view(root)["copies"] == 30 and view(root)["override"] == 30
    before = snapshot(root)
    for typed, words in (("0", "whole number"), ("abc", "whole number"), ("-3", "whole number"),
                         ("14", "fewer than the 15 copies sent out")):
        with pytest.raises(directory.FormRefused) as refused:
            distribution.set_copies(ws_of(root), "10", typed)
        assert words in refused.value.fields["copies"][0]
    assert snapshot(root) == before
    distribution.set_copies(ws_of(root), "10", "")
    assert "copies: null\n" in issue_text(root) and view(root)["copies"] == 20


def test_every_edit_of_a_published_issue_is_refused_and_nothing_is_written(tmp_path):
    root = write_workspace(tmp_path / "ws", issue_yaml=PUBLISHED)
    before = snapshot(root)
    for edit in (lambda ws: distribution.set_lists(ws, "10", ["short"]),
                 lambda ws: distribution.add_recipient(ws, "10", "towns"),
                 lambda ws: distribution.remove_recipient(ws, "10", "renda"),
                 lambda ws: distribution.add_extra(ws, "10", "市档案馆"),
                 lambda ws: distribution.set_copies(ws, "10", "40")):
        with pytest.raises(BulletinError) as refused:
            edit(ws_of(root))
        assert "published and frozen" in refused.value.diagnostics[0].message
    assert snapshot(root) == before
    assert view(root)["published"]


# --- recipients.yaml --------------------------------------------------------------------------------------

COMMENTED = "# 接收单位：报（上级）送（平级）发（下级）\n" + RECIPIENTS_YAML.replace(
    "  - id: towns\n", "  # 各镇街道统一发放\n  - id: towns\n")


def test_a_new_recipient_is_added_with_its_lists_and_the_comments_stay(tmp_path):
    root = write_workspace(tmp_path / "ws", recipients=COMMENTED)
    change = directory.add_recipient(ws_of(root), "shuju", "市数据局", "送", "3", "", ["default"])
    assert change.written == ["recipients.yaml"]
    text = recipients_text(root)
    assert text.startswith(COMMENTED.split("lists:")[0])  # every recipient's lines as they were
    assert "  - id: shuju\n    name: 市数据局\n    role: 送\n    copies: 3\n" in text
    assert "default: [shiwei, renda, districts, shuju]\n  short: [shiwei]\n" in text
    assert "# 各镇街道统一发放" in text
    assert view(root)["copies"] == 23  # the draft follows its list
    assert check(ws_of(root)) == []


def test_a_recipient_is_refused_field_by_field_and_nothing_is_written(root):
    before = snapshot(root)
    with pytest.raises(directory.FormRefused) as refused:
        directory.add_recipient(ws_of(root), "shiwei", "  ", "上", "0", "not-an-address", ["nope"])
    fields = refused.value.fields
    assert set(fields) == {"id", "name", "role", "copies", "email", "lists"}
    assert "taken by 市委办公室" in fields["id"][0]
    assert "one of 报, 送 or 发, not '上'" in fields["role"][0]
    assert "1 or more, not '0'" in fields["copies"][0]
    for rid in ("Shi Wei", "", "市委", "a/b"):
        with pytest.raises(directory.FormRefused) as refused:
            directory.add_recipient(ws_of(root), rid, "市委", "报", 1)
        assert list(refused.value.fields) == ["id"]
    assert snapshot(root) == before


def test_editing_a_recipient_keeps_its_id_and_the_defaults_the_file_leaves_out(root):
    directory.edit_recipient(ws_of(root), "renda", "市人大常委会办公厅", "报", "1")
    text = recipients_text(root)
    assert "  - id: renda\n    name: 市人大常委会办公厅\n    role: 报\n  - id: districts\n" in text
    directory.edit_recipient(ws_of(root), "renda", "市人大常委会办公厅", "报", "4", "rd@example.gov.cn")
    assert "    role: 报\n    copies: 4\n    email: rd@example.gov.cn\n" in recipients_text(root)
    assert view(root)["copies"] == 23
    with pytest.raises(directory.FormRefused) as refused:
        directory.edit_recipient(ws_of(root), "rend", "x", "报", 1)
    assert "did you mean 'renda'?" in refused.value.fields["id"][0]


def test_a_recipient_an_issue_names_is_not_removed_and_the_issue_is_named(root):
    distribution.add_recipient(ws_of(root), "10", "towns")
    before = snapshot(root)
    with pytest.raises(BulletinError) as refused:
        directory.remove_recipient(ws_of(root), "towns")
    d = refused.value.diagnostics[0]
    assert d.path == ISSUE and d.line and "第10期（总第30期） (2026-10) would no longer read" in d.message
    assert "unknown recipient id 'towns'" in d.message and "take it out of that issue's distribution" in d.hint
    assert snapshot(root) == before
    distribution.remove_recipient(ws_of(root), "10", "towns")
    directory.remove_recipient(ws_of(root), "towns")
    assert "towns" not in recipients_text(root) and check(ws_of(root)) == []


def test_removing_a_list_member_takes_it_out_of_every_list(root):
    directory.remove_recipient(ws_of(root), "shiwei")
    text = recipients_text(root)
    assert "shiwei" not in text and "default: [renda, districts]\n  short: []\n" in text
    assert view(root)["copies"] == 18


def test_lists_are_made_renamed_with_the_drafts_that_name_them_and_not_removed_while_named(root):
    directory.add_list(ws_of(root), "leaders", ["renda", "shiwei", "renda"])
    assert "  leaders: [renda, shiwei]\n" in recipients_text(root)
    directory.set_list_members(ws_of(root), "leaders", ["districts"])
    assert "  leaders: [districts]\n" in recipients_text(root)
    change = directory.rename_list(ws_of(root), "default", "all")
    assert sorted(change.written) == [ISSUE, "recipients.yaml"]
    assert "  all: [shiwei, renda, districts]\n" in recipients_text(root) and "lists: [all]" in issue_text(root)
    assert recipients_text(root).index("all:") < recipients_text(root).index("short:")  # the list keeps its place
    assert view(root)["copies"] == 20 and check(ws_of(root)) == []
    before = snapshot(root)
    with pytest.raises(BulletinError) as refused:
        directory.remove_list(ws_of(root), "all")
    assert "there is no list 'all'" in refused.value.diagnostics[0].message
    for bad, field in ((lambda ws: directory.add_list(ws, "short", []), "list"),
                       (lambda ws: directory.add_list(ws, "领导", []), "list"),
                       (lambda ws: directory.add_list(ws, "x", ["nobody"]), "members"),
                       (lambda ws: directory.rename_list(ws, "short", "all"), "new"),
                       (lambda ws: directory.set_list_members(ws, "nolist", []), "list")):
        with pytest.raises(directory.FormRefused) as refused:
            bad(ws_of(root))
        assert field in refused.value.fields
    assert snapshot(root) == before
    directory.remove_list(ws_of(root), "leaders")
    assert "leaders" not in recipients_text(root)


def test_renaming_default_gives_a_draft_that_named_no_list_the_new_name(tmp_path):
    root = write_workspace(tmp_path / "ws", issue_yaml=ISSUE_YAML.replace("lists: [default]", "lists: []"))
    directory.rename_list(ws_of(root), "default", "all")
    assert "lists: [all]" in issue_text(root) and view(root)["copies"] == 20


def test_a_published_issue_keeps_its_distribution_and_check_keeps_passing(tmp_path):
    root = write_workspace(tmp_path / "ws", issue_yaml=PUBLISHED)
    assert check(ws_of(root)) == []
    before = snapshot(root)
    for change in (lambda ws: directory.edit_recipient(ws, "shiwei", "市委办公室（机要室）", "报", 2),
                   lambda ws: directory.edit_recipient(ws, "shiwei", "市委办公室", "报", 3),
                   lambda ws: directory.edit_recipient(ws, "shiwei", "市委办公室", "送", 2),
                   lambda ws: directory.remove_recipient(ws, "renda"),
                   lambda ws: directory.set_list_members(ws, "default", ["shiwei"]),
                   lambda ws: directory.add_recipient(ws, "shuju", "市数据局", "送", 3, "", ["default"]),
                   lambda ws: directory.rename_list(ws, "default", "all"),
                   lambda ws: directory.remove_list(ws, "default")):
        with pytest.raises(BulletinError) as refused:
            change(ws_of(root))
        d = refused.value.diagnostics[0]
        assert d.path == ISSUE and "第10期（总第30期） (2026-10)" in d.message
        assert "a published issue's distribution must not change" in d.hint
    assert snapshot(root) == before
    # What it does not print may change: an e-mail address, a recipient or list it does not use.
    directory.edit_recipient(ws_of(root), "shiwei", "市委办公室", "报", 2, "sw@example.gov.cn")
    directory.add_recipient(ws_of(root), "shuju", "市数据局", "送", 3, "", ["short"])
    directory.edit_recipient(ws_of(root), "towns", "各镇（街道）办事处", "发", 8)
    directory.add_list(ws_of(root), "from-2027", ["shiwei", "shuju"])
    assert check(ws_of(root)) == []
    assert view(root)["copies"] == 20


def test_recipients_yaml_is_made_when_the_workspace_has_none(tmp_path):
    root = write_workspace(tmp_path / "ws", issue_yaml=ISSUE_YAML.replace("lists: [default]", "lists: []"))
    (root / "recipients.yaml").unlink()
    directory.add_recipient(ws_of(root), "shiwei", "市委办公室", "报", 2)
    directory.add_list(ws_of(root), "default", ["shiwei"])
    assert recipients_text(root) == ("recipients:\n  - id: shiwei\n    name: 市委办公室\n    role: 报\n    copies: 2\n"
                                     "lists:\n  default: [shiwei]\n")
    assert view(root)["copies"] == 7 and check(ws_of(root)) == []


def test_the_directory_view_groups_by_role_and_names_the_issues_using_each_list(root):
    data = directory.directory_view(ws_of(root))
    assert [g["role"] for g in data["roles"]] == ["报", "送", "发"]
    assert [r["id"] for r in data["roles"][0]["recipients"]] == ["shiwei", "renda"]
    assert data["roles"][0]["copies"] == 3
    lists = {lst["name"]: lst for lst in data["lists"]}
    assert lists["default"]["copies"] == 15 and lists["default"]["issues"] == ["第10期（总第30期）"]
    assert lists["short"]["issues"] == []


def test_the_register_csv_opens_in_excel(root):
    from bulletin.commands.reports import register_csv, register_name

    text = register_csv(ws_of(root), "10")
    assert text.startswith("\ufeff序号,类别,接收单位或个人,份数,签收\r\n")
    assert text.endswith(",合计,,20,\r\n")
    assert register_name(ws_of(root), "10", ".csv") == "测试简报-2026-第10期-分发登记表.csv"


def test_an_issue_that_names_no_list_names_default(tmp_path):
    root = write_workspace(tmp_path / "ws", issue_yaml=ISSUE_YAML.replace("lists: [default]", "lists: []"))
    before = snapshot(root)
    with pytest.raises(BulletinError) as refused:
        directory.remove_list(ws_of(root), "default")
    assert "there is no list 'default'" in refused.value.diagnostics[0].message
    assert snapshot(root) == before
