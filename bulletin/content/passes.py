"""Block → block passes between reading and writing (the pandoc habit): heading numbers."""
from __future__ import annotations

import re

from bulletin.cjk import chinese_numeral
from bulletin.content.blocks import Block, Heading

_HAN_NUM = "一二三四五六七八九十百零〇"
# A heading the author already numbered, at any level: 一、  （一）  1.  1．  1、  （1）
ALREADY_NUMBERED = re.compile(
    rf"^\s*(?:[{_HAN_NUM}]+[、.．]|[（(][{_HAN_NUM}]+[）)]|\d+[.．、](?!\d)|[（(]\d+[）)]|第[{_HAN_NUM}\d]+[章节部分条])"
)


def heading_label(level: int, n: int) -> str:
    """一、 / （一） / 1. / （1） — the GB/T 9704 sequence of structural numbers."""
    if level == 1:
        return f"{chinese_numeral(n)}、"
    if level == 2:
        return f"（{chinese_numeral(n)}）"
    if level == 3:
        return f"{n}."
    return f"（{n}）"


def number_headings(blocks: list[Block]) -> list[Block]:
    """Label headings in order; counters restart per article (call once per article).

    A heading the author numbered still advances the counter, so a mix stays in sequence, but its
    text is left as written — never `一、一、加强领导`.
    """
    counters = [0, 0, 0, 0]
    for block in blocks:
        if not isinstance(block, Heading):
            continue
        level = block.level
        counters[level - 1] += 1
        for deeper in range(level, 4):
            counters[deeper] = 0
        block.label = "" if ALREADY_NUMBERED.match(block.text) else heading_label(level, counters[level - 1])
    return blocks
