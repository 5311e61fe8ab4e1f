"""信息报送: items sent by units, kept as folders with item.yaml; the editors' decisions (采用, 综合采用,
退回, 留用) recorded with who and when, refused twice without 撤销, refused on a published issue; undo
takes the article or the roundup's part out again."""
from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

import pytest

from bulletin.commands import submissions as subs
from bulletin.errors import BulletinError
from bulletin.rules.permissions import LOCAL, Actor, Forbidden
from bulletin.store.workspace import Workspace
from tests.examples.submissions import department_docx

ZONE = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2026, 11, 20, 9, 30, tzinfo=ZONE)

CONFIG = """\
[series]
name = "测试简报"
editor = "测试办公室"
first = { year = 2026, number = 10, total = 30 }

[submissions]
units = ["市税务局", "市民政局", "城东区政务公开办"]
"""

ISSUE = """\
number: 10
total: 30
date: 2026-11-20
status: draft
articles:
  - 01-first.md
"""

ARTICLE = """\
---
title: 我市深化政务公开工作取得新成效
---
今年以来，我市持续深化政务公开。
"""

EDITOR = Actor("张明", frozenset({"editor"}))
TAX = Actor("李华", frozenset({"submitter"}), unit="市税务局")


def make_workspace(root: Path, config: str = CONFIG) -> Workspace:
    root.mkdir(parents=True, exist_ok=True)
    (root / "bulletin.toml").write_text(config, encoding="utf-8")
    folder = root / "issues" / "2026" / "10"
    folder.mkdir(parents=True)
    (folder / "issue.yaml").write_text(ISSUE, encoding="utf-8")
    (folder / "01-first.md").write_text(ARTICLE, encoding="utf-8")
    return Workspace(root)


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path / "ws")


def fresh(ws: Workspace) -> Workspace:
    return Workspace(ws.root)


def text_item(ws, actor=TAX, unit="市税务局", title="市税务局推行“非接触式”办税", at=AT):
    return subs.send(ws, actor, unit=unit, title=title,
                     text="今年以来，市税务局持续推行“非接触式”办税缴费服务。\n\n二是优化流程，办税时间压缩一半。",
                     now=at)


def test_an_item_is_a_numbered_folder_with_its_record(ws):
    first = text_item(ws)
    second = text_item(ws, unit="市税务局", at=AT + dt.timedelta(hours=1))
    assert first.ref == "2026-0001" and second.ref == "2026-0002"
    folder = ws.root / "submissions" / "2026" / "0001-市税务局"
    assert first.folder == folder and (folder / "item.yaml").is_file() and (folder / "text.md").is_file()
    record = (folder / "item.yaml").read_text(encoding="utf-8")
    assert "unit: 市税务局" in record and "sent_by: 李华" in record and "status: pending" in record
    assert "2026-11-20 09:30:00+08:00" in record
    assert [i.ref for i in subs.listing(ws)] == ["2026-0002", "2026-0001"]  # newest first
    assert subs.load(ws, "2026-1").title == "市税务局推行“非接触式”办税"
    assert subs.listing(ws, unit="市民政局") == []
    assert [i.ref for i in subs.listing(ws, status="pending")] == ["2026-0002", "2026-0001"]


def test_a_word_file_is_read_by_the_intake_when_sent(ws, tmp_path):
    docx = department_docx(tmp_path / "民政.docx")
    item = subs.send(ws, Actor("王芳", frozenset({"submitter"}), unit="市民政局"), unit="市民政局",
                     upload=("民政局报送.docx", docx.read_bytes()), now=AT)
    assert item.record.file == "original.docx" and item.file_path.read_bytes() == docx.read_bytes()
    assert item.title == "市民政局扎实推进“一网通办”改革"
    with pytest.raises(BulletinError) as refused:
        subs.send(ws, LOCAL, unit="市民政局", upload=("表格.xlsx", b"PK\x03\x04"), now=AT)
    assert "表格.xlsx" in str(refused.value.diagnostics[0].format())
    with pytest.raises(BulletinError) as empty:
        subs.send(ws, LOCAL, unit="市民政局", upload=("空.docx", b""), now=AT)
    assert empty.value.diagnostics[0].path == "空.docx"
    assert len(subs.listing(ws)) == 1  # nothing half-written


def test_a_submitter_sends_only_for_their_unit_and_only_known_units(ws):
    with pytest.raises(Forbidden):
        text_item(ws, unit="市民政局")
    with pytest.raises(Forbidden):
        text_item(ws, actor=EDITOR)
    with pytest.raises(BulletinError) as unknown:
        text_item(ws, actor=LOCAL, unit="市公安局")
    assert "市公安局" in unknown.value.diagnostics[0].message
    assert subs.listing(ws) == []


