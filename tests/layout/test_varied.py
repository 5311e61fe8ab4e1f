"""The print layout on issues unlike the demo: many or few articles, titles of one to three lines,
headings of every level, pictures, Latin text, masthead variants, a huge tail, a body ending on a
page's last line (samples in tests/examples/generate.py VARIED; PDFs made once in conftest)."""
from __future__ import annotations

import re

import pytest
from conftest import VARIED
from measure import PT_PER_MM, horizontal_rules, is_red, lines_of, mm, tail_rules

PITCH = 28.95
TYPE_TOP_MM, TYPE_BOTTOM_MM = 37.0, 262.0
TITLE_SIZE = 22.0
PAGE_NUMBER = re.compile(r"^—(\d+)—$")
EVERY = ["short", "medium", "long", "demo", *VARIED]


def pages(pdf):
    return list(enumerate(pdf.pages, start=1))


def type_area_x(number: int) -> tuple[float, float]:
    """Left and right edge of the type area in mm: the binding side is inside (mirrored margins)."""
    return (28.0, 184.0) if number % 2 else (26.0, 182.0)


def tail_top(page) -> float | None:
    """The top of the tail's first rule on this page (pt), or None when the page has no tail."""
    rules = tail_rules(page)
    return rules[0]["top"] if rules else None


def text_lines(page, number):
    """Lines of the type area above the tail: body, headings, titles, masthead (no page number)."""
    limit = tail_top(page)
    return [l for l in lines_of(page, number) if not PAGE_NUMBER.match(l.text)
            and (limit is None or l.top < limit - 2)]


def titles(pdf) -> list[list]:
    """Article titles as lists of their lines (22 pt lines less than two title pitches apart)."""
    out: list[list] = []
    for number, page in pages(pdf):
        previous = None
        for line in lines_of(page, number):
            if abs(line.size - TITLE_SIZE) >= 0.6:
                previous = None
                continue
            if previous is not None and line.top - previous.top < 40:
                out[-1].append(line)
            else:
                out.append([line])
            previous = line
    return out


@pytest.mark.parametrize("name", EVERY)
def test_no_character_leaves_the_type_area_sideways(opened, name):
    """Long URLs, ASCII runs without spaces, long names in the tail: nothing runs into the margin."""
    for number, page in pages(opened[name]):
        left, right = type_area_x(number)
        outside = [c["text"] for c in page.chars if c["text"].strip()
                   and (mm(c["x0"]) < left - 0.5 or mm(c["x1"]) > right + 0.5)]
        assert not outside, f"page {number}: {''.join(outside)[:40]} outside {left}–{right} mm"


@pytest.mark.parametrize("name", EVERY)
def test_every_page_after_the_first_starts_at_the_top_of_the_type_area(opened, name):
    """No blank first line: a page never begins with an empty paragraph left over from the page
    before (the demo's note was once followed by one, which pushed its page 2 down a line)."""
    for number, page in pages(opened[name])[1:]:
        lines = text_lines(page, number)
        first_line = lines[0].top if lines else page.height
        first_picture = min((i["top"] for i in page.images), default=page.height)
        first_table = min((e["top"] for e in page.edges if e["orientation"] == "v"), default=page.height)
        if first_table < min(first_line, first_picture):
            # a table continued from the page before: its top rule on the type area's top edge (its
            # header row's text is centred in the row, lower down)
            assert mm(first_table) < TYPE_TOP_MM + 1, f"page {number}: table at {mm(first_table):.1f} mm"
        elif first_line < first_picture:
            assert mm(first_line) < TYPE_TOP_MM + 4, f"page {number} starts at {mm(first_line):.1f} mm: {lines[0].text}"
        elif first_picture < page.height:
            # a picture's line is whole grid lines high, its spare height above it: less than a line
            assert first_picture - TYPE_TOP_MM * PT_PER_MM < PITCH + 8, \
                f"page {number}: picture at {mm(first_picture):.1f} mm"


@pytest.mark.parametrize("name", EVERY)
def test_16pt_lines_stay_on_the_line_grid(opened, name):
    """Body, headings, column names and kickers sit on the 28.95 pt grid after titles, pictures and
    captions; on page 1 the grid starts at the first line under the red rule."""
    for number, page in pages(opened[name]):
        lines = [l for l in text_lines(page, number) if abs(l.size - 16) < 0.6]
        if number == 1:
            rule = [r for r in horizontal_rules(page) if is_red(r["color"])][0]["top"]
            lines = [l for l in lines if l.top > rule]
        if len(lines) < 2:
            continue
        origin = lines[0].top
        off = [round(l.top - origin - round((l.top - origin) / PITCH) * PITCH, 1) for l in lines]
        assert all(abs(o) < 1.0 for o in off), f"page {number}: off the grid by {off}"


