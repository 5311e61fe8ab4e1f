"""收发名录: the recipient directory by role and its named lists (`/recipients`), with a form for each
change of commands.directory: POST → 303 → /recipients, or the page with each problem beside its field
(422, nothing written)."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from bulletin.commands import directory as core
from bulletin.errors import BulletinError
from bulletin.i18n import N_, _
from bulletin.store.versions import Conflict
from bulletin.web.changes import Change, perform
from bulletin.web.conflicts import form_version
from bulletin.web.home import workspace
from bulletin.web.pages import page

ROLE_WORDS = {"报": N_("报 (to superiors)"), "送": N_("送 (to peers)"), "发": N_("发 (to subordinates)")}


def _view(ws):
    try:
        return core.directory_view(ws), []
    except BulletinError as exc:
        return None, exc.diagnostics


async def _page(request: Request, status: int = 200, which: str = "", errors=None, diagnostics=(), typed=None,
                conflict: bool = False):
    """The page; `which` names the form that was refused, `errors` its fields' problems, `typed` what was
    typed into it (shown again), `diagnostics` the problems that are no one field's (issues named)."""
    directory, problems = await run_in_threadpool(_view, workspace(request))
    editing = request.query_params.get("edit", "")
    members_of = request.query_params.get("list", "")
    if which == "edit":
        editing = (typed or {}).get("id", editing)
    if which == "members":
        members_of = (typed or {}).get("list", members_of)
    if directory:  # a form is shown for what the directory has, whatever the address asks
        editing = editing if editing in {r["id"] for r in directory["recipients"]} else ""
        members_of = members_of if members_of in {lst["name"] for lst in directory["lists"]} else ""
    return page(request, "recipients.html",
                {"title": _("Recipient directory"), "directory": directory, "problems": problems,
                 "which": which, "errors": errors or {}, "diagnostics": list(diagnostics), "typed": typed or {},
                 "editing": editing, "members_of": members_of, "role_words": ROLE_WORDS,
                 "done": request.query_params.get("done", ""), "conflict": conflict}, status)


async def show(request: Request):
    return await _page(request)


async def _change(request: Request, which: str, action, typed: dict, anchor: str):
    """`action(ws, version)`, `version` the one of recipients.yaml the form carried: 409 and the page as
    it is now, what was typed kept, when the file changed since the form was opened."""
    version = form_version(await request.form())
    try:
        await perform(request, Change("recipients.manage", CHANGES[which], {k: v for k, v in typed.items()
                                                                             if isinstance(v, str)}),
                      action, workspace(request), version)
    except Conflict:
        return await _page(request, 409, which, typed=typed, conflict=True)
    except core.FormRefused as exc:
        return await _page(request, 422, which, exc.fields, typed=typed)
    except BulletinError as exc:
        return await _page(request, 422, which, diagnostics=exc.diagnostics, typed=typed)
    return RedirectResponse(f"/recipients?done={which}#{anchor}", status_code=303)


# What each form does, for the change's record.
CHANGES = {"add": N_("add the recipient {id}"), "edit": N_("edit the recipient {id}"),
           "remove": N_("delete the recipient {id}"), "list-add": N_("add the list {list}"),
           "members": N_("set the members of the list {list}"), "rename": N_("rename the list {list} to {new}"),
           "list-remove": N_("delete the list {list}")}


def _typed(data, *names) -> dict:
    return {name: str(data.get(name, "")) for name in names}


async def add(request: Request):
    data = await request.form()
    typed = _typed(data, "id", "name", "role", "copies", "email")
    typed["lists"] = [str(v) for v in data.getlist("lists")]
    return await _change(request, "add", lambda ws, v: core.add_recipient(
        ws, typed["id"], typed["name"], typed["role"], typed["copies"], typed["email"], typed["lists"], v),
        typed, "recipients")


async def edit(request: Request):
    data = await request.form()
    typed = _typed(data, "id", "name", "role", "copies", "email")
    return await _change(request, "edit", lambda ws, v: core.edit_recipient(
        ws, typed["id"], typed["name"], typed["role"], typed["copies"], typed["email"], v), typed, "recipients")


async def remove(request: Request):
    data = await request.form()
    typed = _typed(data, "id")
    return await _change(request, "remove", lambda ws, v: core.remove_recipient(ws, typed["id"], v), typed, "recipients")


async def add_list(request: Request):
    data = await request.form()
    typed = _typed(data, "list")
    typed["members"] = [str(v) for v in data.getlist("members")]
    return await _change(request, "list-add", lambda ws, v: core.add_list(ws, typed["list"], typed["members"], v),
                         typed, "lists")


async def set_members(request: Request):
    data = await request.form()
    typed = _typed(data, "list")
    typed["members"] = [str(v) for v in data.getlist("members")]
    return await _change(request, "members", lambda ws, v: core.set_list_members(ws, typed["list"], typed["members"], v),
                         typed, "lists")


async def rename_list(request: Request):
    data = await request.form()
    typed = _typed(data, "list", "new")
    return await _change(request, "rename", lambda ws, v: core.rename_list(ws, typed["list"], typed["new"], v), typed,
                         "lists")


async def remove_list(request: Request):
    data = await request.form()
    typed = _typed(data, "list")
    return await _change(request, "list-remove", lambda ws, v: core.remove_list(ws, typed["list"], v), typed, "lists")


routes = [Route("/recipients", show, methods=["GET"], name="recipients"),
          Route("/recipients/add", add, methods=["POST"], name="recipient_add"),
          Route("/recipients/edit", edit, methods=["POST"], name="recipient_edit"),
          Route("/recipients/remove", remove, methods=["POST"], name="recipient_remove"),
          Route("/recipients/lists/add", add_list, methods=["POST"], name="list_add"),
          Route("/recipients/lists/members", set_members, methods=["POST"], name="list_members"),
          Route("/recipients/lists/rename", rename_list, methods=["POST"], name="list_rename"),
          Route("/recipients/lists/remove", remove_list, methods=["POST"], name="list_remove")]
