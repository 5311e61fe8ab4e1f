"""The version of a file an edit form was opened on, and the check a save makes against it.

A version is the sha256 of the file's bytes: what the form showed is what the save may replace. Every
edit function of the workbench takes an `expected_version` and calls `check_version` under the
workspace lock, before it changes anything; a file changed since (by another person in the
workbench, by the CLI, by hand) raises Conflict with the file as it is now, and nothing is written.
No expected version (the CLI) checks nothing."""
from __future__ import annotations

import hashlib
from pathlib import Path

from bulletin.errors import BulletinError, Diagnostic
from bulletin.i18n import _


def version_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_version(path: Path) -> str:
    """The version of the file at `path` ("" when there is none)."""
    try:
        return version_of(Path(path).read_bytes())
    except FileNotFoundError:
        return ""


class Conflict(BulletinError):
    """A save against a file changed since its form was opened: `path` (as shown), the file's `text`
    and `version` as they are now, for the page to show beside what the person typed."""

    def __init__(self, path: str, version: str, text: str):
        super().__init__(Diagnostic(path, None, _("the file was changed by someone else after this form was opened, "
                                                  "so it was not saved"), "error",
                                    _("look at the file as it is now, then save again")))
        self.path = path
        self.version = version
        self.text = text


def check_version(path: Path, expected: str | None, shown: str) -> None:
    """Conflict when `expected` (a version, or None: no check) is not the version of `path` now."""
    if expected is None:
        return
    try:
        data = Path(path).read_bytes()
        now = version_of(data)
    except FileNotFoundError:
        data, now = b"", ""
    if now != expected:
        raise Conflict(shown, now, data.decode("utf-8-sig", errors="replace"))
