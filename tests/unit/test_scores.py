"""信息采用计分: the points of each unit for a month, a quarter or a year, computed from the item records and
the issues' marks each time (an undo counts no more), every unit listed; the rules in bulletin.toml's
[scoring], validated like every setting; the CSV for Excel."""
from __future__ import annotations

import datetime as dt

import pytest

from bulletin.commands import stats
from bulletin.commands import submissions as subs
from bulletin.errors import BulletinError
from bulletin.rules.permissions import Actor
from bulletin.store.workspace import Workspace
from tests.unit.test_submissions_portal import AT, CONFIG, EDITOR, make_workspace

Q4 = stats.parse_period("2026Q4")


def send(ws, unit, at=AT, title="某单位工作动态"):
    return subs.send(ws, Actor("x", frozenset({"submitter"}), unit=unit), unit=unit, title=title,
                     text=f"{unit}本季度推进政务公开工作。", now=at)


@pytest.fixture
def ws(tmp_path):
    return make_workspace(tmp_path / "ws")


def row(result, unit):
    return next(u for u in result.units if u.unit == unit)


def test_periods():
    assert (Q4.start, Q4.end, Q4.words, Q4.label) == (dt.date(2026, 10, 1), dt.date(2027, 1, 1), "2026年第四季度",
                                                      "2026Q4")
    assert stats.parse_period("2026-q1").end == dt.date(2026, 4, 1)
    month = stats.parse_period("2026-2")
    assert (month.start, month.end, month.words, month.label) == (dt.date(2026, 2, 1), dt.date(2026, 3, 1),
                                                                 "2026年2月", "2026-02")
    year = stats.parse_period("２０２６")
    assert year.kind == "year" and dt.date(2026, 12, 31) in year and dt.date(2027, 1, 1) not in year
    for bad in ("2026Q5", "2026-13", "Q4", "26", "2026年"):
        with pytest.raises(BulletinError) as refused:
            stats.parse_period(bad)
        assert "2026Q4" in refused.value.diagnostics[0].hint


def test_points_per_unit_with_every_unit_listed_and_undo_counting_no_more(ws):
    tax, tax2, civil = send(ws, "市税务局"), send(ws, "市税务局"), send(ws, "市民政局")
    send(ws, "市民政局", at=dt.datetime(2026, 9, 30, 23, 0, tzinfo=AT.tzinfo))  # the quarter before
    subs.adopt(ws, tax.ref, EDITOR, "10")
    subs.combine(ws, tax2.ref, EDITOR, "10")
    subs.return_item(ws, civil.ref, EDITOR, "数据需核实", now=AT)
    result = stats.scores(Workspace(ws.root), "2026Q4")
    t, c, east = row(result, "市税务局"), row(result, "市民政局"), row(result, "城东区政务公开办")
    assert (t.sent, t.adopted, t.combined, t.returned, t.points, t.rank) == (2, 1, 1, 0, 15, 1)
    assert (c.sent, c.adopted, c.returned, c.points, c.rank) == (1, 0, 1, 0, 2)
    assert (east.sent, east.points, east.rank) == (0, 0, 2)  # sent nothing: listed, tied
    columns, rows, totals = stats.scores_table(result)
    assert columns[:4] == ["排名", "单位", "报送", "全文采用"] and columns[-1] == "得分"
    assert rows[0][:2] == [1, "市税务局"] and totals[1] == "合计" and totals[2] == 3 and totals[-1] == 15
    assert stats.scores_table(result, lambda s: s.upper())[0][1] == "UNIT"
    subs.undo(ws, tax.ref, EDITOR)
    t = row(stats.scores(Workspace(ws.root), Q4), "市税务局")
    assert (t.adopted, t.combined, t.points) == (0, 1, 5)
    assert row(stats.scores(Workspace(ws.root), "2026Q3"), "市民政局").sent == 1


def test_marks_add_their_bonus_to_the_units_printed_in_the_article(ws):
    tax, civil, east = send(ws, "市税务局"), send(ws, "市民政局"), send(ws, "城东区政务公开办")
    article = subs.adopt(ws, tax.ref, EDITOR, "10")
    roundup = subs.combine(ws, civil.ref, EDITOR, "10")
    subs.combine(ws, east.ref, EDITOR, "10", roundup)
    subs.mark_article(ws, "10", article, EDITOR, "instruction", "王市长", "2026-11-25")
    subs.mark_article(ws, "10", article, EDITOR, "higher", "省政务公开简报第5期", "2026-12-01")
    subs.mark_article(ws, "10", roundup, EDITOR, "instruction", "李副市长", "2026-11-26")
    subs.mark_article(ws, "10", "01-first.md", EDITOR, "instruction", "李副市长", "2027-01-05")  # next year
    result = stats.scores(Workspace(ws.root), "2026")
    assert row(result, "市税务局").points == 10 + 5 + 10
    assert row(result, "市民政局").points == 5 + 5 and row(result, "城东区政务公开办").points == 5 + 5
    assert "测试办公室" not in [u.unit for u in result.units]  # its 2027 mark is not in 2026
    next_year = stats.scores(Workspace(ws.root), "2027Q1")
    assert row(next_year, "测试办公室").instructions == 1 and row(next_year, "测试办公室").points == 5


def test_the_rules_come_from_bulletin_toml_and_are_validated(tmp_path):
    ws = make_workspace(tmp_path / "a", CONFIG + "\n[scoring]\nfull_adoption = 20\ncombined_adoption = 2.5\n")
    rules = ws.series().scoring
    assert (rules.full_adoption, rules.combined_adoption, rules.instruction_bonus, rules.higher_adoption_bonus) == (
        20, 2.5, 5, 10)
    item = send(ws, "市税务局")
    subs.combine(ws, item.ref, EDITOR, "10")
    assert row(stats.scores(Workspace(ws.root), Q4), "市税务局").points == 2.5
    bad = CONFIG + "\n[scoring]\nfull_adoption = -1\nbonus = 3\n"
    ws = make_workspace(tmp_path / "b", bad)
    with pytest.raises(BulletinError) as refused:
        ws.series()
    found = {d.line: d.message for d in refused.value.diagnostics}
    lines = bad.split("\n")
    assert "0 or more" in found[lines.index("full_adoption = -1") + 1]
    assert "bonus" in found[lines.index("bonus = 3") + 1]
    twice = make_workspace(tmp_path / "c", CONFIG.replace('"城东区政务公开办"]', '"市税务局"]'))
    with pytest.raises(BulletinError) as listed:
        twice.series()
    assert "twice" in listed.value.diagnostics[0].message


def test_csv_for_excel(ws, tmp_path):
    send(ws, "市税务局")
    out = stats.write_scores_csv(stats.scores(ws, Q4), tmp_path / "计分.csv")
    data = out.read_bytes()
    assert data.startswith("\ufeff".encode()) and b"\r\n" in data
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "排名,单位,报送,全文采用,综合采用,退回,留用,领导批示,上级采用,得分"
    assert lines[1].startswith("1,市税务局,1,")


def test_an_issue_with_marks_prints_byte_for_byte_as_without(ws):
    from bulletin.commands.render import build_docx

    first = build_docx(ws, ws.resolve("10"))
    subs.mark_article(ws, "10", "01-first.md", EDITOR, "instruction", "王市长", "2026-11-25", "请各区借鉴")
    again = Workspace(ws.root)
    assert again.load_issue(again.resolve("10"))[0].marks
    assert build_docx(again, again.resolve("10")) == first
