"""The 通报 as LibreOffice prints it: the table of the scores and the chart stay inside the type area
(156 × 225 mm at the GB/T 9704 margins, mirrored on even pages), on every page the table spans, and
every word is set in a font with Chinese (no missing glyphs in the PDF)."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pdfplumber
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bulletin.commands import stats  # noqa: E402
from bulletin.commands import submissions as subs  # noqa: E402
from bulletin.rules.permissions import LOCAL  # noqa: E402
from bulletin.store.workspace import Workspace  # noqa: E402
from tests.unit.test_submissions_portal import AT, make_workspace  # noqa: E402

PT_PER_MM = 72 / 25.4
TOLERANCE = 0.8  # pt: a table rule's half width


@pytest.fixture(scope="module")
def circular_pdf(tmp_path_factory, soffice):
    from bulletin.office.pdf import convert

    root = tmp_path_factory.mktemp("circular")
    names = ["市税务局", "市民政局", "市数据局", "市司法局", "市财政局", "市人力资源和社会保障局", "市自然资源和规划局",
             "市生态环境局", "市住房和城乡建设局", "市交通运输局", "市水利局", "市农业农村局", "市商务局", "市文化广电旅游局",
             "市卫生健康委员会", "市应急管理局", "市市场监督管理局", "市医疗保障局", "城东区政务公开办", "城西区政务公开办",
             "高新技术产业开发区管委会办公室", "经济技术开发区政务服务中心"]
    config = ('[series]\nname = "测试简报"\neditor = "××市政务公开领导小组办公室"\n'
              'first = { year = 2026, number = 10, total = 30 }\n\n[submissions]\nunits = ['
              + ", ".join(f'"{n}"' for n in names) + "]\n")
    ws = make_workspace(root / "ws", config)
    for i, unit in enumerate(names):
        for n in range(i % 4 + 1):
            item = subs.send(ws, LOCAL, unit=unit, title=f"{unit}工作动态{n}", text=f"{unit}推进政务公开工作。", now=AT)
            if n % 2 == 0:
                subs.adopt(ws, item.ref, LOCAL, "10") if n == 0 else subs.combine(ws, item.ref, LOCAL, "10")
    ws = Workspace(ws.root)
    out = stats.circular(ws, "2026Q4", root / "通报.docx", dt.date(2027, 1, 5))
    return ws, convert(out, root / "pdf")


def test_the_table_and_the_chart_stay_in_the_type_area(circular_pdf):
    ws, pdf = circular_pdf
    page_setup = ws.preset().page
    width = page_setup.type_width_mm * PT_PER_MM
    top = page_setup.margin_top_mm * PT_PER_MM
    bottom = top + page_setup.type_height_mm * PT_PER_MM
    table_pages, pictures = 0, 0
    with pdfplumber.open(pdf) as doc:
        assert len(doc.pages) >= 2
        for number, page in enumerate(doc.pages, start=1):
            inside = page_setup.margin_inside_mm if number % 2 or not page_setup.mirror_margins \
                else page_setup.margin_outside_mm
            left = inside * PT_PER_MM
            shapes = list(page.rects) + list(page.lines)
            if shapes:
                table_pages += 1
            for shape in shapes:
                assert shape["x0"] >= left - TOLERANCE and shape["x1"] <= left + width + TOLERANCE, (number, shape)
                assert shape["top"] >= top - TOLERANCE and shape["bottom"] <= bottom + TOLERANCE, (number, shape)
            for image in page.images:
                pictures += 1
                assert image["x0"] >= left - TOLERANCE and image["x1"] <= left + width + TOLERANCE, (number, image)
                assert image["top"] >= top - TOLERANCE and image["bottom"] <= bottom + TOLERANCE, (number, image)
            for char in page.chars:
                if char["top"] > bottom:  # the page number under the type area
                    continue
                assert left - TOLERANCE <= char["x0"] and char["x1"] <= left + width + TOLERANCE, (number, char["text"])
            words = page.extract_text() or ""
            if number == 1:
                assert "关于2026年第四季度各单位信息报送采用情况的通报" in "".join(words.split())
        assert table_pages >= 2 and pictures == 1  # the long table goes on over a page; one chart
        fonts = {char["fontname"] for page in doc.pages for char in page.chars}
    assert fonts and not any("DejaVu" in f for f in fonts), fonts  # no word fell to a face without Chinese
