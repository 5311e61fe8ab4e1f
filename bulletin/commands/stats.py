"""Adoption statistics (信息采用统计): per contributing unit, articles adopted, in which issues and columns."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.errors import BulletinError
from bulletin.i18n import N_
from bulletin.store.atomic import atomic_write
from bulletin.store.workspace import Workspace


@dataclass
class UnitStats:
    source: str
    articles: int = 0
    issues: list[str] = field(default_factory=list)
    by_section: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class Stats:
    year: int | None
    units: list[UnitStats]
    per_year: dict[int, int]
    sections: list[str]

    @property
    def total(self) -> int:
        return sum(self.per_year.values())


def collect(ws: Workspace, year: int | None = None, drafts: bool = False) -> Stats:
    """Count every article of every published issue (of `year`; drafts too with `drafts`) by its
    `source`, articles without one under the editing office of bulletin.toml; issues are named by
    their labels (第1期, 增刊第1期; 2026年第1期 when the table spans years). Invalid articles are errors."""
    from bulletin.commands.records import load_records
    from bulletin.render.words import issue_number, year_number

    office = ws.series().series.editor
    labels = ws.preset().labels

    units: dict[str, UnitStats] = {}
    per_year: dict[int, int] = defaultdict(int)
    sections: set[str] = set()
    problems = []
    for rec in load_records(ws):
        if (year and rec.key.year != year) or (rec.meta.status != "published" and not drafts):
            continue
        label = issue_number(rec.meta, labels) if year else year_number(rec.key.year, rec.meta, labels)
        for name in rec.meta.articles:
            try:
                article, _loaded = ws.load_article(ws.issue_dir(rec.key) / name)
            except BulletinError as exc:
                problems += exc.diagnostics
                continue
            source = article.source or office
            unit = units.setdefault(source, UnitStats(source))
            unit.articles += 1
            if label not in unit.issues:
                unit.issues.append(label)
            section = article.section or "—"
            unit.by_section[section] += 1
            sections.add(section)
            per_year[rec.key.year] += 1
    if problems:
        raise BulletinError(problems)
    ordered = sorted(units.values(), key=lambda u: (-u.articles, u.source == office, u.source))
    return Stats(year, ordered, dict(sorted(per_year.items())), sorted(sections))


# The CSV is the office's own record, kept with its registers: its headings are Chinese whatever the
# language of messages. The table `bulletin stats` prints speaks the reader's language.
_RECORD_WORDS = {"unit": "供稿单位", "articles": "采用篇数", "issues": "刊发期次", "total": "合计"}
_SHOWN_WORDS = {"unit": N_("contributing unit"), "articles": N_("articles adopted"), "issues": N_("issues"),
                "total": N_("in all")}


def table(stats: Stats, translate=None) -> tuple[list[str], list[list], list]:
    """Columns, rows and the totals row of the statistics table: the record's Chinese headings, or with
    `translate` (bulletin.i18n._) the shown ones in the reader's language."""
    def word(name: str) -> str:
        return translate(_SHOWN_WORDS[name]) if translate else _RECORD_WORDS[name]

    columns = [word("unit"), word("articles"), *stats.sections, word("issues")]
    rows = [[u.source, u.articles, *[u.by_section.get(s, 0) for s in stats.sections], "、".join(u.issues)]
            for u in stats.units]
    totals = [word("total"), stats.total, *[sum(u.by_section.get(s, 0) for u in stats.units) for s in stats.sections], ""]
    return columns, rows, totals


def write_csv(stats: Stats, out: Path) -> Path:
    columns, rows, totals = table(stats)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    writer.writerows(rows)
    writer.writerow(totals)
    for year, count in stats.per_year.items():
        writer.writerow([f"{year}年合计", count])
    atomic_write(Path(out), "\ufeff" + buffer.getvalue())  # BOM: Excel reads the Chinese correctly
    return Path(out)
