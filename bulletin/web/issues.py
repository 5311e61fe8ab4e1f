"""The issue page: its articles in print order (上移, 下移, 移除), 编者按, 编辑/审核/签发, the
distribution with 共印, uploads through the same intake as `bulletin add`, and the .docx download."""
from __future__ import annotations

import re
import secrets
import shutil
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from urllib.parse import quote, unquote, urlencode

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, RedirectResponse, Response
from starlette.routing import Route

from bulletin.commands import edit
from bulletin.errors import BulletinError, Diagnostic
from bulletin.i18n import N_, _
from bulletin.model.keys import IssueKey
from bulletin.store.versions import Conflict
from bulletin.web.changes import Change, perform
from bulletin.web.conflicts import form_version
from bulletin.web.home import workspace
from bulletin.web.pages import can_for, error_page, not_found, page
from bulletin.web.previews import FreshPages
from bulletin.web.uploads import FileTooLarge, upload_form

ISSUE_NAME = re.compile(r"^\d{4}-(?:\d+|[SZ]\d+)\Z")
MAX_FILE_BYTES = 20 * 1024 * 1024  # the intake's own cap on one submission
MAX_FILES = 50
SUFFIXES = (".docx", ".doc", ".wps", ".txt", ".md")
PREVIEW_POLLS = 40  # an unmade preview asks for itself every 3 s: for two minutes, then says to reload
# What an upload's redirect shows (which file became which article, the intake's warnings) is kept
# here, by a random token in the address, for the last uploads: the page never shows words taken
# from its own address.
UPLOAD_REPORTS = 32


def _max_file_bytes(request: Request) -> int:
    """bulletin.toml's [workbench] max_file_mb (20 MB: the intake's own cap on one submission)."""
    settings = getattr(request.app.state, "workbench", None)
    return settings.max_file_mb * 1024 * 1024 if settings else MAX_FILE_BYTES


class NoSuchIssue(Exception):
    def __init__(self, exc: BulletinError | None = None):
        self.exc = exc


def _key(request: Request, ws) -> IssueKey:
    name = request.path_params["name"]
    if not ISSUE_NAME.match(name):
        raise NoSuchIssue()
    try:
        return ws.resolve(name)
    except BulletinError as exc:
        raise NoSuchIssue(exc) from None


def _detail(ws, key: IssueKey) -> tuple[dict | None, list[Diagnostic]]:
    from bulletin.commands.distribution import distribution_view
    from bulletin.commands.reports import issue_detail

    try:
        versions = _versions(ws, key)   # before the files are read: a change in between is refused, never lost
        detail = issue_detail(ws, str(key))
        meta, _loaded = ws.load_issue(key)
        detail.update(editor_note=meta.editor_note, people=meta.people.model_dump(), theme=meta.theme,
                      names_recorded=meta.names_recorded(), printed_names=_printed_names(meta),
                      columns_apart=_columns_apart(detail["articles"]),
                      dist=distribution_view(ws, str(key)), versions=versions)
        return detail, []
    except BulletinError as exc:
        return None, exc.diagnostics


def _printed_names(meta) -> list[dict]:
    """The printed 编辑/审核/签发 line, each name with where it comes from: the review step that names
    the person (its word and time), typed by hand (`people:`), or no one yet."""
    from bulletin.web.review import STEP_WORDS

    rows = []
    for role, word in (("editor", "编辑"), ("reviewer", "审核"), ("signer", "签发")):
        step = meta.printed_steps()[role]
        name = step.by if step else getattr(meta.people, role)
        source = (_("{step} on {at}").format(step=_(STEP_WORDS[step.step]), at=step.at.strftime("%Y-%m-%d %H:%M"))
                  if step else _("typed by hand") if name else "")
        rows.append({"role": role, "word": word, "name": name, "source": source})
    return rows


