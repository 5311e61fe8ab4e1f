"""One issue as an HTML5 page: the same words as the print edition (render/words.py), laid out as
landmarks (header: the masthead; nav: 本期要目; main: 编者按 and the articles; footer: the tail).

`issue_files()` returns the page, its stylesheet and its pictures as {relative path: bytes}; the
archive (site.py) calls `IssuePage` itself to place the page in its folder and link it to the rest.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from html import escape
from importlib import resources

from bulletin.content.blocks import Article, Block, Heading, Image, Paragraph, Run, Table
from bulletin.content.issue import ComposedIssue
from bulletin.content.pictures import Picture
from bulletin.model.preset import Preset
from bulletin.render import words

STYLESHEET = "bulletin.css"
PICTURES = "pictures"
SCREEN_RED = "C00000"  # the masthead's red on screen: 6.5:1 on white (#FF0000 is 4.0:1, below AA)


def e(text: str) -> str:
    return escape(text, quote=True)


def article_id(index: int) -> str:
    """The fragment of article `index` (0-based) on its issue's page: `a1`, `a2` …"""
    return f"a{index + 1}"


def runs_html(runs: list[Run]) -> str:
    out = []
    for r in runs:
        if r.text == "\n":
            out.append("<br>")
            continue
        text = e(r.text).replace("\n", "<br>")
        if r.italic:
            text = f"<em>{text}</em>"
        if r.bold:
            text = f"<strong>{text}</strong>"
        out.append(text)
    return "".join(out)


def heading_tag(level: int, attrs: str, inner: str) -> str:
    """`<hN>` up to h6; deeper levels as a paragraph with the heading role and its level."""
    if level <= 6:
        return f"<h{level}{attrs}>{inner}</h{level}>"
    return f'<p role="heading" aria-level="{level}"{attrs}>{inner}</p>'


PUNCTUATION_FACE = "bulletin-cjk-punctuation"


def stylesheet(preset: Preset) -> bytes:
    """The page's stylesheet: the package's screen styles, then the fonts and the print page from the
    preset (A4, its margins mirrored like the print edition's, the print red)."""
    base = resources.files("bulletin.render.html").joinpath("bulletin.css").read_text(encoding="utf-8")
    p, f, m = preset.page, preset.fonts, preset.masthead

    def family(role: str) -> str:
        east = f.role(role).east_asia
        names = [east] + ([f.fallback_of(east)] if f.fallback_of(east) else []) + [f.role(role).latin]
        names = [PUNCTUATION_FACE] + names
        return ", ".join(f'"{n}"' for n in names) + (", sans-serif" if role in ("heading1", "marking") else ", serif")

    # Chinese quotes, dashes and the ellipsis are full width in print; a browser without the GB fonts
    # would take them from the Latin font (narrow “ ”), so they come from a CJK face of their own.
    punctuation = ('@font-face { font-family: "%s"; src: local("%s"), local("%s"), local("SimSun"), '
                   'local("Noto Serif CJK SC"), local("Source Han Serif SC"), local("Songti SC"); '
                   'unicode-range: U+2014, U+2018-2019, U+201C-201D, U+2026, U+00B7; }\n'
                   % (PUNCTUATION_FACE, f.role("body").east_asia, f.fallback_of(f.role("body").east_asia) or "仿宋"))
    fonts = punctuation + "\n".join(f".f-{role} {{ font-family: {family(role)}; }}" for role in
                      ("body", "heading1", "heading2", "heading3", "heading4", "title", "masthead", "marking",
                       "issue_number", "imprint", "contents_label", "contents", "note_label", "note", "column",
                       "source", "caption", "table", "tail"))
    inside, outside = p.margin_inside_mm, p.margin_outside_mm
    if p.mirror_margins:
        sides = (f"@page :right {{ margin-left: {inside:g}mm; margin-right: {outside:g}mm; }}\n"
                 f"@page :left {{ margin-left: {outside:g}mm; margin-right: {inside:g}mm; }}\n")
    else:
        sides = ""
    page = (f"@page {{ size: {p.width_mm:g}mm {p.height_mm:g}mm; margin: {p.margin_top_mm:g}mm {outside:g}mm "
            f"{p.margin_bottom_mm:g}mm {inside:g}mm; }}\n{sides}"
            f"@media print {{\n  .masthead .name, .masthead .imprint {{ color: #{m.color}; border-color: #{m.color}; }}\n"
            f"  body {{ font-size: {preset.sizes.body:g}pt; }}\n"
            f"  .article-title {{ font-size: {preset.sizes.title:g}pt; }}\n}}\n")
    return (base + "\n/* from the layout preset */\n" + fonts + "\n" + page).encode("utf-8")


