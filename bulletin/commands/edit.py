"""Edits of one issue's issue.yaml (the workbench's buttons): move or remove an article, the editor's
note, the 编辑/审核/签发 names. Each is checked, written atomically under the workspace lock, refused
for a published issue, and leaves issue.yaml's other lines as they were."""
from __future__ import annotations

from pathlib import Path

from bulletin.commands.records import REOPENED, edited_issue_yaml, refuse_frozen, reopen, reopened_files
from bulletin.errors import BulletinError, fail
from bulletin.i18n import _
from bulletin.model.keys import IssueKey
from bulletin.store.atomic import atomic_write, atomic_write_many
from bulletin.store.versions import check_version
from bulletin.store.workspace import Workspace

PEOPLE = ("editor", "reviewer", "signer")


def _edit_issue(ws: Workspace, ref: str, edit, expected_version: str | None = None) -> IssueKey:
    """`edit(node, meta)` on issue.yaml under the lock; the result validated before it is written.
    `expected_version`: the version of issue.yaml the form was opened on (store.versions.Conflict
    when it changed since; None checks nothing, as the CLI)."""
    from bulletin.model.files import IssueMeta
    from bulletin.store.loaders import parse_yaml, validate
    from bulletin.store.workspace import check_problems

    key = ws.resolve(ref)
    with ws.lock():
        ws.forget_issue(key)
        meta = refuse_frozen(ws, key, _("a published issue is frozen"))
        check_version(ws.issue_dir(key) / "issue.yaml", expected_version, ws.rel(ws.issue_dir(key) / "issue.yaml"))

        path, text = edited_issue_yaml(ws, key, lambda node: edit(node, meta))
        if meta.status in REOPENED and text != edited_issue_yaml(ws, key, lambda node: None)[1]:
            def edited(node):   # a change of what was reviewed: back to draft, recorded (records.reopen)
                edit(node, meta)
                reopen(node, meta)
            path, text = edited_issue_yaml(ws, key, edited)
        loaded = parse_yaml(text, Path(ws.rel(path)))
        check_problems(validate(IssueMeta, loaded).problems(), loaded)
        atomic_write(path, text)
        ws.forget_issue(key)
    return key


def _listed(meta, name: str) -> int:
    if name not in meta.articles:
        raise fail(name, None, _("the article is not in this issue"), _("reload the page to see the issue as it is now"))
    return meta.articles.index(name)


def move_article(ws: Workspace, ref: str, name: str, delta: int, expected_version: str | None = None) -> IssueKey:
    """Move article `name` `delta` places later in the print order (-1: up one); at an end it stays."""
    def edit(node, meta):
        i = _listed(meta, name)
        j = max(0, min(len(meta.articles) - 1, i + delta))
        articles = node["articles"]
        articles.insert(j, articles.pop(i))
    return _edit_issue(ws, ref, edit, expected_version)


def set_article_order(ws: Workspace, ref: str, names: list[str], expected_version: str | None = None) -> IssueKey:
    """The issue's articles in the order `names` (the workbench's drag and drop); refused unless
    `names` holds exactly the articles issue.yaml lists now, each once: a page showing an older list
    (someone else added, removed or moved one meanwhile) changes nothing."""
    names = [str(name) for name in names]
    key = ws.resolve(ref)

    def edit(node, meta):
        if len(set(names)) != len(names) or sorted(names) != sorted(meta.articles):
            _meta, loaded = ws.load_issue(key)
            raise fail(loaded.path, loaded.line_of(("articles",)),
                       _("the issue's articles changed meanwhile, so this order was not saved"),
                       _("reload the page to see the issue as it is now, then move the articles again"))
        articles = node["articles"]
        by_name = {str(item): item for item in articles}   # the list's own scalars (their quoting) kept
        for i, name in enumerate(names):
            articles[i] = by_name[name]
    return _edit_issue(ws, ref, edit, expected_version)


def remove_article(ws: Workspace, ref: str, name: str, expected_version: str | None = None) -> IssueKey:
    """Take article `name` out of the issue's list; its file stays in the folder (nothing is lost)."""
    def edit(node, meta):
        node["articles"].pop(_listed(meta, name))
    return _edit_issue(ws, ref, edit, expected_version)


