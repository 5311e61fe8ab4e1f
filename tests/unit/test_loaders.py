"""bulletin.store.loaders: YAML/TOML/front matter → data plus line maps; validation → diagnostics with lines."""
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bulletin.content.markdown import parse_markdown
from bulletin.errors import BulletinError
from bulletin.model.files import (
    ArticleMeta,
    IssueMeta,
    RecipientDirectory,
    SeriesConfig,
)
from bulletin.store import loaders

ISSUE = Path("issues/2009/10/issue.yaml")


def diagnostics(excinfo):
    return excinfo.value.diagnostics


def only(excinfo):
    diags = diagnostics(excinfo)
    assert len(diags) == 1, diags
    return diags[0]


# --- YAML ---------------------------------------------------------------------------------------------

YAML_TEXT = """\
# a comment on line 1

key: value
list:
  - a
  - b
nested:
  inner: 1
  deeper:
    leaf: x
"""


def test_parse_yaml_data():
    loaded = loaders.parse_yaml(YAML_TEXT, ISSUE)
    assert loaded.data == {"key": "value", "list": ["a", "b"],
                           "nested": {"inner": 1, "deeper": {"leaf": "x"}}}
    assert loaded.path == ISSUE


def test_parse_yaml_records_lines_of_keys_and_items():
    lines = loaders.parse_yaml(YAML_TEXT, ISSUE).lines
    assert lines[("key",)] == 3
    assert lines[("list",)] == 4
    assert lines[("list", 0)] == 5
    assert lines[("list", 1)] == 6
    assert lines[("nested",)] == 7
    assert lines[("nested", "inner")] == 8
    assert lines[("nested", "deeper", "leaf")] == 10


def test_parse_yaml_flow_sequence_items():
    lines = loaders.parse_yaml("a: 1\nlists: [default, extra]\n", ISSUE).lines
    assert lines[("lists",)] == 2
    assert lines[("lists", 0)] == 2 and lines[("lists", 1)] == 2


def test_parse_yaml_first_line_shifts_lines():
    loaded = loaders.parse_yaml("title: 标题\nsource: 办公室\n", ISSUE, first_line=2)
    assert loaded.lines[("title",)] == 2
    assert loaded.lines[("source",)] == 3


def test_parse_yaml_values_are_plain_types():
    loaded = loaders.parse_yaml("n: 3\nd: 2009-12-01\nb: true\ns: 文字\nnone:\n", ISSUE)
    assert loaded.data == {"n": 3, "d": dt.date(2009, 12, 1), "b": True, "s": "文字", "none": None}
    assert type(loaded.data["n"]) is int
    assert type(loaded.data["d"]) is dt.date
    assert type(loaded.data["s"]) is str


def test_line_of_uses_longest_known_prefix():
    loaded = loaders.parse_yaml(YAML_TEXT, ISSUE)
    assert loaded.line_of(("nested", "inner")) == 8
    assert loaded.line_of(("nested", "missing", "x")) == 7
    assert loaded.line_of(("absent",)) == 1  # the file itself


def test_yaml_syntax_error_has_file_and_line():
    with pytest.raises(BulletinError) as ei:
        loaders.parse_yaml("number: 10\ndate: 2009-12-01\ntheme: [unclosed\nkind: regular\n", ISSUE)
    d = only(ei)
    assert d.path == str(ISSUE)
    assert d.message.startswith("YAML syntax error")
    assert d.line == 4


def test_yaml_bad_indentation_line():
    with pytest.raises(BulletinError) as ei:
        loaders.parse_yaml("a: 1\nb: 2\n  c: 3\n", ISSUE)
    d = only(ei)
    assert d.line == 3
    assert "YAML syntax error" in d.message


def test_yaml_syntax_error_line_is_shifted_by_first_line():
    with pytest.raises(BulletinError) as ei:
        loaders.parse_yaml("a: 1\n  b: 2\n", ISSUE, first_line=2)
    assert only(ei).line == 3


def test_yaml_duplicate_key_names_the_key():
    with pytest.raises(BulletinError) as ei:
        loaders.parse_yaml("number: 10\ntotal: 30\nnumber: 11\n", ISSUE)
    d = only(ei)
    assert "'number'" in d.message
    assert "twice" in d.message
    assert d.line == 3
    assert d.path == str(ISSUE)


