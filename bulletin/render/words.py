"""The words every output prints, decided once from the composed issue and the preset.

An issue's labels (第10期, （总第30期）, 增刊第1期, as `labels` in the preset says), the masthead's lines,
本期要目, the column headings (【工作动态】), the source lines (（××供稿）), the tail's rows (报：…。 送：…
发：… 本期增发：…, 编辑/审核/签发, （共印N份）), the distribution register's and the bound volume's
words, and the names the commands give an issue (the output file, `new`, `list`, `show`, `stats`).

Plain strings and small records, no markup: the .docx writer only lays them out, and any other writer
(the web edition) prints the same words by calling the same functions.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from bulletin.cjk import chinese_date
from bulletin.content.issue import ComposedIssue
from bulletin.model.files import IssueMeta, SeriesConfig
from bulletin.model.keys import IssueKey
from bulletin.model.preset import Labels, Preset
from bulletin.rules.distribution import ROLES

# --- an issue's labels -------------------------------------------------------------------------------


def issue_number(meta: IssueMeta, labels: Labels) -> str:
    """The issue's number as printed: `第10期`, `增刊第1期`, `专刊第1期` (the preset's labels)."""
    if meta.kind == "supplement":
        return labels.supplement.format(n=meta.number)
    if meta.kind == "special":
        return labels.special.format(n=meta.number, theme=meta.theme)
    return labels.regular.format(n=meta.number)


def issue_total(meta: IssueMeta, labels: Labels) -> str:
    """`（总第30期）` for a regular issue with its total; "" for the others."""
    return labels.total.format(total=meta.total) if meta.kind == "regular" and meta.total else ""


def number_label(meta: IssueMeta, labels: Labels) -> str:
    """`第10期（总第30期）`, `增刊第1期`, `专刊第1期` — how listings and messages name an issue."""
    return issue_number(meta, labels) + issue_total(meta, labels)


def year_number(year: int, meta: IssueMeta, labels: Labels) -> str:
    """`2026年第10期`: the number with its year, where a table spans years."""
    return f"{year}年{issue_number(meta, labels)}"


def file_stem(series_name: str, year: int, meta: IssueMeta, labels: Labels) -> str:
    """`政务公开工作简报-2026-第10期`: the name of an issue's output file, without its extension."""
    return f"{series_name}-{year}-{issue_number(meta, labels)}"


# --- the issue as printed ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Masthead:
    """The masthead's words, top to bottom."""

    marking: str              # 内部资料　注意保存, 秘密★1年; "" for none
    name_lines: list[str]     # the red name as the series writes it (a writer may split a long line)
    number_lines: list[str]   # ["第10期", "（总第30期）"], or one line when the preset joins them;
                              # a special issue's theme is its second line
    editor: str               # ××办公室编, flush left on the imprint line
    date: str                 # 2026年12月1日, flush right on the same line


def marking(issue: ComposedIssue) -> str:
    """The marking printed above the name: the issue's own (秘密★1年), else the series' (内部资料　注意保存);
    "" for none. An issue with a marking is for internal circulation (the archive leaves it out)."""
    return (issue.meta.marking or issue.series.series.marking).strip()


def masthead(issue: ComposedIssue, preset: Preset) -> Masthead:
    labels, series, meta = preset.labels, issue.series.series, issue.meta
    number = issue_number(meta, labels)
    second = issue_total(meta, labels)
    if meta.kind == "special" and meta.theme:
        second = labels.special_theme.format(theme=meta.theme)
    if second and preset.masthead.total_on_same_line:
        number, second = number + second, ""
    return Masthead(marking(issue), list(series.masthead_lines), [number] + ([second] if second else []),
                    labels.imprint_editor.format(editor=series.editor), chinese_date(meta.date))


@dataclass(frozen=True)
class ContentsEntry:
    """A line of 本期要目: an article's title, or the name of the column the titles after it are in."""

    text: str
    article: int | None = None   # the index of the article in issue.articles; None for a column


@dataclass(frozen=True)
class Contents:
    label: str                   # 本期要目
    entries: list[ContentsEntry]


def contents(issue: ComposedIssue, preset: Preset) -> Contents | None:
    """本期要目 with the column headings among the titles; None when the preset prints none for an issue
    of this many articles."""
    b = preset.body
    if not b.contents_min_articles or len(issue.articles) < b.contents_min_articles:
        return None
    entries, section = [], None
    for index, article in enumerate(issue.articles):
        if article.section and article.section != section:
            entries.append(ContentsEntry(column_heading(article.section, preset)))
        section = article.section or section
        entries.append(ContentsEntry(article.title, index))
    return Contents(b.contents_label, entries)


