"""The check of a .docx package before any part of it is opened.

A .docx is a zip of XML parts, and a hostile or broken one is refused from its size and its central
directory alone — size, entry count, declared sizes and compression ratios, encryption, macros — before
any part is decompressed but the small [Content_Types].xml (which names macro parts, and tells an
Excel workbook, a PowerPoint presentation or an OpenDocument file saved under a Word name), so a zip
bomb costs a few kilobytes of reading. Nothing here parses XML or writes.
"""
from __future__ import annotations

import struct
import zipfile
from pathlib import Path

from bulletin.errors import fail
from bulletin.i18n import N_, _
from bulletin.intake.words import _SAVE_AS_DOCX, EMPTY_FILE, EMPTY_FILE_HINT

# Limits of a submission (README, "Word submissions").
MAX_DOCX_BYTES = 20 * 1024 * 1024
MAX_ENTRIES = 2_000
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
MAX_RATIO = 200
MAX_CONTENT_TYPES_BYTES = 1024 * 1024  # the one part read by the check, for macro content types

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc, .wps, and password-protected .docx alike

_ASK_FOR_WORD = N_("ask the sender for the Word file, or copy the text into a Word document and save it as .docx")


# --- the package check -----------------------------------------------------------------------------

def _refuse(shown: str, message: str, hint: str | None = None):
    """The refusal of `shown`: `message` and `hint`, both translated already; the hint, when none is
    given, is to save the file again as .docx."""
    return fail(shown, None, message, _(_SAVE_AS_DOCX) if hint is None else hint)


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


def _declared_entries(path: Path) -> int | None:
    """The entry count the end-of-central-directory record declares (None for zip64 or no record):
    read from the file's tail, so a zip claiming a million entries is refused before it is listed."""
    with open(path, "rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65_557))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or at + 22 > len(tail):
        return None
    entries = struct.unpack("<H", tail[at + 10:at + 12])[0]
    return None if entries == 0xFFFF else entries


def check_package(path: Path, shown: str) -> None:
    """Refuse a .docx that is too big, not a zip, a zip bomb, encrypted or macro-enabled — from the
    file's size and the zip's central directory, before any part is decompressed but the small
    [Content_Types].xml (which names macro parts)."""
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise _refuse(shown, _("cannot read the file ({reason})").format(reason=exc.strerror or exc),
                      _("check the path and its permissions")) from None
    if size == 0:
        raise _refuse(shown, _(EMPTY_FILE), _(EMPTY_FILE_HINT))
    if size > MAX_DOCX_BYTES:
        raise _refuse(shown, _("the file is {size}, more than the {limit} a submission may be").format(
                      size=_megabytes(size), limit=_megabytes(MAX_DOCX_BYTES)),
                      _("compress its pictures (Word: File → Compress Pictures) or send the pictures separately"))
    if head == OLE_MAGIC:
        raise _refuse(shown, _("this is an old-format Word or WPS file (.doc/.wps), or a password-protected "
                               "document, saved under a .docx name"),
                      _("rename it to .doc if it is one; otherwise remove the password and save it again as .docx"))
    if not head.startswith(b"PK"):
        raise _refuse(shown, _("this is not a Word .docx file (it is not a zip package)"))
    declared = _declared_entries(path)
    if declared is not None and declared > MAX_ENTRIES:
        raise _too_many(shown, declared)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except Exception:  # BadZipFile, or struct/value errors from a mangled directory: all "damaged"
        raise _refuse(shown, _("the file is damaged: its zip directory cannot be read")) from None
    if len(infos) > MAX_ENTRIES:
        raise _too_many(shown, len(infos))
    total = 0
    names: set[str] = set()
    for info in infos:
        name = info.filename
        if info.flag_bits & 0x1:
            raise _refuse(shown, _("the file is encrypted (part {name!r})").format(name=name),
                          _("remove the password (Word: File → Info → Protect Document) and save it again"))
        lowered = name.casefold()
        if "vbaproject" in lowered or "vbadata" in lowered:
            raise _macros(shown)
        if lowered in names:
            raise _refuse(shown, _("the file holds two parts named {name!r}, which Word never writes").format(
                name=name))
        names.add(lowered)
        total += info.file_size
        if info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise _refuse(shown, _("part {name!r} is compressed {ratio}:1, more than {limit}:1 (a zip bomb is; "
                                   "a Word file never is)").format(name=name, ratio=ratio, limit=MAX_RATIO),
                          _("ask the sender to save it again as .docx"))
        if total > MAX_UNPACKED_BYTES:
            raise _refuse(shown, _("the file unpacks to more than {limit}").format(
                          limit=_megabytes(MAX_UNPACKED_BYTES)),
                          _("compress its pictures (Word: File → Compress Pictures) or send them separately"))
    types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
    if types is None:
        if "mimetype" in names or "meta-inf/manifest.xml" in names:
            raise _refuse(shown, _("this is an OpenDocument file (.odt, as WPS or LibreOffice save) under a Word "
                                   "file's name, not a Word document"),
                          _("open it in WPS or LibreOffice and save it as a Word document (.docx)"))
        raise _refuse(shown, _("this is a zip archive, not a Word document (it has no [Content_Types].xml)"),
                      _("unpack it and add the Word files it holds"))
    if types.file_size > MAX_CONTENT_TYPES_BYTES:
        raise _refuse(shown, _("its [Content_Types].xml is {size}; Word's is a few KB").format(
                      size=_megabytes(types.file_size)))
    try:
        with zipfile.ZipFile(path) as zf, zf.open(types) as handle:
            declared = handle.read(types.file_size).lower()
    except Exception:
        raise _refuse(shown, _("the file is damaged: its [Content_Types].xml cannot be unpacked")) from None
    _refuse_other_office_file(shown, declared.decode("utf-8", "replace"))
    if b"macroenabled" in declared or b"vbaproject" in declared:
        raise _macros(shown)


def _refuse_other_office_file(shown: str, content_types: str) -> None:
    """Refuse an Excel workbook or a PowerPoint presentation (renamed, or saved as the wrong type),
    told by the content types its package declares, saying which it is."""
    kinds = content_types.lower()
    if "wordprocessingml" in kinds or "ms-word" in kinds:
        return
    if "spreadsheetml" in kinds or "ms-excel" in kinds:
        raise _refuse(shown, _("this is an Excel workbook under a Word file's name, not a Word document"),
                      _(_ASK_FOR_WORD))
    if "presentationml" in kinds or "ms-powerpoint" in kinds:
        raise _refuse(shown, _("this is a PowerPoint presentation under a Word file's name, not a Word document"),
                      _(_ASK_FOR_WORD))


def _too_many(shown: str, count: int):
    return _refuse(shown, _("the file holds {count:,} parts, more than the {limit:,} a Word document needs").format(
                   count=count, limit=MAX_ENTRIES))


def _macros(shown: str):
    return _refuse(shown, _("the file contains macros (VBA)"),
                   _("open it in Word or WPS and save it as a plain Word document (.docx), not macro-enabled"))
