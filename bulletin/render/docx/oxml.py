"""Raw WordprocessingML for the document body: runs, paragraphs, tables, borders, fields, drawings.

The writer, the register and the volume spell no XML themselves; the fixed parts (styles, settings,
font table, footers, theme, properties) are spelled in parts.py, and the package's own XML
(content types, relationships) in package.py.

Every function returns an XML fragment as a string, with children in the order the schema demands
(CT_PPr, CT_RPr, CT_SectPr …), so callers speak in paragraph and run properties, never in tags.
Strings rather than lxml trees: the writer only ever appends, and string building keeps a render free
of the lxml/python-docx import cost while staying byte-for-byte deterministic.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Mapping, Optional

from bulletin.cjk import AMBIGUOUS_WIDTH, beyond_gb2312

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
)

def esc(text: str) -> str:
    """Text or attribute value escaped for XML (four replaces: str.translate looks up every character,
    several times slower on Chinese text, and the writer escapes every run)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def half_points(pt: float) -> int:
    return round(pt * 2)


def eighths(pt: float) -> int:
    return round(pt * 8)


# --- run properties ----------------------------------------------------------------------------------

def fonts(east_asia: str, latin: str) -> str:
    """All four rFonts slots written, no theme attributes: Latin/complex script, and East Asian."""
    l, e = esc(latin), esc(east_asia)
    return f'<w:rFonts w:ascii="{l}" w:hAnsi="{l}" w:eastAsia="{e}" w:cs="{l}"/>'


