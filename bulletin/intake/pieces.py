"""The small model the stages of intake pass along, and the characters its text may hold.

A reader (docx_body.py, text.py, legacy.py) yields paragraphs of `Text` and `Picture` pieces with what
their formatting says (centred, a heading, larger than the body); shaping.py makes of them a
`Submission` of headings, figures and paragraphs, which markdown_out.py writes as an article.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bulletin.cjk import one_line
from bulletin.errors import Diagnostic

EMU_PER_MM = 36_000  # a Picture's width is in EMU, as Word gives it

_WS = " \t\u3000\xa0\u2002\u2003\u2009\u200b"
_LINE = "\x0b\u2028\n"
_PAGE = "\x0c\u2029\x85"


# --- what a reader yields --------------------------------------------------------------------------

@dataclass
class Text:
    """Text in one weight; may hold \\x0b (a manual line break) or \\x0c (a page break)."""

    text: str
    bold: bool = False


@dataclass
class Picture:
    """An embedded picture: its bytes, the file extension its format calls for, and the width the
    document shows it at (`wp:extent`, or an old VML shape's style) in EMU, None when it says none."""

    data: bytes
    ext: str
    width_emu: int | None = None


@dataclass
class SubmittedParagraph:
    """One paragraph as submitted, with what its formatting says about it."""

    pieces: list = field(default_factory=list)  # Text | Picture
    centred: bool = False
    heading: int = 0          # 1–9 from a Heading style or an outline level; 0 for body text
    prominent: bool = False   # styled Title or Heading, or set larger than the body text
    size: float | None = None  # the point size most of its characters have
    look: tuple = ()          # style and size, to tell a title's second line from what follows it
    from_table: bool = False

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces if isinstance(p, Text))


# --- what a submission becomes -------------------------------------------------------------------

@dataclass
class SubmittedTable:
    """A table of text as submitted (at least two rows and two columns with text, no pictures): rows
    of cells, each cell its text pieces, a cell's paragraphs joined by '　'. A merged cell's text is in
    its first (top-left) cell and the cells it covers are empty; rows and columns without any text
    are left out."""

    rows: list[list[list[Text]]]
    merged: bool = False

    @property
    def pieces(self) -> list[Text]:
        """Every cell's pieces, row by row: what a paragraph's `pieces` are, read-only."""
        return [piece for row in self.rows for cell in row for piece in cell]

    @property
    def text(self) -> str:
        """The table's text: a line per row, its cells separated by '　'."""
        return "\n".join("\u3000".join("".join(p.text for p in cell) for cell in row) for row in self.rows)


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
    blocks: list = field(default_factory=list)   # SubmittedParagraph | Heading | Figure | SubmittedTable
    notes: list[Diagnostic] = field(default_factory=list)
    markdown: str | None = None    # a .md article: its text, copied as it is
    section: str = ""              # the section the article names itself
    pictures: dict[str, bytes] = field(default_factory=dict)  # a .md article's pictures, by link


def _one_line(text: str) -> str:
    """A title's, a heading's or a caption's text on one line, without the spaces around it."""
    return one_line(text).strip(_WS)
