"""The print layout measured on a PDF LibreOffice made from a rendered issue (pdfplumber).

The checks follow the layout's measured checks: 22 body lines at the preset's pitch on every full page
that is neither the first nor the last, at most 28 characters a line (and the longest full line holds
28), the red rule under the masthead 156 mm long on page 1, the tail's last rule within 1.5 mm of
262 mm on the last page and no body text below the tail's first rule. The layout tests measure with
the same functions.

Units: pdfplumber works in PostScript points from the top-left corner; helpers convert to mm.
"""
from __future__ import annotations

import math
import statistics
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

PT_PER_MM = 72 / 25.4
PITCH = 28.95           # pt between body lines (the preset's line_pitch_pt)
LINES = 22              # body lines on a full page
CHARS = 28              # characters on a full body line
TYPE_WIDTH_MM = 156.0   # the type area's width: the red rule and the tail's rules span it
TYPE_BOTTOM_MM = 262.0  # the foot of the type area: the tail's last rule sits there
BODY_FONT = "FandolFang"
BODY_SIZE = 16.0
TABLE_RULE_PT = 0.6     # an article's table is ruled 0.5 pt; the tail's rules are 0.75 and 1 pt


def mm(pt: float) -> float:
    return pt / PT_PER_MM


@dataclass
class Line:
    """A row of characters sharing a baseline on one page."""

    page: int
    top: float
    size: float
    fontname: str
    text: str
    x0: float
    x1: float


def is_red(color) -> bool:
    if not color:
        return False
    c = tuple(color)
    if len(c) == 3:
        return c[0] > 0.8 and c[1] < 0.2 and c[2] < 0.2
    if len(c) == 4:  # CMYK
        return c[1] > 0.8 and c[2] > 0.8 and c[3] < 0.2
    return False


def lines_of(page, page_no: int) -> list[Line]:
    """Characters grouped into lines by their top (within 1 pt)."""
    rows: dict[float, list] = defaultdict(list)
    for ch in page.chars:
        if not ch["text"].strip():
            continue
        key = round(ch["top"])
        for existing in list(rows):
            if abs(existing - ch["top"]) < 1.5:
                key = existing
                break
        rows[key].append(ch)
    out = []
    for top, chars in sorted(rows.items()):
        chars.sort(key=lambda c: c["x0"])
        sizes = [round(c["size"], 1) for c in chars]
        size = max(set(sizes), key=sizes.count)
        fonts = [c["fontname"] for c in chars]
        exact_top = sum(c["top"] for c in chars) / len(chars)
        out.append(Line(page_no, exact_top, size, max(set(fonts), key=fonts.count), "".join(c["text"] for c in chars),
                        chars[0]["x0"], chars[-1]["x1"]))
    return out


def body_lines(page, page_no: int, body_font: str = BODY_FONT, size: float = BODY_SIZE) -> list[Line]:
    """Lines set mostly in the body font at the body size (the 仿宋 stand-in at 三号)."""
    return [l for l in lines_of(page, page_no) if body_font in l.fontname and abs(l.size - size) < 0.6]


def horizontal_rules(page) -> list[dict]:
    """Horizontal rules (rects thinner than 3 pt, or lines) as dicts: x0, x1, top, width_mm, color, thickness."""
    out = []
    for r in page.rects + page.lines:
        height = abs(r["bottom"] - r["top"])
        width = r["x1"] - r["x0"]
        if width > 20 and height < 3:
            color = r.get("non_stroking_color") if r in page.rects else r.get("stroking_color")
            if r in page.rects and not r.get("fill"):
                color = r.get("stroking_color")
            out.append({"x0": r["x0"], "x1": r["x1"], "top": (r["top"] + r["bottom"]) / 2,
                        "width_mm": mm(width), "color": color, "thickness": max(height, r.get("linewidth") or 0)})
    return sorted(out, key=lambda r: r["top"])


def tail_rules(page) -> list[dict]:
    """The tail's rules on a page: black, the type area's width, thicker than a table's rules (a table
    as wide as the type area is ruled like it, but at 0.5 pt)."""
    return [r for r in horizontal_rules(page) if not is_red(r["color"]) and abs(r["width_mm"] - TYPE_WIDTH_MM) <= 1
            and r["thickness"] > TABLE_RULE_PT]


