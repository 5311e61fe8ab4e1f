"""Shared helpers of the robustness tests: a sample workspace, snapshots, and the checks every
outcome must pass (a valid .docx, or a BulletinError whose diagnostics say where and what)."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

REPO = Path(__file__).resolve().parents[2]
if str(REPO / "tests") not in sys.path:
    sys.path.insert(0, str(REPO / "tests"))

from examples.generate import png, write_workspace  # noqa: E402,F401  (png: shared with the tests)

from bulletin.errors import BulletinError  # noqa: E402


def example_count(share: int = 1) -> int:
    """The Hypothesis profile's example count (tests/conftest.py: 2,000 under CI, 100 otherwise), or
    `1/share` of it for a test whose every example is slow (one that starts processes)."""
    from hypothesis import settings

    return max(1, settings.default.max_examples // share)


ISSUE = Path("issues/2026/10")
ARTICLE = ISSUE / "01-article.md"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def make_workspace(root: Path) -> Path:
    """A workspace with regular issue 10 of 2026 holding one article (01-article.md)."""
    return write_workspace(root, articles=[dict(title="我市召开政务公开工作推进会", paragraphs=2)])


def snapshot(root: Path) -> dict[str, object]:
    """Every path under `root` → its bytes (files), its target (symlinks) or "<dir>"."""
    out: dict[str, object] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                out[rel] = ("link", os.readlink(path))
            elif path.is_dir():
                out[rel] = "<dir>"
            else:
                out[rel] = path.read_bytes()
    return out


def temp_leftovers(root: Path) -> list[str]:
    """Temporary files of atomic writes (.NAME.XXXX.tmp) left anywhere under `root`."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob(".*.tmp"))


def docx_document(data: bytes) -> ET.Element:
    """The .docx must be a zip whose every XML part parses; returns word/document.xml's root."""
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.testzip() is None
        names = z.namelist()
        assert "word/document.xml" in names and "[Content_Types].xml" in names
        for name in names:
            if name.endswith((".xml", ".rels")):
                ET.fromstring(z.read(name))  # raises ParseError on a bad character or tag
        return ET.fromstring(z.read("word/document.xml"))


def document_text(root: ET.Element) -> str:
    return "".join(t.text or "" for t in root.iter(W + "t"))


def assert_clean_error(exc: BulletinError) -> None:
    """A user's mistake: at least one diagnostic, each with a path and a message (and a sane line)."""
    assert exc.diagnostics, "a BulletinError without diagnostics"
    for d in exc.diagnostics:
        assert isinstance(d.path, str) and d.path.strip(), d
        assert isinstance(d.message, str) and d.message.strip(), d
        assert d.line is None or (isinstance(d.line, int) and d.line >= 1), d
        assert d.severity in ("error", "warning"), d
        d.format()


def cli(ws: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), *args],
                          capture_output=True, text=True, timeout=timeout, env=cli_env())


def cli_in_process(ws: Path, *args: str) -> subprocess.CompletedProcess:
    """`bulletin --workspace WS ARGS` through the console entry point (bulletin.cli.main) in this
    process, for tests of many cases: exit status, stdout and stderr as a subprocess gives them, without
    starting an interpreter each time. An exception the CLI lets out fails the test with its traceback."""
    import contextlib
    from unittest import mock

    from bulletin import cli as entry

    argv = ["bulletin", "--workspace", str(ws), *args]
    out, err, code = io.StringIO(), io.StringIO(), 0
    with mock.patch.object(sys, "argv", argv), mock.patch.dict(os.environ, cli_env(), clear=True), \
            contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            entry.main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else int(exc.code is not None)
    return subprocess.CompletedProcess(argv, code, out.getvalue(), err.getvalue())


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("BULLETIN_WORKSPACE", None)
    env["PYTHONIOENCODING"] = "utf-8"
    return env
