"""bulletin.model.files: field checks and the cross-field problems() of the workspace files."""
import datetime as dt

import pytest
from pydantic import ValidationError

from bulletin.model.files import (
    ArticleMeta,
    DistributionSpec,
    FirstIssue,
    IssueMeta,
    PrintSettings,
    Recipient,
    RecipientDirectory,
    Series,
    SeriesConfig,
)


def issue(**kw) -> IssueMeta:
    data = {"number": 10, "total": 30, "date": dt.date(2009, 12, 1)}
    data.update(kw)
    return IssueMeta.model_validate(data)


def problem_locs(problems):
    return [p[0] for p in problems]


# --- IssueMeta.problems() ------------------------------------------------------------------------------


def test_consistent_regular_issue_has_no_problems():
    assert issue(articles=["01-award.md", "02-work.md"]).problems() == []


def test_regular_issue_without_total():
    probs = issue(total=None).problems()
    assert problem_locs(probs) == [("total",)]
    assert "total" in probs[0][1]


def test_supplement_with_total():
    probs = issue(kind="supplement", number=1, total=5).problems()
    assert problem_locs(probs) == [("total",)]
    assert "supplement" in probs[0][1]


def test_supplement_without_total_is_fine():
    assert issue(kind="supplement", number=1, total=None).problems() == []


def test_special_without_theme():
    probs = issue(kind="special", number=1, total=None).problems()
    assert problem_locs(probs) == [("kind",)]
    assert "theme" in probs[0][2]


def test_special_with_theme_is_fine():
    assert issue(kind="special", number=1, total=None, theme="优化营商环境专刊").problems() == []


def test_special_with_whitespace_theme_still_needs_theme():
    probs = issue(kind="special", number=1, total=None, theme="  \u3000 ").problems()
    assert ("kind",) in problem_locs(probs)


@pytest.mark.parametrize("name", ["../01.md", "sub/01.md", "..\\01.md", "/etc/x.md", ".hidden.md",
                                  "..md", ".md", "01.txt", "a:b.md", "01"])
def test_bad_article_names(name):
    probs = issue(articles=["00-ok.md", name]).problems()
    assert problem_locs(probs) == [("articles", 1)]
    assert repr(name) in probs[0][1]


def test_article_listed_twice():
    probs = issue(articles=["01.md", "02.md", "01.md"]).problems()
    assert problem_locs(probs) == [("articles", 2)]
    assert "twice" in probs[0][1]


def test_several_problems_are_all_reported():
    probs = issue(kind="special", total=3, articles=["../x.md"]).problems()
    assert sorted(problem_locs(probs)) == sorted([("total",), ("kind",), ("articles", 0)])


# --- IssueMeta fields ----------------------------------------------------------------------------------


@pytest.mark.parametrize("field, value", [
    ("number", 0), ("number", -1), ("total", 0), ("kind", "weekly"), ("status", "done"), ("copies", 0),
])
def test_issue_field_values_rejected(field, value):
    with pytest.raises(ValidationError):
        issue(**{field: value})


def test_issue_unknown_key_rejected():
    with pytest.raises(ValidationError) as ei:
        IssueMeta.model_validate({"number": 1, "total": 1, "date": "2009-12-01", "distrbution": {}})
    assert ei.value.errors()[0]["type"] == "extra_forbidden"


def test_issue_defaults():
    m = issue()
    assert m.kind == "regular" and m.status == "draft"
    assert m.distribution == DistributionSpec()
    assert m.copies is None and m.published is None


def test_editor_note_is_cleaned_but_keeps_lines():
    m = issue(editor_note="第一段\r\n第二段\x07")
    assert m.editor_note == "第一段\n第二段"


# --- recipients ----------------------------------------------------------------------------------------


def recipient(**kw):
    data = {"id": "city_gov", "name": "市政府办公室", "role": "报"}
    data.update(kw)
    return Recipient.model_validate(data)


@pytest.mark.parametrize("copies", [0, -1, 1.5, "x", None])
def test_recipient_copies_must_be_positive_int(copies):
    with pytest.raises(ValidationError):
        recipient(copies=copies)


@pytest.mark.parametrize("copies", [1, 3, 20])
def test_recipient_copies_accepted(copies):
    assert recipient(copies=copies).copies == copies


def test_recipient_copies_default_to_one():
    assert recipient().copies == 1


@pytest.mark.parametrize("rid", ["a", "city-gov", "dept_01", "0", "a-b_c-9"])
def test_recipient_id_pattern_accepts(rid):
    assert recipient(id=rid).id == rid


