"""Which issue: its key (year, kind, number), its folder's name, and the names people give it
(`10`, `2026-10`, `2026-S1`, `第10期` …). Pure values, no files.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from bulletin.errors import fail
from bulletin.i18n import _

# Folder names of issues: 10 or 010 (regular), S1 (增刊), Z1 (专刊).
_FOLDER = re.compile(r"^(?:(\d{1,3})|([SZ])(\d{1,3}))$")


_KIND_PREFIX = {"supplement": "S", "special": "Z"}


_PREFIX_KIND = {v: k for k, v in _KIND_PREFIX.items()}


KIND_ORDER = {"regular": 0, "supplement": 1, "special": 2}


@dataclass(frozen=True, order=True)
class IssueKey:
    """Which issue: year, kind and the number within that kind and year."""

    year: int
    kind: str
    number: int
    folder: str = field(default="", compare=False)  # the folder as found on disk (02, 002, S1)

    @property
    def folder_name(self) -> str:
        if self.folder:
            return self.folder
        if self.kind == "regular":
            return f"{self.number:02d}"
        return f"{_KIND_PREFIX[self.kind]}{self.number}"

    @property
    def relpath(self) -> str:
        return f"issues/{self.year}/{self.folder_name}"

    def __str__(self) -> str:
        return f"{self.year}-{self.folder_name if self.kind != 'regular' else self.number}"


def parse_folder_name(name: str) -> tuple[str, int] | None:
    """(kind, number) for an issue folder name, None for anything else."""
    m = _FOLDER.match(name)
    if not m:
        return None
    if m.group(1):
        return "regular", int(m.group(1))
    return _PREFIX_KIND[m.group(2)], int(m.group(3))


_REF = re.compile(r"^(?:(\d{4})-)?([SZsz]?)(\d{1,3})$")


# As the issue is printed: 第10期, 2026年第10期 (or 2026-第10期, as in the .docx name), 增刊第1期,
# 专刊第1期, and the label `new` prints with its total, 第10期（总第30期）, copied whole.
_PRINTED_REF = re.compile(r"^(?:(\d{4})\s*[年-]?\s*)?(增刊|专刊)?第\s*(\d{1,3})\s*期"
                          r"(?:\s*[（(]\s*总第\s*(\d{1,5})\s*期\s*[）)])?$")


_PRINTED_KIND = {"增刊": "supplement", "专刊": "special"}


def parse_issue_name(text: str) -> tuple[int | None, str, int, int | None]:
    """(year or None, kind, number, total or None) of an issue name; BulletinError otherwise."""
    import unicodedata

    plain = unicodedata.normalize("NFKC", text).strip()  # full-width digits and hyphens from an input method
    m = _REF.match(plain)
    if m:
        year = int(m.group(1)) if m.group(1) else None
        kind = _PREFIX_KIND[m.group(2).upper()] if m.group(2) else "regular"
        return year, kind, int(m.group(3)), None
    m = _PRINTED_REF.match(plain)
    if m:
        year = int(m.group(1)) if m.group(1) else None
        kind = _PRINTED_KIND.get(m.group(2) or "", "regular")
        return year, kind, int(m.group(3)), int(m.group(4)) if m.group(4) else None
    raise fail("bulletin", None, _("{text!r} does not name an issue").format(text=text),
               _("write 10 or 第10期 (issue 10 of the latest year), 2026-10 or 2026年第10期, "
                 "2026-S1 or 增刊第1期 for a supplement, 2026-Z1 or 专刊第1期 for a special issue"))


def parse_issue_ref(text: str) -> tuple[int | None, str, int]:
    """`10`, `2009-10`, `2009-S1`, `S1`, `第10期`, `2009年第10期`, `增刊第1期`, `专刊第1期` → (year or
    None, kind, number); BulletinError otherwise."""
    return parse_issue_name(text)[:3]
