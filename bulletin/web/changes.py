"""The one way the workbench changes the workspace: `perform(request, action, run, ...)`.

Every form that changes a file calls `perform` with the permission it needs (`action`, e.g.
"issue.edit"), the core function that makes the change (the same one the CLI calls: it validates,
takes the workspace lock and writes atomically) and a description of the change in words. Keeping it in
one place is what lets the permission check (asked of the signed-in person), the history record (a
commit per change, in the person's name) and the version check of the form come without touching
every route: each is added here once."""
from __future__ import annotations

from dataclasses import dataclass, field

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from bulletin.model.keys import IssueKey


@dataclass(frozen=True)
class Change:
    """What a change is, in words for its record: `describe` is a catalog message id (marked with
    N_) formatted with `details`, e.g. N_("upload {files}") with {"files": "市民政局.docx"}; `issue` the
    issue it changes, when it changes one."""

    action: str
    describe: str
    details: dict = field(default_factory=dict)
    issue: IssueKey | None = None


class Refused(Exception):
    """The signed-in person may not make this change: the app answers with a 403 page (never a form
    error: nothing is to be corrected in the form)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def issue_facts(ws, key: IssueKey | None):
    """What the permission check needs of `key` (commands.review.issue_facts: its status and who sent
    it for review); an issue.yaml that does not validate gives its status as written (the change itself
    then names the problem)."""
    from bulletin.commands.review import issue_facts as facts_of
    from bulletin.errors import BulletinError
    from bulletin.rules.permissions import IssueFacts
    from bulletin.store import loaders

    if key is None:
        return None
    try:
        meta, _loaded = ws.load_issue(key)
        return facts_of(meta)
    except BulletinError:
        pass
    try:
        data = loaders.load_yaml(ws.issue_dir(key) / "issue.yaml").data
    except BulletinError:
        return IssueFacts()
    status = data.get("status", "draft") if isinstance(data, dict) else "draft"
    return IssueFacts(status=str(status))


def office_policy(ws):
    """bulletin.toml's [review] rules for the permission check (the defaults when it does not validate)."""
    from bulletin.commands.review import policy
    from bulletin.errors import BulletinError
    from bulletin.rules.permissions import Policy

    try:
        return policy(ws)
    except BulletinError:  # a bulletin.toml that does not validate: the page names it
        return Policy()


def _checked(request: Request, change: Change):
    """The permission check of `change` for the signed-in person (raises Refused)."""
    from bulletin.rules.permissions import LOCAL, Forbidden, allowed, ensure
    from bulletin.store.workspace import Workspace

    actor = getattr(request.state, "actor", LOCAL)
    ws = Workspace(request.app.state.workspace)
    facts = issue_facts(ws, change.issue)
    if facts is not None and allowed(actor, change.action):
        # the person's roles allow it, and what the issue's state allows the core function checks itself
        # (refuse_published, a signed issue's edit, the review's steps), beside the form with what to do
        return
    try:
        ensure(actor, change.action, facts, office_policy(ws))
    except Forbidden as exc:
        raise Refused(exc.diagnostics[0].message) from None


async def perform(request: Request, change: Change, run, *args):
    """`run(*args)` (a core function) in a worker thread, as `change`; its result, or its
    BulletinError for the route to show beside the form."""
    await run_in_threadpool(_checked, request, change)
    if getattr(request.app.state, "history", False):   # history: the change and its commit, under the lock
        return await run_in_threadpool(_recorded, request, change, run, *args)
    return await run_in_threadpool(run, *args)


def _recorded(request: Request, change: Change, run, *args):
    from bulletin.commands.history import default_author, recorded
    from bulletin.store.workspace import Workspace

    actor = getattr(request.state, "actor", None)
    author = getattr(actor, "name", "") or default_author()
    return recorded(Workspace(request.app.state.workspace), author, change.describe, change.details,
                    change.issue, run, *args)
