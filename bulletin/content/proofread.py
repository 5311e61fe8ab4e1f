"""Proofreading: Chinese punctuation, dates, digits, spaces and characters in an article's text (and
the lines a web page leaves in it), as findings with a place.

`lint_text` reports; `fix_text` applies the fixes that cannot change what a sentence says. Both read
the text as written (front matter included), so a finding's line and column are those of the file;
columns count characters, not bytes.

Text that is not prose is masked before any rule looks at it: front-matter keys and YAML syntax,
fenced and inline code, URLs and e-mail addresses, link and picture targets, HTML tags and entities,
backslash escapes, and the Markdown markers at the start of a line (`#`, `-`, `1.`, `>`). A masked
character is never reported or rewritten, and counts as neither Chinese nor Latin for the context a
rule looks at — so `![说明](photo.jpg)`, `10:30`, `3.5` and `Hello, world.` stay as they are.

Every rule is one row of RULES: its name, its message (filled from what the rule found), whether
`--fix` may apply it, and the function that finds it. Adding a rule is adding a row. A fixable rule
may leave a hit without a fix (a space that may be a blank left for a name): it is reported only.
OpenCC (for `traditional`) is imported only when a text holds a character GB 2312 lacks.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator

from bulletin.i18n import N_, _

# --- character classes -------------------------------------------------------------------------------

_HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# Full-width punctuation and forms: 、。〈〉《》「」『』【】〔〕… and ，：；？！（）０-９ Ａ-Ｚ …
_WIDE = "\u3001-\u303f\uff01-\uff65"
_CHINESE = re.compile(f"[{_HAN}{_WIDE}]")
_HAN_CHAR = re.compile(f"[{_HAN}]")
# Marks Chinese and English share (curly quotes, dash, ellipsis) and emphasis stars: a rule looking
# for the text around a mark looks past them, so `“世界”,` and `“Hello,” she said` are told apart.
_QUIET = "*“”‘’—…"
_SPACES = " \t\u00a0"
_MASK = "\x00"  # stands in for a masked character in the view the rules scan


def _chinese(ch: str) -> bool:
    return bool(ch) and bool(_CHINESE.match(ch))


def _han(ch: str) -> bool:
    return bool(ch) and bool(_HAN_CHAR.match(ch))


def _wide_punct(ch: str) -> bool:
    """Full-width punctuation: Chinese, but neither Han nor a full-width letter or digit."""
    return _chinese(ch) and not _han(ch) and not re.match("[０-９Ａ-Ｚａ-ｚ]", ch)


# --- findings ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    """One problem: 1-based line and column (in characters) of the file, the rule, the message."""

    line: int
    col: int
    rule: str
    message: str
    fixable: bool
    details: dict = field(default_factory=dict, compare=False)  # what the message was filled from


@dataclass(frozen=True)
class Hit:
    """What a rule found: the span (reported at its start), and for a fixable rule its replacement."""

    start: int
    end: int
    fix: str | None = None
    details: dict = field(default_factory=dict)


# --- the masked view ---------------------------------------------------------------------------------

class Prose:
    """The text and a view of it in which every character that is not prose is `_MASK`.

    The view has the text's length, so an offset in the view is the same offset in the text.
    """

    def __init__(self, text: str):
        self.text = text
        masked = bytearray(len(text))
        for start, end in _masked_spans(text):
            masked[start:end] = b"\x01" * (end - start)
        self.view = "".join(_MASK if m else c for c, m in zip(text, masked))
        self.block_starts = _block_starts(text)
        self.body_start, self.titles = _titles(text)
        self._characters: tuple[list[Hit], list[Hit]] | None = None

    def in_title(self, i: int) -> bool:
        """Whether offset `i` is on a title line: the front matter's `title:` or a heading."""
        k = bisect.bisect_right(self.titles, (i, len(self.text) + 1)) - 1
        return k >= 0 and self.titles[k][0] <= i < self.titles[k][1]

    def before(self, i: int, skip: str = _QUIET) -> str:
        """The nearest character before offset `i` on its line past `skip`; '' at the line start."""
        j = i - 1
        while j >= 0 and self.view[j] in skip:
            j -= 1
        return "" if j < 0 or self.view[j] in "\n\r" else self.view[j]

    def after(self, i: int, skip: str = _QUIET) -> str:
        """The nearest character from offset `i` on its line past `skip`; '' at the line end."""
        j = i
        while j < len(self.view) and self.view[j] in skip:
            j += 1
        return "" if j >= len(self.view) or self.view[j] in "\n\r" else self.view[j]


