"""The preview: the issue's pages as printed — the .docx `bulletin render` writes, converted to PDF by
LibreOffice, each page a PNG — with the layout measured and shown as checks.

Pages are cached by the .docx's sha256 in `<cache>/<hash>/` (1.png, 2.png, …, issue.pdf, layout-2.json),
so an unchanged issue is never converted twice. A folder is staged beside its final name and renamed
into place whole: a reader sees all of it or none, and of two calls for the same hash one rename wins
and the other's staging is thrown away.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import zlib
from concurrent.futures import Future
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable

from bulletin.errors import fail
from bulletin.i18n import _
from bulletin.office import launcher
from bulletin.office.measure import Check, Layout, PageLayout, measure
from bulletin.store.workspace import Workspace

DPI = 80
PDFTOPPM_TIMEOUT = 120.0
LAYOUT_FILE = "layout-2.json"  # -2: checks keep their message and values (put into words when shown)
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
    return current_preview(ws, ref, cache_dir)[1]


def current_preview(ws: Workspace, ref: str, cache_dir: Path | None = None) -> tuple[str, Preview | None]:
    """The sha256 of the issue's .docx as it is now, and its preview when that is in the cache."""
    digest = docx_sha256(ws, ws.resolve(ref))
    folder = (Path(cache_dir) if cache_dir is not None else default_cache(ws)) / digest
    return digest, (_load(digest, folder, cached=True) if _complete(folder) else None)


# (workspace, issue) → (the workspace's files as they were, the .docx's sha256 then, the .docx): the
# issue page asks on every load whether its preview is cached, and rendering the .docx to know takes
# longer than the rest of the page; looking at the files' sizes and times takes a millisecond. Under
# load, pages asking at once after a change wait for one render (`_rendering`) instead of each
# rendering the same .docx, and the preview then made converts that same .docx.
_digests: dict[tuple[str, str], tuple[tuple, str, bytes]] = {}
_rendering: dict[tuple[tuple[str, str], tuple], Future] = {}
_digests_lock = threading.Lock()


def _sources_signature(ws: Workspace) -> tuple:
    """Name, size, modification time and inode of every file of the workspace that can shape an
    issue's .docx: all but the build folder and the hidden ones (.git, .bulletin). A file written with
    store.atomic gets a new inode, so even a change within the clock's resolution is seen."""
    found = []
    skip = {ws.build_dir.resolve()}
    stack = [ws.root]
    while stack:
        folder = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                if Path(entry.path).resolve() not in skip:
                    stack.append(Path(entry.path))
                continue
            try:
                info = entry.stat()
            except OSError:
                continue
            found.append((entry.path, info.st_size, info.st_mtime_ns, info.st_ino))
    return tuple(sorted(found))


def docx_sha256(ws: Workspace, key) -> str:
    """The sha256 of what `bulletin render` writes for the issue, without rendering it again when no
    file of the workspace changed since it was last worked out in this process."""
    return current_docx(ws, key)[0]


def current_docx(ws: Workspace, key) -> tuple[str, bytes]:
    """(sha256, bytes) of what `bulletin render` writes for the issue as it is now: rendered again
    only when a file of the workspace changed since, and once for callers asking at the same time."""
    from bulletin.commands import render

    from bulletin.i18n import language

    name = (str(ws.root.resolve()), str(key))
    signature = (language(), _sources_signature(ws))     # (in case a word of the .docx is translated)
    with _digests_lock:
        known = _digests.get(name)
        if known is not None and known[0] == signature:
            return known[1], known[2]
        rendering = _rendering.get((name, signature))
        mine = rendering is None
        if mine:
            rendering = _rendering[(name, signature)] = Future()
    if not mine:
        return rendering.result()    # the other caller's .docx, or its BulletinError
    try:
        data = render.build_docx(ws, key)
        made = hashlib.sha256(data).hexdigest(), data
        with _digests_lock:
            _digests[name] = (signature, *made)
        rendering.set_result(made)
        return made
    except BaseException as exc:
        rendering.set_exception(exc)
        raise
    finally:
        with _digests_lock:
            _rendering.pop((name, signature), None)


def page_images(ws: Workspace, ref: str, cache_dir: Path | None = None, dpi: int = DPI,
                pages_ready: Callable[[str, list[bytes]], None] | None = None) -> Preview:
    """The issue `ref` rendered exactly as `bulletin render` writes it, as page images with the
    layout measured; from the cache when this .docx was converted before. BulletinError when
    LibreOffice or pdftoppm is missing (the preview is not available; everything else is).

    `pages_ready(sha256, pngs)` is called with the pages' PNG data as soon as they are made, while
    the layout is still being measured (the workbench shows them then); not for cached pages."""
    key = ws.resolve(ref)
    digest, data = current_docx(ws, key)
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
        _make(ws, key, data, staging, pdftoppm, dpi,
              (lambda pngs: pages_ready(digest, pngs)) if pages_ready is not None else None)
        try:
            os.rename(staging, folder)
        except OSError:
            if not _complete(folder):   # not a concurrent call that finished first
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return _load(digest, folder, cached=False)


