"""`bulletin compile`: the year's bound volume of published issues."""
from __future__ import annotations

from pathlib import Path

from bulletin.commands.records import RenderReport, changed_sources, chosen_output, shown_changes
from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.i18n import _
from bulletin.store.atomic import atomic_write
from bulletin.store.workspace import Workspace


def compile_year(ws: Workspace, year: int, out: Path | None = None, drafts: bool = False) -> RenderReport:
    """The year's bound volume: every published issue in order (regular, then supplements and specials
    by date), bound from sources that still match their checksums; drafts only with `drafts`, marked
    （草稿） in the contents."""
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
                problems.append(Diagnostic(str(loaded.path), loaded.line_of(("status",)),
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
    target = chosen_output(out, ws.build_dir, f"{ws.series().series.name}-{year}-合订本.docx")
    atomic_write(target, data)
    notes = [_("left out {count} draft(s) not published: {drafts}; bind them too with --drafts")
             .format(count=len(left_out), drafts=_(", ").join(left_out))] if left_out else []
    return RenderReport(target, keys[0], notes)
