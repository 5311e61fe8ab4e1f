"""The preview queue: page images are made one issue at a time on a thread of their own, so a request
waiting for LibreOffice holds no thread of the server's pool and never delays a page load; requests
for an issue whose preview is queued but not yet begun share it."""
from __future__ import annotations

import asyncio
import threading
from concurrent.futures import Future, ThreadPoolExecutor

from bulletin.model.keys import IssueKey
from bulletin.store.workspace import Workspace


class PreviewQueue:
    def __init__(self):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulletin-preview")
        self._queued: dict[tuple[str, str], Future] = {}
        self._lock = threading.Lock()

    async def page_images(self, ws: Workspace, key: IssueKey):
        """commands.preview.page_images(ws, key), in the queue. A preview already begun may be of the
        issue before a change, so a request joins only one that has not begun: that one reads the
        issue as it is when it begins."""
        from bulletin.commands.preview import page_images

        name = (str(ws.root), str(key))
        with self._lock:
            future = self._queued.get(name)
            if future is None or future.running() or future.done():
                future = self._executor.submit(page_images, ws, str(key))
                self._queued[name] = future
        return await asyncio.wrap_future(future)

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
