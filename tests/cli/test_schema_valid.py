"""Every .docx the tool writes passes an OOXML schema and semantics check (what can be known of Word here)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from examples.generate import MEDIUM, write_workspace  # noqa: E402


def run(*args, cwd=None):
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=cwd)
    return done


@pytest.fixture(scope="module")
def documents(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("schema")
    ws = write_workspace(root / "ws", number=1, total=1, **MEDIUM)
    out = {}
    for name, args in {"issue": ["render", "1"], "volume": ["compile", "2026", "--drafts"],
                       "register": ["distribution", "1", "--docx"], "demo": ["render", "10"],
                       "circular": ["stats", "--quarter", "2026Q4", "--docx"]}.items():
        target = root / f"{name}.docx"
        workspace = REPO if name in ("demo", "circular") else ws
        flag = [] if name in ("register", "circular") else ["-o"]
        done = run("-m", "bulletin.cli", "--workspace", str(workspace), *args, *flag, str(target))
        assert done.returncode == 0, done.stderr
        out[name] = target
    return out


@pytest.mark.parametrize("name", ["issue", "volume", "register", "demo", "circular"])
def test_docx_has_no_schema_findings(documents, name):
    done = run("-m", "openxml_audit", "--format", "office2016", str(documents[name]))
    assert "Errors: 0" in done.stdout, done.stdout[-2000:]
