"""The workbench's app factory: `create_app(workspace)` → a Starlette app over that workspace."""
from __future__ import annotations

import contextlib
import logging
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from bulletin.web import accounts, articles, auth, distribution, downloads, home, inbox, issues, published, recipients, review
from bulletin.web import stats as stats_pages
from bulletin.web import submissions as submission_pages
from bulletin.web import history as history_pages
from bulletin.web.changes import Refused
from bulletin.web.guard import Guard
from bulletin.web.pages import STATIC, environment, error_page
from bulletin.web.previews import PreviewQueue

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


async def _http_error(request: Request, exc: HTTPException):
    return error_page(request, exc.status_code)


async def _refused(request: Request, exc: Refused):
    return error_page(request, 403, exc.reason)


def _workbench_settings(workspace: Path):
    """bulletin.toml's [workbench] (the defaults when the file cannot be read: the pages name its problems)."""
    from bulletin.errors import BulletinError
    from bulletin.model.files import WorkbenchSettings
    from bulletin.store.workspace import Workspace

    try:
        return Workspace(workspace).series().workbench
    except BulletinError:
        return WorkbenchSettings()


def _lifespan(warm_office: bool):
    """Start-up and shut-down: the preview queue, and with `warm_office` the warm LibreOffice (started
    before the first request, stopped with everything it started when the server stops)."""
    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette):
        from starlette.concurrency import run_in_threadpool

        office = None
        if warm_office:
            from bulletin.commands.office import open_for_workbench
            from bulletin.store.workspace import Workspace

            office = await run_in_threadpool(open_for_workbench, Workspace(app.state.workspace))
            app.state.previews.warm_up(Workspace(app.state.workspace))
            logging.getLogger("bulletin.office").info(
                "previews and PDFs: %s", "warm LibreOffice" if office.warm else "LibreOffice started per conversion")
        try:
            yield
        finally:
            app.state.previews.close()
            if office is not None:
                await run_in_threadpool(office.close)
    return lifespan


def _is_repository(root: Path) -> bool:
    from bulletin.store.history import ignore_store_leftovers, is_repository

    if not is_repository(root):
        return False
    ignore_store_leftovers(root)   # what a save cut short by a kill leaves is never committed
    return True


def create_app(workspace: Path, allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS,
               warm_office: bool = False, history: bool = True) -> Starlette:
    """The workbench over the workspace at `workspace`; it answers to `allowed_hosts` only (the Host
    header), so a page elsewhere cannot reach it through a rebound DNS name. `bulletin serve` asks for
    `warm_office`: one LibreOffice kept running for the previews and PDFs. With `history` (and a
    workspace in a git repository) every change is a commit in the person's name."""
    routes = [*auth.routes, *accounts.routes, *home.routes, *issues.routes, *articles.routes, *downloads.routes, *distribution.routes,
              *recipients.routes, *review.routes, *history_pages.routes,
              *submission_pages.routes, *inbox.routes, *stats_pages.routes, *published.routes,
              Mount("/static", StaticFiles(directory=str(STATIC)), name="static")]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error, Refused: _refused},
                    lifespan=_lifespan(warm_office))
    app.state.previews = PreviewQueue()
    app.state.workspace = Path(workspace).resolve()
    app.state.templates = environment()
    app.state.workbench = settings = _workbench_settings(app.state.workspace)
    app.state.history = history and _is_repository(app.state.workspace)
    app.add_middleware(auth.Auth)   # inside the guard: who is asking, and the form token of each change
    app.add_middleware(Guard, allowed_hosts=tuple(allowed_hosts),
                       max_request_bytes=settings.max_request_mb * 1024 * 1024)
    return app
