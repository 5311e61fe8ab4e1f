"""What several commands share: every issue's record, output names, checksums of sources, the frozen-issue guard.

Commands return data (reports) for a front end to show and raise BulletinError for the user's
mistakes; nothing is written until every input has been read and checked.
"""
from __future__ import annotations

import io
import os
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.i18n import N_, _
from bulletin.model.keys import IssueKey
from bulletin.store.workspace import ISSUE_FILE, Workspace


def load_records(ws: Workspace, diagnostics: list[Diagnostic] | None = None, keys=None):
    """Every issue (or those of `keys`) that validates, as numbering records; problems go to
    `diagnostics` when given, else raise."""
    from bulletin.rules.numbering import IssueRecord

    records = []
    for key in ws.issue_keys() if keys is None else keys:
        try:
            meta, loaded = ws.load_issue(key)
        except BulletinError as exc:
            if diagnostics is None:
                raise
            diagnostics += exc.diagnostics
            continue
        records.append(IssueRecord(key, meta, loaded))
    return records


def labeller(ws: Workspace):
    """`meta → 第10期（总第30期）` with the workspace preset's labels (render.words.number_label)."""
    from functools import partial

    from bulletin.render.words import number_label

    return partial(number_label, labels=ws.preset().labels)


def numberer(ws: Workspace):
    """`meta → 第10期` (增刊第1期, 专刊第1期) without the total: where 总期号 has a column of its own."""
    from functools import partial

    from bulletin.render.words import issue_number

    return partial(issue_number, labels=ws.preset().labels)


def output_name(ws: Workspace, key: IssueKey, meta) -> str:
    """`<name>-2009-第10期.docx` (增刊第1期 / 专刊第1期 for the other kinds; the preset's labels)."""
    from bulletin.render.words import file_stem

    return file_stem(ws.series().series.name, key.year, meta, ws.preset().labels) + ".docx"


def output_path(ws: Workspace, key: IssueKey, meta, out: str | Path | None) -> Path:
    """Where `render` writes: `-o FILE`; `-o FOLDER` (an existing folder, or a new one written with a
    trailing slash, made when the file is written) gets the usual file name inside it; without -o,
    build/<name>-<year>-第N期.docx."""
    return chosen_output(out, ws.build_dir, output_name(ws, key, meta))


def chosen_output(out: str | Path | None, build_dir: Path, usual_name: str) -> Path:
    """`-o FILE.docx` as given; `-o FOLDER` or `-o NEW/` → FOLDER/usual_name; no -o → build/usual_name."""
    if out is None:
        return build_dir / usual_name
    text = str(out)
    folder = text.endswith(("/", os.sep))  # `-o 送审/`: a folder, even one that is not there yet
    out = Path(text).expanduser()
    if out.is_dir() or folder:
        if out.exists() and not out.is_dir():
            raise fail(out, None, _("is a file, not a folder"), _("write -o FILE.docx, or name a folder"))
        return out / usual_name
    if out.suffix.lower() != ".docx":
        raise fail(out, None, _("the output file must end in .docx"),
                   _("write -o {file}, or -o {folder}/ for a folder (made if needed) that keeps the usual name")
                   .format(file=out.with_suffix('.docx').name, folder=out.name))
    return out


@dataclass
class RenderReport:
    path: Path
    key: IssueKey
    notes: list[str] = field(default_factory=list)


def sha256_of(path: Path) -> str:
    import hashlib  # only for checksums: its import (OpenSSL) is not free
    return hashlib.sha256(path.read_bytes()).hexdigest()