def picture_name(article: int, number: int, picture: Picture) -> str:
    """`pictures/01-1.png`: article 1's first picture, whatever the file was called."""
    return f"{PICTURES}/{article + 1:02d}-{number}.{picture.type}"


def css_px(picture: Picture, width_mm: float | None, max_mm: float) -> tuple[int, int]:
    """The picture's width and height in CSS pixels (96 per inch), as the print edition sizes it:
    its natural size (or the width its title asks), only ever shrunk to `max_mm`."""
    dpi = picture.dpi[0] if picture.dpi and picture.dpi[0] > 0 else 96
    width = width_mm / 25.4 * 96 if width_mm else picture.px_width * 96 / dpi
    width = min(width, max_mm / 25.4 * 96)
    height = width * picture.px_height / picture.px_width
    return max(1, round(width)), max(1, round(height))


@dataclass
class Links:
    """Where a page of the archive links to, relative to the page; none on a page made alone."""

    root: str = ""                              # the prefix to the site's root folder (../../)
    home: str = ""                              # the archive's index
    units: str = ""                             # the index of contributing units
    feed: str = ""


@dataclass
class IssuePage:
    """Writes one issue's page; `pictures` collects {relative path: bytes} for the files beside it."""

    preset: Preset
    show_distribution: bool = False
    pictures: dict[str, bytes] = field(default_factory=dict)

    def render(self, issue: ComposedIssue, links: Links | None = None) -> str:
        links = links or Links()
        said = words.issue_words(issue, self.preset)
        head = document_head(said.title, links.root + STYLESHEET, feed=links.feed)
        body = [self.site_nav(links)] if links.home else []
        body += [self.masthead(said.masthead), self.contents(said.contents)]
        main = [self.note(issue, said.note_label, words.note_name(self.preset))]
        in_column = False
        for index, (article, aw) in enumerate(zip(issue.articles, said.articles)):
            if aw.column:
                main.append(f'<h2 class="column f-column">{e(aw.column)}</h2>')
                in_column = True
            main.append(self.article(index, article, aw, 3 if in_column else 2))
        body.append('<main id="main">\n' + "\n".join(x for x in main if x) + "\n</main>")
        body.append(self.tail(said.tail))
        return page(head, "\n".join(x for x in body if x))

    def site_nav(self, links: Links) -> str:
        w = words.WEB
        items = [f'<a href="{e(links.home)}">{e(w.archive)}</a>']
        if links.units:
            items.append(f'<a href="{e(links.units)}">{e(w.units)}</a>')
        return f'<nav class="site" aria-label="{e(w.site_nav)}">' + "　".join(items) + "</nav>"

    def masthead(self, m: words.Masthead) -> str:
        out = ['<header class="masthead">']
        if m.marking:
            out.append(f'<p class="marking f-marking">{e(m.marking)}</p>')
        name = "<br>".join(f'<span class="line">{e(line)}</span>' for line in m.name_lines)
        out.append(f'<h1 class="name f-masthead">{name}</h1>')
        for line in m.number_lines:
            out.append(f'<p class="number f-issue_number">{e(line)}</p>')
        out.append(f'<p class="imprint f-imprint"><span class="editor">{e(m.editor)}</span>'
                   f'<span class="date">{e(m.date)}</span></p>')
        out.append("</header>")
        return "\n".join(out)

    def contents(self, c: words.Contents | None) -> str:
        if c is None:
            return ""
        out = [f'<nav class="contents" aria-labelledby="contents-label">',
               f'<h2 id="contents-label" class="f-contents_label">{e(c.label)}</h2>', '<ul class="f-contents">']
        for entry in c.entries:
            if entry.article is None:
                out.append(f'<li class="column">{e(entry.text)}</li>')
            else:
                out.append(f'<li><a href="#{article_id(entry.article)}">{e(entry.text)}</a></li>')
        out += ["</ul>", "</nav>"]
        return "\n".join(out)

    def note(self, issue: ComposedIssue, label: str, name: str) -> str:
        if not issue.editor_note:
            return ""
        out = [f'<section class="note f-note" aria-label="{e(name)}">']
        for index, block in enumerate(issue.editor_note):
            runs = block.runs if isinstance(block, (Paragraph, Heading)) else [Run(getattr(block, "caption", ""))]
            if isinstance(block, Table):
                runs = [Run("　".join(block.cell_text(r, c) for c in range(block.columns)))
                        for r in range(len(block.rows))]
                runs = [x for pair in zip(runs, [Run("\n")] * len(runs)) for x in pair][:-1]
            first = f'<strong class="label f-note_label">{e(label)}</strong>' if index == 0 else ""
            out.append(f"<p>{first}{runs_html(runs)}</p>")
        out.append("</section>")
        return "\n".join(out)

    def article(self, index: int, article: Article, aw: words.ArticleWords, level: int) -> str:
        aid = article_id(index)
        out = [f'<article id="{aid}" aria-labelledby="{aid}-title">']
        if aw.kicker:
            out.append(f'<p class="kicker f-source">{e(aw.kicker)}</p>')
        out.append(heading_tag(level, f' id="{aid}-title" class="article-title f-title"', e(aw.title)))
        count = 0
        for block in article.blocks:
            if isinstance(block, Image):
                count += 1
            out.append(self.block(block, level, index, count))
        if aw.trailer:
            out.append(f'<p class="trailer f-source">{e(aw.trailer)}</p>')
        out.append("</article>")
        return "\n".join(x for x in out if x)

    def block(self, block: Block, level: int, article: int, picture: int) -> str:
        if isinstance(block, Heading):
            label = f'<span class="label">{e(block.label)}</span>' if block.label else ""
            return heading_tag(level + block.level, f' class="h{block.level} f-heading{block.level}"',
                               label + runs_html(block.runs))
        if isinstance(block, Image):
            return self.image(block, article, picture)
        if isinstance(block, Table):
            return self.table(block)
        return f'<p>{runs_html(block.runs)}</p>'

    def image(self, block: Image, article: int, number: int) -> str:
        pic = block.picture
        if pic is None:
            return ""
        name = picture_name(article, number, pic)
        self.pictures[name] = pic.data
        width, height = css_px(pic, block.width_mm, self.preset.body.image_max_width_mm)
        img = (f'<img src="{e(name)}" alt="{e(block.caption)}" width="{width}" height="{height}">')
        caption = f'\n<figcaption class="f-caption">{e(block.caption)}</figcaption>' if block.caption else ""
        return f"<figure>\n{img}{caption}\n</figure>"

    def table(self, block: Table) -> str:
        out = ['<div class="table-wrap"><table class="f-table">']
        head = block.rows[:block.header_rows]
        if head:
            out.append("<thead>")
            for row in head:
                cells = "".join(f'<th scope="col">{runs_html(row[c]) if c < len(row) else ""}</th>'
                                for c in range(block.columns))
                out.append(f"<tr>{cells}</tr>")
            out.append("</thead>")
        out.append("<tbody>")
        for row in block.rows[block.header_rows:]:
            cells = []
            for c in range(block.columns):
                align = block.align[c] if c < len(block.align) else ""
                style = f' class="{align}"' if align in ("center", "right") else ""
                cells.append(f"<td{style}>{runs_html(row[c]) if c < len(row) else ''}</td>")
            out.append("<tr>" + "".join(cells) + "</tr>")
        out.append("</tbody></table></div>")
        return "\n".join(out)

    def tail(self, rows: list[words.TailRow]) -> str:
        shown = [row for row in rows if self.show_distribution or row.kind not in ("list", "copies")]
        if not shown:
            return '<footer class="tail f-tail"></footer>'
        out = ['<footer class="tail f-tail">']
        for row in shown:
            out.append(f'<p class="{row.kind}">{e(row.text)}</p>')
        out.append("</footer>")
        return "\n".join(out)


def document_head(title: str, css: str, *, feed: str = "", scripts: tuple[str, ...] = ()) -> str:
    out = ['<meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{e(title)}</title>", f'<link rel="stylesheet" href="{e(css)}">']
    if feed:
        out.append(f'<link rel="alternate" type="application/atom+xml" title="订阅" href="{e(feed)}">')
    out += [f'<script src="{e(s)}" defer></script>' for s in scripts]
    return "\n".join(out)


def page(head: str, body: str) -> str:
    return f'<!DOCTYPE html>\n<html lang="zh-CN">\n<head>\n{head}\n</head>\n<body class="f-body">\n{body}\n</body>\n</html>\n'


def issue_files(issue: ComposedIssue, preset: Preset, show_distribution: bool = False) -> dict[str, bytes]:
    """The web edition of one issue: index.html, its stylesheet and its pictures, by relative path."""
    writer = IssuePage(preset, show_distribution)
    html = writer.render(issue)
    files = {"index.html": html.encode("utf-8"), STYLESHEET: stylesheet(preset)}
    files.update(writer.pictures)
    return dict(sorted(files.items()))


def digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]
