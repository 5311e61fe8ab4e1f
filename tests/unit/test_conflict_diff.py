"""web.conflicts.body_diff: the diff the article page shows on a conflict."""
from bulletin.web.conflicts import body_diff, form_version


def kinds(diff):
    return [(line["kind"], "".join(t for _c, t in line.get("parts", []))) for line in diff]


def test_the_same_text_has_no_diff_whatever_its_line_ends():
    assert body_diff("\n甲。\n\n乙。\n", "甲。\r\n\r\n乙。\n\n\n") == []


def test_an_edited_line_marks_only_its_changed_characters():
    diff = body_diff("第一段。\n\n成立工作专班，明确责任分工。\n", "第一段。\n\n成立工作专班，明确分工。\n")
    theirs = next(line for line in diff if line["kind"] == "theirs")
    yours = next(line for line in diff if line["kind"] == "yours")
    assert [t for changed, t in theirs["parts"] if changed] == ["责任"]
    assert [t for changed, t in yours["parts"] if changed] == []
    assert "".join(t for _c, t in yours["parts"]) == "成立工作专班，明确分工。"


def test_a_different_line_is_whole_and_long_equal_runs_are_folded():
    same = "\n".join(f"第{i}段。" for i in range(10))
    diff = body_diff(same + "\n甲的结尾。", same + "\n完全不同的句子在这里")
    assert kinds(diff) == [("folded", ""), ("same", "第8段。"), ("same", "第9段。"),
                           ("theirs", "甲的结尾。"), ("yours", "完全不同的句子在这里")]
    assert diff[0]["count"] == 8
    assert diff[-1]["parts"] == [(True, "完全不同的句子在这里")]


def test_a_form_version_is_none_when_absent_or_empty():
    assert form_version({}) is None and form_version({"version": "  "}) is None
    assert form_version({"version": "ab12"}) == "ab12"
