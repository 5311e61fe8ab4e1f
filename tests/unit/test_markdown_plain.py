"""Plain bodies (paragraphs, `#` headings, `**bold**`) are read without markdown-it: into the same
blocks, line numbers included, as markdown-it's tokens give; every other body still goes to it."""
from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin.content import markdown
from bulletin.content.markdown import parse_markdown

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from examples.generate import PHRASES, article_text, sentence  # noqa: E402


def through_markdown_it(text: str, monkeypatch) -> list:
    with monkeypatch.context() as patch:
        patch.setattr(markdown, "_plain_tokens", lambda text: None)
        return parse_markdown(text, 3)


def same_blocks(text: str, monkeypatch) -> None:
    assert parse_markdown(text, 3) == through_markdown_it(text, monkeypatch), repr(text)


def bodies_in_repository() -> list[str]:
    from bulletin.store.loaders import parse_front_matter

    out = []
    for path in sorted(REPO.glob("issues/**/*.md")):
        out.append(parse_front_matter(path.read_text(encoding="utf-8"), path).body)
    for path in sorted(REPO.glob("docs/**/*.md")) + [REPO / "README.md"]:  # Markdown of every kind
        out.append(path.read_text(encoding="utf-8"))
    return out


def test_the_demo_articles_are_plain_and_read_alike(monkeypatch):
    bodies = bodies_in_repository()
    demo = [b for b, p in zip(bodies, sorted(REPO.glob("issues/**/*.md"))) if "2026/10" in p.as_posix()]
    assert demo and all(markdown._plain_tokens(b) is not None for b in demo)
    for body in bodies:
        same_blocks(body, monkeypatch)


def test_generated_articles_read_alike(monkeypatch):
    rng = random.Random(15)
    for n in range(60):
        text = article_text(rng, "标题", rng.randint(1, 8), headings=bool(n % 2))
        same_blocks(text.split("\n---\n", 1)[-1], monkeypatch)


# Pieces of lines that are plain, that look plain but are not, and that are markdown-it's alone.
PIECES = ["今年以来，我市坚持以公开促落实", "**一是加强领导**，", "**“一网通办”**改革", "*注*：", "2026年", "1. 第一",
          "2) 第二", "1.5亿元", "# 一级", "## 二级", "###### 六级", "####### 七级", "#没有空格", "# 标题 #", "#  两个空格",
          "* 列表", "- 列表", "+ 列表", "***", "---", "===", "___", "> 引用", "    缩进代码", "\t制表", "尾随空格  ",
          "尾随一个 ", "\u3000\u3000全角缩进", "全角结尾\u3000", "a\\*b", "`代码`", "<http://a.b>", "[链接](a.md)",
          "![图](a.png)", "&amp;", "| 表 | 格 |", "|---|---|", "~~~", "```", "\x0c", "\u2028", "\u00a0", "", "", "",
          "2 * 3 = 6，4 * 5", "**", "*", "# ", "#\u3000", "\u3000", " ", "Windows\r"]


def test_mixtures_of_tricky_lines_read_alike(monkeypatch):
    rng = random.Random(2026)
    for _ in range(1500):
        lines = [rng.choice(PIECES) if rng.random() < 0.6 else sentence(rng, rng.randint(5, 40))
                 for _ in range(rng.randint(1, 9))]
        same_blocks("\n".join(lines) + rng.choice(["", "\n", "\n\n"]), monkeypatch)


@pytest.mark.parametrize("text", ["一\n* 二", "一\n1. 二", "一\n---", "一\n===", "段\n# 标题\n段", "\u3000\n正文\n\u3000",
                                  "a  \nb", "a\\\nb", "[x]: http://a\n\n正文", "一\n    二"])
def test_edge_cases_read_alike(text, monkeypatch):
    same_blocks(text, monkeypatch)


def test_render_of_the_demo_does_not_import_markdown_it(tmp_path):
    code = ("import sys\nfrom bulletin.cli import main\ntry:\n    main()\nexcept SystemExit as exc:\n"
            "    assert not exc.code, exc.code\nprint('markdown_it' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code, "--workspace", str(REPO), "render", "10", "-o",
                           str(tmp_path / "demo.docx")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "False"
