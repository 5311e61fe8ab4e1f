"""The article page: 标题/供稿单位/作者/栏目 and the body as Markdown (保存), and its proofreading
findings as `bulletin lint` lists them (修正 applies the safe fixes as `bulletin lint --fix`).

Both forms carry the version of the file they were opened on; a save against a file changed since
(another person, the CLI) is refused (409) and the page shows the file as it is now beside what was
typed, with a diff of the body: the form again holds the unsaved text, with the file's new version,
so saving it now is a choice made after seeing the other version; or the other version is taken."""
from __future__ import annotations

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from bulletin.commands import edit
from bulletin.errors import BulletinError
from bulletin.i18n import N_, _
from bulletin.store.versions import Conflict
from bulletin.web.changes import Change, perform
from bulletin.web.conflicts import body_diff, form_version
from bulletin.web.home import workspace
from bulletin.web.pages import can_for, not_found, page

ISSUE_ACTIONS = ("up", "down", "remove")  # the issue page's buttons share the path (issues.article_action)
# What the page says after a change went through (`?done=…` on the redirect): the page itself may look
# the same, so the clerk is told.
DONE = {"marked": N_("Recorded."), "unmarked": N_("The mark was taken off."), "saved": N_("Saved."), "fixed": N_("Corrected."), "nothing": N_("There was nothing to correct automatically.")}


def _article(ws, name: str, file: str):
    from bulletin.web.issues import ISSUE_NAME

    if not ISSUE_NAME.match(name):
        raise BulletinError(_("There is no such page."))
    return edit.read_article(ws, name, file)


def _box_line(d, first: int) -> str:
    """A problem of the body with its line as the text box shows it (第 3 行), not the file's."""
    if not d.line or d.line < first:
        return d.format()
    message = d.message + (_(" — ") + d.hint if d.hint else "")
    return _("line {n}: {message}").format(n=d.line - first + 1, message=message)


def _marks(ws, key, file: str):
    """The article's 批示 and adoptions by higher-level bulletins (commands.submissions.article_marks)."""
    from bulletin.commands.submissions import article_marks

    try:
        return article_marks(ws, str(key), file)
    except BulletinError:
        return None


async def _page(request: Request, status: int = 200, form=None, errors=None, diagnostics=(), body_errors=(),
                done: str = "", conflict: bool = False, mark_form=None, mark_errors=None):
    # made on one worker thread, its template too (as the issue page: web.issues._issue_page)
    return await run_in_threadpool(_page_made, request, status, form, errors, diagnostics, body_errors, done, conflict,
                                   mark_form, mark_errors)


def _page_made(request: Request, status: int, form, errors, diagnostics, body_errors, done: str, conflict: bool,
               mark_form=None, mark_errors=None):
    from bulletin.web.issues import preview_shown

    ws = workspace(request)
    name, file = request.path_params["name"], request.path_params["file"]
    try:
        article = _article(ws, name, file)
    except BulletinError as exc:
        return not_found(request, exc)
    other = None
    if conflict and form is not None:   # the file as it is now, beside the unsaved form
        other = {"fields": article["fields"], "body": article["body"], "diff": body_diff(article["body"], form["body"]),
                 "changed": [f for f in edit.ARTICLE_FIELDS
                             if " ".join(form["fields"].get(f, "").split()) != article["fields"][f]]}
    if form is not None:
        article = {**article, "fields": {**article["fields"], **form["fields"]}, "body": form["body"]}
        if form.get("version") and not conflict:   # the typed text keeps the version it was typed on
            article["version"] = form["version"]
    shown = preview_shown(request, ws, article["key"], f"/issues/{name}/articles/{file}")
    can = can_for(request, ws, article["key"])
    marks = _marks(ws, article["key"], file)
    return page(request, "article.html", {"title": article["fields"]["title"] or file, "key": str(article["key"]),
                                          "file": file, "article": article, "errors": errors or {},
                                          "diagnostics": list(diagnostics),
                                          "body_errors": list(body_errors),
                                          "done": _(DONE[done]) if done in DONE else "",
                                          "conflict": conflict, "other": other, "can": can, "marks": marks,
                                          "mark_form": mark_form or {"kind": "instruction"},
                                          "mark_errors": mark_errors or {}, **shown}, status)


async def _posted_to(request: Request):
    """The article a form is posted to, as (workspace, issue name, file, issue key); or the 404 page
    when the URL names no article."""
    ws = workspace(request)
    name, file = request.path_params["name"], request.path_params["file"]
    try:
        key = (await run_in_threadpool(_article, ws, name, file))["key"]
    except BulletinError as exc:
        return not_found(request, exc)
    return ws, name, file, key


async def show(request: Request):
    return await _page(request, done=request.query_params.get("done", ""))


