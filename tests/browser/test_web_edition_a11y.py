"""The web edition in Chromium: the demo issue's page and the archive's index pass axe-core (no
serious or critical violation: headings, alt text, language, contrast, landmarks, labels), and a
screenshot of each is saved under tests/browser/screenshots/ for a person to look at."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from browser_support import axe_violations, format_violations, screenshot
from cli_support import copy_demo  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


def bulletin(*args, workspace: Path) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(workspace), *map(str, args)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """A copy of the repository's demo workspace with issue 10 published and [web] public = true, so
    the archive holds it; the demo itself is never touched."""
    root = tmp_path_factory.mktemp("demo")
    ws = copy_demo(root / "ws")
    with (ws / "bulletin.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[web]\npublic = true\n")
    for issue in (ws / "issues").glob("*/*/issue.yaml"):
        issue.write_text(issue.read_text(encoding="utf-8").replace("status: draft", "status: published"),
                         encoding="utf-8")
    bulletin("render", "10", "--html", "-o", root / "issue", workspace=ws)
    bulletin("site", "-o", root / "site", workspace=ws)
    return root


def test_the_demo_issue_page_passes_axe(chromium_page, demo):
    page = demo / "issue" / "index.html"
    found = axe_violations(chromium_page, page)
    assert not found, format_violations(found)
    assert screenshot(chromium_page, page, "web-issue-10").is_file()


def test_the_archive_index_passes_axe_and_searches_offline(chromium_page, demo):
    index = demo / "site" / "index.html"
    found = axe_violations(chromium_page, index)
    assert not found, format_violations(found)
    chromium_page.fill("#q", "税费政策")
    chromium_page.wait_for_selector("#search-results li")
    hits = chromium_page.locator("#search-results li a").all_inner_texts()
    assert hits == ["市税务局推进税费政策公开助力经营主体发展"]
    assert screenshot(chromium_page, index, "web-site-index").is_file()


def test_the_archive_issue_page_and_units_pass_axe(chromium_page, demo):
    for page in (demo / "site" / "issues" / "2026-10" / "index.html", demo / "site" / "units" / "index.html"):
        found = axe_violations(chromium_page, page)
        assert not found, f"{page}:\n" + format_violations(found)