def column_heading(section: str, preset: Preset) -> str:
    """`【工作动态】`: a column's (栏目) name as printed."""
    return preset.body.column_format.format(section=section)


@dataclass(frozen=True)
class ArticleWords:
    """The words printed around one article's text."""

    title: str
    column: str    # the column heading above it when it starts a new column, else ""
    kicker: str    # the contributing unit on a line above the title (source_style "kicker"), else ""
    trailer: str   # （××供稿） after its last paragraph (source_style "trailer"), else ""


def articles(issue: ComposedIssue, preset: Preset) -> list[ArticleWords]:
    """One entry per article, in order. An article without a column stays in the column before it."""
    b = preset.body
    out, section = [], None
    for article in issue.articles:
        new_section = article.section and article.section != section
        source = article.source
        out.append(ArticleWords(
            article.title,
            column_heading(article.section, preset) if new_section else "",
            source if source and b.source_style == "kicker" else "",
            b.source_format.format(source=source) if source and b.source_style == "trailer" else ""))
        section = article.section or section
    return out


class TailRow(NamedTuple):
    """A row of the tail (报尾): `kind` is "list" (报/送/发/本期增发), "people" (编辑/审核/签发) or
    "copies" (共印); a writer that keeps the distribution private leaves out "list" and "copies"."""

    kind: str
    text: str


PEOPLE = (("编辑", "editor"), ("审核", "reviewer"), ("签发", "signer"))


def tail_rows(issue: ComposedIssue, preset: Preset) -> list[TailRow]:
    """Every row of the tail in order; a role without recipients has no row."""
    rows = []
    dist = issue.distribution
    for role in ROLES:
        names = [r.name for r in dist.by_role.get(role, [])]
        if names:
            rows.append(TailRow("list", f"{role}：" + "，".join(names) + "。"))
    if dist.extra:
        rows.append(TailRow("list", f"{preset.tail.extra_label}：" + "，".join(dist.extra) + "。"))
    people = issue.meta.printed_people()  # the review record's names, else the hand-written ones
    if people.any():
        rows.append(TailRow("people", "　".join(f"{label}：{getattr(people, field)}" for label, field in PEOPLE
                                               if getattr(people, field))))
    rows.append(TailRow("copies", preset.tail.copies_format.format(copies=dist.copies)))
    return rows


def document_title(issue: ComposedIssue, preset: Preset) -> str:
    """`政务公开工作简报 第10期`: the document's own title (its properties, a web page's title)."""
    return f"{issue.series.series.name} {issue_number(issue.meta, preset.labels)}"


@dataclass(frozen=True)
class IssueWords:
    """Every word of one issue apart from its articles' text, in the order it is printed."""

    title: str
    masthead: Masthead
    contents: Contents | None
    note_label: str              # 编者按：, before the editor's note (when the issue has one)
    articles: list[ArticleWords]
    tail: list[TailRow]


def issue_words(issue: ComposedIssue, preset: Preset) -> IssueWords:
    return IssueWords(document_title(issue, preset), masthead(issue, preset), contents(issue, preset),
                      preset.body.note_label, articles(issue, preset), tail_rows(issue, preset))


# --- the distribution register -----------------------------------------------------------------------

REGISTER_TITLE = "分发登记表"
REGISTER_COLUMNS = ["序号", "类别", "接收单位或个人", "份数", "签收"]
REGISTER_TOTAL = "合计"
REGISTER_ARCHIVE = "存档"  # the category of the editing office's own copies


@dataclass(frozen=True)
class RegisterWords:
    heading: str    # 《政务公开工作简报》2026年第10期（总第30期）
    title: str      # 分发登记表
    imprint: str    # the editing office and the date
    columns: list[str]
    total: str      # 合计, the totals row's label


def register_words(series: SeriesConfig, key: IssueKey, meta: IssueMeta, labels: Labels) -> RegisterWords:
    heading = f"《{series.series.name}》{key.year}年{number_label(meta, labels)}"
    return RegisterWords(heading, REGISTER_TITLE, f"{series.series.editor}　　{chinese_date(meta.date)}",
                         list(REGISTER_COLUMNS), REGISTER_TOTAL)


# --- the bound volume --------------------------------------------------------------------------------

DRAFT_MARK = "（草稿）"  # after the date of an unpublished issue in the contents (compile --drafts)


@dataclass(frozen=True)
class VolumeEntry:
    """An issue in the volume's contents: 第10期（总第30期）　2026年11月20日, then its articles' titles."""

    label: str
    titles: list[str]


