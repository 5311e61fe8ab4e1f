"""The 通报 of a period's scores (信息报送采用情况通报) as a .docx on the bulletin's GB/T 9704 page.

A pure writer like register.py: the preset's page, styles, fonts and footers through DocxWriter; the
words from render/words.py (circular_words); the table of the scores and the bar chart (a PNG made
by render/chart.py) given as data. The title in 小标宋, the 主送 line, the text in 仿宋 on the line grid,
the headings in 黑体, the table in 四号 with its header repeated on every page, the chart as wide as the
type area (never taller than the preset lets a picture be), and the editing office and date.
"""
from __future__ import annotations

import math
import struct

from bulletin.model.preset import EMU_PER_MM, Preset, mm_to_twips, pt_to_twips
from bulletin.render.docx import parts
from bulletin.render.docx.oxml import RunStyle, data_table, document, inline_picture, paragraph, ppr
from bulletin.render.docx.package import CT_APP, CT_CORE, CT_MAIN
from bulletin.render.docx.writer import EMU_PER_TWIP, DocxWriter
from bulletin.render.words import CircularWords

RANK_MM = 14       # 排名: two characters of 四号 and the cell margins
NUMBER_MM = 14     # each column of counts and points: four characters in two lines of 四号


def png_size(data: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels (its IHDR chunk)."""
    if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    return struct.unpack(">II", data[16:24])


def column_widths(preset: Preset, count: int) -> list[int]:
    """Twips of each column: the rank, the unit (what is left), the counts and points."""
    type_width = mm_to_twips(preset.page.type_width_mm)
    numbers = [mm_to_twips(NUMBER_MM)] * (count - 2)
    rank = mm_to_twips(RANK_MM)
    return [rank, type_width - rank - sum(numbers), *numbers]


def circular_docx(preset: Preset, said: CircularWords, columns: list[str], rows: list[list], totals: list,
                  chart_png: bytes, day) -> bytes:
    """The circular's .docx bytes; `rows` and `totals` have a cell per column (rank, unit, counts, points)."""
    writer = DocxWriter(preset)
    pkg = writer.new_package()
    s, b = preset.sizes, preset.body
    body_font = writer.font("body")[0]

    def text_paragraph(text: str, **args) -> str:
        return paragraph(ppr(**args) if args else "", writer.text(text, RunStyle(), body_font))

    def heading(text: str) -> str:
        return paragraph(ppr(parts.heading_style(1)), writer.text(text, cjk_font=writer.font("heading1")[0]))

    cell_style = RunStyle(writer.font("body"), s.table, spacing_twips=0)
    head_style = RunStyle(writer.font("heading1"), s.table, spacing_twips=0)
    pitch = pt_to_twips(s.table_line_pitch)
    margin = mm_to_twips(b.table_cell_padding_mm)

    def cell(value, style=cell_style, jc="center") -> str:
        return paragraph(ppr(line=pitch, first_line_chars=0, first_line=0, jc=jc, overflow_punct=True),
                         writer.text(str(value), style, style.font[0]))

    widths = column_widths(preset, len(columns))
    grid_rows = [(writer.u.pitch, [cell(c, head_style) for c in columns])]
    for row in rows:
        grid_rows.append((writer.u.pitch, [cell(v, jc="left" if i == 1 else "center") for i, v in enumerate(row)]))
    grid_rows.append((writer.u.pitch, [cell(v, head_style) for v in totals]))
    table = data_table(widths, grid_rows, border_pt=b.table_border_pt, cell_margin=margin)

    width_px, height_px = png_size(chart_png)
    width_emu = round(preset.page.type_width_mm * EMU_PER_MM)
    height_emu = round(width_emu * height_px / width_px)
    limit = round(b.image_max_height_mm * EMU_PER_MM)
    if height_emu > limit:
        width_emu, height_emu = round(width_emu * limit / height_emu), limit
    rid = pkg.add_media(chart_png, "png")
    line = math.ceil((math.ceil(height_emu / EMU_PER_TWIP) + pt_to_twips(b.image_gap_pt)) / writer.u.pitch) \
        * writer.u.pitch
    chart = paragraph(ppr(keep_next=True, line=line, line_rule="atLeast", first_line_chars=0, first_line=0,
                          jc="center"), inline_picture(1, rid, "chart.png", width_emu, height_emu))
    right = mm_to_twips(4 * s.body * 25.4 / 72)  # the office and the date stand four characters from the right

    body = [writer.title(said.title, 0),
            text_paragraph(said.addressee, first_line_chars=0, first_line=0, spacing_before=writer.u.pitch),
            text_paragraph(said.opening), text_paragraph(said.summary), text_paragraph(said.rules),
            heading(said.table_heading), table,
            heading(said.chart_heading), chart,
            writer.line(said.caption, "caption", s.caption, jc="center"),
            text_paragraph(said.closing),
            text_paragraph(said.signer, first_line_chars=0, first_line=0, jc="right", ind_right=right,
                           spacing_before=writer.u.pitch),
            text_paragraph(said.date, first_line_chars=0, first_line=0, jc="right", ind_right=right)]
    pkg.add("word/document.xml", document(body, writer.section(pkg)), CT_MAIN)
    pkg.add("docProps/core.xml", parts.core_xml(said.title, said.signer, said.title, day), CT_CORE)
    pkg.add("docProps/app.xml", parts.app_xml(), CT_APP)
    return pkg.to_bytes()
