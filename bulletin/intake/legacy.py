"""Reading a .doc or .wps submission: LibreOffice (bulletin.office.launcher) makes it a .docx first."""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from bulletin.errors import Diagnostic, fail
from bulletin.i18n import _
from bulletin.intake.docx_body import read_docx
from bulletin.intake.pieces import SubmittedParagraph
from bulletin.intake.words import _SAVE_AS_DOCX
from bulletin.intake.zipguard import MAX_DOCX_BYTES

LIBREOFFICE_TIMEOUT = 120.0


def _read_with_libreoffice(path: Path, shown: str) -> tuple[list[SubmittedParagraph], list[Diagnostic]]:
    """A .doc or .wps converted to .docx by LibreOffice headless (private profile, timeout), then read
    like any .docx; a .docx under a .doc name is read directly."""
    from bulletin.office import launcher as office

    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(8)
    except OSError as exc:
        raise fail(shown, None, _("cannot read the file ({reason})").format(reason=exc.strerror or exc),
                   _("check the path")) from None
    if size > MAX_DOCX_BYTES:
        raise fail(shown, None, _("the file is more than {mb} MB").format(mb=MAX_DOCX_BYTES // (1024 * 1024)),
                   _("compress its pictures, or send the pictures separately"))
    if head.startswith(b"PK"):
        return read_docx(path, shown)
    office.require_soffice(shown, _("a {suffix} file needs LibreOffice to be read, and it is not installed").format(
                           suffix=path.suffix.lower()),
                           _("open it in Word or WPS and save it as .docx, then add that (or install LibreOffice: "
                             "apt-get install libreoffice-writer-nogui)"))
    with tempfile.TemporaryDirectory(prefix="bulletin-import-") as tmp:
        work = Path(tmp)
        (work / "in").mkdir()
        # a plain ASCII name: LibreOffice reads arguments starting with '-' as options
        src = work / "in" / f"submission{path.suffix.lower()}"
        shutil.copyfile(path, src)
        try:
            made = office.converter(LIBREOFFICE_TIMEOUT).convert(src, "docx:MS Word 2007 XML", work / "out")
        except office.OfficeTimeout:
            raise fail(shown, None, _("LibreOffice did not finish reading the file within {timeout:.0f} s").format(
                       timeout=LIBREOFFICE_TIMEOUT), _(_SAVE_AS_DOCX)) from None
        if not made.is_file() or made.stat().st_size == 0:
            raise fail(shown, None, _("LibreOffice could not read this file (damaged, password-protected, "
                                      "or not a Word or WPS document)"), _(_SAVE_AS_DOCX))
        return read_docx(made, shown)
