"""The preview queue (bulletin/web/previews.py): a page image is served as soon as the pages are made,
while the layout is still being measured; requests for an issue whose preview has not begun share it;
a preview that fails answers every waiting request with 预览暂不可用. A stand-in for
commands.preview.page_images plays LibreOffice, so these need none."""
from __future__ import annotations

import threading

from bulletin.commands import preview as preview_cmd
from bulletin.errors import fail


def test_pages_are_served_while_the_layout_is_being_measured(client, monkeypatch):
    measuring = threading.Event()
    measured = threading.Event()
    calls = []

    def stand_in(ws, ref, cache_dir=None, dpi=preview_cmd.DPI, pages_ready=None):
        calls.append(ref)
        digest, cached = preview_cmd.current_preview(ws, ref)
        assert cached is None
        measuring.set()
        pages_ready(digest, [b"\x89PNG page one", b"\x89PNG page two"])
        assert measured.wait(30), "the test never let the measuring finish"
        raise AssertionError("not reached in this test: the pages were served before")

    monkeypatch.setattr(preview_cmd, "page_images", stand_in)
    try:
        second = client.get("/issues/2026-10/pages/2.png")
        assert measuring.is_set()
        assert second.status_code == 200 and second.content == b"\x89PNG page two"
        assert second.headers["content-type"] == "image/png" and second.headers["etag"].endswith('-2"')
        # the next requests are served from the pages in the making: no second preview is begun
        first = client.get("/issues/2026-10/pages/1.png")
        assert first.status_code == 200 and first.content == b"\x89PNG page one"
        assert client.get("/issues/2026-10/pages/3.png").status_code == 404
        assert calls == ["2026-10"]
    finally:
        measured.set()


def test_a_preview_that_fails_says_it_is_not_available(client, monkeypatch):
    def stand_in(ws, ref, cache_dir=None, dpi=preview_cmd.DPI, pages_ready=None):
        raise fail(ws.root, None, "the preview is not available: a stand-in says so", "try again")

    monkeypatch.setattr(preview_cmd, "page_images", stand_in)
    image = client.get("/issues/2026-10/pages/1.png")
    assert image.status_code == 503 and "预览暂不可用" in image.text and "a stand-in says so" in image.text
    assert "Traceback" not in image.text
