"""What each command does, as functions: read and validate everything, then write. Never prints.

Each function returns data (a report) for the CLI to print, and raises BulletinError for the user's
mistakes; nothing is written until every input has been read and checked.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import io
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.store.workspace import ISSUE_FILE, IssueKey, Workspace, atomic_write, atomic_write_many, missing_folders


# --- reading all issues ------------------------------------------------------------------------------

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


def output_name(ws: Workspace, key: IssueKey, meta) -> str:
    """`<name>-2009-第10期.docx` (增刊第1期 / 专刊第1期 for the other kinds)."""
    from bulletin.rules.numbering import number_label

    label = number_label(meta).split("（")[0]
    name = ws.series().series.name
    return f"{name}-{key.year}-{label}.docx"


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
            raise fail(out, None, "is a file, not a folder", "write -o FILE.docx, or name a folder")
        return out / usual_name
    if out.suffix.lower() != ".docx":
        raise fail(out, None, "the output file must end in .docx",
                   f"write -o {out.with_suffix('.docx').name}, or -o {out.name}/ for a folder (made if "
                   "needed) that keeps the usual name")
    return out


# --- render / publish --------------------------------------------------------------------------------

@dataclass
class RenderReport:
    path: Path
    key: IssueKey
    notes: list[str] = field(default_factory=list)


def build_docx(ws: Workspace, key: IssueKey) -> bytes:
    """Compose and write one issue to .docx bytes (no file written)."""
    from bulletin.content.compose import compose_issue
    from bulletin.render.docx.writer import DocxWriter
    from bulletin.store.presets import load_preset

    issue = compose_issue(ws, key)
    preset = load_preset(ws.series().print_settings.preset, ws.templates_dir)
    return DocxWriter(preset).render(issue)


def render(ws: Workspace, ref: str, out: Path | None = None, force: bool = False,
           reason: str = "") -> RenderReport:
    """Write the issue's .docx. A published issue whose sources changed is refused unless `force`
    with a `reason`: then the correction (when, why, what changed) is added to its history in
    issue.yaml and the new checksums replace the published ones, so `check` passes again."""
    key = ws.resolve(ref)
    meta, loaded = ws.load_issue(key)
    if force and not reason.strip():
        raise fail(loaded.path, None, "--force needs --reason: say why the published issue is corrected",
                   f"bulletin render {key} --force --reason \"更正第2篇标题错字\"")
    notes: list[str] = []
    changed = []
    if meta.status == "published" and meta.published:
        changed = changed_sources(ws, key, meta)
        if changed and not force:
            raise BulletinError([Diagnostic(str(loaded.path), loaded.line_of(("status",)),
                                            f"issue {key} is published and its sources changed since: "
                                            + ", ".join(changed), "error",
                                            f"undo the changes, or record the correction with 'bulletin render {key} "
                                            "--force --reason \"…\"'")])
    data = build_docx(ws, key)
    target = output_path(ws, key, meta, out)
    files: dict[Path, bytes | str] = {target: data}
    if changed and force:
        notes.append(f"correction of published issue {key} recorded in {loaded.path}: {reason.strip()}")
        issue_path, issue_text = forced_record(ws, key, changed, reason.strip(), target, data)
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
    from bulletin.store.loaders import yaml_writer

    path = ws.issue_dir(key) / ISSUE_FILE
    # Lines the edit did not touch come back as written, so the change reads as one change in a diff.
    yaml = yaml_writer()
    node = yaml.load(path.read_text(encoding="utf-8"))
    edit(node)
    buffer = io.StringIO()
    yaml.dump(node, buffer)
    return path, buffer.getvalue()


def forced_record(ws: Workspace, key: IssueKey, changed: list[str], reason: str, target: Path,
                  data: bytes) -> tuple[Path, str]:
    """issue.yaml after an authorised correction: one more entry under published.forced (when, why,
    which sources had changed), and the checksums of the corrected sources and .docx as published."""
    now = _dt.datetime.now().replace(microsecond=0)
    sources = issue_sources(ws, key)

    def edit(node):
        published = node["published"]
        forced = published.setdefault("forced", [])
        forced.append({"at": now, "reason": reason, "changed": list(changed)})
        published["sources"] = sources
        published["output"] = {ws.rel(target): hashlib.sha256(data).hexdigest()}
    return edited_issue_yaml(ws, key, edit)


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
    found += [d for d in check_numbering(load_records(ws, []), series.first) if d.path == shown]
    lines, _ = lint(ws.root, [str(key)])
    for line in lines:
        m = re.match(r"(.+?:\d+:\d+): ([a-z-]+): (.*)", line)
        if m is None:
            found.append(Diagnostic(shown, None, line))
        elif m.group(2) not in PUBLISH_IGNORES:  # shown exactly as `lint` prints it
            found.append(Diagnostic(m.group(1), None, f"{m.group(2)}: {m.group(3)}"))
    missing = meta.people.missing()
    if series.require_people and missing:
        names = ", ".join(f"{word} ({name})" for name, word in missing)
        found.append(Diagnostic(shown, loaded.line_of(("people",)), f"the 编辑/审核/签发 line is incomplete: "
                                f"{names} empty", "error", "fill in 'people:' — bulletin.toml asks for all three "
                                "([series] require_people = true)"))
    unique: list[Diagnostic] = []
    for d in found:
        if d not in unique:
            unique.append(d)
    return unique


def publish(ws: Workspace, ref: str, force: bool = False, reason: str = "") -> RenderReport:
    """Check and proofread the issue, render it, set status published, record sha256 of the sources
    and of the .docx with the time. What `publish_findings` finds refuses it, unless `force` with a
    `reason`, which is recorded with the findings under published.override."""
    key = ws.resolve(ref)
    meta = _refuse_published(ws, key, f"a published issue is frozen; correct it with 'bulletin render {key} "
                             "--force --reason \"…\"', or publish a correction as a new issue")
    _, loaded = ws.load_issue(key)
    if force and not reason.strip():
        raise fail(loaded.path, None, "--force needs --reason: say why the issue is published as it is",
                   f"bulletin publish {key} --force --reason \"主任同意按原稿印发\"")
    findings = publish_findings(ws, key)
    if findings and not force:
        raise BulletinError(findings + [Diagnostic(str(loaded.path), None, f"issue {key} was not published",
                                                   "error", "fix the problems above, or publish anyway with "
                                                   "--force --reason \"…\" (recorded in issue.yaml)")])
    data = build_docx(ws, key)
    target = ws.build_dir / output_name(ws, key, meta)
    sources = issue_sources(ws, key)
    now = _dt.datetime.now().replace(microsecond=0)

    def edit(node):
        node["status"] = "published"
        node["published"] = {"at": now, "sources": sources,
                             "output": {ws.rel(target): hashlib.sha256(data).hexdigest()}}
        if findings:
            node["published"]["override"] = {"reason": reason.strip(), "findings": [d.format() for d in findings]}
    issue_path, issue_text = edited_issue_yaml(ws, key, edit)
    # Both or neither: a .docx in build/ without the frozen issue.yaml would look published and is not.
    atomic_write_many({target: data, issue_path: issue_text})
    ws.forget_issue(key)
    return RenderReport(target, key)


# --- check -------------------------------------------------------------------------------------------

def check(ws: Workspace, ref: str | None = None) -> list[Diagnostic]:
    """Every problem in the workspace (or one issue), errors and warnings, in file order."""
    from bulletin.content.compose import compose_issue
    from bulletin.rules.numbering import check_numbering

    out: list[Diagnostic] = []
    for load in (ws.series, ws.recipients):
        try:
            load()
        except BulletinError as exc:
            out += exc.diagnostics
    if out:
        return out
    try:
        from bulletin.store.presets import load_preset
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
            out += column_order(rec, compose_issue(ws, key))
        except BulletinError as exc:
            out += exc.diagnostics
    seen, unique = set(), []
    for d in out:
        if d not in seen:
            seen.add(d)
            unique.append(d)
    return unique


def column_order(rec, issue) -> list[Diagnostic]:
    """A warning for each article that starts its column (栏目) a second time: the heading 【…】 is then
    printed twice, in 本期要目 and above the article, as print order has it. Articles without a
    column stay in the column before them, as the writer prints them."""
    out: list[Diagnostic] = []
    current, last_of = None, {}
    for index, article in enumerate(issue.articles):
        name, column = rec.meta.articles[index], article.section
        if column and column != current and column in last_of:
            out.append(Diagnostic(str(rec.loaded.path), rec.loaded.line_of(("articles", index)),
                                  f"column 【{column}】 is printed twice (in 本期要目 and the text): {name} is "
                                  f"apart from {last_of[column]}, the column's article before it", "warning",
                                  f"move {name} in 'articles:' to follow {last_of[column]}"))
        if column:
            current, last_of[column] = column, name
    return out


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

    from bulletin.model.files import IssueMeta
    from bulletin.rules.numbering import later_issue, next_issue, number_label
    from bulletin.store.templates import render_template

    date = date or _dt.date.today()
    series = ws.series()
    ws.recipients()
    with ws.lock() as notes:
        diagnostics: list[Diagnostic] = []
        records = load_records(ws, diagnostics)
        if diagnostics:
            raise BulletinError(diagnostics + [Diagnostic("issues", None, "fix these issues before allocating "
                                                          "a new number", "error")])
        later = later_issue(records, date, kind)
        if later is not None:
            raise fail(later.loaded.path, later.line("date"), f"{number_label(later.meta)} of {later.key.year} is "
                       f"dated {later.meta.date.isoformat()}, after {date.isoformat()}: the new issue's number "
                       "would not follow the dates", f"date the new issue {later.meta.date.isoformat()} or later, "
                       "or correct the date of that issue")
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
    from bulletin.store.loaders import parse_yaml, validate
    from bulletin.model.files import IssueMeta

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


def add_articles(ws: Workspace, ref: str, files: list[Path], section: str = "",
                 simplify: bool = False) -> AddReport:
    """Read every file (a .md article is validated; .docx, .doc, .wps and .txt submissions are
    converted), then write the articles, their pictures and issue.yaml in one all-or-nothing write.

    Warnings: traditional characters in an article (converted with OpenCC only when `simplify`, and
    then said so), and an article whose text is the same as one already in the issue or added with it."""
    import os

    from bulletin.intake.submission import article_files, read_submission
    from bulletin.store.workspace import LOCK_NAME

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
        issue_path, issue_text = edited_issue_yaml(ws, key, edit)
        atomic_write_many({**staged, issue_path: issue_text})
        ws.forget_issue(key)
    return AddReport([ws.rel(p) for p in staged], [Diagnostic(LOCK_NAME, None, n, "warning")
                                                    for n in lock_notes] + notes)


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
        notes.append(Diagnostic(place, None, f"{count} traditional characters converted to simplified, the first "
                                f"'{first.details['found']}' to '{first.details['fixed']}'", "warning",
                                "check names, which may keep a traditional form on purpose"))
        return simple
    notes.append(Diagnostic(place, None, f"{count} traditional characters from {shown}, the first "
                            f"'{first.details['found']}' (write '{first.details['fixed']}')", "warning",
                            f"run 'bulletin lint {key} --fix' to convert them ('add --simplify' converts as it adds)"))
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
    where = f"already in issue {key}" if how == "already" else "added with it"
    return [Diagnostic(shown, None, f"its text is the same as {other}, {where}", "warning",
                       "remove one of them from the issue (its file and its line in issue.yaml)")]


def _refuse_published(ws: Workspace, key: IssueKey, hint: str = "add the article to the next issue ('bulletin new')"):
    """The issue's metadata; BulletinError when it is published. The one check of every command that
    writes into an issue (add, lint --fix, publish); `hint` says what to do instead."""
    meta, loaded = ws.load_issue(key)
    if meta.status == "published":
        raise fail(loaded.path, loaded.line_of(("status",)), f"issue {key} is published and frozen", hint)
    return meta


def _refuse_published_files(paths) -> None:
    """BulletinError when one of the article files `paths` lies in a published issue's folder
    (issues/YYYY/NN/ of a workspace); `lint --fix` takes files as well as issues."""
    from bulletin.store.workspace import parse_folder_name

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
        _refuse_published(ws, key, "a published issue is frozen: run lint without --fix to see the findings; "
                          f"a correction is edited by hand and recorded with 'bulletin render {key} --force "
                          "--reason \"…\"'")


def _free_name(name: str, claim) -> str:
    """`name`, else name-2, name-3 …: the first that `claim` grants (not listed, no such file)."""
    stem, suffix = name.rsplit(".", 1)
    candidate, n = name, 2
    while not claim(candidate):
        candidate = f"{stem}-{n}.{suffix}"
        n += 1
    return candidate


def parse_first(text: str):
    """`--first 2012-1-61` (year-number-total of the first issue the workspace will hold) → FirstIssue;
    ValueError with a message saying what is wrong."""
    import re

    from bulletin.model.files import FirstIssue

    m = re.fullmatch(r"([0-9]{4})-([0-9]{1,3})-([0-9]{1,6})", text.strip())
    if m is None:
        raise ValueError(f"{text!r} is not YEAR-NUMBER-TOTAL; write e.g. 2012-1-61 for 第1期（总第61期） of 2012")
    year, number, total = (int(g) for g in m.groups())
    if not 1949 <= year <= 2999:
        raise ValueError(f"the year {year} is not between 1949 and 2999")
    if number < 1 or total < 1:
        raise ValueError(f"the number and the total count from 1 ({text!r})")
    if total < number:
        raise ValueError(f"the total {total} is smaller than the number {number}; the total (总第…期) counts "
                         "every regular issue since the first")
    return FirstIssue(year=year, number=number, total=total)


def init_workspace(target: Path, name: str | None = None, editor: str | None = None, first=None) -> list[Path]:
    """Create a workspace with a starter bulletin.toml and recipients.yaml (never overwriting); `first`
    (a FirstIssue) numbers its first issue, else 第1期（总第1期） of this year."""
    from bulletin.model.files import FirstIssue

    target = Path(target)
    config = target / "bulletin.toml"
    if config.exists():
        raise fail(config, None, "a workspace already exists here", "choose an empty folder")
    from bulletin.store.templates import render_template

    first = first or FirstIssue(year=_dt.date.today().year)
    values = {"name": name or "工作简报", "editor": editor or "××办公室", "year": first.year,
              "number": first.number, "total": first.total}
    files = {config: render_template("starter/bulletin.toml.j2", values),
             target / "recipients.yaml": render_template("starter/recipients.yaml.j2", values)}
    files = {p: t for p, t in files.items() if not p.exists()}
    atomic_write_many(files)
    (target / "issues").mkdir(exist_ok=True)
    return list(files)


# --- compile -----------------------------------------------------------------------------------------

def compile_year(ws: Workspace, year: int, out: Path | None = None, drafts: bool = False) -> RenderReport:
    """The year's bound volume: every published issue in order (regular, then supplements and specials
    by date), bound from sources that still match their checksums; drafts only with `drafts`, marked
    （草稿） in the contents."""
    from bulletin.content.compose import compose_issue
    from bulletin.render.docx.volume import compile_volume
    from bulletin.store.presets import load_preset

    keys = [k for k in ws.issue_keys() if k.year == year]
    if not keys:
        raise fail(ws.rel(ws.root / "issues"), None, f"there are no issues of {year}",
                   "'bulletin list' shows the years that have issues")
    issues, problems, left_out = [], [], []
    for key in keys:
        try:
            meta, loaded = ws.load_issue(key)
            if meta.status != "published" and not drafts:
                left_out.append(str(key))
                continue
            for name in changed_sources(ws, key, meta) if meta.status == "published" else []:
                problems.append(Diagnostic(str(loaded.path), loaded.line_of(("status",)),
                                           f"published issue {key} changed since publishing: {name}", "error",
                                           "restore the file, or record the correction with 'bulletin render "
                                           f"{key} --force --reason \"…\"'"))
            issues.append(compose_issue(ws, key))
        except BulletinError as exc:
            problems += exc.diagnostics
    if problems:
        raise BulletinError(problems)
    if not issues:
        raise fail(ws.rel(ws.root / "issues" / str(year)), None, f"there are no published issues of {year}",
                   "publish them ('bulletin publish ISSUE'), or bind the drafts with --drafts")
    issues.sort(key=lambda i: (i.meta.date, i.meta.kind != "regular", i.meta.number))
    preset = load_preset(ws.series().print_settings.preset, ws.templates_dir)
    data = compile_volume(issues, preset, year)
    target = chosen_output(out, ws.build_dir, f"{ws.series().series.name}-{year}-合订本.docx")
    atomic_write(target, data)
    notes = [f"left out {len(left_out)} draft(s) not published: {', '.join(left_out)}; bind them too with --drafts"
             ] if left_out else []
    return RenderReport(target, keys[0], notes)


# --- lint --------------------------------------------------------------------------------------------

def lint(workspace: Path | None, targets: list[str], fix: bool = False) -> tuple[list[str], list[str]]:
    """Proofread article files, or every article of an issue: the findings as `path:line:col: rule:
    message` lines (left after fixing, with `fix`) and the files `fix` rewrote. Every file is read
    before any is written; an issue's articles are named relative to the workspace."""
    from dataclasses import replace

    from bulletin.content.proofread import fix_text, lint_text
    from bulletin.store.loaders import read_text
    from bulletin.store.workspace import parse_issue_ref

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
        _refuse_published_files(shown)  # a published issue is frozen, as for add
        changed = {path: new for path, text in texts.items() if (new := fix_text(text)) != text}
        if changed:
            atomic_write_many(changed)
        texts.update(changed)
        fixed = [shown[path] for path in changed]
    lines = [f"{shown[path]}:{f.line}:{f.col}: {f.rule}: {f.message}"
             for path, text in texts.items() for f in lint_text(text)]
    return lines, fixed
