"""What every test shares: English messages whatever the developer's locale, the Hypothesis profiles,
the `layout` marker on every test that runs LibreOffice and the `browser` marker on every test under
tests/browser (Chromium), so that `pytest -m "not layout and not browser"` is the fast lane."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# CI (CI=true, as CI services set it) tries 2,000 examples of every property; a run by hand far fewer.
# A test whose examples are slow caps its count with robustness_support.examples().
settings.register_profile("ci", max_examples=2000, deadline=None)
settings.register_profile("dev", max_examples=100, deadline=None)
settings.load_profile("ci" if os.environ.get("CI", "").lower() not in ("", "0", "false", "no") else "dev")

LAYOUT = Path(__file__).parent / "layout"
BROWSER = Path(__file__).parent / "browser"

# The tests read English messages: the test process and every `bulletin` it starts speak English on a
# Chinese PC too. A test that wants Chinese says so (BULLETIN_LANG=zh in a child's environment, `--lang
# zh`, or the `chinese` fixture in-process).
os.environ["BULLETIN_LANG"] = "en"


@pytest.fixture(autouse=True)
def _english_messages():
    """Every test starts in English and leaves English behind (bulletin.i18n.set_language is global)."""
    from bulletin import i18n

    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture
def chinese():
    """Messages in Chinese for the test's own process (restored to English afterwards)."""
    from bulletin import i18n

    i18n.set_language("zh")
    yield


@pytest.fixture(scope="session")
def soffice() -> str:
    """LibreOffice's soffice; a test that asks for it is a layout test (slow, and needs LibreOffice)."""
    found = shutil.which("soffice")
    if found is None:
        pytest.fail("LibreOffice (soffice) is not installed: run the README's test command, which installs it")
    return found


def pytest_collection_modifyitems(items):
    for item in items:
        if LAYOUT in Path(item.path).parents or "soffice" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.layout)
        if BROWSER in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)
