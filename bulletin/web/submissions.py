"""信息报送: a submitting unit sends an item (a Word or text file, or written in the form) and sees every
item of its unit with what became of it (待处理, 已采用 in which issue, 综合采用, 退回 with the reason, 留用).

A submitter sees only their own unit: another unit's item answers 404 (not 403), so nobody learns
which items exist elsewhere. Sending goes through changes.perform to commands.submissions.send, the
same function `bulletin submissions` uses; this module only reads the form and shows the records."""
from __future__ import annotations

from functools import partial
from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from bulletin.errors import BulletinError
from bulletin.i18n import N_, _
from bulletin.rules.permissions import LOCAL, allowed
from bulletin.web.changes import Change, perform
from bulletin.web.home import workspace
from bulletin.web.pages import ensure_may, not_found, page
from bulletin.web.uploads import FileTooLarge, upload_form

def actor_of(request: Request):
    return getattr(request.state, "actor", LOCAL)


def _max_file_bytes(request: Request) -> int:
    from bulletin.web.issues import _max_file_bytes as cap   # [workbench] max_file_mb, as for the issue's uploads

    return cap(request)


def status_words() -> dict:
    from bulletin.commands.submissions import STATUS_WORDS

    return {status: _(word) for status, word in STATUS_WORDS.items()}


def issue_labels(ws) -> dict[str, str]:
    """Issue key → how a unit names it (2026年第10期)."""
    from bulletin.commands.reports import issue_rows

    try:
        return {row["issue"]: _("{number} of {year}").format(number=row["number"], year=row["issue"][:4])
                for row in issue_rows(ws)}
    except BulletinError:
        return {}


def _decision(d, labels: dict) -> dict:
    from bulletin.commands.submissions import ACTION_WORDS

    return {"action": d.action, "word": _(ACTION_WORDS.get(d.action, d.action)), "by": d.by,
            "at": d.at.strftime("%Y-%m-%d %H:%M") if d.at else "", "reason": d.reason or "",
            "issue": d.issue or "", "issue_label": labels.get(d.issue or "", d.issue or ""), "article": d.article or ""}


def item_view(ws, item, labels: dict | None = None) -> dict:
    """What a page shows of one item: the record, its status in words, and the decision in effect
    (issue, article, how) as commands.submissions tells it."""
    labels = labels if labels is not None else issue_labels(ws)
    record = item.record
    current = item.decision
    decisions = [_decision(d, labels) for d in record.decisions]
    return {"ref": item.ref, "unit": record.unit, "title": record.title, "sent_by": record.sent_by,
            "sent_at": record.sent_at.strftime("%Y-%m-%d %H:%M"), "file": record.file, "status": record.status,
            "original": not item.written_in_form,
            "status_word": status_words().get(record.status, record.status),
            "current": None if current is None else _decision(current, labels),
            "decisions": decisions}


def visible_item(request: Request, ws, ref: str):
    """The item `ref` when the signed-in person may see it (its unit's submitter, or anyone who may
    see all items), else None (the route answers 404)."""
    from bulletin.commands.submissions import load

    actor = actor_of(request)
    try:
        item = load(ws, ref)
    except BulletinError:
        return None
    if allowed(actor, "submissions.view_all"):
        return item
    if allowed(actor, "submissions.send") and actor.unit and item.record.unit == actor.unit:
        return item
    return None


def _units(ws) -> list[str]:
    from bulletin.commands.submissions import units

    try:
        return units(ws)
    except BulletinError:
        return []


def _items(ws, unit: str | None) -> tuple[list[dict], list]:
    from bulletin.commands.submissions import listing

    try:
        labels = issue_labels(ws)
        return [item_view(ws, item, labels) for item in listing(ws, unit=unit)], []
    except BulletinError as exc:
        return [], exc.diagnostics


