"""Measurements of a bulletin PDF made by LibreOffice, with pdfplumber (the checks of the print layout).

Units: pdfplumber works in PostScript points from the top-left corner; helpers convert to mm.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

PT_PER_MM = 72 / 25.4


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


def body_lines(page, page_no: int, body_font: str = "FandolFang", size: float = 16.0) -> list[Line]:
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


TABLE_RULE_PT = 0.6  # an article's table is ruled 0.5 pt; the tail's rules are 0.75 and 1 pt


def tail_rules(page) -> list[dict]:
    """The tail's rules on a page: black, the type area's width, thicker than a table's rules (a table
    as wide as the type area is ruled like it, but at 0.5 pt)."""
    return [r for r in horizontal_rules(page) if not is_red(r["color"]) and abs(r["width_mm"] - 156) <= 1
            and r["thickness"] > TABLE_RULE_PT]
