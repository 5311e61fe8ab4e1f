"""`bulletin render`: compose an issue, write the .docx; a forced re-render of a published issue records why."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from bulletin.commands.records import (
    DISTRIBUTION_RECORD,
    RenderReport,
    changed_line,
    changed_sources,
    distribution_node,
    edited_issue_yaml,
    issue_sources,
    output_path,
    shown_changes,
)
from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.i18n import _
from bulletin.model.keys import IssueKey
from bulletin.rules.distribution import record_of
from bulletin.store.atomic import atomic_write_many
from bulletin.store.workspace import Workspace


def build_docx(ws: Workspace, key: IssueKey) -> bytes:
    """Compose and write one issue to .docx bytes (no file written)."""
    return composed_docx(ws, key)[1]


def composed_docx(ws: Workspace, key: IssueKey):
    """The composed issue and its .docx bytes: what `publish` records is what was printed."""
    from bulletin.content.compose import compose_issue
    from bulletin.render.docx.writer import DocxWriter

    issue = compose_issue(ws, key)
    return issue, DocxWriter(ws.preset()).render(issue)


def render(ws: Workspace, ref: str, out: Path | None = None, force: bool = False,
           reason: str = "") -> RenderReport:
    """Write the issue's .docx. A published issue whose sources (or recorded distribution) changed is
    refused unless `force` with a `reason`: then the correction (when, why, what changed) is added to
    its history in issue.yaml and the new checksums replace the published ones, so `check` passes
    again. `force` on an issue published before its distribution was recorded records it (the
    distribution it prints now), so recipients.yaml may change under it from then on."""
    from bulletin.rules.distribution import recorded

    key = ws.resolve(ref)
    meta, loaded = ws.load_issue(key)
    if force and not reason.strip():
        raise fail(loaded.path, None, _("--force needs --reason: say why the published issue is corrected"),
                   f"bulletin render {key} --force --reason \"更正第2篇标题错字\"")
    notes: list[str] = []
    changed = []
    if meta.status == "published" and meta.published:
        changed = changed_sources(ws, key, meta)
        if changed and not force:
            raise BulletinError([Diagnostic(str(loaded.path), changed_line(loaded, changed[0]),
                                            _("issue {key} is published and its sources changed since: {changes}")
                                            .format(key=key, changes=shown_changes(changed)), "error",
                                            _("undo the changes, or record the correction with 'bulletin render {key} "
                                              "--force --reason \"…\"'").format(key=key))])
    freeze = force and meta.status == "published" and recorded(meta) is None
    issue, data = composed_docx(ws, key)
    target = output_path(ws, key, meta, out)
    files: dict[Path, bytes | str] = {target: data}
    if force and (changed or freeze):
        if changed:
            notes.append(_("correction of published issue {key} recorded in {path}: {reason}")
                         .format(key=key, path=loaded.path, reason=reason.strip()))
        if freeze:
            notes.append(_("the distribution issue {key} prints is recorded in {path}: editing recipients.yaml no "
                           "longer changes it").format(key=key, path=loaded.path))
            changed = [*changed, f"{DISTRIBUTION_RECORD} (added)"]
        issue_path, issue_text = forced_record(ws, key, changed, reason.strip(), target, data,
                                               record_of(issue.distribution) if freeze else None)
        files[issue_path] = issue_text
    atomic_write_many(files)
    ws.forget_issue(key)
    return RenderReport(target, key, notes)


def forced_record(ws: Workspace, key: IssueKey, changed: list[str], reason: str, target: Path,
                  data: bytes, record=None) -> tuple[Path, str]:
    """issue.yaml after an authorised correction: one more entry under published.forced (when, why,
    which sources had changed), and the checksums of the corrected sources and .docx as published.
    `record` (a PublishedDistribution) is written as the distribution of an issue that had none; a
    recorded distribution corrected by hand keeps its lines and gets its checksum again."""
    now = _dt.datetime.now().replace(microsecond=0)
    sources = issue_sources(ws, key)
    meta, _loaded = ws.load_issue(key)

    def edit(node):
        if node.get("published") is None:  # `status: published` set by hand: frozen from now on
            node["published"] = {"at": now, "sources": {}, "output": {}}
        published = node["published"]
        forced = published.setdefault("forced", [])
        forced.append({"at": now, "reason": reason, "changed": list(changed)})
        published["sources"] = sources
        import hashlib  # only for checksums: its import (OpenSSL) is not free
        published["output"] = {ws.rel(target): hashlib.sha256(data).hexdigest()}
        if record is not None:
            published["distribution"] = distribution_node(record)
        elif meta.published and meta.published.distribution:
            published["distribution"]["sha256"] = meta.published.distribution.digest()
    return edited_issue_yaml(ws, key, edit)


def web_status(issue) -> str:
    """Why an issue may not go public, or "": its marking (the issue's or the series') unless
    bulletin.toml sets `[web] public = true`."""
    from bulletin.render.words import marking

    mark = marking(issue)
    if mark and not issue.series.web.public:
        return _("it is marked “{marking}”").format(marking=mark)
    return ""


def _web_edition(ws: Workspace, key):
    from bulletin.content.compose import compose_issue
    from bulletin.render.html.page import issue_files

    issue = compose_issue(ws, key)
    return issue, issue_files(issue, ws.preset(), issue.series.web.show_distribution)


def web_edition(ws: Workspace, ref: str) -> dict[str, bytes]:
    """The issue's web edition as `render --html` writes it (index.html, its stylesheet and pictures, by
    relative path), in memory: the workbench shows published issues read-only with it."""
    return _web_edition(ws, ws.resolve(ref))[1]


def render_html(ws: Workspace, ref: str, out: str | Path | None = None) -> RenderReport:
    """Write the issue's web edition into a folder (default build/<name>-<year>-第N期/): index.html,
    its stylesheet and its pictures. An internal issue is written too, for the office's own look,
    with a note that the archive leaves it out."""
    from bulletin.commands.records import output_name

    key = ws.resolve(ref)
    meta, _loaded = ws.load_issue(key)
    issue, files = _web_edition(ws, key)
    folder = Path(out).expanduser() if out is not None else ws.build_dir / output_name(ws, key, meta)[:-len(".docx")]
    if (folder.exists() and not folder.is_dir()) or folder.suffix.lower() in (".html", ".htm", ".docx"):
        raise fail(folder, None, _("the web edition is a folder (index.html, its stylesheet and pictures), not "
                                   "one file"), _("name a folder for the web edition, e.g. -o web/"))
    notes = []
    if why := web_status(issue):
        notes.append(_("issue {key} is for internal circulation: {why}; this page is for the office's own look, "
                       "and 'bulletin site' leaves it out (set [web] public = true in bulletin.toml to publish "
                       "it)").format(key=key, why=why))
    atomic_write_many({folder / name: data for name, data in files.items()})
    return RenderReport(folder / "index.html", key, notes)
