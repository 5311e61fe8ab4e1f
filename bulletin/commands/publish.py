"""`bulletin publish`: check and proofread, render, freeze (status and checksums in issue.yaml)."""
from __future__ import annotations

import datetime as _dt
import hashlib

from bulletin.commands.check import check
from bulletin.commands.lint import lint
from bulletin.commands.records import (
    RenderReport,
    distribution_node,
    edited_issue_yaml,
    issue_sources,
    labeller,
    load_records,
    output_name,
    refuse_published,
)
from bulletin.commands.render import composed_docx
from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.i18n import _
from bulletin.model.keys import IssueKey
from bulletin.rules.permissions import LOCAL, Actor
from bulletin.store.atomic import atomic_write_many
from bulletin.store.workspace import Workspace

# Findings of `lint` that say how a character is printed rather than that the text is wrong; they do
# not stop `publish`.
PUBLISH_IGNORES = ("rare-char",)


def publish_findings(ws: Workspace, key: IssueKey) -> list[Diagnostic]:
    """What stops `publish`: the errors `check` finds in the issue (its numbering among the others
    included), every proofreading finding of `lint`, and an incomplete 编辑/审核/签发 line when the series
    requires it."""
    import re

    from bulletin.rules.numbering import check_numbering

    meta, loaded = ws.load_issue(key)
    series = ws.series().series
    shown = str(loaded.path)
    found = [d for d in check(ws, str(key)) if d.severity == "error"]
    found += [d for d in check_numbering(load_records(ws, []), series.first, labeller(ws)) if d.path == shown]
    lines, _fixed = lint(ws.root, [str(key)])
    for line in lines:
        m = re.match(r"(.+?:\d+:\d+): ([a-z-]+): (.*)", line)
        if m is None:
            found.append(Diagnostic(shown, None, line))
        elif m.group(2) not in PUBLISH_IGNORES:  # shown exactly as `lint` prints it
            found.append(Diagnostic(m.group(1), None, f"{m.group(2)}: {m.group(3)}"))
    missing = meta.printed_people().missing()
    if series.require_people and missing:
        names = _(", ").join(_("{word} ({name})").format(word=word, name=name) for name, word in missing)
        found.append(Diagnostic(shown, loaded.line_of(("people",)),
                                _("the 编辑/审核/签发 line is incomplete: {names} empty").format(names=names), "error",
                                _("fill in 'people:' — bulletin.toml asks for all three ([series] require_people = "
                                  "true)")))
    unique: list[Diagnostic] = []
    for d in found:
        if d not in unique:
            unique.append(d)
    return unique


def publish(ws: Workspace, ref: str, force: bool = False, reason: str = "", actor: Actor = LOCAL) -> RenderReport:
    """Check and proofread the issue, render it, set status published, record sha256 of the sources
    and of the .docx with the time, and the distribution as printed (published.distribution). What `publish_findings` finds refuses it, unless `force` with a
    `reason`, which is recorded with the findings under published.override. Asked of the permission
    check as `actor`: with accounts only a signed issue is published (commands.review.ensure_publish)."""
    from bulletin.commands.review import ensure_publish

    key = ws.resolve(ref)
    meta = refuse_published(ws, key, _("a published issue is frozen; correct it with 'bulletin render {key} "
                                       "--force --reason \"…\"', or publish a correction as a new issue").format(key=key))
    _meta, loaded = ws.load_issue(key)
    ensure_publish(ws, key, meta, actor)
    if force and not reason.strip():
        raise fail(loaded.path, None, _("--force needs --reason: say why the issue is published as it is"),
                   f"bulletin publish {key} --force --reason \"主任同意按原稿印发\"")
    findings = publish_findings(ws, key)
    if findings and not force:
        raise BulletinError(findings + [Diagnostic(str(loaded.path), None,
                                                   _("issue {key} was not published").format(key=key), "error",
                                                   _("fix the problems above, or publish anyway with --force "
                                                     "--reason \"…\" (recorded in issue.yaml)"))])
    from bulletin.rules.distribution import record_of

    issue, data = composed_docx(ws, key)
    target = ws.build_dir / output_name(ws, key, meta)
    sources = issue_sources(ws, key)
    now = _dt.datetime.now().replace(microsecond=0)
    # The distribution as printed, so next year's recipients.yaml changes nothing this issue prints.
    record = record_of(issue.distribution)

    def edit(node):
        node["status"] = "published"
        node["published"] = {"at": now, "sources": sources,
                             "output": {ws.rel(target): hashlib.sha256(data).hexdigest()}}
        if findings:
            node["published"]["override"] = {"reason": reason.strip(), "findings": [d.format() for d in findings]}
        node["published"]["distribution"] = distribution_node(record)
    issue_path, issue_text = edited_issue_yaml(ws, key, edit)
    # Both or neither: a .docx in build/ without the frozen issue.yaml would look published and is not.
    atomic_write_many({target: data, issue_path: issue_text})
    ws.forget_issue(key)
    return RenderReport(target, key)