# --- TOML ---------------------------------------------------------------------------------------------

TOML_TEXT = """\
# comment
[series]
name = "政务公开工作简报"
editor = "办公室"
first = { year = 2026, number = 10, total = 30 }

[print]
preset = "gbt9704"
"""


def test_parse_toml_data_and_lines():
    loaded = loaders.parse_toml(TOML_TEXT, Path("bulletin.toml"))
    assert loaded.data["series"]["first"] == {"year": 2026, "number": 10, "total": 30}
    assert loaded.lines[("series",)] == 2
    assert loaded.lines[("series", "name")] == 3
    assert loaded.lines[("series", "editor")] == 4
    assert loaded.lines[("series", "first")] == 5
    assert loaded.lines[("series", "first", "number")] == 5
    assert loaded.lines[("print",)] == 7
    assert loaded.lines[("print", "preset")] == 8


def test_toml_syntax_error_line_from_tomllib():
    text = '[series]\nname = "简报"\neditor = 办公室\n'
    with pytest.raises(BulletinError) as ei:
        loaders.parse_toml(text, Path("bulletin.toml"))
    d = only(ei)
    assert d.path == "bulletin.toml"
    assert d.line == 3
    assert d.message == 'text must be in double quotes: editor = "办公室"'
    assert "(at line" not in d.message  # the position is in the line field, not repeated


def test_toml_syntax_error_no_clerk_mistake_explains_keeps_tomllibs_words():
    with pytest.raises(BulletinError) as ei:
        loaders.parse_toml('[series]\nname = "简报" "又一个"\n', Path("bulletin.toml"))
    d = only(ei)
    assert d.line == 2
    assert d.message.startswith("TOML syntax error")
    assert "(at line" not in d.message


def test_toml_duplicate_key_is_a_syntax_error():
    with pytest.raises(BulletinError) as ei:
        loaders.parse_toml('a = 1\nb = 2\na = 3\n', Path("x.toml"))
    assert only(ei).line == 3


# --- reading files ------------------------------------------------------------------------------------


def test_read_text_drops_bom(tmp_path):
    path = tmp_path / "a.yaml"
    path.write_bytes("\ufefftitle: 标题\n".encode("utf-8"))
    assert loaders.read_text(path) == "title: 标题\n"


def test_non_utf8_file_gives_clear_error(tmp_path):
    path = tmp_path / "issue.yaml"
    path.write_bytes("number: 10\ntheme: 专题\n".encode("gbk"))
    with pytest.raises(BulletinError) as ei:
        loaders.load_yaml(path)
    d = only(ei)
    assert "not UTF-8" in d.message
    assert d.path == str(path)
    assert d.line == 2
    assert "UTF-8" in d.hint


def test_missing_file_gives_error(tmp_path):
    with pytest.raises(BulletinError) as ei:
        loaders.load_toml(tmp_path / "nope.toml")
    assert "not found" in only(ei).message


