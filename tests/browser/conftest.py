"""A real browser for the tests under tests/browser: one Chromium (Debian's) per session, driven by
Playwright, and a fresh page for each test. Every test here is marked `browser` (tests/conftest.py), so
`pytest -m "not layout and not browser"` is the fast lane; the README's test command runs them all.

A missing Chromium or Playwright fails the test rather than skipping it: a skipped browser test would
hide a missing install."""
from __future__ import annotations

import pytest

from browser_support import CHROMIUM_ARGS, LOCALE, MISSING, VIEWPORT, chromium_executable


@pytest.fixture(scope="session")
def _playwright():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"Playwright for Python is not installed: {MISSING}", pytrace=False)
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium_browser(_playwright):
    """Headless Chromium, started once per test session."""
    executable = chromium_executable()
    if executable is None:
        pytest.fail(f"Chromium is not installed (no `chromium` on PATH): {MISSING}", pytrace=False)
    browser = _playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def chromium_page(chromium_browser):
    """A fresh page in its own browser context (no cookies or storage from other tests), 1280×900,
    locale zh-CN; closed after the test."""
    context = chromium_browser.new_context(viewport=VIEWPORT, locale=LOCALE)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()
