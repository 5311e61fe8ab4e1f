"""Rendering: the output path, byte-identical output, Word's control characters, an issue without articles."""
from __future__ import annotations

import re
import time
import zipfile
from pathlib import Path

import pytest
from cli_support import (
    ARTICLE_2,
    ISSUE_DIR,
    ISSUE_YAML,
    ok,
    run,
    snapshot,
    write_workspace,
)

CONTROL = ["\x0b", "\x0c", "\x07", "\x00"]


def _document_xml(path) -> str:
    with zipfile.ZipFile(path) as docx:
        return docx.read("word/document.xml").decode("utf-8")


def _all_xml(path) -> dict[str, str]:
    with zipfile.ZipFile(path) as docx:
        return {n: docx.read(n).decode("utf-8") for n in docx.namelist() if n.endswith((".xml", ".rels"))}


def test_render_writes_build_docx_and_prints_its_path(ws):
    done = ok(run("render", "10", workspace=ws))
    printed = done.stdout.strip()
    assert printed.endswith("-2026-第10期.docx")
    path = ws / "build" / "测试简报-2026-第10期.docx"
    assert path.is_file()
    shown = Path(printed) if Path(printed).is_absolute() else ws / printed
    assert shown.resolve() == path.resolve()
    plain = re.sub(r"<[^>]+>", "", _document_xml(path))
    for needle in ("我市深化政务公开工作取得新成效", "市税务局推进税费政策公开", "一、加强领导", "市税务局供稿"):
        assert needle in plain, needle
    # nothing but build/ changed
    assert {p.relative_to(ws).parts[0] for p in ws.rglob("*")} <= {"bulletin.toml", "recipients.yaml",
                                                                   "issues", "build"}


def test_render_twice_is_byte_identical(ws, tmp_path):
    first = ok(run("render", "10", workspace=ws)).stdout.strip()
    data1 = (ws / "build" / "测试简报-2026-第10期.docx").read_bytes()
    time.sleep(1.1)  # a timestamp in the package would differ now
    second = ok(run("render", "10", workspace=ws)).stdout.strip()
    assert first == second
    data2 = (ws / "build" / "测试简报-2026-第10期.docx").read_bytes()
    out = tmp_path / "elsewhere" / "copy.docx"
    ok(run("render", "2026-10", "-o", out, workspace=ws))
    assert data1 == data2
    assert out.read_bytes() == data1


def test_render_o_writes_only_there(ws, tmp_path):
    out = tmp_path / "out.docx"
    done = ok(run("render", "10", "-o", out, workspace=ws))
    assert done.stdout.strip() == str(out)
    assert out.is_file() and zipfile.is_zipfile(out)
    assert not (ws / "build").exists()


@pytest.fixture(scope="module")
def word(tmp_path_factory):
    """Article text pasted from Word (manual line break, page break, bell, NUL), checked and rendered once."""
    body = ("---\ntitle: 控制字符\x07测试\x00文章\nsection: 工作动态\n---\n\n"
            "第一段开头\x0b第一段换行后\x07的文字\x00。\n\n"
            "第二段\x0c分页之后的文字。\n\n"
            "# 加强\x0b领导\n\n正文\x00内容。\n")
    ws = write_workspace(tmp_path_factory.mktemp("word") / "ws",
                         articles={"01-first.md": body, "02-second.md": ARTICLE_2})
    before = snapshot(ws)
    checked = run("check", workspace=ws)
    rendered = run("render", "10", workspace=ws)
    return ws, before, checked, rendered


def test_word_control_characters_never_reach_the_docx(word):
    ws, before, checked, rendered = word
    ok(checked)
    assert "0 error(s)" in checked.stderr or "ok" in checked.stderr
    ok(rendered)
    path = ws / "build" / "测试简报-2026-第10期.docx"
    for name, xml in _all_xml(path).items():
        for ch in CONTROL:
            assert ch not in xml, (name, repr(ch))
    plain = re.sub(r"<[^>]+>", "", _document_xml(path))
    for words in ("第一段开头", "第一段换行后", "的文字", "分页之后的文字", "正文内容", "控制字符测试文章"):
        assert words in plain, words
    # the sources are not rewritten by rendering
    after = snapshot(ws)
    assert {k: v for k, v in after.items() if not k.startswith("build")} == before


def test_word_line_break_becomes_a_line_or_paragraph_break(word):
    ws, _, _, rendered = word
    ok(rendered)
    text = _document_xml(ws / "build" / "测试简报-2026-第10期.docx")
    start = text.index("第一段开头")
    between = text[start:text.index("第一段换行后", start)]
    assert "<w:br" in between or "</w:p>" in between, between


def test_issue_without_articles_checks_with_a_warning_and_renders(tmp_path):
    empty = ISSUE_YAML.replace("articles:\n  - 01-first.md\n  - 02-second.md\n", "articles: []\n")
    root = write_workspace(tmp_path / "ws", issue_yaml=empty, articles={})
    checked = run("check", workspace=root)
    assert checked.returncode == 0, checked.stderr
    assert "Traceback" not in checked.stderr
    warnings = [line for line in checked.stderr.splitlines() if "warning" in line and "issue.yaml" in line]
    assert warnings, checked.stderr
    assert re.match(rf"^{re.escape(str(ISSUE_DIR / 'issue.yaml'))}:7: warning: .*no articles", warnings[0])
    done = ok(run("render", "10", workspace=root))
    assert done.stdout.strip().endswith("-2026-第10期.docx")
    assert (root / "build" / "测试简报-2026-第10期.docx").is_file()
