"""A plain (non-editable) install works in an empty folder: the built-in templates travel with the package.

The install goes into a throw-away venv that sees the system's site-packages (so the dependencies are
there and nothing is downloaded). The repository is copied to a temporary folder first, so building
does not leave build/ or *.egg-info in the work tree.
"""
from __future__ import annotations

import datetime as _dt
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(importlib.util.find_spec("pip") is None, reason="pip is not available")

REPO = Path(__file__).resolve().parents[2]
YEAR = _dt.date.today().year  # `bulletin init` numbers from the current year

ARTICLE = """\
---
title: 安装测试文章
source: 测试单位
---

这是一篇用来检验安装结果的文章。
"""


def _env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items()
            if k not in ("BULLETIN_WORKSPACE", "PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}


def _sh(cmd: list, cwd: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([str(c) for c in cmd], cwd=cwd, env=_env(), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{cmd}\nexit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done


def _install(source: Path, venv: Path, cwd: Path) -> None:
    """`pip install --no-deps --no-build-isolation SOURCE` into the venv.

    pip needs setuptools' bdist_wheel for that, which comes from the `wheel` package before setuptools
    70.1; where neither is present, setuptools installs the same files itself (still not editable).
    """
    python = venv / "bin" / "python"
    pip = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                          "--no-build-isolation", "--no-input", "--disable-pip-version-check", str(source)],
                         cwd=cwd, env=_env(), capture_output=True, text=True, timeout=300)
    if pip.returncode == 0:
        return
    assert "bdist_wheel" in pip.stdout + pip.stderr, pip.stdout + pip.stderr
    _sh([python, "-c", "import setuptools; setuptools.setup()", "-q", "install",
         "--single-version-externally-managed", "--record", venv / "installed-files.txt"], cwd=source)


def test_non_editable_install_works_in_an_empty_folder(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(REPO, source, ignore=shutil.ignore_patterns(
        ".git", "build", "*.egg-info", "__pycache__", ".pytest_cache", "tests", "issues", "bench", "docs"))
    venv = tmp_path / "venv"
    _sh([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip", venv], cwd=tmp_path)
    _install(source, venv, tmp_path)
    shutil.rmtree(source)  # the installed copy must not need the source tree

    empty = tmp_path / "empty"
    empty.mkdir()
    python, bulletin = venv / "bin" / "python", venv / "bin" / "bulletin"
    where = _sh([python, "-c", "import bulletin; print(bulletin.__file__)"], cwd=empty).stdout.strip()
    assert Path(where).resolve().is_relative_to(venv.resolve()), f"imported {where}, not the installed copy"
    assert bulletin.is_file()

    _sh([bulletin, "init", "ws"], cwd=empty)
    assert (empty / "ws" / "bulletin.toml").is_file() and (empty / "ws" / "recipients.yaml").is_file()
    new = _sh([bulletin, "--workspace", "ws", "new", "--date", f"{YEAR}-05-01"], cwd=empty)
    assert new.stdout.strip() == f"第1期（总第1期） issues/{YEAR}/01"
    (empty / "article.md").write_text(ARTICLE, encoding="utf-8")
    _sh([bulletin, "--workspace", "ws", "add", f"{YEAR}-1", "article.md"], cwd=empty)
    rendered = _sh([bulletin, "--workspace", "ws", "render", f"{YEAR}-1"], cwd=empty)
    docx = Path(rendered.stdout.strip())
    docx = docx if docx.is_absolute() else empty / docx
    assert docx.is_file() and docx.suffix == ".docx" and docx.stat().st_size > 0
    assert docx.name.endswith(f"-{YEAR}-第1期.docx")
    # the web edition's stylesheet and search script are package data too
    page = Path(_sh([bulletin, "--workspace", "ws", "render", f"{YEAR}-1", "--html"], cwd=empty).stdout.strip())
    page = page if page.is_absolute() else empty / page
    assert page.name == "index.html" and (page.parent / "bulletin.css").stat().st_size > 0
    _sh([bulletin, "--workspace", "ws", "site", "-o", "site"], cwd=empty)
    assert (empty / "site" / "search.js").stat().st_size > 0 and (empty / "site" / "index.html").is_file()
