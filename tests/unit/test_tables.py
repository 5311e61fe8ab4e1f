"""Tables, end to end but for the PDF (measured in tests/layout/test_table_pages.py): GFM pipe tables read
into Table blocks, the writer's table XML, the preset's table keys, lint leaving the table syntax
alone, and a Word submission's table becoming a pipe table."""
from __future__ import annotations

import io
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from examples.generate import TABLES, write_workspace  # noqa: E402
from examples.submissions import minimal_docx  # noqa: E402

from bulletin.content.blocks import Paragraph, Run, Table  # noqa: E402
from bulletin.render.docx.oxml import W_NS  # noqa: E402
from bulletin.render.docx.writer import DocxWriter  # noqa: E402
from bulletin.errors import BulletinError  # noqa: E402
from bulletin.model.preset import Preset
from bulletin.store.presets import load_preset  # noqa: E402
from bulletin.content.proofread import fix_text, lint_text  # noqa: E402
from bulletin.content.markdown import parse_markdown  # noqa: E402
from bulletin.intake.submission import article_files, read_submission  # noqa: E402

W = f"{{{W_NS}}}"
PITCH = 579            # twips: the body's 28.95 pt
TYPE_WIDTH = 8844      # twips: 156 mm
RULE = 10              # twips: 0.5 pt

TABLE_MD = """前文。

| 项目 | 数量 | 说明 |
|:--|--:|:-:|
| **低保审批** | 1200件 | 含 \\| 号 |
| 临时救助 |

后文。"""


# --- Markdown ---------------------------------------------------------------------------------------

def test_a_pipe_table_becomes_a_table_block_between_its_paragraphs():
    blocks = parse_markdown(TABLE_MD, first_line=5)
    assert [type(b).__name__ for b in blocks] == ["Paragraph", "Table", "Paragraph"]
    table = blocks[1]
    assert table.line == 7 and blocks[2].line == 12       # the file's own lines, after the table too
    assert table.header_rows == 1 and table.align == ["left", "right", "center"]
    assert [[table.cell_text(r, c) for c in range(3)] for r in range(3)] == [
        ["项目", "数量", "说明"], ["低保审批", "1200件", "含 | 号"], ["临时救助", "", ""]]
    assert table.rows[1][0] == [Run("低保审批", bold=True)]


def test_pipes_without_a_delimiter_row_stay_a_paragraph():
    (block,) = parse_markdown("甲 | 乙\n丙 | 丁")
    assert isinstance(block, Paragraph) and block.text == "甲 | 乙丙 | 丁"


def test_a_table_of_empty_cells_is_left_out():
    assert parse_markdown("| | |\n|---|---|\n| | |") == []


# --- the writer -------------------------------------------------------------------------------------

def _render(root: Path) -> tuple[bytes, ET.Element]:
    """The .docx of the workspace's issue 10, and its document part."""
    from bulletin.content.compose import compose_issue
    from bulletin.store.workspace import Workspace

    ws = Workspace.find(root)
    data = DocxWriter(_preset_of(ws)).render(compose_issue(ws, ws.resolve("10")))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return data, ET.fromstring(z.read("word/document.xml"))


def _document(root: Path, preset: str = "") -> tuple[bytes, ET.Element]:
    return _render(write_workspace(root, preset=preset, **TABLES))


def _preset_of(ws):
    return load_preset(ws.series().print_settings.preset, ws.templates_dir)


def _body_tables(doc: ET.Element) -> list[ET.Element]:
    """The article tables: body-level w:tbl (the tail's table sits in a text box)."""
    return doc.find(f"{W}body").findall(f"{W}tbl")


def _text(el: ET.Element) -> str:
    return "".join(t.text or "" for t in el.iter(f"{W}t"))


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    return _document(tmp_path_factory.mktemp("tables"))


def test_each_table_is_a_real_table_with_single_half_point_borders(rendered):
    _, doc = rendered
    tables = _body_tables(doc)
    assert len(tables) == 2
    for tbl in tables:
        borders = tbl.find(f"{W}tblPr/{W}tblBorders")
        sides = {el.tag[len(W):]: (el.get(f"{W}val"), el.get(f"{W}sz")) for el in borders}
        assert sides == {side: ("single", "4") for side in ("top", "left", "bottom", "right", "insideH", "insideV")}
        assert tbl.find(f"{W}tblPr/{W}jc").get(f"{W}val") == "center"