def _versions(ws, key: IssueKey) -> dict:
    """The versions the page's forms carry: issue.yaml's (order, note, names, distribution) and each
    listed article's (its 栏目 field edits the article's file)."""
    from bulletin.store.versions import file_version

    folder = ws.issue_dir(key)
    issue = file_version(folder / "issue.yaml")
    ws.forget_issue(key)   # read again after its version was taken (finding the issue read it before)
    meta, _loaded = ws.load_issue(key)
    return {"issue": issue, "articles": {name: file_version(folder / name) for name in meta.articles
                                         if "/" not in name and "\\" not in name}}


def _columns_apart(articles: list[dict]) -> dict:
    """file name → the article before it in its column, for each article that starts its column
    again (its heading 【…】 would print twice: `bulletin check` warns of it)."""
    from bulletin.rules.columns import columns_apart

    return {apart.name: apart.before for apart in columns_apart([(a["file"], a["section"]) for a in articles])}


def _cached_preview(ws, key: IssueKey):
    """The .docx's hash and the page images already made for the issue as it is now, or None (never
    converts here: the page loads at once, and the first image's request makes the preview)."""
    from bulletin.commands.preview import current_preview

    try:
        return current_preview(ws, str(key))
    except BulletinError:  # an issue that cannot be rendered has its problems shown on the page
        return "", None


def _preview_missing() -> str:
    """Why the pages cannot be made on this computer (LibreOffice or pdftoppm missing), or ""."""
    import shutil

    from bulletin.office.launcher import INSTALL_HINT, find_soffice

    if find_soffice() is None:
        return _("The preview is not available: LibreOffice is not installed ({hint}). Everything else works, "
                 "and the .docx prints as it is.").format(hint=_(INSTALL_HINT))
    if shutil.which("pdftoppm") is None:
        return _("The preview is not available: pdftoppm (poppler) is not installed (Debian: apt-get install "
                 "poppler-utils). Everything else works, and the .docx prints as it is.")
    return ""


def preview_shown(request: Request, ws, key: IssueKey, url: str) -> dict:
    """What preview.html needs, for the issue page and the article page (whose `url` asks for itself
    again while the pages are made); on the worker thread that makes the page."""
    digest, preview = _cached_preview(ws, key)
    missing = "" if preview else _preview_missing()
    poll = request.query_params.get("poll", "")
    return {"preview": preview, "preview_missing": missing, "preview_url": url,
            "pages_version": digest[:16],   # a browser keeps an image by its address, across htmx swaps too
            "docx_sha256": digest,          # what the person sees: a review step is taken on it
            "poll": int(poll) if poll.isdigit() else 0, "polls": PREVIEW_POLLS}


async def _issue_page(request: Request, status: int = 200, diagnostics=(), results=(), form=None):
    # Made on one worker thread, its template too: under load every hop between the event loop and the
    # pool waits for the interpreter, and a template rendered on the loop holds up every other request.
    return await run_in_threadpool(_issue_page_made, request, status, diagnostics, results, form)


def _issue_page_made(request: Request, status: int, diagnostics, results, form):
    from bulletin.web.review import review_panel  # the 审核与签发 section (review.html)

    ws = workspace(request)
    try:
        key = _key(request, ws)
    except NoSuchIssue as exc:
        return not_found(request, exc.exc)
    detail, problems = _detail(ws, key)
    shown = preview_shown(request, ws, key, f"/issues/{key}") if detail else {}
    review = review_panel(request, ws, key) if detail else None
    can = can_for(request, ws, key)   # which of the page's forms this person gets
    added = _added(request, detail, request.query_params.getlist("added")) if detail else []
    return page(request, "issue.html", {"title": detail["label"] if detail else str(key), "key": str(key),
                                        "issue": detail, "problems": problems, "diagnostics": list(diagnostics),
                                        "results": list(results), "added": added, "form": form or {},
                                        "suffixes": ",".join(SUFFIXES), "review": review, "can": can,
                                        **shown}, status)


async def show(request: Request):
    return await _issue_page(request)


def _upload_reports(request: Request) -> OrderedDict:
    state = request.app.state
    if not hasattr(state, "upload_reports"):
        state.upload_reports = OrderedDict()
    return state.upload_reports


