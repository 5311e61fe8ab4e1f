"""Paths that leave the issue folder — in issue.yaml's article list, in a picture reference, or through a
symlink — are refused by `check` and `render` with exit 1 and a message naming the file and line;
nothing is written and nothing from outside ends up in a document."""
from __future__ import annotations

import json
import subprocess
import zipfile
from pathlib import Path

import pytest
from robustness_support import (
    ARTICLE,
    ISSUE,
    cli,
    cli_in_process,
    document_text,
    docx_document,
    make_workspace,
    png,
    snapshot,
    temp_leftovers,
)

SECRET = png(9, 9)  # a real picture outside the issue folder; it must never be read into a document
OUTSIDE_ARTICLE = "---\ntitle: 外面的稿件\n---\n不应出现在简报里的内容。\n"

ISSUE_YAML = """\
number: 10
total: 30
date: 2026-11-20
kind: regular
status: draft
articles:
  - 01-article.md
  - {evil}
distribution:
  lists: [default]
"""
EVIL_LINE = 8

ARTICLE_TEXT = """\
---
title: 测试稿件
---
第一段。

![图片]({evil})

最后一段。
"""
PICTURE_LINE = 6


@pytest.fixture
def root(tmp_path) -> Path:
    """A workspace whose surroundings hold tempting targets: articles and pictures outside the issue
    folder (elsewhere in the workspace and outside it), reachable by `..`, absolute paths or symlinks."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "x.md").write_text(OUTSIDE_ARTICLE, encoding="utf-8")
    (outside / "secret.png").write_bytes(SECRET)
    root = make_workspace(tmp_path / "ws")
    for folder in (root, root / "issues", root / "issues" / "2026"):
        (folder / "x.md").write_text(OUTSIDE_ARTICLE, encoding="utf-8")
        (folder / "secret.png").write_bytes(SECRET)
    issue = root / ISSUE
    (issue / "sub").mkdir()
    (issue / "link.md").symlink_to(outside / "x.md")
    (issue / "ws-link.md").symlink_to(root / "x.md")
    (issue / "loop.md").symlink_to(issue / "loop.md")
    (issue / "link.png").symlink_to(outside / "secret.png")
    (issue / "loop.png").symlink_to(issue / "loop.png")
    (issue / "outdir").symlink_to(outside, target_is_directory=True)
    return root


def run_check_and_render(root: Path) -> list[subprocess.CompletedProcess]:
    """`check` and `render 10`, through the CLI's entry point in this process (the cases are many; the
    tests below that write a document run the real command line)."""
    return [cli_in_process(root, *args) for args in (["check"], ["render", "10"])]


def assert_refused(root: Path, before: dict, where: str, *needles: str) -> None:
    for done in run_check_and_render(root):
        assert done.returncode == 1, (done.args, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, done.stderr
        lines = [line for line in done.stderr.splitlines() if line.startswith(where)]
        assert lines, f"no message starting {where!r}:\n{done.stderr}"
        assert any(all(n in line for n in needles) for line in lines), (needles, done.stderr)
        assert done.stdout == ""
    assert snapshot(root) == before, "a refused command wrote something"
    assert temp_leftovers(root) == []
    assert not (root / "build").exists()


@pytest.mark.parametrize("name", [
    "../../x.md", "../../../x.md", "../../../../outside/x.md", "/etc/passwd", "sub/../../x.md",
    "..\\..\\x.md", "./../x.md", "link.md", "ws-link.md", "loop.md", "outdir/x.md", "a\x00.md", "x" * 300 + ".md",
])
def test_article_outside_the_issue_folder_is_refused(root, name):
    (root / ISSUE / "issue.yaml").write_text(ISSUE_YAML.format(evil=json.dumps(name)), encoding="utf-8")
    before = snapshot(root)
    # the message names issue.yaml and the line of the entry
    assert_refused(root, before, f"issues/2026/10/issue.yaml:{EVIL_LINE}: ")


@pytest.mark.parametrize("src", [
    "../../secret.png", "../secret.png", "../../../secret.png", "/etc/hosts", "link.png", "loop.png",
    "outdir/secret.png", "sub/../../../secret.png", "../../../../outside/secret.png", "<../../secret.png>",
    "%2e%2e/%2e%2e/secret.png", "..%2F..%2Fsecret.png", "http://example.org/secret.png", "/dev/zero", ".", "",
    "x" * 300 + ".png",
])
def test_picture_outside_the_issue_folder_is_refused(root, src):
    (root / ARTICLE).write_text(ARTICLE_TEXT.format(evil=src), encoding="utf-8")
    before = snapshot(root)
    # the message names the article and the line of the picture
    assert_refused(root, before, f"issues/2026/10/01-article.md:{PICTURE_LINE}: ", "picture")


# Names Windows reads as a device, another disk or another file. The files exist here (Linux allows
# them), so only the check can refuse them, and it must on every system: a workspace must render the
# same on the office's Windows PCs.
WINDOWS_ARTICLES = ["CON.md", "aux.md", "Nul.md", "prn.md", "COM1.md", "lpt9.md", "con.draft.md", "C:x.md",
                    "sub\\x.md"]


@pytest.mark.parametrize("name", WINDOWS_ARTICLES)
def test_article_name_windows_reads_otherwise_is_refused(root, name):
    (root / ISSUE / name).write_text("---\ntitle: 设备名\n---\n正文。\n", encoding="utf-8")
    (root / ISSUE / "issue.yaml").write_text(ISSUE_YAML.format(evil=json.dumps(name)), encoding="utf-8")
    before = snapshot(root)
    assert_refused(root, before, f"issues/2026/10/issue.yaml:{EVIL_LINE}: ", repr(name), "Windows")


WINDOWS_PICTURES = ["CON.png", "aux.png", "nul.png", "com3.png", "LPT1.png", "con.x.png", "photo.png.",
                    "sub./photo.png", "C:photo.png", "sub\\photo.png", "photo.png:x.png"]


@pytest.mark.parametrize("src", WINDOWS_PICTURES)
def test_picture_name_windows_reads_otherwise_is_refused(root, src):
    target = root / ISSUE / src
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(png(2, 2))
    (root / ARTICLE).write_text(ARTICLE_TEXT.format(evil=src.replace("\\", "\\\\")), encoding="utf-8")
    before = snapshot(root)
    assert_refused(root, before, f"issues/2026/10/01-article.md:{PICTURE_LINE}: ", "picture", "Windows")


@pytest.mark.parametrize("src", ["file:///etc/hosts", "javascript:alert(1)", "FILE:../../secret.png"])
def test_picture_with_a_forbidden_scheme_is_never_read(root, src):
    """markdown-it does not take `file:`/`javascript:` destinations as pictures: the line stays text,
    printed as written, and no file is read into the document."""
    (root / ARTICLE).write_text(ARTICLE_TEXT.format(evil=src), encoding="utf-8")
    done = cli(root, "render", "10")
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    with zipfile.ZipFile(done.stdout.strip()) as z:
        assert not [n for n in z.namelist() if n.startswith("word/media/")]
    assert f"![图片]({src})" in document_text(docx_document(Path(done.stdout.strip()).read_bytes()))


def test_picture_inside_the_issue_folder_is_used(root):
    """The refusals above are about the path, not pictures as such: one beside the article goes in,
    also under a Chinese file name (written as is or percent-encoded)."""
    issue = root / ISSUE
    (issue / "照片.png").write_bytes(png(2, 2))
    text = ARTICLE_TEXT.format(evil="照片.png") + "\n![](%E7%85%A7%E7%89%87.png)\n"
    (root / ARTICLE).write_text(text, encoding="utf-8")
    done = cli(root, "render", "10")
    assert done.returncode == 0, done.stderr
    with zipfile.ZipFile(done.stdout.strip()) as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert [z.read(n) for n in media] == [png(2, 2)]


@pytest.mark.parametrize("out", ["/dev/null/x.docx", "build/issue.pdf"])
def test_unwritable_output_is_a_clean_error(root, out):
    before = snapshot(root)
    done = cli(root, "render", "10", "-o", out if out.startswith("/") else str(root / out))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr, done.stderr
    assert out.split("/")[-1] in done.stderr
    assert snapshot(root) == before


def test_output_into_an_existing_folder_keeps_the_usual_name(root):
    target = root / "to-print"
    target.mkdir()
    done = cli(root, "render", "10", "-o", str(target))
    assert done.returncode == 0, done.stderr
    written = [p.name for p in target.iterdir()]
    assert len(written) == 1 and written[0].endswith("第10期.docx")
    assert done.stdout.strip() == str(target / written[0])


# --- names that `bulletin add` gives copied articles -----------------------------------------------

def _add_then_check(root: Path, src: Path, section: str = "") -> list:
    from bulletin.commands import add as add_cmd
    from bulletin.commands import check as check_cmd
    from bulletin.store.workspace import Workspace

    add_cmd.add_articles(Workspace(root), "10", [src], section)
    return [d for d in check_cmd.check(Workspace(root), "10") if d.severity == "error"]


@pytest.mark.parametrize("name", ["Report.MD", "稿件 一.md", "a:b.md", ".hidden.md", "a*b?.md", "..md"])
def test_added_article_keeps_the_issue_valid(root, tmp_path, name):
    src = tmp_path / "in" / name
    src.parent.mkdir()
    src.write_text("---\ntitle: 新稿件\n---\n正文。\n", encoding="utf-8")
    assert _add_then_check(root, src) == []
    from bulletin.store.workspace import Workspace

    meta, _ = Workspace(root).load_issue(Workspace(root).resolve("10"))
    added = meta.articles[-1]
    assert not added.startswith(".") and (root / ISSUE / added).read_text(encoding="utf-8") == src.read_text(
        encoding="utf-8")


@pytest.mark.parametrize("section", ["#专栏", "经验: 交流", "[专栏]", "'引号'", "yes"])
def test_added_section_is_quoted(root, tmp_path, section):
    from bulletin.store.workspace import Workspace

    src = tmp_path / "sec.md"
    src.write_text("---\ntitle: 新稿件\n---\n正文。\n", encoding="utf-8")
    assert _add_then_check(root, src, section) == []
    ws = Workspace(root)
    meta, _ = ws.load_issue(ws.resolve("10"))
    article, _ = ws.load_article(root / ISSUE / meta.articles[-1])
    assert (article.title, article.section) == ("新稿件", section)
