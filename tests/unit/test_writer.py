"""bulletin.render.docx.writer: spacing without empty paragraphs, balanced titles, masthead lines, pictures on
the grid, the tail's height (the layout itself is measured in tests/layout)."""
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from examples.generate import (  # noqa: E402
    FEATURES,
    HUGE_RECIPIENTS_YAML,
    MEDIUM,
    png,
    write_workspace,
)

from bulletin.content.compose import compose_issue  # noqa: E402
from bulletin.render.docx.oxml import NAMESPACES, W_NS  # noqa: E402
from bulletin.render.docx.writer import DocxWriter, _State  # noqa: E402
from bulletin.store.presets import load_preset  # noqa: E402
from bulletin.store.workspace import Workspace  # noqa: E402

W = f"{{{W_NS}}}"
PITCH = 579


def issue_of(root: Path, ref: str = "10"):
    ws = Workspace.find(root)
    return compose_issue(ws, ws.resolve(ref))


def body_of(writer: DocxWriter, issue) -> ET.Element:
    state = _State(writer.new_package())
    return ET.fromstring(f"<root {NAMESPACES}>{''.join(writer.issue_body(issue, state))}</root>")


def text(p: ET.Element) -> str:
    return "".join(t.text or "" for t in p.iter(f"{W}t"))


@pytest.fixture
def writer():
    return DocxWriter(load_preset("gbt9704"))


def test_no_empty_paragraph_separates_contents_note_and_articles(writer, tmp_path):
    """An empty paragraph at a page top is a blank first line; space before vanishes there."""
    body = body_of(writer, issue_of(write_workspace(tmp_path / "ws", **MEDIUM)))
    paragraphs = body.findall(f"{W}p")
    empty = [p for p in paragraphs[:-1] if not text(p) and p.find(f".//{W}drawing") is None]
    assert not empty
    note = next(p for p in paragraphs if text(p).startswith("编者按"))
    column = next(p for p in paragraphs[paragraphs.index(note) + 1:] if text(p) == "【工作动态】")
    for p in (note, column):
        assert p.find(f"{W}pPr/{W}spacing").get(f"{W}before") == str(PITCH)


def test_the_first_article_under_the_masthead_has_no_space_before(writer, tmp_path):
    body = body_of(writer, issue_of(write_workspace(tmp_path / "ws", articles=[dict(title="通知", paragraphs=1)])))
    title = next(p for p in body.findall(f"{W}p") if text(p) == "通知")
    assert title.find(f"{W}pPr/{W}spacing").get(f"{W}before") == "0"


def test_a_wrapping_title_is_broken_into_even_lines_and_padded_to_the_grid(writer, tmp_path):
    root = write_workspace(tmp_path / "ws", articles=[dict(title="我市深化“一网通办”改革推动政务公开提质增效",
                                                             paragraphs=1)])
    title = next(p for p in body_of(writer, issue_of(root)).findall(f"{W}p") if "增效" in text(p))
    assert len(title.findall(f".//{W}br")) == 1
    assert text(title) == "我市深化“一网通办”改革推动政务公开提质增效"
    after = int(title.find(f"{W}pPr/{W}spacing").get(f"{W}after"))
    assert (2 * 720 + after) % PITCH == 0 and after < PITCH


def test_masthead_name_too_long_for_one_line_becomes_two(writer):
    lines = writer.masthead_lines(["××省××市××区人民政府办公室政务公开工作领导小组工作简报"])
    assert [t for t, _ in lines] == ["××省××市××区人民政府办公室", "政务公开工作领导小组工作简报"]
    assert lines[0][1] == lines[1][1] >= 26
    assert writer.masthead_lines(["××市政务公开工作", "简报"]) == [("××市政务公开工作", 42), ("简报", 42)]
    assert writer.masthead_lines(["政务公开简报"]) == [("政务公开简报", 42)]


def test_picture_line_is_whole_grid_lines_with_room_above(writer, tmp_path):
    root = write_workspace(tmp_path / "ws", pictures={"p.png": png(300, 200, 96)},
                           articles=[dict(title="图片", body="![说明](p.png)")])
    body = body_of(writer, issue_of(root))
    picture = next(p for p in body.findall(f"{W}p") if p.find(f".//{W}drawing") is not None)
    spacing = picture.find(f"{W}pPr/{W}spacing")
    line = int(spacing.get(f"{W}line"))
    assert spacing.get(f"{W}lineRule") == "atLeast" and line % PITCH == 0
    extent = picture.find(".//{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")
    height_twips = int(extent.get("cy")) / 635
    assert 6 * 20 <= line - height_twips < PITCH + 6 * 20