def _remember(request: Request, rows: list[dict]) -> str:
    reports = _upload_reports(request)
    token = secrets.token_urlsafe(12)
    reports[token] = {row["article"]: row for row in rows}
    while len(reports) > UPLOAD_REPORTS:
        reports.popitem(last=False)
    return token


def _added(request: Request, detail: dict, names: list[str]) -> list[dict]:
    """The articles an upload added (`?added=` names, only those the issue lists) with their titles, and
    from the upload's report (`?report=`) the file each came from and the intake's warnings."""
    # read only (on a worker thread): the reports are kept by the upload, on the event loop
    report = getattr(request.app.state, "upload_reports", {}).get(request.query_params.get("report", ""), {})
    titles = {a["file"]: a["title"] for a in detail["articles"]}
    return [{"article": name, "title": titles[name] or name, "upload": report.get(name, {}).get("upload", ""),
             "notes": report.get(name, {}).get("notes", [])}
            for name in dict.fromkeys(names) if name in titles]


def _back(key, **query) -> RedirectResponse:
    return RedirectResponse(f"/issues/{key}" + (f"?{urlencode(query, doseq=True)}" if query else ""),
                            status_code=303)


async def _change(request: Request, action, form=None, describe: str = N_("edit the issue"), details=None,
                  conflict: str = "articles"):
    """Run `action(ws, key, version)` (a commands.edit function, `version` the one the form carried);
    POST → 303 → GET, or the page with why not: 409 and the page as it is now, the typed `form` kept
    and the message in section `conflict`, when the file changed since the form was opened."""
    version = form_version(await request.form())
    ws = workspace(request)
    try:
        key = await run_in_threadpool(_key, request, ws)
    except NoSuchIssue as exc:
        return not_found(request, exc.exc)
    try:
        await perform(request, Change("issue.edit", describe, details or {}, key), action, ws, str(key), version)
    except Conflict:
        return await _issue_page(request, 409, form={**(form or {}), "conflict": conflict})
    except BulletinError as exc:
        # what was typed comes back with the version it was typed on, not the file's newest
        return await _issue_page(request, 422, exc.diagnostics, form=form and {**form, "version": version})
    return _back(key)


async def article_action(request: Request):
    data = await request.form()
    name, action = str(data.get("article", "")), request.path_params["action"]
    actions = {"up": (lambda ws, ref, v: edit.move_article(ws, ref, name, -1, v), N_("move {article} up")),
               "down": (lambda ws, ref, v: edit.move_article(ws, ref, name, 1, v), N_("move {article} down")),
               "remove": (lambda ws, ref, v: edit.remove_article(ws, ref, name, v),
                          N_("take {article} out of the issue"))}
    if action not in actions:
        return error_page(request, 404, _("There is no such page."))
    run, describe = actions[action]
    return await _change(request, run, describe=describe, details={"article": name})


async def save_order(request: Request):
    """The order a drag and drop left (every article's file name, in the new order, as `article`
    fields): saved only when it holds exactly the articles the issue lists now."""
    data = await request.form()
    names = [str(name) for name in data.getlist("article")]
    return await _change(request, lambda ws, ref, v: edit.set_article_order(ws, ref, names, v),
                         describe=N_("put the articles in a new order"))


async def save_section(request: Request):
    """One article's 栏目 (its front matter's `section`), as the article page saves it."""
    data = await request.form()
    name, section = str(data.get("article", "")), str(data.get("section", ""))
    return await _change(request, lambda ws, ref, v: edit.set_article_field(ws, ref, name, "section", section, v),
                         {"section": {name: section}}, N_("set the section of {article} to {section}"),
                         {"article": name, "section": section})


async def save_note(request: Request):
    data = await request.form()
    text = str(data.get("editor_note", ""))
    return await _change(request, lambda ws, ref, v: edit.set_editor_note(ws, ref, text, v), {"editor_note": text},
                         N_("edit the editor's note"), conflict="note")


