"""信息报送: the items units send, and the editors' decisions on them (采用, 综合采用, 退回, 留用, 撤销).

Every item is a folder of the workspace, under version control like everything else:

    submissions/2026/0003-市税务局/item.yaml       the record (model.files.SubmissionRecord)
    submissions/2026/0003-市税务局/original.docx   the file as sent (or original.txt, .doc, .wps),
                                                   or text.md for an item written in the form

Items are numbered per year from 0001 (under the workspace lock). A decision is appended to the
record's `decisions:` with who and when; `status:` is the effect of the list, and an `undo` step
cancels the last decision still in force, so nothing is ever erased from the record. An adopted item
becomes an article through the same intake as `bulletin add` (commands.add.staged_articles), with the
unit as its `source`; a combined one is appended to a roundup article (综合) as a part that starts with
the unit's name. The scores (commands.stats) are computed from these records and the issues' marks,
never stored. Every change is checked first and written all or nothing under the workspace lock.
"""
from __future__ import annotations

import datetime as _dt
import hashlib
import re
import tempfile
import threading
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from bulletin.commands.records import edited_issue_yaml, refuse_frozen, reopen
from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.i18n import N_, _
from bulletin.model.files import Decision, SubmissionRecord
from bulletin.model.keys import IssueKey
from bulletin.rules.permissions import Actor, Forbidden, ensure
from bulletin.store.atomic import atomic_write_many
from bulletin.store.workspace import Workspace

SUBMISSIONS_DIR = "submissions"
ITEM_FILE = "item.yaml"
TEXT_FILE = "text.md"
UPLOAD_SUFFIXES = (".docx", ".doc", ".wps", ".txt")
MAX_TEXT = 200_000            # characters of an item written in the form
STATUSES = ("pending", "adopted", "combined", "returned", "kept")
STATUS_WORDS = {"pending": N_("pending"), "adopted": N_("adopted"), "combined": N_("combined into a roundup"),
                "returned": N_("returned"), "kept": N_("kept for later")}
ACTION_WORDS = {"adopt": N_("adopted"), "combine": N_("combined into a roundup"), "return": N_("returned"),
                "keep": N_("kept for later"), "undo": N_("undone")}
MARK_KINDS = ("instruction", "higher")

_REF = re.compile(r"^\s*(\d{4})-0*(\d{1,6})\s*$")
_FOLDER = re.compile(r"^(\d{4})-")


@dataclass
class Submission:
    """One item: its record (item.yaml), its folder and its name (`ref`, e.g. 2026-0003)."""

    ref: str
    folder: Path
    record: SubmissionRecord

    @property
    def year(self) -> int:
        return int(self.ref.split("-")[0])

    @property
    def number(self) -> int:
        return self.record.number

    @property
    def unit(self) -> str:
        return self.record.unit

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def status(self) -> str:
        return self.record.status

    @property
    def sent_at(self) -> _dt.datetime:
        return self.record.sent_at

    @property
    def sent_by(self) -> str:
        return self.record.sent_by

    @property
    def decisions(self) -> list[Decision]:
        """Every step taken on the item, in order (undone ones and the undo steps included)."""
        return list(self.record.decisions)

    @property
    def decision(self) -> Decision | None:
        """The decision in force (None while 待处理): its action, by, at, reason, issue, article."""
        return self.record.current()

    @property
    def file_path(self) -> Path:
        """The stored file: the original as sent, or text.md."""
        return self.folder / self.record.file

    @property
    def written_in_form(self) -> bool:
        return self.record.file == TEXT_FILE


class Outcome(str):
    """What a decision made (the article's file name), with the intake's notes as warnings."""

    notes: list[Diagnostic]

    def __new__(cls, value: str, notes: list[Diagnostic] | None = None):
        made = super().__new__(cls, value)
        made.notes = list(notes or [])
        return made


def now_here() -> _dt.datetime:
    """This moment in the computer's own zone, to the second."""
    return _dt.datetime.now().astimezone().replace(microsecond=0)


# --- the units ----------------------------------------------------------------------------------------

def units(ws: Workspace) -> list[str]:
    """The units that send items: bulletin.toml's `[submissions] units` when given; else the recipient
    directory's names and the articles' sources, in that order, once each (the editing office is not
    a unit of its own unless listed)."""
    listed = ws.series().submissions.units
    if listed is not None:
        return list(listed)
    office = ws.series().series.editor
    found: dict[str, None] = {}
    for recipient in ws.recipients().recipients:
        found.setdefault(recipient.name, None)
    from bulletin.commands.records import load_records

    for rec in load_records(ws, diagnostics=[]):
        for name in rec.meta.articles:
            try:
                meta, _fm = ws.load_article(ws.issue_dir(rec.key) / name)
            except (BulletinError, OSError):
                continue  # `check` reports an article that does not read
            if meta.source:
                found.setdefault(meta.source, None)
    found.pop(office, None)
    return list(found)


