"""Who may do what: the one permission check every route of the workbench and every CLI step asks.

`allowed(actor, action, issue)` answers, `refusal(...)` says why not (in the user's language) and
`ensure(...)` raises `Forbidden` with that reason. No route or command decides on its own.

An issue moves 草稿 (draft) → 待审核 (submitted, the editor 送审) → 已审核 (approved, a reviewer 审核通过)
→ 已签发 (signed, a signer 签发) → 已发布 (published); 退回 (return) sends a submitted, approved or
signed issue back to draft. A workspace without accounts is used by the one person at the computer:
`LOCAL` may do everything, and no review is asked for (the CLI as it always was).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from bulletin.errors import BulletinError, Diagnostic
from bulletin.i18n import N_, _

ROLES = ("editor", "reviewer", "signer", "admin", "submitter")
ROLE_WORDS = {"editor": N_("editor"), "reviewer": N_("reviewer"), "signer": N_("signer"),
              "admin": N_("administrator"), "submitter": N_("submitter")}

STATUSES = ("draft", "submitted", "approved", "signed", "published")
EDITABLE = ("draft", "submitted", "approved")  # editing a submitted or approved issue sends it back to draft


@dataclass(frozen=True)
class Actor:
    """The person asking: an account's name and roles; `local` is the single user of a workspace that
    has no accounts. `unit` is the department a submitter (报送) sends for (empty for other roles)."""

    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    local: bool = False
    unit: str = ""

    def has(self, role: str) -> bool:
        return self.local or role in self.roles


LOCAL = Actor("", frozenset(ROLES), local=True)


@dataclass(frozen=True)
class IssueFacts:
    """What a decision about one issue needs: its status and who sent it for review (送审)."""

    status: str = "draft"
    submitted_by: str = ""


@dataclass(frozen=True)
class Policy:
    """The office's settings that change who may do what."""

    reviewer_not_editor: bool = False   # the person who sent an issue for review may not approve it


# action → (the roles any one of which allows it, the statuses of the issue it is allowed in; None: any)
ACTIONS: dict[str, tuple[tuple[str, ...], tuple[str, ...] | None]] = {
    "issue.view": (("editor", "reviewer", "signer", "admin"), None),
    "issue.create": (("editor",), None),
    "issue.edit": (("editor",), EDITABLE),
    "issue.submit": (("editor",), ("draft",)),
    "issue.approve": (("reviewer",), ("submitted",)),
    "issue.return": (("reviewer", "signer"), ("submitted", "approved", "signed")),
    "issue.sign": (("signer",), ("approved",)),
    "issue.publish": (("signer", "admin"), ("signed",)),
    "recipients.manage": (("editor", "admin"), None),
    "accounts.manage": (("admin",), None),
    # 信息报送 (issue 14): a submitter sends items for their unit and reads the published issues;
    # the editors decide on the items and record marks (批示, 上级采用) on articles
    "submissions.send": (("submitter",), None),
    "submissions.decide": (("editor",), None),
    "submissions.view_all": (("editor", "reviewer", "signer", "admin"), None),
    "stats.view": (("editor", "reviewer", "signer", "admin"), None),
    "issue.read_published": (("editor", "reviewer", "signer", "admin", "submitter"), ("published",)),
    "article.mark": (("editor",), None),
}

STATUS_WORDS = {"draft": N_("draft"), "submitted": N_("waiting for review"), "approved": N_("reviewed"),
                "signed": N_("signed off"), "published": N_("published")}


class Forbidden(BulletinError):
    """An action the person may not take (the workbench answers 403; the CLI exits 1)."""


def refusal(actor: Actor, action: str, issue: IssueFacts | None = None, policy: Policy = Policy()) -> str | None:
    """Why `actor` may not take `action` (on `issue`), or None when they may."""
    roles, statuses = ACTIONS[action]
    if actor.local:
        # no accounts: one person with every role; the review's steps keep their order, but
        # publishing needs no review (as before accounts existed; publish refuses a published issue)
        if action == "issue.publish":
            statuses = None
    elif not any(actor.has(role) for role in roles):
        return _("this needs the role {roles}; {name} has {has}").format(
            roles=_(", ").join(_(ROLE_WORDS[r]) for r in roles), name=actor.name,
            has=_(", ").join(_(ROLE_WORDS[r]) for r in ROLES if r in actor.roles) or _("no role"))
    if statuses is not None and issue is not None and issue.status not in statuses:
        return _("not possible while the issue is {status}").format(status=_(STATUS_WORDS.get(issue.status,
                                                                                              issue.status)))
    if (action == "issue.approve" and policy.reviewer_not_editor and not actor.local
            and issue is not None and issue.submitted_by == actor.name):
        return _("{name} sent this issue for review and may not also approve it (the office's rule)").format(
            name=actor.name)
    return None


def allowed(actor: Actor, action: str, issue: IssueFacts | None = None, policy: Policy = Policy()) -> bool:
    return refusal(actor, action, issue, policy) is None


def ensure(actor: Actor, action: str, issue: IssueFacts | None = None, policy: Policy = Policy(),
           where: str = "bulletin") -> None:
    """Nothing when allowed; Forbidden with the reason when not."""
    reason = refusal(actor, action, issue, policy)
    if reason is not None:
        raise Forbidden(Diagnostic(where, None, reason))
