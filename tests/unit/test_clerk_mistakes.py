"""The YAML and TOML mistakes a clerk makes are named, on the line where they are, with the fix.

Full-width punctuation typed with a Chinese input method (“：” for “:”, “　” for an indent, “－” for a
list dash, “，” in a list), a Tab indent, a missing space after a colon and an unclosed quote: each
is reported as `file:line: <the mistake>; <the fix>`, never as the parser's words
("mapping values are not allowed here") or a line further on. Validation messages name the key in
words (`copies in recipient 2 (b)`), never a pydantic path (`recipients.1.copies`).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bulletin.errors import BulletinError
from bulletin.model.files import (
    ArticleMeta,
    IssueMeta,
    RecipientDirectory,
    SeriesConfig,
)
from bulletin.store import loaders

ISSUE = Path("issues/2026/10/issue.yaml")
RECIPIENTS = Path("recipients.yaml")
TOML = Path("bulletin.toml")

PARSER_WORDS = ("mapping values are not allowed", "cannot start any token", "could not find expected",
                "unexpected end of stream", "while scanning", "Invalid value", "Invalid statement",
                "Expected '='", "Unclosed array", "Illegal character")

RECIPIENTS_TEXT = """\
recipients:
  - id: shiwei
    name: 市委办公室
    role: 报
    copies: 2
  - id: districts
    name: 各区人民政府
    role: 送
    copies: 12
lists:
  default: [shiwei, districts]
"""

ISSUE_TEXT = """\
number: 10
total: 30
date: 2026-11-20
articles:
  - 01-first.md
  - 02-second.md
distribution:
  lists: [default]
  add: []
