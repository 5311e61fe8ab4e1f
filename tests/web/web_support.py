"""Helpers for the workbench tests: parse pages with html5lib."""
from __future__ import annotations

import html5lib

NS = {"h": "http://www.w3.org/1999/xhtml"}


def parse(text: str):
    return html5lib.parse(text, namespaceHTMLElements=False)


def text_of(node) -> str:
    return "".join(node.itertext()).strip()


def labelled_controls(doc) -> list[tuple[str, str]]:
    """(control id, its label's text) of every input, select and textarea that is not hidden; asserts each has one."""
    labels = {label.get("for"): text_of(label) for label in doc.iter("label")}
    out = []
    for tag in ("input", "select", "textarea"):
        for control in doc.iter(tag):
            if control.get("type") == "hidden":
                continue
            cid = control.get("id")
            assert cid and labels.get(cid), f"<{tag} name={control.get('name')}> has no <label for>"
            out.append((cid, labels[cid]))
    return out


def buttons(doc) -> list[str]:
    return [text_of(b) for b in doc.iter("button")]


def form_token(ws, session: str = "") -> str:
    """The form token of the workspace at `ws` for `session` (none: without accounts, or not signed in)."""
    from bulletin.accounts.store import AccountStore
    from bulletin.store.workspace import Workspace

    return AccountStore(Workspace(ws)).form_token(session)