def set_editor_note(ws: Workspace, ref: str, text: str, expected_version: str | None = None) -> IssueKey:
    """The issue's 编者按 (Markdown; empty: none)."""
    from ruamel.yaml.scalarstring import LiteralScalarString

    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()

    def edit(node, meta):
        node["editor_note"] = LiteralScalarString(text + "\n") if "\n" in text else text
    return _edit_issue(ws, ref, edit, expected_version)


def set_people(ws: Workspace, ref: str, people: dict[str, str], expected_version: str | None = None) -> IssueKey:
    """The names printed after 编辑, 审核 and 签发 (keys editor, reviewer, signer), typed by hand: for an
    issue whose review record names no one (made before accounts, or whose steps were taken without a
    name); once it does, the printed names come from the record and this is refused."""
    unknown = set(people) - set(PEOPLE)
    if unknown:
        raise fail("people", None, _("unknown role {name!r}").format(name=sorted(unknown)[0]))

    def edit(node, meta):
        if meta.names_recorded():
            raise fail("people", None, _("the names printed after 编辑, 审核 and 签发 come from the issue's review "
                                         "record (送审, 审核通过, 签发), not from names typed by hand"),
                       _("reload the page to see the names as recorded"))
        if node.get("people") is None:
            node["people"] = {}
        for role in PEOPLE:
            if role in people:
                node["people"][role] = " ".join(people[role].split())
    return _edit_issue(ws, ref, edit, expected_version)


# --- one article: its front matter, body and proofreading (the workbench's article page) ----------------

ARTICLE_FIELDS = ("title", "source", "author", "section")


class ArticleRefused(BulletinError):
    """An article that would not read back: `fields` maps a front-matter key to its messages, the
    other diagnostics (the body's, with their lines) are in `diagnostics`."""

    def __init__(self, fields: dict[str, list[str]], diagnostics: list, box_first_line: int = 1):
        from bulletin.errors import Diagnostic

        super().__init__([*(Diagnostic(field, None, m) for field, messages in fields.items() for m in messages),
                          *diagnostics])
        self.fields = fields
        self.body = diagnostics
        self.box_first_line = box_first_line  # the file line the text box's first line became


def article_file(ws: Workspace, ref: str, name: str) -> tuple[IssueKey, Path]:
    """The issue's key and the path of its article `name`: only a name issue.yaml lists, and only a
    file directly in the issue's folder; BulletinError for anything else (no path is touched first)."""
    key = ws.resolve(ref)
    meta, _loaded = ws.load_issue(key)
    _listed(meta, name)
    folder = ws.issue_dir(key)
    path = folder / name
    if path.parent != folder or name in (".", "..") or "/" in name or "\\" in name:
        raise fail(name, None, _("the article is not in this issue"))
    return key, path


def _split(text: str, shown: str) -> tuple[list[str], int]:
    from bulletin.store.loaders import split_front_matter

    return split_front_matter(text, Path(shown))


def read_article(ws: Workspace, ref: str, name: str) -> dict:
    """What the article page shows: the front-matter fields, the body as Markdown, the proofreading
    findings (as `bulletin lint`), whether any can be fixed, and whether the issue is published."""
    from bulletin.content.proofread import lint_text
    from bulletin.store.loaders import parse_front_matter, read_text
    from bulletin.store.versions import file_version

    key, path = article_file(ws, ref, name)
    meta, _loaded = ws.load_issue(key)
    # the version read before the text: a change in between makes a save refused, never lost
    version = file_version(path)
    text = read_text(path)
    shown = ws.rel(path)
    fields = {field: "" for field in ARTICLE_FIELDS}
    field_lines: dict[int, str] = {}
    try:
        fm = parse_front_matter(text, Path(shown))
        if isinstance(fm.meta.data, dict):
            fields.update({k: "" if v is None else str(v) for k, v in fm.meta.data.items() if k in fields})
            field_lines = {line: key[0] for key, line in fm.meta.lines.items() if len(key) == 1}
    except BulletinError:
        pass
    try:
        lines, end = _split(text, shown)
        body_lines = lines[end + 1:]
        first = end + 2
        if _blank_after_front_matter(body_lines):
            body_lines, first = body_lines[1:], first + 1
        body = "\n".join(body_lines)
    except BulletinError:
        lines, end, body, first = text.split("\n"), -1, text, 1
    findings = [_shown_finding(f, first, end, field_lines, lines) for f in lint_text(text)]
    return {"key": key, "path": shown, "version": version, "fields": fields, "body": body, "box_first_line": first,
            "findings": findings, "fixable": any(f["fixable"] for f in findings),
            "published": meta.status == "published"}