def _masked_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of everything that is not prose; spans may overlap."""
    body = 0
    lines = _lines(text)
    if lines and lines[0][2].strip() == "---":
        for n, (start, end, line) in enumerate(lines[1:], 1):
            if line.strip() in ("---", "..."):
                yield lines[0][0], lines[0][1]
                yield start, end
                for s, e, fm_line in lines[1:n]:
                    yield from _front_matter_line(s, e, fm_line)
                body = n + 1
                break
    fence = None
    for start, end, line in lines[body:]:
        if fence:
            yield start, end
            if re.match(rf" {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", line):
                fence = None
            continue
        opening = re.match(r" {0,3}(`{3,}|~{3,})", line)
        if opening:
            fence = opening.group(1)
            yield start, end
            continue
        for m in _LINE_SYNTAX.finditer(line):
            yield start + m.start(), start + m.end()
        for pattern in _INLINE_SYNTAX:
            for m in pattern.finditer(line):
                yield from _inline_masks(m, start)
    for m in _HTML_COMMENT.finditer(text):
        yield m.span()
    for start, end, line in _table_lines(lines[body:]):
        for m in _TABLE_PIPE.finditer(line):
            yield start + m.start(), start + m.end()


# A pipe table (GFM): a header row, a delimiter row (`|---|:--:|`), then rows up to a blank line. Its
# cell separators, with the spaces padding the cells, are syntax: masked, and each cell pairs its
# quotes and brackets on its own.
_TABLE_DELIMITER = re.compile(r"^[ \t]*\|?(?:[ \t]*:?-+:?[ \t]*\|)+(?:[ \t]*:?-+:?[ \t]*)?$"
                              r"|^[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$")
_TABLE_PIPE = re.compile(r"[ \t\u3000]*(?<!\\)\|[ \t\u3000]*")


def _table_lines(lines: list[tuple[int, int, str]]) -> Iterator[tuple[int, int, str]]:
    """The lines of every pipe table: its header, its delimiter row and its rows."""
    n = 1
    while n < len(lines):
        if _TABLE_DELIMITER.match(lines[n][2]) and _TABLE_PIPE.search(lines[n - 1][2]) \
                and lines[n - 1][2].strip():
            yield lines[n - 1]
            while n < len(lines) and lines[n][2].strip():
                yield lines[n]
                n += 1
        n += 1


def _titles(text: str) -> tuple[int, list[tuple[int, int]]]:
    """Where the body begins (after the front matter), and the (start, end) of every title line: the
    front matter's `title:` line and each ATX heading (`# …`) of the body."""
    lines = _lines(text)
    titles, body = [], 0
    if lines and lines[0][2].strip() == "---":
        for n, (start, end, line) in enumerate(lines[1:], 1):
            if line.strip() in ("---", "..."):
                titles = [(s, e) for s, e, fm_line in lines[1:n] if re.match(r"title[ \t]*:", fm_line)]
                body = n + 1
                break
    for start, end, line in lines[body:]:
        if _HEADING_LINE.match(line):
            titles.append((start, end))
    return (lines[body][0] if body < len(lines) else len(text)), titles


_HEADING_LINE = re.compile(r"(?:[ \t]{0,3}>[ \t]?)*[ \t]{0,3}#{1,6}(?=[ \t]|$)")


def _lines(text: str) -> list[tuple[int, int, str]]:
    """(start, end, text without the newline) of every line."""
    out, start = [], 0
    for line in text.split("\n"):
        out.append((start, start + len(line), line.rstrip("\r")))
        start += len(line) + 1
    return out


_YAML_KEY = re.compile(r"[A-Za-z_][\w-]*[ \t]*:(?:[ \t]+|$)")
_YAML_INDICATORS = "-?:,[]{}#&*!|>%@`"


def _front_matter_line(start: int, end: int, line: str) -> Iterator[tuple[int, int]]:
    """Masks of a front-matter line: all of it but the value of a one-line `key: value` holding Han.

    Keys, quotes, escapes and comments stay masked, so a fix can change a title's punctuation but
    never the YAML around it.
    """
    key = _YAML_KEY.match(line)
    value = line[key.end():] if key else ""
    if not key or not _HAN_CHAR.search(value) or value[0] in _YAML_INDICATORS:
        yield start, end
        return
    yield start, start + key.end()
    first = key.end()
    if value[0] in "\"'":
        quote = value[0]
        escape = r"\\." if quote == '"' else "''"
        close = re.compile(rf"{escape}|{quote}")
        for m in close.finditer(value, 1):
            if m.group() == quote:
                yield start + first, start + first + 1
                yield start + first + m.start(), end
                break
            yield start + first + m.start(), start + first + m.end()
        else:
            yield start, end
        return
    comment = re.search(r"[ \t]+#", value)
    if comment:
        yield start + first + comment.start(), end


