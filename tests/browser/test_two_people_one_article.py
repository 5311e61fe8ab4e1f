"""Two people (two browser contexts) on `bulletin serve`, editing the same article and the same issue:
the first save goes through, the second is refused, and the second person sees the other version
beside their own unsaved text (kept), merges and saves again. Screenshots under
tests/browser/screenshots/ to look at; the conflict page passes axe-core."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from browser_support import LOCALE, SCREENSHOTS, VIEWPORT, format_violations, serving

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_support import write_workspace  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
ARTICLE = "issues/2026/10/01-first.md"


@pytest.fixture
def served(tmp_path):
    """`bulletin serve` on a free port over a fresh workspace: (its URL, the workspace)."""
    ws = write_workspace(tmp_path / "ws")
    with serving(ws, "--no-history") as url:
        yield url, ws

@pytest.fixture
def two_people(chromium_browser):
    """Two pages, each in its own browser context (two people at two desks)."""
    contexts = [chromium_browser.new_context(viewport=VIEWPORT, locale=LOCALE) for _ in range(2)]
    for context in contexts:
        context.set_default_timeout(15_000)
    yield [context.new_page() for context in contexts]
    for context in contexts:
        context.close()


def shot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def serious(page) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [{"id": v["id"], "impact": v["impact"], "help": v["help"], "helpUrl": "",
             "nodes": [{"target": n["target"], "html": n["html"]} for n in v["nodes"]]}
            for v in found if v["impact"] in ("serious", "critical")]


def test_the_second_save_of_one_article_shows_the_conflict_and_merging_saves(two_people, served):
    url, ws = served
    first, second = two_people
    article = f"{url}/issues/2026-10/articles/01-first.md"
    for page in (first, second):
        page.goto(article)

    body = first.locator("#article-body")
    body.fill(body.input_value().replace("成立工作专班，明确责任分工。", "成立工作专班，明确责任分工，每周调度一次。"))
    first.get_by_role("button", name="保存", exact=True).click()
    first.get_by_role("status").filter(has_text="已保存").wait_for()
    assert "每周调度一次" in (ws / ARTICLE).read_text(encoding="utf-8")
    saved = (ws / ARTICLE).read_bytes()

    second.locator("#article-title").fill("我市政务公开工作取得新成效")
    body = second.locator("#article-body")
    body.fill(body.input_value() + "\n下一步，将进一步扩大公开范围。\n")
    second.get_by_role("button", name="保存", exact=True).click()
    conflict = second.locator("#conflict")
    conflict.wait_for()
    assert (ws / ARTICLE).read_bytes() == saved   # nothing overwritten
    said = conflict.inner_text()
    assert "他人" in said and "每周调度一次" in said and "下一步，将进一步扩大公开范围" in said
    assert "每周调度一次" in conflict.locator(".diff-theirs del").all_inner_texts()[0]
    assert "我市政务公开工作取得新成效" == second.locator("#article-title").input_value()
    assert "下一步，将进一步扩大公开范围" in second.locator("#article-body").input_value()
    path = shot(second, "workbench-article-conflict")
    assert path.is_file()
    found = serious(second)
    assert not found, format_violations(found)

    # the merge: the other person's sentence taken into the unsaved text, saved again on purpose
    body = second.locator("#article-body")
    body.fill(body.input_value().replace("成立工作专班，明确责任分工。", "成立工作专班，明确责任分工，每周调度一次。"))
    second.get_by_role("button", name="保存", exact=True).click()
    second.get_by_role("status").filter(has_text="已保存").wait_for()
    text = (ws / ARTICLE).read_text(encoding="utf-8")
    assert "每周调度一次" in text and "扩大公开范围" in text and "title: 我市政务公开工作取得新成效" in text


def test_taking_the_other_version_drops_the_unsaved_text(two_people, served):
    url, ws = served
    first, second = two_people
    article = f"{url}/issues/2026-10/articles/01-first.md"
    for page in (first, second):
        page.goto(article)
    first.locator("#article-body").fill("\n甲的正文。\n")
    first.get_by_role("button", name="保存", exact=True).click()
    first.get_by_role("status").filter(has_text="已保存").wait_for()
    second.locator("#article-body").fill("\n乙的正文。\n")
    second.get_by_role("button", name="保存", exact=True).click()
    second.locator("#conflict").wait_for()
    second.get_by_role("button", name="采用他人的版本（放弃我的修改）").click()
    second.wait_for_function("!document.querySelector('#conflict')")
    assert second.locator("#article-body").input_value().strip() == "甲的正文。"
    assert "甲的正文" in (ws / ARTICLE).read_text(encoding="utf-8")


def test_the_second_note_on_one_issue_page_is_refused_and_kept(two_people, served):
    url, ws = served
    first, second = two_people
    for page in (first, second):
        page.goto(f"{url}/issues/2026-10")
    first.locator("#editor-note").fill("甲写的编者按。")
    with first.expect_response(lambda r: r.request.method == "GET" and r.url == f"{url}/issues/2026-10"):
        first.get_by_role("button", name="保存编者按").click()
    assert "甲写的编者按" in (ws / "issues/2026/10/issue.yaml").read_text(encoding="utf-8")
    before = (ws / "issues/2026/10/issue.yaml").read_bytes()

    second.locator("#editor-note").fill("乙写的编者按。")
    with second.expect_response(lambda r: r.status == 409):
        second.get_by_role("button", name="保存编者按").click()
    alert = second.get_by_role("alert").filter(has_text="本期在此期间已被他人修改，请核对后再保存")
    alert.wait_for()
    assert (ws / "issues/2026/10/issue.yaml").read_bytes() == before
    assert second.locator("#editor-note").input_value() == "乙写的编者按。"
    assert "甲写的编者按" in second.locator("blockquote.other-version").inner_text()
    alert.scroll_into_view_if_needed()
    assert shot(second, "workbench-issue-note-conflict").is_file()

    # seen: the second person saves the note again, on purpose; now the first one's page is stale,
    # and its drag and drop order is refused with the page as it is now
    with second.expect_response(lambda r: r.request.method == "GET" and r.url == f"{url}/issues/2026-10"):
        second.get_by_role("button", name="保存编者按").click()
    assert "乙写的编者按" in (ws / "issues/2026/10/issue.yaml").read_text(encoding="utf-8")
    before = (ws / "issues/2026/10/issue.yaml").read_bytes()
    with first.expect_response(lambda r: r.status == 409):
        first.locator('tr[data-article="02-second.md"] td').first.drag_to(
            first.locator('tr[data-article="01-first.md"] td').first, target_position={"x": 5, "y": 3})
    first.get_by_role("alert").filter(has_text="本期在此期间已被他人修改").wait_for()
    assert (ws / "issues/2026/10/issue.yaml").read_bytes() == before
    assert first.locator("#editor-note").input_value() == "乙写的编者按。"
    rows = first.locator("tbody[data-order-url] tr").evaluate_all("rs => rs.map(r => r.dataset.article)")
    assert rows == ["01-first.md", "02-second.md"]   # the order as it is now, not as dragged
