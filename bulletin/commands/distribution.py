"""Edits of one issue's distribution in issue.yaml (the workbench's 分发 section): the named lists it
goes to, a directory recipient added or taken out for this issue, a one-off 本期增发 line, the 共印
override. Each is checked against recipients.yaml (an unknown list or recipient is named with a
suggestion), written under the workspace lock, atomically, refused for a published issue, and leaves
issue.yaml's other lines as they were (commands.edit's round trip).

The spec is `lists − remove + add, + extra` (rules.distribution.resolve): taking out a recipient that
came from a list writes it under `remove`, and adding it back takes it off `remove`; a recipient from
no list is added under `add`, and taking it out takes it off `add`.
"""
from __future__ import annotations

from bulletin.commands.directory import FormRefused, refused, suggestion
from bulletin.commands.edit import _edit_issue
from bulletin.errors import BulletinError, Diagnostic
from bulletin.i18n import _
from bulletin.model.keys import IssueKey
from bulletin.rules.distribution import ROLES, from_record, recorded, resolve
from bulletin.store.workspace import Workspace

MAX_EXTRA = 100


def list_label(name: str) -> str:
    """How a page names a list: recipients.yaml gives a list only its id, and `default` (the list an
    issue naming none goes to) reads as words; any other id is the name the office chose."""
    return _("Default list") if name == "default" else name


def _distribution_node(node):
    """issue.yaml's `distribution:` mapping, made when the file has none."""
    from ruamel.yaml.comments import CommentedMap

    if node.get("distribution") is None:
        node["distribution"] = CommentedMap()
    return node["distribution"]


def _seq(node, field: str) -> list:
    """distribution[field] as a sequence node, made when missing. Ids (lists, add, remove) go on one
    line, `[a, b]`, when the file says nothing of their style (`[]`); 本期增发 names one a line."""
    from ruamel.yaml.comments import CommentedSeq

    dist = _distribution_node(node)
    if not isinstance(dist.get(field), list):
        dist[field] = CommentedSeq()
    seq = dist[field]
    if not seq:
        if field == "extra":
            seq.fa.set_block_style()
        else:
            seq.fa.set_flow_style()
    return seq


def _edit(ws: Workspace, ref: str, change) -> IssueKey:
    """`change(node, meta, directory)` on issue.yaml, recipients.yaml read again under the lock."""
    def edit(node, meta):
        ws.forget_recipients()
        change(node, meta, ws.recipients())
    return _edit_issue(ws, ref, edit)


def _shown(ws: Workspace) -> str:
    return ws.rel(ws.recipients_path)


def _from_lists(spec, directory) -> set[str]:
    names = spec.lists or (["default"] if "default" in directory.lists else [])
    return {rid for name in names for rid in directory.lists.get(name, [])}


def _recipient(ws: Workspace, directory, rid: str):
    known = directory.by_id()
    if rid not in known:
        raise refused("recipient", _shown(ws), _("there is no recipient {id!r} in recipients.yaml").format(id=rid),
                      suggestion(rid, known) or _("choose one of the directory's recipients"))
    return known[rid]


def set_lists(ws: Workspace, ref: str, names: list[str]) -> IssueKey:
    """The issue goes to the named lists `names` (in the directory's order)."""
    names = [str(n).strip() for n in names]

    def change(node, meta, directory):
        problems = [("lists", Diagnostic(_shown(ws), None,
                                         _("there is no list {name!r} in recipients.yaml").format(name=name), "error",
                                         suggestion(name, directory.lists)))
                    for name in names if name not in directory.lists]
        if not names and "default" in directory.lists:
            problems.append(("lists", Diagnostic(_shown(ws), None, _("choose at least one list"), "error",
                                                 _("with none chosen the issue goes to the list 'default'"))))
        if problems:
            raise FormRefused(problems)
        seq = _seq(node, "lists")
        del seq[:]
        seq.extend(name for name in directory.lists if name in names)
        if not seq:
            seq.fa.set_flow_style()
    return _edit(ws, ref, change)


def add_recipient(ws: Workspace, ref: str, rid: str) -> IssueKey:
    """Directory recipient `rid` receives this issue: off `remove`, and under `add` unless a list of
    the issue brings it."""
    rid = str(rid or "").strip()

    def change(node, meta, directory):
        _recipient(ws, directory, rid)
        spec = meta.distribution
        remove = _seq(node, "remove")
        while rid in remove:
            remove.remove(rid)
        if rid not in _from_lists(spec, directory) and rid not in spec.add:
            _seq(node, "add").append(rid)
    return _edit(ws, ref, change)


def remove_recipient(ws: Workspace, ref: str, rid: str) -> IssueKey:
    """Directory recipient `rid` does not receive this issue: off `add`, and under `remove` when a
    list of the issue brings it."""
    rid = str(rid or "").strip()

    def change(node, meta, directory):
        _recipient(ws, directory, rid)
        spec = meta.distribution
        add = _seq(node, "add")
        while rid in add:
            add.remove(rid)
        if rid in _from_lists(spec, directory) and rid not in spec.remove:
            _seq(node, "remove").append(rid)
    return _edit(ws, ref, change)


def _extra_text(value) -> str:
    from bulletin.cjk import one_line

    return one_line(str(value or ""))