@dataclass(frozen=True)
class RunStyle:
    """Direct run formatting; None leaves the value to the paragraph style."""

    font: Optional[tuple[str, str]] = None  # (east_asia, latin)
    size_pt: Optional[float] = None
    bold: bool = False
    italic: bool = False
    color: Optional[str] = None
    spacing_twips: Optional[int] = None  # character spacing in twentieths of a point

    def rpr(self, hint_east_asia: bool = False) -> str:
        parts = []
        if self.font:
            f = fonts(*self.font)
            parts.append(f.replace("/>", ' w:hint="eastAsia"/>') if hint_east_asia else f)
        elif hint_east_asia:
            parts.append('<w:rFonts w:hint="eastAsia"/>')
        if self.bold:
            parts.append("<w:b/><w:bCs/>")
        if self.italic:
            parts.append("<w:i/><w:iCs/>")
        if self.color:
            parts.append(f'<w:color w:val="{self.color}"/>')
        if self.spacing_twips is not None:
            parts.append(f'<w:spacing w:val="{self.spacing_twips}"/>')
        if self.size_pt is not None:
            hp = half_points(self.size_pt)
            parts.append(f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/>')
        return f"<w:rPr>{''.join(parts)}</w:rPr>" if parts else ""


PLAIN = RunStyle()


_AMBIGUOUS_RUN = re.compile("([" + re.escape("".join(sorted(AMBIGUOUS_WIDTH))) + "]+)")
# One regex search instead of a membership test per character: the writer asks this of every run.
_HAS_AMBIGUOUS = re.compile("[" + re.escape("".join(sorted(AMBIGUOUS_WIDTH))) + "]").search


def run(text: str, style: RunStyle = PLAIN, cjk_font: str | None = None,
        fallback: Mapping[str, str] | None = None) -> str:
    """Runs for `text`; "\\n" becomes a line break and "\\t" a tab.

    Ambiguous-width marks (— “ ” … ×) are set full width in the East Asian font: with `cjk_font` they
    get runs of their own naming that font in all four slots (LibreOffice ignores w:hint at the start
    of a bold run and for ×); without it the run carries w:hint="eastAsia", which Word honours.

    `fallback` maps a GB2312 font to the font for the Han characters GB 2312 lacks (堃 喆 昇): where
    the run's East Asian font (its own, else `cjk_font`) has one, each stretch of such characters gets
    a run of its own naming the fallback in all four slots. Text without them comes out unchanged.
    """
    if not text:
        return ""
    face = style.font[0] if style.font else cjk_font
    alt = fallback.get(face) if fallback and face else None
    if alt and (rare := beyond_gb2312(text)):
        rare_style = RunStyle((alt, alt), style.size_pt, style.bold, style.italic, style.color,
                              style.spacing_twips)
        out, pos, index = [], 0, 0
        while index < len(rare):
            start = end = rare[index]
            while index < len(rare) and rare[index] == end:  # a stretch of consecutive rare characters
                end, index = end + 1, index + 1
            out.append(run(text[pos:start], style, cjk_font))
            out.append(_run(text[start:end], rare_style))
            pos = end
        out.append(run(text[pos:], style, cjk_font))
        return "".join(out)
    if cjk_font and _HAS_AMBIGUOUS(text):
        wide = RunStyle((cjk_font, cjk_font), style.size_pt, style.bold, style.italic, style.color,
                        style.spacing_twips)
        return "".join(_run(piece, wide if i % 2 else style)
                       for i, piece in enumerate(_AMBIGUOUS_RUN.split(text)) if piece)
    return _run(text, style)


def _run(text: str, style: RunStyle) -> str:
    hint = _HAS_AMBIGUOUS(text) is not None
    body = []
    for i, line in enumerate(text.split("\n")):
        if i:
            body.append("<w:br/>")
        for j, piece in enumerate(line.split("\t")):
            if j:
                body.append("<w:tab/>")
            if piece:
                body.append(f'<w:t xml:space="preserve">{esc(piece)}</w:t>')
    return f"<w:r>{style.rpr(hint)}{''.join(body)}</w:r>"


# --- paragraph properties ----------------------------------------------------------------------------

def border(side: str, width_pt: float, color: str = "000000", space_pt: float = 0) -> str:
    return (f'<w:{side} w:val="single" w:sz="{eighths(width_pt)}" w:space="{round(space_pt)}" '
            f'w:color="{color}"/>')


def ppr(style: str | None = None, *, keep_next: bool = False, page_break_before: bool = False,
        widow_control: bool | None = None, bottom_border: str | None = None,
        tabs: Iterable[tuple[str, int]] = (), overflow_punct: bool | None = None,
        spacing_before: int | None = None,
        spacing_after: int | None = None, line: int | None = None, line_rule: str = "exact",
        ind_left: int | None = None, ind_right: int | None = None, first_line: int | None = None,
        first_line_chars: int | None = None, hanging: int | None = None, jc: str | None = None,
        outline_level: int | None = None, rpr: str = "", sect: str = "") -> str:
    """Paragraph properties in CT_PPr order. Lengths in twips; `line` with `line_rule`."""
    p = []
    if style:
        p.append(f'<w:pStyle w:val="{style}"/>')
    if keep_next:
        p.append("<w:keepNext/>")
    if page_break_before:
        p.append("<w:pageBreakBefore/>")
    if widow_control is not None:
        p.append(f'<w:widowControl w:val="{1 if widow_control else 0}"/>')
    if bottom_border:
        p.append(f"<w:pBdr>{bottom_border}</w:pBdr>")
    tabs = list(tabs)
    if tabs:
        p.append("<w:tabs>" + "".join(f'<w:tab w:val="{kind}" w:pos="{pos}"/>' for kind, pos in tabs)
                 + "</w:tabs>")
    if overflow_punct is not None:
        p.append(f'<w:overflowPunct w:val="{1 if overflow_punct else 0}"/>')
    sp = []
    if spacing_before is not None:
        sp.append(f'w:before="{spacing_before}"')
    if spacing_after is not None:
        sp.append(f'w:after="{spacing_after}"')
    if line is not None:
        sp.append(f'w:line="{line}" w:lineRule="{line_rule}"')
    if sp:
        p.append(f"<w:spacing {' '.join(sp)}/>")
    ind = []
    if ind_left is not None:
        ind.append(f'w:left="{ind_left}"')
    if ind_right is not None:
        ind.append(f'w:right="{ind_right}"')
    if first_line_chars is not None:
        ind.append(f'w:firstLineChars="{first_line_chars}"')
    if first_line is not None:
        ind.append(f'w:firstLine="{first_line}"')
    if hanging is not None:
        ind.append(f'w:hanging="{hanging}"')
    if ind:
        p.append(f"<w:ind {' '.join(ind)}/>")
    if jc:
        p.append(f'<w:jc w:val="{jc}"/>')
    if outline_level is not None:
        p.append(f'<w:outlineLvl w:val="{outline_level}"/>')
    if rpr:
        p.append(rpr)
    if sect:
        p.append(sect)  # this paragraph ends a section
    return f"<w:pPr>{''.join(p)}</w:pPr>" if p else ""


def bookmark(bookmark_id: int, name: str) -> str:
    """An empty bookmark marking a place (a PAGEREF field can print its page number)."""
    return f'<w:bookmarkStart w:id="{bookmark_id}" w:name="{esc(name)}"/><w:bookmarkEnd w:id="{bookmark_id}"/>'


def paragraph(props: str, runs: Iterable[str] | str = ()) -> str:
    if isinstance(runs, str):
        runs = (runs,)
    return f"<w:p>{props}{''.join(runs)}</w:p>"


def document(body: Iterable[str], sect: str) -> str:
    """The main document part: body paragraphs and tables, then the last section's properties."""
    return f"<w:document {NAMESPACES}><w:body>{''.join(body)}{sect}</w:body></w:document>"


# --- fields ------------------------------------------------------------------------------------------

def field(instruction: str, placeholder: str, style: RunStyle = PLAIN) -> str:
    """A complex field (PAGE, NUMPAGES …): begin, instruction, separate, cached result, end."""
    rpr = style.rpr()
    return (f'<w:r>{rpr}<w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r>{rpr}<w:instrText xml:space="preserve"> {esc(instruction)} </w:instrText></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="separate"/></w:r>'
            f'<w:r>{rpr}<w:t>{esc(placeholder)}</w:t></w:r>'
            f'<w:r>{rpr}<w:fldChar w:fldCharType="end"/></w:r>')


# --- tables ------------------------------------------------------------------------------------------

def table(width_twips: int, rows: Iterable[tuple[int, str]], *, top: str = "", bottom: str = "",
          inside_h: str = "", jc: str = "center") -> str:
    """A one-column table of fixed width; each row is (minimum height in twips, cell paragraphs).
    Borders are given as `border()` fragments without their side names replaced."""
    borders = top + '<w:left w:val="nil"/>' + bottom + '<w:right w:val="nil"/>' + inside_h + \
        '<w:insideV w:val="nil"/>'
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{width_twips}" w:type="dxa"/><w:jc w:val="{jc}"/>'
           f'<w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
           f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
           f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
           f'w:noHBand="1" w:noVBand="1"/></w:tblPr>'
           f'<w:tblGrid><w:gridCol w:w="{width_twips}"/></w:tblGrid>']
    for height, content in rows:
        out.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{height}" w:hRule="atLeast"/></w:trPr>'
                   f'<w:tc><w:tcPr><w:tcW w:w="{width_twips}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                   f'{content}</w:tc></w:tr>')
    out.append("</w:tbl>")
    return "".join(out)


