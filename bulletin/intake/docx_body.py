"""Reading a department's .docx submission: its body as paragraphs of text pieces and pictures.

Nothing here writes. The package is checked first (zipguard.py), so parts are read with their declared
sizes as the cap and parsed with a parser that resolves no entities and fetches nothing. Relationships
marked `TargetMode="External"` (linked pictures, templates) are never followed: a linked picture is
skipped with a note.

The result is the small model of pieces.py (paragraphs of text pieces and pictures, with the formatting
that tells a title or a heading); shaping it into an article is shaping.py's.
"""
from __future__ import annotations

import posixpath
import re
import zipfile
from collections import Counter
from pathlib import Path

from bulletin.content.pictures import picture_type
from bulletin.errors import Diagnostic
from bulletin.i18n import _
from bulletin.intake.pieces import EMU_PER_MM, Picture, SubmittedParagraph, SubmittedTable, Text
from bulletin.intake.zipguard import _refuse, _refuse_other_office_file, check_package

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
V = "{urn:schemas-microsoft-com:vml}"
PR = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"
M = "{http://schemas.openxmlformats.org/officeDocument/2006/math}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"

_VML_UNIT_EMU = {"pt": 12_700, "in": 914_400, "cm": 360_000, "mm": EMU_PER_MM, "px": 9_525, "": 9_525}
_VML_WIDTH = re.compile(r"(?:^|;)\s*width\s*:\s*(\d+(?:\.\d+)?|\.\d+)\s*(pt|in|cm|mm|px|)\s*(?:;|$)", re.I)

_WORD_MAIN_TYPES = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml")


# --- reading parts -------------------------------------------------------------------------------

def _parser():
    from lxml import etree

    # no entities, no DTD, no network, no huge trees: an XML part can only be what it says
    return etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False,
                           remove_comments=True, remove_pis=True)


class _Package:
    """The zip, already checked: capped reads of its parts and the main document's relationships."""

    def __init__(self, zf: zipfile.ZipFile, shown: str):
        self.zf = zf
        self.shown = shown
        self.names = {i.filename: i for i in zf.infolist()}

    def read(self, name: str) -> bytes | None:
        info = self.names.get(name)
        if info is None:
            return None
        try:
            with self.zf.open(info) as handle:
                return handle.read(info.file_size)  # the declared size, already checked, caps the read
        except Exception:  # bad CRC, an unknown compression method, a truncated stream
            raise _refuse(self.shown, _("the file is damaged: part {name!r} cannot be unpacked").format(
                name=name)) from None

    def xml(self, name: str):
        data = self.read(name)
        if data is None:
            return None
        from lxml import etree

        try:
            return etree.fromstring(data, _parser())
        except etree.XMLSyntaxError:
            raise _refuse(self.shown, _("the file is damaged: part {name!r} is not well-formed XML").format(
                name=name)) from None

    def relationships(self, part: str) -> dict[str, tuple[str | None, str]]:
        """rId → (the internal part it names, or None when external or outside the package; its type)."""
        folder, base = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", base + ".rels"))
        out: dict[str, tuple[str | None, str]] = {}
        if root is None:
            return out
        for rel in root.iter(PR + "Relationship"):
            rid, target, kind = rel.get("Id"), rel.get("Target") or "", rel.get("Type") or ""
            if not rid:
                continue
            if (rel.get("TargetMode") or "").lower() == "external":
                out[rid] = (None, kind)
                continue
            joined = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            name = posixpath.normpath(joined)
            out[rid] = (None if name.startswith("..") or name not in self.names else name, kind)
        return out


def _content_types(pkg: _Package) -> dict[str, str]:
    """Part name (no leading slash) or `.ext` → content type."""
    root = pkg.xml("[Content_Types].xml")
    if root is None:
        raise _refuse(pkg.shown, _("this is not a Word document (the zip has no [Content_Types].xml)"))
    out: dict[str, str] = {}
    for el in root:
        kind = (el.get("ContentType") or "").strip()
        if el.tag == CT + "Override" and el.get("PartName"):
            out[el.get("PartName").lstrip("/")] = kind
        elif el.tag == CT + "Default" and el.get("Extension"):
            out["." + el.get("Extension").lower()] = kind
    return out