# Markdown markers at the start of a line: block quotes, headings, list items,
# rules, setext underlines, table delimiter rows, reference-link definitions.
_LINE_SYNTAX = re.compile(
    r"^(?:[ \t]{0,3}>[ \t]?)+"
    r"|^(?:[ \t]{0,3}>[ \t]?)*[ \t]{0,3}#{1,6}(?=[ \t]|$)"
    r"|^(?:[ \t]{0,3}>[ \t]?)*[ \t]*(?:[-+*]|[0-9]{1,9}[.)])(?=[ \t]|$)"
    r"|^[ \t]{0,3}(?:(?:[-*_][ \t]*){3,}|=+[ \t]*)$"
    r"|^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)+\|?[ \t]*$"
    r"|^[ \t]{0,3}\[[^\]\n]+\]:.*$")

_URL_CHARS = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_INLINE_SYNTAX = [
    re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)"),                                  # inline code
    re.compile(r"<(?:[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>]+)>"),  # autolinks
    re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:[ \t][^<>\n]*)?/?>"),             # HTML tags
    re.compile(rf"(?:(?:https?|ftp)://|www\.){_URL_CHARS}+"),                  # bare URLs
    re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"),         # e-mail addresses
    re.compile(r"&(?:[A-Za-z][A-Za-z0-9]{1,31}|#[0-9]{1,7}|#[xX][0-9A-Fa-f]{1,6});"),  # entities
    re.compile(r"\\[!-/:-@\[-`{-~]"),                                           # backslash escapes
    re.compile(r"!?\[(?=[^\]\n]*\](?:\(|\[))|\]\((?:[^()\n]|\([^()\n]*\))*\)|\]\[[^\]\n]*\]"),  # link syntax
]
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def _inline_masks(m: re.Match, offset: int) -> Iterator[tuple[int, int]]:
    start, end = m.span()
    if m.group().startswith(("http", "ftp", "www.")):
        # A bare URL does not take the sentence's closing punctuation with it (as GFM autolinks).
        url = m.group()
        while url and (url[-1] in ".,;:!?'*" or (url[-1] == ")" and url.count("(") < url.count(")"))):
            url = url[:-1]
        end = start + len(url)
    yield offset + start, offset + end


def _block_starts(text: str) -> list[int]:
    """Offsets where a new block begins (blank line, heading, list item, front-matter line):
    brackets and quotes must pair within a block."""
    starts, previous_ends_block = [0], True
    in_front_matter = False
    for n, (start, _end, line) in enumerate(_lines(text)):
        if n == 0 and line.strip() == "---":
            in_front_matter = True
        heading = re.match(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)", line)
        item = re.match(r"[ \t]*(?:[-+*]|[0-9]{1,9}[.)])[ \t]", line)
        if in_front_matter or previous_ends_block or heading or item or not line.strip():
            starts.append(start)
        previous_ends_block = in_front_matter or bool(heading) or not line.strip()
        if in_front_matter and n > 0 and line.strip() in ("---", "..."):
            in_front_matter = False
    cells = [start + m.end() for start, _, line in _table_lines(_lines(text)) for m in _TABLE_PIPE.finditer(line)]
    if cells:  # every line and every cell of a table is a block of its own
        starts = sorted(set(starts + cells + [start for start, _, _ in _table_lines(_lines(text))]))
    return starts


# --- rules -------------------------------------------------------------------------------------------

_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）", ".": "。"}


# A mark followed by a space and a Latin letter punctuates English (`…for 仿宋, FandolKai for 楷体`).
_ENGLISH_AFTER = re.compile(r"[ \t]+[A-Za-z]")
_ENGLISH_PHRASE = re.compile(r"[A-Za-z]+[ \t]+[A-Za-z]+")


