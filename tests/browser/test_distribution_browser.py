"""A clerk changes an issue's distribution in Chromium, with htmx and without JavaScript, and sees 共印
follow; the 收发名录 page passes axe. `bulletin serve` runs in a subprocess on a free port."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from browser_support import LOCALE, SCREENSHOTS, VIEWPORT, axe_violations, format_violations, serving  # noqa: E402
from cli_support import clean_env, write_workspace  # noqa: E402


@pytest.fixture
def served(tmp_path):
    """(base URL, workspace) of `bulletin serve` over a fresh copy of the test workspace."""
    ws = write_workspace(tmp_path / "ws")
    with serving(ws, "--no-history", env=clean_env(BULLETIN_LANG="zh"), cwd=tmp_path) as url:
        yield url, ws

def _no_previews(page) -> None:
    """The page images are LibreOffice's work and not this test's: answer them with nothing."""
    page.route(re.compile(r"/pages/\d+\.png(\?|$)"), lambda route: route.fulfill(status=204, body=b""))


def _copies(page) -> str:
    return page.locator("#copies").inner_text().strip()


def test_a_clerk_changes_the_distribution_and_sees_copies_follow(chromium_page, served):
    from playwright.sync_api import expect

    url, ws = served
    page = chromium_page
    _no_previews(page)
    page.goto(f"{url}/issues/2026-10")
    assert _copies(page) == "20"
    section = page.locator("#distribution")
    section.get_by_title("移除：市人大常委会办公室").click()
    expect(page.locator("#copies")).to_have_text("19")
    assert page.locator("header.top").count() == 1  # htmx swapped the main block, not a page inside the page
    assert page.url == f"{url}/issues/2026-10"        # and the page was not loaded again (that is the 303's)
    assert "remove: [renda]" in (ws / "issues/2026/10/issue.yaml").read_text(encoding="utf-8")
    page.get_by_label("增加接收单位").select_option(label="发　各镇（街道）（7）")
    page.locator("#distribution").get_by_role("button", name="增加", exact=True).click()
    expect(page.locator("#copies")).to_have_text("26")
    page.get_by_label("本期增发").fill("市档案馆")
    page.get_by_role("button", name="增发", exact=True).click()
    expect(page.locator("#copies")).to_have_text("27")
    page.get_by_label("共印（人工设定）").fill("0")
    page.get_by_role("button", name="保存共印").click()
    expect(page.locator("#dist-copies-override-error")).to_contain_text("共印份数应为1或以上的整数")
    assert _copies(page) == "27"
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("#distribution").screenshot(path=str(SCREENSHOTS / "issue-distribution.png"))


def test_without_javascript_the_forms_still_work(chromium_browser, served):
    url, ws = served
    context = chromium_browser.new_context(viewport=VIEWPORT, locale=LOCALE, java_script_enabled=False)
    try:
        page = context.new_page()
        _no_previews(page)
        page.goto(f"{url}/issues/2026-10")
        page.locator("#dist-list-2").check()   # short: 市委办公室 is in both lists, so no copies more
        page.locator("#dist-list-1").uncheck()  # default off: 市委办公室 only, 2 + 5
        page.get_by_role("button", name="保存名单").click()
        page.wait_for_url(f"{url}/issues/2026-10#distribution")
        assert _copies(page) == "7"
        assert "lists: [short]" in (ws / "issues/2026/10/issue.yaml").read_text(encoding="utf-8")
    finally:
        context.close()


def test_the_directory_page_passes_axe_and_a_recipient_is_added(chromium_page, served):
    from playwright.sync_api import expect

    url, ws = served
    page = chromium_page
    for address in ("/recipients?edit=shiwei", "/recipients?list=default", "/recipients"):
        found = axe_violations(page, url + address)
        assert found == [], f"{address}:\n{format_violations(found)}"
    page.get_by_label("编号").fill("shuju")
    page.locator("#add-name").fill("市数据局")
    page.locator("#add-role").select_option("送")
    page.locator("#add-copies").fill("0")
    page.get_by_role("button", name="增加", exact=True).click()
    expect(page.locator("#add-copies-error")).to_contain_text("份数应为1或以上的整数")
    page.locator("#add-copies").fill("3")
    page.get_by_role("button", name="增加", exact=True).click()
    expect(page.locator("#recipients")).to_contain_text("市数据局")
    assert "id: shuju" in (ws / "recipients.yaml").read_text(encoding="utf-8")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "recipients.png"), full_page=True)
