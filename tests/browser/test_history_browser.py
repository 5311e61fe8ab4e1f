"""The 历史 page in Chromium: a clerk saves an article (with `<script>` in its title) in the workbench,
opens the article's history, sees the change in their words and the diff in colour, restores the first
version; the page passes axe. `bulletin serve` runs in a subprocess over a git repository."""
from __future__ import annotations

import re
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from browser_support import axe_violations, format_violations, screenshot, serving  # noqa: E402
from cli_support import clean_env, git_env, write_workspace  # noqa: E402



@pytest.fixture
def served(tmp_path, monkeypatch):
    from bulletin.commands.history import start
    from bulletin.store.workspace import Workspace

    for name, value in git_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    ws = write_workspace(tmp_path / "ws")
    start(Workspace(ws), "管理员")
    env = clean_env(BULLETIN_LANG="zh", USER="王小明", LOGNAME="王小明", **git_env(tmp_path))
    with serving(ws, env=env, cwd=tmp_path) as url:
        yield url, ws


def test_the_article_history_shows_the_change_and_restores_the_first_version(chromium_page, served):
    url, ws = served
    page = chromium_page
    page.route(re.compile(r"/pages/\d+\.png(\?|$)"), lambda route: route.fulfill(status=204, body=b""))
    article = ws / "issues/2026/10/01-first.md"
    first = article.read_bytes()
    page.goto(f"{url}/issues/2026-10/articles/01-first.md")
    page.fill("#article-title", "<script>alert(1)</script>政务公开新成效")
    page.fill("#article-body", "今年以来，我市持续深化政务公开。\n\n# 加强领导\n\n成立工作专班。\n")
    page.get_by_role("button", name="保存").click()
    page.wait_for_selector("text=已保存")
    page.get_by_role("link", name="历史").click()
    page.wait_for_selector("h1:has-text('的历史')")
    assert page.locator("h1").inner_text() == "<script>alert(1)</script>政务公开新成效的历史"
    assert "第10期：修改 01-first.md" in page.locator(".history h2").first.inner_text()
    assert "王小明" in page.locator(".history h2").first.inner_text()
    added = page.locator(".diff .add").first
    assert added.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(230, 255, 236)"
    shot = screenshot(page, f"{url}/issues/2026-10/articles/01-first.md/history", "history_article")
    assert shot.exists()
    violations = axe_violations(page, f"{url}/issues/2026-10/articles/01-first.md/history")
    assert not violations, format_violations(violations)
    page.get_by_role("button", name="恢复此版本").click()
    page.wait_for_selector("text=已恢复")
    assert article.read_bytes() == first
    log = subprocess.run(["git", "-C", str(ws), "log", "--format=%an|%s"], capture_output=True, text=True,
                         env={**os.environ, **git_env(ws.parent)}).stdout.splitlines()
    assert len(log) == 3 and log[0].startswith("王小明|第10期：恢复 01-first.md 至 ")
    page.goto(f"{url}/issues/2026-10")
    page.get_by_role("link", name="历史").click()
    page.wait_for_selector("h1:has-text('的历史')")
    assert page.locator(".history h2").count() == 3
    screenshot(page, f"{url}/issues/2026-10/history", "history_issue")
