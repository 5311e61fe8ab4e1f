"""bulletin.intake (zipguard, docx_body): the zip check before a .docx is opened; what its body reads as."""
from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared examples package

from examples.submissions import (  # noqa: E402
    CAPTION,
    HOSTILE_DOCX,
    PICTURE_XML,
    TITLE,
    department_docx,
    linked_picture_docx,
    minimal_docx,
    picture_xml,
    png,
    understated_size_docx,
    vml_picture_xml,
)

from bulletin.intake.pieces import SubmittedTable  # noqa: E402
from bulletin.errors import BulletinError  # noqa: E402
from bulletin.intake.docx_body import read_docx  # noqa: E402
from bulletin.intake.pieces import Picture, Text  # noqa: E402
from bulletin.intake.zipguard import MAX_DOCX_BYTES, check_package  # noqa: E402


@pytest.fixture
def base(tmp_path) -> Path:
    return department_docx(tmp_path / "base.docx")


def _refusal(path: Path) -> str:
    with pytest.raises(BulletinError) as caught:
        read_docx(path, str(path))
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.path == str(path) and diagnostic.hint, diagnostic
    return diagnostic.message


HOSTILE = {case: (make, expected) for case, (make, expected, from_directory) in HOSTILE_DOCX.items()
           if from_directory}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_packages_are_refused_from_the_directory_alone(base, tmp_path, monkeypatch, case):
    make, expected = HOSTILE[case]
    path = make(base, tmp_path / "hostile.docx")

    real_open = zipfile.ZipFile.open

    def only_content_types(self, name, *args, **kwargs):
        if getattr(name, "filename", name) != "[Content_Types].xml":
            raise AssertionError(f"{name} was decompressed before the package was checked")
        return real_open(self, name, *args, **kwargs)
    monkeypatch.setattr(zipfile.ZipFile, "open", only_content_types)
    with pytest.raises(BulletinError) as caught:
        check_package(path, str(path))
    assert expected in caught.value.diagnostics[0].message


def test_a_part_larger_than_it_claims_is_cut_at_its_claimed_size(base, tmp_path):
    # 50 MB of text that claims 200 KB: only the declared size is ever decompressed, then the CRC fails
    assert "damaged" in _refusal(understated_size_docx(base, tmp_path / "under.docx"))


def test_a_file_over_the_size_limit_is_refused_before_reading(base, tmp_path):
    big = tmp_path / "big.docx"
    big.write_bytes(base.read_bytes())
    with open(big, "r+b") as handle:
        handle.truncate(MAX_DOCX_BYTES + 1)  # sparse: no 20 MB written to disk
    assert "more than the 20.0 MB" in _refusal(big)


def test_a_macro_content_type_alone_is_refused(tmp_path):
    path = minimal_docx(tmp_path / "m.docx", "<w:p><w:r><w:t>正文</w:t></w:r></w:p>",
                        main_type="application/vnd.ms-word.document.macroEnabled.main+xml")
    with pytest.raises(BulletinError, match="macros"):
        check_package(path, "m.docx")


