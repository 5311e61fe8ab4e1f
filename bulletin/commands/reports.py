"""Data for the listing commands (list, show, recipients, distribution register): dicts and rows, no printing."""
from __future__ import annotations

import csv
import io
from pathlib import Path

from bulletin.errors import BulletinError, Diagnostic
from bulletin.i18n import _
from bulletin.rules.distribution import ROLES, issue_distribution
from bulletin.store.atomic import atomic_write
from bulletin.store.workspace import Workspace


def _distribution(ws: Workspace, meta, loaded=None):
    """What the issue prints: a published issue's recorded distribution, else its spec resolved."""
    dist, problems = issue_distribution(meta, ws.recipients(), ws.series().print_settings.archive_copies)
    if problems and loaded is not None:
        raise BulletinError([Diagnostic(str(loaded.path), loaded.line_of(loc), msg, "error", hint)
                             for loc, msg, hint in problems])
    return dist


def issue_rows(ws: Workspace, year: int | None = None) -> list[dict]:
    """One row per issue: issue, label (第10期（总第30期）), number (第10期), total, date, kind, status,
    articles, copies."""
    from bulletin.commands.records import labeller, load_records, numberer

    number_label, number = labeller(ws), numberer(ws)
    rows = []
    for rec in load_records(ws):
        if year and rec.key.year != year:
            continue
        dist = _distribution(ws, rec.meta)
        rows.append({"issue": str(rec.key), "label": number_label(rec.meta),
                     "number": number(rec.meta), "total": rec.meta.total, "date": rec.meta.date.isoformat(),
                     "kind": rec.meta.kind, "status": rec.meta.status, "articles": len(rec.meta.articles),
                     "copies": dist.copies, "folder": rec.key.relpath})
    return rows


def issue_detail(ws: Workspace, ref: str) -> dict:
    """An issue's articles and resolved distribution grouped by 报/送/发/本期增发."""
    from bulletin.commands.records import labeller

    key = ws.resolve(ref)
    meta, loaded = ws.load_issue(key)
    dist = _distribution(ws, meta, loaded)
    number_label = labeller(ws)
    articles = []
    for name in meta.articles:
        path = ws.issue_dir(key) / name
        try:
            article, _loaded = ws.load_article(path)
            articles.append({"file": name, "title": article.title, "source": article.source,
                             "section": article.section})
        except BulletinError:
            articles.append({"file": name, "title": _("(missing or invalid: run bulletin check)"), "source": "",
                             "section": ""})
    recipients = [{"role": r.role, "id": r.id, "name": r.name, "copies": r.copies} for r in dist.recipients]
    extra = ws.preset().tail.extra_label  # 本期增发
    recipients += [{"role": extra, "id": "", "name": name, "copies": 1} for name in dist.extra]
    return {"issue": str(key), "label": number_label(meta), "date": meta.date.isoformat(), "kind": meta.kind,
            "status": meta.status, "folder": key.relpath, "articles": articles, "distribution": recipients,
            "lists": meta.distribution.lists or ["default"], "archive_copies": dist.archive_copies,
            "copies": dist.copies}


def recipient_tables(ws: Workspace) -> dict:
    directory = ws.recipients()
    member_of: dict[str, list[str]] = {}
    for name, ids in directory.lists.items():
        for rid in ids:
            member_of.setdefault(rid, []).append(name)
    by_id = directory.by_id()
    totals = {role: {"recipients": 0, "copies": 0} for role in ROLES}
    for r in directory.recipients:
        totals[r.role]["recipients"] += 1
        totals[r.role]["copies"] += r.copies
    return {
        "recipients": [{"id": r.id, "name": r.name, "role": r.role, "copies": r.copies,
                        "lists": member_of.get(r.id, [])} for r in directory.recipients],
        "totals": totals,
        "lists": {name: {"ids": ids, "copies": sum(by_id[i].copies for i in ids if i in by_id)}
                  for name, ids in directory.lists.items()},
    }


def register_rows(ws: Workspace, ref: str) -> tuple[list[tuple], int]:
    """Rows of the distribution register (序号, 类别, 接收单位或个人, 份数) and their total, 共印: the
    recipients, the 本期增发 lines, and a 存档 row for the editing office's own copies (its archive
    copies, or what an issue's `copies:` override leaves after the copies sent out)."""
    from bulletin.render.words import REGISTER_ARCHIVE

    key = ws.resolve(ref)
    meta, loaded = ws.load_issue(key)
    dist = _distribution(ws, meta, loaded)
    rows = [(r.role, r.name, r.copies) for r in dist.recipients]
    rows += [(ws.preset().tail.extra_label, name, 1) for name in dist.extra]
    kept = dist.copies - dist.recipient_copies
    if kept > 0:
        rows.append((REGISTER_ARCHIVE, ws.series().series.editor, kept))
    numbered = [(i + 1, *row) for i, row in enumerate(rows)]
    return numbered, sum(row[2] for row in rows)


def register_csv(ws: Workspace, ref: str) -> str:
    """The register as CSV text for Excel: a BOM first (Excel reads UTF-8 only after one, else the
    Chinese comes out as mojibake on a Chinese Windows), CRLF line ends, the 合计 row last."""
    from bulletin.render.words import REGISTER_COLUMNS, REGISTER_TOTAL

    rows, total = register_rows(ws, ref)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REGISTER_COLUMNS)
    for row in rows:
        writer.writerow([*row, ""])
    writer.writerow(["", REGISTER_TOTAL, "", total, ""])
    return "\ufeff" + buffer.getvalue()


def write_register_csv(ws: Workspace, ref: str, out: Path) -> Path:
    """UTF-8 with BOM so Excel opens the Chinese text correctly."""
    atomic_write(Path(out), register_csv(ws, ref))
    return Path(out)


def register_docx_bytes(ws: Workspace, ref: str) -> bytes:
    """The register as a .docx to print (render.docx.register)."""
    from bulletin.render.docx.register import register_docx

    rows, total = register_rows(ws, ref)
    key = ws.resolve(ref)
    meta, _loaded = ws.load_issue(key)
    return register_docx(ws.preset(), ws.series(), key, meta, rows, total)


def write_register_docx(ws: Workspace, ref: str, out: Path) -> Path:
    atomic_write(Path(out), register_docx_bytes(ws, ref))
    return Path(out)


def register_name(ws: Workspace, ref: str, suffix: str) -> str:
    """The register's file name: the issue's .docx name with 分发登记表 (政务公开工作简报-2026-第10期-分发登记表.csv)."""
    from bulletin.commands.records import output_name
    from bulletin.render.words import REGISTER_TITLE

    key = ws.resolve(ref)
    meta, _loaded = ws.load_issue(key)
    return output_name(ws, key, meta)[:-len(".docx")] + f"-{REGISTER_TITLE}{suffix}"
