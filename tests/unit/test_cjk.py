"""bulletin.cjk: Chinese dates and numerals, character classes, text cleaning, soft-break joining."""
import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bulletin.cjk import (
    breaks_paragraph,
    chinese_date,
    chinese_numeral,
    clean_text,
    is_cjk,
    join_soft_break,
    word_breaks_to_markdown,
)

# --- dates -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("day, expected", [
    (dt.date(2009, 12, 1), "2009年12月1日"),
    (dt.date(2024, 1, 5), "2024年1月5日"),
    (dt.date(2010, 10, 10), "2010年10月10日"),
    (dt.date(2026, 3, 31), "2026年3月31日"),
])
def test_chinese_date_examples(day, expected):
    assert chinese_date(day) == expected


@given(st.dates(min_value=dt.date(1949, 1, 1), max_value=dt.date(2999, 12, 31)))
def test_chinese_date_never_zero_padded_and_round_trips(day):
    text = chinese_date(day)
    m = re.fullmatch(r"(\d{4})年([1-9]\d?)月([1-9]\d?)日", text)
    assert m, text  # no leading zero in month or day
    assert dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))) == day


# --- numerals ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("n, expected", [
    (1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (19, "十九"), (20, "二十"),
    (21, "二十一"), (30, "三十"), (45, "四十五"), (99, "九十九"),
])
def test_chinese_numeral_examples(n, expected):
    assert chinese_numeral(n) == expected


_VALUES = {c: i for i, c in enumerate("零一二三四五六七八九")}


def _parse_numeral(text: str) -> int:
    """An independent reader of 一 … 九十九."""
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = _VALUES[head] if head else 1
        ones = _VALUES[tail] if tail else 0
        return tens * 10 + ones
    assert len(text) == 1
    return _VALUES[text]


@pytest.mark.parametrize("n", range(1, 100))
def test_chinese_numeral_reads_back_and_has_no_zero(n):
    text = chinese_numeral(n)
    assert "零" not in text
    assert not text.startswith("一十")  # 十一, never 一十一
    assert _parse_numeral(text) == n


@pytest.mark.parametrize("n", [100, 123])
def test_chinese_numeral_falls_back_to_arabic_for_large_numbers(n):
    assert chinese_numeral(n) == str(n)


# --- character classes --------------------------------------------------------------------------------


@pytest.mark.parametrize("ch", ["中", "文", "，", "。", "“", "”", "—", "…", "（", "Ａ"])
def test_is_cjk_true(ch):
    assert is_cjk(ch)


@pytest.mark.parametrize("ch", ["a", "Z", "1", " ", ",", ".", "(", "-"])
def test_is_cjk_false(ch):
    assert not is_cjk(ch)


# --- clean_text ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("raw, expected", [
    ("甲\x0b乙", "甲\n乙"),        # Word manual line break
    ("甲\x0c乙", "甲\n乙"),        # Word page/section break
    ("甲\x07乙", "甲乙"),          # table cell mark vanishes
    ("甲\x00乙", "甲乙"),          # NUL vanishes
    ("甲\r\n乙", "甲\n乙"),
    ("甲\r乙", "甲\n乙"),
    ("甲\t乙", "甲\t乙"),          # tab kept
    ("甲\ud800乙", "甲乙"),        # lone high surrogate removed
    ("甲\udfff乙", "甲乙"),        # lone low surrogate removed
    ("\ufeff标题", "标题"),        # stray BOM
    ("a\r\n\r\nb", "a\n\nb"),
])
def test_clean_text(raw, expected):
    assert clean_text(raw) == expected


def test_clean_text_keeps_ordinary_text_and_astral_characters():
    text = "第一段\n\t第二段 English 𠀀 “引号”"
    assert clean_text(text) == text


_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\r\ud800-\udfff\ufffe\uffff]")


@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0xFFFF)))
def test_clean_text_output_is_xml_safe_and_idempotent(text):
    out = clean_text(text)
    assert not _FORBIDDEN.search(out)
    assert clean_text(out) == out


# --- soft breaks --------------------------------------------------------------------------------------


@pytest.mark.parametrize("left, right, expected", [
    ("第一行", "第二行", ""),
    ("中文，", "继续", ""),
    ("hello", "world", " "),
    ("Word", "2010", " "),
    ("中文", "English", ""),
    ("English", "中文", ""),
    ("", "x", ""),
    ("x", "", ""),
])
def test_join_soft_break(left, right, expected):
    assert join_soft_break(left, right) == expected


# --- Word's breaks in article bodies -----------------------------------------------------------------

@pytest.mark.parametrize("raw, expected", [
    ("第一段开头\x0b第一段换行后", "第一段开头  \n第一段换行后"),     # mid-sentence: a line break
    ("加强领导。\x0b明确责任", "加强领导。\n\n明确责任"),             # after a sentence: a paragraph
    ("一是加强领导\x0b二是明确责任", "一是加强领导\n\n二是明确责任"),  # a new point: a paragraph
    ("总体情况\x0b（一）主要做法", "总体情况\n\n（一）主要做法"),
    ("甲\x0c乙", "甲\n\n乙"),                                          # page break: a paragraph
    ("# 加强\x0b领导", "# 加强领导"),                                  # a heading stays one line
    ("\x0b开头", "\n开头"),
])
def test_word_breaks_to_markdown(raw, expected):
    assert word_breaks_to_markdown(raw) == expected


def test_breaks_paragraph():
    assert breaks_paragraph("已完成。", "下一步")
    assert breaks_paragraph("工作", "3.建立台账")
    assert not breaks_paragraph("今年以来，我市", "坚持以公开促落实")


def test_beyond_gb2312_finds_rare_and_traditional_han_only():
    from bulletin.cjk import beyond_gb2312, lacks_gb2312
    text = "张堃同志在國家会议上讲话，喆、昇。“—·”abc"
    assert [text[i] for i in beyond_gb2312(text)] == ["堃", "國", "喆", "昇"]
    assert not lacks_gb2312("中") and not lacks_gb2312("—") and lacks_gb2312("堃")
