"""A shaped submission written as an article: Markdown with YAML front matter, and its pictures named.

`article_files` returns the files of one article by name (nothing is written here: the `add` command
writes every file of an `add` together with issue.yaml), escaping the text so it reads back as given,
and checks that the article reads back as made. `safe_article_name` is the file name it may take.
"""
from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Callable

from bulletin.errors import BulletinError, fail
from bulletin.i18n import _
from bulletin.intake.pieces import (
    _WS,
    EMU_PER_MM,
    Figure,
    Heading,
    Submission,
    SubmittedTable,
    Text,
    _one_line,
)

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
        if isinstance(block, SubmittedTable):
            lines.append(pipe_table(block))
        elif isinstance(block, Heading):
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
    _check_article(sub, text, len(files), sum(isinstance(b, SubmittedTable) for b in sub.blocks))
    return {name: text, **files}


def pipe_table(table: SubmittedTable) -> str:
    """A table as a GFM pipe table: its first row the header, `|` in a cell escaped, bold as **…**."""
    def cell(pieces: list) -> str:
        return (_inline(pieces) if pieces else "").replace("|", "\\|")

    rows = [[cell(pieces) for pieces in row] for row in table.rows]
    width = max(len(row) for row in rows)
    lines = ["| " + " | ".join(row + [""] * (width - len(row))) + " |" for row in rows]
    return "\n".join([lines[0], "|" + "---|" * width, *lines[1:]])


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


def _check_article(sub: Submission, text: str, pictures: int, tables: int = 0) -> None:
    """The article reads back as made: valid front matter with the same title, every picture a
    picture, every table a table. Guards the escaping; a failure is reported against the
    submission, never written."""
    from bulletin.content.blocks import Image, Table
    from bulletin.content.markdown import parse_markdown
    from bulletin.model.files import ArticleMeta
    from bulletin.store.loaders import parse_front_matter, validate

    try:
        fm = parse_front_matter(text, Path(sub.shown))
        meta = validate(ArticleMeta, fm.meta)
        blocks = parse_markdown(fm.body, fm.body_first_line, fm.body_lines)
        ok = meta.title == sub.title and sum(isinstance(b, Image) for b in blocks) == pictures \
            and sum(isinstance(b, Table) for b in blocks) == tables
    except BulletinError:
        ok = False
    if not ok:
        raise fail(sub.shown, None, _("the submission could not be turned into a valid article"),
                   _("save its text as a .md article by hand (see README, 'The workspace')"))


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
    """A name issue.yaml accepts for an article file (see files._ARTICLE_NAME): characters Windows or
    YAML lists cannot hold become '-', never hidden (no leading dot), at most 80 characters, `.md`."""
    stem, dot, suffix = name.rpartition(".")
    if not dot or suffix.lower() != "md":
        stem, suffix = name, "md"
    stem = _UNSAFE_IN_NAME.sub("-", stem).strip(" .\u3000\t")[:80].rstrip(" .")
    return f"{stem or 'article'}.{suffix}"
