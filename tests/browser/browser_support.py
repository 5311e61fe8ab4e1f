"""What the browser tests share: how Chromium is started, the accessibility check and screenshots.

    from browser_support import axe_violations, screenshot, format_violations

    def test_issue_page(chromium_page, built_page_url):
        found = axe_violations(chromium_page, built_page_url)
        assert not found, format_violations(found)
        screenshot(chromium_page, built_page_url, "issue-10")   # tests/browser/screenshots/issue-10.png

Chromium is Debian's (`apt-get install chromium`, which the README's test command does), driven by
Playwright for Python; Playwright's own browser downloads are never used. axe-core's JavaScript comes
bundled with axe-playwright-python, so the check makes no request to any other host.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import sys  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_support import free_port, serving  # noqa: E402,F401  (the browser tests' server, shared with tests/web)

SCREENSHOTS = Path(__file__).parent / "screenshots"

# Headless, as root in CI (no sandbox), and quiet: without the background-networking flags Chromium
# tries hosts the test machine cannot reach (updates, sync, field trials). /dev/shm is small in
# containers; Debian's launcher decides that with a check that misreads some mounts, so say it here.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
VIEWPORT = {"width": 1280, "height": 900}
LOCALE = "zh-CN"

# The impacts a page may not have: axe's "minor" and "moderate" findings are reported but do not fail.
FAILING_IMPACTS = ("serious", "critical")

MISSING = "run the README's test command (bash scripts/test.sh), which installs it"


def chromium_executable() -> str | None:
    """Debian's Chromium launcher (/usr/bin/chromium), or None when it is not installed."""
    return shutil.which("chromium")


def _url(url: str | Path) -> str:
    return url.resolve().as_uri() if isinstance(url, Path) else url


def axe_violations(page, url: str | Path, *, impacts=FAILING_IMPACTS) -> list[dict]:
    """Open `url` (an http:// or file:// address, or a Path) in `page`, run axe-core on it and return
    its violations of the given impacts (by default "serious" and "critical"), each as
    {"id", "impact", "help", "helpUrl", "nodes": [{"target": [CSS selector, ...], "html": str}]}."""
    from axe_playwright_python.sync_playwright import Axe

    page.goto(_url(url))
    results = Axe().run(page)
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "helpUrl": v.get("helpUrl", ""),
            "nodes": [{"target": n["target"], "html": n["html"]} for n in v["nodes"]],
        }
        for v in results.response["violations"]
        if v["impact"] in impacts
    ]


def format_violations(violations: list[dict]) -> str:
    """The violations as lines to read in a failed assertion: rule, impact, what it wants, where."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']}")
        lines.extend(f"    {' '.join(map(str, n['target']))}: {n['html'][:120]}" for n in v["nodes"])
    return "\n".join(lines)


def screenshot(page, url: str | Path, name: str) -> Path:
    """Open `url` in `page` and save a full-page PNG as tests/browser/screenshots/NAME.png (git-ignored);
    returns its path, for a person to look at."""
    stem = re.sub(r"[^\w.-]+", "_", name.removesuffix(".png"))
    path = SCREENSHOTS / f"{stem}.png"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.goto(_url(url))
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page, url: str, name: str, password: str, target: str = "/") -> None:
    """Open `target` (which sends a person not signed in to /login), sign in as `name` with the Chinese
    form's labels, and be back at `target` with the name in the header."""
    from playwright.sync_api import expect

    page.goto(url + target)
    assert page.url.startswith(url + "/login")
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(url + target)
    expect(page.locator("header.top")).to_contain_text(name)


def sign_out(page, url: str) -> None:
    page.get_by_role("button", name="退出").click()
    page.wait_for_url(url + "/login")
