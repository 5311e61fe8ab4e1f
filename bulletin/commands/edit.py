"""Edits of one issue's issue.yaml (the workbench's buttons): move or remove an article, the editor's
note, the 编辑/审核/签发 names. Each is checked, written atomically under the workspace lock, refused
for a published issue, and leaves issue.yaml's other lines as they were."""
from __future__ import annotations

from pathlib import Path

from bulletin.commands.records import edited_issue_yaml, refuse_published
from bulletin.errors import fail
from bulletin.i18n import _
from bulletin.model.keys import IssueKey
from bulletin.store.atomic import atomic_write
from bulletin.store.workspace import Workspace

PEOPLE = ("editor", "reviewer", "signer")


def _edit_issue(ws: Workspace, ref: str, edit) -> IssueKey:
    """`edit(node, meta)` on issue.yaml under the lock; the result validated before it is written."""
    from bulletin.model.files import IssueMeta
    from bulletin.store.loaders import parse_yaml, validate
    from bulletin.store.workspace import check_problems

    key = ws.resolve(ref)
    with ws.lock():
        ws.forget_issue(key)
        meta = refuse_published(ws, key, _("a published issue is frozen"))
        path, text = edited_issue_yaml(ws, key, lambda node: edit(node, meta))
        loaded = parse_yaml(text, Path(ws.rel(path)))
        check_problems(validate(IssueMeta, loaded).problems(), loaded)
        atomic_write(path, text)
        ws.forget_issue(key)
    return key


def _listed(meta, name: str) -> int:
    if name not in meta.articles:
        raise fail(name, None, _("the article is not in this issue"), _("reload the page to see the issue as it is now"))
    return meta.articles.index(name)


def move_article(ws: Workspace, ref: str, name: str, delta: int) -> IssueKey:
    """Move article `name` `delta` places later in the print order (-1: up one); at an end it stays."""
    def edit(node, meta):
        i = _listed(meta, name)
        j = max(0, min(len(meta.articles) - 1, i + delta))
        articles = node["articles"]
        articles.insert(j, articles.pop(i))
    return _edit_issue(ws, ref, edit)


def remove_article(ws: Workspace, ref: str, name: str) -> IssueKey:
    """Take article `name` out of the issue's list; its file stays in the folder (nothing is lost)."""
    def edit(node, meta):
        node["articles"].pop(_listed(meta, name))
    return _edit_issue(ws, ref, edit)


def set_editor_note(ws: Workspace, ref: str, text: str) -> IssueKey:
    """The issue's 编者按 (Markdown; empty: none)."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()

    def edit(node, meta):
        node["editor_note"] = LiteralScalarString(text + "\n") if "\n" in text else text
    return _edit_issue(ws, ref, edit)


def set_people(ws: Workspace, ref: str, people: dict[str, str]) -> IssueKey:
    """The names printed after 编辑, 审核 and 签发 (keys editor, reviewer, signer)."""
    unknown = set(people) - set(PEOPLE)
    if unknown:
        raise fail("people", None, _("unknown role {name!r}").format(name=sorted(unknown)[0]))

    def edit(node, meta):
        if node.get("people") is None:
            node["people"] = {}
        for role in PEOPLE:
            if role in people:
                node["people"][role] = " ".join(people[role].split())
    return _edit_issue(ws, ref, edit)
