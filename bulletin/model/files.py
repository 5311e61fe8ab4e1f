"""Validated models of the workspace files (bulletin.toml, recipients.yaml, issue.yaml, articles).

No I/O here. Field checks live on the fields; cross-field checks are `problems()` methods that
return `(key path, message, hint)` so the loader can turn each into a diagnostic with its line —
the mkdocs habit of validating fields first and relations after.
"""

# No `from __future__ import annotations` here: pydantic would evaluate every field's annotation
# from its text (a compile() each), about 1.5 ms of every start-up for these models.
import datetime as _dt
import re
from typing import Annotated, Literal, Optional

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PositiveInt,
    StrictBool,
)

from bulletin.cjk import clean_text, one_line
from bulletin.i18n import _
from bulletin.portable import windows_problem

Problem = tuple  # (key path, message, hint)


def _non_empty(value: str) -> str:
    if not value:
        raise ValueError(_("must not be empty"))
    return value


def _not_a_number(value):
    """YAML reads `date: 20091201` as a number, which pydantic would take as Unix seconds."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from pydantic_core import PydanticCustomError

        raise PydanticCustomError("not_a_date", "{value!r} is not a date", {"value": value})
    return value


Text = Annotated[str, AfterValidator(one_line)]
Date = Annotated[_dt.date, BeforeValidator(_not_a_number)]
NonEmptyText = Annotated[str, AfterValidator(one_line), AfterValidator(_non_empty)]
Markdown = Annotated[str, AfterValidator(clean_text)]
RecipientId = Annotated[str, Field(pattern=r"^[a-z0-9_-]+$")]
IssueKind = Literal["regular", "supplement", "special"]
Role = Literal["报", "送", "发"]


class Model(BaseModel):
    """Base for every file model: unknown keys are errors (a misspelled `distrbution:`)."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True, frozen=False)


# --- bulletin.toml -----------------------------------------------------------------------------------

class FirstIssue(Model):
    """Numbering of the first issue this workspace holds (an office moving in mid-series)."""

    year: int = Field(ge=1949, le=2999)
    number: PositiveInt = 1
    total: PositiveInt = 1


class Series(Model):
    name: NonEmptyText
    masthead: Optional[list[NonEmptyText]] = Field(default=None, min_length=1, max_length=3)
    editor: NonEmptyText
    marking: Text = ""
    first: FirstIssue = Field(default_factory=lambda: FirstIssue(year=_dt.date.today().year))
    require_people: StrictBool = False  # publish refuses an issue whose 编辑/审核/签发 line is incomplete

    @property
    def masthead_lines(self) -> list[str]:
        """Lines of the red name; the series name on one line by default."""
        return list(self.masthead) if self.masthead else [self.name]


class PrintSettings(Model):
    preset: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")] = "gbt9704"
    archive_copies: int = Field(default=5, ge=0)


class WebSettings(Model):
    """[web]: what the web edition (`render --html`) and the archive (`bulletin site`) may show."""

    public: StrictBool = False             # issues with a marking (内部资料, 秘密 …) go into the archive too
    show_distribution: StrictBool = False  # print the 报/送/发 names and 共印 on the web


class ReviewSettings(Model):
    """[review]: the office's rules for 审核 and 签发."""

    reviewer_not_editor: StrictBool = False  # the person who sent an issue for review may not approve it


class WorkbenchSettings(Model):
    """[workbench]: `bulletin serve` for an office (accounts, the intranet, a reverse proxy)."""

    hosts: list[Annotated[str, Field(pattern=r"^[A-Za-z0-9.:\[\]-]+$")]] = Field(default_factory=list)
    trust_proxy: StrictBool = False  # behind a reverse proxy: believe its X-Forwarded-Proto and X-Forwarded-For
    session_hours: float = Field(default=8, gt=0, le=24 * 31)  # a session ends after this long idle
    max_file_mb: int = Field(default=20, ge=1, le=1024)        # one uploaded file
    max_request_mb: int = Field(default=100, ge=1, le=4096)    # one request, all its files together


