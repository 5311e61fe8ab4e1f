"""What a reader sees of item 9.2 and 9.11: rare name characters in a serif face like the text around
them, and pictures at their natural or article-set size (measured in a PDF made by LibreOffice)."""
from __future__ import annotations

import subprocess
import sys

import pdfplumber
import pytest
from conftest import REPO  # noqa: F401  (puts tests/ on sys.path)
from examples.generate import _paragraphs, png, write_workspace
from measure import mm

RARE = "堃喆昇"
BODY = "\n\n".join([
    "市长张堃、副市长王喆和李昇同志出席会议。" + _paragraphs(21, 1),
    "## 张堃同志讲话", _paragraphs(22, 1),
    '![会议现场](big.png "width: 120mm")',   # 2400 px at 96 dpi would be 635 mm: the article says 120
    _paragraphs(23, 1),
    "![小图](small.png)",                     # 400 × 300 px at 96 dpi: 105.8 mm, never enlarged
    _paragraphs(24, 2),
])


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    from bulletin.office.pdf import convert

    root = tmp_path_factory.mktemp("rare")
    ws = write_workspace(root / "ws", articles=[dict(title="张堃同志调研政务公开工作", body=BODY)],
                         pictures={"big.png": png(2400, 1800, 96), "small.png": png(400, 300, 96)})
    out = root / "rare.docx"
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), "render", "10", "-o",
                           str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with pdfplumber.open(convert(out, root)) as handle:
        yield handle


def test_pictures_keep_their_size(pdf):
    widths = [round(mm(i["x1"] - i["x0"]), 1) for page in pdf.pages for i in page.images]
    assert widths == pytest.approx([120.0, 105.8], abs=0.5)


def test_rare_characters_print_in_a_serif_face(pdf):
    rare = [c for page in pdf.pages for c in page.chars if c["text"] in RARE]
    assert len(rare) == 5  # title 堃; body 堃 喆 昇; heading 堃
    for c in rare:
        assert "Sans" not in c["fontname"], f"{c['text']} printed in {c['fontname']}"