def test_the_header_row_repeats_and_is_bold(rendered):
    _, doc = rendered
    for tbl in _body_tables(doc):
        rows = tbl.findall(f"{W}tr")
        assert [r.find(f"{W}trPr/{W}tblHeader") is not None for r in rows] == [True] + [False] * (len(rows) - 1)
        assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
        header_runs = [r for r in rows[0].iter(f"{W}r") if _text(r)]
        assert header_runs and all(r.find(f"{W}rPr/{W}b") is not None for r in header_runs)
        body_runs = [r for row in rows[1:] for r in row.iter(f"{W}r") if _text(r)]
        assert any(r.find(f"{W}rPr/{W}b") is None for r in body_runs)


def test_columns_follow_the_content_and_never_pass_the_type_width(rendered):
    _, doc = rendered
    long, small = _body_tables(doc)
    for tbl in (long, small):
        grid = [int(c.get(f"{W}w")) for c in tbl.iter(f"{W}gridCol")]
        assert sum(grid) <= TYPE_WIDTH
        assert int(tbl.find(f"{W}tblPr/{W}tblW").get(f"{W}w")) == sum(grid)
        for row in tbl.findall(f"{W}tr"):
            assert [int(tc.find(f"{W}tcPr/{W}tcW").get(f"{W}w")) for tc in row.findall(f"{W}tc")] == grid
    long_grid = [int(c.get(f"{W}w")) for c in long.iter(f"{W}gridCol")]
    assert sum(long_grid) == TYPE_WIDTH                  # too much text for one line: the full width
    # the numbers keep their (wrapped) headers' width; the names and the long remarks share the rest
    assert 2 * 280 <= long_grid[0] < long_grid[2] == long_grid[3] < long_grid[1] <= long_grid[4]
    small_grid = [int(c.get(f"{W}w")) for c in small.iter(f"{W}gridCol")]
    assert sum(small_grid) < TYPE_WIDTH / 2              # 事项 | 办件量: as narrow as its text, centred


def test_cells_are_set_in_the_table_font_on_an_exact_pitch(rendered):
    _, doc = rendered
    runs = [r for tbl in _body_tables(doc) for r in tbl.iter(f"{W}r") if _text(r)]
    for r in runs:
        fonts = r.find(f"{W}rPr/{W}rFonts")
        if "堃" in _text(r):
            assert fonts.get(f"{W}eastAsia") == "仿宋"   # beyond GB 2312: the font's fallback
            continue
        assert fonts.get(f"{W}eastAsia") in ("仿宋_GB2312", "仿宋"), _text(r)
        assert r.find(f"{W}rPr/{W}sz").get(f"{W}val") == "28"    # 四号 14 pt
    assert any("堃" in _text(r) for r in runs)
    for tbl in _body_tables(doc):
        for spacing in tbl.iter(f"{W}spacing"):
            if spacing.get(f"{W}line"):
                assert (spacing.get(f"{W}line"), spacing.get(f"{W}lineRule")) == ("440", "exact")
        for ind in tbl.iter(f"{W}ind"):
            assert ind.get(f"{W}firstLine") == "0"     # no body indent inside cells


def test_rows_are_whole_body_lines_high_so_the_text_after_returns_to_the_grid(rendered):
    _, doc = rendered
    for index, tbl in enumerate(_body_tables(doc)):
        heights = [int(r.find(f"{W}trPr/{W}trHeight").get(f"{W}val")) for r in tbl.findall(f"{W}tr")]
        assert all(h % PITCH == 0 for h in heights[:-1]), heights
        assert (heights[-1] + RULE) % PITCH == 0, heights   # the bottom rule completes the last line
        if index == 0:
            assert max(heights) >= 3 * PITCH and min(heights[:-1]) == PITCH  # remarks wrap; short rows: a line
        else:
            assert heights == [PITCH, PITCH, PITCH - RULE]


def test_the_output_is_byte_identical_for_the_same_input(tmp_path, rendered):
    again, _ = _document(tmp_path / "again")
    assert again == rendered[0]


def test_the_preset_sets_the_table_font_size_pitch_and_rules(tmp_path):
    preset = ('[fonts]\ntable = "黑体"\n[sizes]\ntable = 12\ntable_line_pitch = 18\n'
              '[body]\ntable_border_pt = 1\n')
    _, doc = _document(tmp_path / "ws", preset=preset)
    tbl = _body_tables(doc)[0]
    run = next(r for r in tbl.iter(f"{W}r") if _text(r) and "堃" not in _text(r))
    assert run.find(f"{W}rPr/{W}rFonts").get(f"{W}eastAsia") == "黑体"
    assert run.find(f"{W}rPr/{W}sz").get(f"{W}val") == "24"
    assert {el.get(f"{W}sz") for el in tbl.find(f"{W}tblPr/{W}tblBorders")} == {"8"}
    assert any(s.get(f"{W}line") == "360" for s in tbl.iter(f"{W}spacing"))


