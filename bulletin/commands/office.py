"""`bulletin office start|stop|status`: the workspace's own warm LibreOffice, and finding the one that
runs for the workspace (`office start`'s or the workbench's) so `render --pdf` converts warm.

The record (port, pid, token) lives in the workspace's private folder `.bulletin/`: made 0700, with a
.gitignore of its own so it is never committed. A record whose process is gone is removed, not trusted.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from bulletin.errors import fail
from bulletin.i18n import _
from bulletin.office import launcher, warm
from bulletin.store.private import PRIVATE_DIR, private_dir as store_private_dir
from bulletin.store.workspace import Workspace

def private_dir(ws: Workspace, create: bool = True) -> Path:
    """The workspace's private folder (made 0700 and git-ignored when `create`)."""
    return store_private_dir(ws.root, create)


@dataclass
class OfficeStatus:
    running: bool           # a worker is recorded and alive
    answers: bool           # … and answered with its token
    pid: int = 0
    port: int = 0
    soffice_pid: int = 0
    conversions: int = 0
    restarts: int = 0
    owner: str = ""         # "office start" or "serve"


def running(ws: Workspace) -> tuple[warm.Endpoint, dict] | None:
    """The warm LibreOffice recorded for the workspace whose process is alive, or None."""
    folder = ws.root / PRIVATE_DIR
    return warm.read_state(folder) if folder.is_dir() else None


def status(ws: Workspace) -> OfficeStatus:
    found = running(ws)
    if found is None:
        return OfficeStatus(False, False)
    endpoint, saved = found
    answer = endpoint.ping() or {}
    return OfficeStatus(True, bool(answer), endpoint.pid, endpoint.port, int(answer.get("soffice_pid", 0)),
                        int(answer.get("conversions", 0)), int(answer.get("restarts", 0)),
                        str(saved.get("owner", "")))


def start(ws: Workspace, max_conversions: int | None = None) -> OfficeStatus:
    """Start a warm LibreOffice for the workspace that outlives this command; the running one when
    there is one already."""
    current = status(ws)
    if current.answers:
        return current
    folder = private_dir(ws)
    if current.running:            # alive but deaf: a hung worker of ours, ended before the new one
        endpoint, _saved = running(ws)
        warm.stop_endpoint(endpoint, wait=2.0)
        warm.remove_state(folder, endpoint)
    try:
        from bulletin.office.pdf import font_environment

        _worker, endpoint = warm.start_worker(font_environment(), warm.max_conversions() if max_conversions is None
                                              else max_conversions, detached=True)
    except warm.WarmUnavailable as exc:
        raise fail(ws.root, None, _("the warm LibreOffice could not be started: {reason}").format(reason=exc),
                   _("install LibreOffice and python3-uno (Debian: apt-get install libreoffice-writer-nogui "
                     "python3-uno); render --pdf still works, starting LibreOffice each time")) from None
    warm.write_state(folder, endpoint, "office start")
    return status(ws)


def stop(ws: Workspace) -> bool:
    """Stop the workspace's warm LibreOffice; False when none was running."""
    found = running(ws)
    if found is None:
        return False
    endpoint, _saved = found
    warm.stop_endpoint(endpoint)
    warm.remove_state(ws.root / PRIVATE_DIR, endpoint)
    return True


@contextlib.contextmanager
def workspace_converter(ws: Workspace) -> Iterator[bool]:
    """Within: conversions go to the workspace's warm LibreOffice when one answers (yields True),
    cold otherwise. One already installed in this process (the workbench's) is kept."""
    if warm.installed() is not None or launcher.find_soffice() is None:
        yield warm.installed() is not None
        return
    found = running(ws)
    endpoint = found[0] if found is not None and found[0].ping() is not None else None
    if endpoint is None:
        yield False
        return
    warm.install(warm.WarmConverter.attach(endpoint))
    try:
        yield True
    finally:
        warm.install(None)


class WorkbenchOffice:
    """The workbench's warm LibreOffice, from `open_for_workbench` to `close`: the workspace's running
    one when `office start` runs one (left running at the end), else one of its own, recorded in
    `.bulletin/` while it runs so `render --pdf` finds it, and stopped with everything it started."""

    def __init__(self, ws: Workspace, converter: warm.WarmConverter):
        self.ws = ws
        self.converter = converter

    @property
    def warm(self) -> bool:
        return self.converter.endpoint is not None

    def close(self) -> None:
        if warm.installed() is self.converter:
            warm.install(None)
        if self.converter.owned:
            endpoint = self.converter.endpoint
            self.converter.stop()
            if endpoint is not None:
                warm.remove_state(ws_private(self.ws), endpoint)


def ws_private(ws: Workspace) -> Path:
    return ws.root / PRIVATE_DIR


def open_for_workbench(ws: Workspace, max_conversions: int | None = None) -> WorkbenchOffice:
    """Start (or find) the warm LibreOffice for the workbench and make it this process's converter.
    Without LibreOffice or python3-uno the converter converts cold (and the log says why)."""
    from bulletin.office.pdf import font_environment

    found = running(ws)
    if found is not None and found[0].ping() is not None:
        converter = warm.WarmConverter(font_environment(), endpoint=found[0])
    else:
        converter = warm.WarmConverter(font_environment(), warm.max_conversions() if max_conversions is None
                                       else max_conversions)
        # recorded at each start (a worker that died is started again at another port)
        converter.on_start = lambda endpoint: warm.write_state(private_dir(ws), endpoint, "serve")
        if launcher.find_soffice() is not None:
            converter.start()
    warm.install(converter)
    return WorkbenchOffice(ws, converter)
