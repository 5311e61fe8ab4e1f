"""The preview's .docx hash without rendering again (commands.preview.docx_sha256): the issue page asks
on every load whether its pages are cached; the answer is worked out again whenever any file of the
workspace changed, and is always the hash of what `bulletin render` writes."""
from __future__ import annotations

import hashlib
import sys
from pathlib import Path

from bulletin.commands import preview as preview_cmd
from bulletin.commands import render as render_cmd
from bulletin.store.atomic import atomic_write
from bulletin.store.workspace import Workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_support import write_workspace  # noqa: E402


def _rendered(ws: Workspace) -> str:
    return hashlib.sha256(render_cmd.build_docx(ws, ws.resolve("10"))).hexdigest()


def test_the_hash_is_rendered_again_only_when_a_file_changed(tmp_path, monkeypatch):
    root = write_workspace(tmp_path / "ws")
    ws = Workspace(root)
    first = preview_cmd.docx_sha256(ws, ws.resolve("10"))
    assert first == _rendered(Workspace(root))

    def refuse(*args):
        raise AssertionError("rendered again though nothing changed")

    real = render_cmd.build_docx
    monkeypatch.setattr(render_cmd, "build_docx", refuse)
    assert preview_cmd.docx_sha256(Workspace(root), Workspace(root).resolve("10")) == first
    (root / "build").mkdir(exist_ok=True)
    (root / "build" / "other.docx").write_bytes(b"output is no source")
    assert preview_cmd.docx_sha256(Workspace(root), Workspace(root).resolve("10")) == first

    monkeypatch.setattr(render_cmd, "build_docx", real)
    article = next((root / "issues" / "2026" / "10").glob("01-*.md"))
    text = article.read_text(encoding="utf-8")
    atomic_write(article, text.replace("。", "！", 1))        # the same size, at once: a new inode
    changed = preview_cmd.docx_sha256(Workspace(root), Workspace(root).resolve("10"))
    assert changed != first and changed == _rendered(Workspace(root))


def test_callers_asking_at_once_share_one_render(tmp_path, monkeypatch):
    """Twenty pages loaded at once after a change render the .docx once, and all get its hash."""
    import threading
    import time

    root = write_workspace(tmp_path / "ws")
    real, renders = render_cmd.build_docx, []

    def slow(ws, key):
        renders.append(key)
        time.sleep(0.2)   # long enough for every caller to ask while it renders
        return real(ws, key)

    monkeypatch.setattr(render_cmd, "build_docx", slow)
    start, answers = threading.Barrier(8), []

    def ask():
        start.wait()
        answers.append(preview_cmd.docx_sha256(Workspace(root), Workspace(root).resolve("10")))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(renders) == 1
    assert answers == [_rendered(Workspace(root))] * 8


def test_a_failed_render_is_reported_to_every_caller_and_tried_again(tmp_path, monkeypatch):
    from bulletin.errors import BulletinError, fail

    root = write_workspace(tmp_path / "ws")

    def broken(ws, key):
        raise fail("issue.yaml", 1, "cannot render")

    monkeypatch.setattr(render_cmd, "build_docx", broken)
    for _ in range(2):
        try:
            preview_cmd.docx_sha256(Workspace(root), Workspace(root).resolve("10"))
        except BulletinError as exc:
            assert "cannot render" in exc.diagnostics[0].message
        else:
            raise AssertionError("a failed render gave a hash")
    monkeypatch.undo()
    assert preview_cmd.docx_sha256(Workspace(root), Workspace(root).resolve("10")) == _rendered(Workspace(root))