@dataclass(frozen=True)
class VolumeWords:
    name_lines: list[str]    # the red name on the cover
    title: str               # 2026年合订本, （含草稿） when drafts are bound
    editor: str
    contents_label: str      # 目　录
    entries: list[VolumeEntry]
    document_title: str      # 政务公开工作简报 2026年合订本


def volume_words(issues: list[ComposedIssue], preset: Preset, year: int) -> VolumeWords:
    series = issues[0].series.series
    drafts = any(i.meta.status != "published" for i in issues)
    entries = []
    for issue in issues:
        label = f"{number_label(issue.meta, preset.labels)}　{chinese_date(issue.meta.date)}"
        if issue.meta.status != "published":
            label += f"　{DRAFT_MARK}"
        entries.append(VolumeEntry(label, [a.title for a in issue.articles]))
    return VolumeWords(list(series.masthead_lines), f"{year}年合订本" + ("（含草稿）" if drafts else ""),
                       series.editor, "目　录", entries, f"{series.name} {year}年合订本")


# --- the web edition and its archive -------------------------------------------------------------------


@dataclass(frozen=True)
class WebWords:
    """The words of the web pages around the issues (the archive's index, the units, the search)."""

    site_nav: str = "网站导航"
    archive: str = "往期简报"
    units: str = "供稿单位"
    feed: str = "订阅（Atom）"
    year: str = "{year}年"
    no_issues: str = "暂无公开的简报。"
    search_label: str = "搜索文章"
    search_button: str = "搜索"
    found: str = "找到{n}篇文章"          # the search script fills in {n}
    not_found: str = "没有找到相关文章"
    unit_title: str = "{unit}供稿的文章"
    unit_count: str = "{n}篇"
    unit_index_title: str = "供稿单位"
    in_issue: str = "{issue}　{date}"     # where an article appeared: 2026年第10期　2026年11月20日


WEB = WebWords()


def note_name(preset: Preset) -> str:
    """编者按, the editor's note's name (its label without the colon), for the page's landmarks."""
    return preset.body.note_label.rstrip("：:　 ")


def unit_of(article, series: SeriesConfig) -> str:
    """The contributing unit an article counts for: its source, else the editing office."""
    return article.source or series.series.editor


# --- the 通报 of the scores (信息报送采用情况通报) ------------------------------------------------------

_PERIOD_SPAN = {"month": "本月", "quarter": "本季度", "year": "本年度"}


@dataclass(frozen=True)
class CircularWords:
    """The words of the circular: title, 主送 line, the text around the table and the chart, sign-off."""

    title: str          # 关于2026年第四季度各单位信息报送采用情况的通报
    addressee: str      # 各单位：
    opening: str        # 现将2026年第四季度各单位信息报送采用情况通报如下。
    summary: str        # 本季度共收到各单位报送信息12条，采用7条（全文采用4条、综合采用3条）……
    rules: str          # 计分办法：全文采用每条计10分……
    table_heading: str  # 一、各单位报送采用及得分情况
    chart_heading: str  # 二、各单位得分情况
    caption: str        # 图　各单位信息采用得分
    closing: str
    signer: str         # the editing office
    date: str           # 2027年1月5日


def _num(value) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def circular_words(series: SeriesConfig, period_words: str, period_kind: str, totals: dict, rules, day) -> CircularWords:
    """`totals`: sent, adopted, combined, returned, instructions, higher over every unit; `rules`: the
    [scoring] settings; `day`: the circular's date."""
    span = _PERIOD_SPAN.get(period_kind, "本期")
    used = totals["adopted"] + totals["combined"]
    summary = (f"{span}共收到各单位报送信息{totals['sent']}条，采用{used}条（全文采用{totals['adopted']}条、"
               f"综合采用{totals['combined']}条），退回{totals['returned']}条；领导批示{totals['instructions']}次，"
               f"上级采用{totals['higher']}次。")
    rules_text = (f"计分办法：全文采用每条计{_num(rules.full_adoption)}分，综合采用每条计{_num(rules.combined_adoption)}分；"
                  f"信息获领导批示的每次加{_num(rules.instruction_bonus)}分，被上级采用的每次加"
                  f"{_num(rules.higher_adoption_bonus)}分。")
    return CircularWords(
        title=f"关于{period_words}各单位信息报送采用情况的通报",
        addressee="各单位：",
        opening=f"现将{period_words}各单位信息报送采用情况通报如下。",
        summary=summary, rules=rules_text,
        table_heading="一、各单位报送采用及得分情况",
        chart_heading="二、各单位得分情况",
        caption="图　各单位信息采用得分",
        closing="希望各单位进一步提高信息报送的数量和质量，及时报送工作中的新举措、新成效、新经验。",
        signer=series.series.editor, date=chinese_date(day))
