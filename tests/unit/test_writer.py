"""bulletin.docx.writer: spacing without empty paragraphs, balanced titles, masthead lines, pictures on
the grid, the tail's height (the layout itself is measured in tests/layout)."""
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from examples.generate import (FEATURES, HUGE_RECIPIENTS_YAML, MEDIUM, png,  # noqa: E402
                               write_workspace)

from bulletin.compose import compose_issue  # noqa: E402
from bulletin.docx.oxml import NAMESPACES, W_NS  # noqa: E402
from bulletin.docx.writer import DocxWriter, _State  # noqa: E402
from bulletin.layout import load_preset  # noqa: E402
from bulletin.workspace import Workspace  # noqa: E402

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
