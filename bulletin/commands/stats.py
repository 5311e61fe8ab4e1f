"""Adoption statistics (信息采用统计): per contributing unit, articles adopted, in which issues and columns."""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
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


def excel_csv(rows) -> bytes:
    """Rows as Excel opens them in Chinese: UTF-8 with a BOM, CRLF lines."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads the Chinese correctly


def write_csv(stats: Stats, out: Path) -> Path:
    columns, rows, totals = table(stats)
    atomic_write(Path(out), excel_csv([columns, *rows, totals,
                                       *([f"{year}年合计", count] for year, count in stats.per_year.items())]))
    return Path(out)


# --- scores (信息采用计分): per unit, from the item records and the issues' marks ------------------------

_QUARTER_WORDS = ("一", "二", "三", "四")


@dataclass(frozen=True)
class Period:
    """A month, a quarter or a year: the days from `start` up to (not including) `end`, and how the
    circular names it (2026年第四季度, 2026年10月, 2026年)."""

    kind: str        # "month" | "quarter" | "year"
    start: date
    end: date
    label: str       # the period as given in its usual form: 2026-10, 2026Q4, 2026
    words: str       # 2026年10月, 2026年第四季度, 2026年

    def __contains__(self, day) -> bool:
        return self.start <= day < self.end


def parse_period(text: str, where: str = "period") -> Period:
    """`2026Q4` (or 2026-Q4, 2026q4), `2026-10` (a month), `2026` (a year); BulletinError otherwise,
    named by `where` (the option or field the text was typed into)."""
    import datetime as dt
    import re
    import unicodedata

    from bulletin.errors import fail
    from bulletin.i18n import _

    given = unicodedata.normalize("NFKC", str(text or "")).strip()
    if m := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", given):
        year, quarter = int(m.group(1)), int(m.group(2))
        start = dt.date(year, 3 * quarter - 2, 1)
        end = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
        return Period("quarter", start, end, f"{year}Q{quarter}", f"{year}年第{_QUARTER_WORDS[quarter - 1]}季度")
    if (m := re.fullmatch(r"(\d{4})-(\d{1,2})", given)) and 1 <= int(m.group(2)) <= 12:
        year, month = int(m.group(1)), int(m.group(2))
        end = dt.date(year + (month == 12), 1 if month == 12 else month + 1, 1)
        return Period("month", dt.date(year, month, 1), end, f"{year}-{month:02d}", f"{year}年{month}月")
    if re.fullmatch(r"\d{4}", given) and 1949 <= int(given) <= 2999:
        year = int(given)
        return Period("year", dt.date(year, 1, 1), dt.date(year + 1, 1, 1), given, f"{year}年")
    raise fail(where, None, _("{text!r} is not a month, a quarter or a year").format(text=str(text)),
               _("write a quarter as 2026Q4, a month as 2026-10, a year as 2026"))


@dataclass
class UnitScore:
    unit: str
    sent: int = 0
    adopted: int = 0        # 全文采用
    combined: int = 0       # 综合采用
    returned: int = 0
    kept: int = 0
    instructions: int = 0   # 批示 on its articles
    higher: int = 0         # 上级采用 of its articles
    points: float = 0
    rank: int = 0


@dataclass
class Scores:
    period: Period
    rules: object            # model.files.ScoringSettings
    units: list[UnitScore]

    def total(self, name: str):
        return sum(getattr(u, name) for u in self.units)


def _issue_facts(ws: Workspace):
    """Every issue that reads: its key as items name it (2026-10) → (date, articles, marks, key)."""
    from bulletin.commands.records import load_records

    return {str(rec.key): rec for rec in load_records(ws, diagnostics=[])}


def scores(ws: Workspace, period: Period | str) -> Scores:
    """Per unit, for the period: items sent (by the day they were sent), adopted in full and combined
    (by the date of the issue they went into, while its article is still in it), returned and kept (by
    the day of that decision), 批示 and 上级采用 recorded on their articles (by the mark's date), the
    points by bulletin.toml's `[scoring]`, and the rank. Every unit is listed, those with nothing as
    zeros. Computed from the records each time: an undone decision counts no more."""
    from bulletin.commands.submissions import listing, units

    if isinstance(period, str):
        period = parse_period(period)
    rules = ws.series().scoring
    office = ws.series().series.editor
    table: dict[str, UnitScore] = {u: UnitScore(u) for u in units(ws)}

    def row(unit: str) -> UnitScore:
        return table.setdefault(unit, UnitScore(unit))

    issues = _issue_facts(ws)
    credited: dict[tuple[str, str], list[str]] = defaultdict(list)  # (issue, article) → the units printed in it
    for item in listing(ws):
        if item.sent_at.date() in period:
            row(item.unit).sent += 1
        decision = item.decision
        if decision is None:
            continue
        if decision.action in ("adopt", "combine"):
            rec = issues.get(decision.issue)
            if rec is None or decision.article not in rec.meta.articles:
                continue  # the article was taken out of the issue since: nothing printed, nothing earned
            if item.unit not in credited[(decision.issue, decision.article)]:
                credited[(decision.issue, decision.article)].append(item.unit)
            if rec.meta.date in period:
                if decision.action == "adopt":
                    row(item.unit).adopted += 1
                else:
                    row(item.unit).combined += 1
        elif decision.at.date() in period:
            if decision.action == "return":
                row(item.unit).returned += 1
            else:
                row(item.unit).kept += 1
    for ref, rec in issues.items():
        for article, marks in rec.meta.marks.items():
            instructions = sum(1 for m in marks.instructions if m.date in period)
            higher = sum(1 for m in marks.adopted_higher if m.date in period)
            if not (instructions or higher):
                continue
            names = credited.get((ref, article))
            if not names:
                try:
                    meta, _fm = ws.load_article(ws.issue_dir(rec.key) / article)
                except (BulletinError, OSError):
                    continue
                names = [meta.source or office]
            for unit in names:
                row(unit).instructions += instructions
                row(unit).higher += higher
    for u in table.values():
        u.points = _points(u.adopted * rules.full_adoption + u.combined * rules.combined_adoption
                           + u.instructions * rules.instruction_bonus + u.higher * rules.higher_adoption_bonus)
    order = {u: i for i, u in enumerate(table)}
    ranked = sorted(table.values(), key=lambda u: (-u.points, -(u.adopted + u.combined), -u.sent, order[u.unit]))
    for i, u in enumerate(ranked):
        u.rank = ranked[i - 1].rank if i and ranked[i - 1].points == u.points else i + 1
    return Scores(period, rules, ranked)


def _points(value: float):
    """Whole points as an int (10, not 10.0); halves kept."""
    value = round(value, 2)
    return int(value) if value == int(value) else value


_SCORE_RECORD = {"rank": "排名", "unit": "单位", "sent": "报送", "adopted": "全文采用", "combined": "综合采用",
                 "returned": "退回", "kept": "留用", "instructions": "领导批示", "higher": "上级采用", "points": "得分",
                 "total": "合计"}
_SCORE_SHOWN = {"rank": N_("rank"), "unit": N_("unit"), "sent": N_("sent"), "adopted": N_("adopted in full"),
                "combined": N_("combined"), "returned": N_("returned"), "kept": N_("kept"),
                "instructions": N_("leaders' instructions"), "higher": N_("adopted higher up"),
                "points": N_("points"), "total": N_("in all")}
SCORE_COLUMNS = ("rank", "unit", "sent", "adopted", "combined", "returned", "kept", "instructions", "higher", "points")


def scores_table(result: Scores, translate=None) -> tuple[list[str], list[list], list]:
    """Columns, rows and the totals row of the scores: the record's Chinese headings (the CSV, the
    circular), or with `translate` (bulletin.i18n._) the reader's language."""
    def word(name: str) -> str:
        return translate(_SCORE_SHOWN[name]) if translate else _SCORE_RECORD[name]

    columns = [word(c) for c in SCORE_COLUMNS]
    rows = [[getattr(u, c) for c in SCORE_COLUMNS] for u in result.units]
    totals = ["", word("total"), *[_points(result.total(c)) for c in SCORE_COLUMNS[2:]]]
    return columns, rows, totals