class SubmissionSettings(Model):
    """[submissions]: 信息报送. `units` lists the departments that send items; without it the units are
    the recipient directory's names and the articles' sources (commands.submissions.units)."""

    units: Optional[list[NonEmptyText]] = None
    roundup_title: NonEmptyText = "综合信息"   # the title of a new roundup article (综合采用)

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        seen: set[str] = set()
        for i, unit in enumerate(self.units or []):
            if unit in seen:
                out.append((("submissions", "units", i), _("unit {unit} is listed twice").format(unit=unit),
                            _("list each unit once")))
            seen.add(unit)
        return out


Points = Annotated[float, Field(ge=0, le=1000)]


class ScoringSettings(Model):
    """[scoring]: the points a unit earns (信息采用计分), counted for the 通报 and the yearly assessment."""

    full_adoption: Points = 10        # 全文采用: the item printed as an article of its own
    combined_adoption: Points = 5     # 综合采用: the item's text in a roundup article
    instruction_bonus: Points = 5     # each leader's 批示 recorded on the article
    higher_adoption_bonus: Points = 10  # each adoption by a higher-level bulletin (上级采用)


class SeriesConfig(Model):
    """bulletin.toml."""

    series: Series
    print_settings: PrintSettings = Field(default_factory=PrintSettings, alias="print")
    web: WebSettings = Field(default_factory=WebSettings)
    review: ReviewSettings = Field(default_factory=ReviewSettings)
    workbench: WorkbenchSettings = Field(default_factory=WorkbenchSettings)
    submissions: SubmissionSettings = Field(default_factory=SubmissionSettings)
    scoring: ScoringSettings = Field(default_factory=ScoringSettings)

    def problems(self) -> list[Problem]:
        return self.submissions.problems()


# --- recipients.yaml ---------------------------------------------------------------------------------

class Recipient(Model):
    id: RecipientId
    name: NonEmptyText
    role: Role
    copies: PositiveInt = 1
    email: Text = ""


class RecipientDirectory(Model):
    """recipients.yaml: every recipient once, and named lists of their ids."""

    recipients: list[Recipient] = Field(default_factory=list)
    lists: dict[Annotated[str, Field(pattern=r"^[A-Za-z0-9_-]+$")], list[str]] = Field(default_factory=dict)

    def by_id(self) -> dict[str, Recipient]:
        return {r.id: r for r in self.recipients}

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        seen: dict[str, int] = {}
        for i, r in enumerate(self.recipients):
            if r.id in seen:
                out.append((("recipients", i, "id"), _("recipient id {id!r} is used twice").format(id=r.id),
                            _("the first is recipient {n}; give each recipient its own id").format(
                                n=seen[r.id] + 1)))
            seen.setdefault(r.id, i)
        for name, ids in self.lists.items():
            for j, rid in enumerate(ids):
                if rid not in seen:
                    out.append((("lists", name, j),
                                _("list {name!r} names unknown recipient {id!r}").format(name=name, id=rid),
                                _suggest(rid, seen)))
        return out


def _suggest(word: str, known) -> str:
    import difflib

    guess = difflib.get_close_matches(word, list(known), n=1)
    if guess:
        return _("did you mean {guess!r}?").format(guess=guess[0])
    return _("add it under 'recipients:' or remove it")


# --- issue.yaml --------------------------------------------------------------------------------------

class DistributionSpec(Model):
    lists: list[str] = Field(default_factory=list)
    add: list[str] = Field(default_factory=list)
    remove: list[str] = Field(default_factory=list)
    extra: list[NonEmptyText] = Field(default_factory=list)


class People(Model):
    editor: Text = ""
    reviewer: Text = ""
    signer: Text = ""

    def any(self) -> bool:
        return bool(self.editor or self.reviewer or self.signer)

    def missing(self) -> list[tuple[str, str]]:
        """(key, printed word) of each empty one of 编辑, 审核, 签发."""
        return [(key, word) for key, word in (("editor", "编辑"), ("reviewer", "审核"), ("signer", "签发"))
                if not getattr(self, key).strip()]