def add_extra(ws: Workspace, ref: str, name: str) -> IssueKey:
    """A one-off recipient of this issue only, printed on the 本期增发 line (one copy)."""
    text = _extra_text(name)

    def change(node, meta, directory):
        path = ws.rel(ws.issue_dir(ws.resolve(ref)) / "issue.yaml")
        if not text:
            raise refused("extra", path, _("the name must not be empty"),
                          _("write the unit or person who gets this issue only, e.g. 市档案馆"))
        if len(text) > MAX_EXTRA:
            raise refused("extra", path, _("the name is longer than {n} characters").format(n=MAX_EXTRA))
        if text in meta.distribution.extra:
            raise refused("extra", path, _("{name} is on the 本期增发 line already").format(name=text))
        same = [r for r in directory.recipients if r.name == text]
        if same:
            raise refused("extra", path, _("{name} is in the recipient directory ({id})").format(name=text, id=same[0].id),
                          _("add it from the directory instead, so its copies count"))
        _seq(node, "extra").append(text)
    return _edit(ws, ref, change)


def remove_extra(ws: Workspace, ref: str, name: str) -> IssueKey:
    """One 本期增发 line out of the issue."""
    text = _extra_text(name)

    def change(node, meta, directory):
        extra = _seq(node, "extra")
        if text not in extra:
            path = ws.rel(ws.issue_dir(ws.resolve(ref)) / "issue.yaml")
            raise refused("extra", path, _("{name} is not on the 本期增发 line").format(name=text),
                          _("reload the page to see the issue as it is now"))
        extra.remove(text)
    return _edit(ws, ref, change)


def set_copies(ws: Workspace, ref: str, copies) -> IssueKey:
    """共印 set by hand (`copies:`), or, when `copies` is None or "", worked out again from the
    distribution. An override is a whole number no smaller than the copies sent out."""
    text = "" if copies is None else str(copies).strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))

    def change(node, meta, directory):
        path = ws.rel(ws.issue_dir(ws.resolve(ref)) / "issue.yaml")
        if not text:
            if "copies" in node:
                node["copies"] = None
            return
        if not text.isdigit() or int(text) < 1:
            raise refused("copies", path, _("共印 must be a whole number, 1 or more, not {value!r}").format(value=text),
                          _("leave it empty to count the copies from the distribution"))
        dist, _problems = resolve(meta.distribution, directory, ws.series().print_settings.archive_copies)
        if int(text) < dist.recipient_copies:
            raise refused("copies", path, _("共印 {copies} is fewer than the {sent} copies sent out").format(
                copies=int(text), sent=dist.recipient_copies),
                _("print at least {sent}, or leave it empty to count them").format(sent=dist.recipient_copies))
        node["copies"] = int(text)
    return _edit(ws, ref, change)


def distribution_view(ws: Workspace, ref: str) -> dict:
    """What the issue page's 分发 section shows: the directory's lists (chosen or not, with their
    copies), the recipients by role (from a list or added), those taken out (to add back), the
    directory's recipients not in the issue, 本期增发, and the copies: sent out, archive, 共印."""
    key = ws.resolve(ref)
    meta, loaded = ws.load_issue(key)
    directory = ws.recipients()
    if recorded(meta) is not None:
        return recorded_view(ws, key, meta)
    dist, problems = resolve(meta.distribution, directory, ws.series().print_settings.archive_copies, meta.copies)
    if problems:
        raise BulletinError([Diagnostic(str(loaded.path), loaded.line_of(loc), msg, "error", hint)
                             for loc, msg, hint in problems])
    spec = meta.distribution
    chosen = spec.lists or (["default"] if "default" in directory.lists else [])
    from_lists = _from_lists(spec, directory)
    included = {r.id for r in dist.recipients}
    by_id = directory.by_id()
    roles = [{"role": role, "recipients": [{"id": r.id, "name": r.name, "copies": r.copies,
                                            "added": r.id not in from_lists}
                                           for r in dist.by_role.get(role, [])]}
             for role in ROLES]
    removed = [by_id[rid] for rid in dict.fromkeys(spec.remove) if rid in by_id and rid not in included]
    out_of_issue = [r for r in directory.recipients if r.id not in included and r not in removed]
    return {
        "key": str(key),
        "published": meta.status == "published",
        "lists": [{"name": name, "label": list_label(name), "checked": name in chosen, "count": len(ids),
                   "copies": sum(by_id[i].copies for i in ids if i in by_id)}
                  for name, ids in directory.lists.items()],
        "by_default": not spec.lists and bool(chosen),
        "roles": roles,
        "removed": [{"id": r.id, "name": r.name, "role": r.role, "copies": r.copies} for r in removed],
        "available": [{"id": r.id, "name": r.name, "role": r.role, "copies": r.copies} for r in out_of_issue],
        "extra": list(dist.extra),
        "extra_label": ws.preset().tail.extra_label,
        "sent": dist.recipient_copies,
        "archive_copies": dist.archive_copies,
        "override": meta.copies,
        "counted": dist.recipient_copies + dist.archive_copies,
        "copies": dist.copies,
    }


def recorded_view(ws: Workspace, key: IssueKey, meta) -> dict:
    """distribution_view() of a published issue with its recorded distribution: what it printed, the
    lists its issue.yaml names, nothing to change (recipients.yaml may have changed since)."""
    dist = from_record(recorded(meta))
    spec = meta.distribution
    return {
        "key": str(key), "published": True, "recorded": True,
        "lists": [{"name": name, "checked": True, "count": 0, "copies": 0} for name in spec.lists or ["default"]],
        "by_default": False,
        "roles": [{"role": role, "recipients": [{"id": r.id, "name": r.name, "copies": r.copies,
                                                  "added": r.id in spec.add}
                                                 for r in dist.by_role.get(role, [])]} for role in ROLES],
        "removed": [], "available": [], "extra": list(dist.extra), "extra_label": ws.preset().tail.extra_label,
        "sent": dist.recipient_copies, "archive_copies": dist.archive_copies, "override": meta.copies,
        "counted": dist.recipient_copies + dist.archive_copies, "copies": dist.copies,
    }
