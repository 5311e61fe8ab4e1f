"""Property tests: whatever an article or issue.yaml holds, `check` and `render` either succeed with a
well-formed .docx or refuse with diagnostics that name a file and say what is wrong — never a traceback.

The pipeline is called in-process (one workspace per test, the file under test rewritten per example);
a smaller test runs the real command line in a subprocess.
"""
from __future__ import annotations

import io
import json
import operator
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from robustness_support import (
    ARTICLE,
    ISSUE,
    assert_clean_error,
    cli_env,
    document_text,
    docx_document,
    example_count,
    make_workspace,
    png,
)

from bulletin.commands import check as check_cmd
from bulletin.commands import render as render_cmd
from bulletin.errors import BulletinError
from bulletin.store.workspace import Workspace

SETTINGS = dict(deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# --- the workspace ---------------------------------------------------------------------------------


SECRETS = {png(5, 5), png(6, 6), png(7, 7)}  # pictures outside the issue folder


@pytest.fixture
def workspace(tmp_path) -> Path:
    """Issue 10 with pictures good and bad beside its article, and secrets outside the issue folder.
    Each test reuses it, rewriting one file per example."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(png(5, 5))
    root = make_workspace(tmp_path / "ws")
    (root / "secret.png").write_bytes(png(6, 6))
    (root / "issues" / "secret.png").write_bytes(png(7, 7))
    folder = root / ISSUE
    (folder / "photo.png").write_bytes(png())
    (folder / "照片.png").write_bytes(png(3, 4))
    (folder / "bad.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really a picture")
    (folder / "zero.png").write_bytes(png(0, 0))
    (folder / "notes.txt").write_text("不是图片", encoding="utf-8")
    (folder / "link.png").symlink_to(outside / "secret.png")
    (folder / "loop.png").symlink_to(folder / "loop.png")
    return root


_WORKSPACES: dict[Path, Workspace] = {}


def _workspace(root: Path) -> Workspace:
    """One Workspace object per test: bulletin.toml and recipients.yaml are read once (cached), the
    article is read anew by every check and render; issue.yaml is forgotten where a test rewrites it."""
    if root not in _WORKSPACES:
        _WORKSPACES.clear()
        _WORKSPACES[root] = Workspace(root)
    return _WORKSPACES[root]


# --- strategies ------------------------------------------------------------------------------------

ANY_CHAR = st.characters(exclude_categories=())  # every code point, lone surrogates included
CONTROLS = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "\uffff"]
MARKDOWN = [
    "\n", "\n\n", "\r\n", "\r", " ", "  \n", "\t", "　", "**", "*", "_", "`", "```\n", "~~~", "\\", "\\*",
    "# ", "## ", "### ", "#### ", "##### ", "####### ", "===\n", "---\n", "...\n", "> ", "- ", "* ", "+ ",
    "1. ", "2) ", "99999999. ", "    ", "[", "]", "(", ")", "[a](b)", "<http://x.cn>", "<b>", "</p>", "<!--",
    "&amp;", "&#12;", "&#x0C;", "&#11;", "&#0;", "&#13;", "&#xD800;", "&#xFFFE;", "&#x10FFFF;", "&#128512;",
    "&#x2028;", "&#133;", "&nbsp;", "&lt;w:t&gt;", "]]>", "<w:t>", "\"", "'", "&", "<", ">",
    "一、", "（一）", "1.", "**“一网通办”**改革", "中文", "政务公开", "：", "“", "”", "——", "……", "×", "·",
    "مرحبا", "שלום", "\u202e", "\u200f", "\u200b", "\u2066", "e\u0301", "\u0301\u0301\u0301", "a\u20dd",
    "😀", "👨\u200d👩\u200d👧", "🇨🇳", "\U0010ffff", "\U000e0001", "\ud800", "\udc80", "\udfff", "\ud83d",
    "![](photo.png)", "![说明](photo.png)", "![](照片.png)", "![](%E7%85%A7%E7%89%87.png)", "![](bad.png)",
    "![](zero.png)", "![](notes.txt)", "![](link.png)", "![](loop.png)", "![](missing.jpg)", "![]()",
    "![](../../secret.png)", "![](../../../secret.png)", "![](../../../../outside/secret.png)", "![](/etc/hosts)", "![](/dev/zero)",
    "![](.)", "![](%2e%2e/%2e%2e/%2e%2e/secret.png)", "![](file:///etc/hosts)", "![](http://x.cn/a.png)",
    "![](photo.png \"title\")", "![&#12;](photo.png)", "![**b**](photo.png)", "![](<照片.png>)",
    "![](" + "a" * 300 + ".png)", "![](a%00.png)", "![](photo.png)后文", "# ![](photo.png)",
]
LONG_UNITS = ["中", "a", " ", "*", "**a", "[", "![", "`", "e\u0301", "😀", "a\n", "&#12;", "一、", "\t", "\x0b"]

long_run = st.builds(operator.mul, st.sampled_from(LONG_UNITS), st.integers(200, 4000))
body_piece = st.one_of(st.sampled_from(MARKDOWN), st.sampled_from(CONTROLS), st.text(ANY_CHAR, max_size=12),
                       long_run, st.binary(min_size=1, max_size=4))
body_pieces = st.lists(body_piece, max_size=30)


def encode(pieces, errors: str) -> bytes:
    """Text pieces as UTF-8 bytes: lone surrogates via `errors` (surrogateescape turns \\udc80–\\udcff
    into raw bytes, others fall back to surrogatepass); bytes pieces are written as they are."""
    out = []
    for piece in pieces:
        if isinstance(piece, bytes):
            out.append(piece)
            continue
        try:
            out.append(piece.encode("utf-8", errors))
        except UnicodeEncodeError:
            out.append(piece.encode("utf-8", "surrogatepass"))
    return b"".join(out)


SAFE_TITLE = st.text(st.sampled_from("政务公开工作简报我市区县召开会议ABCxyz0123（）“”—…·×《》、，。！"),
                     min_size=1, max_size=30)
TYPED = [
    "42", "-1", "0", "3.14", "1e999", ".nan", ".inf", "true", "no", "null", "~", "", "[]", "{}", "[a, b]",
    "{a: 1}", "[1, [2, [3]]]", "2009-12-01", "2009-13-01", "2009-02-30", "2009-12-01T25:00:00",
    "2009-12-01 10:00:00 +25:00", "0x1F", "0o17", "0b101", "1_000", "!!binary aGVsbG8=", "!!binary /w==",
    "!!binary ***", "!!str 12", "!!int x", "!!float abc", "!!bool maybe", "!!timestamp 2009-99-99",
    "!!null x", "!!set {a, b}", "!!omap [a: 1]", "!!map [a]", "!custom x", "!!python/object:os.system x",
    "&a 标题", "*a", "*undefined", "'unterminated", '"unterminated', "|", ">", "|-\n  行一\n  行二", ">+\n",
    "- a", "? x", "@x", "`x", "%x", ": x", "#comment", "'", '"', '"\\ud800"', '"\\x00"', '"\\x0c\\x0b\\a"',
    '"\\u2028\\u2029\\x85"', '"\\U0001F600"', '"\\N\\_\\L\\P"', '"\\uFFFE\\uFFFF\\uFEFF"', '"\\q"', '"\\x7f"',
    '"a\\tb"', '"\\t"', '"  "', '"　"', "1" * 5000, "[" * 300, "{a: [" * 100, "&x [*x]", "<<: {a: 1}",
    "{title: x}", "a: b: c", "a #b", "a: b", "'a''b'", "\t", "\x00", "\x07", "\x85", "\ud800",
]


@st.composite
def yaml_value(draw):
    """(YAML source of a value, the title it must print as when it is accepted — None if unknown)."""
    kind = draw(st.sampled_from(["safe", "safe", "json", "single", "raw", "block", "typed", "typed"]))
    if kind == "safe":
        text = draw(SAFE_TITLE)
        return json.dumps(text, ensure_ascii=draw(st.booleans())), text
    if kind == "json":
        return json.dumps(draw(st.text(ANY_CHAR, max_size=20)), ensure_ascii=draw(st.booleans())), None
    if kind == "single":
        return "'" + draw(st.text(ANY_CHAR, max_size=20)).replace("'", "''") + "'", None
    if kind == "raw":
        alphabet = st.one_of(ANY_CHAR, st.sampled_from(list(":#'\"{}[],&*!|>%@`-?\n\r\t ")))
        return draw(st.text(alphabet, max_size=20)), None
    if kind == "block":
        lines = draw(st.lists(st.text(ANY_CHAR, max_size=10), min_size=1, max_size=4))
        return draw(st.sampled_from(["|", ">", "|-", ">+", "|2"])) + "\n" + "\n".join("  " + x for x in lines), None
    return draw(st.sampled_from(TYPED)), None


KEYS = ["title", "source", "section", "author", "titel", "Title", "标题", "sources", "", "? x", "<<", "true",
        "1", "null", "'title'", '"title"', "title ", " title", "- title", "[a]", "{a: 1}", "&k title", "*k"]


@st.composite
def front_matter_article(draw):
    """(pieces of an article file, the title it must print when accepted — None if unknown)."""
    fields = []
    expected = None
    if draw(st.integers(0, 9)) > 0:  # mostly with a title first
        value, expected = draw(yaml_value())
        fields.append(("title", value))
    for _ in range(draw(st.integers(0, 4))):
        key = draw(st.one_of(st.sampled_from(KEYS), st.text(ANY_CHAR, max_size=6)))
        value, _ = draw(yaml_value())
        fields.append((key, value))
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    opening = draw(st.sampled_from(["---", "---", "---", "--- ", "\ufeff---", "----", "", "# x"]))
    closing = draw(st.sampled_from(["---", "---", "---", "...", "---  ", "", "-- -"]))
    body = draw(st.sampled_from(["正文。", "", "# 标题\n\n正文**加粗**。", "![](photo.png)", "a\x00b\x0bc\x0cd"]))
    lines = [opening] + [f"{k}: {v}" if k is not None else v for k, v in fields] + [closing, body]
    return [newline.join(lines) + newline], expected


# --- the property ----------------------------------------------------------------------------------

def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


def check_and_render(ws: Workspace, out: Path | None = None):
    """check and render issue 10 in-process; returns (document.xml root or None, check's errors).

    Either the .docx is written and well formed, or a BulletinError carries clean diagnostics — the same
    errors `check` reported. Any other exception fails the test.
    """
    found = check_cmd.check(ws, "10")
    for d in found:
        assert d.path.strip() and d.message.strip(), d
    errors = [d for d in found if d.severity == "error"]
    try:
        if out is None:
            data = render_cmd.build_docx(ws, ws.resolve("10"))
        else:
            report = render_cmd.render(ws, "10", out)
            assert report.path == out
            data = out.read_bytes()
    except BulletinError as exc:
        assert_clean_error(exc)
        assert errors, f"check passed but render refused: {exc}"
        assert set(exc.diagnostics) <= set(errors), (exc.diagnostics, errors)
        if out is not None:
            assert not out.exists(), "a refused render wrote its output"
        return None, errors
    assert not errors, f"check reported {errors} but render succeeded"
    document = docx_document(data)
    with zipfile.ZipFile(io.BytesIO(data)) as z:  # no picture from outside the issue folder went in
        assert not SECRETS & {z.read(n) for n in z.namelist() if n.startswith("word/media/")}
    return document, errors


def _lines_of(data: bytes) -> int:
    try:
        return len(data.decode("utf-8-sig").splitlines()) + 1
    except UnicodeDecodeError:
        return data.count(b"\n") + 1


def assert_errors_point_at(errors, name: str, data: bytes) -> None:
    """Every error names the file under test and, when it gives a line, one that the file has."""
    for d in errors:
        assert d.path.endswith(name), d
        if d.line is not None:
            assert 1 <= d.line <= _lines_of(data), (d, _lines_of(data))


@settings(**SETTINGS)
@given(pieces=body_pieces, errors=st.sampled_from(["surrogatepass", "surrogateescape"]),
       title=st.sampled_from(["测试", "“一网通办”改革——×", "a\x0bb", "**粗**"]))
def test_any_article_body_renders_or_fails_cleanly(workspace, pieces, errors, title):
    ws = _workspace(workspace)
    out = workspace.parent / "out.docx"
    out.unlink(missing_ok=True)
    data = f"---\ntitle: {json.dumps(title)}\nsource: 市政府办公室\nsection: 工作动态\n---\n".encode() \
        + encode(pieces, errors)
    (workspace / ARTICLE).write_bytes(data)

    document, errors_found = check_and_render(ws, out)
    assert_errors_point_at(errors_found, "01-article.md", data)
    if not _is_utf8(data):
        assert document is None and any("UTF-8" in d.message for d in errors_found), errors_found
    if document is not None:
        printed = {"测试": "测试", "“一网通办”改革——×": "“一网通办”改革——×", "a\x0bb": "a b", "**粗**": "**粗**"}
        assert printed[title] in document_text(document)


@settings(**SETTINGS)
@given(article=front_matter_article(), errors=st.sampled_from(["surrogatepass", "surrogateescape"]))
def test_any_front_matter_renders_or_fails_cleanly(workspace, article, errors):
    ws = _workspace(workspace)
    pieces, expected_title = article
    data = encode(pieces, errors)
    (workspace / ARTICLE).write_bytes(data)

    document, errors_found = check_and_render(ws)
    assert_errors_point_at(errors_found, "01-article.md", data)
    if not _is_utf8(data):
        assert document is None
    if document is not None and expected_title is not None:
        assert expected_title in document_text(document)


@st.composite
def issue_yaml(draw):
    """issue.yaml of issue 10 with random theme, editor's note, people, extra recipients and copies."""
    kind = draw(st.sampled_from(["regular", "regular", "special", "supplement"]))
    lines = ["number: 10"]
    if kind == "regular":
        lines.append("total: 30")
    lines += ["date: 2026-11-20", f"kind: {kind}"]
    for key in draw(st.lists(st.sampled_from(["theme", "editor_note", "copies", "status", "extra_key"]),
                             max_size=4, unique=True)):
        lines.append(f"{key}: {draw(yaml_value())[0]}")
    if draw(st.booleans()):
        note = encode(draw(st.lists(st.one_of(st.sampled_from(MARKDOWN), st.sampled_from(CONTROLS)),
                                    max_size=12)), "surrogatepass").decode("utf-8", "replace")
        lines.append(f"editor_note: {json.dumps(note, ensure_ascii=draw(st.booleans()))}")
    lines.append("articles:\n  - 01-article.md")
    lines.append("distribution:\n  lists: [default]")
    if draw(st.booleans()):
        lines.append(f"  extra: [{draw(yaml_value())[0]}]")
    if draw(st.booleans()):
        people = ", ".join(f"{k}: {draw(yaml_value())[0]}" for k in ("editor", "reviewer", "signer"))
        lines.append(f"people: {{ {people} }}")
    return "\n".join(lines) + "\n"


@settings(**SETTINGS)
@given(text=issue_yaml(), errors=st.sampled_from(["surrogatepass", "surrogateescape"]))
def test_any_issue_yaml_renders_or_fails_cleanly(workspace, text, errors):
    ws = _workspace(workspace)
    data = encode([text], errors)
    (workspace / ISSUE / "issue.yaml").write_bytes(data)
    ws.forget_issue(ws.resolve("10"))
    try:
        document, errors_found = check_and_render(ws)
    except BulletinError as exc:  # resolve/load of issue.yaml itself refused: clean, and about that file
        assert_clean_error(exc)
        errors_found = exc.diagnostics
    assert_errors_point_at(errors_found, "issue.yaml", data)


# --- the command line ------------------------------------------------------------------------------

@settings(max_examples=example_count(share=10), **SETTINGS)  # two processes an example: 200 under CI
@given(body=body_pieces, front=front_matter_article(),
       errors=st.sampled_from(["surrogatepass", "surrogateescape"]))
def test_cli_check_and_render_exit_0_or_1_without_traceback(workspace, body, front, errors):
    data = encode(front[0] + body, errors)
    (workspace / ARTICLE).write_bytes(data)
    base = [sys.executable, "-m", "bulletin.cli", "--workspace", str(workspace)]
    # check and render read the same sources; run them side by side to halve the wall time
    procs = [subprocess.Popen(base + args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env())
             for args in (["check", "10"], ["render", "10"])]
    results = [(p.communicate(timeout=120), p.returncode) for p in procs]
    for (out, err), code in results:
        err_text = err.decode("utf-8", "replace")
        assert code in (0, 1), (code, err_text)
        assert "Traceback" not in err_text, err_text
        if code == 1:
            assert err_text.strip(), "exit 1 without a message"
    (check_out, check_err), check_code = results[0]
    (render_out, render_err), render_code = results[1]
    assert check_code == render_code, (check_err.decode(errors="replace"), render_err.decode(errors="replace"))
    if render_code == 0:
        path = Path(render_out.decode().strip())
        docx_document(path.read_bytes())
        os.unlink(path)


# --- the Markdown reader alone ---------------------------------------------------------------------

@settings(**SETTINGS)
@given(items=st.lists(st.one_of(st.just(""), st.text(st.sampled_from("政务公开abc"), min_size=1, max_size=5)),
                      min_size=1, max_size=6), start=st.integers(1, 20))
def test_ordered_list_numbers_stay_with_their_items(items, start):
    """`2.` with nothing after it prints nothing; its number never moves onto the next item's text."""
    from bulletin.content.markdown import parse_markdown

    text = "\n".join(f"{start + i}. {item}".rstrip() for i, item in enumerate(items))
    got = [block.text for block in parse_markdown(text)]
    assert got == [f"{start + i}.{item}" for i, item in enumerate(items) if item]
