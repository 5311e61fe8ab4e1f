"""The 历史 pages: an issue's and an article's history (who, when, what, the diff of each change) and
恢复此版本, which goes through `perform` like every change (so it is a new commit itself)."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from bulletin.commands import history
from bulletin.errors import BulletinError
from bulletin.i18n import _
from bulletin.web.changes import Change, perform
from bulletin.web.home import workspace
from bulletin.web.pages import not_found, page


def _issue_key(request: Request, ws):
    from bulletin.web.issues import ISSUE_NAME

    name = request.path_params["name"]
    if not ISSUE_NAME.match(name):
        raise BulletinError(_("There is no such page."))
    return ws.resolve(name)


def _article_title(ws, name: str, file: str) -> str:
    from bulletin.commands.edit import read_article

    return read_article(ws, name, file)["fields"]["title"] or file


def _read(request: Request, ws):
    """(the issue's key, the article's file or "", its title, the versions, what the person may do)."""
    from bulletin.web.pages import can_for

    key = _issue_key(request, ws)
    file = request.path_params.get("file", "")
    can = can_for(request, ws, key)
    if file:
        return key, file, _article_title(ws, str(key), file), history.article_history(ws, str(key), file), can
    from bulletin.commands.records import labeller

    meta, _loaded = ws.load_issue(key)
    return key, "", labeller(ws)(meta), history.issue_history(ws, str(key)), can


async def _page(request: Request, status: int = 200, diagnostics=()):
    ws = workspace(request)
    try:
        key, file, title, versions, can = await run_in_threadpool(_read, request, ws)
    except BulletinError as exc:
        return not_found(request, exc)
    back = f"/issues/{key}" + (f"/articles/{file}" if file else "")
    return page(request, "history.html", {"title": title, "key": str(key), "file": file, "heading": title,
                                          "back": back, "versions": versions,
                                          "recording": bool(request.app.state.history),
                                          "restored": request.query_params.get("restored", ""),
                                          "diagnostics": list(diagnostics), "can": can}, status)


async def show(request: Request):
    return await _page(request)


async def restore(request: Request):
    """恢复此版本: the file (an article) or the issue's record (issue.yaml) as it was at `commit`."""
    ws = workspace(request)
    data = await request.form()
    commit = str(data.get("commit", ""))
    file = request.path_params.get("file", "")
    try:
        key = await run_in_threadpool(_issue_key, request, ws)
        if file:  # only an article the issue lists (no path is touched first)
            await run_in_threadpool(_article_title, ws, str(key), file)
    except BulletinError as exc:
        return not_found(request, exc)
    change = (Change("issue.edit", history.RESTORE, {"file": file, "commit": commit[:7]}, key) if file else
              Change("issue.edit", history.RESTORE_ISSUE, {"commit": commit[:7]}, key))
    try:
        if file:
            await perform(request, change, history.restore_article, ws, str(key), file, commit)
        else:
            await perform(request, change, history.restore_issue, ws, str(key), commit)
    except BulletinError as exc:
        return await _page(request, 422, exc.diagnostics)
    back = f"/issues/{key}" + (f"/articles/{file}" if file else "")
    return RedirectResponse(f"{back}/history?restored={commit[:7]}", status_code=303)


routes = [Route("/issues/{name}/history", show, methods=["GET"], name="issue_history"),
          Route("/issues/{name}/history/restore", restore, methods=["POST"], name="restore_issue"),
          Route("/issues/{name}/articles/{file}/history", show, methods=["GET"], name="article_history"),
          Route("/issues/{name}/articles/{file}/history/restore", restore, methods=["POST"],
                name="restore_article")]
