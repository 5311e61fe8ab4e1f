"""The document model between the Markdown reader and the writers: articles made of blocks of runs.

Plain records with source lines (the markdown-it habit), so transforms and writers never see Markdown.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Union

from bulletin.content.pictures import Picture


@dataclass
class Run:
    """Text set in one format. A run whose text is "\\n" is a line break inside the paragraph."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Paragraph:
    runs: list[Run]
    line: int | None = None

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Heading:
    """A numbered heading, level 1–4 (一、 / （一） / 1. / （1））; `label` is filled by a transform."""

    level: int
    runs: list[Run]
    line: int | None = None
    label: str = ""

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Image:
    """A picture file (relative to the issue folder) with an optional caption below it; composing
    reads it into `picture`, which is all a writer uses."""

    src: str
    caption: str = ""
    line: int | None = None
    title: str = ""                  # the Markdown title, where an article sets `"width: 120mm"`
    width_mm: float | None = None    # the printed width the title asks for (set by compose's check)
    picture: Picture | None = None   # the file's bytes, format and size (set by compose's check)


@dataclass
class Table:
    """A table: rows of cells, each cell its runs; the first `header_rows` rows are the header (bold,
    repeated on every page the table spans). `align` gives each column's alignment as the Markdown
    delimiter row sets it: "left", "center", "right" or "" (not set)."""

    rows: list[list[list[Run]]]
    align: list[str] = field(default_factory=list)
    header_rows: int = 1
    line: int | None = None

    @property
    def columns(self) -> int:
        return max((len(row) for row in self.rows), default=0)

    def cell_text(self, row: int, column: int) -> str:
        cells = self.rows[row]
        return "".join(r.text for r in cells[column]) if column < len(cells) else ""


Block = Union[Paragraph, Heading, Image, Table]


@dataclass
class Article:
    """One article as printed: its front matter, its blocks, and the file it came from."""

    title: str
    blocks: list[Block]
    path: Path
    source: str = ""
    author: str = ""
    section: str = ""
