"""How text falls into lines: widths in em, wrapping as the word processors do it for Chinese text,
and balanced breaks for titles and masthead names.

The writer needs line counts before any word processor has seen the text: an article title is padded
so the body after it stays on the line grid, and the tail's text box must be tall enough for its
rows. These estimates follow the rules LibreOffice and Word apply to Chinese text: any two Han
characters may be split, Latin words are not, a closing mark (，。”）…) never starts a line and an
opening mark (“（《) never ends one — the character before is taken down with it instead.
"""
from __future__ import annotations

from dataclasses import dataclass

from bulletin.cjk import is_cjk
from bulletin.render.docx import wordbreaks

# Marks that may not start a line, and marks that may not end one (GB/T 15834 and the word
# processors' default "forbidden characters" for zh-CN).
NO_START = frozenset("，。、；：？！）》」』】〕〉”’…—·%‰℃,.;:?!)]}")
NO_END = frozenset("（《「『【〔〈“‘([{")
# A break after these (or before an opening mark) falls between phrases: preferred in titles.
PHRASE_END = frozenset("，、：；。！？”’）》」』】")
# One-character words that a break may follow (的) or follow and precede (和 与 及 暨 并): a break
# there seldom cuts a word in two, which any other break between Han characters may do.
WORD_END = frozenset("的和与及暨并")
WORD_START = frozenset("和与及暨并")

# Advance widths of Times New Roman (and its metric twin Liberation Serif) in thousandths of an em.
_TIMES = dict(zip(
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,:;-/_?&=%@()#+*'\"!",
    [722, 667, 667, 722, 611, 556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611,
     722, 722, 944, 722, 722, 611,
     444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500, 278, 778, 500, 500, 500, 500, 333, 389, 278,
     500, 500, 722, 500, 500, 444]
    + [500] * 10
    + [250, 250, 250, 278, 278, 333, 278, 500, 444, 778, 564, 833, 921, 333, 333, 500, 564, 500, 180, 408, 333]))


def char_width(ch: str) -> float:
    """Width of one character in em: Han characters and full-width marks 1, Latin text its own width."""
    if is_cjk(ch):
        return 1.0
    return _TIMES.get(ch, 600) / 1000


# Word and LibreOffice add space between Han characters and Latin letters or digits (w:autoSpaceDE,
# w:autoSpaceDN, on by default): measured 0.2 em in LibreOffice 7.4.
AUTOSPACE_EM = 0.2


def text_width(text: str) -> float:
    """Width of `text` set on one line, in em, with the space between Han and Latin text."""
    width = sum(char_width(c) for c in text)
    return width + AUTOSPACE_EM * sum(1 for a, b in zip(text, text[1:])
                                      if " " not in (a, b) and is_cjk(a) != is_cjk(b))


@dataclass(frozen=True)
class _Unit:
    """Text that never breaks inside: a Han character with the marks glued to it, or a Latin word."""

    text: str
    width: float
    gap: float = 0.0       # width before the unit (a space, or Han/Latin spacing); none at a line's start
    spaced: bool = False   # the gap is a real space, written back when the unit does not start a line


def _units(text: str) -> list[_Unit]:
    pieces: list[str] = []
    spaces: list[float] = []
    spaced: list[bool] = []
    pending_space = 0.0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == " ":
            pending_space += char_width(ch)
            i += 1
            continue
        if is_cjk(ch):
            piece, i = ch, i + 1
        else:
            j = i
            while j < len(text) and text[j] != " " and not is_cjk(text[j]):
                j += 1
            piece, i = text[i:j], j
        glue_back = pieces and not pending_space and (piece[0] in NO_START or pieces[-1][-1] in NO_END)
        if glue_back:
            pieces[-1] += piece
        else:
            # the space between a Han unit and a Latin one is counted with the second
            mixed = pieces and not pending_space and is_cjk(pieces[-1][-1]) != is_cjk(piece[0])
            autospace = AUTOSPACE_EM if mixed else 0.0
            pieces.append(piece)
            spaces.append(pending_space + autospace)
            spaced.append(pending_space > 0)
        pending_space = 0.0
    return [_Unit(p, text_width(p), g, sp) for p, g, sp in zip(pieces, spaces, spaced)]


def _split_long(unit: _Unit, cap: float) -> list[_Unit]:
    """A unit wider than a whole line (a long URL), cut where it must be: character by character."""
    out, current = [], ""
    for ch in unit.text:
        if current and text_width(current + ch) > cap:
            out.append(_Unit(current, text_width(current)))
            current = ""
        current += ch
    out.append(_Unit(current, text_width(current)))
    return out


def wrap(text: str, first_cap: float, rest_cap: float | None = None) -> list[str]:
    """`text` broken greedily into lines of at most `first_cap` em (the first line) and `rest_cap`
    em (the others), the way a word processor fills lines; a "\\n" in `text` ends a line."""
    rest_cap = first_cap if rest_cap is None else rest_cap
    lines: list[str] = []
    for part in text.split("\n"):
        _fill(_units(part), lines, first_cap, rest_cap)
    return lines


