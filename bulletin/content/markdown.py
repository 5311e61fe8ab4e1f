"""Markdown reader: article bodies → blocks, with CJK-aware emphasis and soft breaks.

markdown-it-py parses the block structure; its emphasis rule is switched off and replaced by our own
pairing of `*`/`**`, because CommonMark's flanking rules refuse `**“一网通办”**改革` (a closing `**`
after punctuation and before a Han character is not right-flanking).

Most articles are nothing but paragraphs, `#` headings and `**bold**`: those are read without
markdown-it (`_plain_tokens`), into the tokens markdown-it would make of them, because importing it
is about 13 ms of a 150 ms `render`. Anything else in the text sends the whole body to markdown-it.
"""
from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import unquote

from bulletin.cjk import clean_text, join_soft_break
from bulletin.content.blocks import Block, Heading, Image, Paragraph, Run, Table

_SOFT = "\x00soft\x00"  # placeholder, resolved once the neighbours of the break are known


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable("table")  # GFM pipe tables
    md.disable(["emphasis", "text_join", "html_inline", "html_block"])
    return md


class _Token:
    """A token as markdown-it makes it, for the plain bodies read without it: what parse_markdown reads."""

    __slots__ = ("type", "tag", "map", "content", "children")

    def __init__(self, type: str, tag: str = "", map: list[int] | None = None, content: str = "",
                 children: list | None = None):
        self.type, self.tag, self.map, self.content, self.children = type, tag, map, content, children


# Inline, markdown-it reads these as more than text: `\` escapes and hard breaks, `` ` `` code, `<`
# autolinks, `[` links and images, `&` entities; `|` may make a table; it turns `\r` and NUL into others.
_NOT_PLAIN_TEXT = re.compile(r"[\\`<\[&|\r\x00]")
# At a line's start: indented code or a blank line of spaces (space, tab), quotes, lists and rules,
# setext underlines, fences, ordered lists (`1.`, `2)`).
_NOT_PLAIN_START = re.compile(r"[ \t>+\-=_~]|[0-9]+[.)]")
_PLAIN_STAR = re.compile(r"\*+[^*\s]")  # `**一是**…`, `*注*`: neither a list item (`* `) nor a rule (`***`)
_PLAIN_HEADING = re.compile(r"(#{1,6}) ([^#]+)")


def _plain_tokens(text: str) -> list[_Token] | None:
    """markdown-it's tokens of a body made only of paragraphs of plain lines and `#` headings (a line
    of 1–6 `#`, a space and a title without `#`), or None for any other body. A plain line has no
    space or tab at its start or end (no indented code, no hard break) and starts with nothing that
    opens another block, so markdown-it makes of it paragraph text and soft breaks, each line's text
    as written, the paragraph's ends trimmed by `str.strip` as its paragraph rule trims them."""
    if _NOT_PLAIN_TEXT.search(text):
        return None
    tokens: list[_Token] = []
    lines = text.split("\n")
    start = None  # the line the open paragraph starts on

    def close(end: int) -> None:
        content = "\n".join(lines[start:end]).strip()
        children: list[_Token] = []
        for n, piece in enumerate(content.split("\n") if content else []):
            if n:
                children.append(_Token("softbreak"))
            children.append(_Token("text", content=piece))
        tokens.extend((_Token("paragraph_open", "p", [start, end]), _Token("inline", children=children),
                       _Token("paragraph_close", "p")))

    for n, line in enumerate(lines):
        if not line:
            if start is not None:
                close(n)
                start = None
            continue
        if line[-1] in " \t" or _NOT_PLAIN_START.match(line) or (line[0] == "*" and not _PLAIN_STAR.match(line)):
            return None
        if line[0] == "#":
            heading = _PLAIN_HEADING.fullmatch(line)
            if heading is None or not heading.group(2).strip():
                return None
            if start is not None:  # a heading ends the paragraph above it
                close(n)
                start = None
            tag = f"h{len(heading.group(1))}"
            tokens.extend((_Token("heading_open", tag, [n, n + 1]),
                           _Token("inline", children=[_Token("text", content=heading.group(2).strip())]),
                           _Token("heading_close", tag)))
        elif start is None:
            start = n
    if start is not None:
        close(len(lines))
    return tokens


