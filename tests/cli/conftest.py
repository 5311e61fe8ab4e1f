"""Fixtures for the end-to-end CLI tests; the helpers live in cli_support.py (a unique module name)."""
from __future__ import annotations

from pathlib import Path

import pytest
from cli_support import write_workspace


@pytest.fixture
def ws(tmp_path) -> Path:
    """A valid workspace with issue 2026-10 (第10期（总第30期）), two articles and the default list."""
    return write_workspace(tmp_path / "ws")


@pytest.fixture
def outside(tmp_path) -> Path:
    """An empty folder that is not inside any workspace (for running with cwd elsewhere)."""
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    return folder