def check_unit(ws: Workspace, unit: str) -> str:
    """`unit` as the workspace knows it, or BulletinError naming the units there are."""
    unit = " ".join((unit or "").split())
    known = units(ws)
    if unit not in known:
        raise fail("unit", None, _("{unit} is not one of the workspace's units").format(unit=unit or "''"),
                   _("the units are {units}; list them in bulletin.toml [submissions] units").format(
                       units=_("、").join(known) or _("none yet")))
    return unit


def unit_folder(number: int, unit: str) -> str:
    """`0003-市税务局`: the item's folder name, the unit's name made safe on every system."""
    from bulletin.intake.markdown_out import safe_article_name

    return f"{number:04d}-{safe_article_name(unit + '.md')[:-3]}"


# --- reading --------------------------------------------------------------------------------------------

def _root(ws: Workspace) -> Path:
    return ws.root / SUBMISSIONS_DIR


def _read(ws: Workspace, folder: Path) -> Submission:
    from bulletin.store import loaders
    from bulletin.store.workspace import check_problems

    path = folder / ITEM_FILE
    try:
        loaded = loaders.load_yaml(path)
    except BulletinError as exc:
        raise BulletinError(_renamed(exc.diagnostics, path, ws.rel(path))) from None
    loaded.path = Path(ws.rel(path))
    record = loaders.validate(SubmissionRecord, loaded)
    problems = record.problems()
    match = re.match(r"^(\d+)-", folder.name)
    if match and int(match.group(1)) != record.number:
        problems.append((("number",), _("the number is {number}, but the folder says {folder}").format(
            number=record.number, folder=folder.name), _("keep the number of the folder's name")))
    check_problems(problems, loaded)
    return Submission(f"{folder.parent.name}-{record.number:04d}", folder, record)


def _folders(ws: Workspace, year: int | None = None) -> list[Path]:
    root = _root(ws)
    if not root.is_dir():
        return []
    out = []
    for year_dir in sorted(root.iterdir()):
        if not (year_dir.is_dir() and re.fullmatch(r"\d{4}", year_dir.name)):
            continue
        if year is not None and int(year_dir.name) != year:
            continue
        for folder in sorted(year_dir.iterdir()):
            if folder.is_dir() and re.match(r"^\d{4,6}-", folder.name) and (folder / ITEM_FILE).is_file():
                out.append(folder)
    return out


def listing(ws: Workspace, *, unit: str | None = None, status: str | None = None,
            year: int | None = None) -> list[Submission]:
    """The items (of `unit`, with `status`, sent in `year`), newest first; every item that does not
    read is reported at once, with its file and line."""
    if status is not None and status not in STATUSES:
        raise fail("--status", None, _("unknown status {status!r}").format(status=status),
                   _("choose from {choices}").format(choices=", ".join(STATUSES)))
    items, problems = [], []
    for folder in _folders(ws, year):
        try:
            item = _read(ws, folder)
        except BulletinError as exc:
            problems += exc.diagnostics
            continue
        if (unit is None or item.unit == unit) and (status is None or item.status == status):
            items.append(item)
    if problems:
        raise BulletinError(problems)
    return sorted(items, key=lambda i: (i.sent_at, i.year, i.number), reverse=True)


def load(ws: Workspace, ref: str) -> Submission:
    """The item named `ref` (2026-0003, 2026-3); BulletinError when there is none."""
    match = _REF.match(str(ref or ""))
    if not match:
        raise fail(str(ref), None, _("{ref!r} does not name an item").format(ref=ref),
                   _("name an item by its year and number, e.g. 2026-0003 ('bulletin submissions' lists them)"))
    year, number = int(match.group(1)), int(match.group(2))
    for folder in _folders(ws, year):
        if int(folder.name.split("-", 1)[0]) == number:
            return _read(ws, folder)
    raise fail(SUBMISSIONS_DIR, None, _("there is no item {ref}").format(ref=f"{year}-{number:04d}"),
               _("'bulletin submissions' lists the items"))


def submission_problems(ws: Workspace, issues: dict | None = None) -> list[Diagnostic]:
    """For `bulletin check`: every item.yaml that does not read, and a warning for an adoption whose
    article is no longer in its issue (it earns no points until it is put back or the adoption undone)."""
    out: list[Diagnostic] = []
    for folder in _folders(ws):
        try:
            item = _read(ws, folder)
        except BulletinError as exc:
            out += exc.diagnostics
            continue
        decision = item.decision
        if issues is None or decision is None or decision.action not in ("adopt", "combine"):
            continue
        rec = issues.get(decision.issue)
        if rec is None or decision.article not in rec.meta.articles:
            out.append(Diagnostic(ws.rel(folder / ITEM_FILE), None,
                                  _("item {ref} was adopted into {issue} as {article}, which that issue no longer "
                                    "has").format(ref=item.ref, issue=decision.issue, article=decision.article),
                                  "warning", _("put the article back, or undo the adoption (bulletin submissions "
                                               "undo {ref})").format(ref=item.ref)))
    return out


# --- the record as written ---------------------------------------------------------------------------------

def _record_text(record: dict) -> str:
    import io

    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    from bulletin.store.loaders import yaml_writer

    node = CommentedMap(record)
    decisions = CommentedSeq()
    decisions.fa.set_flow_style()
    node["decisions"] = decisions
    buffer = io.StringIO()
    yaml_writer().dump(node, buffer)
    return buffer.getvalue()


