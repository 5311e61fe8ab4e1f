"""The distribution register (分发登记表) as a printable .docx on the bulletin's page."""
from __future__ import annotations

import math

from bulletin.content.issue import ComposedIssue
from bulletin.model.files import IssueMeta, SeriesConfig
from bulletin.model.keys import IssueKey
from bulletin.model.preset import Preset, pt_to_twips
from bulletin.render.docx.fit import text_width
from bulletin.render.docx.oxml import RunStyle, paragraph, ppr, table_grid
from bulletin.render.docx.writer import DocxWriter
from bulletin.render.words import register_words
from bulletin.rules.distribution import Distribution

# Shares of the 156 mm type width: number, role, recipient, copies, signature.
SHARES = [0.09, 0.12, 0.43, 0.1, 0.26]
CELL_MARGIN = 57  # twips left and right in every cell (oxml.table_grid)


def register_docx(preset: Preset, series: SeriesConfig, key: IssueKey, meta: IssueMeta, rows: list[tuple],
                  total: int) -> bytes:
    """A table of every recipient with a column to sign, a totals row, and the issue's heading."""
    writer = DocxWriter(preset)
    said = register_words(series, key, meta, preset.labels)
    issue = ComposedIssue(series, key, meta, [], [], Distribution())
    pkg = writer.new_package()
    size = preset.sizes.tail
    cell_style = RunStyle(writer.font("tail"), size, spacing_twips=0)
    head_style = RunStyle(writer.font("heading1"), size, spacing_twips=0)

    def cell(text, style=cell_style, jc="center"):
        props = ppr(line=pt_to_twips(size * 2.2),  # room for a signature
                     first_line_chars=0, first_line=0, jc=jc)
        return paragraph(props, writer.text(str(text), style, style.font[0]))

    widths = [round(writer.u.type_width * share) for share in SHARES]
    # 类别 holds its longest word (本期增发) on one line: the cell margins and a little room beside it
    category = max(text_width(text) for text in [said.columns[1], *(row[1] for row in rows)])
    need = math.ceil(category * pt_to_twips(size)) + 2 * CELL_MARGIN + pt_to_twips(size) // 2
    if need > widths[1]:
        widths[2] -= need - widths[1]
        widths[1] = need
    widths[-1] = writer.u.type_width - sum(widths[:-1])
    body_rows = [[cell(c, head_style) for c in said.columns]]
    body_rows += [[cell(n), cell(role), cell(name, jc="left"), cell(copies), cell("")]
                  for n, role, name, copies in rows]
    body_rows.append([cell(""), cell(said.total, head_style), cell(""), cell(total, head_style), cell("")])
    body = [writer.line(said.heading, "title", preset.sizes.body + 2, jc="center", line=pt_to_twips(30)),
            writer.line(said.title, "title", preset.sizes.title, jc="center", line=pt_to_twips(36)),
            writer.line(said.imprint, "imprint", size, jc="center", spacing_after=pt_to_twips(8)),
            table_grid(widths, body_rows),
            paragraph(ppr(first_line_chars=0, first_line=0))]
    return writer.finish(pkg, body, writer.section(pkg), issue, title=said.heading + said.title)
