"""The .docx writer: a composed issue → WordprocessingML, phase by phase.

Phases follow the printed page: masthead, contents, editor's note, articles, tail; then the package.
One method per block kind (the pandoc habit). Every number comes from the preset; `self.u` holds the
preset's numbers converted once to OOXML units. Every word outside the articles' text (labels,
masthead lines, 本期要目, column headings, source lines, tail rows) comes from render/words.py, so this
module only lays them out; it reads no file (pictures arrive as bytes in the composed issue).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bulletin.content.blocks import Article, Block, Heading, Image, Paragraph, Run, Table
from bulletin.content.issue import ComposedIssue
from bulletin.content.pictures import Picture
from bulletin.model.preset import EMU_PER_MM, Preset, mm_to_twips, pt_to_twips
from bulletin.render import words
from bulletin.render.docx import parts
from bulletin.render.docx.fit import balanced_lines, text_width, wrap
from bulletin.render.docx.oxml import (
    RunStyle,
    bookmark,
    border,
    bottom_text_box,
    data_table,
    document,
    inline_picture,
    paragraph,
    ppr,
    run,
    sect_pr,
    table,
)
from bulletin.render.docx.package import (
    CT_APP,
    CT_CORE,
    CT_FONTS,
    CT_FOOTER,
    CT_MAIN,
    CT_SETTINGS,
    CT_STYLES,
    CT_THEME,
    Package,
)

EMU_PER_TWIP = 635
POINT = RunStyle(size_pt=1)  # the mark of a paragraph only 1 pt high (the tail's anchor and box end)


@dataclass(frozen=True)
class Units:
    """The preset in OOXML units (twips), computed once per writer."""

    type_width: int
    type_height: int
    pitch: int
    body_char: int          # one body character, for indents
    title_pitch: int
    tail_pitch: int
    tail_char: int


class DocxWriter:
    """Writes composed issues with one preset; reusable across issues (compile a year)."""

    def __init__(self, preset: Preset):
        self.preset = preset
        self._fonts: dict[str, tuple[str, str]] = {}
        p, s = preset.page, preset.sizes
        self.u = Units(type_width=mm_to_twips(p.type_width_mm), type_height=mm_to_twips(p.type_height_mm),
                       pitch=pt_to_twips(p.line_pitch_pt), body_char=pt_to_twips(s.body),
                       title_pitch=pt_to_twips(s.title_line_pitch), tail_pitch=pt_to_twips(s.tail_line_pitch),
                       tail_char=pt_to_twips(s.tail))
        self._fixed_parts = {
            "word/styles.xml": (parts.styles_xml(preset), CT_STYLES),
            "word/settings.xml": (parts.settings_xml(preset), CT_SETTINGS),
            "word/fontTable.xml": (parts.font_table_xml(preset), CT_FONTS),
            "word/footer1.xml": (parts.footer_xml(preset, "odd"), CT_FOOTER),
            "word/footer2.xml": (parts.footer_xml(preset, "even"), CT_FOOTER),
            "word/theme/theme1.xml": (parts.theme_xml(preset), CT_THEME),
        }

    # --- entry points ---------------------------------------------------------------------------------

    def render(self, issue: ComposedIssue) -> bytes:
        """The .docx bytes of one issue."""
        pkg = self.new_package()
        state = _State(pkg)
        body = self.issue_body(issue, state)
        return self.finish(pkg, body, self.section(pkg), issue)

    def new_package(self) -> Package:
        pkg = Package()
        for name, (xml, ctype) in self._fixed_parts.items():
            pkg.add(name, xml, ctype)
        pkg.relate("styles", "styles.xml")
        pkg.relate("settings", "settings.xml")
        pkg.relate("fontTable", "fontTable.xml")
        pkg.relate("theme", "theme/theme1.xml")
        pkg.footer_ids = (pkg.relate("footer", "footer1.xml"), pkg.relate("footer", "footer2.xml"))
        return pkg

    def section(self, pkg: Package, **extra) -> str:
        return sect_pr(**parts.page_geometry(self.preset), footer_default=pkg.footer_ids[0],
                       footer_even=pkg.footer_ids[1], **extra)

    def finish(self, pkg: Package, body: list[str], sect: str, issue: ComposedIssue, title: str | None = None,
               date=None) -> bytes:
        pkg.add("word/document.xml", document(body, sect), CT_MAIN)
        series = issue.series.series
        pkg.add("docProps/core.xml", parts.core_xml(title or words.document_title(issue, self.preset),
                                                     series.editor, series.name, date or issue.meta.date), CT_CORE)
        pkg.add("docProps/app.xml", parts.app_xml(), CT_APP)
        return pkg.to_bytes()

    def issue_body(self, issue: ComposedIssue, state: "_State", section_end: str = "",
                   bookmark_name: str = "") -> list[str]:
        """Paragraphs of one whole issue, masthead to tail; `section_end` (a sectPr) closes its section
        in the tail's anchor paragraph, and `bookmark_name` marks its first paragraph."""
        body: list[str] = []
        body += self.masthead(issue)
        # One blank line separates the contents, the note and the articles. It is space before the
        # next part, never an empty paragraph: LibreOffice and Word drop space before at the top of a
        # page, but an empty paragraph stays there as a blank first line.
        contents = self.contents(issue)
        note = self.editor_note(issue, state, after_contents=bool(contents))
        body += contents + note
        body += self.articles(issue, state, after_masthead=not (contents or note))
        if bookmark_name:
            body[0] = body[0].replace("</w:pPr>", "</w:pPr>" + bookmark(state.next_id(), bookmark_name), 1)
        return body + self.tail(issue, state, section_end)

    # --- helpers --------------------------------------------------------------------------------------

    def text(self, text: str, style: RunStyle = RunStyle(), cjk_font: str | None = None) -> str:
        """oxml.run with the preset's fallback fonts for characters the GB2312 fonts lack."""
        return run(text, style, cjk_font, self.preset.fonts.fallback)

    def font(self, role: str) -> tuple[str, str]:
        cached = self._fonts.get(role)
        if cached is None:  # asked for every run; Fonts.role builds a validated Font each time
            f = self.preset.fonts.role(role)
            cached = self._fonts[role] = (f.east_asia, f.latin)
        return cached

    def line(self, text: str, role: str, size_pt: float, *, jc: str | None = None, bold: bool = False,
              color: str | None = None, line: int | None = None, **ppr_args) -> str:
        """A one-style paragraph outside the body style (masthead, labels), on the line grid."""
        style = RunStyle(self.font(role), size_pt, bold=bold, color=color, spacing_twips=0)
        return paragraph(ppr(jc=jc, line=line or self.u.pitch, first_line_chars=0, first_line=0, **ppr_args),
                         self.text(text, style, style.font[0]))

    # --- masthead -------------------------------------------------------------------------------------

    def masthead_size(self, text: str) -> float:
        """The largest size ≤ masthead_max (in ½ pt steps) at which `text` fits the type width."""
        s = self.preset.sizes
        width_pt = self.preset.page.type_width_mm / 25.4 * 72
        fit = math.floor(width_pt / max(text_width(text), 1) * 2) / 2
        return max(min(s.masthead_max, fit), min(s.masthead_min, fit))

    def masthead_lines(self, lines: list[str]) -> list[tuple[str, float]]:
        """(text, size) of each line of the red name. A single line that would shrink below
        masthead_min is set as two even lines instead, both at the size of the wider one."""
        if len(lines) == 1 and self.masthead_size(lines[0]) < self.preset.sizes.masthead_min:
            split = balanced_lines(lines[0], math.inf, 2, tuple(self.preset.masthead.split_after))
            size = min(self.masthead_size(text) for text in split)
            return [(text, size) for text in split]
        return [(text, self.masthead_size(text)) for text in lines]

    def masthead(self, issue: ComposedIssue) -> list[str]:
        s, m = self.preset.sizes, self.preset.masthead
        head = words.masthead(issue, self.preset)
        out = []
        if head.marking:
            out.append(self.line(head.marking, "marking", s.marking, jc="left",
                                  spacing_after=m.marking_space_after_lines * self.u.pitch))
        for text, size in self.masthead_lines(head.name_lines):
            out.append(self.line(text, "masthead", size, jc="center", color=m.color,
                                  line=pt_to_twips(size * m.name_line_factor)))
        for text in head.number_lines:
            out.append(self.line(text, "issue_number", s.issue_number, jc="center"))
        imprint = head.editor + "\t" + head.date
        rule = border("bottom", m.rule_width_pt, m.color, m.rule_gap_pt)
        out.append(self.line(imprint, "imprint", s.imprint, jc="left", tabs=[("right", self.u.type_width)],
                              bottom_border=rule, spacing_after=m.space_after_rule_lines * self.u.pitch))
        return out

    # --- contents and editor's note -------------------------------------------------------------------

    def contents(self, issue: ComposedIssue) -> list[str]:
        listed = words.contents(issue, self.preset)
        if listed is None:
            return []
        size = self.preset.sizes.body
        # The label and each column name keep with the title after them, like headings.
        out = [self.line(listed.label, "contents_label", size, jc="center", keep_next=True)]
        for entry in listed.entries:
            if entry.article is None:
                out.append(self.line(entry.text, "contents", size, jc="left", bold=True, keep_next=True))
            else:
                out.append(self.line(entry.text, "contents", size, jc="left", ind_left=2 * self.u.body_char))
        return out

    def editor_note(self, issue: ComposedIssue, state: "_State", after_contents: bool = False) -> list[str]:
        if not issue.editor_note:
            return []
        b = self.preset.body
        indent = round(b.note_indent_chars * self.u.body_char)
        text_style = RunStyle(self.font("note"), spacing_twips=pt_to_twips(self.preset.page.char_spacing_pt))
        label_style = RunStyle(self.font("note_label"))
        out = []
        for index, block in enumerate(_rows_as_paragraphs(issue.editor_note)):
            runs = block.runs if isinstance(block, (Paragraph, Heading)) else [Run(getattr(block, "caption", ""))]
            label = run(b.note_label, label_style, label_style.font[0]) if index == 0 else ""
            first = {"first_line_chars": 0, "first_line": 0,
                     "spacing_before": self.u.pitch if after_contents else None} if index == 0 else {}
            out.append(paragraph(ppr(ind_left=indent, ind_right=indent, **first),
                                 [label] + [self._run(r, "note", text_style) for r in runs]))
        return out

    # --- articles -------------------------------------------------------------------------------------

    def articles(self, issue: ComposedIssue, state: "_State", after_masthead: bool = True) -> list[str]:
        """Every article; the first one starts right under the masthead's rule when nothing else
        (contents, note) comes between, and one blank line further down otherwise."""
        out: list[str] = []
        for index, (article, said) in enumerate(zip(issue.articles, words.articles(issue, self.preset))):
            out += self.article(article, said, first=index == 0 and after_masthead, state=state, issue=issue)
        return out

    def article(self, article: Article, said: words.ArticleWords, *, first: bool, state: "_State",
                issue: ComposedIssue) -> list[str]:
        s = self.preset.sizes
        out = []
        before = 0 if first else self.u.pitch  # one blank line between articles
        if said.column:
            out.append(self.line(said.column, "column", s.body, jc="left", bold=True, keep_next=True,
                                  spacing_before=before))
            before = 0
        if said.kicker:
            out.append(self.line(said.kicker, "source", s.body, jc="center", keep_next=True,
                                  spacing_before=before))
            before = 0
        out.append(self.title(said.title, before))
        previous = None
        for block in article.blocks:
            if isinstance(block, Table) and isinstance(previous, Table):
                out.append(paragraph(ppr(first_line_chars=0, first_line=0)))  # one blank line: never one table
            out.append(self.block(block, state, issue))
            previous = block
        if said.trailer:
            # No keep-with-next on the last paragraph, although the source line may then start a page
            # alone: LibreOffice moves a paragraph that keeps with the next one to the next page whole,
            # leaving a page short of its 22 lines; widow control on it would cost a line as well.
            out.append(self.line(said.trailer, "source", s.body, jc="right"))
        return out

    def title_lines(self, text: str) -> list[str]:
        """The title's lines: as few as fit the type width, of even length (no 增效 left alone)."""
        em = self.u.type_width / pt_to_twips(self.preset.sizes.title)
        return balanced_lines(text, em - self.preset.body.fit_margin_em)

    def title(self, text: str, before: int) -> str:
        """The article title, its lines balanced, padded below so the body after it stays on the grid."""
        lines = self.title_lines(text)
        height = len(lines) * self.u.title_pitch
        after = math.ceil(height / self.u.pitch) * self.u.pitch - height
        return paragraph(ppr(parts.TITLE_STYLE, spacing_before=before, spacing_after=after),
                         self.text("\n".join(lines), cjk_font=self.font("title")[0]))

    def block(self, block: Block, state: "_State", issue: ComposedIssue) -> str:
        if isinstance(block, Heading):
            return self.heading(block)
        if isinstance(block, Image):
            return self.image(block, state)
        if isinstance(block, Table):
            return self.table(block)
        return self.paragraph(block)

    def _run(self, r: Run, role: str = "body", base: RunStyle = RunStyle()) -> str:
        if r.bold or r.italic:
            base = RunStyle(base.font, base.size_pt, r.bold or base.bold, r.italic or base.italic,
                            base.color, base.spacing_twips)
        return self.text(r.text, base, self.font(role)[0])

    def paragraph(self, block: Paragraph) -> str:
        return paragraph("", [self._run(r) for r in block.runs])

    def heading(self, block: Heading) -> str:
        role = f"heading{block.level}"
        runs = ([run(block.label, cjk_font=self.font(role)[0])] if block.label else []) + \
            [self._run(r, role) for r in block.runs]
        return paragraph(ppr(parts.heading_style(block.level)), runs)

    def image(self, block: Image, state: "_State") -> str:
        """A centred picture no larger than the preset allows, its caption right below it.

        The picture's line is a whole number of grid lines high (at least the picture plus a gap), so
        the text after it stays on the grid; the spare height is above the picture, inside its own
        line, where no page break can drop it (space before a paragraph vanishes at a page top).
        """
        b, pic = self.preset.body, block.picture
        width_emu, height_emu = _picture_size(pic, b.image_max_width_mm * EMU_PER_MM,
                                              b.image_max_height_mm * EMU_PER_MM, block.width_mm)
        rid = state.pkg.add_media(pic.data, pic.type)
        height = math.ceil(height_emu / EMU_PER_TWIP) + pt_to_twips(b.image_gap_pt)
        line = math.ceil(height / self.u.pitch) * self.u.pitch
        picture = paragraph(ppr(keep_next=bool(block.caption), line=line, line_rule="atLeast",
                                first_line_chars=0, first_line=0, jc="center"),
                            inline_picture(state.next_id(), rid, pic.name, width_emu, height_emu))
        if not block.caption:
            return picture
        caption = self.line(block.caption, "caption", self.preset.sizes.caption, jc="center")
        return picture + caption

    # --- tables -------------------------------------------------------------------------------------

    def table_widths(self, block: Table) -> list[int]:
        """Column widths in twips (cell margins and a rule included), never more than the type width.

        When every cell fits on one line, each column is as wide as its widest cell (the table is
        narrower than the type area and centred). Otherwise the header may wrap (to lines of four
        characters), and when the body cells do not all fit either, the widest columns are cut to one
        common width — the narrow ones keep their text on one line, the long ones wrap — but never
        below their longest word (or two characters); any width left over goes to the columns whose
        header wraps, in proportion to what they lack.
        """
        b, s = self.preset.body, self.preset.sizes
        char = s.table * 20  # twips per em
        extra = 2 * mm_to_twips(b.table_cell_padding_mm) + pt_to_twips(b.table_border_pt) + \
            math.ceil(b.fit_margin_em * char)
        head = block.header_rows
        full, want, least = [], [], []
        for column in range(block.columns):
            texts = [block.cell_text(row, column) for row in range(len(block.rows))]
            widths = [text_width(t) for t in texts]
            widest = max(widths, default=0.0)
            word = max((text_width(w) for t in texts for w in re.findall(_WORDS, t)), default=0.0)
            low = max(word, min(widest, 2.0))
            wanted = max(max(widths[head:], default=0.0), min(max(widths[:head], default=0.0), 4.0), low)
            full.append(math.ceil(widest * char) + extra)
            want.append(math.ceil(wanted * char) + extra)
            least.append(math.ceil(low * char) + extra)
        room = self.u.type_width
        if sum(full) <= room:
            return full
        if sum(want) <= room:
            spare, lacks = room - sum(want), [f - w for f, w in zip(full, want)]
            widths = [w + spare * lack // sum(lacks) for w, lack in zip(want, lacks)]
        elif sum(least) >= room:
            widths = [w * room // sum(least) for w in least]
        else:
            low, high = 0, max(want)  # the common width of the cut columns: the largest that fits
            while low < high:
                cap = (low + high + 1) // 2
                if sum(max(m, min(w, cap)) for m, w in zip(least, want)) <= room:
                    low = cap
                else:
                    high = cap - 1
            widths = [max(m, min(w, low)) for m, w in zip(least, want)]
        widths[widths.index(max(widths))] += room - sum(widths)  # rounding: exactly the type width
        return widths

    def table(self, block: Table) -> str:
        """A table in the table font: single rules, a bold header row repeated on every page, columns
        from table_widths. Each row is a whole number of body lines high (its lines at the table's
        exact pitch, centred in it), so a page break between rows, or the text after the table, falls
        back on the line grid; the row's height is a least height, so a row whose text wraps more
        than foreseen grows rather than losing a line."""
        b, s = self.preset.body, self.preset.sizes
        widths = self.table_widths(block)
        pad = mm_to_twips(b.table_cell_padding_mm)
        rule = pt_to_twips(b.table_border_pt)
        pitch = pt_to_twips(s.table_line_pitch)
        char = s.table * 20
        rows = []
        for index, cells in enumerate(block.rows):
            header = index < block.header_rows
            style = RunStyle(self.font("table"), s.table, bold=header, spacing_twips=0)
            xml, lines = [], 1
            for column, width in enumerate(widths):
                runs = cells[column] if column < len(cells) else []
                text = "".join(r.text for r in runs)
                # the room table_widths left for the text, in em (a hair more: no float rounding)
                room = (width - 2 * pad - rule - math.ceil(b.fit_margin_em * char)) / char + 1e-6
                lines = max(lines, len(wrap(text, room)))
                # left unless the delimiter row says otherwise: justified CJK lines in a narrow cell
                # would be stretched apart (负 责 人)
                align = "center" if header else (block.align[column] if column < len(block.align) else "") or "left"
                props = ppr(line=pitch, first_line_chars=0, first_line=0, jc=align)
                xml.append(paragraph(props, [self._run(r, "table", style) for r in runs]))
            rows.append((math.ceil((lines * pitch + 2 * rule) / self.u.pitch) * self.u.pitch, xml))
        # LibreOffice sets the bottom rule below the last row: that row is one rule less high.
        rows[-1] = (rows[-1][0] - rule, rows[-1][1])
        return data_table(widths, rows, border_pt=b.table_border_pt, header_rows=block.header_rows,
                          cell_margin=pad)

    # --- tail -----------------------------------------------------------------------------------------

    def tail(self, issue: ComposedIssue, state: "_State", section_end: str = "") -> list[str]:
        """The tail at the foot of the last page: a text box anchored in a paragraph of its own."""
        # The anchor paragraph is 1 pt high: an anchor inside a body paragraph that breaks across
        # pages made LibreOffice drop the box; this one is never split, and when the last page has no
        # room for the box, both move to a new page. It also closes the section (`section_end`).
        anchor = ppr(line=20, first_line_chars=0, first_line=0, rpr=POINT.rpr(), sect=section_end)
        table_xml, height = self.tail_table(issue)
        if height <= self.u.type_height:
            return [paragraph(anchor, self.tail_box(table_xml, height, state))]
        # No box can hold a tail taller than the type area: it follows the body as a table of its own,
        # which may break between rows, and its last rule is no longer at the foot of the page.
        return [table_xml, paragraph(anchor)]

    def tail_table(self, issue: ComposedIssue) -> tuple[str, int]:
        """The tail as a table whose borders are the rules, and its height in twips.

        Each row is as high as its line count (fit.wrap, with a little room to spare on every line)
        says, so the table fills its text box exactly and the last rule lands on the bottom of the type
        area. A tail that would not fit the type area closes its lines up, down to tail_min_line_pitch.
        """
        t, s = self.preset.tail, self.preset.sizes
        side = round(t.side_indent_chars * self.u.tail_char)
        pad = pt_to_twips(t.row_padding_pt)
        style = RunStyle(self.font("tail"), s.tail, spacing_twips=0)
        margin = self.preset.body.fit_margin_em
        line_em = (self.u.type_width - 2 * side) / self.u.tail_char
        rows = []
        for kind, text in words.tail_rows(issue, self.preset):
            label = 2 * self.u.tail_char if kind == "list" else 0
            lines = len(wrap(text, line_em - margin, line_em - label / self.u.tail_char - margin))
            rows.append((kind, text, label, lines))
        rules = pt_to_twips(2 * t.thick_width_pt)  # the outer rules add to the table's height
        fixed = rules + 2 * pad * len(rows)
        total_lines = sum(lines for *_, lines in rows)
        pitch = self.u.tail_pitch
        if fixed + total_lines * pitch > self.u.type_height:
            pitch = max(pt_to_twips(s.tail_min_line_pitch), (self.u.type_height - fixed) // total_lines)
        cells = []
        for kind, text, label, lines in rows:
            props = ppr(line=pitch, spacing_before=pad, spacing_after=pad, first_line_chars=0,
                        ind_left=side + label, ind_right=side, hanging=label or None,
                        first_line=None if label else 0, jc="right" if kind == "copies" else "left")
            cells.append((lines * pitch + 2 * pad, paragraph(props, self.text(text, style, style.font[0]))))
        tbl = table(self.u.type_width, cells, top=border("top", t.thick_width_pt),
                    bottom=border("bottom", t.thick_width_pt), inside_h=border("insideH", t.thin_width_pt))
        return tbl, fixed + total_lines * pitch

    def tail_box(self, tbl: str, height: int, state: "_State") -> str:
        """The tail table in a text box anchored to the bottom of the type area, exactly as tall as the
        table: LibreOffice sets the table at the top of its box (bodyPr anchor="b" notwithstanding), so
        a taller box would lift the last rule off the foot of the type area and a shorter one would let
        the table run out below it."""
        # Txbx content must end with a paragraph; keep it 1 pt high so the last rule sits on the bottom.
        tbl += paragraph(ppr(line=20, rpr=POINT.rpr()))
        return bottom_text_box(state.next_id(), self.u.type_width * EMU_PER_TWIP, height * EMU_PER_TWIP, tbl)


class _State:
    """What accumulates while writing one document: the package (media) and drawing ids."""

    def __init__(self, pkg: Package):
        self.pkg = pkg
        self._id = 0

    def next_id(self) -> int:
        self._id += 1
        return self._id


# Left as text for `re` to compile where first used (and keep): 0.7 ms, and only tables need it.
_WORDS = r"[^\s\u3000\u3400-\u9fff\uf900-\ufaff\u3001-\u303f\uff01-\uff65]+"


def _rows_as_paragraphs(blocks: list[Block]) -> list[Block]:
    """Blocks with each table turned into paragraphs, one per row, its cells separated by '　' (for the
    editor's note, which is set as indented lines of text)."""
    out: list[Block] = []
    for block in blocks:
        if not isinstance(block, Table):
            out.append(block)
            continue
        for cells in block.rows:
            runs: list[Run] = []
            for cell in (c for c in cells if c):
                runs += ([Run("\u3000")] if runs else []) + cell
            if runs:
                out.append(Paragraph(runs, block.line))
    return out


def _picture_size(picture: Picture, max_width_emu: float, max_height_emu: float,
                  width_mm: float | None = None) -> tuple[int, int]:
    """The picture's natural size — `width_mm` when the article sets it, else its pixels at its own
    DPI (96 when it names none) — only ever shrunk, never enlarged, to fit the bounds."""
    dpi_x, dpi_y = picture.dpi or (96, 96)
    width = picture.px_width / dpi_x * 914400
    height = picture.px_height / dpi_y * 914400
    if width_mm:
        width, height = width_mm * EMU_PER_MM, height * width_mm * EMU_PER_MM / width
    scale = min(1.0, max_width_emu / width, max_height_emu / height)
    return round(width * scale), round(height * scale)
