"""Templates and the pages made from them: one template per page; an htmx request gets its `main` block."""
from __future__ import annotations

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


def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(i18n._, i18n.ngettext, newstyle=False)
    env.globals.update(kind_word=lambda kind: _(KINDS.get(kind, kind)),
                       status_word=lambda status: _(STATUSES.get(status, status)),
                       language=i18n.language)
    return env


def is_htmx(request: Request) -> bool:
    """The one place that tells an htmx request (HX-Request: true) from a page load."""
    return request.headers.get("hx-request") == "true"


def page(request: Request, name: str, context: dict, status: int = 200) -> HTMLResponse:
    """`name` rendered whole, or only its `main` block for htmx; `Vary: HX-Request` either way."""
    template = request.app.state.templates.get_template(name)
    context = {"request": request, "title": "", **context}
    if is_htmx(request):
        body = "".join(template.blocks["main"](template.new_context(context)))
    else:
        body = template.render(context)
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