def issue_sources(ws: Workspace, key: IssueKey) -> dict[str, str]:
    """sha256 of every source file in the issue folder except issue.yaml (which publishing edits)."""
    folder = ws.issue_dir(key)
    return {p.relative_to(folder).as_posix(): sha256_of(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ISSUE_FILE and not p.name.startswith(".")}


# The recorded distribution as changed_sources() names it: the key path of the record in issue.yaml.
DISTRIBUTION_RECORD = "published.distribution"


def changed_sources(ws: Workspace, key: IssueKey, meta) -> list[str]:
    """Source files changed, added or removed since the issue was published: `name (changed)`, as
    issue.yaml records them (shown_changes() says them in the reader's language); and the recorded
    distribution, `published.distribution (changed)`, when it no longer matches its own checksum."""
    if not meta.published:
        return []
    recorded, now = meta.published.sources, issue_sources(ws, key)
    out = [f"{name} (changed)" for name in recorded if name in now and now[name] != recorded[name]]
    out += [f"{name} (removed)" for name in recorded if name not in now]
    out += [f"{name} (added)" for name in now if name not in recorded]
    record = meta.published.distribution
    if record is not None and record.digest() != record.sha256:
        out.append(f"{DISTRIBUTION_RECORD} (changed)")
    return sorted(out)


def changed_line(loaded, name: str) -> int | None:
    """The line of issue.yaml a change found by changed_sources() is reported on: the record's own for
    the recorded distribution, `status:` for a source file."""
    if name.startswith(DISTRIBUTION_RECORD + " "):
        return loaded.line_of(("published", "distribution"))
    return loaded.line_of(("status",))


_CHANGES = {" (changed)": N_("{name} (changed)"), " (removed)": N_("{name} (removed)"),
            " (added)": N_("{name} (added)")}


def shown_changes(changed: list[str]) -> str:
    """The changes changed_sources() found, listed for a message in the reader's language."""
    shown = []
    for change in changed:
        for tag, message in _CHANGES.items():
            if change.endswith(tag):
                change = _(message).format(name=change[:-len(tag)])
                break
        shown.append(change)
    return _(", ").join(shown)


def edited_issue_yaml(ws: Workspace, key: IssueKey, edit) -> tuple[Path, str]:
    """issue.yaml's path and its text after `edit(node)`, round-trip (comments and key order kept);
    nothing is written, so a command can write it together with its other files."""
    from bulletin.store.loaders import yaml_writer

    path = ws.issue_dir(key) / ISSUE_FILE
    # Lines the edit did not touch come back as written, so the change reads as one change in a diff.
    yaml = yaml_writer()
    node = yaml.load(path.read_text(encoding="utf-8"))
    edit(node)
    buffer = io.StringIO()
    yaml.dump(node, buffer)
    return path, buffer.getvalue()


def distribution_node(record):
    """The recorded distribution (a PublishedDistribution) as issue.yaml holds it under published: one
    recipient a line, `- {role: 报, id: shiwei, name: 市委办公室, copies: 2}`, in print order."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    recipients = CommentedSeq()
    for r in record.recipients:
        item = CommentedMap([("role", r.role), ("id", r.id), ("name", r.name), ("copies", r.copies)])
        item.fa.set_flow_style()
        recipients.append(item)
    extra = CommentedSeq(record.extra)
    if not record.extra:
        extra.fa.set_flow_style()
    return CommentedMap([("recipients", recipients), ("extra", extra), ("archive_copies", record.archive_copies),
                         ("copies", record.copies), ("sha256", record.sha256)])


def refuse_published(ws: Workspace, key: IssueKey, hint: str | None = None):
    """The issue's metadata; BulletinError when it is published. The one check of every command that
    writes into an issue (add, lint --fix, publish); `hint` says what to do instead."""
    meta, loaded = ws.load_issue(key)
    if meta.status == "published":
        if hint is None:
            hint = _("add the article to the next issue ('bulletin new')")
        raise fail(loaded.path, loaded.line_of(("status",)), _("issue {key} is published and frozen").format(key=key),
                   hint)
    return meta


def refuse_frozen(ws: Workspace, key: IssueKey, hint: str | None = None):
    """The issue's metadata, for a command about to edit it: BulletinError when it is published
    (refuse_published) or signed off — a signed issue is what the signer approved for print, so it
    changes only after the signer has 退回 it."""
    meta = refuse_published(ws, key, hint)
    if meta.status == "signed":
        _meta, loaded = ws.load_issue(key)
        raise fail(loaded.path, loaded.line_of(("status",)),
                   _("issue {key} is signed off (已签发) and cannot be edited").format(key=key),
                   _("the signer returns it (退回) first; it then goes through review again"))
    return meta


# An edit of an issue waiting for review or reviewed sends it back to draft: what was reviewed is no
# longer what would be printed. The step is recorded, so the reviewer sees why it left their queue.
REOPENED = ("submitted", "approved")


def reopen(node, meta) -> None:
    """issue.yaml's `node` (being edited) back to draft with a `reopen` step when `meta` is submitted or
    approved; nothing otherwise. The one rule every edit of an issue's files applies."""
    if meta.status not in REOPENED:
        return
    from bulletin.commands.review import add_step, now

    node["status"] = "draft"
    add_step(node, "reopen", "", now(), "")


def reopened_files(ws: Workspace, key: IssueKey, meta) -> dict[Path, str]:
    """For an edit that writes only article files: issue.yaml sent back to draft (reopen), to be
    written with them; empty when the issue is a draft."""
    if meta.status not in REOPENED:
        return {}
    path, text = edited_issue_yaml(ws, key, lambda node: reopen(node, meta))
    return {path: text}


def refuse_published_files(paths) -> dict[Path, str]:
    """BulletinError when one of the article files `paths` lies in a published or signed issue's folder
    (issues/YYYY/NN/ of a workspace); `lint --fix` takes files as well as issues. The issue.yaml
    writes that send the others' submitted or approved issues back to draft (reopened_files), for
    the caller to write with the files when it changes them."""
    from bulletin.model.keys import parse_folder_name

    reopened: dict[Path, str] = {}
    for path in paths:
        folder = Path(path).resolve().parent
        parsed = parse_folder_name(folder.name)
        if not (parsed and (folder / ISSUE_FILE).is_file() and folder.parent.name.isdigit()
                and folder.parent.parent.name == "issues"):
            continue
        key = IssueKey(int(folder.parent.name), parsed[0], parsed[1], folder.name)
        ws = Workspace(folder.parents[2])
        try:
            ws.load_issue(key)
        except BulletinError:  # an issue.yaml that does not read is not known to be published
            continue
        meta = refuse_frozen(ws, key, _("a published issue is frozen: run lint without --fix to see the findings; a "
                                        "correction is edited by hand and recorded with 'bulletin render {key} "
                                        "--force --reason \"…\"'").format(key=key))
        reopened.update(reopened_files(ws, key, meta))
    return reopened