def _halfwidth_punct(p: Prose) -> Iterator[Hit]:
    """`,:;?!` next to Chinese (after it, past spaces; or right before it); a single `.` after
    Chinese ending a sentence; `(` `)` around Chinese, after Chinese or before it."""
    for m in re.finditer(r"[,:;?!]", p.view):
        i = m.start()
        if _ENGLISH_AFTER.match(p.view, i + 1):
            continue
        if _chinese(p.before(i, _QUIET + _SPACES)) or _chinese(p.after(i + 1, "*")):
            yield _width_hit(i, m.group())
    for m in re.finditer(r"\.", p.view):
        i = m.start()
        if _ENGLISH_AFTER.match(p.view, i + 1):
            continue
        following = p.after(i + 1, "")
        if _chinese(p.before(i)) and (not following or following in _QUIET + _SPACES or _chinese(following)):
            yield _width_hit(i, ".")
    yield from _halfwidth_parens(p)


_PARENS = re.compile(r"[()]")


def _halfwidth_parens(p: Prose) -> Iterator[Hit]:
    # Parentheses are judged as a pair, so a fix never leaves `（…)`.
    for block_start, block_end in _blocks(p):
        stack: list[int] = []
        pairs: list[tuple[int | None, int | None]] = []
        for m in _PARENS.finditer(p.view, block_start, block_end):
            if m.group() == "(":
                stack.append(m.start())
            else:
                pairs.append((stack.pop() if stack else None, m.start()))
        pairs += [(i, None) for i in stack]
        for opening, closing in pairs:
            if _parens_in_chinese(p, opening, closing):
                yield from (_width_hit(i, p.text[i]) for i in (opening, closing) if i is not None)


def _parens_in_chinese(p: Prose, opening: int | None, closing: int | None) -> bool:
    """Whether half-width parentheses (one of them may be missing) belong to Chinese text: Chinese
    inside them, before the opening one, or after the closing one."""
    if opening is not None and closing is not None:
        inside = p.view[opening + 1:closing]
        # `(注释)` is Chinese; `(FandolFang for 仿宋)` is an English aside naming a Chinese word.
        if _han_in(inside) and not _ENGLISH_PHRASE.search(inside):
            return True
    neighbours = []
    if opening is not None:
        neighbours.append(p.before(opening, _QUIET + _SPACES))
        if closing is None:
            neighbours.append(p.after(opening + 1, "*"))
    if closing is not None:
        neighbours.append(p.after(closing + 1, "*"))
        if opening is None:
            neighbours.append(p.before(closing))
    return any(_chinese(ch) for ch in neighbours)


def _han_in(text: str) -> bool:
    return bool(_HAN_CHAR.search(text))


def _width_hit(i: int, mark: str) -> Hit:
    return Hit(i, i + 1, _FULL_WIDTH[mark], {"mark": mark, "full": _FULL_WIDTH[mark]})


def _straight_quote(p: Prose) -> Iterator[Hit]:
    """`"` or `'` touching Chinese. Reported only: which of “ ” a straight quote should become
    depends on pairing the author may have got wrong."""
    for m in re.finditer(r"[\"']", p.view):
        i = m.start()
        if _chinese(p.before(i, "*")) or _chinese(p.after(i + 1, "*")):
            yield Hit(i, i + 1, None, {"mark": m.group(), "pair": "“ ”" if m.group() == '"' else "‘ ’"})


_OPENERS = {"“": "”", "‘": "’", "《": "》", "〈": "〉", "（": "）", "【": "】"}
_CLOSERS = {v: k for k, v in _OPENERS.items()}


def _pairs(p: Prose) -> Iterator[tuple[str, Hit]]:
    """Unpaired and wrongly nested “” ‘’ 《》 〈〉 （） 【】 within each block, as (rule name, hit)."""
    pattern = re.compile("[" + "".join(_OPENERS) + "".join(_CLOSERS) + "]")
    for block_start, block_end in _blocks(p):
        stack: list[int] = []
        for m in pattern.finditer(p.view, block_start, block_end):
            i, mark = m.start(), m.group()
            if mark in _OPENERS:
                stack.append(i)
                continue
            if mark == "’" and re.match(r"[A-Za-z]", p.before(i, "")) and (
                    re.match(r"[A-Za-z]", p.after(i + 1, "")) or not any(p.text[j] == "‘" for j in stack)):
                continue  # an apostrophe: don’t, the members’ votes
            opener = _CLOSERS[mark]
            depth = next((d for d in range(len(stack) - 1, -1, -1) if p.text[stack[d]] == opener), None)
            if depth is None:
                yield "unpaired-mark", Hit(i, i + 1, None, {"mark": mark, "partner": opener, "side": "before",
                                                            "variant": "before"})
                continue
            if depth != len(stack) - 1:
                inner = stack[-1]
                yield "bad-nesting", Hit(i, i + 1, None, {"mark": mark, "partner": opener,
                                                          "inner": p.text[inner], "where": _where(p.text, inner)})
            del stack[depth:]
        for i in stack:
            yield "unpaired-mark", Hit(i, i + 1, None, {"mark": p.text[i], "partner": _OPENERS[p.text[i]],
                                                        "side": "after"})


