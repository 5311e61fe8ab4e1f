"""首页: the issues by year and 新建一期."""
from __future__ import annotations

import datetime as _dt
from itertools import groupby

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from bulletin.errors import BulletinError
from bulletin.i18n import N_, _
from bulletin.store.workspace import Workspace
from bulletin.web.changes import Change, perform
from bulletin.web.pages import KINDS, page


def workspace(request: Request) -> Workspace:
    """A fresh view of the workspace for each request: a change made with the CLI shows at once."""
    return Workspace(request.app.state.workspace)


def _years(ws: Workspace) -> tuple[list, list]:
    from bulletin.commands.reports import issue_rows

    try:
        rows = issue_rows(ws)
    except BulletinError as exc:
        return [], exc.diagnostics
    by_year = [(year, list(group)) for year, group in groupby(rows, key=lambda r: r["issue"][:4])]
    return sorted(by_year, reverse=True), []


async def index(request: Request):
    from bulletin.web.pages import can_for

    can = can_for(request)
    if not can("issue.view"):   # a submitting unit's home is its 信息报送 page
        return RedirectResponse("/submit" if can("submissions.send") else "/published", status_code=303)
    return await _index_page(request, {}, {}, 200)


async def _index_page(request: Request, form: dict, errors: dict, status: int, diagnostics=()):
    # made on one worker thread, its template too (as the issue page: web.issues._issue_page)
    return await run_in_threadpool(_index_page_made, request, form, errors, status, diagnostics)


def _index_page_made(request: Request, form: dict, errors: dict, status: int, diagnostics):
    years, problems = _years(workspace(request))
    return page(request, "home.html", {"title": _("Issues"), "years": years, "problems": problems,
                                       "diagnostics": list(diagnostics), "kinds": KINDS,
                                       "form": {"date": _dt.date.today().isoformat(), "kind": "regular",
                                                "theme": "", **form},
                                       "errors": errors}, status)


async def create_issue(request: Request):
    from bulletin.commands.new import new_issue

    data = await request.form()
    form = {name: str(data.get(name, "")).strip() for name in ("date", "kind", "theme")}
    errors = {}
    try:
        date = _dt.date.fromisoformat(form["date"])
    except ValueError:
        errors["date"] = _("write the date as YYYY-MM-DD, e.g. 2026-11-20")
    if form["kind"] not in KINDS:
        errors["kind"] = _("choose one of the kinds")
    if form["kind"] == "special" and not form["theme"]:
        errors["theme"] = _("a special issue (专刊) needs its theme")
    if errors:
        return await _index_page(request, form, errors, 422)
    try:
        report = await perform(request, Change("issue.create", N_("new issue of {date}"), {"date": form["date"]}),
                               new_issue, workspace(request), date, form["kind"], form["theme"])
    except BulletinError as exc:
        return await _index_page(request, form, {}, 422, exc.diagnostics)
    return RedirectResponse(f"/issues/{report.key}", status_code=303)


routes = [Route("/", index, methods=["GET"], name="index"),
          Route("/issues", create_issue, methods=["POST"], name="create_issue")]
