"""Hostile and broken submissions given to `bulletin add`: refused in the CLI with exit status 1, a
message naming the file, no traceback, and the workspace byte for byte as it was."""
from __future__ import annotations

from pathlib import Path

import pytest
from examples.submissions import HOSTILE_DOCX, department_docx, linked_picture_docx, png
from robustness_support import (
    ISSUE,
    cli,
    docx_document,
    make_workspace,
    snapshot,
    temp_leftovers,
)


@pytest.fixture
def root(tmp_path) -> Path:
    return make_workspace(tmp_path / "ws")


@pytest.fixture
def base(tmp_path) -> Path:
    return department_docx(tmp_path / "base.docx")


HOSTILE = {case: (make, expected) for case, (make, expected, _) in HOSTILE_DOCX.items()}


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_docx_is_refused_and_changes_nothing(root, base, tmp_path, case):
    make, expected = HOSTILE[case]
    src = make(base, tmp_path / "来稿.docx")
    before = snapshot(root)
    done = cli(root, "add", "10", str(src))
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"{src}: ") and expected in line and " — " in line  # what is wrong — what to do
    assert snapshot(root) == before and temp_leftovers(root) == []


def test_a_linked_picture_is_skipped_with_a_note_and_its_target_never_read(root, base, tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(png(11, 7))
    src = linked_picture_docx(base, tmp_path / "linked.docx", secret.as_uri())
    done = cli(root, "add", "10", str(src))
    assert done.returncode == 0, done.stderr
    assert "linked picture(s) skipped" in done.stderr and "Traceback" not in done.stderr
    added = [root / line for line in done.stdout.split()]
    assert [p.suffix for p in added] == [".md"]
    assert not any(p.read_bytes() == secret.read_bytes() for p in (root / ISSUE).iterdir() if p.is_file())
    rendered = cli(root, "render", "10")
    assert rendered.returncode == 0, rendered.stderr
    out = Path(rendered.stdout.strip())
    docx_document((out if out.is_absolute() else root / out).read_bytes())


def test_an_interrupted_conversion_leaves_nothing(root, base, monkeypatch):
    import os

    from bulletin.commands import add as add_cmd
    from bulletin.store.workspace import Workspace

    before = snapshot(root)
    real = os.replace
    calls = [0]

    def replace_then_fail(src, dst):  # the picture lands, then the disk is full for the article
        calls[0] += 1
        if calls[0] == 2:
            raise OSError(28, "No space left on device")
        return real(src, dst)
    monkeypatch.setattr(os, "replace", replace_then_fail)
    with pytest.raises(OSError):
        add_cmd.add_articles(Workspace(root), "10", [base])
    monkeypatch.undo()
    after = snapshot(root)
    after.pop(".bulletin.lock", None)
    assert after == before and temp_leftovers(root) == []
