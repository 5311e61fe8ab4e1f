"""The review path in Chromium on a workspace without accounts (the one user, LOCAL): 送审 → 退回 with
a comment → 送审 → 审核通过 → 签发 → 发布, each a button of the issue page's 审核与签发 section, and the
published .docx prints the three names typed; the section passes axe and is saved as a screenshot
(tests/browser/screenshots/review-*.png). `bulletin serve` runs in a subprocess on a free port."""
from __future__ import annotations

import re
import io
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from browser_support import LOCALE, SCREENSHOTS, VIEWPORT, axe_violations, format_violations, serving  # noqa: E402
from cli_support import clean_env, write_workspace  # noqa: E402

ISSUE = "issues/2026/10/issue.yaml"


@pytest.fixture
def served(tmp_path):
    """(base URL, workspace) of `bulletin serve` over a fresh copy of the test workspace."""
    ws = write_workspace(tmp_path / "ws")
    with serving(ws, "--no-history", env=clean_env(BULLETIN_LANG="zh"), cwd=tmp_path) as url:
        yield url, ws

def _no_previews(page) -> None:
    """The page images are LibreOffice's work and not this test's: answer them with nothing."""
    page.route(re.compile(r"/pages/\d+\.png(\?|$)"), lambda route: route.fulfill(status=204, body=b""))


def _status(ws: Path) -> str:
    from bulletin.store.workspace import Workspace

    w = Workspace(ws)
    return w.load_issue(w.resolve("2026-10"))[0].status


def test_the_whole_review_path_with_the_one_user(chromium_page, served):
    from playwright.sync_api import expect

    url, ws = served
    page = chromium_page
    _no_previews(page)
    page.goto(f"{url}/issues/2026-10")
    review = page.locator("#review")
    expect(review).to_contain_text("状态：草稿")
    found = axe_violations(page, f"{url}/issues/2026-10")
    assert found == [], format_violations(found)

    def step(button: str, status_word: str, name: str = "", comment: str = "", field: str = "#review-by"):
        if name:
            page.locator(field).fill(name)
        if comment:
            page.get_by_label("退回意见（必填：需修改什么）").fill(comment)
        page.locator("#review").get_by_role("button", name=button, exact=True).click()
        expect(page.locator("#review .review-status")).to_contain_text(f"状态：{status_word}")
        assert page.locator("header.top").count() == 1   # htmx swapped the main block

    step("送审", "待审核", "王五")
    step("退回", "草稿", "李四", "第二篇数字需核实", field="#return-by")
    expect(page.locator("#review .review-history")).to_contain_text("第二篇数字需核实")
    step("送审", "待审核", "王五")
    step("审核通过", "已审核", "李四")
    step("签发", "已签发", "张三")
    expect(review).to_contain_text("编辑：王五　审核：李四　签发：张三")
    SCREENSHOTS.mkdir(exist_ok=True)
    page.locator("#review").screenshot(path=str(SCREENSHOTS / "review-signed.png"))
    step("发布", "已发布")
    assert _status(ws) == "published"
    assert page.locator("#review").get_by_role("button").count() == 0
    rows = page.locator("#review .review-history tbody tr")
    assert rows.count() == 5
    page.screenshot(path=str(SCREENSHOTS / "review-published.png"), full_page=True)
    (docx,) = (ws / "build").glob("*.docx")
    document = zipfile.ZipFile(io.BytesIO(docx.read_bytes())).read("word/document.xml").decode("utf-8")
    assert "编辑：王五　审核：李四　签发：张三" in document


def test_without_javascript_a_return_without_a_comment_is_refused(chromium_browser, served):
    url, ws = served
    context = chromium_browser.new_context(viewport=VIEWPORT, locale=LOCALE, java_script_enabled=False)
    try:
        page = context.new_page()
        _no_previews(page)
        page.goto(f"{url}/issues/2026-10")
        page.locator("#review").get_by_role("button", name="送审", exact=True).click()
        page.wait_for_url(f"{url}/issues/2026-10")
        assert _status(ws) == "submitted"
        before = (ws / ISSUE).read_text(encoding="utf-8")
        page.locator("#review").get_by_role("button", name="退回", exact=True).click()   # the browser asks first
        assert (ws / ISSUE).read_text(encoding="utf-8") == before
        page.locator("#return-comment").fill("补充数据来源")
        page.locator("#review").get_by_role("button", name="退回", exact=True).click()
        page.wait_for_url(f"{url}/issues/2026-10")
        assert _status(ws) == "draft" and "补充数据来源" in page.locator("#review").inner_text()
    finally:
        context.close()
