"""Edits of recipients.yaml (收发名录, the workbench's recipient pages): add, edit and remove a
recipient; create, rename and delete a named list and set its members.

Each change is checked field by field first (FormRefused says which field and why), then written under
the workspace lock, atomically, with the file's other lines as they were (a ruamel round trip).

What the change does to the issues is checked too, before anything is written:
- an issue that names a recipient or a list in its `distribution:` (lists, add, remove; an issue with
  no lists uses `default`) keeps its name: removing it is refused, naming the issues, since their
  issue.yaml would no longer read (`bulletin check` would fail, and a published issue cannot be fixed);
  renaming a list rewrites the drafts that name it in the same write;
- a published issue's distribution must not change under it. An issue published since the
  distribution is recorded (issue.yaml's published.distribution) prints that record, so the directory
  plays no part in it and any edit goes through: the directory changes every year, old issues reprint
  as they were. An issue published before has no record and still resolves against recipients.yaml:
  a change that would alter what it prints (its 报/送/发 names, their copies, 共印), or make it no
  longer read, is refused, naming the issue and how to record its distribution (`bulletin render KEY
  --force --reason …`). Drafts follow the directory, which is the point of editing it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bulletin.errors import BulletinError, Diagnostic
from bulletin.i18n import _
from bulletin.model.files import RecipientDirectory
from bulletin.rules.distribution import ROLES, recorded, resolve
from bulletin.store.workspace import Workspace

RECIPIENT_FIELDS = ("id", "name", "role", "copies", "email")
ID_PATTERN = re.compile(r"^[a-z0-9_-]+\Z")         # the model's RecipientId
LIST_PATTERN = re.compile(r"^[A-Za-z0-9_-]+\Z")    # the model's list names
MAX_NAME = 100


class FormRefused(BulletinError):
    """A change refused for what was typed: `fields` maps a form field (id, name, role, copies, lists,
    members, recipient, extra …) to its messages, beside it on the page; the diagnostics say the same
    with the file concerned, for the command line."""

    def __init__(self, problems: list[tuple[str, Diagnostic]]):
        super().__init__([d for _field, d in problems])
        self.fields: dict[str, list[str]] = {}
        for field, d in problems:
            self.fields.setdefault(field, []).append(d.message + (f"（{d.hint}）" if d.hint else ""))


def refused(field: str, path: str, message: str, hint: str = "") -> FormRefused:
    return FormRefused([(field, Diagnostic(path, None, message, "error", hint))])


def suggestion(word: str, known) -> str:
    """`did you mean 'x'?`, or ""."""
    import difflib

    guess = difflib.get_close_matches(word, list(known), n=1)
    return _("did you mean {guess!r}?").format(guess=guess[0]) if guess else ""


# --- checking what was typed ----------------------------------------------------------------------------

class _Fields:
    """Collects the problems of one form, then raises them all at once."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[tuple[str, Diagnostic]] = []

    def add(self, field: str, message: str, hint: str = "") -> None:
        self.problems.append((field, Diagnostic(self.path, None, message, "error", hint)))

    def raise_any(self) -> None:
        if self.problems:
            raise FormRefused(self.problems)


def _name(form: _Fields, value, field: str = "name") -> str:
    from bulletin.cjk import one_line

    name = one_line(str(value or ""))
    if not name:
        form.add(field, _("the name must not be empty"), _("write the unit's or person's name, e.g. 市委办公室"))
    elif len(name) > MAX_NAME:
        form.add(field, _("the name is longer than {n} characters").format(n=MAX_NAME))
    return name


def _role(form: _Fields, value) -> str:
    role = str(value or "").strip()
    if role not in ROLES:
        form.add("role", _("the role must be one of 报, 送 or 发, not {value!r}").format(value=role),
                 _("报 for superiors, 送 for peers, 发 for subordinates"))
    return role


def _copies(form: _Fields, value, field: str = "copies") -> int:
    text = str(value if value is not None else "").strip().translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if not text.isdigit() or int(text) < 1:
        form.add(field, _("copies must be a whole number, 1 or more, not {value!r}").format(value=text),
                 _("write how many copies this recipient gets, e.g. 2"))
        return 0
    return int(text)


