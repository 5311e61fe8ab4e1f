"""What each person sees, in Chromium against `bulletin serve` with accounts: the issue page as a reviewer
(no upload, no 编者按 form, no drag handles; the names read from the review record) and as an editor (every
form), the article page read-only for a reviewer, and /accounts for an administrator, who adds an account
through its form after a refused try (the problem beside its field). Each page passes axe-core and is
saved as a screenshot (tests/browser/screenshots/forms-*.png)."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from browser_support import axe_violations, format_violations, screenshot, serving  # noqa: E402
from cli_support import clean_env, write_workspace  # noqa: E402

PASSWORD = "correct horse battery"
ISSUE = "/issues/2026-10"


@pytest.fixture
def served(tmp_path):
    from bulletin.accounts.store import AccountStore
    from bulletin.store.workspace import Workspace

    ws = write_workspace(tmp_path / "ws")
    store = AccountStore(Workspace(ws))
    store.add("王编辑", ["editor"], PASSWORD)
    store.add("李审核", ["reviewer"], PASSWORD)
    store.add("赵管理", ["admin"], PASSWORD)
    with serving(ws, "--no-history", env=clean_env(BULLETIN_LANG="zh"), cwd=tmp_path) as url:
        yield url, ws


def _no_previews(page) -> None:
    page.route(re.compile(r"/pages/\d+\.png(\?|$)"), lambda route: route.fulfill(status=204, body=b""))


def _sign_in(page, url: str, name: str, target: str = "/") -> None:
    page.context.clear_cookies()
    page.goto(url + "/login?next=" + target)
    page.get_by_label("用户名").fill(name)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(url + target)


def _clean(page, url: str) -> None:
    found = axe_violations(page, url)
    assert not found, format_violations(found)


def test_the_issue_page_as_editor_and_as_reviewer(chromium_page, served):
    from playwright.sync_api import expect

    url, ws = served
    page = chromium_page
    _no_previews(page)
    _sign_in(page, url, "王编辑", ISSUE)
    expect(page.get_by_role("button", name="上传")).to_be_visible()
    expect(page.get_by_label("编者按（Markdown；留空则不印）")).to_be_visible()
    assert page.locator("tr[draggable=true]").count() == 2
    _clean(page, url + ISSUE)
    screenshot(page, url + ISSUE, "forms-issue-editor")
    page.locator("#review").get_by_role("button", name="送审", exact=True).click()
    expect(page.locator("#review .review-status")).to_contain_text("待审核")

    _sign_in(page, url, "李审核", ISSUE)
    main = page.locator("main")
    assert page.get_by_role("button", name="上传").count() == 0
    assert page.locator("textarea[name=editor_note]").count() == 0
    assert page.locator("tr[draggable=true]").count() == 0 and page.locator("#people form").count() == 0
    expect(page.locator("#people")).to_contain_text("编辑王编辑")          # from the review record
    expect(page.locator("#review").get_by_role("button", name="审核通过")).to_be_visible()
    expect(main).to_contain_text("我市深化政务公开工作取得新成效")
    _clean(page, url + ISSUE)
    screenshot(page, url + ISSUE, "forms-issue-reviewer")
    article = url + ISSUE + "/articles/01-first.md"
    page.goto(article)
    assert page.locator("textarea").count() == 0 and page.get_by_role("button", name="保存").count() == 0
    expect(page.locator("main")).to_contain_text("今年以来")
    _clean(page, article)


def test_accounts_for_an_administrator(chromium_page, served):
    from playwright.sync_api import expect

    url, ws = served
    page = chromium_page
    _sign_in(page, url, "赵管理", "/accounts")
    _clean(page, url + "/accounts")
    add = page.locator("#add")
    add.get_by_label("用户名").fill("钱七")
    add.get_by_label("审核").check()
    add.get_by_label("密码", exact=True).fill("staple battery horse")
    add.get_by_label("再次输入密码").fill("staple battery hose")
    add.get_by_role("button", name="添加账户").click()
    expect(page.locator("#add-again-error")).to_contain_text("两次输入的密码不一致")
    assert page.locator("#add-password").input_value() == ""                 # never shown again
    assert page.locator("#add-name").input_value() == "钱七"
    page.locator("#add-password").fill("staple battery horse")
    page.locator("#add-again").fill("staple battery horse")
    page.locator("#add").get_by_role("button", name="添加账户").click()
    expect(page.locator("main [role=status]")).to_contain_text("账户已添加。")
    expect(page.locator("#people")).to_contain_text("钱七")
    page.goto(url + "/accounts?edit=" + "赵管理")
    expect(page.locator("#edit")).to_contain_text("这是你自己的账户")
    _clean(page, url + "/accounts?edit=钱七")
    screenshot(page, url + "/accounts?edit=钱七", "forms-accounts")


def test_a_signed_issue_tells_the_editor_why_its_forms_are_gone(chromium_page, served):
    from playwright.sync_api import expect

    url, ws = served
    path = ws / "issues/2026/10/issue.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("status: draft", "status: signed"), encoding="utf-8")
    page = chromium_page
    _no_previews(page)
    _sign_in(page, url, "王编辑", ISSUE)
    expect(page.locator("p.held")).to_have_text("已签发：不能再修改本期；如需修改，请先退回")
    assert page.get_by_role("button", name="上传").count() == 0 and page.locator("main form").count() == 0
    _clean(page, url + ISSUE)
    screenshot(page, url + ISSUE, "forms-issue-signed-editor")
