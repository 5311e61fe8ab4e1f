"""The issue page in Chromium with a mouse: a row dragged to a new place is saved in issue.yaml and
shown by the page (numbered again by the server, the preview asked for again); a file dropped on the
upload's drop zone is added as if chosen; a 栏目 typed in a row is saved. The page passes axe-core,
and screenshots are saved under tests/browser/screenshots/ to look at."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

from browser_support import axe_violations, format_violations, screenshot, serving

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

from cli_support import write_workspace  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def served(tmp_path):
    """`bulletin serve` on a free port over a fresh workspace: (its URL, the workspace)."""
    ws = write_workspace(tmp_path / "ws")
    with serving(ws, "--no-history") as url:
        yield url, ws

def rows(page) -> list[str]:
    return page.locator("tbody[data-order-url] tr").evaluate_all("rs => rs.map(r => r.dataset.article)")


def listed(ws: Path) -> list[str]:
    text = (ws / "issues/2026/10/issue.yaml").read_text(encoding="utf-8")
    return [line.strip()[2:] for line in text.split("articles:\n", 1)[1].split("distribution:")[0].splitlines()]


def test_dragging_a_row_reorders_the_issue_and_the_page(chromium_page, served):
    url, ws = served
    page = chromium_page
    found = axe_violations(page, f"{url}/issues/2026-10")
    assert not found, format_violations(found)
    assert rows(page) == ["01-first.md", "02-second.md"]

    with page.expect_response(lambda r: r.url == f"{url}/issues/2026-10" and r.request.method == "GET"):
        page.locator('tr[data-article="02-second.md"] td').first.drag_to(
            page.locator('tr[data-article="01-first.md"] td').first, target_position={"x": 5, "y": 3})
    # the server's page, swapped in: numbered again, the first row now the tax bureau's article
    page.wait_for_function("document.querySelector('tbody[data-order-url] tr td').textContent.trim().endsWith('1')"
                           " && document.querySelector('tbody[data-order-url] tr').dataset.article === '02-second.md'")
    assert rows(page) == ["02-second.md", "01-first.md"]
    assert listed(ws) == ["02-second.md", "01-first.md"]
    assert page.locator("tbody[data-order-url] tr").first.locator("td").first.inner_text().strip().endswith("1")
    assert page.locator("header.top").count() == 1   # main swapped, not the page nested in itself
    assert all("?v=" in src for src in page.locator("#preview-pages img").evaluate_all("is => is.map(i => i.src)"))

    # dropping a row on itself, or below the last, sends nothing that changes the issue
    page.locator('tr[data-article="01-first.md"] td').first.drag_to(
        page.locator('tr[data-article="01-first.md"] td').first)
    assert listed(ws) == ["02-second.md", "01-first.md"]

    # the buttons still do the same, for keyboards
    page.locator('button[title="上移：我市深化政务公开工作取得新成效"]').focus()
    with page.expect_response(lambda r: r.url == f"{url}/issues/2026-10" and r.request.method == "GET"):
        page.keyboard.press("Enter")
    page.wait_for_function("document.querySelector('tbody[data-order-url] tr').dataset.article === '01-first.md'")
    assert listed(ws) == ["01-first.md", "02-second.md"]
    assert screenshot(page, f"{url}/issues/2026-10", "workbench-issue-articles").is_file()


def test_a_file_dropped_on_the_zone_is_uploaded(chromium_page, served):
    url, ws = served
    page = chromium_page
    page.goto(f"{url}/issues/2026-10")
    text = "关于推进政务公开的情况\n\n今年以来，我区扎实推进政务公开，群众满意度持续提升。\n"
    transfer = page.evaluate_handle("""text => {
        const dt = new DataTransfer();
        dt.items.add(new File([text], "区里来稿.txt", {type: "text/plain"}));
        return dt;
    }""", text)
    zone = page.locator("[data-dropzone]")
    zone.dispatch_event("dragenter", {"dataTransfer": transfer})
    zone.dispatch_event("dragover", {"dataTransfer": transfer})
    assert "dropzone-active" in zone.get_attribute("class")
    with page.expect_response(lambda r: r.request.method == "GET" and "/issues/2026-10?added=" in r.url):
        zone.dispatch_event("drop", {"dataTransfer": transfer})
    page.wait_for_selector(".added")
    assert "已添加" in page.locator(".added").inner_text()
    assert len(listed(ws)) == 3
    assert "关于推进政务公开的情况" in page.locator("tbody[data-order-url]").inner_text()

    # a refused file says why, per file, and nothing is added
    bad = page.evaluate_handle("""() => {
        const dt = new DataTransfer();
        dt.items.add(new File(["MZ"], "virus.exe", {type: "application/octet-stream"}));
        return dt;
    }""")
    page.locator("[data-dropzone]").dispatch_event("drop", {"dataTransfer": bad})
    page.wait_for_selector(".refused")
    assert "virus.exe" in page.locator("main").inner_text()
    assert len(listed(ws)) == 3
    assert screenshot(page, f"{url}/issues/2026-10", "workbench-issue-uploaded").is_file()


def test_a_section_typed_in_a_row_is_saved(chromium_page, served):
    url, ws = served
    page = chromium_page
    page.goto(f"{url}/issues/2026-10")
    page.get_by_label("《市税务局推进税费政策公开》的栏目").fill("工作动态")
    with page.expect_response(lambda r: r.url == f"{url}/issues/2026-10" and r.request.method == "GET"):
        page.locator('button[title="保存栏目：市税务局推进税费政策公开"]').click()
    assert "section: 工作动态" in (ws / "issues/2026/10/02-second.md").read_text(encoding="utf-8")
    page.wait_for_function("document.getElementById('section-2').value === '工作动态'")
    found = axe_violations(page, f"{url}/")
    assert not found, format_violations(found)
    assert screenshot(page, f"{url}/", "workbench-home").is_file()
