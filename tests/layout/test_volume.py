"""The yearly bound volume and the adoption statistics, on a generated year of issues."""
from __future__ import annotations

import csv
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "tests"))
from examples.generate import write_workspace  # noqa: E402

ISSUES = 5
SOURCES = {1: "市数据局", 2: "", 3: "市税务局", 4: "市数据局", 5: "市税务局"}


def bulletin(ws, *args):
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), *args],
                          capture_output=True, text=True)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> Path:
    """Five regular issues of 2026 and one supplement, with articles from several units."""
    root = tmp_path_factory.mktemp("year")
    ws = None
    for n in range(1, ISSUES + 1):
        part = write_workspace(root / f"part{n}", number=n, total=20 + n, seed=n, articles=[
            dict(title=f"第{n}期头条文章", paragraphs=2 + n, source=SOURCES[n], section="工作动态"),
            dict(title=f"第{n}期经验交流", paragraphs=2, source="××区政务服务中心", section="经验交流")])
        if ws is None:
            ws = root / "ws"
            shutil.copytree(part, ws)
        else:
            shutil.copytree(part / f"issues/2026/{n:02d}", ws / f"issues/2026/{n:02d}")
        issue = ws / f"issues/2026/{n:02d}/issue.yaml"
        issue.write_text(issue.read_text(encoding="utf-8").replace("2026-11-20", f"2026-0{n}-15"), encoding="utf-8")
    (ws / "bulletin.toml").write_text((ws / "bulletin.toml").read_text(encoding="utf-8").replace(
        "number = 1,", "number = 1,"), encoding="utf-8")
    supplement = ws / "issues/2026/S1"
    shutil.copytree(ws / "issues/2026/03", supplement)
    (supplement / "issue.yaml").write_text((supplement / "issue.yaml").read_text(encoding="utf-8")
                                           .replace("number: 3\ntotal: 23\n", "number: 1\n")
                                           .replace("kind: regular", "kind: supplement"), encoding="utf-8")
    bulletin(ws, "check")
    for ref in [*(str(n) for n in range(1, ISSUES + 1)), "2026-S1"]:  # the volume binds published issues
        bulletin(ws, "publish", ref)
    return ws


@pytest.fixture(scope="module")
def volume_pdf(year, tmp_path_factory):
    out = tmp_path_factory.mktemp("vol") / "vol.docx"
    printed = bulletin(year, "compile", "2026", "-o", str(out), "--pdf").split()
    assert printed[0] == str(out) and printed[1].endswith(".pdf")
    with pdfplumber.open(printed[1]) as pdf:
        yield [(p.extract_text() or "") for p in pdf.pages]


def _starts(pages):
    """Page numbers (1-based) where an issue's masthead begins."""
    return [i for i, text in enumerate(pages, 1) if text.startswith("内部资料")]


def test_each_issue_starts_on_an_odd_page(volume_pdf):
    starts = _starts(volume_pdf)
    assert len(starts) == ISSUES + 1
    assert all(page % 2 == 1 for page in starts), starts


def test_page_numbers_run_through_the_volume(volume_pdf):
    for index, text in enumerate(volume_pdf, 1):
        numbers = re.findall(r"— (\d+) —", text)
        if index == 1:
            assert not numbers, "the cover carries no page number"
        elif text.strip():
            assert numbers and int(numbers[-1]) == index, (index, text[-40:])


def test_contents_lists_every_issue_with_its_start_page(volume_pdf):
    contents = next(t for t in volume_pdf if t.startswith("目 录") or t.startswith("目　录"))
    starts = _starts(volume_pdf)
    listed = re.findall(r"第 ?(\d+) ?期（总第 ?\d+ ?期）.*?日 ?(\d+)", contents)
    assert [int(n) for n, _ in listed] == list(range(1, ISSUES + 1))
    regular_starts = [p for p in starts if "增刊" not in volume_pdf[p - 1][:80]]
    assert [int(page) for _, page in listed] == regular_starts
    for n in range(1, ISSUES + 1):
        assert f"第{n}期头条文章" in contents.replace(" ", "")
    assert "增刊第" in contents.replace(" ", "")


def test_every_issue_has_its_own_tail(volume_pdf):
    text = "\n".join(volume_pdf)
    assert text.count("（共印") == ISSUES + 1


def test_stats_count_articles_per_unit(year, tmp_path):
    plain = bulletin(year, "stats", "--year", "2026")
    assert "市数据局" in plain
    out = tmp_path / "stats.csv"
    bulletin(year, "stats", "--year", "2026", "--csv", str(out))
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    header = rows[0]
    assert header[:2] == ["供稿单位", "采用篇数"] and "工作动态" in header and "经验交流" in header
    by_unit = {r[0]: r for r in rows[1:] if r and r[0] and not r[0].startswith("合计") and "年合计" not in r[0]}
    # 市数据局: issues 1 and 4 (lead); 市税务局: 3, 5 and the supplement (a copy of 3); 区中心 every issue.
    assert int(by_unit["市数据局"][1]) == 2
    assert int(by_unit["市税务局"][1]) == 3
    assert int(by_unit["××区政务服务中心"][1]) == ISSUES + 1
    assert by_unit["××区政务服务中心"][header.index("经验交流")] == str(ISSUES + 1)
    assert by_unit["市数据局"][-1] == "第1期、第4期"  # issues by their labels
    assert by_unit["市税务局"][-1] == "第3期、第5期、增刊第1期"
    assert "测试办公室" not in by_unit and "（编辑部）" not in by_unit
    assert int(by_unit["××市政务公开领导小组办公室"][1]) == 1  # issue 2 has no source: the editing office
    total = next(r for r in rows if r and r[0] == "合计")
    assert int(total[1]) == 2 * (ISSUES + 1)