def _blank_after_front_matter(body_lines: list[str]) -> bool:
    """Whether the body begins with the one empty line that parts it from the front matter: the text
    box leaves it out (it would open on a blank line) and saving puts it back."""
    return len(body_lines) > 1 and body_lines[0] == ""


def _shown_finding(finding, first: int, end: int, field_lines: dict[int, str], lines: list[str]) -> dict:
    """A proofreading finding as the article page shows it: its line counted from the text box's first
    line (`bulletin lint` gives the file's), or for one in the front matter the field it is in and its
    column in the field's value; the rule's name and, in words, what it is about."""
    from bulletin.content.proofread import summary

    line, col, field = finding.line - first + 1, finding.col, ""
    if finding.line <= end + 1:
        line, field = None, field_lines.get(finding.line, "front matter")
        text = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
        key, colon, value = text.partition(":")
        if colon and field != "front matter":
            col = max(1, finding.col - (len(text) - len(value.lstrip())))
    return {"rule": finding.rule, "summary": summary(finding.rule), "line": line, "field": field, "col": col,
            "message": finding.message, "fixable": finding.fixable}


def _article_text(text: str, shown: str, fields: dict[str, str], body: str) -> tuple[str, int]:
    """The article with `fields` set in its front matter by a YAML round trip (its other keys, their
    order and comments kept; a field it did not have and is left empty is not added) and `body` (as
    the text box showed it: the empty line after the front matter, when the article had one, is put
    back); and the file line the box's first line becomes."""
    from ruamel.yaml import YAMLError

    from bulletin.intake.markdown_out import set_front_matter_key

    from bulletin.store.loaders import parse_front_matter

    newline = "\r\n" if "\r\n" in text else "\n"
    had = parse_front_matter(text, Path(shown)).meta.data or {}
    try:
        for field in ARTICLE_FIELDS:
            value = " ".join(str(fields.get(field, "")).split())
            if field in fields and (value or field in had):
                text = set_front_matter_key(text, field, value)
    except YAMLError as exc:  # a front matter ruamel cannot read back
        raise fail(shown, 2, _("the front matter cannot be read ({reason})").format(reason=exc)) from None
    lines, end = _split(text, shown)
    body = body.replace("\r\n", "\n").replace("\r", "\n").rstrip("\n") + "\n"
    first = end + 2
    if _blank_after_front_matter(lines[end + 1:]):
        body, first = "\n" + body, first + 1
    return newline.join(lines[:end + 1]) + newline + newline.join(body.split("\n")), first


def check_article(ws: Workspace, path: Path, text: str) -> None:
    """The article reads as `bulletin check` reads it: front matter as ArticleMeta, a body that parses,
    every picture beside it; ArticleRefused with each problem by its field or line."""
    from bulletin.content.compose import check_pictures
    from bulletin.content.markdown import parse_markdown
    from bulletin.model.files import ArticleMeta
    from bulletin.store.loaders import parse_front_matter, validate

    shown = ws.rel(path)
    fields: dict[str, list[str]] = {}
    body: list = []
    try:
        fm = parse_front_matter(text, Path(shown))
    except BulletinError as exc:
        raise ArticleRefused({}, exc.diagnostics) from None
    lines = {fm.meta.line_of((field,)): field for field in ARTICLE_FIELDS if field in (fm.meta.data or {})}
    try:
        validate(ArticleMeta, fm.meta)
    except BulletinError as exc:
        for d in exc.diagnostics:
            field = lines.get(d.line) or next((f for f in ARTICLE_FIELDS if f in d.message), None)
            if field:
                fields.setdefault(field, []).append(d.message + (f"（{d.hint}）" if d.hint else ""))
            else:
                body.append(d)
    try:
        blocks = parse_markdown(fm.body, fm.body_first_line, fm.body_lines)
        body += check_pictures(path, blocks, shown, ws.rel)
    except BulletinError as exc:
        body += exc.diagnostics
    if fields or body:
        raise ArticleRefused(fields, body)