def _email(form: _Fields, value) -> str:
    email = str(value or "").strip()
    if email and (" " in email or email.count("@") != 1 or email.startswith("@") or email.endswith("@")):
        form.add("email", _("{value!r} is not an e-mail address").format(value=email),
                 _("write it as name@example.gov.cn, or leave it empty"))
    return email


def _list_name(form: _Fields, value, field: str = "list") -> str:
    name = str(value or "").strip()
    if not LIST_PATTERN.match(name):
        form.add(field, _("a list's name is letters, digits, '-' and '_', not {value!r}").format(value=name),
                 _("e.g. leaders or units-2027"))
    return name


def _members(form: _Fields, ids, directory: RecipientDirectory, field: str = "members") -> list[str]:
    known = directory.by_id()
    out: list[str] = []
    for rid in ids:
        rid = str(rid).strip()
        if rid not in known:
            form.add(field, _("there is no recipient {id!r} in recipients.yaml").format(id=rid),
                     suggestion(rid, known))
        elif rid not in out:
            out.append(rid)
    return out


# --- reading, changing and writing recipients.yaml -------------------------------------------------------

@dataclass
class DirectoryChange:
    """What one edit wrote: recipients.yaml and the drafts whose issue.yaml it rewrote (a renamed list)."""

    written: list[str]


