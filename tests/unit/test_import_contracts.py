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


def _copy_with(tmp_path: Path, module: str, line: str) -> Path:
    """A copy of the package and its contracts in which `module` (a path under bulletin/) imports `line`."""
    copy = tmp_path / "repo"
    shutil.copytree(REPO / "bulletin", copy / "bulletin", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(REPO / "pyproject.toml", copy / "pyproject.toml")
    source = copy / "bulletin" / module
    source.write_text(source.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    return copy


def test_an_arrow_back_up_breaks_them(tmp_path):
    """The check can fail: a model module importing a command is reported."""
    done = _lint_imports(_copy_with(tmp_path, "model/files.py", "from bulletin.commands import render"))
    assert done.returncode != 0 and "bulletin.model.files -> bulletin.commands.render" in done.stdout, done.stdout


def test_a_writer_that_reads_the_workspace_breaks_them(tmp_path):
    """Writers are pure: a writer reaching the workspace, even through the composer, is reported."""
    done = _lint_imports(_copy_with(tmp_path, "render/words.py", "from bulletin.content import compose"))
    assert done.returncode != 0 and "Writers are pure" in done.stdout, done.stdout
    assert "bulletin.render.words -> bulletin.content.compose" in done.stdout, done.stdout
