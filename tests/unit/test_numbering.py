"""bulletin.rules.numbering: the next issue number and the consistency checks of a series."""
import datetime as dt
from functools import partial
from pathlib import Path

from bulletin.model.files import FirstIssue, IssueMeta
from bulletin.model.keys import IssueKey, parse_folder_name
from bulletin.model.preset import Labels
from bulletin.render.words import number_label
from bulletin.rules.numbering import (
    IssueRecord,
    check_numbering,
    next_issue,
)
from bulletin.store import loaders

LABEL = partial(number_label, labels=Labels())  # issues named as the built-in preset prints them

# Field lines in every issue.yaml built here.
KIND_LINE, NUMBER_LINE, DATE_LINE, TOTAL_LINE = 2, 3, 4, 5


def record(year: int, folder: str, number: int, date: str, total: int | None = None,
           kind: str = "regular") -> IssueRecord:
    text = f"# issue\nkind: {kind}\nnumber: {number}\ndate: {date}\n"
    if total is not None:
        text += f"total: {total}\n"
    path = Path(f"issues/{year}/{folder}/issue.yaml")
    loaded = loaders.parse_yaml(text, path)
    meta = loaders.validate(IssueMeta, loaded)
    folder_kind, folder_number = parse_folder_name(folder)
    return IssueRecord(IssueKey(year, folder_kind, folder_number), meta, loaded)


def regular(year, number, total, date=None):
    return record(year, f"{number:02d}", number, date or f"{year}-{min(number, 12):02d}-15", total)


def supplement(year, number, date=None):
    return record(year, f"S{number}", number, date or f"{year}-06-{number:02d}", kind="supplement")


FIRST = FirstIssue(year=2009, number=1, total=1)


def test_record_line_lookup():
    rec = regular(2009, 3, 3)
    assert rec.line("number") == NUMBER_LINE
    assert rec.line("total") == TOTAL_LINE
    assert rec.line("date") == DATE_LINE


# --- next_issue ----------------------------------------------------------------------------------------


def test_first_issue_takes_bulletin_toml_first():
    first = FirstIssue(year=2026, number=10, total=30)
    key, total = next_issue([], first, dt.date(2026, 5, 1))
    assert key == IssueKey(2026, "regular", 10)
    assert total == 30


def test_first_issue_in_a_later_year_starts_at_one_with_first_total():
    first = FirstIssue(year=2026, number=10, total=30)
    key, total = next_issue([], first, dt.date(2027, 1, 10))
    assert key == IssueKey(2027, "regular", 1)
    assert total == 30


def test_next_regular_is_last_plus_one():
    records = [regular(2009, 1, 1), regular(2009, 2, 2), regular(2009, 3, 3)]
    key, total = next_issue(records, FIRST, dt.date(2009, 4, 1))
    assert key == IssueKey(2009, "regular", 4)
    assert total == 4


def test_next_regular_continues_from_first_offset():
    first = FirstIssue(year=2026, number=10, total=30)
    records = [regular(2026, 10, 30), regular(2026, 11, 31)]
    key, total = next_issue(records, first, dt.date(2026, 12, 1))
    assert key == IssueKey(2026, "regular", 12)
    assert total == 32


def test_new_year_restarts_number_but_total_continues():
    records = [regular(2009, 11, 11), regular(2009, 12, 12)]
    key, total = next_issue(records, FIRST, dt.date(2010, 1, 8))
    assert key == IssueKey(2010, "regular", 1)
    assert total == 13


def test_second_issue_of_new_year():
    records = [regular(2009, 12, 12), regular(2010, 1, 13, "2010-01-08")]
    key, total = next_issue(records, FIRST, dt.date(2010, 2, 1))
    assert key == IssueKey(2010, "regular", 2)
    assert total == 14