def _unpaired(p: Prose) -> Iterator[Hit]:
    return (hit for rule, hit in _pairs(p) if rule == "unpaired-mark")


def _bad_nesting(p: Prose) -> Iterator[Hit]:
    return (hit for rule, hit in _pairs(p) if rule == "bad-nesting")


def _blocks(p: Prose) -> Iterator[tuple[int, int]]:
    edges = p.block_starts + [len(p.text)]
    return ((a, b) for a, b in zip(edges, edges[1:]) if b > a)


_DATE = re.compile(r"(?<![0-9.])(?:([0-9]{4})年)?(0?[1-9]|1[0-2])月(?:(0?[1-9]|[12][0-9]|3[01])([日号]))?")


def _padded_date(p: Prose) -> Iterator[Hit]:
    """`2009年03月01日` → `2009年3月1日`; also `03月`, `3月05日`, `05号`."""
    for m in _DATE.finditer(p.view):
        year, month, day, suffix = m.groups()
        if not month.startswith("0") and not (day or "").startswith("0"):
            continue
        fixed = (f"{year}年" if year else "") + f"{int(month)}月" + (f"{int(day)}{suffix}" if day else "")
        yield Hit(m.start(), m.end(), fixed, {"found": m.group(), "fixed": fixed})


_TO_ASCII = str.maketrans("０１２３４５６７８９．", "0123456789.")


def _fullwidth_digit(p: Prose) -> Iterator[Hit]:
    """`２０２６` → `2026` (and `３．５` → `3.5`): Arabic numerals in Chinese text are half-width."""
    for m in re.finditer(r"[０-９]+(?:．[０-９]+)*", p.view):
        fixed = m.group().translate(_TO_ASCII)
        yield Hit(m.start(), m.end(), fixed, {"found": m.group(), "fixed": fixed})


def _doubled_punct(p: Prose) -> Iterator[Hit]:
    """`，，` → `，`. `……` and `——` are single marks two characters wide; three or more `。` are an
    ellipsis (rule ellipsis), not a doubled full stop."""
    for m in re.finditer(r"([，、；：？！])\1+|(?<!。)。。(?!。)", p.view):
        yield Hit(m.start(), m.end(), m.group()[0], {"mark": m.group()[0]})


def _ellipsis(p: Prose) -> Iterator[Hit]:
    """`...`, `。。。` or a lone `…` in Chinese text → `……`."""
    for m in re.finditer(r"\.{3,}|。{3,}|…+", p.view):
        if m.group()[0] == "…" and len(m.group()) % 2 == 0:
            continue
        if _chinese(p.before(m.start(), "*")) or _chinese(p.after(m.end(), "*")):
            yield Hit(m.start(), m.end(), "……", {"found": m.group()})


# A space between two Chinese characters may be the author's: the space between the two parts of a
# title (`全面实行政务公开 推动街道事业健康发展`), a blank left for a name or a figure (`由 任组长`,
# `共有  人参加`). `--fix` removes a space only where it cannot be one of those: beside full-width
# punctuation, or splitting a fragment so short (the punctuation-free runs on its two sides hold at most
# _SHORT_FRAGMENT characters together: `王 伟`, `政 务 公 开`) that it is padding. A gap of two spaces or
# more is left on purpose. In a title nothing is removed; a space between two parts of at least
# _TITLE_PART characters each becomes the full-width space a two-part title is written with.
_SHORT_FRAGMENT = 3
_TITLE_PART = 4


def _run_length(p: Prose, i: int, step: int) -> int:
    """How many letters, digits and Han characters (no punctuation, space or syntax) run from offset
    `i` in direction `step` (+1 or -1) on its line."""
    n = 0
    while 0 <= i < len(p.view) and p.view[i].isalnum():
        n += 1
        i += step
    return n


def _part_length(p: Prose, i: int, step: int) -> int:
    """How many characters of a title run from offset `i` in direction `step` to the next space or
    the title's edge: the length of one part of a two-part title."""
    n = 0
    while 0 <= i < len(p.view) and p.view[i] not in _SPACES + _MASK + "\u3000\n\r":
        n += 1
        i += step
    return n