@pytest.mark.parametrize("sizes, words", [
    ({"table": 14, "table_line_pitch": 12}, "table_line_pitch"),
    ({"table": 0}, "greater than 0"),
])
def test_the_preset_refuses_table_sizes_that_cannot_print(sizes, words):
    with pytest.raises(Exception) as err:
        Preset.model_validate({"sizes": sizes})
    assert words in str(err.value)


def test_the_preset_refuses_a_table_rule_of_no_width(tmp_path):
    root = write_workspace(tmp_path / "ws", preset="[body]\ntable_border_pt = 0\n", **TABLES)
    from bulletin.store.workspace import Workspace

    with pytest.raises(BulletinError) as err:
        _preset_of(Workspace.find(root))
    assert "table_border_pt" in str(err.value.diagnostics[0])


def test_widths_share_the_type_width_when_the_text_does_not_fit():
    writer = DocxWriter(load_preset("gbt9704"))
    rows = [[[Run("序号")], [Run("内容")]], [[Run("1")], [Run("很长的说明文字" * 10)]]]
    widths = writer.table_widths(Table(rows))
    assert sum(widths) == TYPE_WIDTH and widths[0] < 4 * 280 < widths[1]
    few = writer.table_widths(Table([[[Run("甲")], [Run("乙")]], [[Run("1")], [Run("2")]]]))
    assert sum(few) < TYPE_WIDTH / 4
    many = writer.table_widths(Table([[[Run(f"第{n}列的标题")] for n in range(30)]] * 2))
    assert sum(many) == TYPE_WIDTH                      # thirty columns: still never wider


def test_two_tables_in_a_row_stay_two_tables(tmp_path):
    body = "| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n\n| 丙 | 丁 |\n|---|---|\n| 3 | 4 |"
    _, doc = _render(write_workspace(tmp_path / "ws", articles=[dict(title="两表", body=body)]))
    body_el = doc.find(f"{W}body")
    kinds = [el.tag[len(W):] for el in body_el]
    first = kinds.index("tbl")
    assert kinds[first:first + 3] == ["tbl", "p", "tbl"]


def test_a_table_in_the_editors_note_reads_as_lines(tmp_path):
    from bulletin.content.compose import compose_issue
    from bulletin.store.workspace import Workspace

    root = write_workspace(tmp_path / "ws", editor_note="本期要点：\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |",
                           articles=[dict(title="一文", paragraphs=1)])
    ws = Workspace.find(root)
    writer = DocxWriter(_preset_of(ws))
    issue = compose_issue(ws, ws.resolve("10"))
    from bulletin.render.docx.writer import _State

    note = writer.editor_note(issue, _State(writer.new_package()))
    texts = ["".join(t.text or "" for t in ET.fromstring(f'<r xmlns:w="{W_NS}">{p}</r>').iter(f"{W}t"))
             for p in note]
    assert texts == ["编者按：本期要点：", "甲\u3000乙", "1\u30002"]


# --- lint -------------------------------------------------------------------------------------------

ARTICLE = "---\ntitle: 统计\n---\n\n" + """| 项目 | 数量 | 备注 |
|:--|--:|:-:|
| 一、 | （二） | “完成” |
|进行中|**5**| |

| 单列 |
|:---:|
| 内容 |

项目 | 数量
--- | ---
完成 | 3
"""


def test_lint_leaves_the_table_syntax_alone():
    assert lint_text(ARTICLE) == []
    assert fix_text(ARTICLE) == ARTICLE


def test_lint_still_proofreads_the_text_in_cells():
    text = "---\ntitle: 统计\n---\n\n| 项目 | 说明 |\n|---|---|\n| 完成,好 | “一网通办 |\n| 改革” | 2026年03月 |\n"
    found = [(f.line, f.col, f.rule) for f in lint_text(text)]
    assert (7, 5, "halfwidth-punct") in found
    assert (8, 9, "padded-date") in found
    # quotes and brackets pair inside one cell: a mark opened in one cell is not closed in another
    assert [f for f in found if f[2] == "unpaired-mark"] == [(7, 10, "unpaired-mark"), (8, 5, "unpaired-mark")]


# --- Word submissions -------------------------------------------------------------------------------

def _p(text: str, bold: bool = False) -> str:
    rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:p><w:r>{rpr}<w:t xml:space="preserve">{text}</w:t></w:r></w:p>'


def _tc(content: str, props: str = "") -> str:
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{content}</w:tc>"


