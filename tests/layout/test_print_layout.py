"""The measured checks of the print layout, on PDFs LibreOffice made from rendered issues."""
from __future__ import annotations

import re

import pytest
from conftest import VARIED
from measure import PT_PER_MM, body_lines, full_page, horizontal_rules, is_red, lines_of, mm, tail_rules

NAMES = ["short", "medium", "long", "demo"]
# Every sample, the demo's shapes and those unlike it (tests/examples/generate.py VARIED).
EVERY = NAMES + list(VARIED)
PITCH = 28.95
TYPE_BOTTOM_MM = 262.0
TITLE_SIZE = 22.0
PAGE_NUMBER = re.compile(r"^—(\d+)—$")


def pages(pdf):
    return list(enumerate(pdf.pages, start=1))


@pytest.mark.parametrize("name", EVERY)
def test_every_page_is_a4(opened, name):
    for number, page in pages(opened[name]):
        assert abs(mm(page.width) - 210) < 1 and abs(mm(page.height) - 297) < 1, f"page {number}"


def test_samples_have_the_intended_lengths(opened):
    assert len(opened["short"].pages) == 1
    assert 2 <= len(opened["medium"].pages) <= 5
    assert len(opened["long"].pages) >= 5
    assert len(opened["demo"].pages) >= 2


def _full_middle_pages(pdf):
    """Middle pages that hold only 16 pt text (no article title, picture or table — a table's cells
    are 14 pt, its rules vertical edges): they must carry the full grid."""
    out = []
    for number, page in pages(pdf)[1:-1]:
        lines = full_page(page, number)
        if lines is not None:
            out.append((number, page, lines))
    return out


@pytest.mark.parametrize("name", ["long", "demo", "many", "tables"])
def test_full_middle_pages_carry_22_lines_at_the_pitch(opened, name):
    full = _full_middle_pages(opened[name])
    if name == "long":
        assert len(full) >= 3, "the long sample should have several pages of plain body text"
    if name == "tables":
        assert full, "the table sample ends with a page of plain body text"
    for number, page, lines in full:
        assert len(lines) == 22, f"page {number} has {len(lines)} lines"
        gaps = [b.top - a.top for a, b in zip(lines, lines[1:])]
        assert all(abs(g - PITCH) < 0.3 for g in gaps), f"page {number} pitches {sorted(set(gaps))}"


@pytest.mark.parametrize("name", EVERY)
def test_body_lines_keep_the_pitch_everywhere(opened, name):
    """Body lines are a whole number of pitches apart: next to each other, or with titles, headings
    and pictures between them. On page 1 the imprint line above the red rule is not body text."""
    for number, page in pages(opened[name]):
        lines = body_lines(page, number)
        if number == 1:
            rule = [r for r in horizontal_rules(page) if is_red(r["color"])][0]["top"]
            lines = [l for l in lines if l.top > rule]
        gaps = [round(b.top - a.top, 2) for a, b in zip(lines, lines[1:])]
        off = [abs(g - max(1, round(g / PITCH)) * PITCH) for g in gaps]
        assert all(o < 0.3 for o in off), f"page {number}: {gaps}"


@pytest.mark.parametrize("name", ["medium", "long"])
def test_longest_body_line_holds_28_characters(opened, name):
    longest = 0
    for number, page in pages(opened[name]):
        for line in body_lines(page, number):
            if all(ord(c) > 0x2E80 for c in line.text):  # generated body text is all full width
                longest = max(longest, len(line.text))
                right_edge_mm = 184 if number % 2 else 182  # mirrored margins: 26 mm outside, 28 inside
                assert mm(line.x1) <= right_edge_mm + 0.5, f"page {number}: {line.text} runs past the margin"
    assert longest == 28


@pytest.mark.parametrize("name", EVERY)
def test_body_text_is_set_in_the_fangsong_stand_in(opened, name):
    body = [l for n, p in pages(opened[name]) for l in lines_of(p, n) if abs(l.size - 16) < 0.6]
    fang = [l for l in body if "FandolFang" in l.fontname]
    assert len(fang) >= len(body) // 2, "body text is not in 仿宋 (the East Asian font slot is not written)"


