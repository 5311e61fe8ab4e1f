"""Signing in and out in Chromium against a live server (uvicorn in a thread over create_app): the sign-in
page in Chinese (用户名, 密码, 登录) passes axe-core and is saved as a screenshot (accounts-login.png);
after signing in the header names the person and their roles; 退出 ends the session, and the pages ask
for a sign-in again. A change made through the page's form carries the form token and is saved."""
from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

import pytest

from browser_support import axe_violations, format_violations, screenshot

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_support import free_port, write_workspace  # noqa: E402

PASSWORD = "correct horse battery"


@pytest.fixture
def live(tmp_path):
    import uvicorn

    from bulletin.accounts.store import AccountStore
    from bulletin.store.workspace import Workspace
    from bulletin.web.app import create_app

    ws = write_workspace(tmp_path / "ws")
    AccountStore(Workspace(ws)).add("张明", ["editor", "reviewer"], PASSWORD)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(ws), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", ws
    server.should_exit = True
    thread.join(timeout=10)


def test_sign_in_see_the_name_change_something_and_sign_out(chromium_page, live):
    url, ws = live
    page = chromium_page
    page.goto(url + "/issues/2026-10")
    assert page.url.startswith(url + "/login?next=")
    assert page.get_by_label("用户名").is_visible() and page.get_by_label("密码").is_visible()
    found = axe_violations(page, page.url)
    assert not found, format_violations(found)
    shot = screenshot(page, url + "/login?next=/issues/2026-10", "accounts-login")
    assert shot.is_file()

    page.get_by_label("密码").fill("wrong password")
    page.get_by_label("用户名").fill("张明")
    page.get_by_role("button", name="登录").click()
    assert "用户名或密码不正确" in page.locator("main").inner_text()

    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(url + "/issues/2026-10")
    header = page.locator("header").inner_text()
    assert "张明" in header and "编辑" in header and "审核" in header
    screenshot(page, page.url, "accounts-signed-in")

    note = page.locator("textarea[name=editor_note]")
    note.fill("浏览器里写的编者按")
    note.locator("xpath=ancestor::form").get_by_role("button").first.click()
    page.wait_for_function("() => !document.querySelector('[aria-busy=true]')")
    deadline = time.monotonic() + 20
    while "浏览器里写的编者按" not in (ws / "issues/2026/10/issue.yaml").read_text(encoding="utf-8"):
        assert time.monotonic() < deadline, "the editor's note was not saved"
        time.sleep(0.1)

    page.get_by_role("button", name="退出").click()
    page.wait_for_url(url + "/login")
    page.goto(url + "/")
    assert page.url.startswith(url + "/login")