class ForcedRender(Model):
    """One authorised correction (`render --force --reason …`): when, why and which sources had changed;
    the new checksums replace the published ones."""

    at: _dt.datetime
    reason: Text = ""  # empty only in records written before --reason existed
    changed: list[str] = Field(default_factory=list)


class PublishOverride(Model):
    """`publish --force --reason …`: why the issue was published despite what publish found."""

    reason: NonEmptyText
    findings: list[str] = Field(default_factory=list)


class PrintedRecipient(Model):
    """A directory recipient as the issue printed it (its name and copies then, not now)."""

    role: Role
    id: RecipientId
    name: NonEmptyText
    copies: PositiveInt


class PublishedDistribution(Model):
    """The distribution a published issue was printed with, written by `publish` (and by a forced
    `render` of an issue published before this record existed): what the tail and the register print,
    so that editing recipients.yaml later changes nothing an old issue prints. `sha256` is the record's
    own checksum (`digest()`): the record lives in issue.yaml, which the sources' checksums leave out,
    and a hand edit of it would otherwise print other names under a published issue unnoticed."""

    recipients: list[PrintedRecipient] = Field(default_factory=list)  # 报, then 送, then 发, as printed
    extra: list[NonEmptyText] = Field(default_factory=list)          # 本期增发, one copy each
    archive_copies: int = Field(default=0, ge=0)                     # the office's own copies then
    copies: int = Field(ge=0)                                        # 共印 as printed
    # missing or wrong, the record counts as changed: `check` says so, `render --force --reason` seals it
    sha256: Optional[Annotated[str, Field(pattern=r"^[0-9a-f]{64}$")]] = None

    def digest(self) -> str:
        """sha256 of what the record says (everything but `sha256`), however the YAML is laid out."""
        import hashlib
        import json

        said = {"recipients": [[r.role, r.id, r.name, r.copies] for r in self.recipients],
                "extra": list(self.extra), "archive_copies": self.archive_copies, "copies": self.copies}
        text = json.dumps(said, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


class PublishedRecord(Model):
    """Written by `bulletin publish`: sha256 of every source file and of the rendered .docx, and the
    distribution as printed (missing in issues published before it was recorded)."""

    at: _dt.datetime
    sources: dict[str, str] = Field(default_factory=dict)
    output: dict[str, str] = Field(default_factory=dict)
    forced: list[ForcedRender] = Field(default_factory=list)
    override: Optional[PublishOverride] = None
    distribution: Optional[PublishedDistribution] = None


Status = Literal["draft", "submitted", "approved", "signed", "published"]  # 草稿 待审核 已审核 已签发 已发布
# submit 送审, approve 审核通过, return 退回, sign 签发; reopen: an edit of a submitted or approved issue
# sent it back to draft (recorded so the reviewer sees why it left their queue)
ReviewStepKind = Literal["submit", "approve", "return", "sign", "reopen"]


class ReviewStep(Model):
    """One step of the issue's review, in the order taken: who (the account's name; empty for the one
    user of a workspace without accounts and for `reopen`), when (with its zone) and the comment."""

    step: ReviewStepKind
    by: Text = ""
    at: AwareDatetime
    comment: Annotated[str, AfterValidator(clean_text), AfterValidator(str.strip)] = ""


class Mark(Model):
    """What every mark on an article says: when, a note, who recorded it and when."""

    date: Date
    note: Text = ""
    recorded_by: Text = ""
    recorded_at: Optional[AwareDatetime] = None


class Instruction(Mark):
    """A leader's 批示 on an article: who gave it (`by`)."""

    by: NonEmptyText


class HigherAdoption(Mark):
    """An article taken up by a higher-level bulletin (上级采用): which one, and its issue."""

    bulletin: NonEmptyText


class ArticleMarks(Model):
    """What happened to an article after it was printed, for the scores: never printed itself. Kept in
    issue.yaml (under `marks:`, by article file), which the published checksums leave out, so a 批示
    recorded on a published issue leaves the issue frozen as it was printed."""

    instructions: list[Instruction] = Field(default_factory=list)
    adopted_higher: list[HigherAdoption] = Field(default_factory=list)


# \Z, not $ (which lets "a.md\n" through); .MD too, as `bulletin add` takes it
_ARTICLE_NAME = re.compile(r"^[^/\\:*?\"<>|\x00-\x1f\x7f]+\.[mM][dD]\Z")


class IssueMeta(Model):
    """issues/YYYY/NN/issue.yaml."""

    number: PositiveInt
    total: Optional[PositiveInt] = None
    date: Date
    kind: IssueKind = "regular"
    theme: Text = ""
    marking: Text = ""        # this issue's own marking (秘密★1年), printed instead of the series' one
    status: Status = "draft"
    editor_note: Markdown = ""
    articles: list[str] = Field(default_factory=list)
    distribution: DistributionSpec = Field(default_factory=DistributionSpec)
    copies: Optional[PositiveInt] = None
    people: People = Field(default_factory=People)
    review: list[ReviewStep] = Field(default_factory=list)
    published: Optional[PublishedRecord] = None
    marks: dict[str, ArticleMarks] = Field(default_factory=dict)  # 批示 and 上级采用 by article file

    def last_step(self, step: str) -> Optional[ReviewStep]:
        """The latest review step of kind `step` (submit, approve, sign …), or None."""
        return next((s for s in reversed(self.review) if s.step == step), None)

    def printed_people(self) -> People:
        """The names of the printed 编辑/审核/签发 line: who made the latest 送审, and who approved and
        signed since the issue last went back to draft (a 退回 or an edit voids them), from the review
        record; the hand-written `people:` name where the record has none (issues made before it, the
        one user of a workspace without accounts)."""
        steps = self.printed_steps()
        return People(**{role: steps[role].by if steps[role] else getattr(self.people, role) for role in steps})

    def printed_steps(self) -> dict[str, Optional[ReviewStep]]:
        """editor, reviewer, signer → the review step whose person the printed line names: the latest
        送审 with a name, and the 审核通过 and 签发 with a name since the issue last went back to draft;
        None where the record names no one (the hand-written `people:` name is printed)."""
        since = max((i for i, s in enumerate(self.review) if s.step in ("return", "reopen")), default=-1)
        taken = {}
        for role, kind in (("editor", "submit"), ("reviewer", "approve"), ("signer", "sign")):
            steps = self.review if kind == "submit" else self.review[since + 1:]
            taken[role] = next((s for s in reversed(steps) if s.step == kind and s.by), None)
        return taken

    def names_recorded(self) -> bool:
        """Does the review record name anyone? Then the printed names come from it, not from `people:`
        typed by hand (which only fills a role the record does not yet name)."""
        return any(s.by for s in self.review if s.step in ("submit", "approve", "sign"))

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        if self.kind == "regular" and self.total is None:
            out.append((("total",), _("a regular issue needs its total number (总第…期)"),
                        _("add 'total: N', one more than the previous regular issue")))
        if self.kind != "regular" and self.total is not None:
            message = (_("a supplement issue takes no total number") if self.kind == "supplement"
                       else _("a special issue takes no total number"))
            out.append((("total",), message, _("remove 'total:'")))
        if self.kind == "special" and not self.theme:
            out.append((("kind",), _("a special issue (专刊) needs its theme"), _("add 'theme: …'")))
        seen = set()
        for i, name in enumerate(self.articles):
            if problem := windows_problem(name):
                out.append((("articles", i), _("article {name!r} {problem}").format(name=name, problem=problem),
                            _("name article files with letters, digits and '-', e.g. 01-award.md")))
            elif not _ARTICLE_NAME.match(name) or name in (".md",) or name.startswith("."):
                out.append((("articles", i),
                            _("{name!r} is not an article file name in this folder").format(name=name),
                            _("list Markdown files of the issue folder, e.g. 01-award.md")))
            elif name in seen:
                out.append((("articles", i), _("{name!r} is listed twice").format(name=name),
                            _("list each article once")))
            seen.add(name)
        for name in self.marks:
            if name not in seen:
                out.append((("marks", name), _("marks are recorded for {name!r}, which is not one of the issue's "
                                               "articles").format(name=name),
                            _("list the article under 'articles:' or remove its marks")))
        for i, step in enumerate(self.review):
            if step.step == "return" and not step.comment.strip():
                out.append((("review", i, "comment"), _("a return (退回) needs its reason in 'comment:'"),
                            _("write why the issue goes back, e.g. comment: 第二篇数字需核实")))
        return out


# --- article front matter ----------------------------------------------------------------------------

class ArticleMeta(Model):
    title: NonEmptyText
    source: Text = ""
    author: Text = ""
    section: Text = ""


# --- submissions/<year>/<NNNN>-<unit>/item.yaml ------------------------------------------------------

ItemStatus = Literal["pending", "adopted", "combined", "returned", "kept"]  # 待处理 已采用 综合采用 退回 留用
DecisionAction = Literal["adopt", "combine", "return", "keep", "undo"]
DECIDED = {"adopt": "adopted", "combine": "combined", "return": "returned", "keep": "kept"}
_ISSUE_REF = r"^\d{4}-(?:[SZ]?\d+)$"
_STORED_FILE = r"^(?:original\.(?:docx|doc|wps|txt)|text\.md)$"  # pydantic's regex: $ is the very end


class Decision(Model):
    """One step taken on an item, in order: who and when; `reason` for a return (退回); the issue
    (`2026-10`) and article file (`03-xxx.md`) for an adoption. `undo` cancels the last step not yet
    cancelled."""

    action: DecisionAction
    by: Text = ""
    at: AwareDatetime
    reason: Annotated[str, AfterValidator(clean_text), AfterValidator(str.strip)] = ""
    issue: Annotated[str, Field(pattern=_ISSUE_REF)] | Literal[""] = ""
    article: Text = ""


def effective_decisions(decisions: list[Decision]) -> list[Decision]:
    """The steps still in force: each `undo` cancels the latest step before it not yet cancelled."""
    stack: list[Decision] = []
    for decision in decisions:
        if decision.action == "undo":
            if stack:
                stack.pop()
        else:
            stack.append(decision)
    return stack


class SubmissionRecord(Model):
    """item.yaml: one item a unit sent (信息报送) and what the editors decided on it."""

    number: PositiveInt
    unit: NonEmptyText
    title: NonEmptyText
    sent_by: Text = ""
    sent_at: AwareDatetime
    file: Annotated[str, Field(pattern=_STORED_FILE)]
    status: ItemStatus = "pending"
    decisions: list[Decision] = Field(default_factory=list)

    def current(self) -> Optional[Decision]:
        """The decision in force (None: 待处理)."""
        stack = effective_decisions(self.decisions)
        return stack[-1] if stack else None

    def effective_status(self) -> str:
        current = self.current()
        return DECIDED[current.action] if current else "pending"

    def problems(self) -> list[Problem]:
        out: list[Problem] = []
        for i, d in enumerate(self.decisions):
            if d.action == "return" and not d.reason:
                out.append((("decisions", i, "reason"), _("a return (退回) needs its reason"),
                            _("write why the item goes back, e.g. reason: 数据需核实")))
            if d.action in ("adopt", "combine") and not (d.issue and d.article):
                out.append((("decisions", i), _("an adoption names its issue and article"),
                            _("add 'issue: 2026-10' and 'article: 03-xxx.md'")))
            if d.action == "undo" and not effective_decisions(self.decisions[:i]):
                out.append((("decisions", i), _("an undo with no decision before it to cancel"),
                            _("remove the undo step")))
        if self.status != self.effective_status():
            out.append((("status",), _("the status is {status}, but the decisions say {effective}").format(
                status=self.status, effective=self.effective_status()),
                _("write 'status: {effective}', or correct the decisions").format(effective=self.effective_status())))
        return out