def _document(ws: Workspace):
    """recipients.yaml as round-trip nodes (an empty mapping when there is no file yet)."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from bulletin.store.loaders import read_text, yaml_writer

    path = ws.recipients_path
    node = yaml_writer().load(read_text(path)) if path.exists() else None
    if node is None:
        node = CommentedMap()
    if node.get("recipients") is None:
        node["recipients"] = CommentedSeq()
    if node.get("lists") is None:
        node["lists"] = CommentedMap()
    return node


def _dump(node) -> str:
    import io

    from bulletin.store.loaders import yaml_writer

    buffer = io.StringIO()
    yaml_writer().dump(node, buffer)
    return buffer.getvalue()


def _read_back(ws: Workspace, text: str) -> RecipientDirectory:
    """The edited file read as `bulletin check` reads it; BulletinError with its lines otherwise."""
    from bulletin.store.loaders import parse_yaml, validate
    from bulletin.store.workspace import check_problems

    loaded = parse_yaml(text, Path(ws.rel(ws.recipients_path)))
    directory = validate(RecipientDirectory, loaded)
    check_problems(directory.problems(), loaded)
    return directory


def _printed(dist) -> tuple:
    """What an issue prints of its distribution: the names by role with their copies, 本期增发, 共印."""
    return (tuple((r.role, r.name, r.copies) for r in dist.recipients), tuple(dist.extra), dist.copies)


def issues_affected(ws: Workspace, before: RecipientDirectory, after: RecipientDirectory,
                    specs: dict | None = None) -> list[Diagnostic]:
    """Why the directory `after` may not replace `before`: each issue that would name a recipient or
    list no longer there, and each published issue whose printed distribution would change. `specs`
    gives the new distribution of issues the same change rewrites (a renamed list)."""
    from bulletin.commands.records import labeller, load_records

    specs = specs or {}
    archive = ws.series().print_settings.archive_copies
    label = labeller(ws)
    out: list[Diagnostic] = []
    for rec in load_records(ws, []):  # an issue.yaml that does not read has its own problems in check
        meta, loaded = rec.meta, rec.loaded
        if recorded(meta) is not None:  # it prints its record, whatever the directory says
            continue
        old, old_problems = resolve(meta.distribution, before, archive, meta.copies)
        new, new_problems = resolve(specs.get(rec.key, meta.distribution), after, archive, meta.copies)
        had = {(loc, message) for loc, message, _hint in old_problems}
        lost = [(loc, message) for loc, message, _hint in new_problems if (loc, message) not in had]
        spec = specs.get(rec.key, meta.distribution)
        if not spec.lists and "default" in before.lists and "default" not in after.lists:
            # naming no list is naming `default`: without it the issue would go to no one
            lost.append((("distribution", "lists"),
                         _("there is no list {name!r} in recipients.yaml").format(name="default")))
        name = _("{label} ({key})").format(label=label(meta), key=rec.key)
        published = meta.status == "published"
        if lost:
            for loc, message in lost:
                out.append(Diagnostic(str(loaded.path), loaded.line_of(loc),
                                      _("{issue} would no longer read: {problem}").format(issue=name, problem=message),
                                      "error",
                                      _unrecorded_hint(rec.key) if published else
                                      _("take it out of that issue's distribution first (on the issue's page)")))
        elif published and _printed(old) != _printed(new):
            out.append(Diagnostic(str(loaded.path), loaded.line_of(("distribution",)),
                                  _("{issue} is published, and this change would alter the distribution it "
                                    "prints").format(issue=name), "error",
                                  _unrecorded_hint(rec.key)))
    return out


def _unrecorded_hint(key) -> str:
    """What to do about an issue published before its distribution was recorded: record it (a forced
    render freezes what it prints now), or leave the directory as that issue needs it."""
    return _("a published issue's distribution must not change, and this one was published before its "
             "distribution was recorded (it still prints from recipients.yaml): record it first with 'bulletin "
             "render {key} --force --reason \"…\"', or add a new recipient or list for the coming issues "
             "instead").format(key=key)


def _change(ws: Workspace, edit, issue_edits=None, expected_version: str | None = None) -> DirectoryChange:
    """`edit(node, directory, form)` on recipients.yaml under the lock, its field problems raised
    before anything else; the result read back and its effect on every issue checked; then written,
    with the drafts `issue_edits(directory_after) -> {key: edit(issue node)}` rewrites, all or none."""
    from bulletin.commands.records import edited_issue_yaml
    from bulletin.model.files import IssueMeta
    from bulletin.store.atomic import atomic_write_many
    from bulletin.store.loaders import parse_yaml, validate

    from bulletin.store.versions import check_version

    with ws.lock():
        # the version of recipients.yaml the form was opened on (None: no check, as the CLI)
        check_version(ws.recipients_path, expected_version, ws.rel(ws.recipients_path))
        ws.forget_recipients()
        before = ws.recipients()
        node = _document(ws)
        form = _Fields(ws.rel(ws.recipients_path))
        edit(node, before, form)
        form.raise_any()
        text = _dump(node)
        after = _read_back(ws, text)
        files: dict[Path, str] = {ws.recipients_path: text}
        specs = {}
        for key, issue_edit in (issue_edits(before) if issue_edits else {}).items():
            path, issue_text = edited_issue_yaml(ws, key, issue_edit)
            specs[key] = validate(IssueMeta, parse_yaml(issue_text, Path(ws.rel(path)))).distribution
            files[path] = issue_text
        problems = issues_affected(ws, before, after, specs)
        if problems:
            raise BulletinError(problems)
        atomic_write_many(files)
        ws.forget_recipients()
        for key in specs:
            ws.forget_issue(key)
    return DirectoryChange([ws.rel(p) for p in files])


def _entry(node, rid: str):
    """The mapping of recipient `rid` in the round-trip document, and its index."""
    for i, item in enumerate(node["recipients"]):
        if hasattr(item, "get") and item.get("id") == rid:
            return i, item
    return None, None


def _flow_seq(items):
    from ruamel.yaml.comments import CommentedSeq

    seq = CommentedSeq(items)
    seq.fa.set_flow_style()
    return seq


def _set_seq(parent, key, items: list[str]) -> None:
    """parent[key] holds `items`, in its own style (a `[a, b]` list stays one line)."""
    seq = parent.get(key)
    if seq is None or not isinstance(seq, list):
        parent[key] = _flow_seq(items)
        return
    if not seq:  # `[]` says nothing of the style: ids go on one line, as in the templates
        seq.fa.set_flow_style()
    del seq[:]
    seq.extend(items)


# --- recipients -----------------------------------------------------------------------------------------

def add_recipient(ws: Workspace, rid: str, name: str, role: str, copies, email: str = "",
                  lists: list[str] = (), expected_version: str | None = None) -> DirectoryChange:
    """A new recipient at the end of recipients.yaml, and in the named `lists` (existing lists only)."""
    rid = str(rid or "").strip()

    def edit(node, directory, form):
        from ruamel.yaml.comments import CommentedMap

        known = directory.by_id()
        if not rid:
            form.add("id", _("the id must not be empty"), _("a short id in lowercase letters, e.g. shiwei"))
        elif not ID_PATTERN.match(rid):
            form.add("id", _("an id is lowercase letters, digits, '-' and '_', not {value!r}").format(value=rid),
                     _("e.g. shiwei or qu-zhengfu"))
        elif rid in known:
            form.add("id", _("the id {id!r} is taken by {name}").format(id=rid, name=known[rid].name),
                     _("give each recipient its own id"))
        entry = CommentedMap()
        entry["id"] = rid
        entry["name"] = _name(form, name)
        entry["role"] = _role(form, role)
        entry["copies"] = _copies(form, copies)
        if address := _email(form, email):
            entry["email"] = address
        for list_name in lists:
            if list_name not in directory.lists:
                form.add("lists", _("there is no list {name!r} in recipients.yaml").format(name=list_name),
                         suggestion(list_name, directory.lists))
        if form.problems:
            return
        node["recipients"].append(entry)
        for list_name in dict.fromkeys(lists):
            members = list(node["lists"][list_name] or [])
            _set_seq(node["lists"], list_name, [*members, rid])
    return _change(ws, edit, expected_version=expected_version)


def _known_recipient(form: _Fields, directory: RecipientDirectory, rid: str, field: str = "id") -> bool:
    if rid in directory.by_id():
        return True
    form.add(field, _("there is no recipient {id!r} in recipients.yaml").format(id=rid),
             suggestion(rid, directory.by_id()) or _("reload the page to see the directory as it is now"))
    return False


def edit_recipient(ws: Workspace, rid: str, name: str, role: str, copies, email: str = "",
                   expected_version: str | None = None) -> DirectoryChange:
    """Recipient `rid`'s name, role, copies and e-mail (its id stays: issues name it)."""
    rid = str(rid or "").strip()

    def edit(node, directory, form):
        if not _known_recipient(form, directory, rid):
            return
        values = {"name": _name(form, name), "role": _role(form, role), "copies": _copies(form, copies),
                  "email": _email(form, email)}
        if form.problems:
            return
        _i, entry = _entry(node, rid)
        for key, value in values.items():
            if key in entry or value not in ("", 1):  # a default the file leaves out stays out
                entry[key] = value
    return _change(ws, edit, expected_version=expected_version)


