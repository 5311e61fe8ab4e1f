"""Department submissions for the tests of `bulletin add`: Word files built with python-docx the way
clerks write them, and hostile packages (zip bombs, too many entries, encryption, macros, links).

Every file is built in the test's own folder from code, so nothing binary lives in the repository.
"""
from __future__ import annotations

import io
import re
import struct
import zipfile
from pathlib import Path

from .generate import png  # noqa: F401  (the submission tests take it from here)

TITLE = "市民政局扎实推进“一网通办”改革"
SOURCE = "市民政局"
CAPTION = "图为工作人员在社区开展政策宣讲"


def department_docx(path: Path, *, picture: bool = True, title_centred: bool = True,
                    title_size: int | None = 22, closing: str = f"（{SOURCE}供稿）",
                    picture_mm: float | None = None) -> Path:
    """A submission as a department writes it: a centred 二号 title, 　　 indents typed as text, a
    manual line break before 二是…, a bold “一网通办”, a Heading 1, a picture with a centred 图为…
    line under it, a table, and a closing （市民政局供稿）."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = Document()
    title = doc.add_paragraph()
    if title_centred:
        title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(TITLE)
    if title_size:
        run.font.size = Pt(title_size)
    first = doc.add_paragraph("　　今年以来，市民政局坚持以群众需求为导向，深化")
    first.add_run("“一网通办”").bold = True
    first.add_run("改革，一是优化流程，")
    first.add_run().add_break()  # a line break inside a sentence: the lines join
    first.add_run("压减材料；")
    first.add_run().add_break()  # a line break before a new point: a new paragraph
    first.add_run("二是推行“免申即享”，惠及群众1.2万人次。")
    doc.add_heading("强化组织保障", level=1)
    doc.add_paragraph("　　局党组定期研究部署，各科室协同配合，*确保*各项任务落地见效。")
    if picture:
        from docx.shared import Mm

        width = Mm(picture_mm) if picture_mm else None  # else python-docx sets the pixels at 72 dpi
        doc.add_paragraph().add_run().add_picture(io.BytesIO(png(40, 30)), width=width)
        caption = doc.add_paragraph(CAPTION)
        caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    table = doc.add_table(rows=2, cols=2)
    for (r, c), text in {(0, 0): "事项", (0, 1): "办件量", (1, 0): "低保审批", (1, 1): "1200件"}.items():
        table.cell(r, c).text = text
    if closing:
        doc.add_paragraph(closing)
    doc.save(path)
    return path


def rezip(src: Path, dst: Path, *, replace: dict[str, bytes] | None = None,
          extra: dict[str, bytes] | None = None) -> Path:
    """A copy of the zip `src` with some parts replaced and others added."""
    replace, extra = replace or {}, extra or {}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, replace.get(info.filename, zin.read(info.filename)))
        for name, data in extra.items():
            zout.writestr(name, data)
    return dst


def linked_picture_docx(src: Path, dst: Path, target: str) -> Path:
    """`src` (with one picture) changed so the picture is linked to `target`, not embedded:
    `<a:blip r:link=…>` and a relationship with TargetMode="External"."""
    with zipfile.ZipFile(src) as z:
        document = z.read("word/document.xml").decode("utf-8")
        rels = z.read("word/_rels/document.xml.rels").decode("utf-8")
    document, count = re.subn(r'r:embed="(rId\d+)"', 'r:link="rIdLinked"', document)
    assert count == 1, "the source must hold exactly one picture"
    link = (f'<Relationship Id="rIdLinked" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'relationships/image" Target="{target}" TargetMode="External"/>')
    rels = rels.replace("</Relationships>", link + "</Relationships>")
    return rezip(src, dst, replace={"word/document.xml": document.encode("utf-8"),
                                    "word/_rels/document.xml.rels": rels.encode("utf-8")})


def macro_docx(src: Path, dst: Path) -> Path:
    """`src` made macro-enabled the way Word saves a .docm: a vbaProject.bin part and its content types."""
    with zipfile.ZipFile(src) as z:
        types = z.read("[Content_Types].xml").decode("utf-8")
    types = types.replace("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                          "application/vnd.ms-word.document.macroEnabled.main+xml")
    types = types.replace("</Types>", '<Override PartName="/word/vbaProject.bin" '
                          'ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    return rezip(src, dst, replace={"[Content_Types].xml": types.encode("utf-8")},
                 extra={"word/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 508})


def zip_bomb(src: Path, dst: Path, megabytes: int = 50) -> Path:
    """`src` with a part of `megabytes` MB of zeros, which deflates about 1000:1."""
    return rezip(src, dst, extra={"word/media/bomb.xml": b"\x00" * (megabytes * 1024 * 1024)})


def _patch_central_directory(path: Path, name: str, *, flags: int | None = None,
                             file_size: int | None = None) -> None:
    """Overwrite fields of `name`'s entry in the central directory and its local header (a forged zip)."""
    data = bytearray(path.read_bytes())
    encoded = name.encode("utf-8")
    at = 0
    while (at := data.find(b"PK\x01\x02", at)) >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        if bytes(data[at + 46:at + 46 + name_len]) == encoded:
            local = struct.unpack_from("<I", data, at + 42)[0]
            if flags is not None:
                struct.pack_into("<H", data, at + 8, flags)
                struct.pack_into("<H", data, local + 6, flags)
            if file_size is not None:
                struct.pack_into("<I", data, at + 24, file_size)
                struct.pack_into("<I", data, local + 22, file_size)
            path.write_bytes(bytes(data))
            return
        at += 4
    raise AssertionError(f"{name} is not in {path}")


