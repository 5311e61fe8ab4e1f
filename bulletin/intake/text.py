"""Reading a .txt submission: its encoding found, its lines made paragraphs.

UTF-8 (with or without a BOM) and UTF-16 with a BOM are read as they say; anything else is read as
GB18030 or Big5, whichever reads as Chinese, scored against the standards' everyday characters with
charset-normalizer to break a tie; a text that reads as nonsense in all of them is refused. The lines
become paragraphs of the small model of pieces.py; a web page's leftovers are reported by line.
"""
from __future__ import annotations

import codecs
import re
from pathlib import Path

from bulletin.cjk import breaks_paragraph, join_soft_break
from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.i18n import N_, _
from bulletin.intake.pieces import _PAGE, _WS, SubmittedParagraph, Text

MAX_TEXT_BYTES = 20 * 1024 * 1024


def _decode(raw: bytes, shown: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, else GB18030/GBK (Chinese Windows Notepad's
    ANSI) or Big5 (Hong Kong's and Taiwan's), whichever reads as Chinese (see `_read_chinese`)."""
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise _not_text(shown) from None
    if raw.startswith(codecs.BOM_UTF8):
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise _not_text(shown) from None
    # a stray NUL pasted from Word is cleaned like any control character; NULs throughout mean
    # UTF-16 without its BOM, or not text at all
    if raw.count(b"\x00") * 10 > len(raw):
        raise fail(shown, None, _("this is not a text file that can be read (it is full of NUL bytes)"),
                   _("save it again as text with encoding UTF-8, or add the Word file itself"))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return _read_chinese(raw, shown, None)
    # Valid UTF-8 is UTF-8 — unless it holds no Chinese at all but letters of scripts such as Hebrew,
    # Greek or Cyrillic: a few GB18030 characters can form valid UTF-8 by chance (通知 reads as ֪ͨ)
    if max(text, default="\x00") < "\u0800" and any("\u0250" <= ch for ch in text):
        return _read_chinese(raw, shown, text)
    return text


def _not_text(shown: str) -> BulletinError:
    return fail(shown, None, _("the file is not text in UTF-8, UTF-16, GB18030 or Big5, the encodings Chinese "
                               "Windows, WPS and Mac save"), _(_SAVE_AS_UTF8))


_SAVE_AS_UTF8 = N_("open it, check that the text shows correctly, and save it again as UTF-8 (Notepad: Save as → "
                   "Encoding UTF-8), or add the Word file itself")

# The Chinese readings of a text that is not UTF-8: the name for messages and the codecs to try in
# turn (Big5 as Windows writes it, then with Hong Kong's additions).
_CHINESE_CODECS = (("GB18030", ("gb18030",)), ("Big5", ("cp950", "big5hkscs")))
_PLAUSIBLE = 0.8   # a reading whose characters score less than this on average is nonsense
_COMMON_MARKS = frozenset("　，、。．；：？！…—–·‧・（）〔〕【】《》〈〉「」『』‘’“”％＋－×÷／＃＆＊※§○●△▲◎☆★◇◆□■"
                          "№℃°～＜＞＝≤≥①②③④⑤⑥⑦⑧⑨⑩ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"
                          + "".join(map(chr, range(0xFF01, 0xFF5F))) + "".join(map(chr, range(0x2500, 0x2580))))
_HAN_CHAR = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_LEVELS: dict[str, tuple[frozenset[str], frozenset[str]]] = {}


def _levels(name: str) -> tuple[frozenset[str], frozenset[str]]:
    """The common (level 1) and less common (level 2) Han characters of GB 2312 or Big5, decoded
    from the standards' own rows once per process: GB 2312 rows B0–D7 and D8–F7; Big5 A440–C67E
    and C940–F9D5 (each standard's first level holds the characters in everyday use)."""
    if name not in _LEVELS:
        def rows(codec: str, leads: range, trails: list[int]) -> frozenset[str]:
            out = set()
            for hi in leads:
                for lo in trails:
                    try:
                        out.add(bytes((hi, lo)).decode(codec))
                    except UnicodeDecodeError:
                        pass
            return frozenset(ch for ch in out if _HAN_CHAR.match(ch))
        if name == "GB18030":
            gb_trails = list(range(0xA1, 0xFF))
            _LEVELS[name] = rows("gb2312", range(0xB0, 0xD8), gb_trails), rows("gb2312", range(0xD8, 0xF8), gb_trails)
        else:
            big5_trails = list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF))
            first = rows("cp950", range(0xA4, 0xC6), big5_trails) | rows("cp950", range(0xC6, 0xC7), big5_trails[:63])
            _LEVELS[name] = first, rows("cp950", range(0xC9, 0xFA), big5_trails)
    return _LEVELS[name]