def remove_recipient(ws: Workspace, rid: str, expected_version: str | None = None) -> DirectoryChange:
    """Recipient `rid` out of recipients.yaml and out of every list; refused while an issue names it."""
    rid = str(rid or "").strip()

    def edit(node, directory, form):
        if not _known_recipient(form, directory, rid):
            return
        index, _entry_node = _entry(node, rid)
        del node["recipients"][index]
        for list_name, members in directory.lists.items():
            if rid in members:
                _set_seq(node["lists"], list_name, [m for m in node["lists"][list_name] if m != rid])
    return _change(ws, edit, expected_version=expected_version)


# --- named lists ----------------------------------------------------------------------------------------

def add_list(ws: Workspace, name: str, members: list[str] = (),
             expected_version: str | None = None) -> DirectoryChange:
    """A new named list of recipients."""
    def edit(node, directory, form):
        list_name = _list_name(form, name)
        if list_name and list_name in directory.lists:
            form.add("list", _("there is a list {name!r} already").format(name=list_name),
                     _("choose another name, or change that list's members"))
        ids = _members(form, members, directory)
        if not form.problems:
            node["lists"][list_name] = _flow_seq(ids)
    return _change(ws, edit, expected_version=expected_version)


def _known_list(form: _Fields, directory: RecipientDirectory, name: str) -> bool:
    if name in directory.lists:
        return True
    form.add("list", _("there is no list {name!r} in recipients.yaml").format(name=name),
             suggestion(name, directory.lists) or _("reload the page to see the directory as it is now"))
    return False


