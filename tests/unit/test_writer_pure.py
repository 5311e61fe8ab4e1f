"""A writer is a pure function of the composed issue and the preset: once an issue is composed,
rendering it reads no file (its pictures travel as bytes with their type and size)."""
from __future__ import annotations

import builtins
import hashlib
import io
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from examples.generate import PICTURES, png, write_workspace  # noqa: E402

from bulletin.content.compose import compose_issue  # noqa: E402
from bulletin.render.docx.writer import DocxWriter  # noqa: E402
from bulletin.store.presets import load_preset  # noqa: E402
from bulletin.store.workspace import Workspace  # noqa: E402


def _composed(root: Path):
    ws = Workspace(root)
    return compose_issue(ws, ws.resolve("10"))


def _workspace(tmp_path: Path) -> Path:
    return write_workspace(tmp_path / "ws", pictures={**PICTURES, "p.png": png(400, 300, 72)},
                           articles=[dict(title="图片", body='![现场](p.png "width: 120mm")\n\n![宽图](wide.png)'),
                                     dict(title="简讯", paragraphs=2, source="市数据局", section="工作动态")])


def test_a_composed_issue_renders_with_its_folder_gone(tmp_path):
    root = _workspace(tmp_path)
    preset = load_preset("gbt9704")
    expected = DocxWriter(preset).render(_composed(root))
    issue = _composed(root)
    shutil.rmtree(root)  # the articles and their pictures are no longer on disk
    assert hashlib.sha256(DocxWriter(preset).render(issue)).hexdigest() == hashlib.sha256(expected).hexdigest()


def test_rendering_opens_no_file(tmp_path, monkeypatch):
    issue = _composed(_workspace(tmp_path))
    writer = DocxWriter(load_preset("gbt9704"))
    opened = []

    def refuse(*args, **kwargs):
        opened.append(args[0] if args else kwargs)
        raise AssertionError(f"the writer opened {args[0] if args else kwargs!r}")

    monkeypatch.setattr(builtins, "open", refuse)
    monkeypatch.setattr(io, "open", refuse)
    monkeypatch.setattr(Path, "read_bytes", lambda self: refuse(self))
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: refuse(self))
    data = writer.render(issue)
    assert data.startswith(b"PK") and not opened