def _decision_node(decision: Decision):
    from ruamel.yaml.comments import CommentedMap

    item = CommentedMap([("action", decision.action), ("by", decision.by), ("at", decision.at)])
    if decision.reason:
        item["reason"] = decision.reason
    if decision.issue:
        item["issue"] = decision.issue
        item["article"] = decision.article
    if "\n" not in decision.reason:
        item.fa.set_flow_style()
    return item


def _with_decision(ws: Workspace, item: Submission, decision: Decision) -> tuple[Path, str]:
    """item.yaml with `decision` appended and the status it leads to, round trip (its other lines as
    they were), checked as it will be read."""
    import io

    from ruamel.yaml.comments import CommentedSeq

    from bulletin.model.files import DECIDED, effective_decisions
    from bulletin.store.loaders import parse_yaml, validate, yaml_writer
    from bulletin.store.workspace import check_problems

    path = item.folder / ITEM_FILE
    yaml = yaml_writer()
    node = yaml.load(path.read_text(encoding="utf-8"))
    decisions = node.get("decisions")
    if not isinstance(decisions, list) or not decisions:
        decisions = CommentedSeq()
        decisions.fa.set_block_style()
        node["decisions"] = decisions
    decisions.fa.set_block_style()
    decisions.append(_decision_node(decision))
    stack = effective_decisions([*item.record.decisions, decision])
    node["status"] = DECIDED[stack[-1].action] if stack else "pending"
    buffer = io.StringIO()
    yaml.dump(node, buffer)
    text = buffer.getvalue()
    written = parse_yaml(text, Path(ws.rel(path)))
    check_problems(validate(SubmissionRecord, written).problems(), written)
    return path, text


# --- sending ----------------------------------------------------------------------------------------------

def _renamed(diagnostics, path: Path, shown: str) -> list[Diagnostic]:
    """Diagnostics about the file at `path` (a temporary copy, a stored original) named as `shown`."""
    return [Diagnostic(shown if d.path == str(path) else d.path, d.line, d.message, d.severity, d.hint)
            for d in diagnostics]


def _read_upload(name: str, data: bytes):
    """The intake's reading of an uploaded file (checked as `bulletin add` checks it), from a private
    temporary copy; BulletinError names the file as it was uploaded."""
    from bulletin.intake.submission import read_submission

    with tempfile.TemporaryDirectory(prefix="bulletin-item-") as tmp:
        path = Path(tmp) / ("upload" + Path(name).suffix.lower())
        path.write_bytes(data)
        return _relabelled(read_submission, path, name)


