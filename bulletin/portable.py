"""File references that mean the same on every system: what Windows would read differently.

An article or picture named in a workspace must name the same file on the Linux server that renders
it and on the Windows PC where the office edits it. On Windows a drive letter (`C:`) leaves the folder,
a backslash separates folders, `CON`, `NUL` and the like are devices (with any extension: `con.md`),
and a trailing dot or space is dropped. Such references are refused on every system, so a workspace
that renders on one renders on all.
"""
from __future__ import annotations

import re

from bulletin.i18n import _

# The device names (Microsoft, "Naming Files, Paths, and Namespaces"), with or without an extension.
_DEVICE = re.compile(r"(?:CON|PRN|AUX|NUL|CONIN\$|CONOUT\$|(?:COM|LPT)[0-9¹²³])", re.IGNORECASE)
_DRIVE = re.compile(r"^[A-Za-z]:")


def windows_problem(reference: str) -> str:
    """What is wrong with `reference` (a relative path, folders separated by '/') on Windows, as a
    predicate for "picture 'x' …" or "article 'x' …" (in Chinese too: 文章“x”以盘符…开头); "" when it
    means the same file there."""
    if drive := _DRIVE.match(reference):
        return _("starts with a drive ({drive}), which on Windows names another disk").format(drive=drive.group(0))
    if "\\" in reference:
        return _("holds a backslash, which Windows reads as a folder separator")
    if ":" in reference:
        return _("holds a ':', which Windows reads as a drive or a hidden stream")
    for part in reference.split("/"):
        if part in ("", ".", ".."):
            continue   # no name of its own; whether the path stays inside its folder is checked elsewhere
        if _DEVICE.fullmatch(part.split(".")[0].rstrip(" ")):
            return _("uses the name {part!r}, which Windows keeps for a device").format(part=part)
        if part[-1] in ". ":
            return _("has a name ending in a dot or a space ({part!r}), which Windows drops").format(part=part)
    return ""