def table_grid(widths: list[int], rows: Iterable[list[str]], border_pt: float = 0.5,
               header_rows: int = 1) -> str:
    """A multi-column table with all borders (registers, lists); rows are lists of cell XML."""
    b = "".join(border(side, border_pt) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    total = sum(widths)
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{total}" w:type="dxa"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{b}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar>'
           f'</w:tblPr><w:tblGrid>{"".join(f"<w:gridCol w:w={chr(34)}{w}{chr(34)}/>" for w in widths)}</w:tblGrid>']
    for index, cells in enumerate(rows):
        header = "<w:tblHeader/>" if index < header_rows else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{header}</w:trPr>")
        for width, content in zip(widths, cells):
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                       f'{content}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def data_table(widths: list[int], rows: Iterable[tuple[int, list[str]]], *, border_pt: float = 0.5,
               header_rows: int = 1, cell_margin: int = 0) -> str:
    """A table of text (an article's table): single borders all round and between the cells, centred,
    columns of the given widths (twips, cell margins included). Each row is (its least height in
    twips, its cells' XML); the first `header_rows` rows repeat at the top of every page the table
    spans, and no row is split across pages. Cells have no top or bottom margin, so a row is exactly
    as high as its lines or its least height, and their text is centred vertically."""
    b = "".join(border(side, border_pt) for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    out = [f'<w:tbl><w:tblPr><w:tblW w:w="{sum(widths)}" w:type="dxa"/><w:jc w:val="center"/>'
           f'<w:tblBorders>{b}</w:tblBorders><w:tblLayout w:type="fixed"/>'
           f'<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="{cell_margin}" w:type="dxa"/>'
           f'<w:bottom w:w="0" w:type="dxa"/><w:right w:w="{cell_margin}" w:type="dxa"/></w:tblCellMar>'
           f'<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
           f'w:noHBand="1" w:noVBand="1"/></w:tblPr><w:tblGrid>{grid}</w:tblGrid>']
    for index, (height, cells) in enumerate(rows):
        header = "<w:tblHeader/>" if index < header_rows else ""
        out.append(f'<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val="{height}" w:hRule="atLeast"/>{header}</w:trPr>')
        for width, content in zip(widths, cells):
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/><w:vAlign w:val="center"/></w:tcPr>'
                       f'{content}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


# --- drawings ----------------------------------------------------------------------------------------

def bottom_text_box(shape_id: int, width_emu: int, height_emu: int, content: str) -> str:
    """A run holding a text box anchored to the bottom of the type area (the margin box), wrapped
    top-and-bottom so body text never runs beside or under it. LibreOffice 7.4 keeps such a box at the
    foot of the anchor paragraph's page and moves it with the paragraph when the page is full; a frame
    (w:framePr) lost its borders there and a floating table stayed inline."""
    return (
        f'<w:r><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" '
        f'relativeHeight="{shape_id}" behindDoc="0" locked="1" layoutInCell="1" allowOverlap="0">'
        f'<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="margin"><wp:align>center</wp:align></wp:positionH>'
        f'<wp:positionV relativeFrom="margin"><wp:align>bottom</wp:align></wp:positionV>'
        f'<wp:extent cx="{width_emu}" cy="{height_emu}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapTopAndBottom/><wp:docPr id="{shape_id}" name="Tail {shape_id}"/><wp:cNvGraphicFramePr/>'
        f'<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f'<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
        f'<a:ext cx="{width_emu}" cy="{height_emu}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
        f'<a:noFill/><a:ln><a:noFill/></a:ln></wps:spPr><wps:txbx><w:txbxContent>{content}</w:txbxContent></wps:txbx>'
        f'<wps:bodyPr rot="0" vert="horz" wrap="square" lIns="0" tIns="0" rIns="0" bIns="0" anchor="b">'
        f'<a:noAutofit/></wps:bodyPr></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>'
    )


def inline_picture(shape_id: int, rel_id: str, name: str, width_emu: int, height_emu: int) -> str:
    """A run holding a picture inline with the text (centred by its paragraph)."""
    n = esc(name)
    return (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{width_emu}" cy="{height_emu}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="{n}"/><wp:cNvGraphicFramePr>'
        f'<a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        f'<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{shape_id}" name="{n}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rel_id}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width_emu}" cy="{height_emu}"/></a:xfrm>'
        f'<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
        f'</wp:inline></w:drawing></w:r>'
    )