async def save(request: Request):
    from bulletin.web import issues

    if request.path_params["file"] in ISSUE_ACTIONS:
        request.path_params["action"] = request.path_params["file"]
        return await issues.article_action(request)
    data = await request.form()
    fields = {field: str(data.get(field, "")) for field in edit.ARTICLE_FIELDS}
    body = str(data.get("body", ""))
    found = await _posted_to(request)
    if not isinstance(found, tuple):
        return found
    ws, name, file, key = found
    try:
        await perform(request, Change("issue.edit", N_("edit {article}"), {"article": file}, key),
                      edit.save_article, ws, name, file, fields, body, form_version(data))
    except Conflict:
        return await _page(request, 409, {"fields": fields, "body": body}, conflict=True)
    except edit.ArticleRefused as exc:
        return await _page(request, 422, {"fields": fields, "body": body, "version": form_version(data)}, exc.fields,
                           body_errors=[_box_line(d, exc.box_first_line) for d in exc.body])
    except BulletinError as exc:
        return await _page(request, 422, {"fields": fields, "body": body, "version": form_version(data)}, {},
                           exc.diagnostics)
    return RedirectResponse(f"/issues/{name}/articles/{file}?done=saved", status_code=303)


async def fix(request: Request):
    data = await request.form()
    found = await _posted_to(request)
    if not isinstance(found, tuple):
        return found
    ws, name, file, key = found
    try:
        changed = await perform(request, Change("issue.edit", N_("proofread {article}: safe fixes"), {"article": file}, key),
                                edit.fix_article, ws, name, file, form_version(data))
    except Conflict:
        return await _page(request, 409, conflict=True)
    except BulletinError as exc:
        return await _page(request, 422, diagnostics=exc.diagnostics)
    return RedirectResponse(f"/issues/{name}/articles/{file}?done={'fixed' if changed else 'nothing'}",
                            status_code=303)


async def mark(request: Request):
    """Record a 批示 (leader, date, note) or an adoption by a higher-level bulletin (its name, date) on the
    article: commands.submissions.mark_article, whose bonus points the unit's score counts."""
    import datetime as dt

    from bulletin.commands.submissions import MARK_KINDS, mark_article

    data = await request.form(max_files=0, max_fields=10)
    form = {name: " ".join(str(data.get(name, "")).split()) for name in ("kind", "by", "date", "note")}
    found = await _posted_to(request)
    if not isinstance(found, tuple):
        return found
    ws, name, file, key = found
    errors = {}
    if form["kind"] not in MARK_KINDS:
        errors["kind"] = _("choose a leader's instruction or an adoption by a higher-level bulletin")
    if not form["by"]:
        errors["by"] = (_("write the name of the higher-level bulletin (e.g. 省政务公开简报)") if form["kind"] == "higher"
                        else _("write who gave the instruction (e.g. 张市长)"))
    try:
        date = dt.date.fromisoformat(form["date"])
    except ValueError:
        errors["date"] = _("write the date as YYYY-MM-DD, e.g. 2026-11-20")
    if errors:
        return await _page(request, 422, mark_form=form, mark_errors=errors)
    describe = (N_("record an adoption of {article} by {by}") if form["kind"] == "higher"
                else N_("record an instruction by {by} on {article}"))
    from bulletin.rules.permissions import LOCAL

    actor = getattr(request.state, "actor", LOCAL)
    try:
        await perform(request, Change("article.mark", describe, {"article": file, "by": form["by"]}, key),
                      mark_article, ws, name, file, actor, form["kind"], form["by"], date, form["note"])
    except BulletinError as exc:   # the core names the field as the problem's path (who, date) or the issue
        fields = {"who": "by", "date": "date", "kind": "kind"}
        errors = {fields[d.path]: d.message + (f"（{d.hint}）" if d.hint else "") for d in exc.diagnostics
                  if d.path in fields}
        rest = [d for d in exc.diagnostics if d.path not in fields]
        return await _page(request, 422, diagnostics=rest, mark_form=form, mark_errors=errors)
    return RedirectResponse(f"/issues/{name}/articles/{file}?done=marked#marks", status_code=303)


async def unmark(request: Request):
    """Take a mistaken 批示 or higher-level adoption off the article (commands.submissions.unmark_article);
    the form names the mark by its place and by who gave it, so a list changed meanwhile removes nothing."""
    from bulletin.commands.submissions import unmark_article
    from bulletin.rules.permissions import LOCAL

    data = await request.form(max_files=0, max_fields=10)
    kind, by = str(data.get("kind", "")), str(data.get("by", ""))
    try:
        index = int(str(data.get("index", "")))
    except ValueError:
        index = -1
    found = await _posted_to(request)
    if not isinstance(found, tuple):
        return found
    ws, name, file, key = found
    actor = getattr(request.state, "actor", LOCAL)
    try:
        await perform(request, Change("article.mark", N_("take the mark by {by} off {article}"),
                                      {"article": file, "by": by}, key),
                      unmark_article, ws, name, file, actor, kind, index, by)
    except BulletinError as exc:
        return await _page(request, 409, diagnostics=exc.diagnostics)
    return RedirectResponse(f"/issues/{name}/articles/{file}?done=unmarked#marks", status_code=303)


routes = [Route("/issues/{name}/articles/{file}", show, methods=["GET"], name="article"),
          Route("/issues/{name}/articles/{file}", save, methods=["POST"], name="save_article"),
          Route("/issues/{name}/articles/{file}/fix", fix, methods=["POST"], name="fix_article"),
          Route("/issues/{name}/articles/{file}/marks", mark, methods=["POST"], name="mark_article"),
          Route("/issues/{name}/articles/{file}/marks/remove", unmark, methods=["POST"], name="unmark_article")]
