"""Review and sign-off (commands.review): the five statuses, the `review:` record in issue.yaml (round
trip, validation), each step's permission, edits sending a submitted issue back to draft, a signed
issue refusing edits, publish needing 已签发 once the workspace has accounts, and the printed
编辑/审核/签发 line from the record."""
from __future__ import annotations

import datetime as _dt
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_support import ISSUE_YAML, snapshot, write_workspace  # noqa: E402

from bulletin.commands import review  # noqa: E402
from bulletin.errors import BulletinError  # noqa: E402
from bulletin.rules.permissions import LOCAL, Actor, Forbidden  # noqa: E402
from bulletin.store.workspace import Workspace  # noqa: E402

ISSUE = "issues/2026/10/issue.yaml"
EDITOR = Actor("王编辑", frozenset({"editor"}))
REVIEWER = Actor("李审核", frozenset({"reviewer"}))
SIGNER = Actor("张签发", frozenset({"signer"}))
BOTH = Actor("赵两用", frozenset({"editor", "reviewer"}))


@pytest.fixture
def root(tmp_path) -> Path:
    return write_workspace(tmp_path / "ws", issue_yaml=ISSUE_YAML.replace(
        "copies: null\n", "copies: null   # 共印 from the distribution\n"))


def meta(root: Path):
    ws = Workspace(root)
    return ws.load_issue(ws.resolve("2026-10"))[0]


def text(root: Path) -> str:
    return (root / ISSUE).read_text(encoding="utf-8")


# --- the model --------------------------------------------------------------------------------------

def test_a_step_is_recorded_with_who_when_and_the_comment_and_other_lines_stay(root):
    before = text(root)
    review.submit(Workspace(root), "2026-10", EDITOR, "请审核")
    after = text(root)
    m = meta(root)
    assert m.status == "submitted"
    (step,) = m.review
    assert (step.step, step.by, step.comment) == ("submit", "王编辑", "请审核")
    assert step.at.tzinfo is not None and abs(step.at - _dt.datetime.now().astimezone()) < _dt.timedelta(minutes=5)
    assert "copies: null   # 共印 from the distribution\n" in after
    kept = [line for line in before.splitlines() if not line.startswith(("status:", "people:"))]
    assert [line for line in after.splitlines() if line in kept] == kept   # the other lines as they were
    assert "\nreview:\n  - {step: submit, by: 王编辑, at: " in after


def test_the_five_statuses_read_and_an_unknown_one_is_named(root):
    for status in ("draft", "submitted", "approved", "signed"):
        (root / ISSUE).write_text(ISSUE_YAML.replace("status: draft", f"status: {status}"), encoding="utf-8")
        assert meta(root).status == status
    (root / ISSUE).write_text(ISSUE_YAML.replace("status: draft", "status: reviewed"), encoding="utf-8")
    with pytest.raises(BulletinError) as caught:
        meta(root)
    (d,) = caught.value.diagnostics
    assert d.line == 5 and "status" in d.message


@pytest.mark.parametrize("entry, line, words", [
    ("  - {step: approve, by: 李, at: 2026-11-20 10:00:00}\n", 18, "timezone info"),
    ("  - {step: sent, by: 李, at: 2026-11-20 10:00:00+08:00}\n", 18, "must be submit"),
    ("  - {step: return, by: 李, at: 2026-11-20 10:00:00+08:00}\n", 18, "reason"),
    ("  - {step: submit, by: 李}\n", 18, "add 'at"),
])
def test_a_bad_review_record_is_named_with_its_line(root, entry, line, words):
    (root / ISSUE).write_text(ISSUE_YAML + "review:\n" + entry, encoding="utf-8")
    with pytest.raises(BulletinError) as caught:
        meta(root)
    found = caught.value.diagnostics
    assert any(d.line == line and words in (d.message + (d.hint or "")) for d in found), found
    if "timezone" in words:
        assert "+08:00" in found[0].hint


def test_a_hand_written_record_with_a_zone_reads(root):
    (root / ISSUE).write_text(ISSUE_YAML + "review:\n  - step: submit\n    by: 王\n    at: 2026-11-20T10:00:00+08:00\n"
                              "    comment: |\n      两行\n      意见\n", encoding="utf-8")
    (step,) = meta(root).review
    assert step.at.utcoffset() == _dt.timedelta(hours=8) and step.comment == "两行\n意见"