def _cjk_space(p: Prose) -> Iterator[Hit]:
    """Spaces between two Chinese characters (past curly quotes: `中文 “引号”`), or beside full-width
    punctuation, inside a line. Spaces next to masked syntax (`- 《文件》`, `# （一）`) are left alone."""
    for m in re.finditer(f"[{_SPACES}]+", p.view):
        left, right = p.before(m.start(), "*"), p.after(m.end(), "*")
        if not left or not right or _MASK in (left, right):
            continue  # indentation, a Markdown hard break, or syntax
        between_han = _han(p.before(m.start())) and _han(p.after(m.end()))
        # where the space is: `where` (English, kept for callers), `place` and the `mark` beside it,
        # which choose the message (one whole sentence each, for the catalog)
        if between_han:
            place, mark, where = "between", "", "between Chinese characters"
        elif _wide_punct(left):
            place, mark, where = "after", left, f"after '{left}'"
        elif _wide_punct(right):
            place, mark, where = "before", right, f"before '{right}'"
        else:
            continue
        details = {"where": where, "place": place, "mark": mark}
        if p.in_title(m.start()):
            parts = (_part_length(p, m.start() - 1, -1), _part_length(p, m.end(), 1))
            if between_han and m.group() == " " and min(parts) >= _TITLE_PART:
                yield Hit(m.start(), m.end(), "\u3000", {"variant": "title-parts"})
            else:
                yield Hit(m.start(), m.end(), None, {**details, "variant": f"title-{place}"})
        elif len(m.group()) > 1:
            yield Hit(m.start(), m.end(), None, {**details, "variant": f"blank-{place}"})
        elif between_han and _run_length(p, m.start() - 1, -1) + _run_length(p, m.end(), 1) > _SHORT_FRAGMENT:
            yield Hit(m.start(), m.end(), None, {**details, "variant": f"blank-{place}"})
        else:
            yield Hit(m.start(), m.end(), "", {**details, "variant": place})


# Characters the GB 2312 fonts lack: traditional forms (OpenCC t2s converts them, with their phrase)
# and rare characters of names (堃 喆). OpenCC is imported only when the text has such a character.
# Characters OpenCC would convert but the Table of General Standard Chinese Characters (2013) keeps
# as characters of their own, for names: 毕昇's 昇 is not a traditional 升.
_KEPT_FORMS = frozenset("昇")
_HAN_RUN = re.compile(f"[{_HAN}]+")
_T2S = None


def _t2s():
    global _T2S
    if _T2S is None:
        import opencc

        _T2S = opencc.OpenCC("t2s")
    return _T2S


def _characters(p: Prose) -> tuple[list[Hit], list[Hit]]:
    """(traditional, rare) hits, computed once per text. Each run of Han characters holding a
    character GB 2312 lacks is converted as a whole, so a character GB 2312 has changes only with its
    phrase (`關於` → `关于`, never `於是` alone); a run's traditional characters are one hit, from the
    first changed character to the last."""
    if p._characters is not None:
        return p._characters
    from bulletin.cjk import beyond_gb2312

    traditional: list[Hit] = []
    rare: list[Hit] = []
    offsets = beyond_gb2312(p.view)
    for m in _HAN_RUN.finditer(p.view) if offsets else ():
        lacking = [i - m.start() for i in offsets[bisect.bisect_left(offsets, m.start()):
                                                  bisect.bisect_left(offsets, m.end())]]
        if not lacking:
            continue
        run = m.group()
        simple = _t2s().convert(run)
        if len(simple) != len(run):  # a phrase of another length: character by character
            simple = "".join(_t2s().convert(ch) if len(_t2s().convert(ch)) == 1 else ch for ch in run)
        simple = "".join(a if a in _KEPT_FORMS else b for a, b in zip(run, simple))
        changed = [i for i in range(len(run)) if run[i] != simple[i]]
        if any(i in changed for i in lacking):
            a, b = changed[0], changed[-1] + 1
            traditional.append(Hit(m.start() + a, m.start() + b, simple[a:b],
                                   {"found": run[a:b], "fixed": simple[a:b]}))
        for i in lacking:
            if i not in changed:
                rare.append(Hit(m.start() + i, m.start() + i + 1, None,
                                {"char": run[i], "code": f"U+{ord(run[i]):04X}"}))
    p._characters = (traditional, rare)
    return p._characters


def _traditional(p: Prose) -> Iterator[Hit]:
    """Traditional characters (國務院辦公廳): `--fix` converts them with OpenCC (t2s)."""
    return iter(_characters(p)[0])


