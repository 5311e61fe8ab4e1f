"""账户 (/accounts), for an administrator: the accounts with their roles and open sessions, the audit
trail, and the forms that add an account (name, roles, the password twice), change its roles, set a new
password (which ends that person's sessions) and remove it. Each form posts through web.changes.perform
("accounts.manage") to commands.accounts, the functions `bulletin user` calls, where the rules are: the
last administrator stays, one's own account is removed only when confirmed. A refusal is shown beside
its field. A typed password is never shown again, written to the log, the audit trail or the history."""
from __future__ import annotations

from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from bulletin.commands import accounts as core
from bulletin.commands.directory import FormRefused
from bulletin.errors import BulletinError
from bulletin.i18n import N_, _
from bulletin.rules.permissions import ROLES
from bulletin.web.auth import store_of
from bulletin.web.changes import Change, perform
from bulletin.web.home import workspace
from bulletin.web.pages import can_for, error_page, page

# ?done= → what the page says after a change went through
DONE = {"added": N_("The account was added."), "roles": N_("The roles were changed."),
        "password": N_("The password was changed; that person's sessions have ended."),
        "removed": N_("The account was removed.")}
MAX_FIELDS = 20


def _read(request: Request):
    from bulletin.commands.submissions import units

    store = store_of(request)
    return store.accounts(), store.audit(50), units(store.ws)


async def _page(request: Request, status: int = 200, which: str = "", errors=None, typed=None, diagnostics=()):
    """The page; `which` names the refused form (add, roles, password, remove), `errors` its fields'
    problems, `typed` what was typed into it (never a password)."""
    can = can_for(request)
    if not can("accounts.manage"):
        return error_page(request, 403, can.why("accounts.manage"))
    people, audit, units = await run_in_threadpool(_read, request)
    editing = (typed or {}).get("account") or request.query_params.get("edit", "")
    editing = editing if editing in {p.name for p in people} else ""
    me = getattr(request.state.actor, "name", "")
    return page(request, "accounts.html", {
        "title": _("Accounts"), "people": people, "audit": audit, "roles": ROLES, "units": units, "editing": editing, "me": me,
        "which": which, "errors": errors or {}, "typed": typed or {}, "diagnostics": list(diagnostics),
        "done": _(DONE[request.query_params["done"]]) if request.query_params.get("done") in DONE else ""}, status)


async def show(request: Request):
    return await _page(request)


async def _change(request: Request, which: str, describe: str, name: str, typed: dict, run, *args,
                  done: str = ""):
    """`run(ws, *args)` (a commands.accounts function) as the signed-in administrator; POST → 303 →
    GET, or the page again with the problems beside the fields of form `which`."""
    ws = workspace(request)
    try:
        await perform(request, Change("accounts.manage", describe, {"name": name}), run, ws, *args)
    except FormRefused as exc:
        return await _page(request, 422, which, exc.fields, typed)
    except BulletinError as exc:
        return await _page(request, 422, which, typed=typed, diagnostics=exc.diagnostics)
    query = {"done": done or which, **({"edit": name} if which == "roles" else {})}
    return RedirectResponse(f"/accounts?{urlencode(query)}", status_code=303)


def _me(request: Request) -> str:
    return getattr(request.state.actor, "name", "")


async def add(request: Request):
    data = await request.form(max_files=0, max_fields=MAX_FIELDS)
    name, roles = str(data.get("name", "")).strip(), [str(r) for r in data.getlist("roles")]
    unit = str(data.get("unit", "")).strip()
    return await _change(request, "add", N_("add the account {name}"), name,
                         {"name": name, "roles": roles, "unit": unit},
                         core.add_account, name, roles, str(data.get("password", "")), str(data.get("again", "")),
                         _me(request), unit, done="added")


async def set_roles(request: Request):
    data = await request.form(max_files=0, max_fields=MAX_FIELDS)
    name, roles = str(data.get("account", "")), [str(r) for r in data.getlist("roles")]
    unit = str(data.get("unit", "")).strip()
    return await _change(request, "roles", N_("change the roles of {name}"), name,
                         {"account": name, "roles": roles, "unit": unit},
                         core.set_roles, name, roles, _me(request), unit)


async def set_password(request: Request):
    """A new password for the account; when it is one's own, this session ends too: to /login."""
    data = await request.form(max_files=0, max_fields=MAX_FIELDS)
    name = str(data.get("account", ""))
    response = await _change(request, "password", N_("set a new password for {name}"), name, {"account": name},
                             core.set_password, name, str(data.get("password", "")), str(data.get("again", "")),
                             _me(request))
    if response.status_code == 303 and name == _me(request):
        return RedirectResponse("/login", status_code=303)
    return response


async def remove(request: Request):
    data = await request.form(max_files=0, max_fields=MAX_FIELDS)
    name = str(data.get("account", ""))
    response = await _change(request, "remove", N_("remove the account {name}"), name, {"account": name},
                             core.remove_account, name, _me(request), _me(request), data.get("confirm") == "yes",
                             done="removed")
    if response.status_code == 303 and name == _me(request):
        return RedirectResponse("/login", status_code=303)
    return response


routes = [Route("/accounts", show, methods=["GET"], name="accounts"),
          Route("/accounts/add", add, methods=["POST"], name="account_add"),
          Route("/accounts/roles", set_roles, methods=["POST"], name="account_roles"),
          Route("/accounts/password", set_password, methods=["POST"], name="account_password"),
          Route("/accounts/remove", remove, methods=["POST"], name="account_remove")]
