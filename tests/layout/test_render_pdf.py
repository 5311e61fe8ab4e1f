"""`bulletin render ISSUE --pdf`: the .docx and its PDF, through LibreOffice with the shipped font map."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
from conftest import REPO

sys.path.insert(0, str(REPO / "tests"))
from examples.generate import MEDIUM, write_workspace  # noqa: E402


def _bulletin(ws: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), *args],
                          capture_output=True, text=True, env=env)


def test_render_pdf_prints_both_paths_and_the_pdf_holds_the_issue(tmp_path, opened):
    ws = write_workspace(tmp_path / "ws", **MEDIUM)
    done = _bulletin(ws, "render", "10", "--pdf")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    docx, pdf = [Path(line) for line in done.stdout.split()]
    assert docx.suffix == ".docx" and docx.is_file()
    assert pdf == docx.with_suffix(".pdf") and pdf.is_file()
    with pdfplumber.open(pdf) as made:
        pages = [page.extract_text() or "" for page in made.pages]
    # the same issue as the layout fixtures convert: the same number of pages
    assert len(pages) == len(opened["medium"].pages) >= 2
    assert "第10期" in pages[0].replace(" ", "") and "简报" in pages[0]
    assert "共印" in pages[-1] and "报：" in pages[-1]
    assert not list(pdf.parent.glob(".*.tmp")), "a staging file was left beside the PDF"


def test_render_pdf_without_libreoffice_says_so_and_writes_nothing(tmp_path):
    ws = write_workspace(tmp_path / "ws", **MEDIUM)
    bare = tmp_path / "bin"  # a PATH with python but no soffice
    bare.mkdir()
    (bare / "python3").symlink_to(sys.executable)
    env = {k: v for k, v in os.environ.items() if k != "BULLETIN_WORKSPACE"}
    env["PATH"] = str(bare)
    assert shutil.which("soffice", path=env["PATH"]) is None
    done = _bulletin(ws, "render", "10", "--pdf", env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "LibreOffice is not installed" in done.stderr and "--pdf" in done.stderr
    assert not (ws / "build").exists()
