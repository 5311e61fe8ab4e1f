"""What a clerk (and a screen reader) meets in Chromium: every row's buttons are named with their article,
stay on one line in English too, the upload shows that it is busy, the article's fields line up in
English, and the issue page has no empty header cell. Screenshots of the pages, Chinese and English,
go to tests/browser/screenshots/ (clerk-*.png) to look at."""
from __future__ import annotations

import pytest
from browser_support import SCREENSHOTS, VIEWPORT, axe_violations, format_violations
from test_distribution_browser import _no_previews, served  # noqa: F401  (the `bulletin serve` fixture)

TITLES = ("我市深化政务公开工作取得新成效", "市税务局推进税费政策公开")
ALL_IMPACTS = ("minor", "moderate", "serious", "critical")


@pytest.fixture
def english_page(chromium_browser):
    """English, on an office PC's smaller screen (1024 wide), where the longer English words wrapped."""
    context = chromium_browser.new_context(viewport={"width": 1024, "height": 768}, locale="en-US")
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


def _shot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"clerk-{name}.png"), full_page=True)


def test_every_rows_buttons_are_named_with_their_article(chromium_page, served):
    url, _ws = served
    page = chromium_page
    _no_previews(page)
    page.goto(f"{url}/issues/2026-10")
    for title in TITLES:
        for word in ("上移", "下移", "移除", "保存栏目"):
            assert page.get_by_role("button", name=f"{word}：{title}", exact=True).count() == 1, (word, title)
    found = [v for v in axe_violations(page, f"{url}/issues/2026-10", impacts=ALL_IMPACTS)
             if v["id"] == "empty-table-header"]
    assert not found, format_violations(found)
    _shot(page, "issue-zh")


def test_in_english_a_rows_buttons_stay_on_one_line(english_page, served):
    url, _ws = served
    page = english_page
    _no_previews(page)
    page.goto(f"{url}/issues/2026-10")
    assert page.get_by_role("button", name=f"Move down: {TITLES[0]}", exact=True).count() == 1
    one_line = page.get_by_role("button", name="Upload", exact=True).bounding_box()["height"]
    for row in page.locator("table.articles tbody tr").all():
        boxes = [b.bounding_box() for b in row.locator("td.row-actions button").all()]
        assert len(boxes) == 3
        assert all(abs(box["height"] - one_line) < 2 for box in boxes), (boxes, one_line)
        assert max(box["y"] for box in boxes) - min(box["y"] for box in boxes) < 2, boxes
    _shot(page, "issue-en")


def test_in_english_the_article_fields_line_up(english_page, served):
    url, _ws = served
    page = english_page
    page.goto(f"{url}/issues/2026-10/articles/01-first.md")
    lefts = []
    for word in ("Title", "Contributing unit", "Author", "Section"):
        label = page.locator("label", has_text=word).first.bounding_box()
        field = page.get_by_label(word, exact=True).bounding_box()
        assert abs((label["y"] + label["height"] / 2) - (field["y"] + field["height"] / 2)) < 8, word
        assert field["x"] > label["x"] + label["width"], word
        lefts.append(field["x"])
    assert max(lefts) - min(lefts) < 1, lefts
    _shot(page, "article-en")


def test_the_article_page_in_chinese(chromium_page, served):
    url, ws = served
    page = chromium_page
    path = ws / "issues/2026/10/01-first.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n工作全面完成,成效明显。\n", encoding="utf-8")
    page.goto(f"{url}/issues/2026-10/articles/01-first.md")
    assert page.get_by_label("正文（Markdown）").input_value().startswith("今年以来")
    row = page.locator("#proofreading tbody tr").first
    assert "半角标点" in row.inner_text()
    _shot(page, "article-zh")


def test_the_upload_shows_it_is_busy_until_the_files_are_in(chromium_page, served, tmp_path):
    from playwright.sync_api import expect

    url, _ws = served
    page = chromium_page
    _no_previews(page)
    held = []
    page.route("**/upload", lambda route: held.append(route))
    page.goto(f"{url}/issues/2026-10")
    note = tmp_path / "来稿.txt"
    note.write_text("关于推进政务公开的情况\n\n今年以来，我区扎实推进政务公开。\n", encoding="utf-8")
    page.get_by_label("文件").set_input_files([str(note)])
    button = page.get_by_role("button", name="上传", exact=True)
    button.click()
    busy = page.get_by_text("正在上传并转换文件")
    expect(busy).to_be_visible()
    expect(button).to_be_disabled()
    expect(page.locator("form[aria-busy=true]")).to_have_count(1)
    _shot(page, "uploading-zh")
    page.wait_for_timeout(0)
    assert held, "the upload was sent"
    held[0].continue_()
    added = page.get_by_role("status").filter(has_text="已添加")
    expect(added).to_contain_text("关于推进政务公开的情况")
    expect(added).to_contain_text("来稿.txt")
    expect(added).to_contain_text("请核对")
    expect(page.get_by_text("正在上传并转换文件")).to_be_hidden()
    _shot(page, "uploaded-zh")
