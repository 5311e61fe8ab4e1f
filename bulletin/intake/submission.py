"""Submissions → articles: a department's .docx, .doc/.wps or .txt (or a ready .md) becomes an article.

Each reader produces one small model, a list of SubmittedParagraph (docx_reader.py for .docx;
LibreOffice turns .doc and .wps into .docx first; plain text is read here). `_shape` then finds the
title, the source unit (`（市民政局供稿）`) and the headings, splits manual line breaks and takes picture
captions; `article_files` writes the Markdown with YAML front matter and names the pictures. Nothing
is written here: the pipeline writes every file of an `add` together with issue.yaml.
"""
from __future__ import annotations

import codecs
import io
import re
import shutil
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from bulletin.cjk import breaks_paragraph, clean_text, join_soft_break, one_line
from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.intake.docx_body import (
    EMPTY_FILE,
    EMPTY_FILE_HINT,
    EMU_PER_MM,
    MAX_DOCX_BYTES,
    Picture,
    SubmittedParagraph,
    Text,
    read_docx,
)

SUFFIXES = (".md", ".docx", ".doc", ".wps", ".txt")
MAX_TEXT_BYTES = 20 * 1024 * 1024
LIBREOFFICE_TIMEOUT = 120.0

_WS = " \t\u3000\xa0\u2002\u2003\u2009\u200b"
_LINE = "\x0b\u2028\n"
_PAGE = "\x0c\u2029\x85"
_BREAK = re.compile(f"([{_LINE}{_PAGE}])")
_SENTENCE_END = "。！？；，：.!?;,:"

_SAVE_AS_DOCX = "open it in Word or WPS and save it as a Word document (.docx)"


# --- what a submission becomes -------------------------------------------------------------------

@dataclass
class Heading:
    level: int
    text: str


@dataclass
class Figure:
    picture: Picture
    caption: str = ""


@dataclass
class Submission:
    """One file given to `bulletin add`, read and checked: a Markdown article to copy, or a
    submission shaped into title, source and blocks (paragraphs, headings, figures)."""

    shown: str                     # the path as the user gave it, for messages
    file_name: str                 # the article's file name in the issue folder, before de-duplication
    title: str = ""
    source: str = ""
    author: str = ""
    blocks: list = field(default_factory=list)   # SubmittedParagraph | Heading | Figure
    notes: list[Diagnostic] = field(default_factory=list)
    markdown: str | None = None    # a .md article: its text, copied as it is
    section: str = ""              # the section the article names itself
    pictures: dict[str, bytes] = field(default_factory=dict)  # a .md article's pictures, by link


def read_submission(path: Path) -> Submission:
    """Read and check one file for `add`; BulletinError names the file, what is wrong and what to do."""
    path = Path(path)
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix == ".docm":
        raise fail(shown, None, "a macro-enabled Word document (.docm) is not accepted",
                   "open it in Word or WPS and save it as a plain Word document (.docx)")
    if suffix not in SUFFIXES:
        raise fail(shown, None, f"cannot add a {suffix or 'file without an extension'} file",
                   "add Markdown (.md), Word (.docx, .doc), WPS (.wps) or plain text (.txt) files")
    if not path.is_file():
        raise fail(shown, None, "file not found" if not path.exists() else "not a file",
                   "check the path of the submission")
    if path.stat().st_size == 0:
        raise fail(shown, None, EMPTY_FILE, EMPTY_FILE_HINT)
    if suffix == ".md":
        return _read_markdown(path, shown)
    name = safe_article_name(path.stem + ".md")
    if suffix == ".txt":
        paragraphs, notes, first_line = _read_text(path, shown), _web_junk_notes(path, shown), True
    elif suffix == ".docx":
        (paragraphs, notes), first_line = read_docx(path, shown), False
    else:
        (paragraphs, notes), first_line = _read_with_libreoffice(path, shown), False
    submission = Submission(shown, name, notes=list(notes))
    _shape(submission, paragraphs, first_line)
    return submission


