"""The language people read: Simplified Chinese or English, through gettext catalogs.

Messages are written in English in the code, marked `_("…")` where they are shown and `N_("…")` where
they are defined ahead of use; `bulletin/locale/zh_CN/LC_MESSAGES/bulletin.po` translates them and its
compiled `.mo` ships in the wheel (scripts/catalog.py extracts, updates and compiles with Babel).

The language follows `--lang`, else `BULLETIN_LANG`, else the locale (`LC_ALL`, `LC_MESSAGES`, `LANG`:
`zh…` → Chinese), else, on Windows, the system's display language. It is settled once, before any help
text is made, and also serves the words of the libraries we show (click's and typer's "Usage", "Options").

Imports nothing of ours, so every layer can translate.
"""
from __future__ import annotations

import contextlib
import contextvars
import gettext as _gettext
import os
import sys
from pathlib import Path
from typing import Iterator

DOMAIN = "bulletin"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("zh", "en")
# gettext's own name for each language; the catalogs live under these folder names.
_CATALOG = {"zh": "zh_CN", "en": "en"}

_state: dict = {"language": None, "translations": None}
# The language of one web request (bulletin serve): set by speaking() for that request's context only, so
# two requests in other languages never mix; the CLI never sets it and speaks _state's language.
_request: contextvars.ContextVar[tuple[str, object] | None] = contextvars.ContextVar("bulletin_language",
                                                                                      default=None)
_catalogs: dict[str, object] = {}


def normalise(value: str | None) -> str | None:
    """`zh`, `zh_CN.UTF-8`, `zh-Hans` → "zh"; `en`, `C`, `POSIX`, `en_US.UTF-8` → "en"; "" → None."""
    if not value:
        return None
    value = value.strip().lower()
    if not value:
        return None
    if value.startswith("zh") or value.startswith("chinese"):
        return "zh"
    return "en"


def detect(environ: dict | None = None) -> str:
    """The language the environment asks for, "zh" or "en" (see the module's docstring)."""
    environ = os.environ if environ is None else environ
    chosen = normalise(environ.get("BULLETIN_LANG"))
    if chosen:
        return chosen
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        chosen = normalise(environ.get(name))
        if chosen:
            return chosen
    if sys.platform == "win32":  # a Windows PC sets no locale variables; ask the system
        import locale

        chosen = normalise((locale.getlocale()[0] or ""))
        if chosen:
            return chosen
    return "en"


def language_from_argv(argv: list[str]) -> str | None:
    """The value of `--lang X` / `--lang=X` among `argv`, normalised, or None."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return normalise(argv[i + 1])
        if arg.startswith("--lang="):
            return normalise(arg.split("=", 1)[1])
    return None


def set_language(language: str | None = None) -> str:
    """Speak `language` ("zh" or "en"; None: what the environment asks for) from now on; returns it.

    gettext's global domain is pointed at our catalog too, so click's and typer's own words
    ("Usage:", "Options") are translated by the entries scripts/catalog.py keeps for them.
    """
    language = normalise(language) or detect()
    _state["language"] = language
    _state["translations"] = _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[_CATALOG[language]],
                                                  fallback=True)
    # click and typer call the global gettext.gettext(); LANGUAGE is the first variable it reads.
    os.environ["LANGUAGE"] = _CATALOG[language]
    _gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    _gettext.textdomain(DOMAIN)
    return language


@contextlib.contextmanager
def speaking(language: str) -> Iterator[str]:
    """Speak `language` ("zh" or "en") inside the block, in this context only (one web request and the
    worker threads it starts); the process's language (set_language) is untouched."""
    language = normalise(language) or "zh"
    if language not in _catalogs:
        _catalogs[language] = _gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[_CATALOG[language]],
                                                   fallback=True)
    token = _request.set((language, _catalogs[language]))
    try:
        yield language
    finally:
        _request.reset(token)


def language() -> str:
    """The language messages speak now."""
    if (here := _request.get()) is not None:
        return here[0]
    if _state["language"] is None:
        set_language()
    return _state["language"]


def _translations():
    if (here := _request.get()) is not None:
        return here[1]
    if _state["translations"] is None:
        set_language()
    return _state["translations"]


def _(message: str) -> str:
    """`message` in the current language."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n`, in the current language."""
    return _translations().ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark `message` for the catalog without translating it yet (for tables defined at import)."""
    return message
