"""A published issue keeps the distribution it was printed with: `publish` records it in issue.yaml
(published.distribution), everything that prints the issue prints the record, and the recipient
directory may then change under it. Issues published before the record existed keep resolving
against recipients.yaml, and the directory edits that would change them stay refused."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from ruamel.yaml import YAML

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_support import ISSUE_YAML, snapshot, write_workspace  # noqa: E402

from bulletin.commands import directory, distribution  # noqa: E402
from bulletin.commands.check import check  # noqa: E402
from bulletin.commands.publish import publish  # noqa: E402
from bulletin.commands.render import render  # noqa: E402
from bulletin.errors import BulletinError  # noqa: E402
from bulletin.store.workspace import Workspace  # noqa: E402

ISSUE = "issues/2026/10/issue.yaml"
# Issue 10 goes to `default` without 市人大常委会办公室, plus 各镇（街道）and a one-off 市档案馆:
# 报 市委办公室 2, 送 各区人民政府 12, 发 各镇（街道） 7, 本期增发 市档案馆 1, archive 5 → 共印 27.
ISSUE_10 = ISSUE_YAML.replace("  add: []\n", "  add: [towns]\n").replace(
    "  remove: []\n", "  remove: [renda]\n").replace("  extra: []\n", "  extra:\n    - 市档案馆\n")
LEGACY = ISSUE_10.replace("status: draft", "status: published")  # published before the record existed


def ws_of(root: Path) -> Workspace:
    return Workspace(root)  # a fresh view, as each command has


def issue_text(root: Path) -> str:
    return (root / ISSUE).read_text(encoding="utf-8")


def issue_data(root: Path) -> dict:
    return YAML(typ="safe").load(issue_text(root))


def printed(root: Path, tmp_path: Path, tag: str, volume: bool = True) -> dict[str, bytes]:
    """Every way the issue is printed, as bytes: the .docx, the web page (distribution shown), the
    register (.csv and .docx), the bound volume (of a published issue); and what `list` and `show`
    say of its copies."""
    from bulletin.commands.compile import build_volume
    from bulletin.commands.render import render_html
    from bulletin.commands.reports import issue_detail, issue_rows, register_csv, register_docx_bytes

    ws = ws_of(root)
    docx = render(ws, "10", tmp_path / f"{tag}.docx").path.read_bytes()
    html = render_html(ws_of(root), "10", tmp_path / f"{tag}-web").path.read_bytes()
    detail = issue_detail(ws_of(root), "10")
    out = {"docx": docx, "html": html, "csv": register_csv(ws_of(root), "10").encode(),
           "register": register_docx_bytes(ws_of(root), "10"),
           "list": repr([row["copies"] for row in issue_rows(ws_of(root))]).encode(),
           "show": repr((detail["distribution"], detail["copies"])).encode()}
    if volume:
        out["volume"] = build_volume(ws_of(root), 2026).data
    return out


def change_the_directory(root: Path) -> None:
    """A year's changes of the directory, through the workbench's edits: a recipient renamed, one's
    copies changed, one taken out of `default`, one the issue names deleted, a list renamed."""
    directory.edit_recipient(ws_of(root), "shiwei", "中共××市委办公室", "报", 2)
    directory.edit_recipient(ws_of(root), "districts", "各区人民政府", "送", 15)
    directory.set_list_members(ws_of(root), "default", ["shiwei", "districts"])
    directory.remove_recipient(ws_of(root), "towns")
    directory.rename_list(ws_of(root), "default", "units-2027")


@pytest.fixture
def web_root(tmp_path) -> Path:
    from cli_support import CONFIG_TOML

    config = CONFIG_TOML + "\n[web]\npublic = true\nshow_distribution = true\n"
    return write_workspace(tmp_path / "ws", issue_yaml=ISSUE_10, config=config)


# --- the record -----------------------------------------------------------------------------------------

def test_publish_records_the_distribution_in_print_order_and_keeps_the_other_lines(web_root):
    publish(ws_of(web_root), "10")
    record = issue_data(web_root)["published"]["distribution"]
    assert record["recipients"] == [{"role": "报", "id": "shiwei", "name": "市委办公室", "copies": 2},
                                    {"role": "送", "id": "districts", "name": "各区人民政府", "copies": 12},
                                    {"role": "发", "id": "towns", "name": "各镇（街道）", "copies": 7}]
    assert record["extra"] == ["市档案馆"] and record["archive_copies"] == 5 and record["copies"] == 27
    assert len(record["sha256"]) == 64
    # one recipient a line, as a person would write it; the lines before published: as they were
    text = issue_text(web_root)
    assert "      - {role: 报, id: shiwei, name: 市委办公室, copies: 2}\n" in text
    before = [line for line in ISSUE_10.splitlines() if not line.startswith(("status:", "people:"))]
    assert [line for line in text.split("published:")[0].splitlines()
            if not line.startswith(("status:", "people:"))] == before
    meta, _loaded = ws_of(web_root).load_issue(ws_of(web_root).resolve("10"))
    assert meta.published.distribution.copies == 27
    assert check(ws_of(web_root)) == []


def test_names_yaml_would_misread_round_trip_through_the_record(web_root, tmp_path):
    odd = ["市委办公室, 机要室", "#1 市政府: 办公厅", "{各区} 政府"]
    odd_extra = ["'引号' \"双引号\"", "- 列表", "null", "020"]
    for (rid, role), name in zip([("shiwei", "报"), ("districts", "送"), ("towns", "发")], odd):
        directory.edit_recipient(ws_of(web_root), rid, name, role, 2)
    for name in odd_extra:
        distribution.add_extra(ws_of(web_root), "10", name)
    draft = render(ws_of(web_root), "10", tmp_path / "draft.docx").path.read_bytes()
    publish(ws_of(web_root), "10")
    assert check(ws_of(web_root)) == []
    names = [r["name"] for r in issue_data(web_root)["published"]["distribution"]["recipients"]]
    assert names == odd
    assert issue_data(web_root)["published"]["distribution"]["extra"] == ["市档案馆", *odd_extra]
    directory.edit_recipient(ws_of(web_root), "shiwei", "市委办公室", "报", 1)
    assert render(ws_of(web_root), "10", tmp_path / "after.docx").path.read_bytes() == draft


def test_publishing_prints_the_same_bytes_as_the_draft(web_root, tmp_path):
    draft = printed(web_root, tmp_path, "draft", volume=False)
    publish(ws_of(web_root), "10")
    after = printed(web_root, tmp_path, "published", volume=False)
    assert {name: hashlib.sha256(data).hexdigest() for name, data in after.items()} == \
        {name: hashlib.sha256(data).hexdigest() for name, data in draft.items()}


def test_a_published_issue_prints_the_same_bytes_after_the_directory_changes(web_root, tmp_path):
    publish(ws_of(web_root), "10")
    before = printed(web_root, tmp_path, "before")
    change_the_directory(web_root)
    assert "中共××市委办公室" in (web_root / "recipients.yaml").read_text(encoding="utf-8")
    after = printed(web_root, tmp_path, "after")
    for name in before:
        assert after[name] == before[name], name
    assert check(ws_of(web_root)) == []
    view = distribution.distribution_view(ws_of(web_root), "10")
    assert [r["name"] for g in view["roles"] for r in g["recipients"]] == ["市委办公室", "各区人民政府", "各镇（街道）"]
    assert view["copies"] == 27 and view["extra"] == ["市档案馆"]


def test_a_draft_follows_the_directory_while_the_published_issue_keeps_its_record(web_root, tmp_path):
    import datetime

    from bulletin.commands.new import new_issue

    publish(ws_of(web_root), "10")
    new_issue(ws_of(web_root), date=datetime.date(2026, 12, 1))
    directory.edit_recipient(ws_of(web_root), "shiwei", "中共××市委办公室", "报", 3)
    from bulletin.commands.reports import issue_rows

    copies = {row["issue"]: row["copies"] for row in issue_rows(ws_of(web_root))}
    assert copies == {"2026-10": 27, "2026-11": 21}  # 11: default 3 + 1 + 12, archive 5


def test_the_site_shows_the_recorded_distribution(web_root, tmp_path):
    from bulletin.commands.site import site

    publish(ws_of(web_root), "10")
    site(ws_of(web_root), tmp_path / "site-1")
    change_the_directory(web_root)
    site(ws_of(web_root), tmp_path / "site-2")
    page = "issues/2026-10/index.html"
    assert (tmp_path / "site-2" / page).read_bytes() == (tmp_path / "site-1" / page).read_bytes()
    assert "市委办公室" in (tmp_path / "site-2" / page).read_text(encoding="utf-8")


# --- the checksum of the record -------------------------------------------------------------------------

def test_a_record_changed_by_hand_is_named_and_a_forced_render_records_the_correction(web_root, tmp_path):
    publish(ws_of(web_root), "10")
    path = web_root / ISSUE
    path.write_text(issue_text(web_root).replace("copies: 27", "copies: 30"), encoding="utf-8")
    found = check(ws_of(web_root))
    assert [d.severity for d in found] == ["error"]
    assert "published.distribution" in found[0].message and found[0].path == ISSUE
    assert issue_text(web_root).splitlines()[found[0].line - 1].strip() == "distribution:"
    before = snapshot(web_root)
    with pytest.raises(BulletinError) as refused:
        render(ws_of(web_root), "10")
    assert "published.distribution" in refused.value.diagnostics[0].message
    assert snapshot(web_root) == before
    render(ws_of(web_root), "10", force=True, reason="共印改为30份")
    assert check(ws_of(web_root)) == []
    data = issue_data(web_root)["published"]
    assert data["distribution"]["copies"] == 30
    assert data["forced"][-1]["changed"] == ["published.distribution (changed)"]
    from bulletin.commands.reports import register_csv

    assert register_csv(ws_of(web_root), "10").endswith(",合计,,30,\r\n")


def test_a_correction_of_an_article_keeps_the_recorded_distribution(web_root, tmp_path):
    publish(ws_of(web_root), "10")
    record = issue_data(web_root)["published"]["distribution"]
    change_the_directory(web_root)
    article = web_root / "issues/2026/10/01-first.md"
    article.write_text(article.read_text(encoding="utf-8").replace("成立工作专班", "成立工作领导小组"), encoding="utf-8")
    render(ws_of(web_root), "10", force=True, reason="更正第1篇用语")
    assert issue_data(web_root)["published"]["distribution"] == record
    assert check(ws_of(web_root)) == []


@pytest.mark.parametrize("old, new, words", [
    ("copies: 2}", "copies: 0}", "copies in item 1 of recipients"),
    ("{role: 报,", "{role: 抄,", "role in item 1 of recipients"),
    ("name: 市委办公室,", "name: '',", "name in item 1 of recipients"),
])
def test_a_bad_record_is_named_with_its_line(web_root, old, new, words):
    publish(ws_of(web_root), "10")
    text = issue_text(web_root)
    assert old in text
    (web_root / ISSUE).write_text(text.replace(old, new, 1), encoding="utf-8")
    found = [d for d in check(ws_of(web_root)) if d.severity == "error"]
    assert found and found[0].path == ISSUE and words in found[0].message, [d.format() for d in found]
    line = next(n for n, line in enumerate(text.splitlines(), 1) if old in line)
    assert found[0].line == line


# --- issues published before the record -----------------------------------------------------------------

def test_an_issue_published_before_keeps_resolving_and_the_directory_edits_stay_refused(tmp_path):
    root = write_workspace(tmp_path / "ws", issue_yaml=LEGACY)
    before = snapshot(root)
    with pytest.raises(BulletinError) as refused:
        directory.edit_recipient(ws_of(root), "shiwei", "中共××市委办公室", "报", 2)
    d = refused.value.diagnostics[0]
    assert d.path == ISSUE and "第10期（总第30期） (2026-10)" in d.message
    assert "bulletin render 2026-10 --force --reason" in d.hint
    assert snapshot(root) == before


def published_before(root: Path) -> Path:
    """Issue 10 as `publish` wrote it before the distribution was recorded: published.distribution
    taken out of what publish writes now."""
    publish(ws_of(root), "10")
    text = issue_text(root)
    head, record = text.split("\n  distribution:\n")
    assert "sha256:" in record and "\n" not in record.strip().split("sha256:")[1].strip()  # the last block
    (root / ISSUE).write_text(head + "\n", encoding="utf-8")
    return root


@pytest.mark.parametrize("kind", ["published by an older bulletin", "status: published by hand"])
def test_a_forced_render_records_the_distribution_of_an_issue_published_before(tmp_path, kind):
    if kind == "status: published by hand":
        root = write_workspace(tmp_path / "ws", issue_yaml=LEGACY)
    else:
        root = published_before(write_workspace(tmp_path / "ws", issue_yaml=ISSUE_10))
    assert check(ws_of(root)) == []
    frozen = issue_text(root)
    legacy = render(ws_of(root), "10", tmp_path / "legacy.docx").path.read_bytes()
    assert issue_text(root) == frozen  # a plain render writes nothing into issue.yaml
    with pytest.raises(BulletinError):  # still held by the directory
        directory.edit_recipient(ws_of(root), "shiwei", "中共××市委办公室", "报", 2)
    report = render(ws_of(root), "10", tmp_path / "frozen.docx", force=True, reason="记录分发范围")
    assert any("recipients.yaml" in note for note in report.notes)
    data = issue_data(root)["published"]
    assert data["distribution"]["copies"] == 27 and data["forced"][-1]["reason"] == "记录分发范围"
    assert data["forced"][-1]["changed"] == ["published.distribution (added)"]
    assert set(data["sources"]) == {"01-first.md", "02-second.md"}
    if kind == "published by an older bulletin":  # what it had stays as it was, the record follows it
        assert issue_text(root).startswith(frozen.rstrip("\n").rsplit("\n  output:", 1)[0])
    assert check(ws_of(root)) == []
    change_the_directory(root)
    assert render(ws_of(root), "10", tmp_path / "after.docx").path.read_bytes() == legacy
    assert check(ws_of(root)) == []


def test_only_the_issues_published_before_hold_the_directory(tmp_path):
    """Issue 10 has its record, issue 11 was published before: an edit that changes only 10's
    distribution goes through, one that changes 11's is refused naming 11 alone."""
    root = write_workspace(tmp_path / "ws", issue_yaml=ISSUE_10)
    publish(ws_of(root), "10")
    folder = root / "issues/2026/11"
    folder.mkdir()
    (folder / "issue.yaml").write_text(ISSUE_YAML.replace("number: 10", "number: 11").replace("total: 30", "total: 31")
                                       .replace("2026-11-20", "2026-11-27").replace("status: draft", "status: published")
                                       .replace("lists: [default]", "lists: [short]").replace(
                                           "  - 02-second.md\n", ""), encoding="utf-8")
    (folder / "01-first.md").write_bytes((root / "issues/2026/10/01-first.md").read_bytes())
    directory.edit_recipient(ws_of(root), "districts", "各区人民政府", "送", 15)  # 10 only: allowed
    directory.remove_recipient(ws_of(root), "towns")                            # 10 names it in add: allowed
    with pytest.raises(BulletinError) as refused:
        directory.edit_recipient(ws_of(root), "shiwei", "中共××市委办公室", "报", 2)  # 11 prints it
    assert [d.path for d in refused.value.diagnostics] == ["issues/2026/11/issue.yaml"]
