"""bulletin.content.markdown: article bodies → Paragraph / Heading / Image blocks."""
import pytest

from bulletin.content.blocks import Heading, Image, Paragraph, Run
from bulletin.content.markdown import parse_markdown


def only_paragraph(text: str) -> Paragraph:
    blocks = parse_markdown(text)
    assert len(blocks) == 1, blocks
    assert isinstance(blocks[0], Paragraph)
    return blocks[0]


def styled(runs):
    """(text, bold, italic) triples, for comparing runs."""
    return [(r.text, r.bold, r.italic) for r in runs]


# --- emphasis -----------------------------------------------------------------------------------------


def test_bold_around_quoted_chinese_before_han():
    # CommonMark would not close `**` after ” and before 改; our pairing does.
    p = only_paragraph("**“一网通办”**改革")
    assert styled(p.runs) == [("“一网通办”", True, False), ("改革", False, False)]


def test_bold_in_the_middle_of_chinese_text():
    p = only_paragraph("推进**“放管服”**改革，成效明显")
    assert styled(p.runs) == [("推进", False, False), ("“放管服”", True, False),
                              ("改革，成效明显", False, False)]


def test_italic_single_star():
    p = only_paragraph("*斜体*")
    assert styled(p.runs) == [("斜体", False, True)]


def test_bold_and_italic_mixed():
    p = only_paragraph("前**粗**中*斜*后")
    assert styled(p.runs) == [("前", False, False), ("粗", True, False), ("中", False, False),
                              ("斜", False, True), ("后", False, False)]


@pytest.mark.parametrize("text", ["未配对的**星号", "a **b", "结尾**"])
def test_unpaired_double_star_stays_literal(text):
    p = only_paragraph(text)
    assert p.text == text
    assert not any(r.bold or r.italic for r in p.runs)


def test_third_unpaired_delimiter_stays_literal_after_a_pair():
    p = only_paragraph("**甲**乙**丙")
    assert styled(p.runs) == [("甲", True, False), ("乙**丙", False, False)]


def test_escaped_stars_stay_literal():
    p = only_paragraph(r"\*不是斜体\*")
    assert p.text == "*不是斜体*"
    assert not any(r.italic or r.bold for r in p.runs)


def test_escaped_double_stars_stay_literal():
    p = only_paragraph(r"\*\*不是粗体\*\*")
    assert p.text == "**不是粗体**"
    assert not any(r.bold for r in p.runs)


def test_stars_in_inline_code_are_literal():
    p = only_paragraph("代码`**x**`结束")
    assert p.text == "代码**x**结束"
    assert not any(r.bold for r in p.runs)


# --- soft and hard breaks -------------------------------------------------------------------------------


def test_soft_break_between_chinese_joins_without_space():
    assert only_paragraph("第一行文字\n第二行文字").text == "第一行文字第二行文字"


def test_soft_break_between_latin_words_joins_with_space():
    assert only_paragraph("hello\nworld").text == "hello world"


def test_soft_break_after_chinese_punctuation():
    assert only_paragraph("一是加强领导，\n二是完善制度。").text == "一是加强领导，二是完善制度。"


def test_soft_break_trailing_spaces_do_not_leak_between_chinese():
    assert only_paragraph("第一行 \n第二行").text == "第一行第二行"


def test_soft_break_inside_bold_keeps_bold_and_joins():
    p = only_paragraph("**粗体\n文字**后")
    assert styled(p.runs) == [("粗体文字", True, False), ("后", False, False)]


def test_soft_break_at_run_boundary_between_latin_words():
    p = only_paragraph("**hello**\nworld")
    assert p.text == "hello world"
    assert styled(p.runs)[0] == ("hello", True, False)


def test_soft_break_at_run_boundary_between_chinese():
    p = only_paragraph("**粗体**\n正文")
    assert p.text == "粗体正文"


def test_hard_break_becomes_newline_run():
    p = only_paragraph("第一行\\\n第二行")
    assert p.text == "第一行\n第二行"
    assert any(r.text == "\n" for r in p.runs)


# --- paragraphs ------------------------------------------------------------------------------------------


def test_paragraphs_and_their_lines():
    blocks = parse_markdown("段一\n\n段二\n续\n\n段三", first_line=8)
    assert [b.text for b in blocks] == ["段一", "段二续", "段三"]
    assert [b.line for b in blocks] == [8, 10, 13]