@pytest.mark.parametrize("rid", ["", "City", "市政府", "a b", "a.b", "a/b", "B!"])
def test_recipient_id_pattern_rejects(rid):
    with pytest.raises(ValidationError):
        recipient(id=rid)


@pytest.mark.parametrize("role", ["报", "送", "发"])
def test_recipient_roles(role):
    assert recipient(role=role).role == role


def test_recipient_bad_role():
    with pytest.raises(ValidationError):
        recipient(role="抄")


def test_recipient_empty_name_rejected():
    with pytest.raises(ValidationError):
        recipient(name=" \u3000 ")


def directory(recipients, lists):
    return RecipientDirectory.model_validate({"recipients": recipients, "lists": lists})


def R(rid, role="送", copies=1):
    return {"id": rid, "name": f"单位{rid}", "role": role, "copies": copies}


def test_directory_without_problems():
    d = directory([R("a"), R("b")], {"default": ["a", "b"]})
    assert d.problems() == []
    assert set(d.by_id()) == {"a", "b"}


def test_directory_duplicate_ids():
    d = directory([R("a"), R("b"), R("a")], {})
    probs = d.problems()
    assert problem_locs(probs) == [("recipients", 2, "id")]
    assert "'a'" in probs[0][1]
    assert "recipient 1" in probs[0][2]  # points at the first one (1-based)


def test_directory_unknown_ids_in_lists():
    d = directory([R("city"), R("county")], {"default": ["city", "cuonty"], "all": ["county", "zzz"]})
    probs = d.problems()
    assert problem_locs(probs) == [("lists", "default", 1), ("lists", "all", 1)]
    assert "'cuonty'" in probs[0][1]
    assert probs[0][2] == "did you mean 'county'?"
    assert "'zzz'" in probs[1][1]


def test_directory_list_name_pattern():
    with pytest.raises(ValidationError):
        directory([R("a")], {"bad name": ["a"]})


# --- articles -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["", "   ", "\u3000\u3000", "\x07", "\n\n"])
def test_article_empty_title_rejected(title):
    with pytest.raises(ValidationError):
        ArticleMeta(title=title)


def test_article_title_missing_rejected():
    with pytest.raises(ValidationError):
        ArticleMeta.model_validate({"source": "办公室"})


@pytest.mark.parametrize("raw, expected", [
    ("标题\x07", "标题"),
    ("a\x00b", "ab"),
    ("  我市召开会议  ", "我市召开会议"),
    ("标题\r\n", "标题"),
    ("标\ud800题", "标题"),
])
def test_article_title_cleaned(raw, expected):
    assert ArticleMeta(title=raw).title == expected


def test_article_title_line_break_becomes_one_line():
    title = ArticleMeta(title="第一行\x0b第二行").title
    assert "\n" not in title and "\x0b" not in title
    assert title.startswith("第一行") and title.endswith("第二行")


def test_article_other_fields_default_empty_and_cleaned():
    a = ArticleMeta(title="t", source="办公室\x07")
    assert a.source == "办公室" and a.author == "" and a.section == ""


def test_article_unknown_key_rejected():
    with pytest.raises(ValidationError):
        ArticleMeta.model_validate({"title": "t", "titel": "x"})


# --- bulletin.toml --------------------------------------------------------------------------------------


def test_series_config_reads_print_alias():
    cfg = SeriesConfig.model_validate({"series": {"name": "简报", "editor": "办公室"},
                                       "print": {"preset": "mine", "archive_copies": 2}})
    assert cfg.print_settings == PrintSettings(preset="mine", archive_copies=2)


def test_series_defaults():
    s = Series(name="政务公开工作简报", editor="办公室")
    assert s.masthead_lines == ["政务公开工作简报"]
    assert s.first.year == dt.date.today().year and s.first.number == 1 and s.first.total == 1


def test_series_masthead_lines():
    s = Series(name="简报", editor="办", masthead=["××市政务公开工作", "简报"])
    assert s.masthead_lines == ["××市政务公开工作", "简报"]


@pytest.mark.parametrize("masthead", [[], ["a", "b", "c", "d"], ["a", ""]])
def test_series_masthead_bounds(masthead):
    with pytest.raises(ValidationError):
        Series(name="简报", editor="办", masthead=masthead)


@pytest.mark.parametrize("data", [{"year": 1900}, {"year": 2009, "number": 0}, {"year": 2009, "total": -1}])
def test_first_issue_bounds(data):
    with pytest.raises(ValidationError):
        FirstIssue.model_validate(data)


@pytest.mark.parametrize("settings", [{"preset": "../evil"}, {"archive_copies": -1}])
def test_print_settings_rejected(settings):
    with pytest.raises(ValidationError):
        PrintSettings.model_validate(settings)