@pytest.mark.parametrize("name", EVERY)
def test_titles_are_balanced_with_no_short_last_line(opened, name):
    """A title that wraps is set in lines of nearly even length (GB/T 9704: 梯形或菱形), never with one
    or two characters left alone on its last line (the demo once printed 增效 by itself)."""
    for lines in titles(opened[name]):
        if len(lines) < 2:
            continue
        text = [l.text for l in lines]
        assert len(lines[-1].text) > 2, f"short last line: {text}"
        widths = [l.x1 - l.x0 for l in lines]
        assert min(widths) > 0.6 * max(widths), f"uneven title lines: {text}"


def test_the_demo_title_breaks_at_its_closing_quote(opened):
    lines = [l.text for l in titles(opened["demo"])[0]]
    assert lines == ["我市深化“一网通办”", "改革推动政务公开提质增效"]


def test_titles_of_one_two_and_three_lines(opened):
    counts = [len(lines) for lines in titles(opened["titles"])]
    assert counts == [2, 3, 1, 2, 2]


def test_demo_page_2_opens_with_the_first_column_and_title(opened):
    """The first article follows the 编者按 on page 1 only if its column name, title and a first
    line all fit; otherwise page 2 opens with the column name on its first line."""
    page1 = [l.text for l in text_lines(opened["demo"].pages[0], 1)]
    after_note = page1[next(i for i, t in enumerate(page1) if t.startswith("编者按")):]
    page2 = text_lines(opened["demo"].pages[1], 2)
    title = "我市深化“一网通办”改革推动政务公开提质增效"   # set in two lines
    if "【工作动态】" in after_note:          # (the contents above the note list the column too)
        at = after_note.index("【工作动态】")
        assert "".join(after_note[at + 1:at + 3]) == title, after_note
        assert len(after_note) > at + 3, "the column and title on page 1 without a first line"
    else:
        assert page2[0].text == "【工作动态】" and mm(page2[0].top) < TYPE_TOP_MM + 4
        assert "".join(l.text for l in page2[1:3]) == title, [l.text for l in page2[:4]]


def test_pictures_fit_the_type_area_with_their_captions_right_below(opened):
    pdf = opened["features"]
    images = [(number, image) for number, page in pages(pdf) for image in page.images]
    assert len(images) == 4
    sizes = sorted(round(mm(i["x1"] - i["x0"])) for _, i in images)
    assert sizes[-1] <= 156.5 and sizes[0] < 30, sizes   # the wide one fills the width, the icon stays small
    for number, image in images:
        left, right = type_area_x(number)
        assert mm(image["x0"]) >= left - 0.5 and mm(image["x1"]) <= right + 0.5
        assert abs((image["x0"] + image["x1"]) / 2 - (left + right) / 2 * PT_PER_MM) < 2, "picture not centred"
        assert mm(image["bottom"]) <= TYPE_BOTTOM_MM + 0.5 and mm(image["top"]) >= TYPE_TOP_MM - 0.5
        assert mm(image["bottom"] - image["top"]) <= 135.5
    captions = {"政务服务大厅“一窗受理”综合窗口", "工作人员为群众讲解政策", "小图标"}
    for number, page in pages(pdf):
        for line in lines_of(page, number):
            if line.text in captions:
                above = [i for i in page.images if i["bottom"] <= line.top + 1]
                assert above, f"caption {line.text} has no picture above it"
                gap = line.top - max(i["bottom"] for i in above)
                assert gap < 4 * PT_PER_MM, f"caption {line.text} is {mm(gap):.1f} mm below its picture"
                captions.discard(line.text)
    assert not captions, f"captions missing: {captions}"


def _text(pdf) -> str:
    return "".join(l.text for n, p in pages(pdf) for l in lines_of(p, n) if not PAGE_NUMBER.match(l.text))