def _make(ws: Workspace, key, data: bytes, staging: Path, pdftoppm: str, dpi: int,
          pages_ready: Callable[[list[bytes]], None] | None = None) -> None:
    """Convert, rasterise and measure into `staging`."""
    from bulletin.office import pdf as pdf_mod

    docx = staging / "issue.docx"
    docx.write_bytes(data)
    made = pdf_mod.convert(docx, staging)   # the launcher and font environment `render --pdf` uses
    docx.unlink()
    # The pages are made on a thread of their own while this one measures the layout, which takes
    # longer: pdftoppm writes PPM, packed as PNG here (zlib works outside the GIL): the same pixels,
    # a smaller file, and a sixth of the time pdftoppm's own PNG takes.
    problems: list[tuple[str, str]] = []
    rasterising = threading.Thread(target=_rasterise, args=(pdftoppm, made, staging, dpi, problems, pages_ready),
                                   name="bulletin-pdftoppm")
    rasterising.start()
    try:
        layout = _measure_apart(made)
    finally:
        rasterising.join()
    if problems:
        raise fail(ws.issue_dir(key), None, *problems[0])
    (staging / LAYOUT_FILE).write_text(json.dumps({"pages": [asdict(p) for p in layout.pages],
                                                   "checks": [asdict(c) for c in layout.checks]},
                                                  ensure_ascii=False, indent=1), encoding="utf-8")


MEASURE_TIMEOUT = 120.0


def _measure_apart(pdf: Path) -> Layout:
    """The layout of `pdf`, measured in a child process: pdfplumber is pure Python and takes about half
    a second of every preview, and in the workbench's process it would hold the interpreter while
    pages wait to be served. Measured here instead when the child cannot do it."""
    try:
        done = subprocess.run([sys.executable, "-m", "bulletin.office.measure", str(pdf)], capture_output=True,
                              stdin=subprocess.DEVNULL, timeout=MEASURE_TIMEOUT, check=True)
        saved = json.loads(done.stdout.decode("utf-8"))
        return Layout([PageLayout(**p) for p in saved["pages"]], [Check(**c) for c in saved["checks"]])
    except (OSError, subprocess.SubprocessError, ValueError, KeyError, TypeError):
        return measure(pdf)


def _rasterise(pdftoppm: str, made: Path, staging: Path, dpi: int, problems: list,
               pages_ready: Callable[[list[bytes]], None] | None) -> None:
    """Page images 1.png, 2.png, … of the PDF in `staging`; what went wrong appended to `problems`."""
    process = subprocess.Popen([pdftoppm, "-r", str(dpi), str(made), str(staging / "page")],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        _out, err = process.communicate(timeout=PDFTOPPM_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        problems.append((_("pdftoppm did not finish within {timeout:.0f} s").format(timeout=PDFTOPPM_TIMEOUT),
                         _("try again")))
        return
    if process.returncode != 0:
        problems.append((_("pdftoppm could not read the PDF: {error}").format(
            error=err.decode(errors="replace").strip()), _("try again")))
        return
    # pdftoppm numbers page-1.ppm or page-01.ppm, by the page count: name them 1.png, 2.png, …
    pngs = {}
    try:
        for ppm in staging.glob("page-*.ppm"):
            number = int(ppm.stem.split("-")[-1])
            pngs[number] = png_from_ppm(ppm.read_bytes())
            (staging / f"{number}.png").write_bytes(pngs[number])
            ppm.unlink()
    except (OSError, ValueError) as exc:
        problems.append((_("pdftoppm could not read the PDF: {error}").format(error=exc), _("try again")))
        return
    if pages_ready is not None:
        pages_ready([pngs[n] for n in sorted(pngs)])     # the caller's own; it must not raise


_PPM_HEADER = re.compile(rb"P6\s+(\d+)\s+(\d+)\s+255\s")


def png_from_ppm(ppm: bytes) -> bytes:
    """A binary PPM (8-bit RGB, as pdftoppm writes) as a PNG with the same pixels."""
    header = _PPM_HEADER.match(ppm)
    if header is None:
        raise ValueError("not an 8-bit binary PPM")
    width, height = int(header.group(1)), int(header.group(2))
    pixels = memoryview(ppm)[header.end():]
    stride = width * 3
    rows = b"".join(b"\x00" + pixels[r * stride:(r + 1) * stride] for r in range(height))  # filter 0: none

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows, 3)) + chunk(b"IEND", b""))


def _complete(folder: Path) -> bool:
    return (folder / LAYOUT_FILE).is_file() and (folder / PDF_FILE).is_file()


def _load(digest: str, folder: Path, cached: bool) -> Preview:
    saved = json.loads((folder / LAYOUT_FILE).read_text(encoding="utf-8"))
    layout = Layout([PageLayout(**p) for p in saved["pages"]], [Check(**c) for c in saved["checks"]])
    pages = [folder / f"{p.number}.png" for p in layout.pages]
    return Preview(digest, pages, folder / PDF_FILE, layout.pages, layout.checks, cached)