"""


def _diagnostics(fn, *args):
    with pytest.raises(BulletinError) as ei:
        fn(*args)
    return ei.value.diagnostics


def _first(fn, *args):
    found = _diagnostics(fn, *args)
    for d in found:
        assert not any(w in d.message for w in PARSER_WORDS), d.message
    return found[0]


YAML_CASES = {
    # name: (text, file, line, words the message holds)
    "full-width colon, first line": ("number：10\ntotal: 30\ndate: 2026-11-20\n", ISSUE, 1,
                                     ("full-width colon “：”", "half-width “:”")),
    "full-width colon, alone": ("number：10\n", ISSUE, 1, ("full-width colon “：”",)),
    "full-width colon in a list item": (RECIPIENTS_TEXT.replace("    role: 送", "    role：送"), RECIPIENTS, 8,
                                        ("full-width colon “：”",)),
    "full-width colon after a dash": (RECIPIENTS_TEXT.replace("  - id: districts", "  - id：districts"),
                                      RECIPIENTS, 6, ("full-width colon “：”",)),
    "tab indent": (ISSUE_TEXT.replace("  add: []", "\tadd: []"), ISSUE, 9, ("Tab", "spaces")),
    "tab indent in a list": (RECIPIENTS_TEXT.replace("    name: 各区人民政府", "\tname: 各区人民政府"), RECIPIENTS, 7,
                             ("Tab", "spaces")),
    "full-width space indent": (ISSUE_TEXT.replace("  add: []", "　　add: []"), ISSUE, 9,
                                ("full-width space", "half-width spaces")),
    "full-width space indent in a list": (RECIPIENTS_TEXT.replace("    name: 各区人民政府", "　　name: 各区人民政府"),
                                          RECIPIENTS, 7, ("full-width space",)),
    "full-width list dash": (ISSUE_TEXT.replace("  - 02-second.md", "  － 02-second.md"), ISSUE, 6,
                             ("“－”", "half-width “-”")),
    "full-width list dash, first item": (ISSUE_TEXT.replace("  - 01-first.md", "  － 01-first.md"), ISSUE, 5,
                                         ("“－”", "half-width “-”")),
    "em dash as list marker": (ISSUE_TEXT.replace("  - 02-second.md", "  — 02-second.md"), ISSUE, 6,
                               ("“—”", "half-width “-”")),
    "full-width comma in a list": (ISSUE_TEXT.replace("[default]", "[default，short]"), ISSUE, 8,
                                   ("full-width comma “，”", "half-width “,”")),
    "no space after the colon": (ISSUE_TEXT.replace("total: 30", "total:30"), ISSUE, 2,
                                 ("space after", "total: 30")),
    "unclosed double quote": (ISSUE_TEXT.replace("total: 30", 'total: 30\ntheme: "政务公开'), ISSUE, 3,
                              ('"', "never closed")),
    "unclosed single quote": (ISSUE_TEXT.replace("total: 30", "total: 30\ntheme: '政务公开"), ISSUE, 3,
                              ("'", "never closed")),
}


@pytest.mark.parametrize("name", YAML_CASES)
def test_a_yaml_mistake_is_named_on_its_own_line(name):
    text, path, line, words = YAML_CASES[name]
    d = _first(loaders.parse_yaml, text, path)
    assert (d.path, d.line) == (str(path), line), d.format()
    for w in words:
        assert w in d.format(), (w, d.format())


def test_the_issues_examples_read_as_asked():
    d = _first(loaders.parse_yaml, "number：2\ntotal: 3\n", ISSUE)
    assert d.format() == f"{ISSUE}:1: full-width colon “：”; use a half-width “:”"
    text = "recipients:\n" + "  - id: a\n    name: 甲\n    role: 报\n" * 8 + "\tcopies: 1\n"
    d = _first(loaders.parse_yaml, text, RECIPIENTS)
    assert d.format() == f"{RECIPIENTS}:26: indented with a Tab; indent with spaces"


def test_front_matter_mistakes_count_file_lines():
    text = "---\ntitle：我市召开推进会\nsource: 市政府办公室\n---\n正文。\n"
    d = _first(loaders.parse_front_matter, text, Path("01-a.md"))
    assert (d.line, d.message) == (2, "full-width colon “：”; use a half-width “:”")
    text = "---\ntitle: 我市召开推进会\n　source: 市政府办公室\n---\n正文。\n"
    d = _first(loaders.parse_front_matter, text, Path("01-a.md"))
    assert d.line == 3 and "full-width space" in d.message


def test_every_mistake_of_a_file_is_named_at_once():
    text = "number：10\ntotal: 30\ndate: 2026-11-20\ndistribution:\n\tlists: [default]\n"
    found = _diagnostics(loaders.parse_yaml, text, ISSUE)
    assert [(d.line, d.message.split(";")[0]) for d in found] == [
        (1, "full-width colon “：”"), (5, "indented with a Tab")]


@pytest.mark.parametrize("text", [
    "title: 会议强调：要抓好落实\n",                    # a full-width colon inside a value is text
    "title: “一网通办”改革\nsource: 市政府办公室\n",
    "editor_note: |\n  　　本期刊发……\n  － 要点一\n",     # block text keeps its own indents and dashes
    "theme: 全面推进——政务公开\n",
    "people: {editor: 王××, reviewer: 李××}\n",
    "lists: [default, short]\n",
    "time: '10:30'\nurl: http://example.org\n",
    "extra:\n  - 市档案馆，市方志办\n",              # a comma inside a list item's text
    "theme: 'it''s fine'\n",
])
def test_good_yaml_with_full_width_text_is_left_alone(text):
    loaders.parse_yaml(text, ISSUE)  # no BulletinError


# --- validation in words --------------------------------------------------------------------------

def _validate(model, loaded):
    return _diagnostics(loaders.validate, model, loaded)


def test_a_recipient_field_is_named_by_the_recipient_not_by_a_path():
    text = RECIPIENTS_TEXT.replace("copies: 12", "copies: 0")
    [d] = _validate(RecipientDirectory, loaders.parse_yaml(text, RECIPIENTS))
    assert d.line == 9
    assert "recipients.1" not in d.format()
    assert d.message == "copies of recipient 2 (districts): must be 1 or more, not 0"


def test_a_bad_role_says_which_roles_there_are():
    text = RECIPIENTS_TEXT.replace("role: 送", "role: 抄")
    [d] = _validate(RecipientDirectory, loaders.parse_yaml(text, RECIPIENTS))
    assert d.line == 8
    assert d.message == "role of recipient 2 (districts): must be 报, 送 or 发, not '抄'"


def test_a_bad_id_says_what_an_id_may_hold():
    text = RECIPIENTS_TEXT.replace("id: districts", "id: 各区")
    [d] = _validate(RecipientDirectory, loaders.parse_yaml(text, RECIPIENTS))
    assert d.line == 6 and "recipients.1" not in d.format()
    assert "id of recipient 2" in d.message and "a-z" in d.message


def test_an_unknown_key_is_named_with_where_it_is():
    text = RECIPIENTS_TEXT.replace("    copies: 12", "    copise: 12")
    [d] = _validate(RecipientDirectory, loaders.parse_yaml(text, RECIPIENTS))
    assert d.line == 9
    assert d.message == "unknown key 'copise' in recipient 2 (districts)"
    assert d.hint == "did you mean 'copies'?"


def test_issue_yaml_fields_are_named_in_words():
    text = ISSUE_TEXT.replace("number: 10", "number: 第十期").replace("  add: []", "  add: 5")
    found = _validate(IssueMeta, loaders.parse_yaml(text, ISSUE))
    messages = {d.line: d.message for d in found}
    assert messages[1] == "number: must be a whole number, not '第十期'"
    assert messages[9].startswith("add in distribution: must be a list")


def test_an_item_of_a_list_is_counted_from_one():
    text = ISSUE_TEXT.replace("[default]", "[default, 3]").replace("  - 02-second.md", "  - [a, b]")
    found = _validate(IssueMeta, loaders.parse_yaml(text, ISSUE))
    by_line = {d.line: d.message for d in found}
    assert by_line[6].startswith("article 2 in articles: must be text")
    assert by_line[8].startswith("item 2 of lists in distribution: must be text")


def test_toml_fields_are_named_with_their_table():
    text = '[series]\nname = "简报"\nfirst = { year = 2026, number = 0 }\n\n[print]\narchive_copies = "五"\n'
    found = _validate(SeriesConfig, loaders.parse_toml(text, TOML))
    by_line = {d.line: d.message for d in found}
    assert by_line[1] == "editor in [series]: required key is missing" or \
        by_line.get(1, "").startswith("editor in [series]")
    assert by_line[3] == "number in first in [series]: must be 1 or more, not 0"
    assert by_line[6] == "archive_copies in [print]: must be a whole number, not '五'"
    for d in found:
        assert "series." not in d.message and "print." not in d.message


def test_article_front_matter_fields_are_named():
    fm = loaders.parse_front_matter("---\ntitle: ''\nsource: [市政府]\n---\n正文\n", Path("01-a.md"))
    found = _validate(ArticleMeta, fm.meta)
    by_line = {d.line: d.message for d in found}
    assert by_line[2] == "title: must not be empty"
    assert by_line[3].startswith("source: must be text")


# --- TOML -----------------------------------------------------------------------------------------

SERIES = '[series]\nname = "政务公开工作简报"\neditor = "办公室"\n\n[print]\narchive_copies = 5\n'

TOML_CASES = {
    "text without quotes": (SERIES.replace('"办公室"', "办公室"), 3, ("in double quotes", 'editor = "办公室"')),
    "full-width quotes": (SERIES.replace('"办公室"', "“办公室”"), 3, ("full-width quotes", 'half-width "')),
    "full-width equals": (SERIES.replace('editor =', "editor ＝"), 3, ("full-width “＝”", "half-width “=”")),
    "colon instead of equals": (SERIES.replace('editor =', "editor:"), 3, ("“=”", "not “:”")),
    "full-width colon instead of equals": (SERIES.replace('editor =', "editor："), 3, ("“=”",)),
    "full-width brackets": (SERIES.replace("[print]", "【print】"), 5, ("[print]",)),
    "full-width space indent": (SERIES.replace('editor', "　editor"), 3, ("full-width space",)),
    "full-width comma": (SERIES.replace('name = "政务公开工作简报"', 'masthead = ["政务公开", "简报"，]\nname = "x"'), 2,
                         ("full-width comma “，”",)),
    "unclosed quote": (SERIES.replace('"办公室"', '"办公室'), 3, ("never closed",)),
    "full-width digit": (SERIES.replace("= 5", "= ５"), 6, ("full-width digit", "5")),
    "key twice": (SERIES.replace('editor = "办公室"', 'editor = "办公室"\nname = "又一个"'), 4,
                  ("'name'", "twice")),
}


@pytest.mark.parametrize("name", TOML_CASES)
def test_a_toml_mistake_is_named_on_its_line(name):
    text, line, words = TOML_CASES[name]
    d = _first(loaders.parse_toml, text, TOML)
    assert (d.path, d.line) == (str(TOML), line), d.format()
    for w in words:
        assert w in d.format(), (w, d.format())