def test_units_without_a_list_come_from_the_recipients_and_the_sources(tmp_path):
    ws = make_workspace(tmp_path / "w", CONFIG.split("[submissions]")[0])
    (ws.root / "recipients.yaml").write_text("recipients:\n  - {id: tax, name: 市税务局, role: 送}\n",
                                             encoding="utf-8")
    (ws.root / "issues/2026/10/01-first.md").write_text(ARTICLE.replace("---\n今年", "---\n今年").replace(
        "title: 我市深化政务公开工作取得新成效", "title: 我市深化政务公开工作取得新成效\nsource: 城西区政务公开办"),
        encoding="utf-8")
    assert subs.units(fresh(ws)) == ["市税务局", "城西区政务公开办"]


def test_adopt_makes_an_article_with_the_unit_as_source_and_undo_takes_it_out(ws):
    item = text_item(ws)
    before = (ws.root / "issues/2026/10/issue.yaml").read_text(encoding="utf-8")
    name = subs.adopt(ws, item.ref, EDITOR, "10", now=AT + dt.timedelta(days=1))
    assert name == "市税务局.md"
    article = (ws.root / "issues/2026/10" / name).read_text(encoding="utf-8")
    assert "source: 市税务局" in article and "title: 市税务局推行“非接触式”办税" in article
    assert "二是优化流程" in article
    ws = fresh(ws)
    assert ws.load_issue(ws.resolve("10"))[0].articles == ["01-first.md", "市税务局.md"]
    item = subs.load(ws, item.ref)
    assert item.status == "adopted" and item.decision.by == "张明" and item.decision.issue == "2026-10"
    assert item.decision.article == "市税务局.md"
    with pytest.raises(BulletinError) as twice:
        subs.return_item(ws, item.ref, EDITOR, "不宜采用")
    assert "undo" in twice.value.diagnostics[0].format()
    assert subs.undo(ws, item.ref, EDITOR) == "pending"
    ws = fresh(ws)
    assert not (ws.root / "issues/2026/10" / name).exists()
    assert (ws.root / "issues/2026/10/issue.yaml").read_text(encoding="utf-8") == before
    record = subs.load(ws, item.ref).record
    assert [d.action for d in record.decisions] == ["adopt", "undo"] and record.status == "pending"


def test_a_word_item_is_adopted_through_the_same_intake_as_add(ws, tmp_path):
    docx = department_docx(tmp_path / "民政.docx")
    item = subs.send(ws, LOCAL, unit="市民政局", upload=("x.docx", docx.read_bytes()), now=AT)
    name = subs.adopt(ws, item.ref, LOCAL, "2026-10")
    folder = ws.root / "issues/2026/10"
    text = (folder / name).read_text(encoding="utf-8")
    assert "source: 市民政局" in text and "**“一网通办”**" in text and "市民政局-1.png" in text
    assert (folder / "市民政局-1.png").is_file()
    subs.undo(ws, item.ref, LOCAL)
    assert not (folder / "市民政局-1.png").exists() and not (folder / name).exists()


def test_combine_appends_parts_credited_to_units_and_undo_removes_just_one(ws):
    tax = text_item(ws)
    civil = subs.send(ws, LOCAL, unit="市民政局", title="市民政局开展政策宣讲",
                      text="市民政局在社区开展政策宣讲二十场。", now=AT)
    name = subs.combine(ws, tax.ref, EDITOR, "10")
    assert name == "综合信息.md"
    assert subs.combine(ws, civil.ref, EDITOR, "10", name) == name
    path = ws.root / "issues/2026/10" / name
    text = path.read_text(encoding="utf-8")
    assert "title: 综合信息" in text
    assert "**市税务局：**今年以来" in text and "**市民政局：**市民政局在社区" in text
    assert [i.ref for i in subs.combined_items(ws, "10", name)] == [tax.ref, civil.ref]
    assert subs.roundups(fresh(ws), "10") == [name]
    subs.undo(ws, tax.ref, EDITOR)
    text = path.read_text(encoding="utf-8")
    assert "市税务局" not in text and "**市民政局：**市民政局在社区" in text
    subs.undo(ws, civil.ref, EDITOR)
    assert not path.exists()
    assert fresh(ws).load_issue(fresh(ws).resolve("10"))[0].articles == ["01-first.md"]


def test_return_needs_a_reason_keep_may_still_be_adopted(ws):
    item = text_item(ws)
    with pytest.raises(BulletinError):
        subs.return_item(ws, item.ref, EDITOR, "  ")
    returned = subs.return_item(ws, item.ref, EDITOR, "数据需核实")
    assert returned.status == "returned" and returned.decision.reason == "数据需核实"
    subs.undo(ws, item.ref, EDITOR)
    assert subs.keep(ws, item.ref, EDITOR).status == "kept"
    with pytest.raises(BulletinError):
        subs.keep(ws, item.ref, EDITOR)
    subs.adopt(ws, item.ref, EDITOR, "10")
    assert subs.load(ws, item.ref).status == "adopted"
    subs.undo(ws, item.ref, EDITOR)
    assert subs.load(ws, item.ref).status == "kept"  # the undo cancels the adoption, not the keep