def _tbl(*rows: str) -> str:
    return "<w:tbl>" + "".join(f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"


def _submission(tmp_path: Path, *tables: str, name: str = "民政局.docx") -> tuple[str, list]:
    title = '<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:t>市民政局工作情况</w:t></w:r></w:p>'
    body = (title + _p("今年以来，各项工作有序推进。") + "".join(tables)
            + _p("（市民政局供稿）"))
    sub = read_submission(minimal_docx(tmp_path / name, body))
    files = article_files(sub, sub.file_name, "", lambda _: True)
    return files[sub.file_name], sub.notes


def test_a_word_table_becomes_a_pipe_table_that_reads_back_the_same(tmp_path):
    table = _tbl(_tc(_p("事项")) + _tc(_p("办件量")) + _tc(_p("说明")),
                 _tc(_p("低保审批", bold=True)) + _tc(_p("1200件")) + _tc(_p("A|B") + _p("第二段")),
                 _tc(_p("临时救助")) + _tc(_p("356件")) + _tc(_p("*不是强调*")))
    text, notes = _submission(tmp_path, table)
    assert ("| 事项 | 办件量 | 说明 |\n|---|---|---|\n| **低保审批** | 1200件 | A\\|B\u3000第二段 |\n"
            "| 临时救助 | 356件 | \\*不是强调\\* |\n") in text
    assert notes == []
    body = text.split("---\n", 2)[2]
    (table_block,) = [b for b in parse_markdown(body) if isinstance(b, Table)]
    assert table_block.cell_text(1, 2) == "A|B\u3000第二段" and table_block.cell_text(2, 2) == "*不是强调*"
    assert table_block.rows[1][0] == [Run("低保审批", bold=True)]


def test_merged_cells_keep_their_text_in_the_first_cell_with_a_note(tmp_path):
    span, restart, cont = ('<w:gridSpan w:val="2"/>', '<w:vMerge w:val="restart"/>', "<w:vMerge/>")
    table = _tbl(_tc(_p("类别"), restart) + _tc(_p("2026年"), span),
                 _tc(_p(""), cont) + _tc(_p("上半年")) + _tc(_p("下半年")),
                 _tc(_p("主动公开")) + _tc(_p("120")) + _tc(_p("130")))
    text, notes = _submission(tmp_path, table)
    assert "| 类别 | 2026年 |  |\n|---|---|---|\n|  | 上半年 | 下半年 |\n| 主动公开 | 120 | 130 |\n" in text
    assert [n.severity for n in notes] == ["warning"] and "merged cells" in notes[0].message


@pytest.mark.parametrize("table", [
    _tbl(_tc(_p("这是一段放在方框里的说明文字。"))),                            # one cell: a frame
    _tbl(_tc(_p("第一段说明。"))) + "",                                          # one column …
    _tbl(_tc(_p("第一行。")), _tc(_p("第二行。"))),                              # … of two rows
    _tbl(_tc(_p("拟稿：张三")) + _tc(_p("审核：李四")) + _tc(_p("签发：王五"))),   # one row of signatures
    _tbl(_tc(_p("甲")) + _tc(_p("")), _tc(_p("乙")) + _tc(_p(""))),              # a second column left empty
])
def test_a_table_of_one_row_or_one_column_stays_paragraphs(tmp_path, table):
    text, notes = _submission(tmp_path, table)
    assert "|" not in text.split("---\n", 2)[2]
    assert any("table" in n.message for n in notes)


def test_a_word_table_renders_as_a_table(tmp_path):
    """`add` then `render`: the submission's table reaches the .docx as a w:tbl."""
    import subprocess

    root = write_workspace(tmp_path / "ws", articles=[dict(title="一文", paragraphs=1)])
    table = _tbl(_tc(_p("事项")) + _tc(_p("办件量")), _tc(_p("低保审批")) + _tc(_p("1200件")))
    src = minimal_docx(tmp_path / "民政局.docx", _p("市民政局工作情况") + _p("正文。") + table)
    run = [sys.executable, "-m", "bulletin.cli", "--workspace", str(root)]
    assert subprocess.run(run + ["add", "10", str(src)], capture_output=True).returncode == 0
    done = subprocess.run(run + ["render", "10", "-o", str(tmp_path / "out.docx")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(tmp_path / "out.docx") as z:
        doc = ET.fromstring(z.read("word/document.xml"))
    (tbl,) = _body_tables(doc)
    assert _text(tbl) == "事项办件量低保审批1200件"


def test_a_docx_with_tables_has_no_schema_findings(tmp_path, rendered):
    import subprocess

    path = tmp_path / "tables.docx"
    path.write_bytes(rendered[0])
    done = subprocess.run([sys.executable, "-m", "openxml_audit", "--format", "office2016", str(path)],
                          capture_output=True, text=True)
    assert "Errors: 0" in done.stdout, done.stdout[-2000:]
