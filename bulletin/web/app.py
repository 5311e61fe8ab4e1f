"""The workbench's app factory: `create_app(workspace)` → a Starlette app over that workspace."""
from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles

from bulletin.web import articles, distribution, downloads, home, issues, recipients
from bulletin.web.guard import Guard
from bulletin.web.pages import STATIC, environment, error_page

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


async def _http_error(request: Request, exc: HTTPException):
    return error_page(request, exc.status_code)


def create_app(workspace: Path, allowed_hosts: tuple[str, ...] = LOOPBACK_HOSTS) -> Starlette:
    """The workbench over the workspace at `workspace`; it answers to `allowed_hosts` only (the Host
    header), so a page elsewhere cannot reach it through a rebound DNS name."""
    routes = [*home.routes, *issues.routes, *articles.routes, *downloads.routes, *distribution.routes,
              *recipients.routes,
              Mount("/static", StaticFiles(directory=str(STATIC)), name="static")]
    app = Starlette(routes=routes, exception_handlers={HTTPException: _http_error})
    app.state.workspace = Path(workspace).resolve()
    app.state.templates = environment()
    app.add_middleware(Guard, allowed_hosts=tuple(allowed_hosts))
    return app
