"""The stages import downward only (pyproject.toml's [tool.importlinter] contracts), so no change can
run an arrow back up: a front end above the commands, the commands above the writers and the intake, …"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    exe = shutil.which("lint-imports") or str(Path(sys.executable).with_name("lint-imports"))
    return subprocess.run([exe, "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={"PYTHONPATH": str(cwd), "PATH": str(Path(sys.executable).parent)})


def test_the_import_contracts_are_kept():
    done = _lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_arrow_back_up_breaks_them(tmp_path):
    """The check can fail: a model module importing a command is reported."""
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "bulletin", copy / "bulletin", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    files = copy / "bulletin" / "model" / "files.py"
    files.write_text(files.read_text(encoding="utf-8") + "\nfrom bulletin.commands import render  # noqa\n",
                     encoding="utf-8")
    done = _lint_imports(copy)
    assert done.returncode != 0 and "bulletin.model.files -> bulletin.commands.render" in done.stdout, done.stdout
