"""`bulletin site`: the static archive of the published, public issues, ready to upload.

Which issues may go public is decided here: published ones only, not changed since publishing, and
none with a marking (内部资料, 秘密 …) unless bulletin.toml sets `[web] public = true`. Every issue left
out is named with the reason. Everything is read and composed before the first file is written.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from bulletin.errors import fail
from bulletin.i18n import _
from bulletin.model.keys import IssueKey
from bulletin.store.atomic import atomic_write_many
from bulletin.store.workspace import Workspace

MANIFEST = ".bulletin-site"  # the files the last `site` wrote, so a new build removes the ones it no longer makes


@dataclass
class SiteReport:
    folder: Path
    included: list[IssueKey] = field(default_factory=list)
    left_out: list[tuple[IssueKey, str]] = field(default_factory=list)  # (issue, why)
    files: int = 0


def site(ws: Workspace, out: str | Path, year: int | None = None) -> SiteReport:
    from bulletin.commands.records import changed_sources, load_records
    from bulletin.commands.render import web_status
    from bulletin.content.compose import compose_issue
    from bulletin.render.html.site import Site

    folder = Path(out).expanduser()
    if folder.exists() and not folder.is_dir():
        raise fail(folder, None, _("is a file, not a folder"), _("name a folder for the archive, e.g. -o site/"))
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MANIFEST).is_file():
        raise fail(folder, None, _("is a folder that holds other files, not an archive made by 'bulletin site'"),
                   _("name a new or empty folder, e.g. -o site/"))
    report = SiteReport(folder)
    issues = []
    for record in load_records(ws):
        key, meta = record.key, record.meta
        if year is not None and key.year != year:
            continue
        if meta.status != "published":
            report.left_out.append((key, _("not published")))
            continue
        if changed_sources(ws, key, meta):
            report.left_out.append((key, _("its sources changed since it was published (correct it with "
                                           "'bulletin render {key} --force --reason \"…\"')").format(key=key)))
            continue
        issue = compose_issue(ws, key)
        if why := web_status(issue):
            report.left_out.append((key, _("{why}, for internal circulation ([web] public = true in bulletin.toml "
                                           "publishes it)").format(why=why)))
            continue
        issues.append(issue)
        report.included.append(key)
    files = Site(ws.preset(), ws.series().web.show_distribution).build(issues)
    previous = set()
    if (folder / MANIFEST).is_file():
        previous = set((folder / MANIFEST).read_text(encoding="utf-8").split("\n")) - {""}
    writes: dict[Path, bytes | str] = {folder / name: data for name, data in files.items()}
    writes[folder / MANIFEST] = "".join(f"{name}\n" for name in files)
    atomic_write_many(writes)
    for name in sorted(previous - set(files)):
        stale = folder / name
        if ".." not in Path(name).parts and stale.is_file():
            stale.unlink()
    report.files = len(files)
    return report