def full_width(text: str) -> bool:
    """Every character full width (CJK text and punctuation): such a line's length is its character count."""
    return all(unicodedata.east_asian_width(c) in "WF" for c in text)


def columns(text: str) -> float:
    """A line's length in full-width characters: a Latin letter or digit counts a half."""
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in text)


def full_page(page, page_no: int) -> list[Line] | None:
    """The lines of a page holding only 16 pt text in the type area (no article title, picture or
    table — a table's cells are 14 pt, its rules vertical edges): such a page carries the full grid;
    None for any other page."""
    lines = [l for l in lines_of(page, page_no) if mm(l.top) < TYPE_BOTTOM_MM]
    ruled = any(e["orientation"] == "v" for e in page.edges)
    if lines and all(abs(l.size - BODY_SIZE) < 0.6 for l in lines) and not page.images and not ruled:
        return lines
    return None


@dataclass
class Check:
    """One measured check: its name, whether it passed, and what was measured: a catalog message
    (`message`, marked with N_) and its values, put into words when shown (`detail`), so a check
    measured once — and cached — reads in the language of whoever looks at it."""

    name: str
    passed: bool
    message: str
    params: dict = field(default_factory=dict)
    page: int | None = None

    @property
    def detail(self) -> str:
        from bulletin.i18n import _

        return _(self.message).format(**self.params)


@dataclass
class PageLayout:
    """What one page measures."""

    number: int
    width_mm: float
    height_mm: float
    body_lines: int                  # lines of body size in the type area (body text, headings)
    pitch_pt: float | None           # the most common distance between neighbouring body lines
    longest_line: float              # the longest body line, in full-width characters
    longest_text: str
    tail_rule_mm: float | None       # the tail's last rule, mm from the top (None: no tail on this page)
    red_rule_mm: float | None        # the red rule's length (None: no red rule on this page)
    full: bool                       # a page of plain body text (it must carry the full grid)


@dataclass
class Layout:
    pages: list[PageLayout] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)


def _pitch(lines: list[Line]) -> float | None:
    """The usual distance between neighbouring lines (the mean of the gaps near the median), in pt."""
    gaps = [b.top - a.top for a, b in zip(lines, lines[1:])]
    if not gaps:
        return None
    middle = statistics.median(gaps)
    return round(statistics.mean(g for g in gaps if abs(g - middle) < 1), 2)


def measure(pdf_path: str | Path, pitch: float = PITCH, lines: int = LINES, chars: int = CHARS) -> Layout:
    """The layout of a bulletin's PDF: what each page measures and the checks, passed or failed."""
    import pdfplumber

    layout = Layout()
    tails: dict[int, tuple[list[dict], list[Line]]] = {}
    full_pages: dict[int, list[Line]] = {}
    with pdfplumber.open(str(pdf_path)) as pdf:
        count = len(pdf.pages)
        for number, page in enumerate(pdf.pages, start=1):
            body = body_lines(page, number)
            red = [r for r in horizontal_rules(page) if is_red(r["color"])]
            if number == 1 and red:  # the imprint line above the red rule is not body text
                body = [l for l in body if l.top > red[0]["top"]]
            rules = tail_rules(page)
            tails[number] = (rules, body)
            # Lines of body size in the type area: body text, headings, the editor's note; not the
            # imprint above the red rule, not the tail, not the page number.
            shown = [l for l in lines_of(page, number) if abs(l.size - BODY_SIZE) < 0.6 and mm(l.top) < TYPE_BOTTOM_MM
                     and (number != 1 or not red or l.top > red[0]["top"]) and (not rules or l.top < rules[0]["top"])]
            grid = full_page(page, number)
            if grid is not None and 1 < number < count:
                full_pages[number] = grid
            longest = max(shown, key=lambda l: columns(l.text), default=None)
            layout.pages.append(PageLayout(
                number, round(mm(page.width), 1), round(mm(page.height), 1), len(shown), _pitch(shown),
                columns(longest.text) if longest else 0, longest.text if longest else "",
                round(mm(rules[-1]["top"]), 1) if rules else None,
                round(red[0]["width_mm"], 1) if red else None, number in full_pages))
    layout.checks = _checks(layout, tails, full_pages, pitch, lines, chars)
    return layout


