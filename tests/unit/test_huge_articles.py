"""Huge article files: parsing is linear in the size, and a file above 2 MB is refused before it is read."""
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from examples.generate import write_workspace  # noqa: E402

import bulletin.content.markdown as markdown  # noqa: E402
from bulletin.content.compose import compose_issue  # noqa: E402
from bulletin.errors import BulletinError  # noqa: E402
from bulletin.store.workspace import Workspace  # noqa: E402

LINE = "政务公开工作**取得新进展**，各地各部门认真落实Open Data要求"  # 37 characters, a bold word


def _one_paragraph(lines: int) -> str:
    """One paragraph of `lines` lines joined by soft breaks: the worst case for soft-break resolution."""
    return "\n".join([LINE] * lines)


class _Counter:
    """Wraps cjk.join_soft_break as markdown uses it, adding up how many characters it is shown."""

    def __init__(self, monkeypatch):
        self.chars = 0
        real = markdown.join_soft_break

        def counting(left: str, right: str) -> str:
            self.chars += len(left) + len(right)
            return real(left, right)

        monkeypatch.setattr(markdown, "join_soft_break", counting)


@pytest.mark.parametrize("lines", [200, 2000])
def test_soft_breaks_look_at_their_neighbours_only(monkeypatch, lines):
    counter = _Counter(monkeypatch)
    [paragraph] = markdown.parse_markdown(_one_paragraph(lines))
    assert "\x00" not in paragraph.text and paragraph.text.count("取得新进展") == lines
    # each break is judged by the two characters beside it, never by the text before it
    assert counter.chars <= 2 * lines


def test_a_paragraph_of_many_lines_joins_like_a_short_one():
    [short] = markdown.parse_markdown("第一行\nsecond line\n第三行 **粗体**\n  end")
    assert "".join(r.text for r in short.runs) == "第一行second line第三行 粗体end"
    [long] = markdown.parse_markdown(_one_paragraph(3))
    assert long.text == LINE.replace("**", "") * 3
    assert [r.bold for r in long.runs] == [False, True] * 3 + [False]


def _workspace(tmp_path, body: str) -> Workspace:
    return Workspace.find(write_workspace(tmp_path / "ws", articles=[dict(title="大文件", body=body)]))


def test_a_one_megabyte_article_composes(tmp_path):
    body = "\n\n".join([_one_paragraph(100)] * 130)   # about 1.1 MB in 130 paragraphs of 100 lines
    assert 1_000_000 < len(body.encode()) < 2_000_000
    ws = _workspace(tmp_path, body)
    issue = compose_issue(ws, ws.resolve("10"))
    assert len(issue.articles[0].blocks) == 130


def test_an_article_above_two_megabytes_is_refused_before_it_is_read(tmp_path, monkeypatch):
    ws = _workspace(tmp_path, "正文。")
    path = ws.issue_dir(ws.resolve("10")) / "01-article.md"
    path.write_bytes(path.read_bytes() + b"\n\n" + "政务公开。".encode() * 140_000)  # 2.1 MB
    assert path.stat().st_size > 2_100_000
    import bulletin.store.loaders as loaders
    real = loaders.read_text

    def never(read: Path) -> str:
        assert Path(read) != path, "a file above the limit was read"
        return real(read)

    monkeypatch.setattr(loaders, "read_text", never)
    with pytest.raises(BulletinError) as ei:
        compose_issue(ws, ws.resolve("10"))
    [d] = ei.value.diagnostics
    assert d.path.endswith("01-article.md") and "2 MB" in d.message and "2.1 MB" in d.message
