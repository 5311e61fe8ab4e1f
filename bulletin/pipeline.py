"""What each command does, as functions: read and validate everything, then write. Never prints.

Each function returns data (a report) for the CLI to print, and raises BulletinError for the user's
mistakes; nothing is written until every input has been read and checked.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import io
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BulletinError, Diagnostic, fail
from .workspace import ISSUE_FILE, IssueKey, Workspace, atomic_write, atomic_write_many, missing_folders


# --- reading all issues ------------------------------------------------------------------------------

def load_records(ws: Workspace, diagnostics: list[Diagnostic] | None = None, keys=None):
    """Every issue (or those of `keys`) that validates, as numbering records; problems go to
    `diagnostics` when given, else raise."""
    from .numbering import IssueRecord

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


def output_name(ws: Workspace, key: IssueKey, meta) -> str:
    """`<name>-2009-第10期.docx` (增刊第1期 / 专刊第1期 for the other kinds)."""
    from .numbering import number_label

    label = number_label(meta).split("（")[0]
    name = ws.series().series.name
    return f"{name}-{key.year}-{label}.docx"


def output_path(ws: Workspace, key: IssueKey, meta, out: Path | None) -> Path:
    """Where `render` writes: `-o FILE`; `-o FOLDER` (an existing folder) gets the usual file name
    inside it; without -o, build/<name>-<year>-第N期.docx."""
    if out is None:
        return ws.build_dir / output_name(ws, key, meta)
    out = Path(out).expanduser()
    if out.is_dir():
        return out / output_name(ws, key, meta)
    if out.suffix.lower() != ".docx":
        raise fail(out, None, "the output file must end in .docx",
                   f"write -o {out.with_suffix('.docx').name}, or -o FOLDER to keep the usual name")
    return out


# --- render / publish --------------------------------------------------------------------------------

@dataclass
class RenderReport:
    path: Path
    key: IssueKey
    notes: list[str] = field(default_factory=list)


def build_docx(ws: Workspace, key: IssueKey) -> bytes:
    """Compose and write one issue to .docx bytes (no file written)."""
    from .compose import compose_issue
    from .docx.writer import DocxWriter
    from .layout import load_preset

    issue = compose_issue(ws, key)
    preset = load_preset(ws.series().print_settings.preset, ws.templates_dir)
    return DocxWriter(preset).render(issue)


def render(ws: Workspace, ref: str, out: Path | None = None, force: bool = False) -> RenderReport:
    key = ws.resolve(ref)
    meta, loaded = ws.load_issue(key)
    notes: list[str] = []
    changed = []
    if meta.status == "published" and meta.published:
        changed = changed_sources(ws, key, meta)
        if changed and not force:
            raise BulletinError([Diagnostic(str(loaded.path), loaded.line_of(("status",)),
                                            f"issue {key} is published and its sources changed since: "
                                            + ", ".join(changed), "error",
                                            "undo the changes, or re-render with --force (it is recorded)")])
    data = build_docx(ws, key)
    target = output_path(ws, key, meta, out)
    files: dict[Path, bytes | str] = {target: data}
    if changed and force:
        notes.append(f"forced re-render of a changed published issue recorded in {loaded.path}")
        issue_path, issue_text = forced_record(ws, key, changed)
        files[issue_path] = issue_text
    atomic_write_many(files)
    ws.forget_issue(key)
    return RenderReport(target, key, notes)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def issue_sources(ws: Workspace, key: IssueKey) -> dict[str, str]:
    """sha256 of every source file in the issue folder except issue.yaml (which publishing edits)."""
    folder = ws.issue_dir(key)
    return {p.relative_to(folder).as_posix(): _sha(p) for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != ISSUE_FILE and not p.name.startswith(".")}


def changed_sources(ws: Workspace, key: IssueKey, meta) -> list[str]:
    """Source files changed, added or removed since the issue was published."""
    if not meta.published:
        return []
    recorded, now = meta.published.sources, issue_sources(ws, key)
    out = [f"{name} (changed)" for name in recorded if name in now and now[name] != recorded[name]]
    out += [f"{name} (removed)" for name in recorded if name not in now]
    out += [f"{name} (added)" for name in now if name not in recorded]
    return sorted(out)


def edited_issue_yaml(ws: Workspace, key: IssueKey, edit) -> tuple[Path, str]:
    """issue.yaml's path and its text after `edit(node)`, round-trip (comments and key order kept);
    nothing is written, so a command can write it together with its other files."""
    from .loaders import yaml_writer

    path = ws.issue_dir(key) / ISSUE_FILE
    # Lines the edit did not touch come back as written, so the change reads as one change in a diff.
    yaml = yaml_writer()
    node = yaml.load(path.read_text(encoding="utf-8"))
    edit(node)
    buffer = io.StringIO()
    yaml.dump(node, buffer)
    return path, buffer.getvalue()


def forced_record(ws: Workspace, key: IssueKey, changed: list[str]) -> tuple[Path, str]:
    """issue.yaml with one more entry under published.forced: when, and which sources had changed."""
    now = _dt.datetime.now().replace(microsecond=0)

    def edit(node):
        forced = node["published"].setdefault("forced", [])
        forced.append({"at": now, "changed": list(changed)})
    return edited_issue_yaml(ws, key, edit)


def publish(ws: Workspace, ref: str) -> RenderReport:
    """Render, set status published, record sha256 of the sources and of the .docx with the time."""
    key = ws.resolve(ref)
    meta, loaded = ws.load_issue(key)
    if meta.status == "published":
        raise fail(loaded.path, loaded.line_of(("status",)), f"issue {key} is already published",
                   "a published issue is frozen; publish a correction as a new issue")
    data = build_docx(ws, key)
    target = ws.build_dir / output_name(ws, key, meta)
    sources = issue_sources(ws, key)
    now = _dt.datetime.now().replace(microsecond=0)

    def edit(node):
        node["status"] = "published"
        node["published"] = {"at": now, "sources": sources,
                             "output": {ws.rel(target): hashlib.sha256(data).hexdigest()}}
    issue_path, issue_text = edited_issue_yaml(ws, key, edit)
    # Both or neither: a .docx in build/ without the frozen issue.yaml would look published and is not.
    atomic_write_many({target: data, issue_path: issue_text})
    ws.forget_issue(key)
    return RenderReport(target, key)


# --- check -------------------------------------------------------------------------------------------

def check(ws: Workspace, ref: str | None = None) -> list[Diagnostic]:
    """Every problem in the workspace (or one issue), errors and warnings, in file order."""
    from .compose import compose_issue
    from .numbering import check_numbering

    out: list[Diagnostic] = []
    for load in (ws.series, ws.recipients):
        try:
            load()
        except BulletinError as exc:
            out += exc.diagnostics
    if out:
        return out
    try:
        from .layout import load_preset
        load_preset(ws.series().print_settings.preset, ws.templates_dir)
    except BulletinError as exc:
        out += exc.diagnostics
    if ref:  # one issue: its own problems only, not those of the issues around it
        records = load_records(ws, out, [ws.resolve(ref)])
    else:
        records = load_records(ws, out)
        out += check_numbering(records, ws.series().series.first)
    for rec in records:
        key = rec.key
        if not rec.meta.articles:
            out.append(Diagnostic(str(rec.loaded.path), rec.loaded.line_of(("articles",)),
                                  "the issue has no articles yet", "warning",
                                  f"add some with 'bulletin add {key} FILE.md'"))
        if rec.meta.status == "published":
            for name in changed_sources(ws, key, rec.meta):
                out.append(Diagnostic(str(rec.loaded.path), rec.loaded.line_of(("status",)),
                                      f"published issue changed since publishing: {name}", "error",
                                      "restore the file; a published issue is frozen"))
        try:
            compose_issue(ws, key)
        except BulletinError as exc:
            out += exc.diagnostics
    seen, unique = set(), []
    for d in out:
        if d not in seen:
            seen.add(d)
            unique.append(d)
    return unique


# --- new / add / init --------------------------------------------------------------------------------



@dataclass
class NewReport:
    key: IssueKey
    total: int | None
    label: str
    notes: list[str]


def new_issue(ws: Workspace, date: _dt.date | None = None, kind: str = "regular", theme: str = "") -> NewReport:
    """Allocate the next number under the workspace lock and create the issue folder atomically."""
    import contextlib
    import os
    import tempfile

    from .models import IssueMeta
    from .numbering import next_issue, number_label
    from .templating import render_template

    date = date or _dt.date.today()
    series = ws.series()
    ws.recipients()
    with ws.lock() as notes:
        diagnostics: list[Diagnostic] = []
        records = load_records(ws, diagnostics)
        if diagnostics:
            raise BulletinError(diagnostics + [Diagnostic("issues", None, "fix these issues before allocating "
                                                          "a new number", "error")])
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
    from .loaders import parse_yaml, validate
    from .models import IssueMeta

    shown = Path("templates/issue.yaml.j2")
    loaded = parse_yaml(text, shown)
    meta = validate(IssueMeta, loaded)
    if (meta.number, meta.kind) != (key.number, key.kind):
        raise fail(shown, loaded.line_of(("number",)), "the template must print number: {{ number }} and "
                   "kind: {{ kind }}", "keep those lines of the built-in template")


@dataclass
class AddReport:
    """What `add` wrote (articles and their pictures, relative to the workspace) and its notes
    (a linked picture skipped, a title guessed) as warnings."""

    written: list[str]
    notes: list[Diagnostic] = field(default_factory=list)


def add_articles(ws: Workspace, ref: str, files: list[Path], section: str = "") -> AddReport:
    """Read every file (a .md article is validated; .docx, .doc, .wps and .txt submissions are
    converted), then write the articles, their pictures and issue.yaml in one all-or-nothing write."""
    import os

    from .submissions import article_files, read_submission
    from .workspace import LOCK_NAME

    key = ws.resolve(ref)
    _refuse_published(ws, key)  # before any slow conversion
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
        meta = _refuse_published(ws, key)
        folder = ws.issue_dir(key)
        taken = {name.casefold() for name in meta.articles}

        def claim(name: str) -> bool:
            if name.casefold() in taken or os.path.lexists(folder / name):
                return False
            taken.add(name.casefold())
            return True

        staged: dict[Path, str | bytes] = {}
        names: list[str] = []
        for sub in submissions:
            name = _free_name(sub.file_name, claim)
            names.append(name)
            for file_name, data in article_files(sub, name, section, claim, folder).items():
                staged[folder / file_name] = data

        def edit(node):
            node.setdefault("articles", [])
            for name in names:
                node["articles"].append(name)
        issue_path, issue_text = edited_issue_yaml(ws, key, edit)
        atomic_write_many({**staged, issue_path: issue_text})
        ws.forget_issue(key)
    return AddReport([ws.rel(p) for p in staged], [Diagnostic(LOCK_NAME, None, n, "warning")
                                                    for n in lock_notes] + notes)


def _refuse_published(ws: Workspace, key: IssueKey):
    """The issue's metadata; BulletinError when it is published (a frozen issue takes no article)."""
    meta, loaded = ws.load_issue(key)
    if meta.status == "published":
        raise fail(loaded.path, loaded.line_of(("status",)), f"issue {key} is published and frozen",
                   "add the article to the next issue ('bulletin new')")
    return meta