def forged_size_docx(src: Path, dst: Path, claimed: int = 0xFFFFFFF0) -> Path:
    """`src` whose word/document.xml claims (in the central directory) to unpack to `claimed` bytes."""
    dst.write_bytes(src.read_bytes())
    _patch_central_directory(dst, "word/document.xml", file_size=claimed)
    return dst


def understated_size_docx(src: Path, dst: Path, megabytes: int = 50) -> Path:
    """`src` whose word/document.xml is `megabytes` MB of text but claims 200 KB: only a capped read
    (then the checksum) can tell."""
    big = b"<!--" + b" " * (megabytes * 1024 * 1024) + b"-->"
    with zipfile.ZipFile(src) as z:
        document = z.read("word/document.xml")
    rezip(src, dst, replace={"word/document.xml": document.replace(b"?>", b"?>" + big, 1)})
    _patch_central_directory(dst, "word/document.xml", file_size=200 * 1024)
    return dst


def encrypted_entry_docx(src: Path, dst: Path) -> Path:
    """`src` with the 'encrypted' flag (bit 0) set on word/document.xml."""
    dst.write_bytes(src.read_bytes())
    _patch_central_directory(dst, "word/document.xml", flags=0x1)
    return dst


def many_entries_docx(src: Path, dst: Path, count: int = 2_001) -> Path:
    """`src` with `count` extra empty parts."""
    return rezip(src, dst, extra={f"customXml/extra{i}.xml": b"" for i in range(count)})


def ole_file(path: Path) -> Path:
    """The start of an OLE compound file (an old .doc, or a password-protected .docx)."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    return path


def garbage(path: Path) -> Path:
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))
    return path


W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Default Extension="png" ContentType="image/png"/>
<Override PartName="/word/document.xml" ContentType="{main}"/>
<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>
</Types>"""
_PACKAGE_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""
_DOCUMENT_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rIdStyles" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rIdPic" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image" Target="media/image1.png"/>
{extra}</Relationships>"""
DEFAULT_STYLES = """
<w:docDefaults><w:rPrDefault><w:rPr><w:sz w:val="32"/></w:rPr></w:rPrDefault></w:docDefaults>
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/>
  <w:rPr><w:b/></w:rPr></w:style>
<w:style w:type="paragraph" w:styleId="MyHeading"><w:name w:val="我的标题"/><w:basedOn w:val="1"/></w:style>
<w:style w:type="paragraph" w:styleId="Outline2"><w:name w:val="正文大纲"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Big"><w:name w:val="大字"/><w:pPr><w:jc w:val="left"/></w:pPr>
  <w:rPr><w:sz w:val="44"/></w:rPr></w:style>
<w:style w:type="character" w:styleId="Strong"><w:name w:val="Strong"/><w:rPr><w:b/></w:rPr></w:style>
"""
def picture_xml(cx: int, cy: int = 0, anchored: bool = False) -> str:
    """PICTURE_XML set `cx` EMU wide (36,000 EMU = 1 mm) by its wp:extent, inline or floating."""
    frame = "anchor" if anchored else "inline"
    return PICTURE_XML.replace("<wp:inline ", f"<wp:{frame} ").replace("</wp:inline>", f"</wp:{frame}>").replace(
        '"><a:graphic ', f'"><wp:extent cx="{cx}" cy="{cy or cx * 3 // 4}"/><a:graphic ', 1)


def vml_picture_xml(style: str) -> str:
    """An old-style (VML) picture, as Word 2003 and WPS write, sized by its shape's style."""
    return (f'<w:r><w:pict><v:shape style="{style}"><v:imagedata r:id="rIdPic"/></v:shape></w:pict></w:r>')