def _box_height(writer, root) -> tuple[int, str]:
    body = "".join(writer.issue_body(issue_of(root), _State(writer.new_package())))
    box = re.search(r'<wp:extent cx="\d+" cy="(\d+)"/>', body[body.rfind("<wp:anchor"):])
    return (int(box.group(1)) // 635 if box else 0), body


def test_tail_box_is_as_tall_as_its_rows(writer, tmp_path):
    height, body = _box_height(writer, write_workspace(tmp_path / "ws", distribution="lists: [short]", people=False))
    rows = [int(h) for h in re.findall(r'<w:trHeight w:val="(\d+)"', body)]
    assert rows == [440 + 120] * 3                      # 报, 送, 共印: one 22 pt line and 3 pt above and below
    assert height == sum(rows) + 40                      # and the two 1 pt outer rules


def test_a_tail_too_tall_for_its_pitch_closes_up_and_still_fits_a_page(writer, tmp_path):
    root = write_workspace(tmp_path / "ws", recipients=HUGE_RECIPIENTS_YAML,
                           distribution="lists: [default]\n  extra: [各民主党派市委, 市工商联, 驻市各单位, 各人民团体, "
                                        "市属各国有企业, 各高等院校]")
    height, body = _box_height(writer, root)
    assert 0 < height <= writer.u.type_height
    pitches = {int(p) for p in re.findall(r'<w:spacing w:before="60" w:after="60" w:line="(\d+)"', body)}
    assert len(pitches) == 1 and 340 <= pitches.pop() < 440


def test_a_tail_taller_than_a_page_follows_the_body_as_a_table(tmp_path):
    preset = load_preset("gbt9704")
    preset.sizes.tail_min_line_pitch = 22               # no closing up allowed
    writer = DocxWriter(preset)
    root = write_workspace(tmp_path / "ws", recipients=HUGE_RECIPIENTS_YAML,
                           distribution="lists: [default]\n  extra: [各民主党派市委, 市工商联, 驻市各单位, 各人民团体, "
                                        "市属各国有企业, 各高等院校]")
    body = writer.issue_body(issue_of(root), _State(writer.new_package()))
    assert body[-2].startswith("<w:tbl>") and "<wp:anchor" not in "".join(body)


def test_features_sample_renders(writer, tmp_path):
    body = body_of(writer, issue_of(write_workspace(tmp_path / "ws", **FEATURES)))
    assert len(body.findall(f".//{W}drawing")) == 5    # four pictures and the tail's box


# --- characters the GB2312 fonts lack ------------------------------------------------------------------

def _runs(xml: str) -> list[tuple[str, str | None]]:
    """(text, eastAsia font or None) of every run in an XML fragment."""
    root = ET.fromstring(f"<root {NAMESPACES}>{xml}</root>")
    out = []
    for r in root.iter(f"{W}r"):
        fonts = r.find(f"{W}rPr/{W}rFonts")
        out.append(("".join(t.text or "" for t in r.iter(f"{W}t")),
                    None if fonts is None else fonts.get(f"{W}eastAsia")))
    return out


def test_rare_characters_are_set_in_the_roles_fallback_font(writer):
    from bulletin.content.blocks import Heading, Paragraph, Run

    body = _runs(writer.paragraph(Paragraph([Run("市长张堃喆、李昇同志")])))
    assert body == [("市长张", None), ("堃喆", "仿宋"), ("、李", None), ("昇", "仿宋"), ("同志", None)]
    assert ("堃", "楷体") in _runs(writer.heading(Heading(2, [Run("张堃同志", bold=True)])))
    assert ("堃", "宋体") in _runs(writer.title("张堃同志调研", 0))
    # 黑体 has every character: no fallback run
    assert _runs(writer.heading(Heading(1, [Run("张堃同志")]))) == [("张堃同志", None)]
    # the masthead, captions, the tail: every role through the same path
    assert ("堃", "仿宋") in _runs(writer.line("张堃", "caption", 14))
    assert ("堃", "楷体") in _runs(writer.line("张堃", "issue_number", 16))


def test_a_rare_character_run_keeps_the_runs_format(writer):
    from bulletin.content.blocks import Paragraph, Run

    xml = writer.paragraph(Paragraph([Run("张堃", bold=True)]))
    rare = [r for r in ET.fromstring(f"<root {NAMESPACES}>{xml}</root>").iter(f"{W}r")
            if "堃" in "".join(t.text or "" for t in r.iter(f"{W}t"))]
    [r] = rare
    assert r.find(f"{W}rPr/{W}b") is not None
    fonts = r.find(f"{W}rPr/{W}rFonts")
    assert {fonts.get(f"{W}{slot}") for slot in ("ascii", "hAnsi", "eastAsia", "cs")} == {"仿宋"}


def test_text_without_rare_characters_is_written_as_before(writer):
    from bulletin.render.docx.oxml import RunStyle, run

    style = RunStyle(("仿宋_GB2312", "Times New Roman"), 16, bold=True)
    for text in ("我市“一网通办”改革——2024年", "正文\n第二行\t表", ""):
        assert writer.text(text, style, "仿宋_GB2312") == run(text, style, "仿宋_GB2312")


# --- picture sizes: natural, only ever shrunk ------------------------------------------------------

MM = 36000  # EMU


def _no_dpi(data: bytes) -> bytes:
    """The PNG of examples.png without its pHYs chunk (at offset 33, 21 bytes long)."""
    assert data[37:41] == b"pHYs"
    return data[:33] + data[54:]


def _jpeg(width: int, height: int, unit: int = 1, density: int = 300) -> bytes:
    """A JPEG header python-docx reads: JFIF density (unit 1 dpi, 2 per cm, 0 none) and a frame size."""
    import struct

    app0 = b"JFIF\x00\x01\x01" + struct.pack(">BHH", unit, density, density) + b"\x00\x00"
    sof = struct.pack(">BHHB", 8, height, width, 1) + b"\x01\x11\x00"

    def segment(marker: int, data: bytes) -> bytes:
        return b"\xff" + bytes([marker]) + struct.pack(">H", len(data) + 2) + data

    return b"\xff\xd8" + segment(0xE0, app0) + segment(0xC0, sof) + b"\xff\xd9"


@pytest.mark.parametrize("data, width_mm, expected_mm", [
    (_no_dpi(png(400, 300)), None, (105.8, 79.4)),       # no DPI named: 96 dpi, kept (never enlarged)
    (png(400, 300, 72), None, (141.1, 105.8)),          # its own 72 dpi
    (png(3000, 1000, 96), None, (156.0, 52.0)),         # too wide: shrunk to the type width
    (png(600, 1800, 96), None, (45.0, 135.0)),          # too tall: shrunk to the height limit
    (_jpeg(1200, 900), None, (101.6, 76.2)),            # JFIF 300 dpi
    (_jpeg(1200, 900, unit=2, density=100), None, (120.0, 90.0)),  # 100 per cm
    (_jpeg(400, 300, unit=0, density=1), None, (105.8, 79.4)),     # an aspect ratio only: 96 dpi
    (_no_dpi(png(400, 300)), 120, (120.0, 90.0)),        # the article's width: 120 mm, even enlarged
    (png(4000, 3000, 300), 120.5, (120.5, 90.4)),        # decimal mm
    (png(400, 300), 200, (156.0, 117.0)),                # wider than the type area: shrunk
], ids=["png-no-dpi", "png-72dpi", "too-wide", "too-tall", "jpeg-300dpi", "jpeg-per-cm", "jpeg-aspect-only",
        "width-120mm", "width-decimal", "width-beyond-type-area"])
def test_a_picture_keeps_its_natural_size_and_is_only_ever_shrunk(data, width_mm, expected_mm):
    from bulletin.content.pictures import read_picture
    from bulletin.render.docx.writer import _picture_size

    width, height = _picture_size(read_picture(data)[0], 156 * MM, 135 * MM, width_mm)
    assert (round(width / MM, 1), round(height / MM, 1)) == pytest.approx(expected_mm, abs=0.11)


def test_the_article_sets_a_pictures_width_in_its_title(writer, tmp_path):
    root = write_workspace(tmp_path / "ws", pictures={"p.png": png(2400, 1800, 96), "q.png": png(400, 300, 96)},
                           articles=[dict(title="图片", body='![现场](p.png "width: 120mm")\n\n![小图](q.png)')])
    body = body_of(writer, issue_of(root))
    extents = [int(e.get("cx")) for e in body.iter(
        "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent")]
    assert [round(cx / MM, 1) for cx in extents[:2]] == [120.0, 105.8]


@pytest.mark.parametrize("title", ["width: 12O mm", "width: 120", "width: 12cm", "width: 0mm", "width:"])
def test_a_bad_width_is_an_error_naming_file_and_line(tmp_path, title):
    from bulletin.errors import BulletinError

    root = write_workspace(tmp_path / "ws", pictures={"p.png": png(400, 300, 96)},
                           articles=[dict(title="图片", body=f'第一段。\n\n![现场](p.png "{title}")')])
    with pytest.raises(BulletinError) as ei:
        issue_of(root)
    [d] = ei.value.diagnostics
    assert d.path.endswith("01-article.md") and d.line == 7
    assert "width" in d.message and "mm" in d.message and "p.png" in d.message


def test_a_plain_title_is_no_width(writer, tmp_path):
    root = write_workspace(tmp_path / "ws", pictures={"q.png": png(400, 300, 96)},
                           articles=[dict(title="图片", body='![小图](q.png "会议现场")')])
    body = body_of(writer, issue_of(root))
    extent = next(body.iter("{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}extent"))
    assert round(int(extent.get("cx")) / MM, 1) == 105.8