def test_a_spreadsheet_named_docx_is_not_a_word_document(tmp_path):
    path = minimal_docx(tmp_path / "x.docx", "<w:p/>",
                        main_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    assert "an Excel workbook" in _refusal(path) and "not a Word document" in _refusal(path)


def test_a_part_that_is_not_xml_is_damaged(base, tmp_path):
    from examples.submissions import rezip

    path = rezip(base, tmp_path / "bad.docx", replace={"word/document.xml": b"<w:document><w:body>"})
    assert "not well-formed XML" in _refusal(path)


def test_a_department_submission_reads_as_formatted_paragraphs(base):
    paragraphs, notes = read_docx(base, "base.docx")
    texts = [p.text for p in paragraphs]
    title = paragraphs[0]
    assert title.text == TITLE and title.centred and title.prominent
    first = paragraphs[1]
    assert [p.text for p in first.pieces if isinstance(p, Text) and p.bold] == ["“一网通办”"]
    assert first.text.count("\x0b") == 2 and first.text.startswith("　　今年以来")
    heading = paragraphs[texts.index("强化组织保障")]
    assert heading.heading == 1 and not first.heading and not first.prominent
    pictures = [p for par in paragraphs for p in par.pieces if isinstance(p, Picture)]
    assert len(pictures) == 1 and pictures[0].ext == "png" and pictures[0].data.startswith(b"\x89PNG")
    caption = paragraphs[texts.index(CAPTION)]
    assert caption.centred and not caption.prominent  # centred, but in body size: not a title
    (table,) = [p for p in paragraphs if isinstance(p, SubmittedTable)]  # a table of text stays a table
    assert [["".join(t.text for t in cell) for cell in row] for row in table.rows] == \
        [["事项", "办件量"], ["低保审批", "1200件"]]
    assert texts[-1] == "（市民政局供稿）"
    assert notes == []


def test_a_linked_picture_is_never_followed(base, tmp_path, monkeypatch):
    secret = tmp_path / "secret.png"
    secret.write_bytes(png(9, 9))
    path = linked_picture_docx(base, tmp_path / "linked.docx", secret.as_uri())
    opened: list[str] = []
    real_open = open

    def watching_open(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)
    monkeypatch.setattr("builtins.open", watching_open)
    paragraphs, notes = read_docx(path, "linked.docx")
    assert not any(isinstance(p, Picture) for par in paragraphs for p in par.pieces)
    assert any("linked picture" in n.message and n.severity == "warning" for n in notes)
    assert str(secret) not in opened


def test_an_external_target_behind_an_embed_id_is_not_followed(tmp_path):
    rel = ('<Relationship Id="rIdOut" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
           'image" Target="http://127.0.0.1:9/x.png" TargetMode="External"/>')
    body = "<w:p>" + PICTURE_XML.replace("rIdPic", "rIdOut") + "</w:p><w:p><w:r><w:t>正文</w:t></w:r></w:p>"
    paragraphs, notes = read_docx(minimal_docx(tmp_path / "out.docx", body, extra_rels=rel), "out.docx")
    assert not any(isinstance(p, Picture) for par in paragraphs for p in par.pieces)
    assert any("linked picture" in n.message for n in notes)


def test_hidden_text_deletions_and_fallbacks_are_left_out(tmp_path):
    body = ('<w:p><w:r><w:t>留下</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>'
            '<w:del><w:r><w:delText>删除</w:delText></w:r></w:del><w:ins><w:r><w:t>插入</w:t></w:r></w:ins>'
            '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:t>新</w:t></mc:Choice>'
            '<mc:Fallback><w:t>旧</w:t></mc:Fallback></mc:AlternateContent></w:r></w:p>')
    (paragraph,), _ = read_docx(minimal_docx(tmp_path / "t.docx", body), "t.docx")
    assert paragraph.text == "留下插入新"


def test_styles_are_followed_along_their_chain(tmp_path):
    body = ('<w:p><w:pPr><w:pStyle w:val="Big"/></w:pPr><w:r><w:t>大字标题</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:pStyle w:val="MyHeading"/></w:pPr><w:r><w:t>派生标题</w:t></w:r></w:p>'
            '<w:p><w:pPr><w:pStyle w:val="Outline2"/></w:pPr><w:r><w:t>大纲二级</w:t></w:r></w:p>'
            '<w:p><w:r><w:rPr><w:rStyle w:val="Strong"/></w:rPr><w:t>加粗</w:t></w:r>'
            '<w:r><w:rPr><w:b w:val="0"/></w:rPr><w:t>不粗</w:t></w:r>'
            '<w:r><w:t>正文正文正文正文正文正文正文正文正文正文正文正文</w:t></w:r></w:p>')
    big, derived, outline, body_par = read_docx(minimal_docx(tmp_path / "s.docx", body), "s.docx")[0]
    assert big.prominent and not big.centred and not big.heading  # 22 pt against a 16 pt body
    assert derived.heading == 1  # based on "heading 1"
    assert outline.heading == 2  # outline level 1 (0-based)
    assert [(p.text, p.bold) for p in body_par.pieces][:2] == [("加粗", True), ("不粗", False)]


def test_pictures_in_a_drawing_are_read_and_other_drawings_noted(tmp_path):
    body = ("<w:p>" + PICTURE_XML + "</w:p>"
            '<w:p><w:r><w:drawing><w:txbxContent><w:p><w:r><w:t>框</w:t></w:r></w:p></w:txbxContent>'
            "</w:drawing></w:r><w:r><w:t>正文</w:t></w:r></w:p>")
    paragraphs, notes = read_docx(minimal_docx(tmp_path / "p.docx", body), "p.docx")
    assert isinstance(paragraphs[0].pieces[0], Picture)
    assert paragraphs[1].text == "正文"
    assert any("text box" in n.message for n in notes)


def test_a_picture_in_a_format_word_prints_badly_is_skipped_with_a_note(tmp_path):
    body = "<w:p>" + PICTURE_XML + "</w:p><w:p><w:r><w:t>正文</w:t></w:r></w:p>"
    path = minimal_docx(tmp_path / "emf.docx", body)
    from examples.submissions import rezip

    emf = rezip(path, tmp_path / "emf2.docx", replace={"word/media/image1.png": b"\x01\x00\x00\x00" + b"\x00" * 80})
    paragraphs, notes = read_docx(emf, "emf2.docx")
    assert not any(isinstance(p, Picture) for par in paragraphs for p in par.pieces)
    assert any("not PNG, JPEG, GIF or BMP" in n.message for n in notes)


def _pictures(path: Path) -> list[Picture]:
    paragraphs, _ = read_docx(path, str(path))
    return [p for par in paragraphs for p in par.pieces if isinstance(p, Picture)]


def test_a_picture_keeps_the_width_word_sets_it_at(tmp_path):
    (picture,) = _pictures(department_docx(tmp_path / "a.docx", picture_mm=120))
    assert picture.width_emu == 120 * 36_000


@pytest.mark.parametrize("xml, width", [
    (picture_xml(2_889_000), 2_889_000),                 # 80.25 mm, inline
    (picture_xml(1_800_000, anchored=True), 1_800_000),  # a floating picture: its frame's extent
    (vml_picture_xml("width:90pt;height:60pt"), 90 * 12_700),
    (vml_picture_xml("position:absolute;width:4.5in;height:3in"), 4.5 * 914_400),
    (vml_picture_xml("width:12cm;height:9cm"), 120 * 36_000),
    (PICTURE_XML, None),                                 # no extent: nothing to keep
    (picture_xml(0), None),
    (vml_picture_xml("height:60pt"), None),
], ids=["inline", "anchored", "vml-pt", "vml-in", "vml-cm", "no-extent", "zero", "vml-no-width"])
def test_a_picture_reads_its_extent_in_emu(tmp_path, xml, width):
    (picture,) = _pictures(minimal_docx(tmp_path / "p.docx", f"<w:p>{xml}</w:p><w:p><w:r><w:t>正文</w:t></w:r></w:p>"))
    assert picture.width_emu == width