def _main_part(pkg: _Package, types: dict[str, str]) -> str:
    """The main document part, refused when it is not WordprocessingML (an .xlsx renamed)."""
    main = None
    for name, kind in _package_rels(pkg):
        if kind.endswith("/officeDocument") and name:
            main = name
            break
    if main is None:
        raise _refuse(pkg.shown, _("this is not a Word document (no main document part)"))
    kind = types.get(main) or types.get(posixpath.splitext(main)[1].lower(), "")
    if kind not in _WORD_MAIN_TYPES:
        _refuse_other_office_file(pkg.shown, kind)
        raise _refuse(pkg.shown, _("this is not a Word document (its main part is {kind})").format(kind=kind) if kind
                      else _("this is not a Word document (its main part is of no known type)"))
    return main


def _package_rels(pkg: _Package) -> list[tuple[str | None, str]]:
    root = pkg.xml("_rels/.rels")
    out = []
    if root is None:
        return out
    for rel in root.iter(PR + "Relationship"):
        if (rel.get("TargetMode") or "").lower() == "external":
            continue
        name = posixpath.normpath((rel.get("Target") or "").lstrip("/"))
        out.append((name if name in pkg.names else None, rel.get("Type") or ""))
    return out


# --- styles ----------------------------------------------------------------------------------------

_HEADING_NAME = re.compile(r"^(?:heading|标题)\s*([1-9])$", re.I)
_TITLE_NAME = re.compile(r"^(?:title|标题)$", re.I)


def _on(el) -> bool:
    """A toggle property (`<w:b/>`, `<w:b w:val="0"/>`) → its value."""
    return (el.get(W + "val") or "true").lower() not in ("0", "false", "off", "none")


class _Styles:
    """styles.xml: properties looked up along a style's basedOn chain, then the document defaults."""

    def __init__(self, root):
        self.by_id: dict[str, object] = {}
        self.default_paragraph = None
        self.doc_rpr = self.doc_ppr = None
        if root is None:
            return
        for style in root.iter(W + "style"):
            sid = style.get(W + "styleId")
            if sid:
                self.by_id.setdefault(sid, style)
                if style.get(W + "type") == "paragraph" and _on_attr(style.get(W + "default")):
                    self.default_paragraph = sid
        defaults = root.find(W + "docDefaults")
        if defaults is not None:
            self.doc_rpr = defaults.find(f"{W}rPrDefault/{W}rPr")
            self.doc_ppr = defaults.find(f"{W}pPrDefault/{W}pPr")

    def chain(self, sid: str | None):
        seen = set()
        while sid and sid not in seen and len(seen) < 20:
            seen.add(sid)
            style = self.by_id.get(sid)
            if style is None:
                return
            yield style
            based = style.find(W + "basedOn")
            sid = based.get(W + "val") if based is not None else None

    def prop(self, sid: str | None, group: str, tag: str):
        """The first `<w:tag>` under the style chain's `<w:group>` (pPr or rPr), else the default's."""
        for style in self.chain(sid):
            holder = style.find(W + group)
            if holder is not None and holder.find(W + tag) is not None:
                return holder.find(W + tag)
        fallback = self.doc_rpr if group == "rPr" else self.doc_ppr
        return fallback.find(W + tag) if fallback is not None else None

    def kind(self, sid: str | None) -> tuple[int, bool]:
        """(heading level from the style's name, 0 if none; whether it is a Title style)."""
        for style in self.chain(sid):
            name_el = style.find(W + "name")
            name = (name_el.get(W + "val") if name_el is not None else "") or ""
            if m := _HEADING_NAME.match(name.strip()):
                return int(m.group(1)), False
            if _TITLE_NAME.match(name.strip()):
                return 0, True
        return 0, False


def _on_attr(value: str | None) -> bool:
    return (value or "").lower() in ("1", "true", "on")


# --- the body --------------------------------------------------------------------------------------

