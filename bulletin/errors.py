"""Diagnostics: problems in the user's data, carried as data with a source position.

Imports nothing of ours, so every layer can raise or collect them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Diagnostic:
    """One problem: where it is (file, 1-based line or None), what it is, and how to fix it."""

    path: str
    line: int | None
    message: str
    severity: Severity = "error"
    hint: str = ""

    def format(self) -> str:
        """`path:line: message (hint)` — the form editors and `grep -n` users know."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.severity == "warning":
            text = f"{where}: warning: {self.message}"
        if self.hint:
            text += f" — {self.hint}"
        return text

    def as_dict(self) -> dict:
        return {"path": self.path, "line": self.line, "severity": self.severity,
                "message": self.message, "hint": self.hint}


class BulletinError(Exception):
    """The user's data or request is wrong; carries every diagnostic found (exit status 1)."""

    def __init__(self, diagnostics: Iterable[Diagnostic] | Diagnostic | str):
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("bulletin", None, diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        super().__init__("\n".join(d.format() for d in self.diagnostics))


def fail(path: str | Path, line: int | None, message: str, hint: str = "") -> BulletinError:
    """A BulletinError with one diagnostic, for `raise fail(...)`."""
    return BulletinError(Diagnostic(str(path), line, message, "error", hint))