def _fill(units: list[_Unit], lines: list[str], first_cap: float, rest_cap: float) -> list[str]:
    """The lines of one paragraph's units appended to `lines` (the first at most `first_cap` em while
    `lines` is empty, the others `rest_cap`)."""
    current, width = "", 0.0
    for unit in units:
        cap = first_cap if not lines else rest_cap
        pieces = _split_long(unit, rest_cap) if unit.width > rest_cap else [unit]
        for k, piece in enumerate(pieces):
            space = unit.gap if k == 0 and current else 0.0
            if current and width + space + piece.width > cap:
                lines.append(current)
                current, width, cap = "", 0.0, rest_cap
                space = 0.0
            current += (" " if space and unit.spaced else "") + piece.text
            width += space + piece.width
    lines.append(current)
    return lines


# A break inside a word (今冬明/春) costs as much as lines about six characters apart: taken only
# where no break between words fits.
INSIDE_WORD_COST = 36.0


_NUMERALS = set("〇零一二三四五六七八九十百千万")


def _inside_words(units: list[_Unit]) -> set[int]:
    """The positions between units (as indexes of the unit after) that fall inside a word of Chinese
    text, found with jieba's dictionary (no guessing of unknown words, so always the same)."""
    joined = "".join(u.text for u in units)
    if not any(is_cjk(ch) for ch in joined):
        return set()
    ends, at = set(), 0
    for word in wordbreaks.words(joined):
        at += len(word)
        ends.add(at)
    out, at = set(), 0
    for b, unit in enumerate(units[:-1], start=1):
        at += len(unit.text)
        if at not in ends or (unit.text[-1] in _NUMERALS and units[b].text[0] in _NUMERALS):
            out.add(b)  # a number written in Chinese (二〇二四) is one word, whatever jieba says
    return out


def balanced_lines(text: str, cap: float, lines: int | None = None, prefer_after: tuple[str, ...] = ()) -> list[str]:
    """`text` in `lines` lines (by default as few as fit `cap` em each) of nearly equal width.

    A title that wraps on its own leaves a short last line (我市……提质 / 增效); the standard asks for
    titles set "in a trapezoid or diamond", lines of even length. Breaks fall between units only, and
    between words (jieba) unless nothing else fits; a
    break between phrases (after ，、” or before “《, or after a word of `prefer_after`) is preferred
    over an even one by up to about one and a half characters, one beside 的/和 or between Han and
    Latin text by about one.
    """
    units = _units(text)
    if not units:
        return [text]
    n = lines or len(wrap(text, cap) if "\n" in text else _fill(units, [], cap, cap))  # the units measured once
    if n <= 1 or n > len(units):
        return [text]

    def width(a: int, b: int) -> float:
        return sum(u.width + (u.gap if k > a else 0.0) for k, u in enumerate(units[a:b], start=a))

    def ends_with(b: int, words: tuple[str, ...]) -> bool:
        head = "".join(u.text for u in units[max(0, b - 8):b])
        return any(head.endswith(w) for w in words)

    total = width(0, len(units))
    target = total / n

    inside_word = _inside_words(units)

    def break_cost(b: int) -> float:
        """Negative where a break is better than its imbalance alone says (in em², as the imbalance)."""
        if b in inside_word:
            return INSIDE_WORD_COST
        before, after = units[b - 1].text[-1], units[b].text[0]
        if before in PHRASE_END or after in NO_END or units[b].spaced or ends_with(b, prefer_after):
            return -4.0
        if before in WORD_END or after in WORD_START or is_cjk(before) != is_cjk(after):
            return -2.0
        return 0.0

    best: dict[tuple[int, int], tuple[float, list[int]]] = {}

    def solve(start: int, remaining: int) -> tuple[float, list[int]]:
        """Cheapest way to set units[start:] in `remaining` lines: (cost, break positions)."""
        key = (start, remaining)
        if key in best:
            return best[key]
        if remaining == 1:
            w = width(start, len(units))
            result = ((w - target) ** 2, []) if w <= cap else (float("inf"), [])
        else:
            result = (float("inf"), [])
            for end in range(start + 1, len(units) - remaining + 2):
                w = width(start, end)
                if w > cap:
                    break
                cost, rest = solve(end, remaining - 1)
                cost += (w - target) ** 2 + break_cost(end)
                if cost < result[0]:
                    result = (cost, [end] + rest)
        best[key] = result
        return result

    cost, breaks = solve(0, n)
    if cost == float("inf"):
        return wrap(text, cap)
    out, start = [], 0
    for end in breaks + [len(units)]:
        out.append("".join((" " if k > start and u.spaced else "") + u.text
                           for k, u in enumerate(units[start:end], start=start)))
        start = end
    return out