# Inline markup whose runs are read; anything else (tracked deletions, Word's fallback copies of new
# content, field codes, bookmarks, comments) is left out.
_CONTAINERS = {W + "hyperlink", W + "ins", W + "moveTo", W + "smartTag", W + "customXml", W + "fldSimple",
               W + "dir", W + "bdo", W + "sdtContent"}
class _BodyReader:
    """The main part's body → SubmittedParagraph list, with notes on what was left out."""

    def __init__(self, pkg: _Package, main: str, shown: str):
        self.pkg = pkg
        self.shown = shown
        self.rels = pkg.relationships(main)
        styles_part = next((name for name, kind in self.rels.values()
                            if name and kind.endswith("/styles")), None)
        self.styles = _Styles(pkg.xml(styles_part) if styles_part else None)
        self.notes: list[Diagnostic] = []
        self.skipped: Counter = Counter()
        self.sizes: list[float | None] = []  # each paragraph's main size, to find the body text's

    # notes are counted while reading and written once at the end, in a fixed order
    def note(self, what: str) -> None:
        self.skipped[what] += 1

    def paragraphs(self, body) -> list[SubmittedParagraph]:
        out: list[SubmittedParagraph] = []
        for el in self._blocks(body):
            if el.tag == W + "p":
                out.append(self._paragraph(el))
            elif el.tag == W + "tbl":
                table = self._data_table(el)
                out += [table] if table is not None else self._table(el)
        self._mark_prominent(out)
        return out

    def _blocks(self, parent):
        """Body-level paragraphs and tables, looking into content controls and custom XML."""
        for el in parent:
            if el.tag in (W + "p", W + "tbl"):
                yield el
            elif el.tag == W + "sdt":
                content = el.find(W + "sdtContent")
                if content is not None:
                    yield from self._blocks(content)
            elif el.tag in (W + "customXml", MC + "AlternateContent", MC + "Choice"):
                yield from self._blocks(el)

    # paragraphs
    def _paragraph(self, p) -> SubmittedParagraph:
        ppr = p.find(W + "pPr")
        sid = None
        if ppr is not None and ppr.find(W + "pStyle") is not None:
            sid = ppr.find(W + "pStyle").get(W + "val")
        sid = sid if sid in self.styles.by_id else self.styles.default_paragraph
        jc = ppr.find(W + "jc") if ppr is not None else None
        if jc is None:
            jc = self.styles.prop(sid, "pPr", "jc")
        outline = ppr.find(W + "outlineLvl") if ppr is not None else None
        if outline is None:
            outline = self.styles.prop(sid, "pPr", "outlineLvl")
        level, titled = self.styles.kind(sid)
        if not level and outline is not None:
            try:
                lvl = int(outline.get(W + "val") or "9")
            except ValueError:
                lvl = 9
            level = lvl + 1 if 0 <= lvl < 9 else 0
        if ppr is not None and ppr.find(W + "numPr") is not None and not level:
            self.note("numbered")
        pieces: list = []
        sized: Counter = Counter()
        self._inline(p, sid, pieces, sized)
        size = sized.most_common(1)[0][0] if sized else None
        return SubmittedParagraph(pieces, centred=jc is not None and jc.get(W + "val") == "center",
                                  heading=level, prominent=titled or bool(level), size=size, look=(sid, size))

    def _inline(self, parent, sid, pieces: list, sized: Counter) -> None:
        for el in parent:
            tag = el.tag
            if tag == W + "r":
                self._run(el, sid, pieces, sized)
            elif tag in _CONTAINERS:
                self._inline(el, sid, pieces, sized)
            elif tag == W + "sdt":
                content = el.find(W + "sdtContent")
                if content is not None:
                    self._inline(content, sid, pieces, sized)
            elif tag == MC + "AlternateContent":
                choice = el.find(MC + "Choice")
                if choice is not None:
                    self._inline(choice, sid, pieces, sized)
            elif tag in (M + "oMath", M + "oMathPara"):
                self.note("equation")

    def _run(self, r, sid, pieces: list, sized: Counter) -> None:
        rpr = r.find(W + "rPr")
        rsid = None
        if rpr is not None and rpr.find(W + "rStyle") is not None:
            rsid = rpr.find(W + "rStyle").get(W + "val")
        if self._run_prop(rpr, rsid, sid, "vanish") is not None and _on(self._run_prop(rpr, rsid, sid, "vanish")):
            return  # hidden text is not part of the article
        bold_el = self._run_prop(rpr, rsid, sid, "b")
        bold = bold_el is not None and _on(bold_el)
        size_el = self._run_prop(rpr, rsid, sid, "sz")
        try:
            size = int(size_el.get(W + "val")) / 2 if size_el is not None else 10.0
        except (TypeError, ValueError):
            size = 10.0
        for el in r:
            self._run_child(el, bold, size, pieces, sized)

    def _run_child(self, el, bold: bool, size: float, pieces: list, sized: Counter) -> None:
        tag = el.tag
        if tag == W + "t":
            text = el.text or ""
            pieces.append(Text(text, bold))
            sized[size] += len(text.strip())
        elif tag in (W + "tab", W + "ptab"):
            pieces.append(Text("\u3000", bold))
        elif tag == W + "br":
            pieces.append(Text("\x0c" if el.get(W + "type") == "page" else "\x0b", bold))
        elif tag == W + "cr":
            pieces.append(Text("\x0b", bold))
        elif tag == W + "noBreakHyphen":
            pieces.append(Text("-", bold))
        elif tag in (W + "drawing", W + "pict"):
            self._pictures(el, pieces)
        elif tag == W + "object":
            self.note("object")
        elif tag in (W + "footnoteReference", W + "endnoteReference"):
            self.note("footnote")
        elif tag == MC + "AlternateContent":  # Word's newer form first; the Fallback repeats it
            choice = el.find(MC + "Choice")
            for child in choice if choice is not None else ():
                self._run_child(child, bold, size, pieces, sized)

    def _run_prop(self, rpr, rsid, sid, tag):
        if rpr is not None and rpr.find(W + tag) is not None:
            return rpr.find(W + tag)
        if rsid:
            for style in self.styles.chain(rsid):
                holder = style.find(W + "rPr")
                if holder is not None and holder.find(W + tag) is not None:
                    return holder.find(W + tag)
        return self.styles.prop(sid, "rPr", tag)

    # pictures
    def _pictures(self, drawing, pieces: list) -> None:
        found = False
        blips = list(drawing.iter(A + "blip", V + "imagedata"))
        for el in blips:
            found = True
            if el.tag == A + "blip":
                if el.get(R + "link") and not el.get(R + "embed"):
                    self.note("linked picture")
                    continue
                rid = el.get(R + "embed")
                # the drawing's extent is this picture's size only when it is the drawing's one picture
                width = _drawing_width(drawing) if len(blips) == 1 else None
            else:
                rid = el.get(R + "id") or el.get("{urn:schemas-microsoft-com:office:office}relid")
                width = _vml_width(el.getparent())
            self._picture(rid, pieces, width)
        if not found:
            if any(True for _ in drawing.iter(W + "txbxContent")):
                self.note("text box")
            else:
                self.note("drawing")

    def _picture(self, rid: str | None, pieces: list, width: int | None = None) -> None:
        target = self.rels.get(rid or "")
        if target is None:
            self.note("missing picture")
            return
        name, _ = target
        if name is None:  # TargetMode="External", or a path out of the package: never followed
            self.note("linked picture")
            return
        data = self.pkg.read(name)
        ext, _ = picture_type(data or b"")
        if ext is None:
            self.note("picture format")
            return
        pieces.append(Picture(data, ext, width))

    # tables
    def _table(self, tbl) -> list[SubmittedParagraph]:
        """One paragraph per row, the cells' texts joined with a full-width space; a cell's picture
        becomes a picture paragraph, its short text (when it holds one picture) the caption."""
        out: list[SubmittedParagraph] = []
        self.note("table")
        for tr in tbl.iter(W + "tr"):
            if tr.getparent() is not tbl:  # rows of nested tables are read with their cell
                continue
            cells: list[str] = []
            for tc in tr.iter(W + "tc"):
                if _nearest_row(tc) is not tr:
                    continue
                pictures: list = []
                texts: list[str] = []
                for p in tc.iter(W + "p"):
                    par = self._paragraph(p)
                    pictures += [x for x in par.pieces if isinstance(x, Picture)]
                    if par.text.strip():
                        texts.append(_one_line(par.text))
                text = "\u3000".join(texts)
                for picture in pictures:
                    out.append(SubmittedParagraph([picture], centred=True, from_table=True))
                if len(pictures) == 1 and text and len(text) <= 60:
                    out.append(SubmittedParagraph([Text(text)], centred=True, from_table=True))
                elif text:
                    cells.append(text)
            if cells:
                out.append(SubmittedParagraph([Text("\u3000".join(cells))], from_table=True))
        return out

    def _data_table(self, tbl) -> SubmittedTable | None:
        """The table as a table of text, or None when it frames or lays out the page: a cell holds a
        picture, or, empty rows and columns left out, it has a single row or a single column (a box
        around a paragraph, a row of signatures). Merged cells (gridSpan, vMerge) keep their text in
        their first cell; the grid positions a row skips (gridBefore, gridAfter) are empty cells."""
        if any(True for _ in tbl.iter(W + "drawing", W + "pict", W + "object")):
            return None
        grid: list[list] = []   # each row: the w:tc holding each grid column's text, or None
        merged = False
        for tr in tbl.iter(W + "tr"):
            if tr.getparent() is not tbl:  # rows of nested tables are read with their cell
                continue
            trpr = tr.find(W + "trPr")
            before = _int_val(trpr.find(W + "gridBefore")) if trpr is not None else 0
            row: list = [None] * before
            for tc in tr.iter(W + "tc"):
                if _nearest_row(tc) is not tr:
                    continue
                tcpr = tc.find(W + "tcPr")
                span = max(1, _int_val(tcpr.find(W + "gridSpan")) if tcpr is not None else 1)
                vmerge = tcpr.find(W + "vMerge") if tcpr is not None else None
                merged = merged or span > 1 or vmerge is not None
                covered = vmerge is not None and vmerge.get(W + "val") in (None, "continue")
                row += [None if covered else tc] + [None] * (span - 1)
            grid.append(row)
        width = max((len(row) for row in grid), default=0)
        grid = [row + [None] * (width - len(row)) for row in grid]

        def has_text(tc) -> bool:
            return tc is not None and any((t.text or "").strip(" \t\u3000\xa0") for t in tc.iter(W + "t"))

        keep_rows = [r for r, row in enumerate(grid) if any(has_text(tc) for tc in row)]
        keep_columns = [c for c in range(width) if any(has_text(grid[r][c]) for r in keep_rows)]
        if len(keep_rows) < 2 or len(keep_columns) < 2:
            return None
        rows = []
        for r in keep_rows:
            cells = []
            for c in keep_columns:
                pieces: list = []
                for p in grid[r][c].iter(W + "p") if has_text(grid[r][c]) else ():
                    par = self._paragraph(p)
                    if par.text.strip(" \t\u3000\xa0"):
                        pieces += ([Text("\u3000")] if pieces else []) + [x for x in par.pieces if isinstance(x, Text)]
                cells.append(pieces)
            rows.append(cells)
        if merged:
            self.note("merged cells")
        return SubmittedTable(rows, merged)

    def _mark_prominent(self, paragraphs: list[SubmittedParagraph]) -> None:
        """Set `prominent` on paragraphs set larger than the body text: the size most characters of
        left-aligned, non-heading paragraphs have (a centred title would otherwise outweigh a short body)."""
        weights: Counter = Counter()
        paragraphs = [par for par in paragraphs if isinstance(par, SubmittedParagraph)]  # no tables
        for par in paragraphs:
            if par.size is not None and not (par.from_table or par.heading or par.centred):
                weights[par.size] += len(par.text.strip())
        if not weights:
            return
        body = weights.most_common(1)[0][0]
        for par in paragraphs:
            if par.size is not None and par.size >= body + 1:
                par.prominent = True

    def finish(self) -> list[Diagnostic]:
        """The notes, one per kind of thing left out, with what to do about it."""
        messages = {
            "linked picture": (_("{n} linked picture(s) skipped: the file links to them instead of holding "
                                 "them, and links are never followed"),
                               _("insert the picture into the document (Insert → Picture, not 'Link to File') "
                                 "or save it beside the article and add ![说明](photo.jpg)")),
            "picture format": (_("{n} picture(s) skipped: not PNG, JPEG, GIF or BMP (a Word drawing, EMF or TIFF)"),
                               _("save the picture as .jpg or .png beside the article and add ![说明](photo.jpg)")),
            "missing picture": (_("{n} picture(s) skipped: the document names a picture it does not hold"),
                                _("insert the picture again in Word, or add it by hand")),
            "drawing": (_("{n} drawing(s), chart(s) or shape(s) left out"), _("send them as pictures (.jpg or .png)")),
            "text box": (_("{n} text box(es) left out"),
                         _("copy their text into the body if it belongs to the article")),
            "object": (_("{n} embedded object(s) (a spreadsheet, a formula) left out"), _("send it as a picture")),
            "equation": (_("{n} equation(s) left out"), _("write them out as text")),
            "footnote": (_("{n} footnote(s) left out"), _("work the footnote into the text if it matters")),
            "table": (_("{n} table(s) used for layout (a single row or column, or pictures in cells): each "
                        "row became one paragraph with its cells separated by '　'"),
                      _("check that it reads well, or turn the table into sentences")),
            "merged cells": (_("{n} table(s) with merged cells: each merged cell's text is in its first cell, "
                               "the cells it spanned are left empty"),
                             _("check the table in the article, and fill in the empty cells where it reads better")),
            "numbered": (_("{n} paragraph(s) numbered automatically by Word: their numbers were not carried over"),
                         _("type the numbers (一、 （一） 1.) into the text if they matter")),
        }
        out = list(self.notes)
        for what, (message, hint) in messages.items():
            if self.skipped[what]:
                out.append(Diagnostic(self.shown, None, message.format(n=self.skipped[what]), "warning", hint))
        return out


