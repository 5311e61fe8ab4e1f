"""The warm LibreOffice (bulletin/office/warm.py and warm_worker.py) with the real LibreOffice: the same
pages as a cold conversion, one soffice reused, restarted when it dies, after a timeout and after N
conversions; a cold conversion when no warm one can be had; `bulletin office start|status|stop`;
`render --pdf` warm and cold alike; and the workbench's lifespan leaving nothing running.

The tests share one started worker where they can (a start costs about a second)."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber
import pytest

from bulletin.commands.render import build_docx
from bulletin.office import launcher, pdf, warm
from bulletin.office.measure import measure
from bulletin.store.workspace import Workspace

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_support import copy_demo, kill_tree  # noqa: E402
ENV = {**os.environ, "PYTHONPATH": str(REPO)}


def _gone(pid: int) -> bool:
    """No process is left in the process group `pid` (the worker's: itself and its soffice)."""
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return True
    return False


def _wait_gone(pid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while not _gone(pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    return _gone(pid)


def _pages(path: Path) -> int:
    with pdfplumber.open(path) as opened:
        return len(opened.pages)


@pytest.fixture(scope="module")
def demo(tmp_path_factory, soffice) -> dict:
    """The demo workspace copied, its issue 10 as .docx, and that .docx converted cold once."""
    root = tmp_path_factory.mktemp("warm")
    ws = copy_demo(root / "ws")
    docx = root / "demo.docx"
    docx.write_bytes(build_docx(Workspace(ws), Workspace(ws).resolve("10")))
    cold = launcher.ColdConverter(180, pdf.font_environment()).convert(docx, pdf.PDF_FILTER, root / "cold")
    return {"root": root, "ws": ws, "docx": docx, "cold": cold}


@pytest.fixture(scope="module")
def started(demo):
    """One warm converter for the tests that need not start their own."""
    converter = warm.WarmConverter(pdf.font_environment())
    assert converter.start(), converter.unavailable
    yield converter
    pid = converter.process.pid
    converter.stop()
    assert _wait_gone(pid), "the warm LibreOffice was left running"


def test_a_warm_pdf_has_the_pages_of_a_cold_one(demo, started, tmp_path):
    made = started.convert(demo["docx"], pdf.PDF_FILTER, tmp_path)
    assert made == tmp_path / "demo.pdf" and made.is_file()
    warm_layout, cold_layout = measure(made), measure(demo["cold"])
    assert _pages(made) == _pages(demo["cold"]) == 7
    assert warm_layout.pages == cold_layout.pages and warm_layout.checks == cold_layout.checks
    assert all(c.passed for c in warm_layout.checks)


def test_blank_pages_are_kept_as_in_a_cold_pdf(demo, started, tmp_path):
    """The PDF filter's FilterData reaches the warm export: a section starting on an odd page leaves
    the blank page a duplex print needs, as the cold conversion does."""
    import docx
    from docx.enum.section import WD_SECTION

    document = docx.Document()
    document.add_paragraph("第一页。")
    document.add_section(WD_SECTION.ODD_PAGE)
    document.add_paragraph("第三页。")
    document.save(tmp_path / "odd.docx")
    warm_pdf = started.convert(tmp_path / "odd.docx", pdf.PDF_FILTER, tmp_path / "warm")
    cold_pdf = launcher.ColdConverter(120, pdf.font_environment()).convert(tmp_path / "odd.docx", pdf.PDF_FILTER,
                                                                          tmp_path / "cold")
    assert _pages(warm_pdf) == _pages(cold_pdf) == 3


def test_the_second_conversion_reuses_the_same_libreoffice(demo, started, tmp_path):
    before = started.status()
    started.convert(demo["docx"], pdf.PDF_FILTER, tmp_path / "a")
    started.convert(demo["docx"], pdf.PDF_FILTER, tmp_path / "b")
    after = started.status()
    assert after["pid"] == before["pid"] and after["soffice_pid"] == before["soffice_pid"]
    assert after["conversions"] == before["conversions"] + 2


def test_through_launcher_converter_and_pdf_convert(demo, started, tmp_path):
    """pdf.convert (what render --pdf and the preview call) goes through the installed converter."""
    before = started.status()["conversions"]
    warm.install(started)
    try:
        made = pdf.convert(demo["docx"], tmp_path)
    finally:
        warm.install(None)
    assert made.is_file() and started.status()["conversions"] == before + 1


def test_a_killed_libreoffice_is_started_again_and_the_next_conversion_succeeds(demo, started, tmp_path):
    before = started.status()
    kill_tree(before["soffice_pid"])
    made = started.convert(demo["docx"], pdf.PDF_FILTER, tmp_path)
    after = started.status()
    assert made.is_file() and _pages(made) == 7
    assert after["pid"] == before["pid"]                     # the same worker …
    assert after["soffice_pid"] != before["soffice_pid"]     # … with a new LibreOffice
    assert after["restarts"] > before["restarts"]


def test_a_killed_worker_is_started_again(demo, started, tmp_path):
    old = started.process.pid
    warm.kill_group(old)
    made = started.convert(demo["docx"], pdf.PDF_FILTER, tmp_path)
    assert made.is_file() and started.process.pid != old and _wait_gone(old)


def test_a_conversion_past_its_timeout_ends_libreoffice_which_is_started_again(demo, started, tmp_path):
    before = started.status()
    with pytest.raises(launcher.OfficeTimeout):
        started.convert(demo["docx"], pdf.PDF_FILTER, tmp_path / "late", timeout=0.01)
    after = started.status()
    assert after["soffice_pid"] != before["soffice_pid"] and after["restarts"] > before["restarts"]
    made = started.convert(demo["docx"], pdf.PDF_FILTER, tmp_path / "next")
    assert made.is_file() and _pages(made) == 7


def test_after_n_conversions_libreoffice_is_started_afresh(demo, tmp_path):
    converter = warm.WarmConverter(pdf.font_environment(), max_conversions=2)
    assert converter.start()
    try:
        first = converter.status()["soffice_pid"]
        converter.convert(demo["docx"], pdf.PDF_FILTER, tmp_path / "1")
        second = converter.status()["soffice_pid"]
        converter.convert(demo["docx"], pdf.PDF_FILTER, tmp_path / "2")
        made = converter.convert(demo["docx"], pdf.PDF_FILTER, tmp_path / "3")   # waits for the fresh start
        third = converter.status()
    finally:
        pid = converter.process.pid
        converter.stop()
    assert first == second != third["soffice_pid"] and third["restarts"] == 1 and third["conversions"] == 1
    assert made.is_file() and _wait_gone(pid)


def test_without_a_uno_python_the_conversion_is_made_cold_and_the_log_says_so(demo, tmp_path, monkeypatch, caplog):
    monkeypatch.setenv(warm.UNO_PYTHON_ENV, "/bin/false")
    monkeypatch.setattr(warm, "_uno_python", {})
    converter = warm.WarmConverter(pdf.font_environment())
    with caplog.at_level(logging.WARNING, logger="bulletin.office"):
        assert converter.start() is False
        made = converter.convert(demo["docx"], pdf.PDF_FILTER, tmp_path)
    assert made.is_file() and _pages(made) == 7 and converter.process is None
    assert "python3-uno" in caplog.text and "cold" in caplog.text


def _cli(ws: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), *args],
                          capture_output=True, text=True, env=ENV, timeout=300)


def test_office_start_status_stop_and_render_pdf_warm_and_cold_alike(demo, tmp_path):
    ws = demo["ws"]
    cold = _cli(ws, "render", "10", "--pdf", "-o", str(tmp_path / "cold") + "/")
    assert cold.returncode == 0, cold.stderr
    started = _cli(ws, "office", "start")
    try:
        assert started.returncode == 0, started.stderr
        assert "runs and answers" in started.stdout
        record = json.loads((ws / ".bulletin" / "office.json").read_text(encoding="utf-8"))
        assert set(record) >= {"pid", "port", "token"} and record["owner"] == "office start"
        again = _cli(ws, "office", "start")        # one per workspace: the running one is kept
        assert again.returncode == 0 and json.loads((ws / ".bulletin" / "office.json").read_text())["pid"] == record["pid"]
        hot = _cli(ws, "render", "10", "--pdf", "-o", str(tmp_path / "warm") + "/")
        assert hot.returncode == 0, hot.stderr
        status = _cli(ws, "office", "status")
        assert status.returncode == 0 and "1 conversion(s)" in status.stdout, status.stdout
    finally:
        stopped = _cli(ws, "office", "stop")
    assert stopped.returncode == 0 and "stopped" in stopped.stdout
    assert _wait_gone(record["pid"]) and not (ws / ".bulletin" / "office.json").exists()
    assert _cli(ws, "office", "status").returncode == 1
    cold_pdf, warm_pdf = (Path(p.stdout.split()[-1]) for p in (cold, hot))
    assert cold_pdf.suffix == warm_pdf.suffix == ".pdf"
    assert measure(cold_pdf).pages == measure(warm_pdf).pages and _pages(cold_pdf) == _pages(warm_pdf)


def test_render_pdf_after_the_office_was_killed_is_cold_and_cleans_the_record(demo, tmp_path):
    ws = demo["ws"]
    assert _cli(ws, "office", "start").returncode == 0
    record = json.loads((ws / ".bulletin" / "office.json").read_text(encoding="utf-8"))
    warm.kill_group(record["pid"])
    assert _wait_gone(record["pid"])
    done = _cli(ws, "render", "10", "--pdf", "-o", str(tmp_path) + "/")
    assert done.returncode == 0 and Path(done.stdout.split()[-1]).is_file(), done.stderr
    assert not (ws / ".bulletin" / "office.json").exists()


def test_the_workbench_starts_its_office_and_leaves_nothing_running(demo):
    import warnings

    from bulletin.web.app import create_app

    ws = demo["ws"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        with TestClient(create_app(ws, warm_office=True), base_url="http://127.0.0.1:8110") as client:
            record = json.loads((ws / ".bulletin" / "office.json").read_text(encoding="utf-8"))
            assert record["owner"] == "serve" and warm.installed() is not None
            image = client.get("/issues/2026-10/pages/1.png")
            assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
            answer = warm.Endpoint(record["port"], record["token"], record["pid"]).ping()
            assert answer and answer["conversions"] >= 1       # the preview was made warm
            # render --pdf finds the workbench's LibreOffice
            done = _cli(ws, "render", "10", "--pdf", "-o", str(demo["root"] / "from-cli") + "/")
            assert done.returncode == 0, done.stderr
            assert warm.Endpoint(record["port"], record["token"], record["pid"]).ping()["conversions"] == \
                answer["conversions"] + 1
    assert warm.installed() is None
    assert _wait_gone(record["pid"]), "LibreOffice was left running after the workbench stopped"
    assert not (ws / ".bulletin" / "office.json").exists()


def test_the_preview_hands_over_its_pages_before_the_layout_is_measured(demo, started, tmp_path):
    from bulletin.commands import preview as preview_cmd

    handed = []

    def ready(digest, pngs):
        handed.append((digest, pngs, [p.name for p in (tmp_path / "cache").rglob(preview_cmd.LAYOUT_FILE)]))

    warm.install(started)
    try:
        shown = preview_cmd.page_images(Workspace(demo["ws"]), "10", tmp_path / "cache", pages_ready=ready)
    finally:
        warm.install(None)
    [(digest, pngs, layouts_then)] = handed
    assert digest == shown.docx_sha256 and layouts_then == []       # handed over before layout.json
    assert pngs == [p.read_bytes() for p in shown.pages] and len(pngs) == 7 and shown.passed