def _free_name(name: str, claim) -> str:
    """`name`, else name-2, name-3 …: the first that `claim` grants (not listed, no such file)."""
    stem, suffix = name.rsplit(".", 1)
    candidate, n = name, 2
    while not claim(candidate):
        candidate = f"{stem}-{n}.{suffix}"
        n += 1
    return candidate


def init_workspace(target: Path, name: str | None = None, editor: str | None = None) -> list[Path]:
    """Create a workspace with a starter bulletin.toml and recipients.yaml (never overwriting)."""
    target = Path(target)
    config = target / "bulletin.toml"
    if config.exists():
        raise fail(config, None, "a workspace already exists here", "choose an empty folder")
    from .templating import render_template

    values = {"name": name or "工作简报", "editor": editor or "××办公室", "year": _dt.date.today().year}
    files = {config: render_template("starter/bulletin.toml.j2", values),
             target / "recipients.yaml": render_template("starter/recipients.yaml.j2", values)}
    files = {p: t for p, t in files.items() if not p.exists()}
    atomic_write_many(files)
    (target / "issues").mkdir(exist_ok=True)
    return list(files)


# --- compile -----------------------------------------------------------------------------------------

def compile_year(ws: Workspace, year: int, out: Path | None = None) -> RenderReport:
    """The year's bound volume: every issue in order (regular, then supplements and specials by date)."""
    from .compose import compose_issue
    from .docx.volume import compile_volume
    from .layout import load_preset

    keys = [k for k in ws.issue_keys() if k.year == year]
    if not keys:
        raise fail(ws.rel(ws.root / "issues"), None, f"there are no issues of {year}",
                   "'bulletin list' shows the years that have issues")
    issues, problems = [], []
    for key in keys:
        try:
            issues.append(compose_issue(ws, key))
        except BulletinError as exc:
            problems += exc.diagnostics
    if problems:
        raise BulletinError(problems)
    issues.sort(key=lambda i: (i.meta.date, i.meta.kind != "regular", i.meta.number))
    preset = load_preset(ws.series().print_settings.preset, ws.templates_dir)
    data = compile_volume(issues, preset, year)
    target = Path(out) if out else ws.build_dir / f"{ws.series().series.name}-{year}-合订本.docx"
    atomic_write(target, data)
    return RenderReport(target, keys[0])


