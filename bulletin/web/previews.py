"""The preview queue: page images are made one issue at a time on a thread of their own, so a request
waiting for LibreOffice holds no thread of the server's pool and never delays a page load; requests
for an issue whose preview is queued but not yet begun share it.

A page image is served as soon as the pages are made, before the layout is measured (which takes
longer than converting and rasterising together): the pages of the preview in the making are kept in
memory, by the .docx's hash, until it is in the cache."""
from __future__ import annotations

import asyncio
import contextvars
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass

from bulletin.model.keys import IssueKey
from bulletin.store.workspace import Workspace


@dataclass
class FreshPages:
    """The pages of a preview whose layout is still being measured."""

    docx_sha256: str
    pngs: list[bytes]


class _Job:
    def __init__(self):
        self.pages: Future = Future()       # FreshPages, or the Preview when it was cached
        self.begun = False


class PreviewQueue:
    def __init__(self):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulletin-preview")
        self._jobs: dict[tuple[str, str], _Job] = {}
        self._lock = threading.Lock()

    def fresh(self, ws: Workspace, key: IssueKey, docx_sha256: str) -> FreshPages | None:
        """The pages of the .docx `docx_sha256` when they are made and still being measured."""
        with self._lock:
            job = self._jobs.get((str(ws.root), str(key)))
        if job is None or not job.pages.done() or job.pages.exception() is not None:
            return None
        found = job.pages.result()
        return found if isinstance(found, FreshPages) and found.docx_sha256 == docx_sha256 else None

    async def page_images(self, ws: Workspace, key: IssueKey):
        """The issue's pages: FreshPages as soon as they are made, else the Preview
        (commands.preview.page_images) when they were in the cache. A preview already begun may be of
        the issue before a change, so a request joins only one that has not begun: that one reads the
        issue as it is when it begins."""
        name = (str(ws.root), str(key))
        with self._lock:
            job = self._jobs.get(name)
            if job is None or job.begun:
                job = _Job()
                self._jobs[name] = job
                # in the asker's context: what the conversion says (why not) is in the asker's language
                self._executor.submit(contextvars.copy_context().run, self._run, job, ws, key)
        return await asyncio.wrap_future(job.pages)

    def _run(self, job: _Job, ws: Workspace, key: IssueKey) -> None:
        from bulletin.commands.preview import page_images

        with self._lock:
            job.begun = True

        def ready(digest: str, pngs: list[bytes]) -> None:
            if not job.pages.done():
                job.pages.set_result(FreshPages(digest, pngs))

        try:
            made = page_images(ws, str(key), pages_ready=ready)
        except BaseException as exc:    # reported to every request waiting for it
            if not job.pages.done():
                job.pages.set_exception(exc)
            return
        if not job.pages.done():
            job.pages.set_result(made)

    async def run(self, function, *args):
        """`function(*args)` on the queue's thread, after the previews before it: the PDFs of the
        downloads use the same one LibreOffice, one document at a time, and no thread of the pool waits."""
        return await asyncio.wrap_future(self._executor.submit(contextvars.copy_context().run, function, *args))

    def warm_up(self, ws: Workspace) -> None:
        """In the queue, before any request: the first preview's one-time costs (the title balancer's
        word list, the PDF reader's import), paid by rendering the latest issue's .docx once."""
        def run():
            import logging

            try:
                import pdfplumber  # noqa: F401  (the layout measure's; its import takes a while)

                from bulletin.commands.preview import docx_sha256

                keys = ws.issue_keys()
                if keys:
                    docx_sha256(ws, keys[-1])
            except Exception as exc:  # an issue that cannot be rendered says so when it is asked for
                logging.getLogger("bulletin.web").debug("preview warm-up: %s", exc)

        self._executor.submit(run)

    def settle(self, timeout: float | None = None) -> None:
        """Wait until every preview queued so far is made, layout included."""
        self._executor.submit(lambda: None).result(timeout)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