def test_supplements_count_per_year_and_have_no_total():
    records = [regular(2009, 1, 1), regular(2009, 2, 2)]
    key, total = next_issue(records, FIRST, dt.date(2009, 6, 1), kind="supplement")
    assert key == IssueKey(2009, "supplement", 1) and total is None
    records.append(supplement(2009, 1))
    key, total = next_issue(records, FIRST, dt.date(2009, 7, 1), kind="supplement")
    assert key == IssueKey(2009, "supplement", 2) and total is None
    records.append(supplement(2009, 2))
    key, total = next_issue(records, FIRST, dt.date(2010, 1, 5), kind="supplement")
    assert key == IssueKey(2010, "supplement", 1) and total is None


def test_supplements_do_not_shift_regular_numbers():
    records = [regular(2009, 1, 1), regular(2009, 2, 2), supplement(2009, 1), supplement(2009, 2)]
    key, total = next_issue(records, FIRST, dt.date(2009, 9, 1))
    assert key == IssueKey(2009, "regular", 3)
    assert total == 3


def test_special_issue_counts_separately():
    records = [regular(2009, 1, 1), supplement(2009, 1)]
    key, total = next_issue(records, FIRST, dt.date(2009, 9, 1), kind="special")
    assert key == IssueKey(2009, "special", 1) and total is None


# --- check_numbering -----------------------------------------------------------------------------------


def test_consistent_series_has_no_diagnostics():
    records = [regular(2009, n, n) for n in range(1, 13)]
    records += [regular(2010, 1, 13, "2010-01-08"), regular(2010, 2, 14, "2010-02-08")]
    records += [supplement(2009, 1), supplement(2009, 2), supplement(2010, 1, "2010-03-01")]
    assert check_numbering(records, FIRST, LABEL) == []


def test_consistent_series_starting_mid_series():
    first = FirstIssue(year=2026, number=10, total=30)
    records = [regular(2026, 10, 30, "2026-10-01"), regular(2026, 11, 31, "2026-11-01"),
               regular(2027, 1, 32, "2027-01-05")]
    assert check_numbering(records, first, LABEL) == []


def test_duplicate_year_and_number():
    a = record(2009, "10", 10, "2009-10-01", 10)
    b = record(2009, "010", 10, "2009-10-15", 11)
    records = [regular(2009, n, n) for n in range(1, 10)] + [a, b]
    diags = check_numbering(records, FIRST, LABEL)
    dup = [d for d in diags if "also" in d.message]
    assert len(dup) == 1
    assert dup[0].path == "issues/2009/010/issue.yaml"
    assert dup[0].line == NUMBER_LINE
    assert "issues/2009/10/issue.yaml" in dup[0].message
    assert dup[0].severity == "error"


def test_total_not_rising_by_one():
    records = [regular(2009, 1, 1), regular(2009, 2, 2), regular(2009, 3, 5)]
    diags = check_numbering(records, FIRST, LABEL)
    assert len(diags) == 1
    d = diags[0]
    assert d.path == "issues/2009/03/issue.yaml"
    assert d.line == TOTAL_LINE
    assert "expected 3" in d.message


def test_total_repeated():
    records = [regular(2009, 1, 1), regular(2009, 2, 2), regular(2009, 3, 2)]
    diags = check_numbering(records, FIRST, LABEL)
    assert [(d.path, d.line) for d in diags] == [("issues/2009/03/issue.yaml", TOTAL_LINE)]


def test_totals_are_checked_in_date_order():
    # Listed out of order, but dated consistently: no problem.
    records = [regular(2009, 3, 3), regular(2009, 1, 1), regular(2009, 2, 2)]
    assert check_numbering(records, FIRST, LABEL) == []


def test_totals_out_of_date_order():
    # Issue 2 is dated after issue 3 although its total is lower.
    records = [regular(2009, 1, 1, "2009-01-10"), regular(2009, 2, 2, "2009-04-10"),
               regular(2009, 3, 3, "2009-03-10")]
    diags = check_numbering(records, FIRST, LABEL)
    assert diags, "totals must follow date order"
    assert all(d.line == TOTAL_LINE for d in diags)


def test_first_total_disagrees_with_bulletin_toml():
    first = FirstIssue(year=2026, number=10, total=30)
    records = [regular(2026, 10, 31, "2026-10-01"), regular(2026, 11, 32, "2026-11-01")]
    diags = check_numbering(records, first, LABEL)
    assert [(d.path, d.line) for d in diags] == [("issues/2026/10/issue.yaml", TOTAL_LINE)]
    assert "30" in diags[0].message