def set_list_members(ws: Workspace, name: str, members: list[str],
                     expected_version: str | None = None) -> DirectoryChange:
    """List `name` holds `members` (recipient ids, in the order given)."""
    def edit(node, directory, form):
        if not _known_list(form, directory, name):
            return
        ids = _members(form, members, directory)
        if not form.problems:
            _set_seq(node["lists"], name, ids)
    return _change(ws, edit, expected_version=expected_version)


def rename_list(ws: Workspace, old: str, new: str, expected_version: str | None = None) -> DirectoryChange:
    """List `old` is called `new`; the drafts that name it (or use `default` by naming none) are
    rewritten to the new name in the same write. Refused while an issue published before its distribution
    was recorded names it."""
    new = str(new or "").strip()

    def edit(node, directory, form):
        if not _known_list(form, directory, old):
            return
        _list_name(form, new, "new")
        if new in directory.lists and new != old:
            form.add("new", _("there is a list {name!r} already").format(name=new), _("choose another name"))
        if form.problems:
            return
        lists = node["lists"]
        keys = list(lists.keys())
        position = keys.index(old)
        value = lists.pop(old)
        lists.insert(position, new, value)

    def drafts(directory):
        from bulletin.commands.records import load_records

        edits = {}
        for rec in load_records(ws, []):
            spec = rec.meta.distribution
            uses = old in spec.lists or (not spec.lists and old == "default")
            if rec.meta.status == "published" or not uses or new == old:
                continue
            names = [new if n == old else n for n in spec.lists] if spec.lists else [new]

            def issue_edit(issue_node, names=names):
                from ruamel.yaml.comments import CommentedMap

                if issue_node.get("distribution") is None:
                    issue_node["distribution"] = CommentedMap()
                _set_seq(issue_node["distribution"], "lists", names)
            edits[rec.key] = issue_edit
        return edits
    return _change(ws, edit, drafts, expected_version)


def remove_list(ws: Workspace, name: str, expected_version: str | None = None) -> DirectoryChange:
    """List `name` out of recipients.yaml (its recipients stay); refused while an issue names it."""
    def edit(node, directory, form):
        if _known_list(form, directory, name):
            del node["lists"][name]
    return _change(ws, edit, expected_version=expected_version)


def directory_view(ws: Workspace) -> dict:
    """What the 收发名录 page shows: the recipients by role (with their lists and the issues that name
    them) and the named lists (members, copies, the issues that use them)."""
    from bulletin.commands.records import labeller, load_records
    from bulletin.store.versions import file_version

    version = file_version(ws.recipients_path)   # before it is read: a change in between is refused, never lost
    ws.forget_recipients()
    directory = ws.recipients()
    label = labeller(ws)
    member_of: dict[str, list[str]] = {}
    for list_name, ids in directory.lists.items():
        for rid in ids:
            member_of.setdefault(rid, []).append(list_name)
    used_lists: dict[str, list[str]] = {}
    for rec in load_records(ws, []):
        for list_name in rec.meta.distribution.lists or ["default"]:
            used_lists.setdefault(list_name, []).append(label(rec.meta))
    by_id = directory.by_id()
    by_role = {role: [] for role in ROLES}
    for r in directory.recipients:
        by_role[r.role].append({"id": r.id, "name": r.name, "role": r.role, "copies": r.copies, "email": r.email,
                                "lists": member_of.get(r.id, [])})
    return {
        "roles": [{"role": role, "recipients": rows, "copies": sum(r["copies"] for r in rows)}
                  for role, rows in by_role.items()],
        "recipients": [{"id": r.id, "name": r.name, "role": r.role, "copies": r.copies, "email": r.email}
                       for r in directory.recipients],
        "lists": [{"name": list_name, "members": [by_id[i] for i in ids if i in by_id],
                   "ids": list(ids), "copies": sum(by_id[i].copies for i in ids if i in by_id),
                   "issues": used_lists.get(list_name, [])}
                  for list_name, ids in directory.lists.items()],
        "roles_all": ROLES,
        "version": version,
    }