def _drawing_width(drawing) -> int | None:
    """The width a DrawingML picture is shown at: `cx` of its inline or floating frame's wp:extent."""
    for frame in drawing.iter(WP + "inline", WP + "anchor"):
        extent = frame.find(WP + "extent")
        if extent is not None:
            try:
                cx = int(extent.get("cx") or "0")
            except ValueError:
                return None
            return cx if cx > 0 else None
    return None


def _vml_width(shape) -> int | None:
    """The width in an old VML shape's style (`width:90pt;height:60pt`), in EMU."""
    m = _VML_WIDTH.search(shape.get("style") or "") if shape is not None else None
    if m is None:
        return None
    width = round(float(m.group(1)) * _VML_UNIT_EMU[m.group(2).lower()])
    return width if width > 0 else None


def _int_val(el) -> int:
    """The w:val of an element as a whole number (a span, a count); 0 when absent or not a number."""
    try:
        return max(0, int(el.get(W + "val"))) if el is not None else 0
    except (TypeError, ValueError):
        return 0


def _nearest_row(el):
    parent = el.getparent()
    while parent is not None and parent.tag != W + "tr":
        parent = parent.getparent()
    return parent


def _one_line(text: str) -> str:
    from bulletin.cjk import one_line

    return one_line(text).strip(" \t\u3000\xa0")


def read_docx(path: Path, shown: str) -> tuple[list[SubmittedParagraph], list[Diagnostic]]:
    """The body of a checked .docx as paragraphs, and notes on what was left out (linked pictures,
    drawings, tables turned into paragraphs). Raises BulletinError for a refused or damaged file."""
    check_package(path, shown)
    try:
        zf = zipfile.ZipFile(path)
    except Exception:
        raise _refuse(shown, _("the file is damaged: its zip directory cannot be read")) from None
    with zf:
        pkg = _Package(zf, shown)
        main = _main_part(pkg, _content_types(pkg))
        document = pkg.xml(main)
        body = document.find(W + "body") if document is not None else None
        if body is None:
            raise _refuse(shown, _("this Word document has no body text"))
        reader = _BodyReader(pkg, main, shown)
        paragraphs = reader.paragraphs(body)
        return paragraphs, reader.finish()
