"""Review and sign-off of an issue: 送审 (submit), 审核通过 (approve), 退回 (return) and 签发 (sign).

An issue moves 草稿 → 待审核 → 已审核 → 已签发 → 已发布 (publish). Each step is asked of the one
permission check (rules.permissions.ensure) with the issue's facts and the office's policy
(bulletin.toml [review]), and is recorded in issue.yaml under `review:` — who, when (with its zone) and
the comment — so that it stays with the issue under version control and the printed 编辑/审核/签发 line
can come from it. Every step is checked first, written atomically under the workspace lock, and leaves
issue.yaml's other lines as they were."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from bulletin.commands.records import edited_issue_yaml
from bulletin.errors import fail
from bulletin.i18n import _
from bulletin.model.keys import IssueKey
from bulletin.rules.permissions import LOCAL, Actor, IssueFacts, Policy, ensure
from bulletin.store.atomic import atomic_write
from bulletin.store.workspace import Workspace

# step → (the action the permission check is asked, the status the issue has after it)
STEPS = {"submit": ("issue.submit", "submitted"), "approve": ("issue.approve", "approved"),
         "return": ("issue.return", "draft"), "sign": ("issue.sign", "signed")}


def issue_facts(meta) -> IssueFacts:
    """What the permission check needs of an issue: its status and who made its latest 送审."""
    submitted = meta.last_step("submit")
    return IssueFacts(status=meta.status, submitted_by=submitted.by if submitted else "")


def policy(ws: Workspace) -> Policy:
    """The office's review rules from bulletin.toml ([review])."""
    return Policy(reviewer_not_editor=ws.series().review.reviewer_not_editor)


def has_accounts(ws: Workspace) -> bool:
    """Whether the workspace has accounts (then an issue is published only once signed off)."""
    try:
        from bulletin.accounts.store import AccountStore
    except ImportError:  # a tree without the accounts part: the one user of the workspace
        return False
    return AccountStore(ws).any()


def actor_named(ws: Workspace, name: str | None) -> Actor:
    """The person a CLI step is taken as (`--as NAME`): with accounts, the account of that name (its
    roles); without, the one user of the workspace with NAME recorded (every power, as LOCAL)."""
    name = " ".join((name or "").split())
    if not has_accounts(ws):
        return Actor(name, LOCAL.roles, local=True) if name else LOCAL
    from bulletin.accounts.store import AccountStore

    if not name:
        raise fail("--as", None, _("this workspace has accounts: say who takes the step"),
                   _("add --as NAME (an account of 'bulletin user list')"))
    actor = AccountStore(ws).actor(name)
    if actor is None:
        raise fail("--as", None, _("there is no account {name!r}").format(name=name),
                   _("see 'bulletin user list' for the accounts"))
    return actor


def ensure_publish(ws: Workspace, key: IssueKey, meta, actor: Actor = LOCAL) -> None:
    """Forbidden unless `actor` may publish the issue: with accounts only a signed issue (已签发) is
    published, whoever asks; without, the one user publishes any draft (as before review existed)."""
    _meta, loaded = ws.load_issue(key)
    where = str(loaded.path)
    if actor.local and has_accounts(ws) and meta.status != "signed":
        from bulletin.rules.permissions import Forbidden, STATUS_WORDS
        from bulletin.errors import Diagnostic

        raise Forbidden(Diagnostic(where, loaded.line_of(("status",)), _(
            "issue {key} is {status}: with accounts, an issue is published once signed off (已签发)").format(
                key=key, status=_(STATUS_WORDS.get(meta.status, meta.status))),
            "error", _("send it for review (bulletin submit), have it approved and signed, then publish")))
    ensure(actor, "issue.publish", issue_facts(meta), policy(ws), where=where)


def now() -> _dt.datetime:
    """This moment in the computer's own zone, to the second (as a person reads it in issue.yaml)."""
    return _dt.datetime.now().astimezone().replace(microsecond=0)


def step_node(step: str, by: str, at: _dt.datetime, comment: str = ""):
    """A review step as issue.yaml holds it: `- {step: submit, by: 王××, at: …, comment: …}` on one line,
    or with the comment on lines of its own when it has several."""
    from ruamel.yaml.comments import CommentedMap
    from ruamel.yaml.scalarstring import LiteralScalarString

    comment = comment.replace("\r\n", "\n").replace("\r", "\n").strip()
    item = CommentedMap([("step", step), ("by", by), ("at", at),
                         ("comment", LiteralScalarString(comment + "\n") if "\n" in comment else comment)])
    if "\n" not in comment:
        item.fa.set_flow_style()
    return item


def add_step(node, step: str, by: str, at: _dt.datetime, comment: str = "") -> None:
    """Append a step to issue.yaml's `review:` list (made when missing), one step a line."""
    from ruamel.yaml.comments import CommentedSeq

    if not isinstance(node.get("review"), list):
        node["review"] = CommentedSeq()
        node["review"].fa.set_block_style()
    node["review"].append(step_node(step, by, at, comment))


def take_step(ws: Workspace, ref: str, step: str, actor: Actor = LOCAL, comment: str = "") -> IssueKey:
    """Take review step `step` (submit, approve, return, sign) on issue `ref` as `actor`: refused
    (Forbidden) unless the permission check allows it; the status set and the step recorded."""
    from bulletin.model.files import IssueMeta
    from bulletin.store.loaders import parse_yaml, validate
    from bulletin.store.workspace import check_problems

    action, status = STEPS[step]
    comment = comment.replace("\r\n", "\n").replace("\r", "\n").strip()
    key = ws.resolve(ref)
    with ws.lock():
        ws.forget_issue(key)
        meta, loaded = ws.load_issue(key)
        ensure(actor, action, issue_facts(meta), policy(ws), where=str(loaded.path))
        if step == "return" and not comment:
            raise fail("comment", None, _("a return (退回) needs a comment: say what is to be changed"),
                       _("write the reason, e.g. 第二篇数字需核实"))

        def edit(node):
            node["status"] = status
            add_step(node, step, actor.name, now(), comment)
        path, text = edited_issue_yaml(ws, key, edit)
        written = parse_yaml(text, Path(ws.rel(path)))
        check_problems(validate(IssueMeta, written).problems(), written)
        atomic_write(path, text)
        ws.forget_issue(key)
    return key


def submit(ws: Workspace, ref: str, actor: Actor = LOCAL, comment: str = "") -> IssueKey:
    """送审: a draft goes to the reviewers (待审核)."""
    return take_step(ws, ref, "submit", actor, comment)


def approve(ws: Workspace, ref: str, actor: Actor = LOCAL, comment: str = "") -> IssueKey:
    """审核通过: a submitted issue goes to the signer (已审核)."""
    return take_step(ws, ref, "approve", actor, comment)


def return_issue(ws: Workspace, ref: str, actor: Actor = LOCAL, comment: str = "") -> IssueKey:
    """退回 with its reason (required): a submitted, approved or signed issue goes back to draft."""
    return take_step(ws, ref, "return", actor, comment)


def sign(ws: Workspace, ref: str, actor: Actor = LOCAL, comment: str = "") -> IssueKey:
    """签发: an approved issue may be published (已签发)."""
    return take_step(ws, ref, "sign", actor, comment)