def _clean_text(text: str) -> str:
    from bulletin.cjk import clean_text

    return clean_text((text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def send(ws: Workspace, actor: Actor, *, unit: str, title: str = "", text: str = "",
         upload: tuple[str, bytes] | None = None, now: _dt.datetime | None = None) -> Submission:
    """A new item of `unit`, sent by `actor`: an uploaded file (name, bytes: Word or text, read
    through the intake first, so a file `bulletin add` would refuse is refused now) or a text written
    in the form (`title` required, or the text's first line). A submitter sends for their own unit only."""
    from bulletin.cjk import one_line

    ensure(actor, "submissions.send", where=SUBMISSIONS_DIR)
    unit = check_unit(ws, unit)
    if not actor.local and "submitter" in actor.roles and actor.unit != unit:
        raise Forbidden(Diagnostic(SUBMISSIONS_DIR, None, _("{name} sends for {own}, not for {unit}").format(
            name=actor.name, own=actor.unit or _("no unit"), unit=unit)))
    title = one_line(title or "").strip()
    files: dict[str, bytes | str] = {}
    if upload is not None:
        name, data = upload
        name = Path(str(name or "").replace("\\", "/")).name or "upload"
        suffix = Path(name).suffix.lower()
        if suffix not in UPLOAD_SUFFIXES:
            raise fail(name, None, _("cannot send a {suffix} file").format(suffix=suffix or _("nameless")),
                       _("send a Word (.docx, .doc), WPS (.wps) or plain text (.txt) file, or write the item in "
                         "the form"))
        limit = ws.series().workbench.max_file_mb
        if len(data) > limit * 1024 * 1024:
            raise fail(name, None, _("the file is larger than {mb} MB").format(mb=limit),
                       _("send the text without its largest pictures"))
        sub = _read_upload(name, data)
        title = title or sub.title
        files["original" + suffix] = data
    else:
        text = _clean_text(text)
        if not text:
            raise fail("text", None, _("the item has no text"), _("upload its file, or write its text"))
        if len(text) > MAX_TEXT:
            raise fail("text", None, _("the text is longer than {n} characters").format(n=MAX_TEXT),
                       _("send it as a Word file"))
        if not title:
            first, _sep, rest = text.partition("\n")
            title, text = one_line(first).strip(), rest.strip() or first
        files[TEXT_FILE] = text + "\n"
    if not title:
        raise fail("title", None, _("the item needs a title"), _("write its title"))
    at = (now or now_here()).replace(microsecond=0)
    if at.tzinfo is None:
        at = at.astimezone()
    year = at.year
    with ws.lock():
        taken = [int(f.name.split("-", 1)[0]) for f in _folders(ws, year)]
        if (_root(ws) / str(year)).is_dir():  # a folder without its item.yaml still holds its number
            taken += [int(m.group(1)) for f in (_root(ws) / str(year)).iterdir()
                      if (m := re.match(r"^(\d{4,6})-", f.name))]
        number = max(taken, default=0) + 1
        folder = _root(ws) / str(year) / unit_folder(number, unit)
        stored = next(iter(files))
        record = {"number": number, "unit": unit, "title": title, "sent_by": actor.name, "sent_at": at,
                  "file": stored, "status": "pending"}
        text_yaml = _record_text(record)
        from bulletin.store.loaders import parse_yaml, validate
        from bulletin.store.workspace import check_problems

        written = parse_yaml(text_yaml, Path(ws.rel(folder / ITEM_FILE)))
        check_problems(validate(SubmissionRecord, written).problems(), written)
        atomic_write_many({folder / ITEM_FILE: text_yaml, **{folder / n: d for n, d in files.items()}})
    return load(ws, f"{year}-{number}")


# --- the intake of an item ---------------------------------------------------------------------------

def _intake(ws: Workspace, item: Submission):
    """The item read as `bulletin add` reads a file: its article-to-be (intake Submission) with the
    unit as its source and the item's title; notes name the item's file."""
    from bulletin.intake.markdown_out import safe_article_name
    from bulletin.intake.submission import read_submission

    path = item.file_path
    shown = ws.rel(path)
    if item.written_in_form:
        body = path.read_text(encoding="utf-8")
        with tempfile.TemporaryDirectory(prefix="bulletin-item-") as tmp:
            plain = Path(tmp) / "item.txt"
            plain.write_text(item.title + "\n\n" + body, encoding="utf-8")
            sub = _relabelled(read_submission, plain, shown)
        # the title was given in the form, not guessed: the intake's note about it says nothing here
        guessed = _("title taken from the first line: {title}").format(title=item.title)
        sub.notes = [n for n in sub.notes if n.message != guessed]
    else:
        sub = _relabelled(read_submission, path, shown)
    sub.title = item.title
    sub.source = item.unit
    sub.file_name = safe_article_name(item.unit + ".md")
    return sub


def _relabelled(reader, path: Path, shown: str):
    try:
        sub = reader(path)
    except BulletinError as exc:
        raise BulletinError(_renamed(exc.diagnostics, path, shown)) from None
    sub.shown = shown
    sub.notes = _renamed(sub.notes, path, shown)
    return sub


def item_markdown(ws: Workspace, item: Submission) -> tuple[str, dict[str, bytes]]:
    """The article the item would become: its Markdown (with front matter) and its pictures by name."""
    from bulletin.intake.markdown_out import article_files

    sub = _intake(ws, item)
    files = article_files(sub, sub.file_name, "", lambda name: True)
    text = files.pop(sub.file_name)
    return text, {name: data for name, data in files.items() if isinstance(data, bytes)}


# The inbox shows every open item's preview on each load; reading a Word file (a .doc or .wps through
# LibreOffice) each time would make the page wait. A preview is kept by what it is made of: the stored
# file's bytes, the title, the unit and the preset's body settings; anything changed makes a new one.
_PREVIEWS: "OrderedDict[tuple, str]" = OrderedDict()
_PREVIEWS_KEPT = 64
_previews_lock = threading.Lock()


def preview_html(ws: Workspace, ref: str) -> str:
    """The item as it would print (the inbox's preview): the intake's Markdown through the web
    edition's article writer, pictures inline as data: addresses. No file is written."""
    item = load(ws, ref)
    body = ws.preset().body
    key = (hashlib.sha256(item.file_path.read_bytes()).hexdigest(), item.title, item.unit,
           body.model_dump_json())
    with _previews_lock:
        if key in _PREVIEWS:
            _PREVIEWS.move_to_end(key)
            return _PREVIEWS[key]
    html = _preview_html(ws, item)
    with _previews_lock:
        _PREVIEWS[key] = html
        while len(_PREVIEWS) > _PREVIEWS_KEPT:
            _PREVIEWS.popitem(last=False)
    return html


def _preview_html(ws: Workspace, item: "Submission") -> str:
    import base64

    from bulletin.content.blocks import Article, Image
    from bulletin.content.markdown import parse_markdown
    from bulletin.content.passes import number_headings
    from bulletin.content.pictures import read_picture
    from bulletin.render.html.page import IssuePage
    from bulletin.render.words import ArticleWords
    from bulletin.store.loaders import parse_front_matter

    text, pictures = item_markdown(ws, item)
    fm = parse_front_matter(text, Path(ws.rel(item.file_path)))
    blocks = number_headings(parse_markdown(fm.body, fm.body_first_line, fm.body_lines))
    for block in blocks:
        if isinstance(block, Image) and block.src in pictures:
            picture, problem = read_picture(pictures[block.src], block.src)
            block.picture = None if problem else picture
    preset = ws.preset()
    article = Article(item.title, blocks, item.file_path, item.unit)
    body = preset.body
    words = ArticleWords(item.title, "", item.unit if body.source_style == "kicker" else "",
                         body.source_format.format(source=item.unit) if body.source_style == "trailer" else "")
    page = IssuePage(preset)
    html = page.article(0, article, words, 2)
    for name, data in page.pictures.items():
        kind = name.rsplit(".", 1)[-1].lower().replace("jpg", "jpeg")
        html = html.replace(f'src="{name}"', f'src="data:image/{kind};base64,{base64.b64encode(data).decode()}"')
    return html


# --- decisions --------------------------------------------------------------------------------------------

def _status_words(item: Submission) -> str:
    decision = item.decision
    said = _(STATUS_WORDS[item.status])
    if decision is None:
        return said
    where = _(" ({issue}, {article})").format(issue=decision.issue, article=decision.article) if decision.issue else ""
    return _("{status}{where} by {by} on {day}").format(status=said, where=where, by=decision.by or "—",
                                                        day=decision.at.date().isoformat())


def _refuse_decided(ws: Workspace, item: Submission, action: str) -> None:
    """A second decision only after the first is undone; an item kept for later (留用) may still be
    adopted, combined or returned."""
    open_to = ("pending", "kept") if action != "keep" else ("pending",)
    if item.status not in open_to:
        raise fail(ws.rel(item.folder / ITEM_FILE), None,
                   _("item {ref} is already decided: {status}").format(ref=item.ref, status=_status_words(item)),
                   _("undo that decision first (bulletin submissions undo {ref})").format(ref=item.ref))


def _decider(actor: Actor, item_path: str) -> None:
    ensure(actor, "submissions.decide", where=item_path)


def _at(now: _dt.datetime | None) -> _dt.datetime:
    at = (now or now_here()).replace(microsecond=0)
    return at if at.tzinfo else at.astimezone()


def _frozen_issue(ws: Workspace, key: IssueKey):
    return refuse_frozen(ws, key, _("adopt the item into a draft issue ('bulletin new' makes the next one)"))


def adopt(ws: Workspace, ref: str, actor: Actor, issue: str, section: str = "",
          now: _dt.datetime | None = None) -> Outcome:
    """全文采用: the item becomes an article of the (draft) issue through the same intake as `bulletin
    add`, with `source` set to its unit; returns the article's file name (with the intake's notes)."""
    from bulletin.commands.add import staged_articles

    item = load(ws, ref)
    _decider(actor, ws.rel(item.folder / ITEM_FILE))
    key = ws.resolve(issue)
    _frozen_issue(ws, key)
    _refuse_decided(ws, item, "adopt")
    sub = _intake(ws, item)  # before the lock: a .doc goes through LibreOffice
    notes = list(sub.notes)
    with ws.lock():
        ws.forget_issue(key)
        meta = _frozen_issue(ws, key)
        item = load(ws, ref)
        _refuse_decided(ws, item, "adopt")
        staged, issue_files, names = staged_articles(ws, key, meta, [sub], section, False, notes)
        decision = Decision(action="adopt", by=actor.name, at=_at(now), issue=str(key), article=names[0])
        item_path, item_text = _with_decision(ws, item, decision)
        atomic_write_many({**staged, **issue_files, item_path: item_text})
        ws.forget_issue(key)
    return Outcome(names[0], notes)


def _part(ws: Workspace, item: Submission, folder: Path, claim) -> tuple[str, dict[Path, bytes]]:
    """The item's text as a part of a roundup: its paragraphs, the first led by the unit's name in bold
    (`**市税务局：**…`), so the part is credited to its unit in print; its pictures named anew."""
    from bulletin.intake.markdown_out import article_files
    from bulletin.store.loaders import split_front_matter

    sub = _intake(ws, item)
    files = article_files(sub, sub.file_name, "", claim, folder)  # pictures named after the unit: 市民政局-1.png
    text = str(files.pop(sub.file_name))
    lines, end = split_front_matter(text, Path(sub.file_name))
    body = "\n".join(lines[end + 1:]).strip("\n")
    lead = f"**{_md_escape(item.unit)}：**"
    first = body.split("\n", 1)[0] if body else ""
    if body and not re.match(r"^(#|!\[|\||\*\*|>|-|\d+\.)", first):
        body = lead + body
    else:
        body = lead + _md_escape(item.title) + ("\n\n" + body if body else "")
    return body, {folder / name: data for name, data in files.items() if isinstance(data, bytes)}


def _md_escape(text: str) -> str:
    return re.sub(r"([\\`*\[\]<>&#_])", r"\\\1", text)


def roundups(ws: Workspace, issue: str) -> list[str]:
    """The issue's roundup articles (综合): those titled as bulletin.toml's `[submissions]
    roundup_title` and those items were combined into."""
    key = ws.resolve(issue)
    meta, _loaded = ws.load_issue(key)
    title = ws.series().submissions.roundup_title
    into = {d.article for i in listing(ws) if (d := i.decision) and d.action == "combine" and d.issue == str(key)}
    out = []
    for name in meta.articles:
        if name in into:
            out.append(name)
            continue
        try:
            article, _fm = ws.load_article(ws.issue_dir(key) / name)
        except (BulletinError, OSError):
            continue
        if article.title == title:
            out.append(name)
    return out


def combined_items(ws: Workspace, issue: str, article: str) -> list[Submission]:
    """The items combined into `article` of `issue` (in force), oldest decision first: whom the
    roundup credits. The item records are the one record of it (no second list in the article)."""
    key = ws.resolve(issue)
    found = [i for i in listing(ws) if (d := i.decision) and d.action == "combine" and d.issue == str(key)
             and d.article == article]
    return sorted(found, key=lambda i: (i.decision.at, i.year, i.number))


def combine(ws: Workspace, ref: str, actor: Actor, issue: str, article: str | None = None,
            now: _dt.datetime | None = None) -> Outcome:
    """综合采用: the item's text appended to the roundup `article` of the (draft) issue as a part
    credited to its unit; without `article`, a new roundup article (titled as `[submissions]
    roundup_title`, 综合信息 by default) is made at the end of the issue. Returns the article's name."""
    from bulletin.commands.add import _free_name, claimer
    from bulletin.intake.markdown_out import front_matter, safe_article_name

    article = str(article) if article else None
    item = load(ws, ref)
    _decider(actor, ws.rel(item.folder / ITEM_FILE))
    key = ws.resolve(issue)
    meta = _frozen_issue(ws, key)
    _refuse_decided(ws, item, "combine")
    if article and article not in meta.articles:
        _m, loaded = ws.load_issue(key)
        raise fail(loaded.path, loaded.line_of(("articles",)),
                   _("issue {key} has no article {name}").format(key=key, name=article),
                   _("choose one of its articles, or leave the article out to start a roundup"))
    with ws.lock():
        ws.forget_issue(key)
        meta = _frozen_issue(ws, key)
        item = load(ws, ref)
        _refuse_decided(ws, item, "combine")
        folder = ws.issue_dir(key)
        claim = claimer(folder, meta.articles)

        part, pictures = _part(ws, item, folder, claim)
        files: dict[Path, str | bytes] = dict(pictures)
        if article:
            path = folder / article
            text = path.read_text(encoding="utf-8")
            files[path] = text.rstrip("\n") + "\n\n" + part + "\n"
            name = article
            _path, issue_text = edited_issue_yaml(ws, key, lambda node: reopen(node, meta))
        else:
            title = ws.series().submissions.roundup_title
            name = _free_name(safe_article_name(title + ".md"), claim)
            files[folder / name] = front_matter({"title": title}) + "\n" + part + "\n"

            def edit(node):
                node.setdefault("articles", [])
                node["articles"].append(name)
                reopen(node, meta)
            _path, issue_text = edited_issue_yaml(ws, key, edit)
        _check_article_text(ws, folder / name, str(files[folder / name]))
        decision = Decision(action="combine", by=actor.name, at=_at(now), issue=str(key), article=name)
        item_path, item_text = _with_decision(ws, item, decision)
        files[_path] = issue_text
        files[item_path] = item_text
        atomic_write_many(files)
        ws.forget_issue(key)
    return Outcome(name)


def _check_article_text(ws: Workspace, path: Path, text: str) -> None:
    from bulletin.content.markdown import parse_markdown
    from bulletin.model.files import ArticleMeta
    from bulletin.store.loaders import parse_front_matter, validate

    fm = parse_front_matter(text, Path(ws.rel(path)))
    validate(ArticleMeta, fm.meta)
    parse_markdown(fm.body, fm.body_first_line, fm.body_lines)


def return_item(ws: Workspace, ref: str, actor: Actor, reason: str, now: _dt.datetime | None = None) -> Submission:
    """退回 with its reason (required), shown to the unit."""
    reason = _clean_text(reason)
    item = load(ws, ref)
    _decider(actor, ws.rel(item.folder / ITEM_FILE))
    if not reason:
        raise fail("reason", None, _("a return (退回) needs its reason: say why the item goes back"),
                   _("e.g. 数据需核实，请补充后重新报送"))
    return _simple_decision(ws, ref, actor, Decision(action="return", by=actor.name, at=_at(now), reason=reason))


def keep(ws: Workspace, ref: str, actor: Actor, now: _dt.datetime | None = None) -> Submission:
    """留用: kept for a later issue (it may still be adopted, combined or returned)."""
    item = load(ws, ref)
    _decider(actor, ws.rel(item.folder / ITEM_FILE))
    return _simple_decision(ws, ref, actor, Decision(action="keep", by=actor.name, at=_at(now)))


def _simple_decision(ws: Workspace, ref: str, actor: Actor, decision: Decision) -> Submission:
    with ws.lock():
        item = load(ws, ref)
        _refuse_decided(ws, item, decision.action)
        path, text = _with_decision(ws, item, decision)
        atomic_write_many({path: text})
    return load(ws, ref)


def undo(ws: Workspace, ref: str, actor: Actor, now: _dt.datetime | None = None) -> Outcome:
    """撤销 the decision in force: an `undo` step is recorded; an adopted article is taken out of its
    issue (its file and pictures removed), a combined part out of its roundup, while the issue is a
    draft; refused for a published or signed issue. Returns the item's new status."""
    item = load(ws, ref)
    _decider(actor, ws.rel(item.folder / ITEM_FILE))
    if item.decision is None:
        raise fail(ws.rel(item.folder / ITEM_FILE), None, _("item {ref} has no decision to undo").format(ref=item.ref))
    notes: list[Diagnostic] = []
    removed: list[Path] = []
    with ws.lock():
        item = load(ws, ref)
        current = item.decision
        if current is None:
            raise fail(ws.rel(item.folder / ITEM_FILE), None,
                       _("item {ref} has no decision to undo").format(ref=item.ref))
        files: dict[Path, str | bytes] = {}
        if current.action in ("adopt", "combine"):
            key = ws.resolve(current.issue)
            ws.forget_issue(key)
            meta = refuse_frozen(ws, key, _("an item printed in a published issue stays adopted; a correction "
                                            "goes into a later issue"))
            files, removed, notes = _taken_out(ws, key, meta, item, current)
        path, text = _with_decision(ws, item, Decision(action="undo", by=actor.name, at=_at(now)))
        files[path] = text
        atomic_write_many(files)
        for gone in removed:  # unlisted first, then removed: an interruption leaves a stray file, no dangling entry
            try:
                gone.unlink()
            except OSError:
                pass
        if current.action in ("adopt", "combine"):
            ws.forget_issue(key)
    return Outcome(load(ws, ref).status, notes)


def _pictures_of(text: str) -> set[str]:
    return set(re.findall(r"!\[[^\]\n]*\]\(([^)\s\"]+)", text))


def _taken_out(ws: Workspace, key: IssueKey, meta, item: Submission, current: Decision):
    """The files that undoing the adoption writes, the files it removes and its notes."""
    folder = ws.issue_dir(key)
    path = folder / current.article
    files: dict[Path, str | bytes] = {}
    removed: list[Path] = []
    notes: list[Diagnostic] = []
    others = "".join(_read_or_empty(folder / n) for n in meta.articles if n != current.article)
    listed = current.article in meta.articles

    def drop_article(text: str) -> None:
        def edit(node):
            articles = node.get("articles") or []
            for i, entry in enumerate(list(articles)):
                if str(entry) == current.article:
                    articles.pop(i)
                    break
            marks = node.get("marks")
            if isinstance(marks, dict) and current.article in marks:
                del marks[current.article]
            reopen(node, meta)
        issue_path, issue_text = edited_issue_yaml(ws, key, edit)
        files[issue_path] = issue_text
        removed.append(path)
        removed.extend(folder / p for p in _pictures_of(text) - _pictures_of(others) if (folder / p).is_file())

    text = _read_or_empty(path)
    if current.action == "adopt":
        if listed or path.is_file():
            drop_article(text)
        return files, removed, notes
    part, _pictures = _part(ws, item, folder, lambda name: True)
    # the part's pictures were named when it was combined; find its text with any picture names
    pattern = re.escape(part)
    for link in _pictures_of(part):
        pattern = pattern.replace(re.escape(link), r"[^)\s\"]+")
    found = re.search(r"\n\n" + pattern + r"\n?", text) or re.search(pattern, text)
    if not found:
        notes.append(Diagnostic(ws.rel(path), None, _("the part of item {ref} was changed since it was combined, so "
                                                      "it stays in the article").format(ref=item.ref), "warning",
                                _("take it out of {article} by hand").format(article=current.article)))
        return files, removed, notes
    rest = text[:found.start()] + ("\n" if found.group(0).endswith("\n") else "") + text[found.end():]
    rest = rest.rstrip("\n") + "\n"
    from bulletin.store.loaders import parse_front_matter

    fm = parse_front_matter(rest, Path(ws.rel(path)))
    part_pictures = _pictures_of(found.group(0)) - _pictures_of(rest) - _pictures_of(others)
    if not fm.body.strip() and item_is_only_part(ws, key, current.article, item):
        drop_article(text)
    else:
        files[path] = rest
        _path, issue_text = edited_issue_yaml(ws, key, lambda node: reopen(node, meta))
        files[_path] = issue_text
    removed.extend(folder / p for p in part_pictures if (folder / p).is_file())
    return files, removed, notes


def item_is_only_part(ws: Workspace, key: IssueKey, article: str, item: Submission) -> bool:
    others = [i for i in combined_items(ws, str(key), article) if i.ref != item.ref]
    return not others


def _read_or_empty(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


# --- marks on articles: 批示, 上级采用 ---------------------------------------------------------------------

MARK_KEYS = {"instruction": "instructions", "higher": "adopted_higher"}


def mark_article(ws: Workspace, issue: str, article: str, actor: Actor, kind: str, who: str,
                 date: _dt.date | str | None = None, note: str = "", now: _dt.datetime | None = None):
    """Record a leader's 批示 (`kind` "instruction", `who` the leader) or an adoption by a higher-level
    bulletin (`kind` "higher", `who` that bulletin and its issue) on an article of the issue, in its
    issue.yaml under `marks:` (never printed; allowed on a published issue, whose checksums leave
    issue.yaml out, since a 批示 comes after printing). Returns the article's marks."""
    from bulletin.cjk import one_line
    from bulletin.model.files import IssueMeta
    from bulletin.store.loaders import parse_yaml, validate
    from bulletin.store.workspace import check_problems

    if kind not in MARK_KINDS:
        raise fail("kind", None, _("unknown mark {kind!r}").format(kind=kind),
                   _("choose from {choices}").format(choices=", ".join(MARK_KINDS)))
    key, article = ws.resolve(str(issue)), str(article)
    meta, loaded = ws.load_issue(key)
    ensure(actor, "article.mark", where=str(loaded.path))
    who = one_line(who or "").strip()
    if not who:
        raise fail("who", None, _("say who gave the 批示") if kind == "instruction"
                   else _("say which bulletin adopted it"),
                   _("e.g. 王市长") if kind == "instruction" else _("e.g. 省政务公开简报第5期"))
    if isinstance(date, str):
        try:
            date = _dt.date.fromisoformat(date.strip())
        except ValueError:
            raise fail("date", None, _("{value!r} is not a date").format(value=date),
                       _("write it as YYYY-MM-DD, for example 2009-12-01")) from None
    day = date or _at(now).date()
    at = _at(now)
    with ws.lock():
        ws.forget_issue(key)
        meta, loaded = ws.load_issue(key)
        if article not in meta.articles:
            raise fail(loaded.path, loaded.line_of(("articles",)),
                       _("issue {key} has no article {name}").format(key=key, name=article),
                       _("choose one of its articles"))

        def edit(node):
            from ruamel.yaml.comments import CommentedMap, CommentedSeq

            if not isinstance(node.get("marks"), dict):
                node["marks"] = CommentedMap()
            marks = node["marks"]
            if not isinstance(marks.get(article), dict):
                marks[article] = CommentedMap()
            entry = marks[article]
            listed = MARK_KEYS[kind]
            if not isinstance(entry.get(listed), list):
                entry[listed] = CommentedSeq()
            said = CommentedMap([("by" if kind == "instruction" else "bulletin", who), ("date", day)])
            if note.strip():
                said["note"] = one_line(note).strip()
            said["recorded_by"] = actor.name
            said["recorded_at"] = at
            said.fa.set_flow_style()
            entry[listed].append(said)
        path, text = edited_issue_yaml(ws, key, edit)
        written = parse_yaml(text, Path(ws.rel(path)))
        check_problems(validate(IssueMeta, written).problems(), written)
        atomic_write_many({path: text})
        ws.forget_issue(key)
    return ws.load_issue(key)[0].marks[article]


def unmark_article(ws: Workspace, issue: str, article: str, actor: Actor, kind: str, index: int,
                   expect: str | None = None):
    """Take a mistaken mark (the `index`th of its kind, from 0) off the article. `expect`: who gave
    it (the leader, or the bulletin) as the asker saw it; when the marks changed meanwhile (someone
    took one off first) the `index`th is another, and nothing is removed."""
    if kind not in MARK_KINDS:
        raise fail("kind", None, _("unknown mark {kind!r}").format(kind=kind),
                   _("choose from {choices}").format(choices=", ".join(MARK_KINDS)))
    key, article = ws.resolve(str(issue)), str(article)
    meta, loaded = ws.load_issue(key)
    ensure(actor, "article.mark", where=str(loaded.path))
    with ws.lock():
        ws.forget_issue(key)
        meta, loaded = ws.load_issue(key)
        marks = meta.marks.get(article)
        listed = getattr(marks, MARK_KEYS[kind], []) if marks else []
        if not 0 <= index < len(listed):
            raise fail(loaded.path, loaded.line_of(("marks",)), _("article {name} has no such mark").format(name=article))
        shown = listed[index]
        if expect is not None and getattr(shown, "by", None) != expect and getattr(shown, "bulletin", None) != expect:
            raise fail(loaded.path, loaded.line_of(("marks",)),
                       _("the marks of article {name} changed meanwhile: nothing was removed").format(name=article),
                       _("reload the page and choose again"))

        def edit(node):
            entry = node["marks"][article]
            entry[MARK_KEYS[kind]].pop(index)
            if not entry[MARK_KEYS[kind]]:
                del entry[MARK_KEYS[kind]]
            if not entry:
                del node["marks"][article]
            if not node["marks"]:
                del node["marks"]
        path, text = edited_issue_yaml(ws, key, edit)
        atomic_write_many({path: text})
        ws.forget_issue(key)


def article_marks(ws: Workspace, issue: str, article: str):
    """The article's marks (model.files.ArticleMarks; empty when none)."""
    from bulletin.model.files import ArticleMarks

    key = ws.resolve(issue)
    return ws.load_issue(key)[0].marks.get(article) or ArticleMarks()


__all__ = ["Submission", "Outcome", "units", "check_unit", "send", "listing", "load", "adopt", "combine", "roundups",
           "combined_items", "return_item", "keep", "undo", "preview_html", "item_markdown", "mark_article",
           "unmark_article", "article_marks", "STATUSES", "STATUS_WORDS", "ACTION_WORDS"]