def _plausibility(text: str, name: str) -> float:
    """How much `text` reads as Chinese written in `name`'s standard: the mean, over its non-ASCII
    characters, of 1 for an everyday character or mark, ½ for a level-2 character, ¼ for any other
    Han character and 0 for the rest (kana, Cyrillic, bopomofo, private use …, what a wrong decoding
    makes). For GB18030 the everyday characters include Big5's, as GBK holds traditional characters
    too. A GB18030 text read as Big5 scores about 0.5–0.9 and a Big5 text read as GB18030 about
    0.1–0.6, against 0.95–1 for the right reading."""
    from collections import Counter

    first, second = _levels(name)
    if name == "GB18030":  # GBK also holds the traditional characters, as pasted from a Taiwan page
        first = first | _levels("Big5")[0]
    total = weight = 0.0
    for ch, n in Counter(text).items():
        if ch < "\x80":
            continue
        total += n
        if ch in first or ch in _COMMON_MARKS:
            weight += n
        elif ch in second:
            weight += n / 2
        elif _HAN_CHAR.match(ch):
            weight += n / 4
    return weight / total if total else 1.0


def _read_chinese(raw: bytes, shown: str, utf8: str | None) -> str:
    """The GB18030 or the Big5 reading of `raw`, whichever is more plausible Chinese; on a tie (a
    few characters that read as Chinese either way) the one charset-normalizer finds less chaotic,
    then GB18030. `utf8`, a valid UTF-8 reading without Chinese, is kept unless a reading is
    entirely plausible Chinese. Refused when every reading fails or is nonsense."""
    from charset_normalizer.md import mess_ratio

    readings = []
    for order, (name, codec_names) in enumerate(_CHINESE_CODECS):
        for codec in codec_names:
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            readings.append((_plausibility(text, name), -mess_ratio(text[:65536], 1.0), -order, text))
            break
    if not readings:
        if utf8 is not None:
            return utf8
        raise _not_text(shown)
    score, _chaos, _order, text = max(readings)
    if utf8 is not None:
        return text if score >= 1.0 else utf8
    if score < _PLAUSIBLE:
        raise fail(shown, None, _("the text reads as nonsense in every encoding tried (UTF-8, UTF-16, GB18030, "
                                  "Big5): it is in another encoding, or not text"), _(_SAVE_AS_UTF8))
    return text


def _read_text(path: Path, shown: str) -> list[SubmittedParagraph]:
    """A .txt as paragraphs: the first line stays a paragraph of its own (the title); the rest are
    split at blank lines and indented lines, and every line is a paragraph when the text has neither
    (Word's "save as text" writes one paragraph per line)."""
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise fail(shown, None, _("the file is larger than {mb} MB").format(mb=MAX_TEXT_BYTES // (1024 * 1024)),
                       _("an article is a few pages of text; check that this is the right file"))
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(shown, None, _("cannot read the file ({reason})").format(reason=exc.strerror or exc),
                   _("check the path")) from None
    text = _decode(raw, shown).replace("\r\n", "\n").replace("\r", "\n")
    lines = re.sub(f"[{_PAGE}]", "\n\n", text).split("\n")

    def blank(line: str) -> bool:
        return not line.strip(_WS + "\x0b")
    while lines and blank(lines[0]):
        lines.pop(0)
    if not lines:
        return []
    out = [SubmittedParagraph([Text(lines[0])])]
    body = lines[1:]
    filled = [i for i, line in enumerate(body) if not blank(line)]
    has_blank = bool(filled) and any(blank(line) for line in body[filled[0]:filled[-1]])
    has_indent = any(body[i][:1] in _WS for i in filled)
    current: SubmittedParagraph | None = None
    after_blank = True
    for line in body:
        if blank(line):
            after_blank = True
            continue
        starts = (after_blank or current is None or (has_indent and line[:1] in _WS)
                  or not (has_blank or has_indent) or breaks_paragraph(current.text, line))
        if starts:
            current = SubmittedParagraph([Text(line)])
            out.append(current)
        else:
            left, right = current.text.rstrip(_WS), line.strip(_WS)
            current.pieces = [Text(left + join_soft_break(left, right) + right)]
        after_blank = False
    return out


def _web_junk_notes(path: Path, shown: str) -> list[Diagnostic]:
    """A warning for every line of a .txt that a web page left (打印本页, 发布时间：…, a counter's
    number), with its line in the .txt, before the reader joins lines into paragraphs."""
    from bulletin.content.proofread import lint_text

    text = _decode(path.read_bytes(), shown).replace("\r\n", "\n").replace("\r", "\n")
    return [Diagnostic(f"{shown}:{f.line}:{f.col}", None,
                       _("web-page leftover '{found}'").format(found=f.details["found"]), "warning",
                       _("delete it; after adding, 'bulletin lint' with --fix deletes it where it is still a line "
                         "of its own"))
            for f in lint_text(text, only=("web-junk",))]