# --- the steps and who may take them ----------------------------------------------------------------

def test_the_whole_path_with_accounts(root):
    ws = Workspace(root)
    review.submit(ws, "2026-10", EDITOR)
    review.return_issue(ws, "2026-10", REVIEWER, "第二篇数字需核实")
    assert meta(root).status == "draft"
    review.submit(ws, "2026-10", EDITOR)
    review.approve(ws, "2026-10", REVIEWER)
    assert meta(root).status == "approved"
    review.sign(ws, "2026-10", SIGNER, "同意印发")
    m = meta(root)
    assert m.status == "signed"
    assert [(s.step, s.by) for s in m.review] == [("submit", "王编辑"), ("return", "李审核"), ("submit", "王编辑"),
                                                 ("approve", "李审核"), ("sign", "张签发")]
    assert m.review[1].comment == "第二篇数字需核实"


@pytest.mark.parametrize("step, actor, status", [
    ("submit", REVIEWER, "draft"), ("approve", EDITOR, "submitted"), ("sign", REVIEWER, "approved"),
    ("return", EDITOR, "submitted"), ("approve", REVIEWER, "draft"), ("sign", SIGNER, "submitted"),
    ("submit", EDITOR, "signed"), ("return", SIGNER, "draft"),
])
def test_a_step_not_allowed_changes_nothing(root, step, actor, status):
    (root / ISSUE).write_text(ISSUE_YAML.replace("status: draft", f"status: {status}"), encoding="utf-8")
    before = snapshot(root)
    with pytest.raises(Forbidden) as caught:
        review.take_step(Workspace(root), "2026-10", step, actor, "意见")
    (d,) = caught.value.diagnostics
    assert d.path.endswith("issue.yaml") and ("role" in d.message or "not possible while" in d.message)
    assert snapshot(root) == before


def test_a_return_needs_a_comment(root):
    ws = Workspace(root)
    review.submit(ws, "2026-10", EDITOR)
    before = snapshot(root)
    with pytest.raises(BulletinError) as caught:
        review.return_issue(ws, "2026-10", REVIEWER, "  \n ")
    assert "needs a comment" in caught.value.diagnostics[0].message
    assert snapshot(root) == before


def test_the_reviewer_may_not_approve_what_they_sent_when_the_office_says_so(root):
    ws = Workspace(root)
    review.submit(ws, "2026-10", BOTH)
    review.approve(ws, "2026-10", BOTH)   # allowed without the rule
    review.return_issue(ws, "2026-10", SIGNER, "重看")
    review.submit(ws, "2026-10", BOTH)
    with (root / "bulletin.toml").open("a", encoding="utf-8") as f:
        f.write("\n[review]\nreviewer_not_editor = true\n")
    ws = Workspace(root)
    with pytest.raises(Forbidden) as caught:
        review.approve(ws, "2026-10", BOTH)
    assert "may not also approve" in caught.value.diagnostics[0].message
    review.approve(ws, "2026-10", REVIEWER)
    assert meta(root).status == "approved"


def test_the_review_setting_is_validated(root):
    with (root / "bulletin.toml").open("a", encoding="utf-8") as f:
        f.write("\n[review]\nreviewer_not_editor = \"yes\"\n")
    with pytest.raises(BulletinError) as caught:
        review.policy(Workspace(root))
    assert any("reviewer_not_editor" in d.message and d.line == 13 for d in caught.value.diagnostics), \
        caught.value.diagnostics


def test_local_takes_the_steps_in_order(root):
    ws = Workspace(root)
    with pytest.raises(Forbidden):
        review.approve(ws, "2026-10", LOCAL)
    review.submit(ws, "2026-10", LOCAL)
    review.approve(ws, "2026-10", LOCAL)
    review.sign(ws, "2026-10", LOCAL)
    assert meta(root).status == "signed" and [s.by for s in meta(root).review] == ["", "", ""]


def test_issue_facts_name_the_latest_submit(root):
    ws = Workspace(root)
    review.submit(ws, "2026-10", EDITOR)
    review.return_issue(ws, "2026-10", REVIEWER, "改")
    review.submit(ws, "2026-10", BOTH)
    facts = review.issue_facts(meta(root))
    assert (facts.status, facts.submitted_by) == ("submitted", "赵两用")


