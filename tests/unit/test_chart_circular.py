"""The chart of points per unit and the 通报: the same scores give the same bytes; every Chinese word has
its glyph (the preset's 黑体 found through fontconfig); the circular is on the bulletin's page with the
table of the scores and the chart as its picture."""
from __future__ import annotations

import datetime as dt
import io
import struct
import warnings
import zipfile

import pytest

from bulletin.commands import stats
from bulletin.commands import submissions as subs
from bulletin.render.chart import points_chart_png
from bulletin.store.workspace import Workspace
from tests.unit.test_scores import send
from tests.unit.test_submissions_portal import EDITOR, make_workspace

ROWS = [("市税务局", 25), ("市民政局", 10.5), ("城东区政务公开办", 0)]


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    out, at = [], 8
    while at < len(png):
        (length,), kind = struct.unpack(">I", png[at:at + 4]), png[at + 4:at + 8]
        out.append((kind, png[at + 8:at + 8 + length]))
        at += 12 + length
    return out


@pytest.fixture
def ws(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    tax, civil = send(ws, "市税务局"), send(ws, "市民政局")
    subs.adopt(ws, tax.ref, EDITOR, "10")
    subs.combine(ws, civil.ref, EDITOR, "10")
    return Workspace(ws.root)


def test_the_chart_is_the_same_bytes_twice_without_dates_and_with_every_glyph(ws):
    path, family = stats.chart_font(ws)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns "Glyph … missing from font(s)" for a box
        first = points_chart_png(ROWS, path, family=family)
        second = points_chart_png(ROWS, path, family=family)
    assert first == second and first.startswith(b"\x89PNG")
    kinds = [kind for kind, _data in chunks(first)]
    assert b"tIME" not in kinds and not any(b"Software" in data or b"matplotlib" in data
                                            for kind, data in chunks(first) if kind in (b"tEXt", b"iTXt", b"zTXt"))
    assert points_chart_png(ROWS[:2], path, family=family) != first


def test_a_chart_in_a_font_without_chinese_would_show_boxes(ws):
    """The check above can fail: DejaVu Sans has no Han characters and matplotlib says so."""
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        points_chart_png(ROWS, None)
    assert any("missing from font" in str(w.message) for w in said)


def test_the_chart_font_is_the_presets_heidi_with_chinese(ws):
    import subprocess

    path, family = stats.chart_font(ws)
    langs = subprocess.run(["fc-query", "-f", "%{lang}\n", path], capture_output=True, text=True).stdout
    assert "zh-cn" in langs and family


def test_the_circular_has_the_text_the_table_and_the_chart(ws):
    from docx import Document

    data = stats.circular_bytes(ws, stats.scores(ws, "2026Q4"), dt.date(2027, 1, 5))
    assert data == stats.circular_bytes(ws, stats.scores(ws, "2026Q4"), dt.date(2027, 1, 5))
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "关于2026年第四季度各单位信息报送采用情况的通报" in text.replace("\n", "")
    assert "现将2026年第四季度各单位信息报送采用情况通报如下。" in text
    assert "本季度共收到各单位报送信息2条，采用2条（全文采用1条、综合采用1条）" in text
    assert "全文采用每条计10分" in text and "测试办公室" in text and "2027年1月5日" in text
    (table,) = document.tables
    assert [c.text for c in table.rows[0].cells] == ["排名", "单位", "报送", "全文采用", "综合采用", "退回", "领导批示",
                                                     "上级采用", "得分"]
    assert [c.text for c in table.rows[1].cells][:3] == ["1", "市税务局", "1"]
    assert table.rows[1].cells[-1].text == "10" and table.rows[-1].cells[1].text == "合计"
    assert len(table.rows) == 2 + 3  # header, 3 units (城东区 sent nothing), totals
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.read("word/media/image1.png") == stats.chart_png(ws, stats.scores(ws, "2026Q4"))
        body = z.read("word/document.xml").decode()
        from bulletin.render.docx.writer import DocxWriter

        writer = DocxWriter(ws.preset())
        expected = writer.section(writer.new_package())
        assert body.endswith(expected + "</w:body></w:document>")  # the bulletin's own page and footers