async def save_people(request: Request):
    data = await request.form()
    people = {role: str(data.get(role, "")) for role in edit.PEOPLE}
    return await _change(request, lambda ws, ref, v: edit.set_people(ws, ref, people, v), {"people": people},
                         N_("set the editor, reviewer and signer"), conflict="people")


def _safe_name(name: str) -> str:
    """The file's own name (no folders), as the browser sent it; "" for a name that climbs out of its
    folder (`../`, also %-encoded): a browser never sends one, so it is refused, not tidied."""
    sent = (name or "").replace("\\", "/")
    if ".." in sent.split("/") or ".." in unquote(sent).replace("\\", "/").split("/"):
        return ""
    name = sent.rsplit("/", 1)[-1].strip()
    return "" if name in ("", ".", "..") or name.startswith(".") or "/" in unquote(name) else name


async def upload(request: Request):
    """Every chosen file saved to a temporary folder, then `bulletin add`'s add_articles on them all:
    all are added, or none (with the reason for each refused file)."""
    from bulletin.commands.add import add_articles

    ws = workspace(request)
    try:
        key = await run_in_threadpool(_key, request, ws)
    except NoSuchIssue as exc:
        return not_found(request, exc.exc)
    try:
        data = await upload_form(request, max_files=MAX_FILES, max_fields=20, max_file_bytes=_max_file_bytes(request))
    except FileTooLarge as exc:
        return error_page(request, 413, _("{file} is larger than {mb} MB; nothing was added.").format(
            file=exc.filename, mb=exc.limit // (1024 * 1024)))
    files = [f for f in data.getlist("files") if isinstance(f, UploadFile) and f.filename]
    if not files:
        return await _issue_page(request, 422, [Diagnostic(_("upload"), None, _("choose one or more files to upload"))])
    tmp = Path(tempfile.mkdtemp(prefix="bulletin-upload-"))
    try:
        results, paths, names = [], [], set()
        for upload_file in files:
            name = _safe_name(upload_file.filename)
            problem = ""
            if not name:
                problem = _("the file has no usable name")
            elif not name.lower().endswith(SUFFIXES):
                problem = _("only {suffixes} files can be added").format(suffixes=" ".join(SUFFIXES))
            elif name.casefold() in names:
                problem = _("a file of this name is already among the uploads")
            elif (upload_file.size or 0) > _max_file_bytes(request):
                problem = _("the file is larger than {mb} MB").format(mb=_max_file_bytes(request) // (1024 * 1024))
            results.append({"file": name or upload_file.filename, "added": "", "problems": [problem] if problem else []})
            if problem:
                continue
            names.add(name.casefold())
            target = tmp / name
            with open(target, "wb") as out:
                await run_in_threadpool(shutil.copyfileobj, upload_file.file, out)
            paths.append(target)
        if any(r["problems"] for r in results):
            return await _refused(request, results)
        try:
            report = await perform(request, Change("issue.edit", N_("upload {files}"),
                                   {"files": "、".join(p.name for p in paths)}, key),
                                   add_articles, ws, str(key), paths)
        except BulletinError as exc:
            for d in exc.diagnostics:
                shown = Path(d.path).name
                for r in results:
                    if r["file"] == shown or d.path.endswith("/" + r["file"]):
                        r["problems"].append(d.message + (f"（{d.hint}）" if d.hint else ""))
                        break
                else:
                    results[0]["problems"].append(d.format())
            return await _refused(request, results)
    finally:
        for upload_file in files:
            await upload_file.close()
        shutil.rmtree(tmp, ignore_errors=True)
    articles = [Path(p).name for p in report.written if p.endswith(".md")]
    rows = _upload_rows(results, articles, report.notes, str(tmp))
    return _back(key, added=articles, report=_remember(request, rows))


def _upload_rows(results: list[dict], articles: list[str], notes, tmp: str) -> list[dict]:
    """Each uploaded file with the article it became (`add` writes them in the order given) and the
    intake's warnings about it (a title taken from the first line, traditional characters, the same
    text twice …), in words without the temporary folder the files were read from."""
    rows = [{"upload": r["file"], "article": article, "notes": []} for r, article in zip(results, articles)]
    for note in notes:
        named = Path(note.path.split(":", 1)[0]).name
        row = next((r for r in rows if named in (r["upload"], r["article"])), None)
        message = note.message.replace(tmp + "/", "").replace(tmp, "")
        if row is not None:
            row["notes"].append(message)
        elif rows:
            rows[0]["notes"].append(message)
    return rows


async def _refused(request: Request, results: list[dict]):
    for r in results:
        if not r["problems"]:
            r["problems"].append(_("not added, because another file was refused (nothing is added until all "
                                   "can be)"))
    return await _issue_page(request, 422, results=results)


async def docx(request: Request):
    """Byte for byte what `bulletin render` writes."""
    from bulletin.commands.records import output_name
    from bulletin.commands.render import build_docx

    ws = workspace(request)
    try:
        key = await run_in_threadpool(_key, request, ws)
        data = await run_in_threadpool(build_docx, ws, key)
        meta, _loaded = ws.load_issue(key)
        filename = output_name(ws, key, meta)
    except NoSuchIssue as exc:
        return not_found(request, exc.exc)
    except BulletinError as exc:
        return await _issue_page(request, 422, exc.diagnostics)
    disposition = f"attachment; filename=\"issue-{key}.docx\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                    headers={"Content-Disposition": disposition, "Cache-Control": "no-store"})


def _current_preview(ws, key: IssueKey):
    """(the .docx's sha256, its cached preview or None); (None, None) when the issue cannot be
    rendered (the preview queue then says why)."""
    from bulletin.commands.preview import current_preview

    try:
        return current_preview(ws, str(key))
    except BulletinError:
        return None, None


async def page_image(request: Request):
    """Page n of the issue as printed (`/issues/2026-10/pages/1.png`), made on first request and
    cached by the .docx's hash; 预览暂不可用 (503) when LibreOffice cannot make it."""
    ws = workspace(request)
    try:
        key = await run_in_threadpool(_key, request, ws)
    except NoSuchIssue as exc:
        return not_found(request, exc.exc)
    previews = request.app.state.previews
    # pages already made are served at once, from the cache or (layout still being measured) from
    # the queue; new ones wait in the queue: one conversion at a time, on its own thread
    digest, preview = await run_in_threadpool(_current_preview, ws, key)
    preview = preview or (previews.fresh(ws, key, digest) if digest else None)
    if preview is None:
        try:
            preview = await previews.page_images(ws, key)
        except BulletinError as exc:
            return error_page(request, 503, _("The preview is not available for now."), exc.diagnostics)
    number = request.path_params["number"]
    pages = preview.pngs if isinstance(preview, FreshPages) else preview.pages
    if not 1 <= number <= len(pages):
        return not_found(request)
    headers = {"Cache-Control": "no-cache", "ETag": f'"{preview.docx_sha256}-{number}"'}
    if isinstance(preview, FreshPages):
        return Response(pages[number - 1], media_type="image/png", headers=headers)
    return FileResponse(pages[number - 1], media_type="image/png", headers=headers)


routes = [Route("/issues/{name}", show, methods=["GET"], name="issue"),
          Route("/issues/{name}/pages/{number:int}.png", page_image, methods=["GET"], name="page_image"),
          Route("/issues/{name}/issue.docx", docx, methods=["GET"], name="issue_docx"),
          Route("/issues/{name}/order", save_order, methods=["POST"], name="save_order"),
          Route("/issues/{name}/section", save_section, methods=["POST"], name="save_section"),
          Route("/issues/{name}/note", save_note, methods=["POST"], name="save_note"),
          Route("/issues/{name}/people", save_people, methods=["POST"], name="save_people"),
          Route("/issues/{name}/upload", upload, methods=["POST"], name="upload")]