# --- editing an issue under review --------------------------------------------------------------------

def _edits(ws):
    from bulletin.commands import distribution, edit

    return {
        "note": lambda: edit.set_editor_note(ws, "2026-10", "按语"),
        "move": lambda: edit.move_article(ws, "2026-10", "01-first.md", 1),
        "people": lambda: edit.set_people(ws, "2026-10", {"editor": "新"}),
        "article": lambda: edit.set_article_field(ws, "2026-10", "01-first.md", "author", "某某"),
        "save": lambda: edit.save_article(ws, "2026-10", "02-second.md", {"title": "新标题"}, "正文。"),
        "copies": lambda: distribution.set_copies(ws, "2026-10", "40"),
    }


@pytest.mark.parametrize("which", ["note", "move", "people", "article", "save", "copies"])
@pytest.mark.parametrize("status", ["submitted", "approved"])
def test_an_edit_sends_a_submitted_or_approved_issue_back_to_draft(root, which, status):
    ws = Workspace(root)
    # the names typed by hand are edited only while the record names no one: steps taken without a name
    editor, reviewer = (LOCAL, LOCAL) if which == "people" else (EDITOR, REVIEWER)
    review.submit(ws, "2026-10", editor)
    if status == "approved":
        review.approve(ws, "2026-10", reviewer)
    _edits(ws)[which]()
    m = meta(root)
    assert m.status == "draft"
    assert m.review[-1].step == "reopen" and m.review[-1].at.tzinfo is not None


def test_the_names_typed_by_hand_are_refused_once_the_record_names_someone(root):
    """The printed 编辑/审核/签发 line then comes from the record (IssueMeta.printed_people)."""
    from bulletin.commands import edit

    ws = Workspace(root)
    edit.set_people(ws, "2026-10", {"signer": "张主任"})   # no record yet: typed by hand, as before
    assert meta(root).printed_people().signer == "张主任" and not meta(root).names_recorded()
    review.submit(ws, "2026-10", EDITOR)
    before = (root / "issues/2026/10/issue.yaml").read_bytes()
    with pytest.raises(BulletinError) as caught:
        edit.set_people(ws, "2026-10", {"editor": "别人"})
    assert "review record" in caught.value.diagnostics[0].message
    assert (root / "issues/2026/10/issue.yaml").read_bytes() == before
    steps = meta(root).printed_steps()
    assert steps["editor"].by == EDITOR.name and steps["reviewer"] is None
    assert meta(root).printed_people().signer == "张主任"   # a role not yet taken prints the typed name


def test_an_added_article_sends_it_back_too(root, tmp_path):
    from bulletin.commands.add import add_articles

    ws = Workspace(root)
    review.submit(ws, "2026-10", EDITOR)
    new = tmp_path / "03-third.md"
    new.write_text("---\ntitle: 第三篇\n---\n\n正文。\n", encoding="utf-8")
    add_articles(ws, "2026-10", [new])
    assert meta(root).status == "draft" and meta(root).articles[-1] == "03-third.md"


def test_lint_fix_sends_it_back_too(root):
    from bulletin.commands.lint import lint

    ws = Workspace(root)
    review.submit(ws, "2026-10", EDITOR)
    article = root / "issues/2026/10/01-first.md"
    article.write_text(article.read_text(encoding="utf-8") + "\n中文,逗号。\n", encoding="utf-8")
    _lines, fixed = lint(root, ["2026-10"], fix=True)
    assert fixed and meta(root).status == "draft"


def test_an_edit_that_changes_nothing_leaves_it_under_review(root):
    from bulletin.commands.edit import move_article, set_article_order

    ws = Workspace(root)
    review.submit(ws, "2026-10", EDITOR)
    set_article_order(ws, "2026-10", ["01-first.md", "02-second.md"])   # the order it has
    move_article(ws, "2026-10", "01-first.md", -1)                       # the first one up: stays
    assert meta(root).status == "submitted" and [s.step for s in meta(root).review] == ["submit"]


def test_an_edit_of_a_draft_records_no_step(root):
    _edits(Workspace(root))["note"]()
    assert meta(root).review == [] and "\nreview:" not in text(root)