def test_headings_of_every_level_are_numbered_once(opened):
    text = _text(opened["features"])
    for heading in ["一、总体情况", "（一）主要成效", "1.平台建设", "（1）栏目设置", "（2）内容更新", "2.队伍建设",
                    "（二）存在问题", "二、下一步工作", "三、加强督促检查"]:
        assert heading in text, heading
    assert "二、二、" not in text and "（2）（2）" not in text and "2.2." not in text


def test_latin_text_urls_and_the_people_line(opened):
    text = _text(opened["features"])
    assert "quick" in text and "68.5%" in text and "https://" in text
    last = opened["features"].pages[-1]
    tail = "".join(l.text for l in lines_of(last, 0) if l.top > tail_top(last))
    assert "编辑：王××" in tail and "签发：张××" in tail and "审核" not in tail   # an empty role prints nothing
    assert "本期增发：市档案馆，市图书馆。" in tail


def test_a_name_too_long_for_one_line_is_set_in_two_even_lines(opened):
    page = opened["titles"].pages[0]
    red = [l for l in lines_of(page, 1) if l.size > 24]
    assert [l.text for l in red] == ["××省××市××区人民政府办公室", "政务公开工作领导小组工作简报"]
    assert len({l.size for l in red}) == 1 and red[0].size >= 26
    for line in red:
        assert mm(line.x1 - line.x0) <= 156.5
    assert mm(red[0].top) < TYPE_TOP_MM + 4, "with no marking the name opens the page"


def test_kicker_source_stands_above_its_title(opened):
    lines = [l for n, p in pages(opened["titles"]) for l in lines_of(p, n)]
    for source, title in [("市政务服务中心", "我市深化"), ("市政府办公室", "市政府召开")]:
        index = next(i for i, l in enumerate(lines) if l.text == source)
        assert lines[index + 1].text.startswith(title) and lines[index + 1].size == pytest.approx(TITLE_SIZE, abs=0.6)
    assert "供稿" not in _text(opened["titles"])


def test_supplement_and_special_mastheads(opened):
    supplement = [l.text for l in lines_of(opened["supplement"].pages[0], 1)]
    assert "政务公开简报" in supplement and "增刊第1期" in supplement
    assert not any("总第" in t for t in supplement)
    special = [l.text for l in lines_of(opened["special"].pages[0], 1)]
    assert special[0] == "秘密★1年"
    assert "专刊第1期" in special and "学习贯彻《中华人民共和国政府信息公开条例》专题" in special


def test_a_huge_tail_moves_to_a_page_of_its_own_and_fits_it(opened):
    pdf = opened["huge_tail"]
    last_no, last = len(pdf.pages), pdf.pages[-1]
    top = tail_top(last)
    assert top is not None and mm(top) >= TYPE_TOP_MM - 0.5, "the tail runs above the type area"
    rules = tail_rules(last)
    assert abs(mm(rules[-1]["top"]) - TYPE_BOTTOM_MM) <= 1.5
    assert not [l for l in lines_of(last, last_no) if l.top < top and not PAGE_NUMBER.match(l.text)]
    before = text_lines(pdf.pages[-2], last_no - 1)
    assert before and mm(before[-1].top) < TYPE_BOTTOM_MM - 60, "the page before had room only if the tail fit"
    tail = "".join(l.text for l in lines_of(last, last_no))
    for name in ["××省人民政府办公厅政务公开办公室第8联络处", "××市辛区人民政府办公室政务公开和政务服务科",
                 "××市十街道办事处党政综合办公室", "本期增发：各民主党派市委"]:
        assert name in tail, name


def test_a_body_ending_on_the_last_line_sends_the_tail_to_the_next_page(opened):
    pdf = opened["exact_bottom"]
    assert len(pdf.pages) == 2
    body = text_lines(pdf.pages[0], 1)
    assert mm(body[-1].top) > TYPE_BOTTOM_MM - 12, "the body should end on page 1's last line"
    assert tail_top(pdf.pages[0]) is None and tail_top(pdf.pages[1]) is not None
    assert not text_lines(pdf.pages[1], 2), "page 2 holds the tail alone"


def test_many_articles_list_every_title_and_column_in_the_contents(opened):
    text = _text(opened["many"])
    contents, articles = text[text.find("本期要目"):text.find("编者按")], text[text.find("编者按"):]
    for column in ["【工作动态】", "【经验交流】", "【基层动态】"]:
        assert column in contents and column in articles
    for article in VARIED["many"]["articles"]:
        assert article["title"] in contents and article["title"] in articles, article["title"]