def scores_csv_bytes(result: Scores) -> bytes:
    """The scores for Excel: Chinese headings, UTF-8 with a BOM, CRLF lines, the totals row last (the
    web's download and `--csv` alike)."""
    columns, rows, totals = scores_table(result)
    return excel_csv([columns, *rows, totals])


def write_scores_csv(result: Scores, out: Path) -> Path:
    atomic_write(Path(out), scores_csv_bytes(result))
    return Path(out)


# --- the chart and the 通报 --------------------------------------------------------------------------

CIRCULAR_COLUMNS = ("rank", "unit", "sent", "adopted", "combined", "returned", "instructions", "higher", "points")
_fonts_found: dict[str, tuple[str, str]] = {}


def chart_font(ws: Workspace) -> tuple[str, str]:
    """(font file, family) for the chart's words: the preset's 黑体 role (heading1), as fontconfig finds
    it with the map the PDFs use (bulletin/office/fonts.conf: free stand-ins for the GB fonts), checked
    to hold Chinese; BulletinError naming what to install when no Chinese font is there."""
    import subprocess

    from bulletin.errors import fail
    from bulletin.i18n import _
    from bulletin.office.pdf import font_environment

    wanted = ws.preset().fonts.role("heading1").east_asia
    if wanted in _fonts_found:
        return _fonts_found[wanted]
    env = font_environment()
    for pattern in (f"{wanted}:lang=zh-cn", ":lang=zh-cn"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}\n%{family[0]}\n%{lang}", pattern], capture_output=True,
                                 text=True, timeout=30, env=env).stdout.split("\n")
        except (OSError, subprocess.SubprocessError):
            out = []
        if len(out) >= 3 and out[0] and "zh-cn" in out[2].split("|"):
            _fonts_found[wanted] = (out[0], out[1])
            return _fonts_found[wanted]
    raise fail("fc-match", None, _("no Chinese font was found for the chart"),
               _("install fontconfig and a Chinese font (Debian: apt-get install fontconfig fonts-noto-cjk)"))


