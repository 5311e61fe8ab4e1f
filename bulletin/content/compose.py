"""Workspace files → one composed issue: validated metadata, parsed articles, resolved distribution
(or, for a published issue, the one it recorded).

Reads everything and reports every problem at once before anything is written (the mkdocs habit).
"""
from __future__ import annotations

import re
from pathlib import Path

from bulletin.content.blocks import Article, Block, Image
from bulletin.content.issue import ComposedIssue
from bulletin.content.markdown import parse_markdown
from bulletin.content.passes import number_headings
from bulletin.content.pictures import Picture
from bulletin.errors import BulletinError, Diagnostic
from bulletin.i18n import _
from bulletin.model.keys import IssueKey
from bulletin.portable import windows_problem
from bulletin.rules.distribution import issue_distribution
from bulletin.store.workspace import Workspace


def inside(folder: Path, name: str, resolved_folder: Path | None = None) -> Path | None:
    """`folder/name` when it stays inside `folder` (no `..`, absolute paths or symlinks out), else None.
    `resolved_folder` is `folder.resolve()` when the caller asks for many names in one folder."""
    candidate = (folder / name)
    try:
        resolved = candidate.resolve()
        resolved.relative_to(resolved_folder or folder.resolve())
    except (ValueError, OSError, RuntimeError):  # RuntimeError: a symlink loop
        return None
    return candidate


def _is_file(path: Path) -> bool:
    """`path.is_file()`, False where the name cannot even be looked up (too long, a symlink loop)."""
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False


def read_picture_file(path: Path) -> tuple[Picture | None, str]:
    """The picture in the file at `path` and "", or None and why it cannot go into the .docx:
    unreadable, or what pictures.read_picture finds wrong with it."""
    from bulletin.content.pictures import read_picture

    try:
        data = path.read_bytes()
    except OSError as exc:
        return None, _("cannot be read ({reason})").format(reason=exc.strerror)
    return read_picture(data, path.resolve().name)


def compose_issue(ws: Workspace, key: IssueKey) -> ComposedIssue:
    """Load and check the issue `key` with its articles; raise once with every problem found."""
    series = ws.series()
    directory = ws.recipients()
    meta, loaded = ws.load_issue(key)
    folder = ws.issue_dir(key)
    problems: list[Diagnostic] = []

    # a published issue prints the distribution it recorded, whatever recipients.yaml says now
    distribution, dist_problems = issue_distribution(meta, directory, series.print_settings.archive_copies)
    problems += [Diagnostic(str(loaded.path), loaded.line_of(loc), msg, "error", hint)
                 for loc, msg, hint in dist_problems]

    articles: list[Article] = []
    try:
        resolved_folder = folder.resolve()
    except (OSError, RuntimeError):
        resolved_folder = None
    for i, name in enumerate(meta.articles):
        path = inside(folder, name, resolved_folder)
        line = loaded.line_of(("articles", i))
        if path is None:
            problems.append(Diagnostic(str(loaded.path), line,
                                       _("article {name!r} points outside the issue folder").format(name=name),
                                       "error", _("keep article files in the issue's own folder")))
            continue
        if not _is_file(path):
            problems.append(Diagnostic(str(loaded.path), line, _("article file {name!r} is missing").format(name=name),
                                       "error", _("add {path} or remove it from 'articles:'").format(path=ws.rel(path))))
            continue
        try:
            article_meta, fm = ws.load_article(path)
        except BulletinError as exc:
            problems += exc.diagnostics
            continue
        blocks = number_headings(parse_markdown(fm.body, fm.body_first_line, fm.body_lines))
        problems += check_pictures(path, blocks, ws.rel(path), ws.rel)
        articles.append(Article(article_meta.title, blocks, path, article_meta.source,
                                article_meta.author, article_meta.section))

    note_line = loaded.line_of(("editor_note",)) or 1
    note = parse_markdown(meta.editor_note, note_line + 1) if meta.editor_note.strip() else []
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise BulletinError(errors)
    return ComposedIssue(series, key, meta, articles, note, distribution)


def check_pictures(article: Path, blocks: list[Block], shown: str, rel=str) -> list[Diagnostic]:
    """Every picture of the article at `article` is a file beside it (inside its folder) in a format
    Word shows (PNG, JPEG, GIF, BMP); each one that is gets `picture` set to its bytes, format and size
    (read here, once: no writer opens the file). `shown` is the article as messages name it, `rel`
    turns a path into the form messages show."""
    out = []
    for block in blocks:
        if not isinstance(block, Image):
            continue
        url = "://" in block.src
        target = inside(article.parent, block.src) if block.src and not url else None
        if not url and (problem := windows_problem(block.src)):
            out.append(Diagnostic(shown, block.line,
                                  _("picture {src!r} {problem}").format(src=block.src, problem=problem), "error",
                                  _("name the picture with letters, digits and '-', e.g. ![说明](photo-1.jpg)")))
        elif target is None:
            out.append(Diagnostic(shown, block.line,
                                  _("picture {src!r} is not a file in the article's folder").format(src=block.src),
                                  "error", _("put the picture beside the article and write ![说明](photo.jpg)")))
        elif not _is_file(target):
            out.append(Diagnostic(shown, block.line, _("picture {src!r} is missing").format(src=block.src),
                                  "error", _("add {path} or remove the picture line").format(path=rel(target))))
        elif target.suffix.lower() not in (".png", ".jpg", ".jpeg", ".gif", ".bmp"):
            out.append(Diagnostic(shown, block.line,
                                  _("picture {src!r} is not PNG, JPEG, GIF or BMP").format(src=block.src),
                                  "error", _("save it as .jpg or .png")))
        elif problem := (read := read_picture_file(target))[1]:
            out.append(Diagnostic(shown, block.line,
                                  _("picture {src!r} {problem}").format(src=block.src, problem=problem), "error",
                                  _("save it again as .jpg or .png")))
        elif (width := picture_width(block.title)) is not None and width < 0:
            out.append(Diagnostic(shown, block.line,
                                  _('picture {src!r}: {title!r} is not a width in mm, such as "width: 120mm"').format(
                                      src=block.src, title=block.title),
                                  "error", _('write the width as ![说明](photo.jpg "width: 120mm")')))
        else:
            block.picture = read[0]
            block.width_mm = width
    return out


_WIDTH_KEY = re.compile(r"\s*width\s*[:：]", re.IGNORECASE)
_WIDTH = re.compile(r"\s*width\s*[:：]\s*(\d+(?:\.\d+)?)\s*mm\s*", re.IGNORECASE)


def picture_width(title: str) -> float | None:
    """The width in mm a picture's Markdown title sets (`"width: 120mm"`, decimals allowed); None when
    the title sets none (a plain title is a tooltip, never printed); -1 when it says `width:` but no
    positive length in mm follows."""
    if not _WIDTH_KEY.match(title):
        return None
    m = _WIDTH.fullmatch(title)
    width = float(m.group(1)) if m else 0.0
    return width if width > 0 else -1.0
