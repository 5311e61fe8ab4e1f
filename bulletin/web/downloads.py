"""Downloads with stable addresses: the issue's PDF (`/issues/2026-10/issue.pdf`, the preview's own
PDF of the .docx as it is now) and the year's bound volume (`/years/2026/volume.docx` and `.pdf`,
exactly as `bulletin compile 2026` writes it). The issue's .docx is served beside its page
(issues.docx)."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import FileResponse, Response
from starlette.routing import Route

from bulletin.errors import BulletinError
from bulletin.i18n import _
from bulletin.web.home import workspace
from bulletin.web.issues import NoSuchIssue, _issue_page, _key
from bulletin.web.pages import error_page, not_found

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
PDF = "application/pdf"


def attachment(filename: str, fallback: str) -> dict[str, str]:
    """Headers for a download saved as `filename` (Chinese, RFC 5987 `filename*`), with an ASCII
    `fallback` for the browsers that read only `filename`; never cached (the issue may change)."""
    return {"Content-Disposition": f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}",
            "Cache-Control": "no-store"}


def _issue_pdf(ws, key):
    """The issue's name as `render --pdf` names it and the preview's PDF of its .docx as it is now:
    BulletinError (raised before any conversion) when the issue cannot be rendered, else the
    conversion's own (LibreOffice missing) as `Unavailable`."""
    from bulletin.commands.preview import page_images
    from bulletin.commands.records import output_name
    from bulletin.commands.render import build_docx

    build_docx(ws, key)  # an issue with problems is shown with them, not as "not available"
    meta, _loaded = ws.load_issue(key)
    name = Path(output_name(ws, key, meta)).with_suffix(".pdf").name
    try:
        return name, page_images(ws, str(key)).pdf
    except BulletinError as exc:
        raise Unavailable(exc) from None


class Unavailable(Exception):
    def __init__(self, exc: BulletinError):
        self.exc = exc


async def issue_pdf(request: Request):
    ws = workspace(request)
    try:
        key = await run_in_threadpool(_key, request, ws)
        name, pdf = await request.app.state.previews.run(_issue_pdf, ws, key)  # one conversion at a time
    except NoSuchIssue as exc:
        return not_found(request, exc.exc)
    except Unavailable as exc:
        return error_page(request, 503, _("The PDF is not available for now: the .docx can still be "
                                          "downloaded and printed."), exc.exc.diagnostics)
    except BulletinError as exc:
        return await _issue_page(request, 422, exc.diagnostics)
    return FileResponse(pdf, media_type=PDF, headers=attachment(name, f"issue-{key}.pdf"))


def _published_in(ws, year: int) -> bool:
    for key in ws.issue_keys():
        if key.year == year:
            try:
                if ws.load_issue(key)[0].status == "published":
                    return True
            except BulletinError:
                continue
    return False


async def _volume_refused(request: Request, ws, year: int, exc: BulletinError):
    """A year without a published issue has no volume yet (404, saying what to do); a volume that
    cannot be bound (a published issue changed) is shown with its problems."""
    if not await run_in_threadpool(_published_in, ws, year):
        return error_page(request, 404, _("There is no bound volume of {year} yet: only published issues are "
                                          "bound, and {year} has none. Publish its issues first ('bulletin "
                                          "publish ISSUE').").format(year=year), exc.diagnostics)
    return error_page(request, 422, _("The bound volume of {year} cannot be made until these problems are "
                                      "fixed:").format(year=year), exc.diagnostics)


async def volume_docx(request: Request):
    """Byte for byte what `bulletin compile YEAR` writes: the published issues only."""
    from bulletin.commands.compile import build_volume

    ws = workspace(request)
    year = request.path_params["year"]
    try:
        volume = await run_in_threadpool(build_volume, ws, year)
    except BulletinError as exc:
        return await _volume_refused(request, ws, year, exc)
    return Response(volume.data, media_type=DOCX, headers=attachment(volume.filename, f"volume-{year}.docx"))


def _volume_pdf(ws, year: int):
    from bulletin.commands.compile import build_volume, volume_pdf

    build_volume(ws, year)  # a year that cannot be bound says why, not "not available"
    try:
        return volume_pdf(ws, year)
    except BulletinError as exc:
        raise Unavailable(exc) from None


async def volume_pdf(request: Request):
    ws = workspace(request)
    year = request.path_params["year"]
    try:
        volume, pdf = await request.app.state.previews.run(_volume_pdf, ws, year)
    except Unavailable as exc:
        return error_page(request, 503, _("The PDF is not available for now: the .docx can still be "
                                          "downloaded and printed."), exc.exc.diagnostics)
    except BulletinError as exc:
        return await _volume_refused(request, ws, year, exc)
    return FileResponse(pdf, media_type=PDF, headers=attachment(pdf.name, f"volume-{year}.pdf"))


routes = [Route("/issues/{name}/issue.pdf", issue_pdf, methods=["GET"], name="issue_pdf"),
          Route("/years/{year:int}/volume.docx", volume_docx, methods=["GET"], name="volume_docx"),
          Route("/years/{year:int}/volume.pdf", volume_pdf, methods=["GET"], name="volume_pdf")]
