"""`bulletin add`: articles and submissions into an issue, checked, written all or nothing."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.commands.records import edited_issue_yaml, refuse_frozen, reopen
from bulletin.errors import BulletinError, Diagnostic
from bulletin.i18n import _
from bulletin.model.keys import IssueKey
from bulletin.store.atomic import atomic_write_many
from bulletin.store.workspace import Workspace


@dataclass
class AddReport:
    """What `add` wrote (articles and their pictures, relative to the workspace) and its notes
    (a linked picture skipped, a title guessed) as warnings."""

    written: list[str]
    notes: list[Diagnostic] = field(default_factory=list)


def add_articles(ws: Workspace, ref: str, files: list[Path], section: str = "",
                 simplify: bool = False) -> AddReport:
    """Read every file (a .md article is validated; .docx, .doc, .wps and .txt submissions are
    converted), then write the articles, their pictures and issue.yaml in one all-or-nothing write.

    Warnings: traditional characters in an article (converted with OpenCC only when `simplify`, and
    then said so), and an article whose text is the same as one already in the issue or added with it."""

    from bulletin.intake.submission import read_submission
    from bulletin.store.workspace import LOCK_NAME

    key = ws.resolve(ref)
    refuse_frozen(ws, key)  # before any slow conversion
    submissions, problems = [], []
    for src in files:
        try:
            submissions.append(read_submission(Path(src)))
        except BulletinError as exc:
            problems += exc.diagnostics
    if problems:
        raise BulletinError(problems)
    notes = [note for sub in submissions for note in sub.notes]
    # under the lock, two `add`s at once cannot both take the same name or drop each other's entry
    with ws.lock() as lock_notes:
        ws.forget_issue(key)
        meta = refuse_frozen(ws, key)
        staged, issue_files, _names = staged_articles(ws, key, meta, submissions, section, simplify, notes)
        atomic_write_many({**staged, **issue_files})
        ws.forget_issue(key)
    return AddReport([ws.rel(p) for p in staged], [Diagnostic(LOCK_NAME, None, n, "warning")
                                                    for n in lock_notes] + notes)


def claimer(folder: Path, listed: list[str]):
    """`claim(name)`: True, taking the name, when no article the issue lists and no file of its folder has
    it (case folded, as Windows sees names), so the files one change writes get names of their own."""
    taken = {name.casefold() for name in listed}

    def claim(name: str) -> bool:
        if name.casefold() in taken or os.path.lexists(folder / name):
            return False
        taken.add(name.casefold())
        return True
    return claim


def staged_articles(ws: Workspace, key: IssueKey, meta, submissions: list, section: str = "", simplify: bool = False,
                    notes: list[Diagnostic] | None = None) -> tuple[dict[Path, str | bytes], dict[Path, str], list[str]]:
    """What adding the read `submissions` to the issue writes, to be written together under the lock
    the caller holds: the articles and their pictures, issue.yaml with them listed (and sent back to
    draft when submitted or approved), and the articles' file names. The one intake of `bulletin add`
    and of an adopted item (信息报送), so a file from anywhere is cleaned the same way."""
    from bulletin.intake.submission import article_files

    notes = [] if notes is None else notes
    folder = ws.issue_dir(key)
    claim = claimer(folder, meta.articles)

    staged: dict[Path, str | bytes] = {}
    names: list[str] = []
    seen = _article_texts(ws, folder, meta.articles)
    for sub in submissions:
        name = _free_name(sub.file_name, claim)
        names.append(name)
        for file_name, data in article_files(sub, name, section, claim, folder).items():
            if file_name == name:
                data = _checked_characters(data, sub.shown, ws.rel(folder / name), key, simplify, notes)
                notes += _same_text(data, sub.shown, key, seen)
            staged[folder / file_name] = data

    def edit(node):
        node.setdefault("articles", [])
        for name in names:
            node["articles"].append(name)
        reopen(node, meta)
    issue_path, issue_text = edited_issue_yaml(ws, key, edit)
    return staged, {issue_path: issue_text}, names


def _checked_characters(text: str, shown: str, article: str, key: IssueKey, simplify: bool,
                        notes: list[Diagnostic]) -> str:
    """An added article's text, its traditional characters converted when `simplify`; a warning
    either way (nothing converts without a word)."""
    from bulletin.content.proofread import fix_text, lint_text

    found = lint_text(text, only=("traditional",))
    if not found:
        return text
    first = found[0]
    simple = fix_text(text, only=("traditional",))
    count = sum(a != b for a, b in zip(text, simple))
    place = f"{article}:{first.line}:{first.col}"
    if simplify:
        notes.append(Diagnostic(place, None, _("{count} traditional characters converted to simplified, the first "
                                               "'{found}' to '{fixed}'").format(count=count,
                                                                                found=first.details['found'],
                                                                                fixed=first.details['fixed']),
                                "warning", _("check names, which may keep a traditional form on purpose")))
        return simple
    notes.append(Diagnostic(place, None, _("{count} traditional characters from {shown}, the first '{found}' "
                                           "(write '{fixed}')").format(count=count, shown=shown,
                                                                      found=first.details['found'],
                                                                      fixed=first.details['fixed']), "warning",
                            _("run 'bulletin lint {key} --fix' to convert them ('add --simplify' converts as it "
                              "adds)").format(key=key)))
    return text


def _text_key(text: str) -> str:
    """What makes two articles the same text: the title and the body, with front matter, picture and
    link targets, spaces, punctuation and Markdown marks left out and widths folded (NFKC)."""
    import re
    import unicodedata

    lines = text.split("\n")
    title, body = "", text
    if lines and lines[0].strip() == "---":
        end = next((n for n, line in enumerate(lines[1:], 1) if line.strip() in ("---", "...")), None)
        if end is not None:
            title = next((line.split(":", 1)[1] for line in lines[1:end] if line.startswith("title:")), "")
            body = "\n".join(lines[end + 1:])
    body = re.sub(r"\]\([^)\n]*\)", "]", body)
    return "".join(ch for ch in unicodedata.normalize("NFKC", title + body) if ch.isalnum())


def _article_texts(ws: Workspace, folder: Path, articles: list[str]) -> dict[str, tuple[str, str]]:
    """The issue's articles by _text_key: (the article, '') for the duplicate warning of `add`."""
    from bulletin.store.loaders import read_text

    seen: dict[str, tuple[str, str]] = {}
    for name in articles:
        try:
            text = read_text(folder / name)
        except (BulletinError, OSError):
            continue  # `check` reports an unreadable article
        seen.setdefault(_text_key(text), (ws.rel(folder / name), "already"))
    seen.pop("", None)
    return seen


def _same_text(text: str, shown: str, key: IssueKey, seen: dict[str, tuple[str, str]]) -> list[Diagnostic]:
    """A warning when an added article's text is that of an article already in the issue or added with
    it (the same submission as .docx and .doc); the article is added all the same."""
    text_key = _text_key(text)
    if not text_key:
        return []
    if text_key not in seen:
        seen[text_key] = (shown, "with")
        return []
    other, how = seen[text_key]
    if how == "already":
        message = _("its text is the same as {other}, already in issue {key}").format(other=other, key=key)
    else:
        message = _("its text is the same as {other}, added with it").format(other=other)
    return [Diagnostic(shown, None, message, "warning",
                       _("remove one of them from the issue (its file and its line in issue.yaml)"))]


def _free_name(name: str, claim) -> str:
    """`name`, else name-2, name-3 …: the first that `claim` grants (not listed, no such file)."""
    stem, suffix = name.rsplit(".", 1)
    candidate, n = name, 2
    while not claim(candidate):
        candidate = f"{stem}-{n}.{suffix}"
        n += 1
    return candidate
