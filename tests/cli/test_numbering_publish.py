"""Numbering you can trust, supplements, the check rules, publishing and the distribution register."""
from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from examples.generate import write_workspace  # noqa: E402


def bulletin(ws: Path, *args: str, check: int | None = 0) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), *args],
                          capture_output=True, text=True)
    assert "Traceback" not in done.stderr, done.stderr
    if check is not None:
        assert done.returncode == check, (done.stdout, done.stderr)
    return done


@pytest.fixture
def empty_ws(tmp_path) -> Path:
    """A workspace with no issues; first issue of 2026 is 第1期（总第21期）."""
    ws = write_workspace(tmp_path / "ws", total=21, number=1)
    import shutil
    shutil.rmtree(ws / "issues")
    return ws


def test_eight_parallel_new_get_distinct_consecutive_numbers(empty_ws):
    cmd = [sys.executable, "-m", "bulletin.cli", "--workspace", str(empty_ws), "new", "--date", "2026-05-01"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    lines = sorted(out.strip() for out, _ in outputs)
    expected = sorted(f"第{n}期（总第{20 + n}期） issues/2026/{n:02d}" for n in range(1, 9))
    assert lines == expected
    assert bulletin(empty_ws, "check").returncode == 0


# A child in which `import fcntl` fails, as on Windows: the lock must not need it.
_NO_FCNTL = ("import sys, runpy; sys.modules['fcntl'] = None; sys.argv = ['bulletin', *sys.argv[1:]]; "
             "runpy.run_module('bulletin.cli', run_name='__main__')")


def test_eight_parallel_new_without_fcntl_get_distinct_numbers_and_leave_no_lock_file(empty_ws):
    before = sorted(p.name for p in empty_ws.iterdir())
    cmd = [sys.executable, "-c", _NO_FCNTL, "--workspace", str(empty_ws), "new", "--date", "2026-05-01"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(8)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), outputs
    assert all(err == "" for _, err in outputs), outputs  # no warning about the lock backend
    lines = sorted(out.strip() for out, _ in outputs)
    assert lines == sorted(f"第{n}期（总第{20 + n}期） issues/2026/{n:02d}" for n in range(1, 9))
    assert sorted(p.name for p in empty_ws.iterdir()) == sorted(before + ["issues"])  # no lock file left


def test_stale_lock_is_recovered_with_a_message(empty_ws):
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (empty_ws / ".bulletin.lock").write_text(str(dead.pid))
    done = bulletin(empty_ws, "new", "--date", "2026-05-01")
    assert "stale lock" in done.stderr and str(dead.pid) in done.stderr
    assert done.stdout.startswith("第1期（总第21期）")


def test_year_rollover_and_supplements_keep_the_regular_sequence(empty_ws):
    out = [bulletin(empty_ws, "new", "--date", d, *extra).stdout.strip() for d, extra in [
        ("2026-11-01", []), ("2026-11-15", ["--supplement"]), ("2026-12-01", []),
        ("2026-12-05", ["--special", "优化营商环境"]), ("2026-12-06", ["--supplement"]),
        ("2027-01-10", []), ("2027-01-20", ["--supplement"])]]
    assert out == ["第1期（总第21期） issues/2026/01", "增刊第1期 issues/2026/S1", "第2期（总第22期） issues/2026/02",
                   "专刊第1期 issues/2026/Z1", "增刊第2期 issues/2026/S2", "第1期（总第23期） issues/2027/01",
                   "增刊第1期 issues/2027/S1"]
    supplement = (empty_ws / "issues/2026/S1/issue.yaml").read_text(encoding="utf-8")
    assert "total" not in supplement and "kind: supplement" in supplement
    rows = json.loads(bulletin(empty_ws, "list", "--json").stdout)
    assert [r["issue"] for r in rows] == ["2026-1", "2026-2", "2026-S1", "2026-S2", "2026-Z1", "2027-1", "2027-S1"]


def _issue(ws: Path, folder: str, number: int, total: int | None, date: str, kind: str = "regular"):
    path = ws / "issues" / folder
    path.mkdir(parents=True, exist_ok=True)
    total_line = f"total: {total}\n" if total else ""
    (path / "issue.yaml").write_text(f"number: {number}\n{total_line}date: {date}\nkind: {kind}\n"
                                     f"articles: []\n", encoding="utf-8")


@pytest.mark.parametrize("case, message, bad_file", [
    ("duplicate", "also", "issues/2026/002/issue.yaml"),
    ("total", "does not follow", "issues/2026/03/issue.yaml"),
    ("year", "outside the folder's year", "issues/2026/03/issue.yaml"),
    ("folder", "disagrees", "issues/2026/03/issue.yaml"),
    ("gap", "missing 3", "issues/2026/04/issue.yaml"),
])
def test_check_numbering_rules(empty_ws, case, message, bad_file):
    ws = empty_ws
    _issue(ws, "2026/01", 1, 21, "2026-01-10")
    _issue(ws, "2026/02", 2, 22, "2026-02-10")
    if case == "duplicate":
        _issue(ws, "2026/002", 2, 23, "2026-03-10")
    elif case == "total":
        _issue(ws, "2026/03", 3, 25, "2026-03-10")
    elif case == "year":
        _issue(ws, "2026/03", 3, 23, "2025-03-10")
    elif case == "folder":
        _issue(ws, "2026/03", 4, 23, "2026-03-10")
    elif case == "gap":
        _issue(ws, "2026/04", 4, 23, "2026-03-10")
    done = bulletin(ws, "check", check=1)
    hits = [l for l in done.stderr.splitlines() if message in l]
    assert hits, done.stderr
    assert hits[0].startswith(bad_file + ":"), hits
    assert hits[0].split(":")[1].isdigit(), "no line number"


def test_check_passes_a_consistent_series_and_warns_on_empty_drafts(empty_ws):
    _issue(empty_ws, "2026/01", 1, 21, "2026-01-10")
    _issue(empty_ws, "2026/S1", 1, None, "2026-01-12", "supplement")
    _issue(empty_ws, "2026/02", 2, 22, "2026-02-10")
    _issue(empty_ws, "2027/01", 1, 23, "2027-01-05")
    done = bulletin(empty_ws, "check")
    assert "warning" in done.stderr and "no articles" in done.stderr
    data = json.loads(bulletin(empty_ws, "check", "--json").stdout)
    assert data and all(d["severity"] == "warning" for d in data)


@pytest.fixture
def ws10(tmp_path) -> Path:
    return write_workspace(tmp_path / "ws", articles=[dict(title="测试文章一", paragraphs=2),
                                                     dict(title="测试文章二", paragraphs=2, source="市数据局")])


def _snapshot(ws: Path) -> dict:
    return {p.relative_to(ws).as_posix(): p.read_bytes() for p in ws.rglob("*") if p.is_file()
            and ".bulletin.lock" not in p.name}


def test_publish_freezes_the_issue(ws10):
    done = bulletin(ws10, "publish", "10")
    docx = Path(done.stdout.strip())
    assert docx.is_file()
    text = (ws10 / "issues/2026/10/issue.yaml").read_text(encoding="utf-8")
    assert "status: published" in text
    import hashlib
    assert hashlib.sha256((ws10 / "issues/2026/10/01-article.md").read_bytes()).hexdigest() in text
    assert hashlib.sha256(docx.read_bytes()).hexdigest() in text
    assert bulletin(ws10, "check").returncode == 0
    bulletin(ws10, "render", "10")                 # unchanged: re-render allowed
    bulletin(ws10, "publish", "10", check=1)       # twice: refused

    # Change one file, add another, remove a third: check names each; render refuses.
    (ws10 / "issues/2026/10/01-article.md").write_text("---\ntitle: 改了\n---\n\n改了。\n", encoding="utf-8")
    (ws10 / "issues/2026/10/photo.png").write_bytes(b"\x89PNG")
    (ws10 / "issues/2026/10/02-article.md").unlink()
    done = bulletin(ws10, "check", check=1)
    for name in ("01-article.md (changed)", "photo.png (added)", "02-article.md (removed)"):
        assert name in done.stderr
    before = _snapshot(ws10)
    refused = bulletin(ws10, "render", "10", check=1)
    assert "--force" in refused.stderr and _snapshot(ws10) == before
    article = ws10 / "new.md"
    article.write_text("---\ntitle: 新文章\n---\n\n正文。\n", encoding="utf-8")
    assert "frozen" in bulletin(ws10, "add", "10", str(article), check=1).stderr


def test_forced_render_is_recorded(ws10):
    bulletin(ws10, "publish", "10")
    (ws10 / "issues/2026/10/01-article.md").write_text("---\ntitle: 改了\n---\n\n改了。\n", encoding="utf-8")
    bulletin(ws10, "render", "10", "--force", "--reason", "更正标题")
    text = (ws10 / "issues/2026/10/issue.yaml").read_text(encoding="utf-8")
    assert "forced:" in text and "01-article.md (changed)" in text and "reason: 更正标题" in text


def test_register_rows_and_totals_match_the_recipients(ws10, tmp_path):
    from ruamel.yaml import YAML

    directory = YAML(typ="safe").load((ws10 / "recipients.yaml").read_text(encoding="utf-8"))
    expected = [(r["role"], r["name"], r.get("copies", 1)) for r in directory["recipients"]
                if r["id"] in directory["lists"]["default"]]
    expected.append(("存档", "××市政务公开领导小组办公室", 5))  # the office's own copies: the total is 共印
    out = tmp_path / "登记.csv"
    bulletin(ws10, "distribution", "10", "--csv", str(out))
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "Excel needs the UTF-8 BOM"
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[0] == ["序号", "类别", "接收单位或个人", "份数", "签收"]
    body, total = rows[1:-1], rows[-1]
    assert [(r[1], r[2], int(r[3])) for r in body] == expected
    assert [int(r[0]) for r in body] == list(range(1, len(expected) + 1))
    assert total[1] == "合计" and int(total[3]) == sum(c for _, _, c in expected)

    docx = tmp_path / "登记.docx"
    bulletin(ws10, "distribution", "10", "--docx", str(docx))
    import zipfile
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    text = re.sub(r"<[^>]+>", "", xml)  # × and other marks are runs of their own
    for _, name, _ in expected:
        assert name in text
    assert "签收" in xml and "合计" in xml and "分发登记表" in xml
    plain = bulletin(ws10, "distribution", "10").stdout
    assert f"\tin all\t\t{sum(c for _, _, c in expected)}\t" in plain
    assert plain.splitlines()[1] == "no.\trole\trecipient\tcopies\tsignature"
    chinese = bulletin(ws10, "--lang", "zh", "distribution", "10").stdout  # the terminal's table in Chinese
    assert chinese.splitlines()[:2] == ["分发登记表", "序号\t类别\t接收单位或个人\t份数\t签收"]
    assert f"\t合计\t\t{sum(c for _, _, c in expected)}\t" in chinese


def test_show_groups_distribution_and_counts_copies(ws10):
    (ws10 / "issues/2026/10/issue.yaml").write_text(
        (ws10 / "issues/2026/10/issue.yaml").read_text(encoding="utf-8").replace(
            "  lists: [default]", "  lists: [short]\n  add: [towns]\n  remove: [districts]\n  extra: [市工商联]"),
        encoding="utf-8")
    data = json.loads(bulletin(ws10, "show", "10", "--json").stdout)
    roles = [(d["role"], d["name"]) for d in data["distribution"]]
    assert roles == [("报", "市委办公室"), ("发", "各镇（街道）政务公开办公室"), ("本期增发", "市工商联")]
    assert data["copies"] == 2 + 30 + 1 + 5


def test_people_line_printed_in_the_tail(ws10, tmp_path):
    out = tmp_path / "x.docx"
    bulletin(ws10, "render", "10", "-o", str(out))
    import zipfile
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    assert "编辑：王××" in xml.replace('</w:t></w:r><w:r><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:cs="仿宋_GB2312" w:hint="eastAsia"/><w:spacing w:val="0"/><w:sz w:val="28"/><w:szCs w:val="28"/></w:rPr><w:t xml:space="preserve">', "") or "编辑：王" in xml
    assert "签发：张" in xml