def test_load_yaml_from_file_sets_path(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    loaded = loaders.load_yaml(path)
    assert loaded.path == path and loaded.data == {"a": 1}


# --- front matter -------------------------------------------------------------------------------------

ARTICLE = """\
---
title: 我市召开政务公开工作会议
source: 市政府办公室
---
正文第一段。

## 主要做法
"""


def test_front_matter_meta_and_lines():
    fm = loaders.parse_front_matter(ARTICLE, Path("01.md"))
    assert fm.meta.data == {"title": "我市召开政务公开工作会议", "source": "市政府办公室"}
    assert fm.meta.lines[("title",)] == 2
    assert fm.meta.lines[("source",)] == 3
    assert fm.body_first_line == 5
    assert fm.body.split("\n")[0] == "正文第一段。"


def test_body_lines_map_to_file_lines():
    fm = loaders.parse_front_matter(ARTICLE, Path("01.md"))
    blocks = parse_markdown(fm.body, first_line=fm.body_first_line)
    assert [b.line for b in blocks] == [5, 7]


def test_front_matter_body_is_cleaned():
    fm = loaders.parse_front_matter("---\ntitle: 甲\n---\r\n第一行\x0b第二行\x07\r\n", Path("a.md"))
    assert fm.body == "第一行  \n第二行\n"  # Word's manual break mid-sentence: a Markdown line break


def test_front_matter_word_breaks_become_paragraphs_where_they_end_a_point():
    fm = loaders.parse_front_matter("---\ntitle: 甲\n---\n一是加强领导。\x0b二是明确责任\x0c三是落实\n",
                                    Path("a.md"))
    assert fm.body == "一是加强领导。\n\n二是明确责任\n\n三是落实\n"


def test_front_matter_values_join_pasted_breaks():
    fm = loaders.parse_front_matter("---\ntitle: 我市召开\x0b工作会议\x07\nsource:  Tax\x0bBureau\n---\n正文\n",
                                    Path("a.md"))
    assert fm.meta.data == {"title": "我市召开工作会议", "source": "Tax Bureau"}
    assert fm.meta.lines[("source",)] == 3


def test_front_matter_yaml_error_line_in_file_coordinates():
    with pytest.raises(BulletinError) as ei:
        loaders.parse_front_matter("---\ntitle: 甲\n  bad: 乙\n---\n正文\n", Path("a.md"))
    d = only(ei)
    assert d.path == "a.md"
    assert d.line == 3


def test_missing_front_matter():
    with pytest.raises(BulletinError) as ei:
        loaders.parse_front_matter("正文\n", Path("a.md"))
    d = only(ei)
    assert d.line == 1 and "front matter" in d.message


def test_unclosed_front_matter():
    with pytest.raises(BulletinError) as ei:
        loaders.parse_front_matter("---\ntitle: 甲\n正文\n", Path("a.md"))
    assert "not closed" in only(ei).message


def test_empty_front_matter_gives_empty_dict():
    fm = loaders.parse_front_matter("---\n---\n正文\n", Path("a.md"))
    assert fm.meta.data == {}
    assert fm.body_first_line == 3


def test_front_matter_that_is_not_a_mapping():
    with pytest.raises(BulletinError) as ei:
        loaders.parse_front_matter("---\n- a\n- b\n---\n", Path("a.md"))
    assert only(ei).line == 2


# --- validation ---------------------------------------------------------------------------------------


def test_validate_ok():
    loaded = loaders.parse_yaml("number: 10\ntotal: 30\ndate: 2009-12-01\n", ISSUE)
    meta = loaders.validate(IssueMeta, loaded)
    assert (meta.number, meta.total, meta.date) == (10, 30, dt.date(2009, 12, 1))


def test_unknown_key_is_named_with_suggestion_and_line():
    text = "number: 10\ntotal: 30\ndate: 2009-12-01\ndistrbution:\n  lists: [default]\n"
    with pytest.raises(BulletinError) as ei:
        loaders.validate(IssueMeta, loaders.parse_yaml(text, ISSUE))
    d = only(ei)
    assert "unknown key 'distrbution'" in d.message
    assert "did you mean 'distribution'?" in d.hint
    assert d.line == 4
    assert d.path == str(ISSUE)
    assert str(ISSUE) + ":4:" in str(ei.value)


def test_nested_unknown_key_suggests_sibling_field():
    text = "number: 10\ntotal: 30\ndate: 2009-12-01\ndistribution:\n  lists: [default]\n  ad: [x]\n"
    with pytest.raises(BulletinError) as ei:
        loaders.validate(IssueMeta, loaders.parse_yaml(text, ISSUE))
    d = only(ei)
    assert "unknown key 'ad'" in d.message
    assert "did you mean 'add'?" in d.hint
    assert d.line == 6


def test_unknown_key_in_list_item_suggests_field_of_item_model():
    text = "recipients:\n  - id: a\n    name: 甲\n    role: 报\n    emial: a@example.org\n"
    with pytest.raises(BulletinError) as ei:
        loaders.validate(RecipientDirectory, loaders.parse_yaml(text, Path("recipients.yaml")))
    d = only(ei)
    assert "unknown key 'emial'" in d.message
    assert d.hint == "did you mean 'email'?"
    assert d.line == 5


def test_unknown_key_in_toml_inline_table():
    text = '[series]\nname = "简报"\neditor = "办公室"\nfirst = { year = 2026, numbr = 3 }\n'
    with pytest.raises(BulletinError) as ei:
        loaders.validate(SeriesConfig, loaders.parse_toml(text, Path("bulletin.toml")))
    d = only(ei)
    assert "unknown key 'numbr'" in d.message
    assert d.hint == "did you mean 'number'?"
    assert d.line == 4


def test_unknown_table_suggests_the_alias_users_write():
    text = '[series]\nname = "简报"\neditor = "办公室"\n\n[prnt]\npreset = "gbt9704"\n'
    with pytest.raises(BulletinError) as ei:
        loaders.validate(SeriesConfig, loaders.parse_toml(text, Path("bulletin.toml")))
    d = only(ei)
    assert "unknown key 'prnt'" in d.message
    assert d.line == 5
    assert "print_settings" not in d.hint
    assert d.hint == "did you mean 'print'?"


def test_missing_required_key_has_line():
    text = "# issue\ntotal: 30\ndate: 2009-12-01\n"
    with pytest.raises(BulletinError) as ei:
        loaders.validate(IssueMeta, loaders.parse_yaml(text, ISSUE))
    d = only(ei)
    assert d.message.startswith("number:")
    assert "missing" in d.message
    assert d.line == 1
    assert "number" in d.hint


def test_missing_nested_required_key_points_at_its_table():
    text = '# config\n\n[series]\nname = "简报"\n\n[print]\npreset = "gbt9704"\n'
    loaded = loaders.parse_toml(text, Path("bulletin.toml"))
    with pytest.raises(BulletinError) as ei:
        loaders.validate(SeriesConfig, loaded)
    d = only(ei)
    assert d.message == "editor in [series]: required key is missing"
    assert d.hint == "add 'editor = …'"
    assert d.line == 3


@pytest.mark.parametrize("value", ["明天", "2009/12/01", "十二月一日"])
def test_wrong_date_is_not_a_date(value):
    text = f"number: 10\ntotal: 30\ndate: {value}\n"
    with pytest.raises(BulletinError) as ei:
        loaders.validate(IssueMeta, loaders.parse_yaml(text, ISSUE))
    d = only(ei)
    assert "is not a date" in d.message
    assert value in d.message
    assert d.line == 3


@pytest.mark.parametrize("value", ["2009-13-01", "2009-02-30"])
def test_impossible_date_is_a_bulletin_error_with_line(value):
    text = f"number: 10\ntotal: 30\ndate: {value}\n"
    with pytest.raises(BulletinError) as ei:
        loaders.validate(IssueMeta, loaders.parse_yaml(text, ISSUE))
    d = only(ei)
    assert d.line == 3


@pytest.mark.parametrize("value", ["20091201", "2009", "2009-12-01 10:00"])
def test_numeric_or_timed_date_is_not_a_date(value):
    text = f"number: 10\ntotal: 30\ndate: {value}\n"
    with pytest.raises(BulletinError) as ei:
        loaders.validate(IssueMeta, loaders.parse_yaml(text, ISSUE))
    d = only(ei)
    assert d.line == 3
    assert "is not a date" in d.message
    assert "YYYY-MM-DD" in d.hint


@pytest.mark.parametrize("value", ["0", "86400"])
def test_integer_date_is_rejected(value):
    text = f"number: 10\ntotal: 30\ndate: {value}\n"
    with pytest.raises(BulletinError) as ei:
        loaders.validate(IssueMeta, loaders.parse_yaml(text, ISSUE))
    assert only(ei).line == 3


def test_all_errors_are_reported_at_once():
    text = "total: 30\ndate: 明天\ndistribution:\n  lsts: [a]\n"
    with pytest.raises(BulletinError) as ei:
        loaders.validate(IssueMeta, loaders.parse_yaml(text, ISSUE))
    by_field = {d.message.split(":")[0]: d.line for d in diagnostics(ei)}
    assert by_field == {"number": 1, "date": 2, "unknown key 'lsts' in distribution": 4}


def test_error_in_list_item_points_at_the_item():
    text = ("recipients:\n"
            "  - id: a\n    name: 甲\n    role: 报\n"
            "  - id: b\n    name: 乙\n    role: 送\n    copies: 0\n")
    with pytest.raises(BulletinError) as ei:
        loaders.validate(RecipientDirectory, loaders.parse_yaml(text, Path("recipients.yaml")))
    d = only(ei)
    assert d.message == "copies of recipient 2 (b): must be 1 or more, not 0"
    assert d.line == 8


def test_article_meta_error_line_in_front_matter():
    fm = loaders.parse_front_matter("---\nsource: 办公室\ntitel: 标题\n---\n正文\n", Path("a.md"))
    with pytest.raises(BulletinError) as ei:
        loaders.validate(ArticleMeta, fm.meta)
    by_msg = {d.message: (d.line, d.hint) for d in diagnostics(ei)}
    assert by_msg["unknown key 'titel'"] == (3, "did you mean 'title'?")
    assert any(m.startswith("title:") and "missing" in m for m in by_msg)


def test_validate_rejects_non_mapping_top_level():
    with pytest.raises(BulletinError) as ei:
        loaders.validate(IssueMeta, loaders.parse_yaml("- a\n- b\n", ISSUE))
    assert only(ei).line == 1


def test_validate_empty_file_reports_missing_keys():
    with pytest.raises(BulletinError) as ei:
        loaders.validate(IssueMeta, loaders.parse_yaml("", ISSUE))
    messages = [d.message for d in diagnostics(ei)]
    assert any(m.startswith("number:") for m in messages)
    assert any(m.startswith("date:") for m in messages)


def test_body_lines_stay_file_lines_when_a_pasted_break_splits_a_line():
    text = "---\ntitle: 甲\n---\n第一段。\x0c第二段。\n\n第三段。\n"
    fm = loaders.parse_front_matter(text, Path("a.md"))
    blocks = parse_markdown(fm.body, fm.body_first_line, fm.body_lines)
    assert [(b.text, b.line) for b in blocks] == [("第一段。", 4), ("第二段。", 4), ("第三段。", 6)]


# --- the front-matter fast path must read exactly what ruamel reads ------------------------------------

_VALUE_CHARS = st.sampled_from(list("政务公开“”‘’《》（）：，。、 #:'\"-[]{}&*!|>%@`?,0123456789abcTF\t\u3000\xa0"))
_KEYS = st.sampled_from(["title", "source", "author", "section", "true", "no", "Title", "a-b", "x_1"])


@given(st.lists(st.tuples(_KEYS, st.text(_VALUE_CHARS, min_size=0, max_size=12),
                          st.sampled_from(["", "中", "“", "政务"])), min_size=1, max_size=4),
       st.sampled_from(["", "\n", "\n\n"]))
def test_simple_front_matter_reads_as_ruamel_reads_it(pairs, trailer):
    text = "\n".join(f"{key}: {head}{value}" for key, value, head in pairs) + trailer
    fast = loaders._simple_mapping(text, 2)
    if fast is None:
        return  # not simple: ruamel reads it, nothing to compare
    try:
        slow = loaders.parse_yaml(text, Path("a.md"), first_line=2)
    except BulletinError:
        raise AssertionError(f"the fast path read text ruamel refuses: {text!r}")
    assert fast == (slow.data, slow.lines), text


def test_simple_front_matter_fast_path_is_taken_for_plain_chinese_lines():
    text = "title: 我市召开“一网通办”推进会\nsource: 市政府办公室\n"
    assert loaders._simple_mapping(text, 2) == (
        {"title": "我市召开“一网通办”推进会", "source": "市政府办公室"},
        {(): 2, ("title",): 2, ("source",): 3})
    assert loaders._simple_mapping("title: 甲 # 注释\n", 2) is None   # a comment: ruamel decides
    assert loaders._simple_mapping("title: 甲\ntitle: 乙\n", 2) is None  # a duplicate key: ruamel reports it


def test_non_printable_set_matches_yaml_c_printable():
    """The ranges loaders gives ruamel are exactly the complement of YAML 1.2's c-printable (§5.1)."""
    import re

    pattern = re.compile(loaders._NON_PRINTABLE)
    printable = re.compile("[\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
    for code in range(0x110000):
        ch = chr(code)
        assert bool(pattern.match(ch)) != bool(printable.match(ch)), hex(code)


def test_a_redefined_anchor_reads_without_a_python_warning(recwarn):
    loaded = loaders.parse_yaml("kind: &a regular\nstatus: &a draft\n", Path("issue.yaml"))
    assert loaded.data == {"kind": "regular", "status": "draft"}
    assert [str(w.message) for w in recwarn] == []
