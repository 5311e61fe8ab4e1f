"""bulletin.render.docx.package: the OPC zip is deterministic."""
import zipfile
from io import BytesIO

from bulletin.render.docx.package import CT_MAIN, CT_STYLES, FIXED_ZIP_TIME, Package

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def build() -> Package:
    pkg = Package()
    pkg.add("word/document.xml", "<w:document>政务公开</w:document>", CT_MAIN)
    pkg.add("word/styles.xml", "<w:styles/>", CT_STYLES)
    pkg.relate("styles", "styles.xml")
    pkg.add_media(PNG, "png")
    return pkg


def test_same_parts_give_identical_bytes():
    assert build().to_bytes() == build().to_bytes()


def test_to_bytes_twice_on_one_package_is_identical():
    pkg = build()
    assert pkg.to_bytes() == pkg.to_bytes()


def test_part_insertion_order_does_not_matter():
    a = Package()
    a.add("word/styles.xml", "<s/>", CT_STYLES)
    a.add("word/document.xml", "<d/>", CT_MAIN)
    b = Package()
    b.add("word/document.xml", "<d/>", CT_MAIN)
    b.add("word/styles.xml", "<s/>", CT_STYLES)
    assert a.to_bytes() == b.to_bytes()


def test_different_content_gives_different_bytes():
    other = build()
    other.add("word/document.xml", "<w:document>政务</w:document>", CT_MAIN)
    assert build().to_bytes() != other.to_bytes()


def test_zip_entries_have_fixed_timestamp():
    assert FIXED_ZIP_TIME == (1980, 1, 1, 0, 0, 0)
    with zipfile.ZipFile(BytesIO(build().to_bytes())) as zf:
        infos = zf.infolist()
        assert infos
        for info in infos:
            assert info.date_time == (1980, 1, 1, 0, 0, 0)


def test_zip_content_types_first_and_parts_readable():
    with zipfile.ZipFile(BytesIO(build().to_bytes())) as zf:
        names = zf.namelist()
        assert names[0] == "[Content_Types].xml"
        assert {"_rels/.rels", "word/document.xml", "word/styles.xml",
                "word/_rels/document.xml.rels", "word/media/image1.png"} <= set(names)
        assert zf.testzip() is None
        doc = zf.read("word/document.xml").decode("utf-8")
        assert doc.startswith("<?xml") and "政务公开" in doc
        ct = zf.read("[Content_Types].xml").decode("utf-8")
        assert 'PartName="/word/document.xml"' in ct and CT_MAIN in ct
        assert '<Default Extension="png" ContentType="image/png"/>' in ct
        rels = zf.read("word/_rels/document.xml.rels").decode("utf-8")
        assert 'Id="rId1"' in rels and 'Target="styles.xml"' in rels
        assert 'Id="rId2"' in rels and 'Target="media/image1.png"' in rels


def test_relationship_ids_count_up():
    pkg = Package()
    assert pkg.relate("styles", "styles.xml") == "rId1"
    assert pkg.relate("settings", "settings.xml") == "rId2"


def test_same_picture_is_stored_once():
    pkg = Package()
    first = pkg.add_media(PNG, "png")
    again = pkg.add_media(PNG, "PNG")
    other = pkg.add_media(PNG + b"x", "jpg")
    assert first == again != other
    media = sorted(n for n in pkg.parts if n.startswith("word/media/"))
    assert media == ["word/media/image1.png", "word/media/image2.jpeg"]
