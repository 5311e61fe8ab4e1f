"""Hostile and broken submissions given to `bulletin add`: refused in the CLI with exit status 1, a
message naming the file, no traceback, and the workspace byte for byte as it was."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from examples.submissions import HOSTILE_DOCX, department_docx, linked_picture_docx, png
from robustness_support import (
    ISSUE,
    cli,
    cli_env,
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


# The same refusals in Chinese: the words each must hold.
HOSTILE_ZH = {
    "zip-bomb": "的压缩比为", "forged-size": "的压缩比为", "understated-size": "文件已损坏：",
    "too-many-entries": "个部件，超过 Word 文档所需的2,000个", "encrypted-entry": "文件已加密（部件“",
    "macros": "文件含有宏（VBA）", "ole-doc-renamed": "旧格式 Word 或 WPS 文件", "garbage": "（不是 zip 包）",
    "empty-file": "文件是空的（0字节）", "spreadsheet-renamed": "改用 Word 文件名的 Excel 工作簿",
    "presentation-renamed": "改用 Word 文件名的 PowerPoint 演示文稿",
    "opendocument-renamed": "改用 Word 文件名的 OpenDocument 文件", "zip-archive": "这是 zip 压缩包，不是 Word 文档",
}


def _cli_zh(ws: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), *args],
                          capture_output=True, text=True, timeout=60, env={**cli_env(), "BULLETIN_LANG": "zh"})


def test_every_hostile_case_has_its_chinese_words():
    assert set(HOSTILE_ZH) == set(HOSTILE)


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_docx_is_refused_in_chinese_and_changes_nothing(root, base, tmp_path, case):
    make, english = HOSTILE[case]
    src = make(base, tmp_path / "来稿.docx")
    before = snapshot(root)
    done = _cli_zh(root, "add", "10", str(src))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"{src}: ") and HOSTILE_ZH[case] in line and english not in line, line
    assert "请" in line  # what to do, in Chinese too
    assert snapshot(root) == before and temp_leftovers(root) == []


def test_a_linked_picture_is_noted_in_chinese(root, base, tmp_path):
    src = linked_picture_docx(base, tmp_path / "链接.docx", (tmp_path / "secret.png").as_uri())
    done = _cli_zh(root, "add", "10", str(src))
    assert done.returncode == 0, done.stderr
    note = next(line for line in done.stderr.splitlines() if "链接的图片" in line)
    assert note.startswith(f"{src}: ") and "跳过1张链接的图片：" in note and "linked picture" not in note


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