def save_article(ws: Workspace, ref: str, name: str, fields: dict[str, str], body: str,
                 expected_version: str | None = None) -> IssueKey:
    """Article `name` of issue `ref` with its 标题/供稿单位/作者/栏目 `fields` and Markdown `body`:
    checked first (nothing written on error), then written atomically under the workspace lock;
    refused for a published issue, and (store.versions.Conflict) when the file is no longer at
    `expected_version`, the version the form was opened on."""
    from bulletin.store.loaders import read_text

    key, path = article_file(ws, ref, name)
    with ws.lock():
        ws.forget_issue(key)
        meta = refuse_frozen(ws, key, _("a published issue is frozen"))
        check_version(path, expected_version, ws.rel(path))
        text = read_text(path)
        new, first = _article_text(text, ws.rel(path), fields, body)
        try:
            check_article(ws, path, new)
        except ArticleRefused as exc:
            exc.box_first_line = first
            raise
        if new != text:
            atomic_write_many({path: new, **reopened_files(ws, key, meta)})
            ws.forget_issue(key)
    return key


def fix_article(ws: Workspace, ref: str, name: str, expected_version: str | None = None) -> bool:
    """The safe fixes of `bulletin lint --fix` applied to article `name`; False when none applied."""
    from bulletin.content.proofread import fix_text
    from bulletin.store.loaders import read_text

    key, path = article_file(ws, ref, name)
    with ws.lock():
        ws.forget_issue(key)
        meta = refuse_frozen(ws, key, _("a published issue is frozen"))
        check_version(path, expected_version, ws.rel(path))
        text = read_text(path)
        new = fix_text(text)
        if new != text:
            atomic_write_many({path: new, **reopened_files(ws, key, meta)})
            ws.forget_issue(key)
    return new != text


def set_article_field(ws: Workspace, ref: str, name: str, field: str, value: str,
                      expected_version: str | None = None) -> IssueKey:
    """One front-matter field (标题/供稿单位/作者/栏目: `title`, `source`, `author`, `section`) of
    article `name` set to `value` (spaces collapsed, as the article page saves it), its other lines and
    its body kept as they were; checked as `save_article` checks (nothing written on error), under the
    workspace lock, refused for a published issue. An empty value for a field the article does not
    have changes nothing."""
    from ruamel.yaml import YAMLError

    from bulletin.intake.markdown_out import set_front_matter_key
    from bulletin.store.loaders import parse_front_matter, read_text

    if field not in ARTICLE_FIELDS:
        raise fail(name, None, _("unknown field {name!r}").format(name=field),
                   _("one of: {fields}").format(fields=", ".join(ARTICLE_FIELDS)))
    key, path = article_file(ws, ref, name)
    value = " ".join(str(value).split())
    with ws.lock():
        ws.forget_issue(key)
        meta = refuse_frozen(ws, key, _("a published issue is frozen"))
        check_version(path, expected_version, ws.rel(path))
        text = read_text(path)
        shown = ws.rel(path)
        try:
            had = parse_front_matter(text, Path(shown)).meta.data or {}
        except BulletinError as exc:
            raise ArticleRefused({}, exc.diagnostics) from None
        if not value and field not in had:
            return key
        try:
            new = set_front_matter_key(text, field, value)
        except YAMLError as exc:  # a front matter ruamel cannot read back
            raise fail(shown, 2, _("the front matter cannot be read ({reason})").format(reason=exc)) from None
        check_article(ws, path, new)
        if new != text:
            atomic_write_many({path: new, **reopened_files(ws, key, meta)})
            ws.forget_issue(key)
    return key
