"""The preview (bulletin/commands/preview.py): the demo issue's pages as PNGs, the measured checks, the
cache by the .docx's hash; and a check that fails is reported as failed."""
from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin.commands import preview as preview_cmd
from bulletin.office import launcher
from bulletin.office.measure import measure
from bulletin.store.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_support import copy_demo  # noqa: E402
CHECKS = {"a4", "lines", "characters", "red rule", "tail", "tail clear"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """A copy of the demo workspace and its preview (one conversion for the module)."""
    ws = copy_demo(tmp_path_factory.mktemp("preview") / "ws")
    return ws, preview_cmd.page_images(Workspace(ws), "10")


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()[:24]
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_demo_gives_seven_a4_pages_and_every_check_passes(soffice, demo):
    ws, shown = demo
    assert len(shown.pages) == 7 and len(shown.layout) == 7
    assert shown.pages == [shown.folder / f"{n}.png" for n in range(1, 8)]
    assert shown.folder == ws / "build" / "preview" / shown.docx_sha256   # the default cache
    for page in shown.pages:
        width, height = _png_size(page)
        assert height / width == pytest.approx(297 / 210, rel=0.01)
        assert width == pytest.approx(210 / 25.4 * preview_cmd.DPI, abs=2)
    assert {c.name for c in shown.checks} == CHECKS
    assert shown.passed, [c for c in shown.checks if not c.passed]
    assert not shown.cached


def test_the_layout_is_measured_per_page(soffice, demo):
    _, shown = demo
    first, last = shown.layout[0], shown.layout[-1]
    assert first.red_rule_mm == pytest.approx(156, abs=1)
    assert last.tail_rule_mm == pytest.approx(262, abs=1.5)
    assert all(p.tail_rule_mm is None for p in shown.layout[:-1])
    full = [p for p in shown.layout if p.full]
    assert full and all(p.body_lines == 22 and p.pitch_pt == pytest.approx(28.95, abs=0.05) for p in full)
    assert max(p.longest_line for p in shown.layout) == 28


def test_the_docx_hashed_is_what_render_writes(soffice, demo, tmp_path):
    import hashlib

    ws, shown = demo
    out = tmp_path / "issue.docx"
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), "render", "10",
                           "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert hashlib.sha256(out.read_bytes()).hexdigest() == shown.docx_sha256


def test_an_unchanged_issue_is_never_converted_twice(soffice, demo, monkeypatch):
    ws, shown = demo

    def refuse(*args, **kwargs):
        raise AssertionError("converted again")

    monkeypatch.setattr(launcher, "converter", refuse)
    monkeypatch.setattr(preview_cmd.subprocess, "run", refuse)
    again = preview_cmd.page_images(Workspace(ws), "10")
    assert again.cached and again.docx_sha256 == shown.docx_sha256 and again.pages == shown.pages
    assert again.checks == shown.checks and again.layout == shown.layout


def test_a_changed_article_gives_a_new_hash_and_new_pages(soffice, tmp_path):
    ws = copy_demo(tmp_path / "ws")
    cache = tmp_path / "cache"
    before = preview_cmd.page_images(Workspace(ws), "10", cache)
    article = ws / "issues" / "2026" / "10" / "04-brief.md"
    article.write_text(article.read_text(encoding="utf-8").rstrip() + "\n\n本期新增一段简短的说明文字。\n",
                       encoding="utf-8")
    after = preview_cmd.page_images(Workspace(ws), "10", cache)
    assert after.docx_sha256 != before.docx_sha256 and not after.cached
    assert after.folder != before.folder and all(p.is_file() for p in after.pages + before.pages)
    assert after.pages[-1].read_bytes() != before.pages[-1].read_bytes()
    assert not [p for p in cache.iterdir() if p.name.startswith(".")], "a staging folder was left behind"


def test_a_failed_check_is_reported_as_failed(soffice, demo):
    _, shown = demo
    other = measure(shown.pdf, pitch=30.0, chars=27)
    failed = {c.name for c in other.checks if not c.passed}
    assert failed == {"lines", "characters"} and not other.passed
    detail = next(c for c in other.checks if c.name == "lines").detail
    assert "30" in detail and "28.95" in detail


def test_a_document_that_is_no_bulletin_fails_the_rule_checks(soffice, tmp_path):
    """A plain page (no masthead, no tail): the red rule and tail checks fail, saying what is missing."""
    import docx

    from bulletin.office import pdf as pdf_mod

    doc = docx.Document()
    doc.add_paragraph("只有一行字。")
    doc.save(tmp_path / "plain.docx")
    checks = {c.name: c for c in measure(pdf_mod.convert(tmp_path / "plain.docx")).checks}
    assert not checks["red rule"].passed and "no red rule" in checks["red rule"].detail
    assert not checks["tail"].passed and "no tail rules" in checks["tail"].detail


def test_cli_prints_the_pages_and_the_checks(soffice, demo, tmp_path):
    ws, shown = demo
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), "preview", "10",
                           "-o", str(tmp_path / "pages")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    printed = done.stdout.split()
    assert printed == [str(tmp_path / "pages" / shown.docx_sha256 / f"{n}.png") for n in range(1, 8)]
    assert done.stderr.count("passed: ") == len(shown.checks) and "failed" not in done.stderr
