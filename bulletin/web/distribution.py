"""The issue page's 分发 section: its lists, recipients taken out or added back, 本期增发, the 共印
override; and the issue's distribution register to print (.docx, and .csv for Excel).

Each form calls one function of commands.distribution (as the CLI would) and answers POST → 303 →
the issue page at #distribution, or the issue page with the problem beside its field (422)."""
from __future__ import annotations

from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bulletin.commands import distribution as core
from bulletin.commands.directory import FormRefused
from bulletin.errors import BulletinError
from bulletin.i18n import N_
from bulletin.store.versions import Conflict
from bulletin.web.changes import Change, perform
from bulletin.web.conflicts import form_version
from bulletin.web.home import workspace
from bulletin.web.issues import NoSuchIssue, _issue_page, _key
from bulletin.web.pages import not_found


async def _change(request: Request, action, typed: dict | None = None, describe: str = N_("change the distribution"),
                  details: dict | None = None):
    """`action(ws, ref, version)` (`version`: the issue.yaml version the form carried); 303 to the
    section, or the page with why not: a field's problem beside it, anything else (a published issue)
    at the top of the section, issue.yaml changed since the form was opened (409) there too. Nothing is
    written then."""
    version = form_version(await request.form())
    ws = workspace(request)
    try:
        key = await run_in_threadpool(_key, request, ws)
    except NoSuchIssue as exc:
        return not_found(request, exc.exc)
    try:
        await perform(request, Change("issue.edit", describe, details or {}, key), action, ws, str(key), version)
    except Conflict:
        return await _issue_page(request, 409, form={"conflict": "distribution", "dist_typed": typed or {}})
    except FormRefused as exc:
        return await _issue_page(request, 422, form={"dist_errors": exc.fields, "dist_typed": typed or {}})
    except BulletinError as exc:
        return await _issue_page(request, 422, form={"dist_problems": exc.diagnostics, "dist_typed": typed or {}})
    return RedirectResponse(f"/issues/{key}#distribution", status_code=303)


async def set_lists(request: Request):
    data = await request.form()
    names = [str(v) for v in data.getlist("lists")]
    return await _change(request, lambda ws, ref, v: core.set_lists(ws, ref, names, v), describe=N_("send to the lists {lists}"),
                         details={"lists": "、".join(names)})


async def recipient_action(request: Request):
    data = await request.form()
    rid = str(data.get("recipient", ""))
    action, describe = {"add": (core.add_recipient, N_("send to {recipient}")),
                        "remove": (core.remove_recipient, N_("do not send to {recipient}"))}.get(
        request.path_params["action"], (None, ""))
    if action is None:
        return not_found(request)
    return await _change(request, lambda ws, ref, v: action(ws, ref, rid, v), describe=describe, details={"recipient": rid})


async def extra_action(request: Request):
    data = await request.form()
    name = str(data.get("extra", ""))
    action, describe = {"add": (core.add_extra, N_("also send this issue to {name}")),
                        "remove": (core.remove_extra, N_("no longer send this issue to {name}"))}.get(
        request.path_params["action"], (None, ""))
    if action is None:
        return not_found(request)
    return await _change(request, lambda ws, ref, v: action(ws, ref, name, v), {"extra": name}, describe, {"name": name})


async def set_copies(request: Request):
    data = await request.form()
    copies = "" if "clear" in data else str(data.get("copies", ""))
    return await _change(request, lambda ws, ref, v: core.set_copies(ws, ref, copies, v), {"copies": copies},
                         N_("set the copies printed"))


def _register(ws, key, suffix: str) -> tuple[bytes, str]:
    from bulletin.commands import reports

    data = reports.register_csv(ws, str(key)).encode("utf-8") if suffix == ".csv" else \
        reports.register_docx_bytes(ws, str(key))
    return data, reports.register_name(ws, str(key), suffix)


async def register(request: Request, suffix: str):
    """`/issues/2026-10/register.docx` and `register.csv`: what `bulletin distribution 10 --docx/--csv`
    writes; the CSV is UTF-8 with a BOM and CRLF lines, which Excel opens in Chinese."""
    ws = workspace(request)
    try:
        key = await run_in_threadpool(_key, request, ws)
        data, filename = await run_in_threadpool(_register, ws, key, suffix)
    except NoSuchIssue as exc:
        return not_found(request, exc.exc)
    except BulletinError as exc:
        return await _issue_page(request, 422, exc.diagnostics)
    media = ("text/csv; charset=utf-8" if suffix == ".csv" else
             "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    disposition = f"attachment; filename=\"register-{key}{suffix}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=media, headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


async def register_docx(request: Request):
    return await register(request, ".docx")


async def register_csv(request: Request):
    return await register(request, ".csv")


routes = [Route("/issues/{name}/distribution/lists", set_lists, methods=["POST"], name="distribution_lists"),
          Route("/issues/{name}/distribution/recipients/{action:str}", recipient_action, methods=["POST"],
                name="distribution_recipient"),
          Route("/issues/{name}/distribution/extra/{action:str}", extra_action, methods=["POST"],
                name="distribution_extra"),
          Route("/issues/{name}/distribution/copies", set_copies, methods=["POST"], name="distribution_copies"),
          Route("/issues/{name}/register.docx", register_docx, methods=["GET"], name="register_docx"),
          Route("/issues/{name}/register.csv", register_csv, methods=["GET"], name="register_csv")]
