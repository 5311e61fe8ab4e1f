"""The preview: the issue's pages as printed — the .docx `bulletin render` writes, converted to PDF by
LibreOffice, each page a PNG — with the layout measured and shown as checks.

Pages are cached by the .docx's sha256 in `<cache>/<hash>/` (1.png, 2.png, …, issue.pdf, layout.json),
so an unchanged issue is never converted twice. A folder is staged beside its final name and renamed
into place whole: a reader sees all of it or none, and of two calls for the same hash one rename wins
and the other's staging is thrown away.
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from bulletin.errors import fail
from bulletin.i18n import _
from bulletin.office import launcher
from bulletin.office.measure import Check, Layout, PageLayout, measure
from bulletin.store.workspace import Workspace

DPI = 80
PDFTOPPM_TIMEOUT = 120.0
LAYOUT_FILE = "layout.json"
PDF_FILE = "issue.pdf"


@dataclass
class Preview:
    """An issue's pages as printed: the .docx's hash, one PNG a page (in order), the PDF they were
    made from, and the layout measured on it (per page, and the checks)."""

    docx_sha256: str
    pages: list[Path]
    pdf: Path
    layout: list[PageLayout] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    cached: bool = False        # True when the pages were already in the cache (nothing converted)

    @property
    def passed(self) -> bool:
        return all(c.passed for c in self.checks)

    @property
    def folder(self) -> Path:
        return self.pdf.parent


def default_cache(ws: Workspace) -> Path:
    return ws.build_dir / "preview"


def cached_preview(ws: Workspace, ref: str, cache_dir: Path | None = None) -> Preview | None:
    """The preview of the issue as it is now when its pages are already in the cache, else None;
    never converts (a page can ask this on every load)."""
    return preview_state(ws, ref, cache_dir)[1]


def preview_state(ws: Workspace, ref: str, cache_dir: Path | None = None) -> tuple[str, Preview | None]:
    """The sha256 of the .docx the issue renders to now (what its pages show, so a page can name
    its images by it), and the preview when those pages are already in the cache; never converts."""
    from bulletin.commands.render import build_docx

    digest = hashlib.sha256(build_docx(ws, ws.resolve(ref))).hexdigest()
    folder = (Path(cache_dir) if cache_dir is not None else default_cache(ws)) / digest
    return digest, (_load(digest, folder, cached=True) if _complete(folder) else None)


def page_images(ws: Workspace, ref: str, cache_dir: Path | None = None, dpi: int = DPI) -> Preview:
    """The issue `ref` rendered exactly as `bulletin render` writes it, as page images with the
    layout measured; from the cache when this .docx was converted before. BulletinError when
    LibreOffice or pdftoppm is missing (the preview is not available; everything else is)."""
    from bulletin.commands.render import build_docx

    key = ws.resolve(ref)
    data = build_docx(ws, key)
    digest = hashlib.sha256(data).hexdigest()
    cache = Path(cache_dir) if cache_dir is not None else default_cache(ws)
    folder = cache / digest
    if _complete(folder):
        return _load(digest, folder, cached=True)
    shown = ws.issue_dir(key)
    if launcher.find_soffice() is None:
        raise fail(shown, None, _("the preview is not available: LibreOffice is not installed"),
                   _(launcher.INSTALL_HINT))
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        raise fail(shown, None, _("the preview is not available: pdftoppm (poppler) is not installed"),
                   _("install poppler (Debian: apt-get install poppler-utils)"))
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{digest[:12]}-", dir=cache))
    try:
        _make(ws, key, data, staging, pdftoppm, dpi)
        try:
            os.rename(staging, folder)
        except OSError:
            if not _complete(folder):   # not a concurrent call that finished first
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return _load(digest, folder, cached=False)


def _make(ws: Workspace, key, data: bytes, staging: Path, pdftoppm: str, dpi: int) -> None:
    """Convert, rasterise and measure into `staging`."""
    from bulletin.office import pdf as pdf_mod

    docx = staging / "issue.docx"
    docx.write_bytes(data)
    made = pdf_mod.convert(docx, staging)   # the launcher and font environment `render --pdf` uses
    docx.unlink()
    try:
        subprocess.run([pdftoppm, "-r", str(dpi), "-png", str(made), str(staging / "page")],
                       check=True, capture_output=True, timeout=PDFTOPPM_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise fail(ws.issue_dir(key), None, _("pdftoppm did not finish within {timeout:.0f} s")
                   .format(timeout=PDFTOPPM_TIMEOUT), _("try again")) from None
    except subprocess.CalledProcessError as exc:
        raise fail(ws.issue_dir(key), None, _("pdftoppm could not read the PDF: {error}")
                   .format(error=exc.stderr.decode(errors="replace").strip()), _("try again")) from None
    # pdftoppm numbers page-1.png or page-01.png, by the page count: name them 1.png, 2.png, …
    for png in staging.glob("page-*.png"):
        png.rename(staging / f"{int(png.stem.split('-')[-1])}.png")
    layout = measure(made)
    (staging / LAYOUT_FILE).write_text(json.dumps({"pages": [asdict(p) for p in layout.pages],
                                                   "checks": [asdict(c) for c in layout.checks]},
                                                  ensure_ascii=False, indent=1), encoding="utf-8")


def _complete(folder: Path) -> bool:
    return (folder / LAYOUT_FILE).is_file() and (folder / PDF_FILE).is_file()


def _load(digest: str, folder: Path, cached: bool) -> Preview:
    saved = json.loads((folder / LAYOUT_FILE).read_text(encoding="utf-8"))
    layout = Layout([PageLayout(**p) for p in saved["pages"]], [Check(**c) for c in saved["checks"]])
    pages = [folder / f"{p.number}.png" for p in layout.pages]
    return Preview(digest, pages, folder / PDF_FILE, layout.pages, layout.checks, cached)
