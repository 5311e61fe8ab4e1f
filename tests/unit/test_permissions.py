"""The one permission check: roles × actions × the issue's status."""
import pytest

from bulletin.rules.permissions import (ACTIONS, LOCAL, Actor, Forbidden, IssueFacts, Policy, allowed, ensure,
                                        refusal)

EDITOR = Actor("王伟", frozenset({"editor"}))
REVIEWER = Actor("李明", frozenset({"reviewer"}))
SIGNER = Actor("张强", frozenset({"signer"}))
ADMIN = Actor("管理员", frozenset({"admin"}))
SUBMITTER = Actor("李华", frozenset({"submitter"}))


@pytest.mark.parametrize("actor, action, status, expected", [
    (EDITOR, "issue.create", None, True),
    (REVIEWER, "issue.create", None, False),
    (EDITOR, "issue.edit", "draft", True),
    (EDITOR, "issue.edit", "submitted", True),     # and the edit sends it back to draft
    (EDITOR, "issue.edit", "signed", False),
    (EDITOR, "issue.edit", "published", False),
    (EDITOR, "issue.submit", "draft", True),
    (EDITOR, "issue.submit", "submitted", False),
    (EDITOR, "issue.approve", "submitted", False),
    (REVIEWER, "issue.approve", "submitted", True),
    (REVIEWER, "issue.approve", "draft", False),
    (REVIEWER, "issue.return", "submitted", True),
    (SIGNER, "issue.sign", "approved", True),
    (SIGNER, "issue.sign", "submitted", False),
    (REVIEWER, "issue.sign", "approved", False),
    (EDITOR, "issue.publish", "signed", False),
    (SIGNER, "issue.publish", "signed", True),
    (SIGNER, "issue.publish", "approved", False),
    (EDITOR, "recipients.manage", None, True),
    (REVIEWER, "recipients.manage", None, False),
    (EDITOR, "accounts.manage", None, False),
    (ADMIN, "accounts.manage", None, True),
    (SUBMITTER, "issue.view", "published", False),
    (SUBMITTER, "issue.edit", "draft", False),
])
def test_roles_and_statuses(actor, action, status, expected):
    issue = IssueFacts(status) if status else None
    assert allowed(actor, action, issue) is expected
    assert (refusal(actor, action, issue) is None) is expected


def test_a_person_with_several_roles_has_each():
    both = Actor("王伟", frozenset({"editor", "reviewer"}))
    assert allowed(both, "issue.submit", IssueFacts("draft"))
    assert allowed(both, "issue.approve", IssueFacts("submitted", submitted_by="王伟"))


def test_the_office_may_forbid_approving_what_one_sent_for_review():
    both = Actor("王伟", frozenset({"editor", "reviewer"}))
    rule = Policy(reviewer_not_editor=True)
    assert not allowed(both, "issue.approve", IssueFacts("submitted", submitted_by="王伟"), rule)
    assert allowed(REVIEWER, "issue.approve", IssueFacts("submitted", submitted_by="王伟"), rule)
    assert "王伟" in refusal(both, "issue.approve", IssueFacts("submitted", submitted_by="王伟"), rule)


def test_without_accounts_the_one_user_may_do_everything_but_change_a_published_issue():
    for action in ACTIONS:
        if action not in ("issue.edit", "accounts.manage"):
            assert allowed(LOCAL, action, None), action
    assert allowed(LOCAL, "issue.publish", IssueFacts("draft"))    # no review needed, as before
    assert not allowed(LOCAL, "issue.edit", IssueFacts("published"))
    assert not allowed(LOCAL, "issue.approve", IssueFacts("draft"))  # the steps keep their order


def test_ensure_raises_forbidden_with_the_reason():
    with pytest.raises(Forbidden) as caught:
        ensure(EDITOR, "issue.publish", IssueFacts("signed"), where="issues/2026/10/issue.yaml")
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.path == "issues/2026/10/issue.yaml"
    assert "王伟" in diagnostic.message and "signer" in diagnostic.message
    ensure(SIGNER, "issue.publish", IssueFacts("signed"))


def test_without_accounts_there_are_none_to_manage_in_the_workbench():
    """The first account is added with `bulletin user add` (the web's account forms need an administrator)."""
    assert not allowed(LOCAL, "accounts.manage")
    assert "bulletin user add" in refusal(LOCAL, "accounts.manage")