@pytest.mark.parametrize("name", EVERY)
def test_red_rule_under_the_masthead_spans_the_type_area(opened, name):
    page = opened[name].pages[0]
    red = [r for r in horizontal_rules(page) if is_red(r["color"])]
    assert red, "no red rule on page 1"
    rule = red[0]
    assert abs(rule["width_mm"] - 156) <= 1
    name_chars = [c for c in page.chars if c["size"] > 24]
    assert name_chars and all(is_red(c["non_stroking_color"]) for c in name_chars), "masthead name is not red"
    assert rule["top"] > max(c["bottom"] for c in name_chars), "the rule is not below the masthead"
    imprint = [l for l in lines_of(page, 1) if l.text.endswith("日") and "编" in l.text]
    assert imprint and imprint[0].top < rule["top"], "the imprint line is not above the rule"
    assert mm(imprint[0].x0) == pytest.approx(28, abs=1) and mm(imprint[0].x1) == pytest.approx(184, abs=1)


@pytest.mark.parametrize("name", EVERY)
def test_tail_sits_at_the_bottom_of_the_last_page(opened, name):
    pdf = opened[name]
    last_no, last = len(pdf.pages), pdf.pages[-1]
    rules = tail_rules(last)
    assert len(rules) >= 3, "tail rules missing"
    assert abs(mm(rules[-1]["top"]) - TYPE_BOTTOM_MM) <= 1.5
    first_rule = rules[0]["top"]
    body_below = [l for l in body_lines(last, last_no) if l.top + 12 > first_rule]
    assert not body_below, f"body text inside the tail: {[l.text for l in body_below]}"
    tail_text = "".join(l.text for l in lines_of(last, last_no) if l.top > first_rule)
    assert "报：" in tail_text and re.search(r"（共印\d+份）", tail_text)
    for other_no, other in pages(pdf)[:-1]:
        assert not tail_rules(other), \
            f"tail rules on page {other_no}, not only on the last page"


@pytest.mark.parametrize("name", EVERY)
def test_page_numbers_below_the_type_area_on_the_outer_side(opened, name):
    for number, page in pages(opened[name]):
        found = [l for l in lines_of(page, number) if PAGE_NUMBER.match(l.text)]
        assert len(found) == 1, f"page {number}: {[l.text for l in lines_of(page, number)][-3:]}"
        line = found[0]
        assert int(PAGE_NUMBER.match(line.text).group(1)) == number
        assert mm(line.top) > TYPE_BOTTOM_MM
        assert abs(line.size - 14) < 0.6
        centre = (line.x0 + line.x1) / 2
        if number % 2:
            assert centre > page.width / 2 and mm(page.width - line.x1) == pytest.approx(26 + 14 / PT_PER_MM, abs=1)
        else:
            assert centre < page.width / 2 and mm(line.x0) == pytest.approx(26 + 14 / PT_PER_MM, abs=1)


@pytest.mark.parametrize("name", ["medium", "demo"])
def test_text_reads_in_order(opened, name, rendered):
    pdf = opened[name]
    text = "".join(l.text for n, p in pages(pdf) for l in lines_of(p, n) if not PAGE_NUMBER.match(l.text))
    order = ["内部资料", "××市政务公开工作", "简报", "第10期", "（总第", "编", "日", "本期要目", "编者按",
             "报：", "（共印"]
    positions = []
    start = 0
    for piece in order:
        found = text.find(piece, start)
        assert found >= 0, f"{piece!r} missing or out of order"
        positions.append(found)
        start = found + len(piece)
    # Every article title appears after the contents (本期要目 lists them first) and before the tail.
    body = text[text.find("编者按"):text.rfind("报：")]
    cursor = 0
    for title in _titles(rendered[name]["workspace"]):
        found = body.find(title[:8], cursor)
        assert found >= 0, f"title {title!r} missing or out of order"
        cursor = found + 8


def _titles(workspace):
    from bulletin.store.workspace import Workspace

    ws = Workspace(workspace)
    key = ws.resolve("10")
    meta, _ = ws.load_issue(key)
    return [ws.load_article(ws.issue_dir(key) / name)[0].title for name in meta.articles]


def test_titles_are_centred_22pt(opened):
    page_titles = [(n, l) for n, p in pages(opened["medium"]) for l in lines_of(p, n) if abs(l.size - TITLE_SIZE) < 0.6]
    assert page_titles
    for number, line in page_titles:
        left = line.x0 - (28 if number % 2 else 26) * PT_PER_MM    # mirrored margins
        right = (184 if number % 2 else 182) * PT_PER_MM - line.x1
        assert abs(left - right) < 6, f"title not centred on page {number}: {line.text}"
