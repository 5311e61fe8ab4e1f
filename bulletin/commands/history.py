"""Nothing a person saved is ever lost: every change made through the workbench becomes a git commit in
the person's name with a message in Chinese naming the change (`第11期：上传 市民政局.docx`); an issue's
and an article's history, each version's diff, and 恢复此版本 (itself a change, so a new commit).

`recorded(...)` holds the workspace lock around the change and its commit, so two changes never mix in
one commit and a CLI command cannot slip in between: the files the change touched are exactly those that
differ from the last commit afterwards. Whatever differed before (a file edited by hand, a CLI command) is
committed first on its own, under the committer's name, so it is kept and not put in the person's name."""
from __future__ import annotations

import getpass
import re
from pathlib import Path

from bulletin.errors import fail
from bulletin.i18n import N_, _, speaking
from bulletin.model.keys import IssueKey
from bulletin.store import history
from bulletin.store.workspace import Workspace

HISTORY_LANGUAGE = "zh"  # commit messages are read by the office, whatever the browser's language
OUTSIDE = N_("changes made outside the workbench (by hand or on the command line)")
RESTORE = N_("restore {file} to the version of {commit}")
RESTORE_ISSUE = N_("restore the issue to the version of {commit}")
FIRST = N_("the workspace as it was when its history began")
ISSUE_FILE = "issue.yaml"


def default_author() -> str:
    """The name a change is recorded under when no one is signed in: the computer's user."""
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (a service account): the committer's
        return history.COMMITTER[0]


def message(ws: Workspace, describe: str, details: dict, key: IssueKey | None) -> str:
    """`第11期：上传 市民政局.docx`: the issue's printed number and the change in words, in Chinese."""
    with speaking(HISTORY_LANGUAGE):
        words = _(describe).format(**details) if details else _(describe)
        label = _issue_label(ws, key) if key is not None else ""
    return f"{label}：{words}" if label else words


def _issue_label(ws: Workspace, key: IssueKey) -> str:
    from bulletin.render.words import issue_number

    try:
        ws.forget_issue(key)
        meta, _loaded = ws.load_issue(key)
        return issue_number(meta, ws.preset().labels)
    except Exception:  # an issue.yaml the change left unreadable is named by its folder
        return str(key)


def recorded(ws: Workspace, author: str, describe: str, details: dict, key: IssueKey | None, run, *args):
    """`run(*args)` under the workspace lock, then a commit of the files it touched as `author`; its
    result. Nothing is committed when `run` fails (it wrote nothing) or changed nothing."""
    with ws.lock(reentrant=True):
        before = history.changed(ws.root)
        if before:
            with speaking(HISTORY_LANGUAGE):
                history.commit(ws.root, before, _(OUTSIDE), history.COMMITTER[0])
        result = run(*args)
        touched = history.changed(ws.root)
        if touched:
            history.commit(ws.root, touched, message(ws, describe, details, key), author)
    return result


def start(ws: Workspace, author: str | None = None) -> str | None:
    """`git init` the workspace and commit its files as they are (`bulletin serve` offers it)."""
    with ws.lock(), speaking(HISTORY_LANGUAGE):
        history.git(ws.root, "init", "--quiet")
        history.ignore_store_leftovers(ws.root)
        ignore = ws.root / ".gitignore"
        if not ignore.exists():
            from bulletin.store.atomic import atomic_write

            atomic_write(ignore, history.GITIGNORE)
        present = [p for p in history.CONTENT if (ws.root / p).exists()] + [".gitignore"]
        return history.commit(ws.root, present, _(FIRST), author or default_author())


# --- reading the history ---------------------------------------------------------------------------

def _version(entry: history.Entry, diff: list, cut: bool) -> dict:
    return {"commit": entry.commit, "short": entry.short, "author": entry.author,
            "when": entry.when.replace("T", " ")[:16], "iso": entry.when, "message": entry.message,
            "diff": diff, "cut": cut}


HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def readable(lines: list[history.DiffLine]) -> list[history.DiffLine]:
    """A diff as a clerk reads it: each file named once (new or removed said in words), each part by
    the line it starts at; git's own headers (modes, blob ids, a/ b/) left out. Added and removed
    lines keep their + and -, so the difference is not told by colour alone."""
    out: list[history.DiffLine] = []
    for line in lines:
        text = line.text
        if text.startswith("diff --git "):
            name = text.rsplit(" b/", 1)[-1]
            out.append(history.DiffLine("file", name))
        elif text.startswith("new file"):
            out[-1:] = [history.DiffLine("file", _("{file} (new)").format(file=out[-1].text))] if out else []
        elif text.startswith("deleted file"):
            out[-1:] = [history.DiffLine("file", _("{file} (removed)").format(file=out[-1].text))] if out else []
        elif line.kind == "file":
            continue  # index, ---, +++, mode, rename
        elif line.kind == "hunk":
            match = HUNK.match(text)
            out.append(history.DiffLine("hunk", _("from line {n}").format(n=match.group(1)) if match else text))
        elif line.kind == "note":
            out.append(history.DiffLine("note", _("a file that is not text (a picture or a document) changed")))
        else:
            out.append(line)
    return out


def path_history(ws: Workspace, rel: str, limit: int = 100) -> list[dict]:
    """Each commit that changed `rel` (workspace-relative), newest first, with its diff of `rel`."""
    out = []
    for entry, lines, cut in history.log_with_diffs(ws.root, rel, limit):
        out.append(_version(entry, readable(lines), cut))
    return out


