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


async def perform(request: Request, change: Change, run, *args):
    """`run(*args)` (a core function) in a worker thread, as `change`; its result, or its
    BulletinError for the route to show beside the form."""
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
