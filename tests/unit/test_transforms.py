"""bulletin.content.passes: heading labels 一、 / （一） / 1. / （1）, per article, never numbered twice."""
import pytest

from bulletin.content.blocks import Heading, Image, Paragraph, Run
from bulletin.content.markdown import parse_markdown
from bulletin.content.passes import heading_label, number_headings


def h(level: int, text: str = "标题") -> Heading:
    return Heading(level, [Run(text)])


def labels(blocks):
    return [b.label for b in blocks if isinstance(b, Heading)]


@pytest.mark.parametrize("level, n, expected", [
    (1, 1, "一、"), (1, 10, "十、"), (1, 12, "十二、"),
    (2, 1, "（一）"), (2, 21, "（二十一）"),
    (3, 1, "1."), (3, 12, "12."),
    (4, 1, "（1）"), (4, 7, "（7）"),
])
def test_heading_label(level, n, expected):
    assert heading_label(level, n) == expected


def test_sequence_of_labels_with_nested_levels():
    blocks = [h(1), h(2), h(2), h(3), h(4), h(4), h(3), h(1), h(2), h(3)]
    number_headings(blocks)
    assert labels(blocks) == ["一、", "（一）", "（二）", "1.", "（1）", "（2）", "2.",
                              "二、", "（一）", "1."]


def test_deeper_counters_reset_when_a_higher_level_appears():
    blocks = [h(2), h(2), h(3), h(3), h(2), h(3)]
    number_headings(blocks)
    assert labels(blocks) == ["（一）", "（二）", "1.", "2.", "（三）", "1."]


def test_counters_restart_per_article():
    first = [h(1), h(1), h(2)]
    second = [h(1), h(2)]
    number_headings(first)
    number_headings(second)
    assert labels(first) == ["一、", "二、", "（一）"]
    assert labels(second) == ["一、", "（一）"]


def test_non_heading_blocks_are_left_alone():
    para = Paragraph([Run("正文")], 3)
    img = Image("a.png", "图", 5)
    blocks = [para, h(1), img, h(1)]
    out = number_headings(blocks)
    assert out[0] is para and out[2] is img
    assert para == Paragraph([Run("正文")], 3)
    assert labels(out) == ["一、", "二、"]


@pytest.mark.parametrize("level, text", [
    (1, "一、总体情况"),
    (1, "十二、其他"),
    (2, "（二）主要做法"),
    (2, "(三)主要做法"),
    (3, "3. 完善制度"),
    (3, "3．完善制度"),
    (3, "3、完善制度"),
    (4, "（4）落实责任"),
    (4, "(4)落实责任"),
    (1, "第一章 总则"),
])
def test_heading_already_numbered_gets_no_label(level, text):
    blocks = [h(level, text)]
    number_headings(blocks)
    assert blocks[0].label == ""
    assert blocks[0].text == text  # the author's text is untouched


@pytest.mark.parametrize("text", ["2024年工作回顾", "3.5亿元投资落地", "一网通办改革", "十大举措"])
def test_heading_that_only_looks_numbered_still_gets_a_label(text):
    blocks = [h(1, text)]
    number_headings(blocks)
    assert blocks[0].label == "一、"


def test_author_numbered_heading_still_advances_the_counter():
    blocks = [h(1, "一、总体情况"), h(1, "主要做法"), h(2, "（一）甲"), h(2, "乙")]
    number_headings(blocks)
    assert labels(blocks) == ["", "二、", "", "（二）"]


def test_mixed_author_numbering_at_all_levels():
    blocks = [h(1, "一、甲"), h(2, "（二）乙"), h(3, "3. 丙"), h(4, "（4）丁")]
    number_headings(blocks)
    assert labels(blocks) == ["", "", "", ""]


def test_from_markdown_with_capped_level():
    blocks = parse_markdown("# 甲\n\n#### 乙\n\n##### 丙\n\n正文")
    number_headings(blocks)
    # ##### is level 4 too, so it continues the level-4 count
    assert labels(blocks) == ["一、", "（1）", "（2）"]