def issue_history(ws: Workspace, ref: str) -> list[dict]:
    key = ws.resolve(ref)
    return path_history(ws, ws.rel(ws.issue_dir(key)))


def article_history(ws: Workspace, ref: str, name: str) -> list[dict]:
    from bulletin.commands.edit import article_file

    _key, path = article_file(ws, ref, name)
    return path_history(ws, ws.rel(path))


def _known_version(ws: Workspace, rel: str, commit_id: str) -> str:
    """`commit_id` (full or short) when it is a version in `rel`'s history, its full id; else refused."""
    for entry in history.log(ws.root, rel, 10_000):
        if commit_id and entry.commit.startswith(commit_id) and len(commit_id) >= 7:
            return entry.commit
    raise fail(rel, None, _("{commit} is not a version of this file").format(commit=commit_id or "?"),
               _("choose a version from the history page"))


# --- restoring a version -------------------------------------------------------------------------

def restore_article(ws: Workspace, ref: str, name: str, commit_id: str) -> str:
    """Article `name` back as it was at `commit_id`: checked as a save is, written atomically under the
    lock, refused for a published issue; the version's short id (for the change's description)."""
    from bulletin.commands.edit import article_file, check_article
    from bulletin.commands.records import refuse_frozen, reopened_files
    from bulletin.store.atomic import atomic_write_many

    key, path = article_file(ws, ref, name)
    rel = ws.rel(path)
    with ws.lock():
        ws.forget_issue(key)
        meta = refuse_frozen(ws, key, _("a published issue is frozen"))
        full = _known_version(ws, rel, commit_id)
        data = history.file_at(ws.root, full, rel)
        if data is None:
            raise fail(rel, None, _("the article did not exist in that version"), _("choose a later version"))
        if path.read_bytes() == data:
            raise fail(rel, None, _("the article is already as it was in that version"))
        check_article(ws, path, data.decode("utf-8", "replace"))
        # like any edit, a restore sends an issue under review back to draft (records.reopen)
        atomic_write_many({path: data, **reopened_files(ws, key, meta)})
        ws.forget_issue(key)
    return full[:7]


def restore_issue(ws: Workspace, ref: str, commit_id: str) -> str:
    """The issue back as it was at `commit_id`: every file its folder held then (issue.yaml with its
    articles' order, 编者按 and names; the articles; their pictures) that differs now, each checked as
    `bulletin check` reads it, all written at once under the lock. Files added since stay in the folder
    (nothing is lost; issue.yaml as it was does not list them). Refused for a published issue, and for a
    version that was published or at another step of the review (a restore skips no step)."""
    from bulletin.commands.edit import check_article
    from bulletin.commands.records import REOPENED, refuse_frozen
    from bulletin.model.files import IssueMeta
    from bulletin.store.atomic import atomic_write_many
    from bulletin.store.loaders import parse_yaml, validate
    from bulletin.store.workspace import check_problems

    key = ws.resolve(ref)
    folder = ws.issue_dir(key)
    rel_folder, rel_yaml = ws.rel(folder), ws.rel(folder / ISSUE_FILE)
    with ws.lock():
        ws.forget_issue(key)
        current = refuse_frozen(ws, key, _("a published issue is frozen"))
        full = _known_version(ws, rel_folder, commit_id)
        data = history.file_at(ws.root, full, rel_yaml)
        if data is None:
            raise fail(rel_yaml, None, _("the issue did not exist in that version"), _("choose a later version"))
        loaded = parse_yaml(data.decode("utf-8", "replace"), Path(rel_yaml))
        meta = validate(IssueMeta, loaded)
        check_problems(meta.problems(), loaded)
        if meta.status == "published":
            raise fail(rel_yaml, None, _("that version of the issue was published"),
                       _("choose a version from before it was published"))
        if meta.status not in ("draft", current.status):  # a restore never skips a step of the review
            raise fail(rel_yaml, None, _("that version of the issue was at another step of the review ({status})")
                       .format(status=meta.status), _("choose a version from when it was a draft"))
        if current.status in REOPENED:  # like any edit: back to draft, the step recorded
            data = _reopened(data, current)
        writes: dict[Path, bytes] = {}
        for rel in history.files_at(ws.root, full, rel_folder):
            path = ws.root / rel
            old = data if rel == rel_yaml else history.file_at(ws.root, full, rel)
            if old is None or (path.is_file() and path.read_bytes() == old):
                continue
            writes[path] = old
        for path, old in writes.items():
            if path.parent == folder and path.name in meta.articles:
                check_article(ws, path, old.decode("utf-8", "replace"))
        if not writes:
            raise fail(rel_folder, None, _("the issue is already as it was in that version"))
        atomic_write_many(writes)
        ws.forget_issue(key)
    return full[:7]


def _reopened(data: bytes, current) -> bytes:
    """issue.yaml's text `data` (a version being restored) sent back to draft with a `reopen` step,
    round trip (records.reopen, the rule of every edit of an issue under review)."""
    import io

    from bulletin.commands.records import reopen
    from bulletin.store.loaders import yaml_writer

    yaml = yaml_writer()
    node = yaml.load(data.decode("utf-8"))
    reopen(node, current)
    buffer = io.StringIO()
    yaml.dump(node, buffer)
    return buffer.getvalue().encode("utf-8")