def _read_markdown(path: Path, shown: str) -> Submission:
    from bulletin.model.files import ArticleMeta
    from bulletin.store.loaders import parse_front_matter, read_text, validate

    text = read_text(path)
    fm = parse_front_matter(text, path)
    meta = validate(ArticleMeta, fm.meta)
    return Submission(shown, safe_article_name(path.name), meta.title, meta.source, meta.author,
                      markdown=text, section=meta.section, pictures=_markdown_pictures(path, shown, fm))


def _markdown_pictures(path: Path, shown: str, fm) -> dict[str, bytes]:
    """The pictures a .md article shows (`![说明](photo.jpg)`), by link, read from beside it so they
    travel into the issue with it; a picture `render` would refuse is refused here, with its line."""
    from bulletin.content.blocks import Image
    from bulletin.content.compose import check_pictures
    from bulletin.content.markdown import parse_markdown

    images = [b for b in parse_markdown(fm.body, fm.body_first_line, fm.body_lines) if isinstance(b, Image)]
    problems = check_pictures(path, images, shown)  # reads each good picture into its block
    if problems:
        raise BulletinError(problems)
    return {image.src: image.picture.data for image in images}


# --- plain text --------------------------------------------------------------------------------------

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
        raise fail(shown, None, "this is not a text file that can be read (it is full of NUL bytes)",
                   "save it again as text with encoding UTF-8, or add the Word file itself")
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
    return fail(shown, None, "the file is not text in UTF-8, UTF-16, GB18030 or Big5, the encodings Chinese "
                "Windows, WPS and Mac save", _SAVE_AS_UTF8)


