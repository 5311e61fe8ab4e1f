"""The static archive of the published, public issues: an index by year, one page per issue, an index
per contributing unit, an Atom feed and an offline search (a bigram index loaded as a script, so it
works from file:// where fetch() does not). Every link is relative; the same issues give the same bytes.

Which issues go in is the command's decision (commands/site.py); this module only writes them.
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from html import escape
from importlib import resources
from xml.sax.saxutils import escape as xml_escape

from bulletin.cjk import chinese_date
from bulletin.content.blocks import Heading, Image, Paragraph, Table
from bulletin.content.issue import ComposedIssue
from bulletin.model.preset import Preset
from bulletin.render import words
from bulletin.render.html.page import (
    STYLESHEET,
    IssuePage,
    Links,
    article_id,
    digest,
    document_head,
    page,
    stylesheet,
)

SEARCH_SCRIPT = "search.js"
SEARCH_INDEX = "search-index.js"
FEED = "feed.xml"
UNITS = "units"
TIMEZONE = "+08:00"  # issue dates are Beijing dates


def e(text: str) -> str:
    return escape(text, quote=True)


def issue_folder(issue: ComposedIssue) -> str:
    """`issues/2026-10`, `issues/2026-S1`: an issue's folder in the archive (the workbench's address)."""
    return f"issues/{issue.key}"


# --- the search index ----------------------------------------------------------------------------

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_RUNS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+")


def terms(text: str) -> set[str]:
    """The search terms of a text: each Chinese character and each pair of neighbours (bigrams), and
    each word of Latin letters and digits, lower case. search.js splits a query the same way."""
    out: set[str] = set()
    for run in _RUNS.findall(unicodedata.normalize("NFKC", text).lower()):
        if _HAN.fullmatch(run):
            out.update(run)
            out.update(run[i:i + 2] for i in range(len(run) - 1))
        else:
            out.add(run)
    return out


def article_text(article) -> str:
    out = [article.title, article.source, article.section]
    for block in article.blocks:
        if isinstance(block, (Paragraph, Heading)):
            out.append(getattr(block, "label", "") + block.text)
        elif isinstance(block, Image):
            out.append(block.caption)
        elif isinstance(block, Table):
            out += [block.cell_text(r, c) for r in range(len(block.rows)) for c in range(block.columns)]
    return "\n".join(out)


# --- the archive ---------------------------------------------------------------------------------


@dataclass
class Site:
    """Writes the archive of `issues` (already chosen) with one preset."""

    preset: Preset
    show_distribution: bool = False

    def build(self, issues: list[ComposedIssue]) -> dict[str, bytes]:
        """Every file of the archive by relative path, sorted."""
        issues = sorted(issues, key=lambda i: (i.meta.date, i.key), reverse=True)  # newest first
        files: dict[str, bytes] = {STYLESHEET: stylesheet(self.preset),
                                   SEARCH_SCRIPT: resources.files("bulletin.render.html")
                                   .joinpath(SEARCH_SCRIPT).read_bytes()}
        for issue in issues:
            writer = IssuePage(self.preset, self.show_distribution)
            folder = issue_folder(issue)
            links = Links(root="../../", home="../../index.html", units=f"../../{UNITS}/index.html",
                          feed=f"../../{FEED}")
            files[f"{folder}/index.html"] = writer.render(issue, links).encode("utf-8")
            files.update({f"{folder}/{name}": data for name, data in writer.pictures.items()})
        files["index.html"] = self.index(issues).encode("utf-8")
        files.update(self.units(issues))
        files[FEED] = self.feed(issues)
        files[SEARCH_INDEX] = self.search_index(issues)
        return dict(sorted(files.items()))

    # --- words -------------------------------------------------------------------------------------

    def series_name(self, issues: list[ComposedIssue]) -> str:
        return issues[0].series.series.name if issues else ""

    def label(self, issue: ComposedIssue) -> str:
        return words.number_label(issue.meta, self.preset.labels)

    def year_label(self, issue: ComposedIssue) -> str:
        return words.year_number(issue.key.year, issue.meta, self.preset.labels)

    def nav(self, root: str, here: str) -> str:
        w = words.WEB
        items = [(f"{root}index.html", w.archive, here == "index"), (f"{root}{UNITS}/index.html", w.units, here == "units"),
                 (f"{root}{FEED}", w.feed, False)]
        links = "　".join(f'<a href="{e(href)}"' + (' aria-current="page"' if current else "") + f">{e(text)}</a>"
                         for href, text, current in items)
        return f'<nav class="site" aria-label="{e(w.site_nav)}">{links}</nav>'

    def header(self, series, title: str = "") -> str:
        name = e(series.name) if series else ""
        sub = f'\n<p class="site-sub">{e(title)}</p>' if title else ""
        return f'<header>\n<p class="site-title f-masthead">{name}</p>{sub}\n</header>'

    def footer(self, series) -> str:
        editor = e(self.preset.labels.imprint_editor.format(editor=series.editor)) if series else ""
        return f'<footer class="page-footer">{editor}</footer>'

    # --- the index by year ---------------------------------------------------------------------------

    def index(self, issues: list[ComposedIssue]) -> str:
        w = words.WEB
        series = issues[0].series.series if issues else None
        title = f"{series.name}　{w.archive}" if series else w.archive
        body = [self.header(series), self.nav("", "index"), '<main id="main">', f"<h1>{e(w.archive)}</h1>",
                '<form class="search" role="search" action="#">'
                f'<label for="q">{e(w.search_label)}</label><input id="q" type="search" autocomplete="off"> '
                f'<button type="submit">{e(w.search_button)}</button></form>',
                '<p id="search-status" class="results" role="status" aria-live="polite"></p>',
                '<ul id="search-results" class="results"></ul>']
        if not issues:
            body.append(f"<p>{e(w.no_issues)}</p>")
        years: dict[int, list[ComposedIssue]] = {}
        for issue in issues:
            years.setdefault(issue.key.year, []).append(issue)
        for year in sorted(years, reverse=True):
            body.append(f'<section class="year" aria-labelledby="y{year}">')
            body.append(f'<h2 id="y{year}">{e(w.year.format(year=year))}</h2>')
            for issue in years[year]:
                href = f"{issue_folder(issue)}/index.html"
                body.append(f'<section class="issue">\n<h3><a href="{e(href)}">{e(self.label(issue))}</a></h3>')
                body.append(f'<p class="date">{e(chinese_date(issue.meta.date))}</p>\n<ul>')
                for index, article in enumerate(issue.articles):
                    body.append(f'<li><a href="{e(href)}#{article_id(index)}">{e(article.title)}</a></li>')
                body.append("</ul>\n</section>")
            body.append("</section>")
        body += ["</main>", self.footer(series)]
        head = document_head(title, STYLESHEET, feed=FEED, scripts=(SEARCH_INDEX, SEARCH_SCRIPT))
        return page(head, "\n".join(body))

    # --- the contributing units ----------------------------------------------------------------------

    def units(self, issues: list[ComposedIssue]) -> dict[str, bytes]:
        w = words.WEB
        series = issues[0].series.series if issues else None
        found: dict[str, list[tuple[ComposedIssue, int]]] = {}
        for issue in issues:
            for index, article in enumerate(issue.articles):
                found.setdefault(words.unit_of(article, issue.series), []).append((issue, index))
        order = sorted(found, key=lambda u: (-len(found[u]), u))
        files = {}
        listing = []
        for unit in order:
            name = f"{digest(unit)}.html"
            listing.append(f'<li><a href="{name}">{e(unit)}</a>　<span class="meta">'
                           f'{e(w.unit_count.format(n=len(found[unit])))}</span></li>')
            items = []
            for issue, index in found[unit]:
                href = f"../{issue_folder(issue)}/index.html#{article_id(index)}"
                where = w.in_issue.format(issue=self.year_label(issue), date=chinese_date(issue.meta.date))
                items.append(f'<li><a href="{e(href)}">{e(issue.articles[index].title)}</a>　'
                             f'<span class="meta">{e(where)}</span></li>')
            title = w.unit_title.format(unit=unit)
            body = [self.header(series), self.nav("../", ""), '<main id="main" class="unit">', f"<h1>{e(title)}</h1>",
                    "<ul>", *items, "</ul>", "</main>", self.footer(series)]
            files[f"{UNITS}/{name}"] = page(document_head(title, f"../{STYLESHEET}", feed=f"../{FEED}"),
                                            "\n".join(body)).encode("utf-8")
        body = [self.header(series), self.nav("../", "units"), '<main id="main" class="units">',
                f"<h1>{e(w.unit_index_title)}</h1>", "<ul>", *listing, "</ul>", "</main>", self.footer(series)]
        files[f"{UNITS}/index.html"] = page(document_head(w.unit_index_title, f"../{STYLESHEET}", feed=f"../{FEED}"),
                                            "\n".join(body)).encode("utf-8")
        return files

    # --- the feed ------------------------------------------------------------------------------------

    def feed(self, issues: list[ComposedIssue]) -> bytes:
        """Atom 1.0: ids are tag: URIs from the series name and the issue key (no host needed); the
        times are the issue dates, never the clock."""
        if not issues:
            return b'<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">' \
                   b'\n<id>tag:bulletin.invalid,2000:feed</id>\n<title>bulletin</title>\n' \
                   b'<updated>2000-01-01T00:00:00+08:00</updated>\n<author><name>bulletin</name></author>\n</feed>\n'
        series = issues[0].series.series
        base = tag_base(series.name, series.first.year)
        x = xml_escape
        out = ['<?xml version="1.0" encoding="utf-8"?>', '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
               f"<id>{base}feed</id>", f"<title>{x(series.name)}</title>", f"<updated>{stamp(issues[0])}</updated>",
               f"<author><name>{x(series.editor)}</name></author>",
               f'<link rel="self" type="application/atom+xml" href="{FEED}"/>',
               '<link rel="alternate" type="text/html" href="index.html"/>']
        for issue in issues:
            titles = "；".join(a.title for a in issue.articles)
            out += ["<entry>", f"<id>{base}{issue.key}</id>",
                    f"<title>{x(series.name + ' ' + self.year_label(issue) + words.issue_total(issue.meta, self.preset.labels))}</title>",
                    f"<updated>{stamp(issue)}</updated>",
                    f'<link rel="alternate" type="text/html" href="{issue_folder(issue)}/index.html"/>',
                    f"<summary>{x(titles)}</summary>", "</entry>"]
        out.append("</feed>")
        return ("\n".join(out) + "\n").encode("utf-8")

    # --- search --------------------------------------------------------------------------------------

    def search_index(self, issues: list[ComposedIssue]) -> bytes:
        """`window.BULLETIN_SEARCH = {...};`: the articles (title, where, link) and, for each term, the
        articles holding it."""
        w = words.WEB
        docs, postings = [], {}
        for issue in issues:
            for index, article in enumerate(issue.articles):
                doc = len(docs)
                docs.append([article.title, self.year_label(issue),
                             f"{issue_folder(issue)}/index.html#{article_id(index)}"])
                for term in terms(article_text(article)):
                    postings.setdefault(term, []).append(doc)
        data = {"docs": docs, "terms": dict(sorted(postings.items())),
                "words": {"found": w.found, "none": w.not_found}}
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
        return f"window.BULLETIN_SEARCH = {text};\n".encode("utf-8")


def stamp(issue: ComposedIssue) -> str:
    return f"{issue.meta.date.isoformat()}T00:00:00{TIMEZONE}"


def tag_base(series_name: str, year: int) -> str:
    """`tag:xn--…,2026:`: a tag: URI (RFC 4151) naming the series — its name as an IDNA label, so no
    host is needed; a name IDNA refuses is named by its digest."""
    try:
        label = series_name.encode("idna").decode("ascii").lower()
        if not re.fullmatch(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", label):
            raise ValueError(label)
    except (UnicodeError, ValueError):
        label = "bulletin-" + digest(series_name)
    return f"tag:{label},{year}:"