def test_only_editors_decide(ws):
    item = text_item(ws)
    for decide in (lambda a: subs.adopt(ws, item.ref, a, "10"), lambda a: subs.keep(ws, item.ref, a),
                   lambda a: subs.return_item(ws, item.ref, a, "不采用")):
        with pytest.raises(Forbidden):
            decide(TAX)
        with pytest.raises(Forbidden):
            decide(Actor("审核", frozenset({"reviewer"})))
    assert subs.load(ws, item.ref).status == "pending"


def test_decisions_on_a_published_issue_are_refused(ws):
    item = text_item(ws)
    subs.adopt(ws, item.ref, EDITOR, "10")
    path = ws.root / "issues/2026/10/issue.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: published"), encoding="utf-8")
    with pytest.raises(BulletinError) as refused:
        subs.undo(fresh(ws), item.ref, EDITOR)
    assert "published" in refused.value.diagnostics[0].message
    other = text_item(ws)
    with pytest.raises(BulletinError):
        subs.adopt(fresh(ws), other.ref, EDITOR, "10")
    with pytest.raises(BulletinError):
        subs.combine(fresh(ws), other.ref, EDITOR, "10")
    assert subs.load(ws, item.ref).status == "adopted" and subs.load(ws, other.ref).status == "pending"


def test_a_broken_item_yaml_is_named_with_its_line(ws):
    item = text_item(ws)
    path = item.folder / "item.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("status: pending", "status: adoptd"), encoding="utf-8")
    with pytest.raises(BulletinError) as broken:
        subs.listing(ws)
    d = broken.value.diagnostics[0]
    assert d.path == "submissions/2026/0001-市税务局/item.yaml"
    assert d.line == text.split("\n").index("status: pending") + 1 and "adoptd" in d.message
    path.write_text(text.replace("status: pending", "status: adopted"), encoding="utf-8")
    with pytest.raises(BulletinError) as disagree:
        subs.load(ws, "2026-0001")
    assert "pending" in disagree.value.diagnostics[0].message


def test_preview_is_the_article_as_printed(ws):
    item = text_item(ws)
    html = subs.preview_html(ws, item.ref)
    assert "市税务局推行“非接触式”办税" in html and "（市税务局供稿）" in html and "<article" in html
    assert not (ws.root / "issues/2026/10/市税务局.md").exists()


def test_a_preview_is_made_once_until_its_file_changes(ws, monkeypatch):
    """The inbox asks for every open item's preview on each load: the intake runs again only when the
    item's file (or its title, unit or the preset) changed."""
    item = text_item(ws)
    subs._PREVIEWS.clear()   # kept by content, so an earlier test's alike item would answer
    made = []
    real = subs.item_markdown
    monkeypatch.setattr(subs, "item_markdown", lambda w, i: made.append(i.ref) or real(w, i))
    first = subs.preview_html(ws, item.ref)
    assert subs.preview_html(ws, item.ref) == first and made == [item.ref]
    path = subs.load(ws, item.ref).file_path
    path.write_text(path.read_text(encoding="utf-8").replace("非接触式", "不见面"), encoding="utf-8")
    again = subs.preview_html(ws, item.ref)
    assert made == [item.ref, item.ref] and "不见面" in again and again != first


def test_marks_go_into_issue_yaml_and_leave_a_published_issue_frozen(ws):
    path = ws.root / "issues/2026/10/issue.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: published"), encoding="utf-8")
    article = (ws.root / "issues/2026/10/01-first.md").read_bytes()
    marks = subs.mark_article(ws, "10", "01-first.md", EDITOR, "instruction", "王市长", "2026-11-25", "请各区借鉴")
    assert marks.instructions[0].by == "王市长" and marks.instructions[0].date == dt.date(2026, 11, 25)
    subs.mark_article(fresh(ws), "10", "01-first.md", EDITOR, "higher", "省政务公开简报第5期", dt.date(2026, 12, 1))
    assert (ws.root / "issues/2026/10/01-first.md").read_bytes() == article
    text = path.read_text(encoding="utf-8")
    assert "marks:" in text and "王市长" in text and "省政务公开简报第5期" in text
    with pytest.raises(Forbidden):
        subs.mark_article(fresh(ws), "10", "01-first.md", TAX, "instruction", "王市长")
    with pytest.raises(BulletinError):
        subs.mark_article(fresh(ws), "10", "09-none.md", EDITOR, "instruction", "王市长")
    subs.unmark_article(fresh(ws), "10", "01-first.md", EDITOR, "instruction", 0)
    assert subs.article_marks(fresh(ws), "10", "01-first.md").instructions == []