def test_full_width_indent_is_trimmed():
    assert only_paragraph("\u3000\u3000正文开始。").text == "正文开始。"


def test_paragraph_of_only_full_width_spaces_is_dropped():
    assert parse_markdown("\u3000\u3000\n\n正文") == [Paragraph([Run("正文")], 3)]


def test_empty_body_gives_no_blocks():
    assert parse_markdown("") == []
    assert parse_markdown("\n\n   \n") == []


def test_bullet_items_become_paragraphs():
    blocks = parse_markdown("- 甲项\n- 乙项\n")
    assert [b.text for b in blocks] == ["甲项", "乙项"]
    assert all(isinstance(b, Paragraph) for b in blocks)


def test_ordered_items_keep_their_numbers_as_text():
    blocks = parse_markdown("3. 甲项\n4. 乙项\n")
    assert len(blocks) == 2
    assert blocks[0].text.startswith("3.") and blocks[0].text.endswith("甲项")
    assert blocks[1].text.startswith("4.") and blocks[1].text.endswith("乙项")


def test_raw_html_is_not_interpreted():
    p = only_paragraph("甲<b>乙</b>丙")
    assert p.text == "甲<b>乙</b>丙"


# --- headings ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("marks, level", [("#", 1), ("##", 2), ("###", 3), ("####", 4),
                                          ("#####", 4), ("######", 4)])
def test_heading_levels(marks, level):
    blocks = parse_markdown(f"{marks} 加强组织领导")
    assert len(blocks) == 1
    h = blocks[0]
    assert isinstance(h, Heading)
    assert h.level == level
    assert h.text == "加强组织领导"
    assert h.label == ""  # numbering is a separate transform


def test_heading_with_bold_run():
    h = parse_markdown("## 推进**“一网通办”**改革")[0]
    assert isinstance(h, Heading)
    assert styled(h.runs) == [("推进", False, False), ("“一网通办”", True, False), ("改革", False, False)]


def test_empty_heading_is_dropped():
    assert parse_markdown("#\n\n正文") == [Paragraph([Run("正文")], 3)]


def test_heading_line_numbers_with_first_line():
    blocks = parse_markdown("正文\n\n# 标题一\n\n## 标题二", first_line=6)
    assert [(type(b).__name__, b.line) for b in blocks] == [
        ("Paragraph", 6), ("Heading", 8), ("Heading", 10)]


# --- images ----------------------------------------------------------------------------------------------


def test_image_alone_in_paragraph():
    assert parse_markdown("![说明](photo.jpg)") == [Image(src="photo.jpg", caption="说明", line=1)]


def test_image_line_uses_first_line():
    blocks = parse_markdown("第一段\n\n![会议现场](images/meeting.png)", first_line=5)
    assert blocks[1] == Image(src="images/meeting.png", caption="会议现场", line=7)


def test_image_without_caption():
    assert parse_markdown("![](a.png)") == [Image(src="a.png", caption="", line=1)]


def test_image_with_text_gives_image_then_paragraph():
    blocks = parse_markdown("![图](a.png)\n图片说明文字")
    assert isinstance(blocks[0], Image) and blocks[0].src == "a.png" and blocks[0].caption == "图"
    assert isinstance(blocks[1], Paragraph) and blocks[1].text == "图片说明文字"


# --- code blocks: each non-blank line is a plain paragraph at its own source line -------------------------


def test_indented_code_lines_become_paragraphs_at_their_lines():
    blocks = parse_markdown("正文\n\n    甲**乙**\n\n    丙\n", first_line=20)
    assert [(b.text, b.line) for b in blocks] == [("正文", 20), ("甲**乙**", 22), ("丙", 24)]


def test_fenced_code_lines_have_their_own_lines():
    blocks = parse_markdown("```\n甲\n乙\n```\n", first_line=5)
    assert [(b.text, b.line) for b in blocks] == [("甲", 6), ("乙", 7)]


def test_image_title_is_kept_for_the_width():
    [image] = parse_markdown('![现场](photo.jpg "width: 120mm")')
    assert (image.src, image.caption, image.title) == ("photo.jpg", "现场", "width: 120mm")
