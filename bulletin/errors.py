"""Diagnostics: problems in the user's data, carried as data with a source position.

Imports nothing of ours but the translations (bulletin.i18n), so every layer can raise or collect them.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Literal

from bulletin.i18n import _

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
        """`path:line: message — hint` — the form editors and `grep -n` users know; in Chinese
        `path:line: 消息；提示` (`警告：` before a warning's message, and `，` before a hint that asks a
        question: `未知的键“x”，是否应为“y”？`). The place stays in front, in ASCII, in both languages."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        if self.severity == "warning":
            text = _("{where}: warning: {message}").format(where=where, message=self.message)
        if self.hint:
            # TRANSLATORS: between a message and its hint; Chinese “；”.
            joiner = _(" — ")
            if joiner == "；" and self.hint.endswith("？"):
                joiner = "，"  # 未知的键“x”，是否应为“y”？ — a question follows as a clause of its own sentence
            text += joiner + self.hint
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
