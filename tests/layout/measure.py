"""Measurements of a bulletin PDF made by LibreOffice: the package's (bulletin/office/measure.py), which
the preview shows as checks; the layout tests assert on the same functions."""
from __future__ import annotations

from bulletin.office.measure import (  # noqa: F401
    PT_PER_MM,
    TABLE_RULE_PT,
    Line,
    body_lines,
    full_page,
    horizontal_rules,
    is_red,
    lines_of,
    mm,
    tail_rules,
)
