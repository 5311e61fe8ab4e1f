"""Numbers follow dates (`new` refuses a date before the issue it would follow) and `--first` parsing."""
import datetime as dt

import pytest
from test_numbering import record, regular, supplement

from bulletin.commands.init import parse_first
from bulletin.rules.numbering import later_issue


def test_later_issue_is_the_latest_regular_one_dated_after():
    records = [regular(2026, 1, 21, "2026-01-10"), regular(2026, 2, 22, "2026-03-10"), supplement(2026, 1, "2026-05-01")]
    assert later_issue(records, dt.date(2026, 2, 1)).key.number == 2
    assert later_issue(records, dt.date(2026, 3, 10)) is None  # the same day keeps the order
    assert later_issue(records, dt.date(2026, 4, 1)) is None   # a later supplement does not matter
    assert later_issue(records, dt.date(2025, 12, 1)).meta.date == dt.date(2026, 3, 10)  # an earlier year


def test_later_supplement_counts_within_its_year_only():
    records = [supplement(2026, 1, "2026-06-01"), record(2027, "S1", 1, "2027-02-01", kind="supplement")]
    assert later_issue(records, dt.date(2026, 5, 1), "supplement").key.year == 2026
    assert later_issue(records, dt.date(2026, 7, 1), "supplement") is None
    assert later_issue(records, dt.date(2026, 5, 1), "special") is None


def test_parse_first():
    first = parse_first("2012-1-61")
    assert (first.year, first.number, first.total) == (2012, 1, 61)
    assert parse_first(" 2026-10-30 ").total == 30


@pytest.mark.parametrize("text, words", [("2012-1", "YEAR-NUMBER-TOTAL"), ("２０１２-1-1", "YEAR-NUMBER-TOTAL"),
                                         ("2012-0-3", "from 1"), ("3000-1-1", "year"), ("2012-5-4", "smaller")])
def test_parse_first_refuses(text, words):
    with pytest.raises(ValueError, match=words):
        parse_first(text)