def _rare_char(p: Prose) -> Iterator[Hit]:
    """Han characters GB 2312 lacks that are no traditional forms (堃 喆 昇): reported only; the writer
    sets them in the role's fallback font."""
    return iter(_characters(p)[1])


# Lines a web page leaves in text copied from it: its buttons, its metadata, its counters. A line is
# junk only when all of it (past Markdown markers and spaces) is one of these.
_WEB_BUTTON = (r"(?:打印(?:本页|此页|本文)?|关闭(?:窗口|本页)?|返回(?:顶部|首页|列表)?|收藏(?:本页)?|加入收藏"
               r"|我要纠错|纠错|分享(?:到)?[:：]?|扫一扫(?:在手机打开当前页)?|保存本页|【?字[号体][:：]?\s*大\s*中\s*小】?)")
_WEB_JUNK = re.compile(
    r"合集下载|相关(?:文档|文章|阅读|链接|新闻|推荐|资讯|附件)(?:推荐)?[:：]?"
    r"|下载文档前请自行甄别[^\n]{0,80}"
    r"|(?:索引号|发布(?:时间|日期|机构)|发文日期|生成日期|信息来源|文章来源|浏览(?:次数|量)|访问(?:次数|量)"
    r"|点击(?:数|量|次数|率)|阅读(?:数|量|次数)|责任编辑|分享到|当前位置|您(?:当前)?的位置|[上下]一篇)\s*[:：]"
    r"[^。，；！？,;!?]{0,60}"  # a metadata line's value: no sentence in it, so text joined to it is never junk
    rf"|(?:[【\[「]?\s*{_WEB_BUTTON}\s*[】\]」]?[\s|｜/]*)+"
    r"|[0-9０-９]{1,12}")


def _web_junk(p: Prose) -> Iterator[Hit]:
    """Whole body lines that are web-page leftovers; `--fix` deletes the line (and its line end)."""
    for start, end, line in _lines(p.text):
        if start < p.body_start:
            continue
        visible = p.view[start:start + len(line)].replace(_MASK, "").strip(_SPACES + "\u3000")
        if visible and _WEB_JUNK.fullmatch(visible):
            stop = end + 1 if end < len(p.text) else end
            yield Hit(start, stop, "", {"found": visible})


@dataclass(frozen=True)
class Rule:
    """One row of the rule table."""

    name: str
    message: str        # str.format over the hit's details; marked N_() and translated when shown
    fixable: bool       # `--fix` applies it (to the hits that carry a fix): it cannot change what the text says
    find: Callable[[Prose], Iterator[Hit]]
    variants: dict = field(default_factory=dict)  # other messages, chosen by a hit's details["variant"]

    def text(self, hit: Hit) -> str:
        """The message of `hit` in the current language (the rule's name stays as it is)."""
        return _(self.variants.get(hit.details.get("variant"), self.message)).format(**hit.details)


RULES: tuple[Rule, ...] = (
    Rule("halfwidth-punct", N_("half-width '{mark}' in Chinese text; use '{full}'"), True, _halfwidth_punct),
    Rule("straight-quote", N_("straight quote {mark} in Chinese text; use {pair}"), False, _straight_quote),
    Rule("unpaired-mark", N_("'{mark}' has no matching '{partner}' after it in this paragraph"), False, _unpaired, {
        "before": N_("'{mark}' has no matching '{partner}' before it in this paragraph")}),
    Rule("bad-nesting", N_("'{mark}' closes '{partner}' while '{inner}' opened at {where} is still open"),
         False, _bad_nesting),
    Rule("padded-date", N_("zero-padded date {found}; write {fixed}"), True, _padded_date),
    Rule("fullwidth-digit", N_("full-width digits {found}; write {fixed}"), True, _fullwidth_digit),
    Rule("doubled-punct", N_("doubled '{mark}'; write one"), True, _doubled_punct),
    Rule("ellipsis", N_("ellipsis written '{found}'; write '……'"), True, _ellipsis),
    Rule("cjk-space", N_("space between Chinese characters; remove it"), True, _cjk_space, {
        "between": N_("space between Chinese characters; remove it"),
        "after": N_("space after '{mark}'; remove it"),
        "before": N_("space before '{mark}'; remove it"),
        "blank-between": N_("space between Chinese characters; remove it unless it is a blank left for a name "
                            "or a figure"),
        "blank-after": N_("space after '{mark}'; remove it unless it is a blank left for a name or a figure"),
        "blank-before": N_("space before '{mark}'; remove it unless it is a blank left for a name or a figure"),
        "title-between": N_("space between Chinese characters in a title; remove it, or write a full-width space "
                            "'　' if it parts the title"),
        "title-after": N_("space after '{mark}' in a title; remove it, or write a full-width space '　' if it "
                          "parts the title"),
        "title-before": N_("space before '{mark}' in a title; remove it, or write a full-width space '　' if it "
                           "parts the title"),
        "title-parts": N_("half-width space between the two parts of a title; write a full-width space '　'")}),
    Rule("traditional", N_("traditional characters '{found}'; write '{fixed}'"), True, _traditional),
    Rule("rare-char", N_("'{char}' ({code}) is not in GB 2312, so the *_GB2312 fonts lack it and it is set in "
                         "the fallback font; check it in the proof"), False, _rare_char),
    Rule("web-junk", N_("web-page leftover '{found}'; delete the line"), True, _web_junk),
)

