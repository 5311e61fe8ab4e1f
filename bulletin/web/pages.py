"""Templates and the pages made from them: one template per page; an htmx request gets its `main` block."""
from __future__ import annotations

import re
from pathlib import Path

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse

from bulletin import i18n
from bulletin.errors import BulletinError
from bulletin.i18n import N_, _
from bulletin.rules.permissions import STATUS_WORDS

TEMPLATES = Path(__file__).resolve().parent / "templates"
STATIC = Path(__file__).resolve().parent / "static"

KINDS = {"regular": N_("regular"), "supplement": N_("supplement"), "special": N_("special")}
STATUSES = STATUS_WORDS  # 草稿 待审核 已审核 已签发 已发布


FORM_TAG = re.compile(r'<form\b[^>]*\bmethod="post"[^>]*>', re.IGNORECASE)


def form_token(request: Request) -> str:
    return getattr(request.state, "csrf", "")


def with_form_tokens(body: str, token: str) -> str:
    """Every POST form with the form token as its first field (first: the check reads no further)."""
    if not token:
        return body
    field = f'<input type="hidden" name="csrf_token" value="{token}">'
    return FORM_TAG.sub(lambda m: m.group(0) + field, body)


def signed_in(request: Request) -> str:
    """The signed-in person and their roles for the page's header ("" without accounts)."""
    from bulletin.rules.permissions import ROLE_WORDS, ROLES

    actor = getattr(request.state, "actor", None)
    if actor is None or actor.local:
        return ""
    roles = _("、").join(_(ROLE_WORDS[r]) for r in ROLES if r in actor.roles)
    return _("{name} ({roles})").format(name=actor.name, roles=roles)


def _role_word(role: str) -> str:
    from bulletin.rules.permissions import ROLE_WORDS

    return _(ROLE_WORDS.get(role, role))


def _audit_word(what: str) -> str:
    from bulletin.accounts.store import AUDIT_WORDS

    return _(AUDIT_WORDS.get(what, what))


def _when(seconds: float) -> str:
    import datetime as dt

    return dt.datetime.fromtimestamp(seconds).strftime("%Y-%m-%d %H:%M")


class Can:
    """What the signed-in person may do on this page: templates ask `can("issue.edit")` and show a form
    or button only when the answer is yes. The answer is rules.permissions' own, for the person and,
    on an issue's pages, the issue's facts (its status, who sent it for review) and the office's
    policy; the route asks again when the form is posted (web.changes.perform and the core function).

    `can.held("issue.edit")`: the person's roles allow it but the issue's status does not (the page
    then says so in one line, `can.status_line()`), as against a role that never allows it."""

    def __init__(self, actor, facts=None, policy=None):
        from bulletin.rules.permissions import Policy

        self.actor, self.facts, self.policy = actor, facts, policy or Policy()

    def __call__(self, action: str) -> bool:
        from bulletin.rules.permissions import allowed

        return allowed(self.actor, action, self.facts, self.policy)

    def why(self, action: str) -> str:
        """Why not, in the person's words ("" when allowed)."""
        from bulletin.rules.permissions import refusal

        return refusal(self.actor, action, self.facts, self.policy) or ""

    def held(self, action: str) -> bool:
        from bulletin.rules.permissions import allowed

        return self.facts is not None and allowed(self.actor, action) and not self(action)

    def status_line(self) -> str:
        """Why the issue's forms are not shown, when its status holds the person back ("" when not)."""
        if not self.held("issue.edit"):
            return ""
        status = self.facts.status
        if status == "published":
            return _("Published: the issue can no longer be changed.")
        if status == "signed":
            return _("Signed off: the issue can no longer be changed; to change it, return it (退回) first.")
        return _("The issue cannot be changed while it is {status}.").format(status=_(STATUSES.get(status, status)))


def can_for(request: Request, ws=None, key=None) -> Can:
    """The page's `can`: for the person signed in (LOCAL without accounts) and, given the workspace and
    an issue's key, that issue's facts and the office's policy (read from the files: call it in a
    worker thread)."""
    from bulletin.rules.permissions import LOCAL

    actor = getattr(request.state, "actor", LOCAL)
    if ws is None or key is None:
        return Can(actor)
    from bulletin.web.changes import issue_facts, office_policy

    return Can(actor, issue_facts(ws, key), office_policy(ws))


def ensure_may(request: Request, action: str) -> None:
    """The read check of a page: Refused (the 403 page, with the reason) unless the signed-in person may
    take `action`; the one permission check (rules/permissions) decides, as for every change."""
    from bulletin.rules.permissions import LOCAL, refusal
    from bulletin.web.changes import Refused

    reason = refusal(getattr(request.state, "actor", LOCAL), action)
    if reason is not None:
        raise Refused(reason)


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=False)
    # `_` straight to i18n._: jinja's own `_` asks for the template's context, and inside a loop it
    # copies the whole context for every call (the issue page's ~90 articles: a sixth of its rendering)
    env.globals["_"] = i18n._
    env.globals.update(kind_word=lambda kind: _(KINDS.get(kind, kind)),
                       status_word=lambda status: _(STATUSES.get(status, status)),
                       language=i18n.language, form_token=form_token, signed_in=signed_in,
                       audit_word=_audit_word)
    env.filters.update(role_word=_role_word, when=_when)
    return env


def is_htmx(request: Request) -> bool:
    """The one place that tells an htmx request (HX-Request: true) from a page load."""
    return request.headers.get("hx-request") == "true"


def page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    """`name` rendered whole, or only its `main` block for htmx; `Vary: HX-Request` either way."""
    template = request.app.state.templates.get_template(name)
    context = {"request": request, "title": "", **context}
    context.setdefault("can", can_for(request))   # an issue's pages give their own, with the issue's facts
    if is_htmx(request):
        body = "".join(template.blocks["main"](template.new_context(context)))
    else:
        body = template.render(context)
    body = with_form_tokens(body, form_token(request))
    return HTMLResponse(body, status_code=status, headers={"Vary": "HX-Request"})


def error_page(request: Request, status: int, message: str = "", diagnostics=()) -> HTMLResponse:
    titles = {400: N_("Bad request"), 403: N_("Forbidden"), 404: N_("Not found"),
              405: N_("Method not allowed"), 413: N_("Too large"), 500: N_("Server error"),
              503: N_("Not available for now")}
    return page(request, "error.html", {"status": status, "title": _(titles.get(status, N_("Error"))),
                                        "message": message, "diagnostics": list(diagnostics),
                                        "request_id": request.scope.get("request_id", "")}, status)


def not_found(request: Request, exc: BulletinError | None = None) -> HTMLResponse:
    return error_page(request, 404, _("There is no such page."), exc.diagnostics if exc else ())
