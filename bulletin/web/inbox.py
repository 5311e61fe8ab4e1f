"""待处理稿件: the editors' inbox. Each item still open (待处理, 留用) with its unit, time and a preview as it
would print, and its decisions: 采用 into a draft issue, 综合采用 into a roundup article of a draft
issue, 退回 with a reason, 留用; the decided items with who decided when, and 撤销. Each decision is
commands.submissions' (the CLI's `bulletin submissions adopt|combine|return|keep|undo`), through
changes.perform: the permission check and a history commit in the editor's name."""
from __future__ import annotations

from urllib.parse import quote

from markupsafe import Markup
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse
from starlette.routing import Route

from bulletin.errors import BulletinError
from bulletin.i18n import N_, _
from bulletin.model.keys import IssueKey
from bulletin.web.changes import Change, perform
from bulletin.web.home import workspace
from bulletin.web.pages import ensure_may, not_found, page
from bulletin.web.submissions import actor_of, issue_labels, item_view, visible_item

OPEN = ("pending", "kept")   # what may still be decided; the rest is listed with 撤销
DONE = {"adopt": N_("Adopted."), "combine": N_("Added to the roundup."), "return": N_("Returned to the unit."),
        "keep": N_("Kept for later."), "undo": N_("The decision was undone.")}


def _targets(ws) -> tuple[list[dict], list]:
    """The draft issues (to adopt into) with their roundup articles (综合, to combine into)."""
    from bulletin.commands.reports import issue_detail, issue_rows

    issues, problems = [], []
    try:
        rows = issue_rows(ws)
    except BulletinError as exc:
        return [], exc.diagnostics
    for row in rows:
        if row["status"] != "draft":
            continue
        try:
            detail = issue_detail(ws, row["issue"])
        except BulletinError as exc:
            problems += exc.diagnostics
            continue
        from bulletin.commands.submissions import roundups

        try:
            names = set(roundups(ws, row["issue"]))
        except BulletinError as exc:
            problems += exc.diagnostics
            names = set()
        issues.append({"issue": row["issue"], "label": row["label"],
                       "roundups": [a for a in detail["articles"] if a["file"] in names]})
    return issues, problems


def _inbox(ws) -> tuple[list[dict], list[dict], list]:
    from bulletin.commands.submissions import listing, preview_html

    try:
        items = listing(ws)
    except BulletinError as exc:
        return [], [], exc.diagnostics
    open_items, decided = [], []
    labels = issue_labels(ws)
    for item in items:
        view = item_view(ws, item, labels)
        if item.record.status in OPEN:
            try:
                view["preview"] = Markup(preview_html(ws, item.ref))
            except BulletinError as exc:
                view["preview"], view["preview_problems"] = "", [d.format() for d in exc.diagnostics]
            open_items.append(view)
        else:
            decided.append(view)
    return open_items, decided, []


async def _page(request: Request, status: int = 200, errors=None, form=None, diagnostics=()):
    ensure_may(request, "submissions.view_all")
    ws = workspace(request)
    open_items, decided, problems = await run_in_threadpool(_inbox, ws)
    targets, target_problems = await run_in_threadpool(_targets, ws)
    done = request.query_params.get("done", "")
    return page(request, "inbox.html", {
        "title": _("Items to decide"), "open_items": open_items, "decided": decided, "targets": targets,
        "problems": problems + target_problems, "errors": errors or {}, "form": form or {},
        "diagnostics": list(diagnostics), "done": _(DONE[done]) if done in DONE else ""}, status)


async def inbox(request: Request):
    return await _page(request)


def _issue_key(ws, name: str) -> IssueKey | None:
    try:
        return ws.resolve(name) if name else None
    except BulletinError:
        return None


async def decide(request: Request):
    from bulletin.commands import submissions as core

    ensure_may(request, "submissions.view_all")
    ws = workspace(request)
    ref, action = request.path_params["ref"], request.path_params["action"]
    item = await run_in_threadpool(visible_item, request, ws, ref)
    if item is None or action not in DONE:
        return not_found(request)
    data = await request.form(max_files=0, max_fields=10)
    actor = actor_of(request)
    unit, errors = item.record.unit, {}
    details = {"ref": item.ref, "unit": unit}
    key = None
    if action == "adopt":
        name = str(data.get("issue", ""))
        key = _issue_key(ws, name)
        if key is None:
            errors["issue"] = _("choose the draft issue to adopt the item into")
        change = Change("submissions.decide", N_("adopt {ref} from {unit} into {issue}"), {**details, "issue": name},
                        key)
        run, args = core.adopt, (ws, item.ref, actor, name)
    elif action == "combine":
        target = str(data.get("target", ""))
        name, _sep, article = target.partition("/")
        key = _issue_key(ws, name)
        if key is None:
            errors["target"] = _("choose the roundup article the item's text is added to")
        change = Change("submissions.decide", N_("add {ref} from {unit} to the roundup {article} of {issue}"),
                        {**details, "issue": name, "article": article or _("(new)")}, key)
        run, args = core.combine, (ws, item.ref, actor, name, article or None)   # none: a new roundup
    elif action == "return":
        reason = " ".join(str(data.get("reason", "")).split())
        if not reason:
            errors["reason"] = _("write why the item is returned: the unit reads it (e.g. 数据需核实后重报)")
        change = Change("submissions.decide", N_("return {ref} to {unit}: {reason}"), {**details, "reason": reason})
        run, args = core.return_item, (ws, item.ref, actor, reason)
    elif action == "keep":
        change = Change("submissions.decide", N_("keep {ref} from {unit} for later"), details)
        run, args = core.keep, (ws, item.ref, actor)
    else:
        current = item.decision
        key = _issue_key(ws, current.issue) if current is not None and current.issue else None
        change = Change("submissions.decide", N_("undo the decision on {ref} from {unit}"), details, key)
        run, args = core.undo, (ws, item.ref, actor)
    if errors:
        return await _page(request, 422, {item.ref: errors}, {item.ref: {k: str(v) for k, v in data.items()}})
    try:
        await perform(request, change, run, *args)
    except BulletinError as exc:
        return await _page(request, 422, {item.ref: {"decision": [d.format() for d in exc.diagnostics]}},
                           {item.ref: {k: str(v) for k, v in data.items()}})
    return RedirectResponse(f"/inbox?done={action}#item-{quote(item.ref)}", status_code=303)


routes = [Route("/inbox", inbox, methods=["GET"], name="inbox"),
          Route("/inbox/{ref}/{action}", decide, methods=["POST"], name="decide")]
