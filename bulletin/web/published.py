"""The published issues, read-only, for everyone signed in (a submitting unit included): the list, and
each issue as its web edition (`bulletin render --html`, made in memory), never a draft or an issue
still in review: those answer 404, as an issue that does not exist."""
from __future__ import annotations

import mimetypes

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bulletin.errors import BulletinError
from bulletin.i18n import _
from bulletin.web.home import workspace
from bulletin.web.pages import ensure_may, not_found, page


def _published_rows(ws) -> tuple[list[dict], list]:
    from bulletin.commands.reports import issue_rows

    try:
        return [row for row in issue_rows(ws) if row["status"] == "published"], []
    except BulletinError as exc:
        return [], exc.diagnostics


async def index(request: Request):
    ensure_may(request, "issue.read_published")
    rows, problems = await run_in_threadpool(_published_rows, workspace(request))
    return page(request, "published.html", {"title": _("Published issues"), "rows": rows, "problems": problems})


def _edition(ws, name: str) -> dict[str, bytes] | None:
    """The web edition of the published issue `name`, or None (no such issue, or not published)."""
    from bulletin.commands.render import web_edition
    from bulletin.web.issues import ISSUE_NAME

    if not ISSUE_NAME.match(name):
        return None
    try:
        key = ws.resolve(name)
        if ws.load_issue(key)[0].status != "published":
            return None
        return web_edition(ws, str(key))
    except BulletinError:
        return None


async def issue(request: Request):
    ensure_may(request, "issue.read_published")
    name = request.path_params["name"]
    path = request.path_params.get("file", "") or "index.html"
    files = await run_in_threadpool(_edition, workspace(request), name)
    if files is None or path not in files:
        return not_found(request)
    media = "text/html; charset=utf-8" if path.endswith(".html") else (mimetypes.guess_type(path)[0]
                                                                       or "application/octet-stream")
    return Response(files[path], media_type=media, headers={"Cache-Control": "no-store"})


async def issue_without_slash(request: Request):
    return RedirectResponse(f"/published/{request.path_params['name']}/", status_code=308)


routes = [Route("/published", index, methods=["GET"], name="published"),
          Route("/published/{name}", issue_without_slash, methods=["GET"]),
          Route("/published/{name}/", issue, methods=["GET"], name="published_issue"),
          Route("/published/{name}/{file:path}", issue, methods=["GET"], name="published_file")]