def test_date_outside_folder_year():
    records = [regular(2009, 1, 1), regular(2009, 2, 2, "2010-02-01")]
    diags = check_numbering(records, FIRST, LABEL)
    assert [(d.path, d.line) for d in diags] == [("issues/2009/02/issue.yaml", DATE_LINE)]
    assert "2010-02-01" in diags[0].message
    assert "2009" in diags[0].message


def test_folder_and_number_disagree():
    records = [regular(2009, 1, 1), record(2009, "03", 2, "2009-02-15", 2)]
    diags = check_numbering(records, FIRST, LABEL)
    mismatch = [d for d in diags if "disagrees" in d.message]
    assert [(d.path, d.line) for d in mismatch] == [("issues/2009/03/issue.yaml", NUMBER_LINE)]


def test_folder_and_kind_disagree():
    records = [regular(2009, 1, 1), record(2009, "S1", 1, "2009-06-01", kind="regular", total=2)]
    diags = check_numbering(records, FIRST, LABEL)
    mismatch = [d for d in diags if "disagrees" in d.message]
    assert [(d.path, d.line) for d in mismatch] == [("issues/2009/S1/issue.yaml", KIND_LINE)]


def test_gap_in_numbers():
    records = [regular(2009, 1, 1), regular(2009, 2, 2), regular(2009, 4, 3)]
    diags = check_numbering(records, FIRST, LABEL)
    assert len(diags) == 1
    d = diags[0]
    assert d.path == "issues/2009/04/issue.yaml"
    assert d.line == NUMBER_LINE
    assert "missing 3" in d.message


def test_gap_of_several_numbers():
    records = [regular(2009, 1, 1), regular(2009, 5, 2)]
    diags = check_numbering(records, FIRST, LABEL)
    assert [(d.path, d.line) for d in diags] == [("issues/2009/05/issue.yaml", NUMBER_LINE)]
    assert "missing 2–4" in diags[0].message


def test_year_not_starting_at_one_is_a_gap():
    records = [regular(2009, 1, 1), regular(2010, 2, 2, "2010-02-01")]
    diags = check_numbering(records, FIRST, LABEL)
    assert [(d.path, d.line) for d in diags] == [("issues/2010/02/issue.yaml", NUMBER_LINE)]


def test_first_year_may_start_at_first_number():
    first = FirstIssue(year=2026, number=10, total=30)
    records = [regular(2026, 12, 32, "2026-12-01")]
    diags = check_numbering(records, first, LABEL)
    # issue 12 without 10 and 11 is a gap even in the first year
    assert [(d.path, d.line) for d in diags if "skip" in d.message] == [
        ("issues/2026/12/issue.yaml", NUMBER_LINE)]


def test_gap_in_supplements():
    records = [regular(2009, 1, 1), supplement(2009, 1), supplement(2009, 3)]
    diags = check_numbering(records, FIRST, LABEL)
    assert [(d.path, d.line) for d in diags] == [("issues/2009/S3/issue.yaml", NUMBER_LINE)]


def test_supplements_do_not_disturb_totals():
    records = [regular(2009, 1, 1, "2009-01-10"), supplement(2009, 1, "2009-01-20"),
               regular(2009, 2, 2, "2009-02-10")]
    assert check_numbering(records, FIRST, LABEL) == []


def test_every_problem_is_reported_together():
    records = [regular(2009, 1, 1), regular(2009, 2, 7), regular(2009, 4, 8),
               regular(2009, 5, 9, "2011-05-01")]
    diags = check_numbering(records, FIRST, LABEL)
    where = {(d.path, d.line) for d in diags}
    assert ("issues/2009/02/issue.yaml", TOTAL_LINE) in where
    assert ("issues/2009/04/issue.yaml", NUMBER_LINE) in where
    assert ("issues/2009/05/issue.yaml", DATE_LINE) in where
