"""Upload caps while the body streams: one file past [workbench] max_file_mb stops the reading (413,
nothing added, nothing kept); a request past max_request_mb is refused by the guard (413)."""
from __future__ import annotations

import warnings

import pytest
from web_support import form_token

MB = 1024 * 1024


@pytest.fixture
def capped(ws):
    from bulletin.web.app import create_app

    (ws / "bulletin.toml").write_text((ws / "bulletin.toml").read_text(encoding="utf-8")
                                      + "\n[workbench]\nmax_file_mb = 1\nmax_request_mb = 2\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        with TestClient(create_app(ws), base_url="http://127.0.0.1:8110", raise_server_exceptions=False,
                        follow_redirects=False) as c:
            c.headers["X-CSRF-Token"] = form_token(ws)
            yield c


def names(ws):
    return sorted(p.name for p in (ws / "issues/2026/10").iterdir())


def text_file(size: int) -> bytes:
    return ("标题一行\n\n" + "正文。" * (size // 9)).encode()


def test_a_file_over_the_cap_is_refused_while_it_streams(capped, ws):
    before = names(ws)
    r = capped.post("/issues/2026-10/upload",
                    files=[("files", ("小.txt", text_file(MB // 4), "text/plain")),
                           ("files", ("大.txt", text_file(MB + MB // 2), "text/plain"))])
    assert r.status_code == 413 and "大.txt" in r.text and "1 MB" in r.text
    assert names(ws) == before


def test_a_request_over_the_cap_is_refused(capped, ws):
    before = names(ws)
    r = capped.post("/issues/2026-10/upload",
                    files=[("files", (f"{n}.txt", text_file(MB - MB // 8), "text/plain")) for n in range(3)])
    assert r.status_code == 413 and "2 MB" in r.text
    assert names(ws) == before


def test_files_under_the_caps_are_added(capped, ws):
    r = capped.post("/issues/2026-10/upload", files=[("files", ("小.txt", text_file(MB // 4), "text/plain"))])
    assert r.status_code == 303, r.text
