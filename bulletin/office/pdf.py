"""PDF through LibreOffice (the launcher in launcher.py) with free stand-ins for the GB fonts."""
from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bulletin.errors import fail
from bulletin.i18n import _
from bulletin.office import launcher as office

GB_FONTS = ("仿宋_GB2312", "楷体_GB2312", "方正小标宋简体")
# Keep the blank pages Word and LibreOffice insert so that each issue of a bound volume starts on an
# odd page: without them a duplex print of the PDF puts issues on the wrong side of the sheet.
PDF_FILTER = 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'


def soffice() -> str | None:
    """The LibreOffice executable, or None when it is not installed (see office.find_soffice)."""
    return office.find_soffice()


def _gb_fonts_installed() -> bool:
    if not shutil.which("fc-list"):
        return False
    out = subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True, timeout=30).stdout
    return all(name in out for name in GB_FONTS)


def font_environment() -> dict[str, str]:
    """The environment for LibreOffice: our fontconfig map unless the office's GB fonts are installed."""
    env = dict(os.environ)
    if not _gb_fonts_installed():
        env["FONTCONFIG_FILE"] = str(Path(__file__).with_name("fonts.conf"))
    return env


def require_soffice(shown: str | Path = "bulletin") -> str:
    """The LibreOffice executable; BulletinError saying how to get it when it is not installed.
    Commands with --pdf ask first, so a missing LibreOffice stops them before they write anything."""
    return office.require_soffice(shown, _("LibreOffice is not installed, so no PDF can be made"),
                                  _("{install}, or leave out --pdf and print the .docx").format(
                                      install=_(office.INSTALL_HINT)))


def convert_many(docs: list[Path], outdir: Path, timeout: float = 300) -> list[Path]:
    """Convert several .docx files in one LibreOffice start (much faster than one each)."""
    require_soffice(docs[0] if docs else "bulletin")
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="bulletin-pdf-") as tmp:
        staging = Path(tmp)
        try:
            made_files = office.converter(timeout, font_environment()).convert_many(docs, PDF_FILTER, staging)
        except office.OfficeMissing:  # uninstalled since the check above
            require_soffice(docs[0])
            raise
        except office.OfficeTimeout:
            raise fail(docs[0], None, _("LibreOffice did not finish within {timeout:.0f} s").format(timeout=timeout),
                       _("close other LibreOffice windows and try again")) from None
        results = []
        for doc, made in zip(docs, made_files):
            if not made.is_file() or made.stat().st_size == 0:
                raise fail(doc, None, _("LibreOffice made no PDF from this file"),
                           _("open it in Word or LibreOffice to see whether it is damaged"))
            target = outdir / made.name
            partial = outdir / f".{made.name}.tmp"
            shutil.copyfile(made, partial)      # staged beside the target, then renamed:
            os.replace(partial, target)         # never a half-written PDF under the real name
            results.append(target)
        return results


def convert(docx: Path, outdir: Path | None = None, timeout: float = 180) -> Path:
    """The PDF of one .docx, written beside it unless `outdir` is given; returns its path."""
    docx = Path(docx)
    return convert_many([docx], outdir or docx.parent, timeout)[0]