@pytest.mark.parametrize("which", ["note", "move", "people", "article", "save", "copies"])
def test_a_signed_issue_refuses_edits(root, which):
    ws = Workspace(root)
    for step, actor in (("submit", EDITOR), ("approve", REVIEWER), ("sign", SIGNER)):
        review.take_step(ws, "2026-10", step, actor)
    before = snapshot(root)
    with pytest.raises(BulletinError) as caught:
        _edits(ws)[which]()
    assert "signed off" in str(caught.value.diagnostics[0].message)
    assert snapshot(root) == before


def test_the_refusal_of_a_signed_issue_is_in_chinese(root, chinese):
    from bulletin.commands.edit import set_editor_note

    (root / ISSUE).write_text(ISSUE_YAML.replace("status: draft", "status: signed"), encoding="utf-8")
    with pytest.raises(BulletinError) as caught:
        set_editor_note(Workspace(root), "2026-10", "改")
    (d,) = caught.value.diagnostics
    assert "已签发" in d.message and "退回" in d.hint and d.line == 5


# --- publish ------------------------------------------------------------------------------------------

class _Accounts:
    """A stand-in for bulletin.accounts.store.AccountStore (the accounts part), for these tests."""

    def __init__(self, ws):
        pass

    def any(self) -> bool:
        return True


def test_publish_with_accounts_needs_a_signed_issue(root, monkeypatch):
    from bulletin.commands.publish import publish

    monkeypatch.setattr(review, "has_accounts", lambda ws: True)
    ws = Workspace(root)
    before = snapshot(root)
    with pytest.raises(Forbidden) as caught:
        publish(ws, "2026-10")
    assert "signed off" in caught.value.diagnostics[0].message
    with pytest.raises(Forbidden):
        publish(ws, "2026-10", actor=EDITOR)
    assert snapshot(root) == before
    review.submit(ws, "2026-10", EDITOR)
    review.approve(ws, "2026-10", REVIEWER)
    with pytest.raises(Forbidden):
        publish(ws, "2026-10", actor=SIGNER)
    review.sign(ws, "2026-10", SIGNER)
    with pytest.raises(Forbidden):
        publish(ws, "2026-10", actor=EDITOR)   # an editor may not publish
    publish(ws, "2026-10", actor=SIGNER)
    m = meta(root)
    assert m.status == "published" and m.published.sources and [s.step for s in m.review][-1] == "sign"


def test_publish_without_accounts_takes_a_draft_as_before(root):
    from bulletin.commands.publish import publish

    publish(Workspace(root), "2026-10")
    assert meta(root).status == "published"


# --- the printed 编辑/审核/签发 line --------------------------------------------------------------------

def test_the_printed_names_come_from_the_record_else_from_people(root):
    ws = Workspace(root)
    assert meta(root).printed_people().model_dump() == {"editor": "王××", "reviewer": "李××", "signer": "张××"}
    review.submit(ws, "2026-10", EDITOR)
    review.approve(ws, "2026-10", REVIEWER)
    assert meta(root).printed_people().model_dump() == {"editor": "王编辑", "reviewer": "李审核", "signer": "张××"}
    review.sign(ws, "2026-10", SIGNER)
    review.return_issue(ws, "2026-10", SIGNER, "再看")     # the approval and signature are void now
    assert meta(root).printed_people().model_dump() == {"editor": "王编辑", "reviewer": "李××", "signer": "张××"}
    review.submit(ws, "2026-10", LOCAL)   # no name recorded: the latest named 送审 stands
    assert meta(root).printed_people().editor == "王编辑"


def test_the_people_line_from_the_record_in_docx_and_html(root):
    from bulletin.commands.render import build_docx, render_html

    ws = Workspace(root)
    for step, actor in (("submit", EDITOR), ("approve", REVIEWER), ("sign", SIGNER)):
        review.take_step(ws, "2026-10", step, actor)
    import io
    import zipfile

    document = zipfile.ZipFile(io.BytesIO(build_docx(ws, ws.resolve("2026-10")))).read("word/document.xml").decode()
    line = "编辑：王编辑　审核：李审核　签发：张签发"
    assert line in document
    report = render_html(ws, "2026-10")
    html = Path(report.path).read_text(encoding="utf-8")
    assert line in html
