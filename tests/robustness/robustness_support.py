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

# In-process property tests run this many examples; the subprocess ones far fewer.
EXAMPLES = int(os.environ.get("BULLETIN_HYPOTHESIS_EXAMPLES", "2000"))

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


def cli_env() -> dict[str, str]:
    env = dict(os.environ)
    env.pop("BULLETIN_WORKSPACE", None)
    env["PYTHONIOENCODING"] = "utf-8"
    return env