# --- lint --------------------------------------------------------------------------------------------

def lint(workspace: Path | None, targets: list[str], fix: bool = False) -> tuple[list[str], list[str]]:
    """Proofread article files, or every article of an issue: the findings as `path:line:col: rule:
    message` lines (left after fixing, with `fix`) and the files `fix` rewrote. Every file is read
    before any is written; an issue's articles are named relative to the workspace."""
    from dataclasses import replace

    from .lint import fix_text, lint_text
    from .loaders import read_text
    from .workspace import parse_issue_ref

    shown: dict[Path, str] = {}  # each file once (an issue and one of its articles may both be given)
    ws = None
    for target in targets:
        candidate = Path(target)
        if candidate.is_file() or candidate.suffix or "/" in target or "\\" in target:
            if not candidate.is_file():
                what = "is a folder, not an article file" if candidate.is_dir() else "file not found"
                raise fail(candidate, None, what, "give an article file (.md) or an issue like 10")
            shown.setdefault(candidate.resolve(), str(candidate))
            continue
        parse_issue_ref(target)  # a clear message when it is neither a file nor an issue name
        ws = ws or Workspace.find(workspace)
        key = ws.resolve(target)
        meta, _ = ws.load_issue(key)
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
        changed = {path: new for path, text in texts.items() if (new := fix_text(text)) != text}
        if changed:
            atomic_write_many(changed)
        texts.update(changed)
        fixed = [shown[path] for path in changed]
    lines = [f"{shown[path]}:{f.line}:{f.col}: {f.rule}: {f.message}"
             for path, text in texts.items() for f in lint_text(text)]
    return lines, fixed
