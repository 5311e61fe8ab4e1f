"""Signing in and out, the session behind each request and the form token every change carries.

`Auth` is the middleware between the guard and the routes. It finds who is asking and puts the Actor in
`request.state.actor`: LOCAL while the workspace has no account (the one person at this computer), the
session's person once accounts exist, when every page but /login and the static files needs a session.
Every POST must carry the session's form token (the X-CSRF-Token header, which <body hx-headers> gives
every htmx request, or the hidden field `csrf_token` that `pages.page` puts first in every form): a page
of another site cannot read it, so it cannot forge a change even where the Origin check is blind.
"""
from __future__ import annotations

import hmac
from urllib.parse import parse_qsl, quote, urlsplit

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bulletin.accounts.store import AccountStore
from bulletin.i18n import _
from bulletin.model.files import WorkbenchSettings
from bulletin.rules.permissions import LOCAL, Actor, allowed
from bulletin.store.workspace import Workspace
from bulletin.web.pages import error_page, is_htmx, page

COOKIE = "bulletin_session"
FORM_FIELD = "csrf_token"
HEADER = "x-csrf-token"
OPEN_PATHS = ("/login",)         # besides /static/: what a person who is not signed in may ask for
ANY_ROLE_PATHS = ("/login", "/logout")
# What an account without issue.view (a submitter) may ask for; each of these routes asks its own
# permission (submissions.send, issue.read_published) and shows only the person's unit and published issues.
SUBMITTER_PATHS = ("/submit", "/submissions", "/published")
PEEK_BYTES = 64 * 1024           # how much of a form's body is read ahead for its first field, the token


def settings(app) -> WorkbenchSettings:
    return getattr(app.state, "workbench", None) or WorkbenchSettings()


def store_of(request: Request) -> AccountStore:
    return AccountStore(Workspace(request.app.state.workspace),
                        idle_seconds=int(settings(request.app).session_hours * 3600))


def is_https(request: Request) -> bool:
    if request.url.scheme == "https":
        return True
    if settings(request.app).trust_proxy:
        return request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower() == "https"
    return False


def client_address(request: Request) -> str:
    if settings(request.app).trust_proxy and request.headers.get("x-forwarded-for"):
        return request.headers["x-forwarded-for"].split(",")[-1].strip()[:64]
    return request.client.host if request.client else ""


def safe_next(target: str) -> str:
    """`target` when it is a path of this site, else "/" (never //host, a scheme, or a backslash)."""
    if (not target or not target.startswith("/") or target.startswith("//") or "\\" in target
            or any(ord(ch) < 32 for ch in target)):
        return "/"
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else "/"


def _who(store: AccountStore, token: str) -> tuple[bool, Actor | None, str]:
    """(any account?, the session's person or None, the form token)."""
    if not store.any():
        return False, LOCAL, store.form_token("")
    actor = store.session(token) if token else None
    return True, actor, store.form_token(token if actor else "")


async def _first_field(receive, content_type: str) -> tuple[list[dict], str | None]:
    """The body's messages read so far and the value of its first field when that is the form token
    (the rest of the body is still to come: an upload is not read into memory here)."""
    messages, body, more = [], b"", True
    while more and len(body) < PEEK_BYTES:
        message = await receive()
        messages.append(message)
        if message["type"] != "http.request":
            break
        body += message.get("body", b"")
        more = message.get("more_body", False)
        value = _token_in(body, content_type, complete=not more)
        if value is not None:
            return messages, value
    return messages, None


def _token_in(body: bytes, content_type: str, complete: bool) -> str | None:
    kind, _sep, params = content_type.partition(";")
    kind = kind.strip().lower()
    if kind == "application/x-www-form-urlencoded":
        first, amp, _rest = body.partition(b"&")
        if not amp and not complete:
            return None
        pairs = parse_qsl(first.decode("latin-1"), keep_blank_values=True)
        return pairs[0][1] if pairs and pairs[0][0] == FORM_FIELD else ""
    if kind == "multipart/form-data":
        boundary = ""
        for param in params.split(";"):
            name, _eq, value = param.strip().partition("=")
            if name.lower() == "boundary":
                boundary = value.strip('"')
        if not boundary:
            return ""
        head, sep, rest = body.partition(b"\r\n\r\n")
        if not sep:
            return None if not complete else ""
        value, end, _more = rest.partition(b"\r\n--" + boundary.encode("latin-1"))
        if not end:
            return None if not complete else ""
        if f'name="{FORM_FIELD}"'.encode() not in head:
            return ""
        return value.decode("latin-1")
    return ""


