"""Render sample issues and the demo, convert them to PDF with LibreOffice once per test session."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))

from examples.generate import LONG, MEDIUM, SHORT, VARIED, issue_ref, write_workspace  # noqa: E402

SAMPLES = {"short": SHORT, "medium": MEDIUM, "long": LONG, **VARIED}


def _render(workspace: Path, out: Path, ref: str = "10") -> Path:
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(workspace), "render", ref,
                           "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="session")
def rendered(tmp_path_factory, soffice) -> dict[str, dict]:
    """name → {docx, pdf, workspace} for each sample and the repository's demo issue, all converted
    in one LibreOffice start."""
    from bulletin.office.pdf import convert_many

    root = tmp_path_factory.mktemp("layout")
    docs = {}
    for name, shape in SAMPLES.items():
        ws = write_workspace(root / name, **shape)
        docs[name] = {"workspace": ws, "docx": _render(ws, root / "out" / f"{name}.docx", issue_ref(shape))}
    docs["demo"] = {"workspace": REPO, "docx": _render(REPO, root / "out" / "demo.docx")}
    pdfs = convert_many([d["docx"] for d in docs.values()], root / "pdf")
    for d, pdf in zip(docs.values(), pdfs):
        d["pdf"] = pdf
    return docs


@pytest.fixture(scope="session")
def opened(rendered):
    handles = {name: pdfplumber.open(d["pdf"]) for name, d in rendered.items()}
    yield handles
    for h in handles.values():
        h.close()
