"""`bulletin lint`: proofread an issue's articles or files; `--fix` rewrites them all or none."""
from __future__ import annotations

from pathlib import Path

from bulletin.commands.records import refuse_published_files
from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.i18n import _
from bulletin.store.atomic import atomic_write_many
from bulletin.store.workspace import Workspace


def lint(workspace: Path | None, targets: list[str], fix: bool = False) -> tuple[list[str], list[str]]:
    """Proofread article files, or every article of an issue: the findings as `path:line:col: rule:
    message` lines (left after fixing, with `fix`) and the files `fix` rewrote. Every file is read
    before any is written; an issue's articles are named relative to the workspace."""
    from dataclasses import replace

    from bulletin.content.proofread import fix_text, lint_text
    from bulletin.model.keys import parse_issue_ref
    from bulletin.store.loaders import read_text

    shown: dict[Path, str] = {}  # each file once (an issue and one of its articles may both be given)
    ws = None
    for target in targets:
        candidate = Path(target)
        if candidate.is_file() or candidate.suffix or "/" in target or "\\" in target:
            if not candidate.is_file():
                what = _("is a folder, not an article file") if candidate.is_dir() else _("file not found")
                raise fail(candidate, None, what, _("give an article file (.md) or an issue like 10"))
            shown.setdefault(candidate.resolve(), str(candidate))
            continue
        parse_issue_ref(target)  # a clear message when it is neither a file nor an issue name
        ws = ws or Workspace.find(workspace)
        key = ws.resolve(target)
        meta, _loaded = ws.load_issue(key)
        for name in meta.articles:
            path = ws.issue_dir(key) / name
            shown.setdefault(path.resolve(), ws.rel(path))
    texts: dict[Path, str] = {}
    problems: list[Diagnostic] = []
    for path, name in shown.items():
        try:
            texts[path] = read_text(path)
        except BulletinError as exc:
            problems += [replace(d, path=name) for d in exc.diagnostics]
    if problems:
        raise BulletinError(problems)
    fixed: list[str] = []
    if fix:
        reopened = refuse_published_files(shown)  # a published issue is frozen, as for add
        changed = {path: new for path, text in texts.items() if (new := fix_text(text)) != text}
        if changed:  # an issue under review whose article is fixed goes back to draft with it
            touched = {p.resolve().parent for p in changed}
            atomic_write_many({**changed, **{p: t for p, t in reopened.items() if p.resolve().parent in touched}})
        texts.update(changed)
        fixed = [shown[path] for path in changed]
    lines = [f"{shown[path]}:{f.line}:{f.col}: {f.rule}: {f.message}"
             for path, text in texts.items() for f in lint_text(text)]
    return lines, fixed