PICTURE_XML = ('<w:r><w:drawing><wp:inline xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/'
               'wordprocessingDrawing"><a:graphic xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
               '<a:graphicData><pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
               '<pic:blipFill><a:blip r:embed="rIdPic"/></pic:blipFill></pic:pic></a:graphicData></a:graphic>'
               '</wp:inline></w:drawing></w:r>')


def minimal_docx(path: Path, body: str, *, styles: str = DEFAULT_STYLES, extra_rels: str = "",
                 main_type: str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                 extra: dict[str, bytes] | None = None) -> Path:
    """A .docx written part by part around `body` (the XML inside <w:body>), for reader tests that
    need markup python-docx does not make (hidden text, tracked changes, alternate content)."""
    ns = (f'xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
          'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
          'xmlns:v="urn:schemas-microsoft-com:vml"')
    parts = {
        "[Content_Types].xml": _CONTENT_TYPES.format(main=main_type),
        "_rels/.rels": _PACKAGE_RELS,
        "word/_rels/document.xml.rels": _DOCUMENT_RELS.format(extra=extra_rels),
        "word/document.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                             f"<w:document {ns}><w:body>{body}</w:body></w:document>",
        "word/styles.xml": f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {ns}>{styles}</w:styles>',
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text.encode("utf-8"))
        z.writestr("word/media/image1.png", png(8, 6))
        for name, data in (extra or {}).items():
            z.writestr(name, data)
    return path


def _empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


_OFFICE = {  # what Excel and PowerPoint write: their main part, its content type, and one more part
    "xlsx": ("xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
             "xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"),
    "pptx": ("ppt/presentation.xml",
             "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
             "ppt/slides/slide1.xml", "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"),
}


def office_package(path: Path, kind: str) -> Path:
    """A small Excel workbook (`xlsx`) or PowerPoint presentation (`pptx`), as a clerk might rename to .docx."""
    main, main_type, part, part_type = _OFFICE[kind]
    types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/'
             'package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
             'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/{main}" ContentType="{main_type}"/>'
             f'<Override PartName="/{part}" ContentType="{part_type}"/></Types>')
    rels = _PACKAGE_RELS.replace("word/document.xml", main)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", types)
        z.writestr("_rels/.rels", rels)
        z.writestr(main, '<?xml version="1.0" encoding="UTF-8"?><root/>')
        z.writestr(part, '<?xml version="1.0" encoding="UTF-8"?><root/>')
    return path


def opendocument_text(path: Path) -> Path:
    """An OpenDocument text (.odt, as WPS or LibreOffice save): a zip led by its stored `mimetype`."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        z.writestr("META-INF/manifest.xml", '<?xml version="1.0" encoding="UTF-8"?><manifest/>')
        z.writestr("content.xml", '<?xml version="1.0" encoding="UTF-8"?><document-content/>')
    return path


def plain_zip(path: Path) -> Path:
    """A zip of a department's files, not a document."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("来稿/说明.txt", "见附件".encode("utf-8"))
        z.writestr("来稿/photo.png", png(8, 6))
    return path


# Hostile .docx submissions: make one from a good .docx (`base`) at `out`, the words its refusal must
# hold, and whether it is refused from the zip's directory alone (before any part is decompressed).
HOSTILE_DOCX = {
    "zip-bomb": (lambda base, out: zip_bomb(base, out), "compressed", True),
    "forged-size": (lambda base, out: forged_size_docx(base, out), "compressed", True),
    "understated-size": (lambda base, out: understated_size_docx(base, out), "damaged", False),
    "too-many-entries": (lambda base, out: many_entries_docx(base, out), "parts, more than the 2,000", True),
    "encrypted-entry": (lambda base, out: encrypted_entry_docx(base, out), "encrypted", True),
    "macros": (lambda base, out: macro_docx(base, out), "macros", True),
    "ole-doc-renamed": (lambda base, out: ole_file(out), "old-format Word", True),
    "garbage": (lambda base, out: garbage(out), "not a zip", True),
    "empty-file": (lambda base, out: _empty(out), "the file is empty", True),
    "spreadsheet-renamed": (lambda base, out: office_package(out, "xlsx"), "an Excel workbook", True),
    "presentation-renamed": (lambda base, out: office_package(out, "pptx"), "a PowerPoint presentation", True),
    "opendocument-renamed": (lambda base, out: opendocument_text(out), "an OpenDocument file", True),
    "zip-archive": (lambda base, out: plain_zip(out), "a zip archive", True),
}
