"""Tables on paper (the `tables` sample of tests/examples/generate.py, in the PDF LibreOffice made in
conftest): a table longer than a page repeats its header row on every page it spans, stays inside
the type area, and the body text after it is back on the line grid. The general checks of
test_print_layout.py and test_varied.py run on the sample as well."""
from __future__ import annotations

import pytest

from measure import PT_PER_MM, lines_of, mm

PITCH = 28.95
TYPE_TOP_MM, TYPE_BOTTOM_MM = 37.0, 262.0
HEADER = "序号"          # the long table's first header cell
SMALL_HEADER = "事项"    # the narrow table's


def type_area_x(number: int) -> tuple[float, float]:
    return (28.0, 184.0) if number % 2 else (26.0, 182.0)


def table_rules(page) -> list[dict]:
    """The vertical rules of tables on a page (the cells' left and right borders)."""
    return [e for e in page.edges if e["orientation"] == "v" and e["bottom"] - e["top"] > 5]


def cell_lines(page, number):
    return [l for l in lines_of(page, number) if abs(l.size - 14) < 0.6 and mm(l.top) < TYPE_BOTTOM_MM]


@pytest.fixture(scope="module")
def pdf(opened):
    return opened["tables"]


def _table_pages(pdf) -> list[tuple[int, object]]:
    return [(n, page) for n, page in enumerate(pdf.pages, 1) if table_rules(page)]


def test_the_long_table_runs_over_pages_and_repeats_its_header_on_each(pdf):
    spanned = [(n, page) for n, page in _table_pages(pdf)
               if any(l.text.startswith(("1", "2")) and "市" in l.text for l in cell_lines(page, n))]
    assert len(spanned) >= 2, "the sample's table should run over a page break"
    for number, page in spanned:
        lines = cell_lines(page, number)
        first_row = next(i for i, l in enumerate(lines) if l.text[:1].isdigit())
        header = "".join(l.text for l in lines[:first_row])
        assert HEADER in header and "备注" in header and "依申请" in header, f"page {number}: {header!r}"
        top_rule = min(e["top"] for e in table_rules(page))
        assert lines[0].top - top_rule < PITCH, f"page {number}: the header is not the table's first row"
    # every one of the 26 units is printed, the header once on each page
    text = "".join(l.text for n, p in spanned for l in cell_lines(p, n))
    assert text.count(HEADER) == len(spanned)
    for unit in ("市发展改革委", "市教育局", "市信访局"):
        assert unit in text, unit


def test_a_page_that_continues_the_table_starts_at_the_top_of_the_type_area(pdf):
    for number, page in _table_pages(pdf)[1:]:
        top = min(e["top"] for e in table_rules(page))
        body_above = [l for l in lines_of(page, number) if l.top < top and abs(l.size - 16) < 0.6]
        if not body_above:
            assert abs(mm(top) - TYPE_TOP_MM) < 1.0, f"page {number}: the table starts at {mm(top):.1f} mm"


def test_tables_stay_inside_the_type_area(pdf):
    for number, page in _table_pages(pdf):
        left, right = type_area_x(number)
        rules = table_rules(page)
        x0, x1 = min(e["x0"] for e in rules), max(e["x1"] for e in rules)
        assert mm(x0) >= left - 0.5 and mm(x1) <= right + 0.5, f"page {number}: {mm(x0):.1f}–{mm(x1):.1f} mm"
        assert mm(min(e["top"] for e in rules)) >= TYPE_TOP_MM - 0.5
        assert mm(max(e["bottom"] for e in rules)) <= TYPE_BOTTOM_MM + 0.5
        for line in cell_lines(page, number):
            assert x0 <= line.x0 and line.x1 <= x1, f"page {number}: {line.text} leaves its table"


def test_the_wide_table_fills_the_type_width_and_the_narrow_one_is_centred(pdf):
    widths = []
    for number, page in _table_pages(pdf):
        left, right = type_area_x(number)
        rules = table_rules(page)
        x0, x1 = min(e["x0"] for e in rules), max(e["x1"] for e in rules)
        widths.append(mm(x1 - x0))
        assert abs((x0 + x1) / 2 - (left + right) / 2 * PT_PER_MM) < 1.5, f"page {number}: table not centred"
    assert max(widths) == pytest.approx(156, abs=1)
    assert min(widths) < 60, "the narrow table (事项 | 办件量) should be as narrow as its text"


def test_cells_are_set_in_fangsong_at_14pt_and_wrap(pdf):
    lines = [l for n, p in _table_pages(pdf) for l in cell_lines(p, n)]
    chinese = [l for l in lines if all(ord(c) > 0x2E80 for c in l.text) and "堃" not in l.text]
    assert chinese and all("FandolFang" in l.fontname for l in chinese)
    text = "".join(l.text for l in lines)
    assert "堃" in text    # beyond GB 2312: printed in the fallback font, not lost
    # the long remark wraps inside its cell: a cell line ends and the next continues it
    assert "负责人王堃同志牵头" in text and "公开整改情况" in text


def test_body_lines_after_a_table_are_back_on_the_grid(pdf):
    """Every 16 pt line on every page after the first is a whole number of pitches below the type
    area's first line — after the table on its last page, after the narrow table, on plain pages."""
    phases = []
    for number, page in list(enumerate(pdf.pages, 1))[1:]:
        for line in lines_of(page, number):
            if abs(line.size - 16) < 0.6 and mm(line.top) < TYPE_BOTTOM_MM:
                phases.append((number, line.text[:8], (line.top - TYPE_TOP_MM * PT_PER_MM) % PITCH))
    reference = phases[0][2]
    off = [(n, t, round(p - reference, 2)) for n, t, p in phases
           if min(abs(p - reference), PITCH - abs(p - reference)) > 0.6]
    assert not off, off
    after = [n for n, page in _table_pages(pdf)
             if any(l.top > max(e["bottom"] for e in table_rules(page)) and abs(l.size - 16) < 0.6
                    for l in lines_of(page, n))]
    assert len(after) >= 2, "body text should follow both tables on their pages"
