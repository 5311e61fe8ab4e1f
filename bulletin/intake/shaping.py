"""Paragraphs into an article: the heuristics that find what a submission's parts are.

`_shape` finds the title (centred, title-styled or larger, else the first line), the source unit
(`（市民政局供稿）`) and author lines, and the headings (styled, or numbered 一、 （一）); it splits
manual line breaks the Chinese way and takes picture captions. It reads the small model of pieces.py,
whichever reader filled it, and fills a Submission.
"""
from __future__ import annotations

import re
from dataclasses import replace

from bulletin.cjk import breaks_paragraph, clean_text, join_soft_break
from bulletin.errors import Diagnostic, fail
from bulletin.i18n import _
from bulletin.intake.pieces import (
    _LINE,
    _PAGE,
    _WS,
    Figure,
    Heading,
    Picture,
    Submission,
    SubmittedParagraph,
    SubmittedTable,
    Text,
    _one_line,
)
from bulletin.intake.words import _SAVE_AS_DOCX

_BREAK = re.compile(f"([{_LINE}{_PAGE}])")
_SENTENCE_END = "。！？；，：.!?;,:"


def _text(pieces: list) -> str:
    return "".join(p.text for p in pieces if isinstance(p, Text))


def _split_breaks(par: SubmittedParagraph) -> list[SubmittedParagraph]:
    """A paragraph cut at page breaks and pictures, and at manual line breaks where the line before
    ends a sentence or the next starts a new point (二是…, （三）…); other manual breaks join the lines
    the Chinese way. Titles, headings and centred lines always join (their breaks are for looks)."""
    if isinstance(par, SubmittedTable):
        return [par]
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


def _cleaned_table(table: SubmittedTable) -> SubmittedTable:
    """Each cell on one line: Word's line breaks joined the Chinese way, controls removed, trimmed."""
    def cell(pieces: list) -> list:
        out = []
        for piece in pieces:
            lines = clean_text(piece.text).split("\n")
            text = lines[0]
            for line in lines[1:]:
                text, line = text.rstrip(_WS), line.lstrip(_WS)
                text += join_soft_break(text, line) + line
            if text:
                out.append(Text(text, piece.bold))
        return _strip(out)

    return replace(table, rows=[[cell(pieces) for pieces in row] for row in table.rows])


def _cleaned(par: SubmittedParagraph) -> SubmittedParagraph:
    if isinstance(par, SubmittedTable):
        return _cleaned_table(par)
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
    pars = [p for p in pars if isinstance(p, SubmittedTable) or p.pieces]
    text_at = [i for i, p in enumerate(pars) if _is_text(p) and not p.from_table]
    if not text_at:
        raise fail(sub.shown, None, _("the file has no text to make an article of"), _(_SAVE_AS_DOCX))
    # the title: the first centred, title-styled or larger paragraph among the first three
    at = None if first_line else next((i for i in text_at[:3] if pars[i].centred or pars[i].prominent
                                       or pars[i].heading), None)
    if at is None:
        at = text_at[0]
        taken = (_("title taken from the first line: {title}") if first_line else
                 _("title taken from the first paragraph (none is centred, title-styled or larger): {title}"))
        sub.notes.append(Diagnostic(sub.shown, None, taken.format(title=_one_line(pars[at].text)),
                                    "warning", _("check it, and correct 'title:' in the article if it is wrong")))
    title = pars[at]
    before, rest = pars[:at], pars[at + 1:]
    if any(_is_text(p) for p in before):
        sub.notes.append(Diagnostic(sub.shown, None, _("{n} line(s) before the title were kept at the start of "
                                                       "the article").format(n=sum(_is_text(p) for p in before)),
                                    "warning", _("delete them if they are not part of it")))
    parts = [title.text]
    while (rest and _is_text(rest[0]) and len(parts) < 3 and title.look and rest[0].look == title.look
           and title.centred and title.prominent and rest[0].centred and rest[0].text[:1] not in "—-（("
           and not _numbered_level(rest[0].text) and parts[-1][-1:] not in _SENTENCE_END):
        parts.append(rest.pop(0).text)  # a long title set on two centred lines
    sub.title = _one_line("".join(parts))
    if len(sub.title) > 60:
        sub.notes.append(Diagnostic(sub.shown, None, _("the title is {n} characters long").format(n=len(sub.title)),
                                    "warning", _("check that it is the title and not the first paragraph")))
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