def chart_png(ws: Workspace, result: Scores) -> bytes:
    """The bar chart of points per unit (the 通报's and the web page's), most points on top."""
    from bulletin.render.chart import points_chart_png

    path, family = chart_font(ws)
    page = ws.preset()
    return points_chart_png([(u.unit, u.points) for u in result.units], path, family=family,
                            width_mm=page.page.type_width_mm, max_height_mm=page.body.image_max_height_mm)


def circular_bytes(ws: Workspace, result: Scores, day: date | None = None) -> bytes:
    """The 通报 of the scores as .docx bytes, dated `day` (today by default)."""
    from bulletin.render.docx.circular import circular_docx
    from bulletin.render.words import circular_words

    day = day or date.today()
    totals = {name: result.total(name) for name in ("sent", "adopted", "combined", "returned", "instructions",
                                                    "higher")}
    said = circular_words(ws.series(), result.period.words, result.period.kind, totals, result.rules, day)
    columns = [_SCORE_RECORD[c] for c in CIRCULAR_COLUMNS]
    rows = [[getattr(u, c) for c in CIRCULAR_COLUMNS] for u in result.units]
    sums = ["", _SCORE_RECORD["total"], *[_points(result.total(c)) for c in CIRCULAR_COLUMNS[2:]]]
    return circular_docx(ws.preset(), said, columns, rows, sums, chart_png(ws, result), day)


def circular(ws: Workspace, period: Period | str, out: Path, day: date | None = None) -> Path:
    """`bulletin stats --quarter 2026Q4 --docx 通报.docx`: the circular written (atomically) to `out`."""
    from bulletin.errors import fail
    from bulletin.i18n import _

    out = Path(out)
    if out.suffix.lower() != ".docx":
        raise fail(out, None, _("the output file must end in .docx"), _("write --docx 通报.docx"))
    data = circular_bytes(ws, scores(ws, period), day)
    atomic_write(out, data)
    return out
