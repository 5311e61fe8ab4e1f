"""Chinese text rules shared by every layer: dates, numerals, character classes, cleaning."""
from __future__ import annotations

import datetime as _dt
import re

_DIGITS = "零一二三四五六七八九"


def chinese_date(day: _dt.date) -> str:
    """`2009年12月1日`: Arabic numerals, full year, never zero-padded (GB/T 9704 7.3.5.3)."""
    return f"{day.year}年{day.month}月{day.day}日"


def chinese_numeral(n: int) -> str:
    """一 … 九十九 for heading numbers (一、 / （一）); larger numbers fall back to Arabic."""
    if n <= 0 or n >= 100:
        return str(n)
    tens, ones = divmod(n, 10)
    if tens == 0:
        return _DIGITS[ones]
    head = "" if tens == 1 else _DIGITS[tens]
    return head + "十" + (_DIGITS[ones] if ones else "")


def is_cjk(ch: str) -> bool:
    """True for Han characters, CJK punctuation and full-width forms (all set one em wide)."""
    o = ord(ch)
    return (0x2E80 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0xFF00 <= o <= 0xFFEF
            or 0x20000 <= o <= 0x3FFFF or ch in "“”‘’—…·×")


# Punctuation whose width depends on the font slot Word picks; runs holding it carry w:hint="eastAsia".
AMBIGUOUS_WIDTH = frozenset("—“”‘’…·×")


# Word's manual line break (\x0b) and page/section break (\x0c) mean a new line or paragraph;
# other C0 controls (\x07 cell mark, NUL, …) mean nothing in running text.
_LINE_BREAKS = re.compile(r"[\x0b\x0c\u2028\u2029\x85]")
_JUNK = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff\ufeff]|[\ud800-\udfff]")


def clean_text(text: str) -> str:
    """Text safe for OOXML: Word's breaks become newlines, other control characters vanish.

    `\\r\\n` and `\\r` become `\\n`; a tab stays a tab. XML 1.0 forbids the removed characters,
    so nothing that survives can make the .docx writer fail.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _LINE_BREAKS.sub("\n", text)
    return _JUNK.sub("", text)


def join_soft_break(left: str, right: str) -> str:
    """The separator for a line break inside a paragraph: nothing next to Chinese, else a space."""
    if not left or not right:
        return ""
    if is_cjk(left[-1]) or is_cjk(right[0]):
        return ""
    return " "


# What ends a sentence, and what starts a new point (二是… / 三、 / （四） / 5. / （6） / 第七，), for
# deciding what a manual line break pasted from Word meant.
_SENTENCE_END = frozenset("。！？；：…”’）)】》!?;:")
# Left as text for `re` to compile where first used (and keep): 0.5 ms that most runs never need.
_NEW_POINT = (r"[ \t\u3000]*(?:[一二三四五六七八九十]+是|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]"
              r"|\d+[.．、]|第[一二三四五六七八九十]+[，、,]|[①-⑳])")
_MANUAL_BREAK = re.compile(r"[ \t\u3000]*[\x0b\u2028][ \t\u3000]*")
_PAGE_BREAK = re.compile(r"[ \t]*[\x0c\u2029\x85][ \t]*")
_WORD_BREAKS = ("\x0b", "\u2028", "\x0c", "\u2029", "\x85")  # what the two patterns above look for


def breaks_paragraph(before: str, after: str) -> bool:
    """Whether a manual line break between `before` and `after` separates two paragraphs: the line
    before ends a sentence, or the line after starts a new point (二是…, （三）…)."""
    before = before.rstrip(" \t\u3000")
    return not before or before[-1] in _SENTENCE_END or bool(re.match(_NEW_POINT, after))


def word_breaks_to_markdown(text: str) -> str:
    """An article body with Word's breaks as Markdown says them: a page break (\\x0c) ends the
    paragraph; a manual line break (\\x0b, Shift+Enter) ends it too where it follows a sentence or
    starts a new point, and elsewhere stays a line break inside the paragraph (two spaces, newline).
    Everything else is left to clean_text."""
    if not any(mark in text for mark in _WORD_BREAKS):  # most lines: nothing to do
        return text
    text = _PAGE_BREAK.sub("\n\n", text)

    def manual(m: re.Match) -> str:
        start = text.rfind("\n", 0, m.start()) + 1
        end = text.find("\n", m.end())
        before, after = text[start:m.start()], text[m.end():len(text) if end < 0 else end]
        if not before.strip() or not after.strip():
            return "\n"
        if before.lstrip().startswith("#"):  # a heading is one line: the break only joins it
            return join_soft_break(before, after)
        return "\n\n" if breaks_paragraph(before, after) else "  \n"

    return _MANUAL_BREAK.sub(manual, text)


def join_broken_line(text: str) -> str:
    """A one-line value (a title in front matter) with Word's breaks and controls joined the Chinese
    way: no space between Chinese characters, one space between Latin words."""
    pieces = re.split(r"[\x0b\x0c\u2028\u2029\x85]", text)
    out = pieces[0]
    for piece in pieces[1:]:
        out, piece = out.rstrip(" \t\u3000"), piece.lstrip(" \t\u3000")
        out += join_soft_break(out, piece) + piece
    return _JUNK.sub("", out)


def one_line(text: str) -> str:
    """Names, titles and captions on one line: Word's breaks and newlines joined the Chinese way (no
    space between Chinese characters, one between Latin words), controls removed, each piece trimmed."""
    parts = [p.strip() for p in clean_text(text).split("\n") if p.strip()]
    out = parts[0] if parts else ""
    for part in parts[1:]:
        out += join_soft_break(out, part) + part
    return out


# Han characters beyond GB 2312 (traditional forms, rare name characters such as 堃 喆 昇) are missing
# from the 仿宋_GB2312 and 楷体_GB2312 fonts; LibreOffice and Word would print them in an accidental face.
# Left as text for `re` to compile where first used (and keep): 1.5 ms, and most text never gets
# that far (beyond_gb2312 tries the codec first).
_HAN = "[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]"
_GB2312_HAN: frozenset[str] | None = None


def _gb2312_han() -> frozenset[str]:
    """The 6,763 Han characters of GB 2312 (rows 16–87), decoded once per process."""
    global _GB2312_HAN
    if _GB2312_HAN is None:
        chars = set()
        for hi in range(0xB0, 0xF8):
            for lo in range(0xA1, 0xFF):
                try:
                    chars.add(bytes((hi, lo)).decode("gb2312"))
                except UnicodeDecodeError:
                    pass
        _GB2312_HAN = frozenset(chars)
    return _GB2312_HAN


def lacks_gb2312(ch: str) -> bool:
    """True for a Han character that GB 2312 (and so a *_GB2312 font) does not have."""
    return bool(re.match(_HAN, ch)) and ch not in _gb2312_han()


def beyond_gb2312(text: str) -> list[int]:
    """Offsets in `text` of the Han characters GB 2312 lacks, in order (empty for most text)."""
    try:  # most text is all GB 2312 (a Han character is in the table exactly when the codec has it)
        text.encode("gb2312")
        return []
    except UnicodeEncodeError:
        pass
    table = None
    found = []
    for m in re.finditer(_HAN, text):
        table = table or _gb2312_han()
        if m.group() not in table:
            found.append(m.start())
    return found