_SAVE_AS_UTF8 = ("open it, check that the text shows correctly, and save it again as UTF-8 (Notepad: Save as → "
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
    score, _, _, text = max(readings)
    if utf8 is not None:
        return text if score >= 1.0 else utf8
    if score < _PLAUSIBLE:
        raise fail(shown, None, "the text reads as nonsense in every encoding tried (UTF-8, UTF-16, GB18030, "
                   "Big5): it is in another encoding, or not text", _SAVE_AS_UTF8)
    return text


def _read_text(path: Path, shown: str) -> list[SubmittedParagraph]:
    """A .txt as paragraphs: the first line stays a paragraph of its own (the title); the rest are
    split at blank lines and indented lines, and every line is a paragraph when the text has neither
    (Word's "save as text" writes one paragraph per line)."""
    try:
        if path.stat().st_size > MAX_TEXT_BYTES:
            raise fail(shown, None, f"the file is larger than {MAX_TEXT_BYTES // (1024 * 1024)} MB",
                       "an article is a few pages of text; check that this is the right file")
        raw = path.read_bytes()
    except OSError as exc:
        raise fail(shown, None, f"cannot read the file ({exc.strerror or exc})", "check the path") from None
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
    return [Diagnostic(f"{shown}:{f.line}:{f.col}", None, f"web-page leftover '{f.details['found']}'", "warning",
                       "delete it; after adding, 'bulletin lint' with --fix deletes it where it is still a line of its own")
            for f in lint_text(text, only=("web-junk",))]


# --- .doc and .wps through LibreOffice ---------------------------------------------------------------

def _read_with_libreoffice(path: Path, shown: str) -> tuple[list[SubmittedParagraph], list[Diagnostic]]:
    """A .doc or .wps converted to .docx by LibreOffice headless (private profile, timeout), then read
    like any .docx; a .docx under a .doc name is read directly."""
    from bulletin.office import launcher as office

    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise fail(shown, None, f"cannot read the file ({exc.strerror or exc})", "check the path") from None
    if size > MAX_DOCX_BYTES:
        raise fail(shown, None, f"the file is more than {MAX_DOCX_BYTES // (1024 * 1024)} MB",
                   "compress its pictures, or send the pictures separately")
    if head.startswith(b"PK"):
        return read_docx(path, shown)
    office.require_soffice(shown, f"a {path.suffix.lower()} file needs LibreOffice to be read, and it is not installed",
                           "open it in Word or WPS and save it as .docx, then add that (or install LibreOffice: "
                           "apt-get install libreoffice-writer-nogui)")
    with tempfile.TemporaryDirectory(prefix="bulletin-import-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        # a plain ASCII name: LibreOffice reads arguments starting with '-' as options
        src = work / "in" / f"submission{path.suffix.lower()}"
        shutil.copyfile(path, src)
        try:
            made = office.converter(LIBREOFFICE_TIMEOUT).convert(src, "docx:MS Word 2007 XML", work / "out")
        except office.OfficeTimeout:
            raise fail(shown, None, f"LibreOffice did not finish reading the file within {LIBREOFFICE_TIMEOUT:.0f} s",
                       _SAVE_AS_DOCX) from None
        if not made.is_file() or made.stat().st_size == 0:
            raise fail(shown, None, "LibreOffice could not read this file (damaged, password-protected, "
                       "or not a Word or WPS document)", _SAVE_AS_DOCX)
        return read_docx(made, shown)


# --- shaping paragraphs into an article ---------------------------------------------------------------

def _text(pieces: list) -> str:
    return "".join(p.text for p in pieces if isinstance(p, Text))


def _split_breaks(par: SubmittedParagraph) -> list[SubmittedParagraph]:
    """A paragraph cut at page breaks and pictures, and at manual line breaks where the line before
    ends a sentence or the next starts a new point (二是…, （三）…); other manual breaks join the lines
    the Chinese way. Titles, headings and centred lines always join (their breaks are for looks)."""
    joins = par.centred or par.heading or par.prominent or par.from_table
    lines: list[tuple[str, list]] = []  # (what came before the line: start | line | page, its pieces)
    kind, current = "start", []
    for piece in par.pieces:
        if isinstance(piece, Picture):
            lines += [(kind, current), ("page", [piece])]
            kind, current = "page", []
            continue
        for part in _BREAK.split(piece.text):
            if part and part in _LINE:
                lines.append((kind, current))
                kind, current = "line", []
            elif part and part in _PAGE:
                lines.append((kind, current))
                kind, current = "page", []
            elif part:
                current.append(Text(part, piece.bold))
    lines.append((kind, current))
    out: list[SubmittedParagraph] = []
    open_par: SubmittedParagraph | None = None
    for kind, pieces in lines:
        if pieces and isinstance(pieces[0], Picture):
            out.append(replace(par, pieces=pieces))
            open_par = None
            continue
        text = _text(pieces)
        if not text.strip(_WS):
            if kind == "line" and not joins:
                open_par = None  # an empty line: the next one starts a paragraph
            continue
        if open_par is not None and kind == "line" and (joins or not breaks_paragraph(open_par.text, text)):
            _strip(open_par.pieces, left=False)
            _strip(pieces, right=False)
            joint = join_soft_break(open_par.text, _text(pieces))
            open_par.pieces += ([Text(joint)] if joint else []) + pieces
            continue
        open_par = replace(par, pieces=pieces)
        out.append(open_par)
    return out


def _strip(pieces: list, left: bool = True, right: bool = True) -> list:
    """Drop the indent and trailing spaces (ASCII and full-width) of a line, in place."""
    while left and pieces and isinstance(pieces[0], Text) and not pieces[0].text.strip(_WS):
        pieces.pop(0)
    if left and pieces and isinstance(pieces[0], Text):
        pieces[0] = Text(pieces[0].text.lstrip(_WS), pieces[0].bold)
    while right and pieces and isinstance(pieces[-1], Text) and not pieces[-1].text.strip(_WS):
        pieces.pop()
    if right and pieces and isinstance(pieces[-1], Text):
        pieces[-1] = Text(pieces[-1].text.rstrip(_WS), pieces[-1].bold)
    return pieces


def _cleaned(par: SubmittedParagraph) -> SubmittedParagraph:
    pieces = [p if isinstance(p, Picture) else Text(clean_text(p.text).replace("\n", ""), p.bold)
              for p in par.pieces]
    return replace(par, pieces=_strip([p for p in pieces if isinstance(p, Picture) or p.text]))


# 供稿 lines: （市民政局供稿） （供稿：市民政局） 供稿单位：市民政局 — the value in group "v"
_SOURCE_LINES = [
    re.compile(r"^[（(]\s*(?P<v>[^（）()：:]{1,40}?)\s*供稿\s*[）)]$"),
    re.compile(r"^[（(]\s*供稿(?:单位)?\s*[:：]\s*(?P<v>[^（）()]{1,40}?)\s*[）)]$"),
    re.compile(r"^供稿(?:单位)?\s*[:：]\s*(?P<v>[^（）()]{1,40}?)$"),
]
_AUTHOR_LINE = re.compile(r"^[（(]?\s*(?:撰稿人?|执笔人?|作者)\s*[:：]\s*(?P<v>[^（）()]{1,40}?)\s*[）)]?$")
_TRAILING_SOURCE = re.compile(r"\s*[（(]\s*(?P<v>[^（）()：:]{1,40}?)\s*供稿\s*[）)]$")

# Headings the author numbered, by level (GB/T 9704: 一、 （一） 1. （1）)
_NUMBERED = [(1, re.compile(r"^[一二三四五六七八九十]+、")), (2, re.compile(r"^[（(][一二三四五六七八九十]+[）)]")),
             (3, re.compile(r"^\d+[.．、](?!\d)")), (4, re.compile(r"^[（(]\d+[）)]"))]
_CAPTION_START = re.compile(r"^(?:图为|图：|图:|图片：|图片:|上图|下图|图\d)")


def _numbered_level(text: str, deepest: int = 4) -> int:
    return next((level for level, pattern in _NUMBERED[:deepest] if pattern.match(text)), 0)


def _is_text(par) -> bool:
    return isinstance(par, SubmittedParagraph) and bool(par.text.strip(_WS)) \
        and not any(isinstance(p, Picture) for p in par.pieces)


def _shape(sub: Submission, paragraphs: list[SubmittedParagraph], first_line: bool) -> None:
    """Fill the submission's title, source, author and blocks from its paragraphs."""
    pars = [_cleaned(p) for par in paragraphs for p in _split_breaks(par)]
    pars = [p for p in pars if p.pieces]
    text_at = [i for i, p in enumerate(pars) if _is_text(p) and not p.from_table]
    if not text_at:
        raise fail(sub.shown, None, "the file has no text to make an article of", _SAVE_AS_DOCX)
    # the title: the first centred, title-styled or larger paragraph among the first three
    at = None if first_line else next((i for i in text_at[:3] if pars[i].centred or pars[i].prominent
                                       or pars[i].heading), None)
    if at is None:
        at = text_at[0]
        how = "the first line" if first_line else "the first paragraph (none is centred, title-styled or larger)"
        sub.notes.append(Diagnostic(sub.shown, None, f"title taken from {how}: {_one_line(pars[at].text)}",
                                    "warning", "check it, and correct 'title:' in the article if it is wrong"))
    title = pars[at]
    before, rest = pars[:at], pars[at + 1:]
    if any(_is_text(p) for p in before):
        sub.notes.append(Diagnostic(sub.shown, None, f"{sum(_is_text(p) for p in before)} line(s) before the "
                                    "title were kept at the start of the article", "warning",
                                    "delete them if they are not part of it"))
    parts = [title.text]
    while (rest and _is_text(rest[0]) and len(parts) < 3 and title.look and rest[0].look == title.look
           and title.centred and title.prominent and rest[0].centred and rest[0].text[:1] not in "—-（("
           and not _numbered_level(rest[0].text) and parts[-1][-1:] not in _SENTENCE_END):
        parts.append(rest.pop(0).text)  # a long title set on two centred lines
    sub.title = _one_line("".join(parts))
    if len(sub.title) > 60:
        sub.notes.append(Diagnostic(sub.shown, None, f"the title is {len(sub.title)} characters long", "warning",
                                    "check that it is the title and not the first paragraph"))
    body = before + rest
    _take_source(sub, body)
    sub.blocks = _captioned(_headed(body))


def _take_source(sub: Submission, body: list) -> None:
    """A closing （××供稿） / 供稿单位：×× line (or one right under the title) becomes `source:`, a
    closing 撰稿：×× line `author:`; the line leaves the body."""
    def source_of(text: str) -> str:
        return next((m.group("v") for pattern in _SOURCE_LINES if (m := pattern.match(text))), "")

    tail = [i for i, p in enumerate(body) if _is_text(p)][-3:]
    for i in reversed(tail):
        text = body[i].text.strip(_WS)
        if not sub.source and (value := source_of(text)):
            sub.source = _one_line(value)
        elif not sub.author and (m := _AUTHOR_LINE.match(text)):
            sub.author = _one_line(m.group("v"))
        else:
            break
        body[i] = None
    body[:] = [p for p in body if p is not None]
    if sub.source:
        return
    first = next((i for i, p in enumerate(body) if _is_text(p)), None)
    if first is not None and (value := source_of(body[first].text.strip(_WS))):
        sub.source = _one_line(value)
        del body[first]
        return
    last = next((i for i in range(len(body) - 1, -1, -1) if _is_text(body[i])), None)
    if last is None:
        return
    pieces = body[last].pieces
    if isinstance(pieces[-1], Text) and (m := _TRAILING_SOURCE.search(pieces[-1].text)):
        sub.source = _one_line(m.group("v"))
        pieces[-1] = Text(pieces[-1].text[:m.start()], pieces[-1].bold)
        _strip(pieces)
        if not pieces:
            del body[last]


def _headed(body: list[SubmittedParagraph]) -> list:
    """Heading-styled paragraphs, and short standalone lines the author numbered 一、 or （一）,
    become headings; a numbered heading's level follows its number, an unnumbered one its style."""
    styled = [p.heading for p in body if _is_text(p) and p.heading and not _numbered_level(p.text)
              and not _too_long_for_heading(p.text, 80, strict=False)]
    shift = min(styled) - 1 if styled else 0
    out: list = []
    for par in body:
        if not _is_text(par) or par.from_table:
            out.append(par)
            continue
        text = _one_line(par.text)
        numbered = _numbered_level(text)
        if par.heading and not _too_long_for_heading(text, 80, strict=False):
            out.append(Heading(numbered or min(max(par.heading - shift, 1), 4), text))
        elif _numbered_level(text, deepest=2) and not _too_long_for_heading(text, 40):
            out.append(Heading(numbered, text))
        else:
            out.append(par)
    return out


def _too_long_for_heading(text: str, limit: int, strict: bool = True) -> bool:
    """A heading is one short line, not sentences: no 。 inside; and, unless a heading style says
    so (`strict=False`), no sentence mark at its end either."""
    return len(text) > limit or "。" in text[:-1] or (strict and text[-1:] in _SENTENCE_END)


def _captioned(blocks: list) -> list:
    """Picture paragraphs → figures; a short centred (or 图为…) line right after one is its caption."""
    out: list = []
    i = 0
    while i < len(blocks):
        block = blocks[i]
        picture = (block.pieces[0] if isinstance(block, SubmittedParagraph) and len(block.pieces) == 1
                   and isinstance(block.pieces[0], Picture) else None)
        if picture is None:
            out.append(block)
            i += 1
            continue
        figure = Figure(picture)
        following = blocks[i + 1] if i + 1 < len(blocks) else None
        if isinstance(following, SubmittedParagraph) and _is_text(following):
            text = _one_line(following.text)
            if len(text) <= 60 and (following.centred or _CAPTION_START.match(text)):
                figure.caption = text
                i += 1
        out.append(figure)
        i += 1
    return out


def _one_line(text: str) -> str:
    return one_line(text).strip(_WS)


# --- writing the article ------------------------------------------------------------------------------

_ESCAPE = re.compile(r"([\\`*\[\]<>&#])")
_LINE_START = re.compile(r"^(?:([-+=_~>|])|(\d+)([.)])(?=\s|$))")


def _escaped(text: str) -> str:
    """Text as Markdown that reads back as the same text (no emphasis, links, code or entities)."""
    return _ESCAPE.sub(r"\\\1", text)


def _line_start_escaped(line: str) -> str:
    """A line that would start a list, quote, rule or setext underline, escaped at its start."""
    m = _LINE_START.match(line)
    if not m:
        return line
    if m.group(1):
        return "\\" + line
    return m.group(2) + "\\" + line[len(m.group(2)):]


def _inline(pieces: list) -> str:
    """Pieces → one Markdown line: bold as **…** around the text only (spaces outside, so the
    project's pairing of ** — which ignores punctuation, as in **“一网通办”**改革 — sees it)."""
    merged: list[Text] = []
    for piece in pieces:
        if merged and merged[-1].bold == piece.bold:
            merged[-1] = Text(merged[-1].text + piece.text, piece.bold)
        else:
            merged.append(Text(piece.text, piece.bold))
    out = []
    for piece in merged:
        core = piece.text.strip(_WS)
        if piece.bold and core:
            lead = piece.text[:len(piece.text) - len(piece.text.lstrip(_WS))]
            trail = piece.text[len(piece.text.rstrip(_WS)):]
            out.append(f"{lead}**{_escaped(core)}**{trail}")
        else:
            out.append(_escaped(piece.text))
    line = "".join(out)
    return line if line.startswith("**") else _line_start_escaped(line)


def _picture_stem(article_name: str) -> str:
    """The article's name made safe for a Markdown picture link: letters, digits, Han, - _ ."""
    stem = re.sub(r"[^\w.-]+", "-", article_name.rsplit(".", 1)[0]).strip("-.")
    return stem or "picture"


def article_files(sub: Submission, name: str, section: str, claim: Callable[[str], bool],
                  folder: Path | None = None) -> dict[str, str | bytes]:
    """The files of one article by name: `name` (Markdown with front matter) and its pictures, each
    named `<article>-<n>.<ext>` with the first n that `claim(file name)` grants (a .md article's
    pictures keep their names where `folder`, the issue folder, has none of that name)."""
    section = _one_line(section)
    if sub.markdown is not None:
        text = sub.markdown
        if section and not sub.section:
            text = set_front_matter_key(text, "section", section)
        files: dict[str, str | bytes] = {}
        for link, data in sub.pictures.items():
            picture = _picture_name(link, _picture_stem(name), data, claim, folder)
            if picture is None:
                continue  # the same picture is already in the issue folder
            files[picture] = data
            if picture != link:  # another article's photo.jpg is there: this one takes a new name
                text = text.replace(f"]({link})", f"]({picture})")
        return {name: text, **files}
    fields = {"title": sub.title}
    if sub.source:
        fields["source"] = sub.source
    if sub.author:
        fields["author"] = sub.author
    if section:
        fields["section"] = section
    files: dict[str, str | bytes] = {}
    stem, n = _picture_stem(name), 0
    lines: list[str] = []
    for block in sub.blocks:
        if isinstance(block, Heading):
            lines.append("#" * block.level + " " + _escaped(block.text))
        elif isinstance(block, Figure):
            n += 1
            while not claim(picture := f"{stem}-{n}.{block.picture.ext}"):
                n += 1
            files[picture] = block.picture.data
            lines.append(f"![{_escaped(block.caption)}]({picture}{_width_title(block.picture.width_emu)})")
        else:
            line = _inline([p for p in block.pieces if isinstance(p, Text)])
            if line.strip():
                lines.append(line)
    text = front_matter(fields) + "\n" + "\n\n".join(lines) + "\n"
    _check_article(sub, text, len(files))
    return {name: text, **files}


def _width_title(width_emu: int | None) -> str:
    """The picture link's title that keeps the width the submission set it at: ` "width: 120mm"`,
    rounded to 0.1 mm (half up, in whole EMU), without a trailing .0; nothing when it set none."""
    if not width_emu:
        return ""
    tenths = (width_emu * 10 + EMU_PER_MM // 2) // EMU_PER_MM
    if tenths <= 0:
        return ""
    mm = f"{tenths // 10}" if tenths % 10 == 0 else f"{tenths // 10}.{tenths % 10}"
    return f' "width: {mm}mm"'


def _picture_name(link: str, stem: str, data: bytes, claim: Callable[[str], bool],
                  folder: Path | None) -> str | None:
    """Where a .md article's picture goes in the issue folder: its own name when free, None when the
    very same file is already there, else `<article>-<n>.<ext>`."""
    if claim(link):
        return link
    if folder is not None:
        existing = folder / link
        if existing.is_file() and existing.read_bytes() == data:
            return None
    ext = link.rsplit(".", 1)[-1].lower()
    n = 1
    while not claim(candidate := f"{stem}-{n}.{ext}"):
        n += 1
    return candidate


def _check_article(sub: Submission, text: str, pictures: int) -> None:
    """The article reads back as made: valid front matter with the same title, every picture a
    picture. Guards the escaping; a failure is reported against the submission, never written."""
    from bulletin.content.blocks import Image
    from bulletin.content.markdown import parse_markdown
    from bulletin.model.files import ArticleMeta
    from bulletin.store.loaders import parse_front_matter, validate

    try:
        fm = parse_front_matter(text, Path(sub.shown))
        meta = validate(ArticleMeta, fm.meta)
        blocks = parse_markdown(fm.body, fm.body_first_line, fm.body_lines)
        ok = meta.title == sub.title and sum(isinstance(b, Image) for b in blocks) == pictures
    except BulletinError:
        ok = False
    if not ok:
        raise fail(sub.shown, None, "the submission could not be turned into a valid article",
                   "save its text as a .md article by hand (see README, 'The workspace')")


# --- front matter -----------------------------------------------------------------------------------

def front_matter(fields: dict[str, str]) -> str:
    """`---` YAML `---` for the fields in order, every value quoted where YAML needs it (`#专栏`,
    `经验: 交流`, `[专栏]`), so what is read back is what was given."""
    from ruamel.yaml.comments import CommentedMap

    from bulletin.store.loaders import yaml_writer

    buffer = io.StringIO()
    yaml_writer().dump(CommentedMap(fields), buffer)
    return "---\n" + buffer.getvalue() + "---\n"


def set_front_matter_key(text: str, key: str, value: str) -> str:
    """The article `text` with `key: value` set in its front matter by a YAML round trip (comments,
    order and the body kept), never by pasting the value in as raw YAML."""
    from ruamel.yaml.comments import CommentedMap

    from bulletin.store.loaders import (
        front_matter_yaml,
        split_front_matter,
        yaml_writer,
    )

    lines, end = split_front_matter(text, Path("article"))  # the text was validated when read
    yaml = yaml_writer()
    node = yaml.load(front_matter_yaml(lines, end))
    if not isinstance(node, dict):
        node = CommentedMap()
    node[key] = value
    buffer = io.StringIO()
    yaml.dump(node, buffer)
    newline = "\r\n" if "\r\n" in text else "\n"  # a file from Windows keeps its line ends
    return newline.join([lines[0], *buffer.getvalue().rstrip("\n").split("\n"), *lines[end:]])


# --- file names ----------------------------------------------------------------------------------------

_UNSAFE_IN_NAME = re.compile(r"[/\\:*?\"<>|\x00-\x1f\x7f\x85\u2028\u2029]+")


def safe_article_name(name: str) -> str:
    """A name issue.yaml accepts for an article file (see models._ARTICLE_NAME): characters Windows or
    YAML lists cannot hold become '-', never hidden (no leading dot), at most 80 characters, `.md`."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix.lower() != "md":
        stem, suffix = name, "md"
    stem = _UNSAFE_IN_NAME.sub("-", stem).strip(" .\u3000\t")[:80].rstrip(" .")
    return f"{stem or 'article'}.{suffix}"
