"""Columns (栏目) in print order: the writer prints a column's heading 【…】 where the column starts,
so a column whose articles are apart starts, and is printed, twice."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnApart:
    """Article `name` (at `index` in print order) starts column `column` again, apart from `before`,
    the column's article before it."""

    index: int
    name: str
    column: str
    before: str


def columns_apart(articles: list[tuple[str, str]]) -> list[ColumnApart]:
    """Each article of `articles` ((file name, column) in print order) that starts its column a second
    time. Articles without a column stay in the column before them, as the writer prints them."""
    out: list[ColumnApart] = []
    current, last_of = None, {}
    for index, (name, column) in enumerate(articles):
        if column and column != current and column in last_of:
            out.append(ColumnApart(index, name, column, last_of[column]))
        if column:
            current, last_of[column] = column, name
    return out