# Each rule in a few words, for a clerk who does not read rule names (the workbench shows both).
SUMMARIES: dict[str, str] = {
    "halfwidth-punct": N_("half-width punctuation"),
    "straight-quote": N_("straight quotation mark"),
    "unpaired-mark": N_("unpaired bracket or quotation mark"),
    "bad-nesting": N_("brackets or quotation marks closed in the wrong order"),
    "padded-date": N_("date written with a leading zero"),
    "fullwidth-digit": N_("full-width digits"),
    "doubled-punct": N_("punctuation mark written twice"),
    "ellipsis": N_("ellipsis written wrongly"),
    "cjk-space": N_("space among Chinese characters"),
    "traditional": N_("traditional characters"),
    "rare-char": N_("character missing from the fonts"),
    "web-junk": N_("web-page leftover"),
}


def summary(rule: str) -> str:
    """Rule `rule` in a few words, in the current language (its name when it has none)."""
    return _(SUMMARIES[rule]) if rule in SUMMARIES else rule


# --- entry points ------------------------------------------------------------------------------------

def _hits(text: str, rules=RULES) -> Iterator[tuple[Rule, Hit]]:
    prose = Prose(text)
    for rule in rules:
        for hit in rule.find(prose):
            yield rule, hit


def _chosen(only: tuple[str, ...] | None) -> tuple[Rule, ...]:
    if only is None:
        return RULES
    unknown = set(only) - {r.name for r in RULES}
    if unknown:
        raise ValueError(_("no lint rule {names}").format(names=sorted(unknown)))
    return tuple(r for r in RULES if r.name in only)


def _where(text: str, offset: int) -> str:
    """`line:col` of an offset, for a message that points at a second place."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"{line}:{col}"


def lint_text(text: str, only: tuple[str, ...] | None = None) -> list[Finding]:
    """Every finding in `text` (an article file's whole text), in file order; `only` names the rules
    to run (all by default)."""
    line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
    out = []
    for rule, hit in _hits(text, _chosen(only)):
        line = bisect.bisect_right(line_starts, hit.start)
        out.append(Finding(line, hit.start - line_starts[line - 1] + 1, rule.name,
                           rule.text(hit), rule.fixable and hit.fix is not None, hit.details))
    junk = {f.line for f in out if f.rule == "web-junk"}  # a line to delete needs no other finding
    out = [f for f in out if f.rule == "web-junk" or f.line not in junk]
    return sorted(out, key=lambda f: (f.line, f.col, f.rule))


_MAX_PASSES = 8  # one fix can enable another (`,,` → `，，` → `，`); each pass only shrinks the problems


def fix_text(text: str, only: tuple[str, ...] | None = None) -> str:
    """`text` with every fixable finding (of the rules `only` names) fixed; what is left needs a person
    (pairing, quotes, spaces that may mean something)."""
    fixable = tuple(r for r in _chosen(only) if r.fixable)
    for _pass in range(_MAX_PASSES):
        taken: list[tuple[int, int, str]] = []
        hits = [hit for _rule, hit in _hits(text, fixable) if hit.fix is not None]
        for hit in sorted(hits, key=lambda hit: (hit.start, hit.end)):
            start, end = hit.start, hit.end
            if taken and start < taken[-1][1]:
                continue  # overlaps a fix already taken in this pass; the next pass sees it again
            taken.append((start, end, hit.fix))
        if not taken:
            break
        for start, end, fix in reversed(taken):
            text = text[:start] + fix + text[end:]
    return text