def _checks(layout: Layout, tails, full_pages, pitch: float, lines: int, chars: int) -> list[Check]:
    from bulletin.i18n import N_

    checks: list[Check] = []
    if not layout.pages:
        return [Check("pages", False, N_("the PDF has no pages"))]
    odd = [p.number for p in layout.pages if abs(p.width_mm - 210) >= 1 or abs(p.height_mm - 297) >= 1]
    checks.append(Check("a4", True, N_("every page is A4")) if not odd else
                  Check("a4", False, N_("not A4: page {pages}"), {"pages": ", ".join(map(str, odd))}))
    for number, grid in sorted(full_pages.items()):
        gaps = [b.top - a.top for a, b in zip(grid, grid[1:])]
        off = [g for g in gaps if abs(g - pitch) >= 0.3]
        ok = len(grid) == lines and not off
        checks.append(Check("lines", ok, N_("{count} lines at {pitch} pt (expected {lines} at {expected} pt)"),
                            {"count": len(grid), "pitch": layout.pages[number - 1].pitch_pt, "lines": lines,
                             "expected": pitch}, number))
    longest = max(layout.pages, key=lambda p: p.longest_line)
    full = [len(l.text) for _r, body in tails.values() for l in body if full_width(l.text)]
    widest_full = max(full, default=0)
    # A page of plain body text proves the grid with a line of exactly `chars` full-width characters; a
    # short issue may hold none (first lines are indented two characters, short lines carry digits),
    # and then only the upper bound can be checked.
    proven = widest_full == chars or not full_pages and widest_full <= chars
    ok = longest.longest_line <= chars and (proven or widest_full == 0 and longest.longest_line < chars)
    # Said in whole characters, as a clerk counts them: a line with a half-width digit takes up its cell.
    count = math.ceil(longest.longest_line)
    if ok:
        detail = N_("at most {chars} characters a line; the longest holds {count}: {text}")
    elif longest.longest_line > chars:
        detail = N_("more than {chars} characters on a line; the longest holds {count}: {text}")
    else:
        detail = N_("a full body line should hold exactly {chars} characters, but the longest holds {count}: {text}")
    checks.append(Check("characters", ok, detail, {"count": count, "chars": chars, "text": longest.longest_text},
                        longest.number))
    first = layout.pages[0]
    red_ok = first.red_rule_mm is not None and abs(first.red_rule_mm - TYPE_WIDTH_MM) <= 1
    checks.append(Check("red rule", red_ok, N_("the red rule on page 1 is {length} mm long (expected {expected} mm)"),
                        {"length": first.red_rule_mm, "expected": f"{TYPE_WIDTH_MM:g}"}, 1) if first.red_rule_mm
                  else Check("red rule", red_ok, N_("no red rule on page 1"), {}, 1))
    last = layout.pages[-1]
    rules, body = tails[last.number]
    tail_ok = last.tail_rule_mm is not None and abs(last.tail_rule_mm - TYPE_BOTTOM_MM) <= 1.5
    checks.append(Check("tail", tail_ok, N_("the tail's last rule sits at {at} mm (expected {expected} ± 1.5 mm)"),
                        {"at": last.tail_rule_mm, "expected": f"{TYPE_BOTTOM_MM:g}"}, last.number) if rules
                  else Check("tail", tail_ok, N_("no tail rules on the last page"), {}, last.number))
    if rules:
        below = [l.text for l in body if l.top + 12 > rules[0]["top"]]
        checks.append(Check("tail clear", True, N_("no body text below the tail's first rule"), {}, last.number)
                      if not below else
                      Check("tail clear", False, N_("body text below the tail's first rule: {text}"),
                            {"text": " / ".join(below)}, last.number))
    early = [n for n, (r, _b) in tails.items() if r and n != last.number]
    if early:
        checks.append(Check("tail clear", False, N_("tail rules on page {pages}, not only on the last page"),
                            {"pages": ", ".join(map(str, early))}))
    return checks


def main(argv: list[str]) -> int:
    """`python -m bulletin.office.measure FILE.pdf`: the layout as JSON on stdout (pages and checks),
    for a process that must not hold its own interpreter for the half second pdfplumber takes."""
    import json
    import sys
    from dataclasses import asdict

    layout = measure(Path(argv[0]))
    json.dump({"pages": [asdict(p) for p in layout.pages], "checks": [asdict(c) for c in layout.checks]},
              sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
