"""信息采用计分: per unit for a month, a quarter or a year the items sent, adopted (全文, 综合), returned,
the points and the rank (units that sent nothing included), the bar chart of the points, and the
downloads: the CSV for Excel and the 通报 (.docx) byte for byte as `bulletin stats --docx` writes them.
Every number is commands.stats' (`scores`); this page only shows it."""
from __future__ import annotations

import datetime as dt
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bulletin.errors import BulletinError
from bulletin.i18n import _
from bulletin.web.home import workspace
from bulletin.web.pages import ensure_may, error_page, page

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def this_quarter(today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def _years(ws) -> list[int]:
    years = {dt.date.today().year}
    try:
        years |= {key.year for key in ws.issue_keys()}
    except BulletinError:
        pass
    return sorted(years, reverse=True)


def periods(years: list[int]) -> list[dict]:
    """The picker's choices, newest first: each year, its quarters and its months; in Chinese as the
    通报 names them (2026年第四季度: commands.stats.parse_period's words)."""
    from bulletin.commands.stats import parse_period
    from bulletin.i18n import language

    def named(value: str, english: str) -> tuple[str, str]:
        return value, parse_period(value).words if language() == "zh" else english

    groups = []
    for year in years:
        choices = [named(str(year), _("the year {year}").format(year=year))]
        choices += [named(f"{year}Q{q}", _("{year} quarter {q}").format(year=year, q=q)) for q in range(4, 0, -1)]
        choices += [named(f"{year}-{m:02d}", _("{year}-{month:02d}").format(year=year, month=m))
                    for m in range(12, 0, -1)]
        groups.append({"label": str(year), "choices": choices})
    return groups


def _period(request: Request):
    """(the period as asked, parsed) — BulletinError with the message for anything that is not one."""
    from bulletin.commands.stats import parse_period

    asked = request.query_params.get("period", "").strip() or this_quarter()
    return asked, parse_period(asked)


def _scores(ws, period):
    from bulletin.commands.stats import scores, scores_table

    found = scores(ws, period)
    return found, scores_table(found, _)


async def stats_page(request: Request):
    ensure_may(request, "stats.view")
    ws = workspace(request)
    years = await run_in_threadpool(_years, ws)
    try:
        asked, period = _period(request)
    except BulletinError as exc:
        asked = request.query_params.get("period", "")
        return page(request, "stats.html", {"title": _("Scores of the units"), "periods": periods(years),
                                            "asked": asked, "error": "；".join(d.message for d in exc.diagnostics),
                                            "table": None, "problems": []}, 422)
    try:
        found, table = await run_in_threadpool(_scores, ws, period)
        problems = []
    except BulletinError as exc:
        found, table, problems = None, None, exc.diagnostics
    from bulletin.commands.stats import SCORE_COLUMNS

    return page(request, "stats.html", {"title": _("Scores of the units"), "periods": periods(years),
                                        "asked": period.label, "period_label": period.words, "error": "",
                                        "table": table, "unit_column": SCORE_COLUMNS.index("unit"),
                                        "scores": found, "problems": problems})


async def _download(request: Request, make):
    ensure_may(request, "stats.view")
    ws = workspace(request)
    try:
        asked, period = _period(request)
        return asked, await run_in_threadpool(make, ws, period)
    except BulletinError as exc:   # a period that is not one, or files the scores cannot be counted from
        return "", error_page(request, 422, _("The statistics cannot be made:"), exc.diagnostics)


def _chart(ws, period) -> bytes:
    from bulletin.commands.stats import chart_png, scores

    return chart_png(ws, scores(ws, period))


def _csv(ws, period) -> bytes:
    from bulletin.commands.stats import scores, scores_csv_bytes

    return scores_csv_bytes(scores(ws, period))   # what `stats --csv` writes


def _circular(ws, period) -> bytes:
    from bulletin.commands.stats import circular_bytes, scores

    return circular_bytes(ws, scores(ws, period))   # what `stats --docx` writes, dated today as it is


async def chart(request: Request):
    asked, made = await _download(request, _chart)
    if isinstance(made, Response):
        return made
    return Response(made, media_type="image/png", headers={"Cache-Control": "no-store"})


async def csv_download(request: Request):
    from bulletin.web.downloads import attachment

    asked, made = await _download(request, _csv)
    if isinstance(made, Response):
        return made
    return Response(made, media_type="text/csv; charset=utf-8",
                    headers=attachment(f"信息采用计分-{asked}.csv", f"scores-{asked}.csv"))


async def circular_download(request: Request):
    from bulletin.web.downloads import attachment

    asked, made = await _download(request, _circular)
    if isinstance(made, Response):
        return made
    return Response(made, media_type=DOCX, headers=attachment(f"通报-{asked}.docx", f"circular-{asked}.docx"))


routes = [Route("/stats", stats_page, methods=["GET"], name="stats"),
          Route("/stats/chart.png", chart, methods=["GET"], name="stats_chart"),
          Route("/stats/scores.csv", csv_download, methods=["GET"], name="stats_csv"),
          Route("/stats/circular.docx", circular_download, methods=["GET"], name="stats_circular")]
