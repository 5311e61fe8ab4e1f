"""The characters check says what it measured in words a clerk reads as they are meant: a pass reads as
a pass (每行不超过 28 个字), whole characters (a half-width digit takes its cell), and a failure says which
way the line is wrong. What the check measures is unchanged (tests/layout depend on it)."""
from __future__ import annotations

import pytest

from bulletin.i18n import speaking
from bulletin.office.measure import Layout, Line, PageLayout, _checks

TEXT = "今年以来，我市坚持以公开促落实2026年"


def _characters(longest: float, full_lines: list[int], full_page: bool = False, language: str = "zh"):
    page = PageLayout(1, 210.0, 297.0, 10, 28.95, longest, TEXT, None, 156.0, False)
    body = [Line(1, 100.0, 16.0, "FangSong", "字" * n, 0, 0) for n in full_lines]
    full_pages = {1: body} if full_page else {}
    checks = _checks(Layout(pages=[page]), {1: ([], body)}, full_pages, 28.95, 22, 28)
    check = next(c for c in checks if c.name == "characters")
    with speaking(language):
        return Said(check.passed, check.detail)


class Said:
    def __init__(self, passed, detail):
        self.passed, self.detail = passed, detail


def test_a_check_measured_once_reads_in_the_language_of_whoever_looks():
    """The preview caches its checks; a page in Chinese and one in English show them each in its own."""
    page = PageLayout(1, 210.0, 297.0, 10, 28.95, 26.5, TEXT, None, 156.0, False)
    with speaking("en"):   # measured where English is spoken (the preview's thread)
        checks = _checks(Layout(pages=[page]), {1: ([], [])}, {}, 28.95, 22, 28)
    a4 = next(c for c in checks if c.name == "a4")
    with speaking("zh"):
        chinese = a4.detail
    with speaking("en"):
        english = a4.detail
    assert english == "every page is A4" and chinese != english and "A4" in chinese


def test_a_passing_check_reads_as_a_pass_in_whole_characters():
    check = _characters(26.5, [20])
    assert check.passed
    assert check.detail == f"每行不超过 28 个字，最长一行 27 个字：{TEXT}", check.detail
    assert "应为" not in check.detail and "26.5" not in check.detail


def test_a_line_too_long_says_so():
    check = _characters(28.5, [28])
    assert not check.passed
    assert check.detail.startswith("有一行超过 28 个字，最长一行 29 个字"), check.detail


def test_a_full_page_without_a_full_line_says_what_is_missing():
    check = _characters(27, [27], full_page=True)
    assert not check.passed
    assert check.detail.startswith("排满的正文行应为 28 个字，但最长一行只有 27 个字"), check.detail


@pytest.mark.parametrize("longest, passed", [(26.5, True), (28.5, False)])
def test_the_english_words(longest, passed):
    check = _characters(longest, [20], language="en")
    assert check.passed is passed
    assert check.detail.startswith("at most 28 characters a line; the longest holds 27" if passed
                                   else "more than 28 characters on a line; the longest holds 29"), check.detail