def parse_markdown(text: str, first_line: int = 1, file_lines: list[int] | None = None) -> list[Block]:
    """Markdown body → blocks; `first_line` is the file line of the body's first line, or
    `file_lines[i]` the file line of the body's line i (when cleaning split a line of the file)."""
    tokens = _plain_tokens(text)
    if tokens is None:
        tokens = _parser().parse(text)
    blocks: list[Block] = []
    ordered_counters: list[int | None] = []

    def file_line(offset: int) -> int:
        if file_lines:
            return file_lines[min(offset, len(file_lines) - 1)]
        return offset + first_line

    i = 0
    while i < len(tokens):
        tok = tokens[i]
        line = file_line(tok.map[0]) if tok.map else None
        kind = tok.type
        if kind == "heading_open":
            level = min(int(tok.tag[1]), 4)
            runs = _inline_runs(tokens[i + 1])
            if _has_text(runs):
                blocks.append(Heading(level, _strip_runs(runs), line))
            i += 3
            continue
        if kind == "table_open":
            table, i = _table(tokens, i, line)
            if table is not None:
                blocks.append(table)
            continue
        if kind == "bullet_list_open":
            ordered_counters.append(None)
        elif kind == "ordered_list_open":
            ordered_counters.append(int(tok.attrGet("start") or 1))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            ordered_counters.pop()
        elif kind == "list_item_open":
            # A list item becomes a paragraph; an ordered one keeps its number as written text.
            if ordered_counters and ordered_counters[-1] is not None:
                prefix = f"{ordered_counters[-1]}."
                ordered_counters[-1] += 1
                j = i + 1  # the item's first text; an empty item (`2.` alone) has none before its close
                while j < len(tokens) and tokens[j].type not in ("inline", "list_item_close"):
                    j += 1
                if j < len(tokens) and tokens[j].type == "inline":
                    tokens[j].children.insert(0, _text_token(prefix, tokens[j]))
        elif kind == "paragraph_open":
            blocks.extend(_paragraph_blocks(tokens[i + 1], line))
            i += 3
            continue
        elif kind in ("fence", "code_block", "html_block"):
            start = tok.map[0] + (1 if kind == "fence" else 0) if tok.map else None  # ``` is a line
            for offset, text in enumerate(tok.content.rstrip("\n").split("\n")):
                if text.strip():
                    blocks.append(Paragraph([Run(text.strip())], file_line(start + offset) if tok.map else None))
        i += 1
    return blocks


_ALIGN = {"text-align:left": "left", "text-align:center": "center", "text-align:right": "right"}


def _table(tokens, i: int, line: int | None) -> tuple[Table | None, int]:
    """The pipe table opening at tokens[i] → a Table (None when every cell is empty), and the index
    after its close. markdown-it pads short rows with empty cells and drops cells beyond the header's."""
    rows: list[list[list[Run]]] = []
    align: list[str] = []
    header_rows = 0
    i += 1
    while i < len(tokens) and tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "tr_open":
            rows.append([])
        elif tok.type in ("th_open", "td_open"):
            if tok.type == "th_open" and len(rows) == 1:
                align.append(_ALIGN.get(tok.attrGet("style") or "", ""))
            runs = _inline_runs(tokens[i + 1]) if tokens[i + 1].type == "inline" else []
            rows[-1].append(_strip_runs(runs) if _has_text(runs) else [])
        elif tok.type == "thead_close":
            header_rows = len(rows)
        i += 1
    if not any(cell for row in rows for cell in row):
        return None, i + 1
    return Table(rows, align, header_rows, line), i + 1


def _text_token(content: str, like):
    from markdown_it.token import Token

    return Token("text", "", 0, content=content, map=like.map)


def _paragraph_blocks(inline, line: int | None) -> list[Block]:
    """A paragraph's inline tokens → a Paragraph, or Image blocks when it holds pictures."""
    children = inline.children or []
    images = [c for c in children if c.type == "image"]
    if not images:
        runs = _inline_runs(inline)
        return [Paragraph(_strip_runs(runs), line)] if _has_text(runs) else []
    out: list[Block] = []
    rest = [c for c in children if c.type != "image"]
    for img in images:
        caption = clean_text("".join(c.content for c in (img.children or [])) or img.content)
        # markdown-it percent-encodes the destination (照片.jpg → %E7%85%A7…): the file's own name back
        out.append(Image(unquote(img.attrGet("src") or ""), caption.strip(), line,
                         clean_text(img.attrGet("title") or "").strip()))
    inline.children = rest
    runs = _inline_runs(inline)
    if _has_text(runs):
        out.append(Paragraph(_strip_runs(runs), line))
    return out