async def _submit_page(request: Request, status: int = 200, form=None, errors=None, diagnostics=()):
    ensure_may(request, "submissions.send")
    ws = workspace(request)
    actor = actor_of(request)
    unit = actor.unit or None    # the one person of a workspace without accounts sends for any unit
    items, problems = await run_in_threadpool(_items, ws, unit)
    units = [] if unit else await run_in_threadpool(_units, ws)
    sent = request.query_params.get("sent", "")
    return page(request, "submit.html", {
        "title": _("Send in an item"), "unit": unit or "", "units": units, "items": items,
        "problems": problems, "diagnostics": list(diagnostics), "errors": errors or {},
        "form": form or {"title": "", "text": "", "unit": ""},
        "sent": next((i for i in items if i["ref"] == sent), None),
        "suffixes": ",".join(_suffixes()), "max_mb": _max_file_bytes(request) // (1024 * 1024)}, status)


async def submit_form(request: Request):
    return await _submit_page(request)


def _suffixes() -> tuple[str, ...]:
    from bulletin.commands.submissions import UPLOAD_SUFFIXES

    return UPLOAD_SUFFIXES


def _field_errors(exc: BulletinError, upload_name: str) -> tuple[dict, list]:
    """The core's problems beside their fields (it names the field, or the uploaded file, as the
    problem's path), the rest above the forms."""
    errors, rest = {}, []
    for d in exc.diagnostics:
        field = {"title": "title", "text": "text", "unit": "unit"}.get(d.path)
        if field is None and upload_name and Path(d.path).name == upload_name:
            field = "file"
        if field is None:
            rest.append(d)
            continue
        said = (f"{upload_name}：" if field == "file" else "") + d.message + (f"（{d.hint}）" if d.hint else "")
        errors[field] = errors[field] + "；" + said if field in errors else said
    return errors, rest


async def send(request: Request):
    from bulletin.commands.submissions import send as send_item

    ensure_may(request, "submissions.send")
    actor = actor_of(request)
    cap = _max_file_bytes(request)
    try:
        data = await upload_form(request, max_files=1, max_fields=10, max_file_bytes=cap)
    except FileTooLarge as exc:
        return await _submit_page(request, 413, errors={"file": _(
            "{file} is larger than {mb} MB: nothing was sent. Send a smaller file (pictures compressed) or write "
            "the item in the form").format(file=exc.filename, mb=cap // (1024 * 1024))})
    form = {name: str(data.get(name, "") or "").strip() for name in ("title", "unit")}
    form["text"] = str(data.get("text", "") or "")
    upload = data.get("file")
    errors = {}
    unit = actor.unit or form["unit"]
    if not unit:   # whether it is one of the units, commands.submissions.check_unit says (beside the field)
        errors["unit"] = _("choose the unit the item comes from")
    file = None
    if isinstance(upload, UploadFile) and upload.filename:
        from bulletin.web.issues import _safe_name

        name = _safe_name(upload.filename)
        if not name:
            errors["file"] = _("the file has no usable name: rename it (e.g. 报送信息.docx) and choose it again")
        else:
            file = (name, await upload.read())
            if not file[1]:
                errors["file"] = _("{file} is empty: choose the file again").format(file=name)
        await upload.close()
    elif not form["title"] and not form["text"].strip():
        errors["title"] = _("write the item's title, or choose a file to upload")
        errors["text"] = _("write the item's text, or choose a file to upload")
    elif not form["text"].strip():
        errors["text"] = _("write the item's text")
    if errors:
        return await _submit_page(request, 422, form, errors)
    what = form["title"] or (file[0] if file else "")
    try:
        item = await perform(request, Change("submissions.send", N_("send in an item from {unit}: {title}"),
                                             {"unit": unit, "title": what}),
                             partial(send_item, workspace(request), actor, unit=unit, title=form["title"],
                                     text=form["text"], upload=file))
    except BulletinError as exc:
        errors, rest = _field_errors(exc, file[0] if file else "")
        return await _submit_page(request, 422, form, errors, rest)
    return RedirectResponse(f"/submit?sent={quote(item.ref)}", status_code=303)


async def item_page(request: Request):
    """One item: its record, decisions and the text as it would print (its unit's submitter, editors)."""
    from bulletin.commands.submissions import preview_html

    ws = workspace(request)
    item = await run_in_threadpool(visible_item, request, ws, request.path_params["ref"])
    if item is None:
        return not_found(request)
    view = item_view(ws, item)
    try:
        preview = await run_in_threadpool(preview_html, ws, item.ref)
        problems = []
    except BulletinError as exc:
        preview, problems = "", exc.diagnostics
    from markupsafe import Markup

    return page(request, "submission.html", {"title": view["title"] or view["ref"], "item": view,
                                             "preview": Markup(preview), "problems": problems})


async def original(request: Request):
    """The file as the unit sent it (its unit's submitter, editors)."""
    from bulletin.web.downloads import attachment

    ws = workspace(request)
    item = await run_in_threadpool(visible_item, request, ws, request.path_params["ref"])
    if item is None or item.written_in_form:
        return not_found(request)
    path = item.file_path
    if not path.is_file():
        return not_found(request)
    media = {".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             ".txt": "text/plain; charset=utf-8", ".md": "text/plain; charset=utf-8"}.get(path.suffix.lower(),
                                                                                        "application/octet-stream")
    name = f"{item.ref}-{item.record.unit}{path.suffix.lower()}"
    return Response(await run_in_threadpool(path.read_bytes), media_type=media,
                    headers=attachment(name, f"{item.ref}{path.suffix.lower()}"))


routes = [Route("/submit", submit_form, methods=["GET"], name="submit"),
          Route("/submit", send, methods=["POST"], name="send"),
          Route("/submissions/{ref}", item_page, methods=["GET"], name="submission"),
          Route("/submissions/{ref}/original", original, methods=["GET"], name="submission_original")]
