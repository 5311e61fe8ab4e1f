"""The rules of issue numbers: the next number and the consistency checks.

How an issue is named as printed (第10期) is the preset's, in render/words.py; the checks take it.
"""
from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from bulletin.errors import Diagnostic
from bulletin.i18n import _
from bulletin.model.files import FirstIssue, IssueMeta
from bulletin.model.keys import IssueKey


class Lines(Protocol):
    """Where a file's values sit (store.loaders.Loaded): its path and the line of a key path."""

    path: Path | None

    def line_of(self, loc: tuple) -> int | None: ...


@dataclass
class IssueRecord:
    """An issue as found on disk: its folder key, its validated metadata and where its lines are."""

    key: IssueKey
    meta: IssueMeta
    loaded: Lines

    def line(self, field: str) -> int | None:
        return self.loaded.line_of((field,))


def next_issue(records: list[IssueRecord], first: FirstIssue, date: _dt.date,
               kind: str = "regular") -> tuple[IssueKey, int | None]:
    """The key and total number of the next issue of `kind` dated `date`.

    Regular issues restart at 1 each January and carry the cumulative total; the workspace's very
    first regular issue takes `first` from bulletin.toml. Supplements and specials count per year.
    """
    same_kind = [r for r in records if r.key.kind == kind]
    in_year = [r.key.number for r in same_kind if r.key.year == date.year]
    if kind != "regular":
        return IssueKey(date.year, kind, max(in_year, default=0) + 1), None
    if not same_kind:
        number = first.number if date.year == first.year else 1
        return IssueKey(date.year, kind, number), first.total
    last = max(same_kind, key=lambda r: (r.key.year, r.key.number))
    number = max(in_year, default=0) + 1
    return IssueKey(date.year, kind, number), (last.meta.total or 0) + 1


def later_issue(records: list[IssueRecord], date: _dt.date, kind: str = "regular") -> IssueRecord | None:
    """The latest issue dated after `date` whose number a new issue of `kind` dated `date` would follow
    (a regular issue: any regular one, for the totals; a supplement or special: one of its kind and
    year); None when the new issue keeps numbers in date order. The same day is in order."""
    same = [r for r in records if r.key.kind == kind and (kind == "regular" or r.key.year == date.year)
            and r.meta.date > date]
    return max(same, key=lambda r: (r.meta.date, r.key.year, r.key.number), default=None)


def check_numbering(records: list[IssueRecord], first: FirstIssue,
                    number_label: Callable[[IssueMeta], str]) -> list[Diagnostic]:
    """Every numbering rule of SPEC.md over all issues; each problem names the issue.yaml line and
    names an issue by `number_label` (render.words.number_label with the preset's labels)."""
    out: list[Diagnostic] = []

    def err(rec: IssueRecord, field: str, message: str, hint: str = "") -> None:
        out.append(Diagnostic(str(rec.loaded.path), rec.line(field), message, "error", hint))

    seen: dict[tuple, IssueRecord] = {}
    for rec in sorted(records, key=lambda r: (r.meta.date, r.key.folder_name)):  # the later one is reported
        m = rec.meta
        if m.date.year != rec.key.year:
            err(rec, "date", _("the date {date} is outside the folder's year {year}").format(
                date=m.date.isoformat(), year=rec.key.year),
                _("move the issue to issues/{year}/ or correct the date").format(year=m.date.year))
        if m.kind != rec.key.kind or m.number != rec.key.number:
            err(rec, "number" if m.kind == rec.key.kind else "kind",
                _("the folder {folder} disagrees with '{kind}' number {number} inside").format(
                    folder=rec.key.folder_name, kind=m.kind, number=m.number),
                _("rename the folder or correct the number"))
        ident = (m.date.year, m.kind, m.number)
        if ident in seen:
            other = seen[ident]
            err(rec, "number", _("{label} of {year} is also {path}").format(
                label=number_label(m), year=m.date.year, path=other.loaded.path),
                _("give one of them the next free number"))
        seen.setdefault(ident, rec)

    # Per year and kind, numbers run 1, 2, 3 … (the first year may start at `first.number`).
    by_year: dict[tuple, list[IssueRecord]] = {}
    for rec in records:
        by_year.setdefault((rec.key.year, rec.key.kind), []).append(rec)
    for (year, kind), recs in sorted(by_year.items()):
        numbers = sorted({r.meta.number for r in recs})
        start = first.number if (kind == "regular" and year == first.year) else 1
        expected = start
        for number in numbers:
            if number > expected:
                rec = next(r for r in recs if r.meta.number == number)
                missing = f"{expected}" if number == expected + 1 else f"{expected}–{number - 1}"
                err(rec, "number", _("numbers of {year} skip from {previous} to {number} (missing {missing})").format(
                    year=year, previous=expected - 1, number=number, missing=missing),
                    _("number issues without gaps; 'bulletin new' allocates the next one"))
            expected = max(expected, number + 1)

    # Totals rise by exactly one per regular issue in date order.
    regular = sorted((r for r in records if r.meta.kind == "regular" and r.meta.total),
                     key=lambda r: (r.meta.date, r.key.year, r.meta.number))
    previous: IssueRecord | None = None
    for rec in regular:
        if previous is None:
            if rec.meta.total != first.total and rec.key.year == first.year and rec.meta.number == first.number:
                err(rec, "total", _("the first issue has total {total}, bulletin.toml says {first}").format(
                    total=rec.meta.total, first=first.total),
                    _("correct 'total' or [series].first in bulletin.toml"))
        elif rec.meta.total != previous.meta.total + 1:
            err(rec, "total", _("total {total} does not follow {previous} of {path} (expected {expected})").format(
                total=rec.meta.total, previous=previous.meta.total, path=previous.loaded.path,
                expected=previous.meta.total + 1),
                _("totals rise by one per regular issue in date order"))
        previous = rec
    return out