def _for_submitters(path: str) -> bool:
    """`/` (which sends a submitter on to /submit) and the pages under SUBMITTER_PATHS."""
    return path == "/" or any(path == p or path.startswith(p + "/") for p in SUBMITTER_PATHS)


class Auth:
    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"].startswith("/static/"):
            return await self.app(scope, receive, send)
        request = Request(scope)
        store = store_of(request)
        token = request.cookies.get(COOKIE, "")
        accounts, actor, form_token = await run_in_threadpool(_who, store, token)
        state = scope.setdefault("state", {})
        state.update(actor=actor or LOCAL, csrf=form_token, accounts=accounts,
                     session=token if actor is not None and accounts else "")
        path = scope["path"]
        if accounts and actor is None and path not in OPEN_PATHS:
            return await self._sign_in_first(request)(scope, receive, send)
        if request.method not in ("GET", "HEAD"):
            sent = request.headers.get(HEADER)
            if sent is None:
                messages, sent = await _first_field(receive, request.headers.get("content-type", ""))
                receive = _replay(messages, receive)
            if not sent or not hmac.compare_digest(sent.encode("latin-1", "replace"), form_token.encode()):
                response = error_page(request, 403, _("The form is out of date or did not come from the workbench; "
                                                      "reload the page and try again."))
                return await response(scope, receive, send)
        if (accounts and path not in ANY_ROLE_PATHS and not allowed(actor, "issue.view")
                and not _for_submitters(path)):
            response = error_page(request, 403, _("Your account is for sending in articles; the workbench's pages "
                                                  "are for the editors, reviewers and signers."))
            return await response(scope, receive, send)
        await self.app(scope, receive, send)

    @staticmethod
    def _sign_in_first(request: Request) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.method not in ("GET", "HEAD"):
            target = request.headers.get("hx-current-url", "") and urlsplit(request.headers["hx-current-url"]).path
        login = "/login" + (f"?next={quote(safe_next(target or '/'), safe='/')}" if target and target != "/" else "")
        if is_htmx(request):
            return Response(status_code=401, headers={"HX-Redirect": login})
        return RedirectResponse(login, status_code=303)


def _replay(messages: list[dict], receive):
    """`receive` that first gives back what was read ahead."""
    pending = list(messages)

    async def replayed():
        if pending:
            return pending.pop(0)
        return await receive()
    return replayed


# the pages
def _login_page(request: Request, status: int = 200, message: str = "", name: str = "", target: str = ""):
    return page(request, "login.html", {"title": _("Sign in"), "message": message, "name": name,
                                        "next": safe_next(target or request.query_params.get("next", ""))},
                status)


async def login_form(request: Request):
    if request.state.accounts and request.state.session:
        return RedirectResponse(safe_next(request.query_params.get("next", "")), status_code=303)
    if not request.state.accounts:
        return RedirectResponse("/", status_code=303)
    return _login_page(request)


async def login(request: Request):
    data = await request.form(max_files=0, max_fields=10)
    name, password = str(data.get("name", "")).strip(), str(data.get("password", ""))
    target = safe_next(str(data.get("next", "")))
    if not request.state.accounts:
        return RedirectResponse("/", status_code=303)
    result = await run_in_threadpool(store_of(request).sign_in, name, password, client_address(request))
    if result.refused == "throttled":
        minutes = max(1, -(-result.wait // 60))
        return _login_page(request, 429, _("Too many failed sign-ins: try again in {n} minutes.").format(n=minutes),
                           name, target)
    if result.refused:
        return _login_page(request, 401, _("The name or the password is not right."), name, target)
    response = RedirectResponse(target, status_code=303)
    response.set_cookie(COOKIE, result.token, httponly=True, samesite="lax", path="/", secure=is_https(request))
    return response


async def logout(request: Request):
    token = request.state.session
    if token:
        await run_in_threadpool(store_of(request).sign_out, token, client_address(request))
    response = RedirectResponse("/login" if request.state.accounts else "/", status_code=303)
    response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
    if is_htmx(request):
        response = Response(status_code=204, headers={"HX-Redirect": "/login"})
        response.delete_cookie(COOKIE, path="/", httponly=True, samesite="lax", secure=is_https(request))
    return response


routes = [Route("/login", login_form, methods=["GET"], name="login_form"),
          Route("/login", login, methods=["POST"], name="login"),
          Route("/logout", logout, methods=["POST"], name="logout")]
