"""`bulletin compile`: the year's bound volume of published issues."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bulletin.commands.records import RenderReport, changed_line, changed_sources, chosen_output, shown_changes
from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.i18n import _
from bulletin.model.keys import IssueKey
from bulletin.store.atomic import atomic_write
from bulletin.store.workspace import Workspace


@dataclass
class Volume:
    """A year's bound volume as bytes (nothing written): the .docx, its usual file name
    (`<name>-2026-合订本.docx`), the first issue's key and notes for the reader (drafts left out)."""

    data: bytes
    filename: str
    first: IssueKey
    notes: list[str] = field(default_factory=list)


def compile_year(ws: Workspace, year: int, out: Path | None = None, drafts: bool = False) -> RenderReport:
    """The year's bound volume written to `out` (default build/<name>-<year>-合订本.docx): see
    build_volume."""
    volume = build_volume(ws, year, drafts)
    target = chosen_output(out, ws.build_dir, volume.filename)
    atomic_write(target, volume.data)
    return RenderReport(target, volume.first, volume.notes)


def volume_filename(ws: Workspace, year: int) -> str:
    return f"{ws.series().series.name}-{year}-合订本.docx"


def build_volume(ws: Workspace, year: int, drafts: bool = False) -> Volume:
    """The year's bound volume: every published issue in order (regular, then supplements and specials
    by date), bound from sources that still match their checksums; drafts only with `drafts`, marked
    （草稿） in the contents. BulletinError when the year has no issue, or no published one."""
    from bulletin.content.compose import compose_issue
    from bulletin.render.docx.volume import compile_volume

    keys = [k for k in ws.issue_keys() if k.year == year]
    if not keys:
        raise fail(ws.rel(ws.root / "issues"), None, _("there are no issues of {year}").format(year=year),
                   _("'bulletin list' shows the years that have issues"))
    issues, problems, left_out = [], [], []
    for key in keys:
        try:
            meta, loaded = ws.load_issue(key)
            if meta.status != "published" and not drafts:
                left_out.append(str(key))
                continue
            for name in changed_sources(ws, key, meta) if meta.status == "published" else []:
                problems.append(Diagnostic(str(loaded.path), changed_line(loaded, name),
                                           _("published issue {key} changed since publishing: {name}")
                                           .format(key=key, name=shown_changes([name])), "error",
                                           _("restore the file, or record the correction with 'bulletin render "
                                             "{key} --force --reason \"…\"'").format(key=key)))
            issues.append(compose_issue(ws, key))
        except BulletinError as exc:
            problems += exc.diagnostics
    if problems:
        raise BulletinError(problems)
    if not issues:
        raise fail(ws.rel(ws.root / "issues" / str(year)), None,
                   _("there are no published issues of {year}").format(year=year),
                   _("publish them ('bulletin publish ISSUE'), or bind the drafts with --drafts"))
    issues.sort(key=lambda i: (i.meta.date, i.meta.kind != "regular", i.meta.number))
    data = compile_volume(issues, ws.preset(), year)
    notes = [_("left out {count} draft(s) not published: {drafts}; bind them too with --drafts")
             .format(count=len(left_out), drafts=_(", ").join(left_out))] if left_out else []
    return Volume(data, volume_filename(ws, year), keys[0], notes)


def volume_pdf(ws: Workspace, year: int, cache_dir: Path | None = None) -> tuple[Volume, Path]:
    """The bound volume and its PDF, converted by LibreOffice as `bulletin compile YEAR --pdf` converts
    it, kept by the .docx's sha256 beside the preview's pages (`<cache>/volume-<hash>/`), so an
    unchanged volume is converted once. BulletinError when LibreOffice is missing."""
    import hashlib
    import os
    import shutil
    import tempfile

    from bulletin.commands.preview import default_cache
    from bulletin.office import pdf as pdf_mod

    volume = build_volume(ws, year)
    digest = hashlib.sha256(volume.data).hexdigest()
    cache = Path(cache_dir) if cache_dir is not None else default_cache(ws)
    folder = cache / f"volume-{digest}"
    pdf = folder / Path(volume.filename).with_suffix(".pdf").name
    if pdf.is_file():
        return volume, pdf
    pdf_mod.require_soffice(ws.rel(ws.root / "issues" / str(year)))
    cache.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".volume-{digest[:12]}-", dir=cache))
    try:
        docx = staging / volume.filename
        docx.write_bytes(volume.data)
        pdf_mod.convert(docx, staging)
        docx.unlink()
        try:
            os.rename(staging, folder)    # whole or not at all, as the preview's folders
        except OSError:
            if not pdf.is_file():
                raise
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    return volume, pdf
