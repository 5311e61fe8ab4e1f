"""`bulletin new`: allocate the next number under the workspace lock and create the issue folder."""
from __future__ import annotations

import datetime as _dt
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from bulletin.commands.records import labeller, load_records
from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.i18n import _
from bulletin.model.keys import IssueKey
from bulletin.store.atomic import missing_folders
from bulletin.store.workspace import ISSUE_FILE, Workspace


@dataclass
class NewReport:
    key: IssueKey
    total: int | None
    label: str
    notes: list[str]


def new_issue(ws: Workspace, date: _dt.date | None = None, kind: str = "regular", theme: str = "") -> NewReport:
    """Allocate the next number under the workspace lock and create the issue folder atomically."""
    import contextlib
    import tempfile

    from bulletin.model.files import IssueMeta
    from bulletin.rules.numbering import later_issue, next_issue
    from bulletin.store.templates import render_template

    date = date or _dt.date.today()
    series = ws.series()
    ws.recipients()
    number_label = labeller(ws)
    with ws.lock() as notes:
        diagnostics: list[Diagnostic] = []
        records = load_records(ws, diagnostics)
        if diagnostics:
            raise BulletinError(diagnostics + [Diagnostic("issues", None, _("fix these issues before allocating "
                                                                            "a new number"), "error")])
        later = later_issue(records, date, kind)
        if later is not None:
            raise fail(later.loaded.path, later.line("date"),
                       _("{label} of {year} is dated {later}, after {date}: the new issue's number would not follow "
                         "the dates").format(label=number_label(later.meta), year=later.key.year,
                                             later=later.meta.date.isoformat(), date=date.isoformat()),
                       _("date the new issue {later} or later, or correct the date of that issue")
                       .format(later=later.meta.date.isoformat()))
        key, total = next_issue(records, series.series.first, date, kind)
        text = render_template("issue.yaml.j2", {"number": key.number, "total": total, "kind": kind,
                                                 "date": date.isoformat(), "theme": theme}, ws.templates_dir)
        check_new_issue(text, ws, key)
        meta = IssueMeta.model_validate({"number": key.number, "total": total, "date": date, "kind": kind,
                                         "theme": theme})
        folder = ws.issue_dir(key)
        made = missing_folders([folder])  # issues/2027/, even issues/ itself
        folder.parent.mkdir(parents=True, exist_ok=True)
        # Build the folder under a temporary name, then rename: never a half-made issue.
        tmp = None
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.", dir=folder.parent))
            with open(tmp / ISSUE_FILE, "w", encoding="utf-8") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.rename(tmp, folder)
        except BaseException:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            for made_dir in made:
                with contextlib.suppress(OSError):
                    made_dir.rmdir()
            raise
    return NewReport(key, total, number_label(meta), notes)


def check_new_issue(text: str, ws: Workspace, key: IssueKey) -> None:
    """The issue.yaml a template produced must be valid and carry the allocated numbers."""
    from bulletin.model.files import IssueMeta
    from bulletin.store.loaders import parse_yaml, validate

    shown = Path("templates/issue.yaml.j2")
    loaded = parse_yaml(text, shown)
    meta = validate(IssueMeta, loaded)
    if (meta.number, meta.kind) != (key.number, key.kind):
        raise fail(shown, loaded.line_of(("number",)), _("the template must print number: {{ number }} and "
                                                         "kind: {{ kind }}"),
                   _("keep those lines of the built-in template"))
