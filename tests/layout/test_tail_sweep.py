"""The tail lands on the bottom of the last page for every body length, with short and long lists."""
from __future__ import annotations

import sys

import pdfplumber
import pytest
from conftest import REPO, _render
from measure import body_lines, horizontal_rules, is_red, mm

sys.path.insert(0, str(REPO / "tests"))
from examples.generate import write_workspace  # noqa: E402

# Body lengths chosen so the last page ends empty, half full, and full (the tail must then move on).
LENGTHS = [1, 4, 7, 10, 13, 16, 19, 22]
LONG_LIST = "lists: [default]\n  extra: [各民主党派市委, 市工商联, 驻市各单位, 各人民团体, 市属各国有企业, 各高等院校]"


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    from bulletin.office.pdf import convert_many

    root = tmp_path_factory.mktemp("sweep")
    docs = []
    for n in LENGTHS:
        for label, dist in (("short", "lists: [short]"), ("long", LONG_LIST)):
            ws = write_workspace(root / f"{label}{n}", seed=n, distribution=dist, articles=[
                dict(title="关于政务公开工作的情况通报", paragraphs=n, para_chars=(100, 140))])
            docs.append(((label, n), _render(ws, root / "out" / f"{label}{n}.docx")))
    pdfs = convert_many([d for _, d in docs], root / "pdf")
    opened = {key: pdfplumber.open(pdf) for (key, _), pdf in zip(docs, pdfs)}
    yield opened
    for pdf in opened.values():
        pdf.close()


@pytest.mark.parametrize("label", ["short", "long"])
@pytest.mark.parametrize("n", LENGTHS)
def test_tail_at_the_bottom_and_clear_of_the_body(sweep, label, n):
    pdf = sweep[(label, n)]
    last = pdf.pages[-1]
    rules = [r for r in horizontal_rules(last) if not is_red(r["color"]) and abs(r["width_mm"] - 156) <= 1]
    assert len(rules) >= 3, f"no tail on the last page of {len(pdf.pages)}"
    assert abs(mm(rules[-1]["top"]) - 262) <= 1.5
    assert not [l for l in body_lines(last, len(pdf.pages)) if l.top + 12 > rules[0]["top"]]
    text = "".join(c["text"] for c in last.chars)
    assert "（共印" in text and "报：" in text
    if label == "long":
        assert "本期增发：" in text
