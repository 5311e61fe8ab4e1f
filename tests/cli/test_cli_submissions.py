"""信息报送 from the command line: a submitter sends a Word file, an editor adopts it into the issue and
returns another with a reason, the issue renders with the article and its source, the quarter's scores
count it, undo changes them; the 通报 and the CSV; every refusal one clear line, nothing written."""
from __future__ import annotations

import csv
import io

import pytest
from cli_support import CONFIG_TOML, ISSUE_DIR, ok, run, snapshot, write_workspace

from tests.examples.submissions import department_docx

PASSWORD = "correct horse battery"
UNITS = '\n[submissions]\nunits = ["市民政局", "市税务局", "城东区政务公开办"]\n'


@pytest.fixture
def office(tmp_path):
    ws = write_workspace(tmp_path / "ws", config=CONFIG_TOML + UNITS)
    for name, roles in (("张明", ["--role", "editor"]), ("王芳", ["--role", "submitter", "--unit", "市民政局"]),
                        ("李华", ["--role", "submitter", "--unit", "市税务局"])):
        ok(_with_stdin(ws, "user", "add", name, *roles, "--password-stdin"))
    return ws


def _with_stdin(ws, *args):
    import subprocess
    import sys

    from cli_support import clean_env

    return subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), *args], input=PASSWORD + "\n",
                          capture_output=True, text=True, timeout=120, env=clean_env())


def scores(ws, *args):
    out = ok(run("stats", "--quarter", "2026Q4", *args, workspace=ws)).stdout
    return {line.split("\t")[1]: line.split("\t") for line in out.splitlines()[2:] if "\t" in line}


def test_the_quarter_of_an_item_from_sending_to_the_scores(office, tmp_path):
    ws = office
    word = department_docx(tmp_path / "民政局报送.docx")
    done = ok(run("submissions", "send", word, "--unit", "市民政局", "--as", "王芳", workspace=ws))
    assert "2026-0001" in done.stdout
    ok(run("submissions", "send", "--unit", "市税务局", "--title", "市税务局推行非接触式办税", "--text",
           "市税务局推行非接触式办税缴费。", "--as", "李华", workspace=ws))
    listed = ok(run("submissions", "--status", "pending", workspace=ws)).stdout
    assert "2026-0001\t市民政局\t市民政局扎实推进“一网通办”改革\t王芳" in listed and "2026-0002\t市税务局" in listed
    refused = run("submissions", "adopt", "2026-0001", "10", "--as", "王芳", workspace=ws)
    assert refused.returncode == 1 and "editor" in refused.stderr and "Traceback" not in refused.stderr
    ok(run("submissions", "adopt", "2026-0001", "10", "--as", "张明", workspace=ws))
    ok(run("submissions", "return", "2026-0002", "--reason", "数据需核实", "--as", "张明", workspace=ws))
    shown = ok(run("submissions", "--unit", "市税务局", workspace=ws)).stdout
    assert "returned\t数据需核实" in shown
    again = run("--lang", "zh", "submissions", "keep", "2026-0002", "--as", "张明", workspace=ws)
    assert again.returncode == 1 and "已处理" in again.stderr and "撤销" in again.stderr
    article = (ws / ISSUE_DIR / "市民政局.md").read_text(encoding="utf-8")
    assert "source: 市民政局" in article
    ok(run("check", workspace=ws))
    docx = tmp_path / "out.docx"
    ok(run("render", "10", "-o", docx, workspace=ws))
    from docx import Document

    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "市民政局扎实推进“一网通办”改革" in text and "（市民政局供稿）" in text
    table = scores(ws)
    assert table["市民政局"][2:] == ["1", "1", "0", "0", "0", "0", "0", "10"]
    assert table["市税务局"][2:] == ["1", "0", "0", "1", "0", "0", "0", "0"]
    assert table["城东区政务公开办"][2] == "0"
    ok(run("mark", "10", "市民政局.md", "--instruction", "王市长", "--date", "2026-11-25", "--as", "张明", workspace=ws))
    assert scores(ws)["市民政局"][-1] == "15"
    csv_out = tmp_path / "计分.csv"
    docx_out = tmp_path / "通报.docx"
    done = ok(run("stats", "--quarter", "2026Q4", "--csv", csv_out, "--docx", docx_out, workspace=ws))
    assert str(csv_out) in done.stdout and str(docx_out) in done.stdout
    rows = list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig"))))
    assert rows[0][:3] == ["排名", "单位", "报送"] and rows[1][:2] == ["1", "市民政局"] and rows[1][-1] == "15"
    assert docx_out.read_bytes()[:2] == b"PK"
    ok(run("submissions", "undo", "2026-0001", "--as", "张明", workspace=ws))
    assert scores(ws)["市民政局"][2:5] == ["1", "0", "0"] and scores(ws)["市民政局"][-1] == "0"
    assert not (ws / ISSUE_DIR / "市民政局.md").exists()
    history = ok(run("submissions", "show", "2026-0001", workspace=ws)).stdout
    assert "adopted\t张明 2026-10 市民政局.md" in history and "undone\t张明" in history


def test_refusals_change_nothing(office, tmp_path):
    ws = office
    before = snapshot(ws)
    for args, words in ((["submissions", "send", "--unit", "市税务局", "--text", "x", "--as", "王芳"], "王芳"),
                        (["submissions", "send", "--unit", "市公安局", "--text", "x", "--as", "张明"], "submitter"),
                        (["submissions", "adopt", "2026-0009", "10", "--as", "张明"], "2026-0009"),
                        (["submissions", "adopt", "x", "10", "--as", "张明"], "2026-0003"),
                        (["stats", "--quarter", "2026Q5"], "--quarter: '2026Q5' is not a month"),
                        (["stats", "--month", "2026-13"], "--month: '2026-13'"),
                        (["mark", "10", "01-first.md", "--instruction", "王市长", "--as", "王芳"], "editor")):
        done = run(*args, workspace=ws)
        assert done.returncode == 1 and words in done.stderr and "Traceback" not in done.stderr, (args, done.stderr)
    assert run("submissions", "send", "--unit", "市税务局", workspace=ws).returncode == 2
    after = snapshot(ws)
    assert {k: v for k, v in after.items() if not k.startswith(".bulletin")} == \
        {k: v for k, v in before.items() if not k.startswith(".bulletin")}


def test_the_articles_table_of_stats_is_as_before(ws):
    done = ok(run("stats", "--year", "2026", "--drafts", workspace=ws)).stdout
    assert "contributing unit\tarticles adopted" in done and "2026: 2 articles" in done
    scored = ok(run("stats", "--year", "2026", "--scores", workspace=ws)).stdout
    assert "rank\tunit\tsent" in scored
    both = run("stats", "--year", "2026", "--quarter", "2026Q4", workspace=ws)
    assert both.returncode == 2 and "one period" in both.stderr
