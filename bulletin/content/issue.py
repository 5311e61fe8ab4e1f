"""The composed issue: everything a writer needs to print one issue, as plain data.

Apart from the composer (content/compose.py, which reads the workspace) so that writers can know
the type without knowing the workspace: a writer is a function of a ComposedIssue and a preset.
"""
from __future__ import annotations

from dataclasses import dataclass

from bulletin.content.blocks import Article, Block
from bulletin.model.files import IssueMeta, SeriesConfig
from bulletin.model.keys import IssueKey
from bulletin.rules.distribution import Distribution


@dataclass
class ComposedIssue:
    """Everything a writer needs to print one issue; no file access needed after this (pictures
    travel as bytes in their Image blocks)."""

    series: SeriesConfig
    key: IssueKey
    meta: IssueMeta
    articles: list[Article]
    editor_note: list[Block]
    distribution: Distribution