_DELIM = re.compile(r"(\*\*|\*)")


def _inline_runs(inline) -> list[Run]:
    """Inline tokens → runs: pair `**`/`*` ourselves, join soft breaks the Chinese way."""
    atoms: list[tuple[str, bool]] = []  # (text, is_delimiter)
    for child in inline.children or []:
        t = child.type
        if t == "text":
            for piece in _DELIM.split(child.content):
                if piece:
                    atoms.append((piece, piece in ("*", "**")))
        elif t in ("text_special", "code_inline"):
            # escaped `\*` or code: literal; an entity (&#12;) may decode to a control character
            atoms.append((clean_text(child.content), False))
        elif t == "softbreak":
            atoms.append((_SOFT, False))
        elif t == "hardbreak":
            atoms.append(("\n", False))
        elif t == "image":
            atoms.append((child.content, False))
    # Pair delimiters left to right: an open `**` closes at the next `**`; unpaired ones stay text.
    # Unlike CommonMark, punctuation beside a delimiter does not matter (`**“一网通办”**改革`); only
    # whitespace does, so `2 * 3 = 6，4 * 5` stays literal: open before non-space, close after non-space.
    paired: set[int] = set()
    open_at: dict[str, int] = {}
    for index, (text, is_delim) in enumerate(atoms):
        if not is_delim:
            continue
        before = atoms[index - 1][0][-1:] if index else ""
        after = atoms[index + 1][0][:1] if index + 1 < len(atoms) else ""
        if text in open_at and before.strip():
            paired.update((open_at.pop(text), index))
        elif after.strip() and after != _SOFT[0]:
            open_at[text] = index
    # Runs are gathered as lists of pieces and joined once: `+=` on a run's text would copy the whole
    # run for every piece, quadratic in a long paragraph.
    gathered: list[tuple[list[str], bool, bool]] = []
    bold = italic = False
    for index, (text, is_delim) in enumerate(atoms):
        if is_delim and index in paired:
            if text == "**":
                bold = not bold
            else:
                italic = not italic
            continue
        if gathered and gathered[-1][1] == bold and gathered[-1][2] == italic and text != "\n" \
                and gathered[-1][0] != ["\n"]:
            gathered[-1][0].append(text)
        else:
            gathered.append(([text], bold, italic))
    return _resolve_soft_breaks([Run("".join(pieces), b, i) for pieces, b, i in gathered])


def _resolve_soft_breaks(runs: list[Run]) -> list[Run]:
    """Each soft break → nothing or a space, judged by the nearest non-space characters on either side
    (join_soft_break); the spaces around the break go. One pass each way: linear in the paragraph."""
    if not any(_SOFT in r.text for r in runs):
        return runs
    pieces = [r.text.split(_SOFT) for r in runs]
    # following[i][j]: the first non-space character after piece j of run i, in the paragraph
    following: list[list[str]] = [[""] * len(p) for p in pieces]
    nxt = ""
    for i in range(len(pieces) - 1, -1, -1):
        for j in range(len(pieces[i]) - 1, -1, -1):
            following[i][j] = nxt
            stripped = pieces[i][j].lstrip()
            if stripped:
                nxt = stripped[0]
    out, previous = [], ""   # previous: the last non-space character written so far
    for run, parts, after in zip(runs, pieces, following):
        chunks = []
        for j, part in enumerate(parts):
            if j:
                part = part.lstrip()
                chunks.append(join_soft_break(previous, after[j - 1]))
            if j < len(parts) - 1:
                part = part.rstrip()
            chunks.append(part)
            if part.strip():
                previous = part.rstrip()[-1]
        run.text = "".join(chunks)
        if run.text:
            out.append(run)
    return out


def _has_text(runs: list[Run]) -> bool:
    return any(r.text.strip() for r in runs)


def _strip_runs(runs: list[Run]) -> list[Run]:
    """Trim leading/trailing whitespace (and the full-width indent clerks type) of a paragraph."""
    while runs and not runs[0].text.strip(" \t\u3000"):
        runs.pop(0)
    while runs and not runs[-1].text.strip(" \t\u3000"):
        runs.pop()
    if runs:
        runs[0].text = runs[0].text.lstrip(" \t\u3000")
        runs[-1].text = runs[-1].text.rstrip(" \t\u3000")
    return runs