# --- section -----------------------------------------------------------------------------------------

def sect_pr(*, width: int, height: int, top: int, bottom: int, left: int, right: int, footer: int,
            line_pitch: int, footer_default: str, footer_even: str, page_start: int | None = None,
            section_type: str | None = None, title_page: bool = False) -> str:
    """Section properties. docGrid carries the line pitch with no `type`: Word's character grid
    (linesAndChars) is laid out differently by LibreOffice, so exact line spacing does the work."""
    start = f'<w:pgNumType w:start="{page_start}"/>' if page_start else ""
    kind = f'<w:type w:val="{section_type}"/>' if section_type else ""
    return (f'<w:sectPr><w:footerReference w:type="default" r:id="{footer_default}"/>'
            f'<w:footerReference w:type="even" r:id="{footer_even}"/>{kind}'
            f'<w:pgSz w:w="{width}" w:h="{height}"/>'
            f'<w:pgMar w:top="{top}" w:right="{right}" w:bottom="{bottom}" w:left="{left}" '
            f'w:header="851" w:footer="{footer}" w:gutter="0"/>{start}'
            f'<w:cols w:space="425"/>{"<w:titlePg/>" if title_page else ""}'
            f'<w:docGrid w:linePitch="{line_pitch}"/></w:sectPr>')