def test_the_account_store_keeps_a_unit_and_migrates_an_old_database(ws, monkeypatch):
    from argon2 import PasswordHasher

    from bulletin.accounts import store

    monkeypatch.setattr(store, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    private = ws.root / ".bulletin"
    private.mkdir()
    with sqlite3.connect(private / "accounts.sqlite3") as conn:  # as made before units existed
        conn.execute("CREATE TABLE accounts (name TEXT PRIMARY KEY, roles TEXT NOT NULL, hash TEXT NOT NULL, "
                     "created REAL NOT NULL, changed REAL NOT NULL)")
        conn.execute("INSERT INTO accounts VALUES ('老王', 'editor', 'x', 0, 0)")
    store._schema_made.discard(private / "accounts.sqlite3")
    accounts = store.AccountStore(ws)
    assert accounts.actor("老王") == Actor("老王", frozenset({"editor"}))
    accounts.add("李华", ["submitter"], "correct horse battery", unit="市税务局", known_units=subs.units(ws))
    assert accounts.actor("李华").unit == "市税务局"
    assert [a.unit for a in accounts.accounts()] == ["市税务局", ""]  # 李华, 老王
    signed = accounts.sign_in("李华", "correct horse battery")
    assert signed.actor.unit == "市税务局" and accounts.session(signed.token).unit == "市税务局"
    for roles, unit in ((["submitter"], ""), (["editor"], "市税务局"), (["submitter"], "市公安局"),
                        (["submitter", "editor"], "市税务局")):
        with pytest.raises(BulletinError):
            accounts.add("赵六", roles, "correct horse battery", unit=unit, known_units=subs.units(ws))


def test_check_names_a_broken_item_and_an_adoption_whose_article_left(ws):
    from bulletin.commands.check import check

    item = text_item(ws)
    subs.adopt(ws, item.ref, EDITOR, "10")
    assert check(fresh(ws)) == []
    issue = ws.root / "issues/2026/10/issue.yaml"
    issue.write_text(issue.read_text(encoding="utf-8").replace("  - 市税务局.md\n", ""), encoding="utf-8")
    (found,) = check(fresh(ws))
    assert found.severity == "warning" and item.ref in found.message and "undo" in found.hint
    other = text_item(ws)
    path = other.folder / "item.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("unit: 市税务局", "unit: ''"), encoding="utf-8")
    errors = [d for d in check(fresh(ws)) if d.severity == "error"]
    assert errors and errors[0].path.endswith("0002-市税务局/item.yaml") and errors[0].line == 2


def test_an_item_and_its_decisions_are_commits_of_the_history(ws, tmp_path, monkeypatch):
    """The workbench records every change in git: the submissions/ folder is part of what it commits."""
    import functools
    import shutil

    if shutil.which("git") is None:
        pytest.skip("needs git")
    from bulletin.commands.history import recorded, start
    from bulletin.store.history import git

    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / "nothing"))
    start(ws, "管理员")
    sent = recorded(ws, "李华", "send {unit}", {"unit": "市税务局"}, None,
                    functools.partial(subs.send, ws, TAX, unit="市税务局", title="标题", text="正文。", now=AT))
    recorded(ws, "张明", "adopt", {}, ws.resolve("10"), subs.adopt, ws, sent.ref, EDITOR, "10")
    log = git(ws.root, "log", "--format=%an", "--name-only").stdout.decode("utf-8")
    assert "submissions/2026/0001-市税务局/item.yaml" in log and "submissions/2026/0001-市税务局/text.md" in log
    assert "issues/2026/10/市税务局.md" in log
    assert log.split("\n")[0] == "张明" and "李华" in log
    assert git(ws.root, "status", "--porcelain").stdout == b""


def test_a_combined_word_item_brings_its_picture_and_undo_takes_it_away(ws, tmp_path):
    docx = department_docx(tmp_path / "民政.docx")
    item = subs.send(ws, LOCAL, unit="市民政局", upload=("x.docx", docx.read_bytes()), now=AT)
    folder = ws.root / "issues/2026/10"
    (folder / "市民政局-1.png").write_bytes(b"another article's picture")
    name = subs.combine(ws, item.ref, EDITOR, "10")
    text = (folder / name).read_text(encoding="utf-8")
    assert "**市民政局：**" in text and "](市民政局-2.png" in text and (folder / "市民政局-2.png").is_file()
    from bulletin.content.compose import compose_issue

    compose_issue(fresh(ws), ws.resolve("10"))  # the roundup reads, its picture included
    subs.undo(ws, item.ref, EDITOR)
    assert not (folder / "市民政局-2.png").exists() and not (folder / name).exists()
    assert (folder / "市民政局-1.png").read_bytes() == b"another article's picture"
