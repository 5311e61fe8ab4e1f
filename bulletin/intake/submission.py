"""Submissions → articles: a department's .docx, .doc/.wps or .txt (or a ready .md) becomes an article.

The entry point of intake, choosing the reader by the file's suffix:

    zipguard.py     the checks of a .docx package before it is opened (size, entries, ratios,
                    encryption, macros, Excel/PowerPoint/OpenDocument under a Word name)
    docx_body.py    a checked .docx's body → paragraphs of text pieces and pictures
    legacy.py       .doc/.wps → .docx through LibreOffice (bulletin.office.launcher), then docx_body
    text.py         .txt: its encoding found, its lines made paragraphs
    shaping.py      paragraphs → a Submission: title, source and author lines, headings, captions
    markdown_out.py a Submission → the article's Markdown with front matter, and its pictures' names
    pieces.py       the small model they pass along; words.py, the words several of them say

Imports run one way: this module → the readers, shaping and the writer → pieces.py, words.py. A .md
article is read here and copied as it is. Nothing is written: the `add` command writes every file of
an `add` together with issue.yaml.
"""
from __future__ import annotations

from pathlib import Path

from bulletin.errors import BulletinError, fail
from bulletin.i18n import _
from bulletin.intake.docx_body import read_docx
from bulletin.intake.legacy import _read_with_libreoffice
from bulletin.intake.markdown_out import article_files, safe_article_name
from bulletin.intake.pieces import Submission
from bulletin.intake.shaping import _shape
from bulletin.intake.text import _read_text, _web_junk_notes
from bulletin.intake.words import EMPTY_FILE, EMPTY_FILE_HINT

# What callers take from here: `bulletin add` reads a submission and writes its article's files.
__all__ = ["SUFFIXES", "Submission", "article_files", "read_submission"]

SUFFIXES = (".md", ".docx", ".doc", ".wps", ".txt")


def read_submission(path: Path) -> Submission:
    """Read and check one file for `add`; BulletinError names the file, what is wrong and what to do."""
    path = Path(path)
    shown = str(path)
    suffix = path.suffix.lower()
    if suffix == ".docm":
        raise fail(shown, None, _("a macro-enabled Word document (.docm) is not accepted"),
                   _("open it in Word or WPS and save it as a plain Word document (.docx)"))
    if suffix not in SUFFIXES:
        raise fail(shown, None, _("cannot add a {suffix} file").format(suffix=suffix) if suffix
                   else _("cannot add a file without an extension file"),
                   _("add Markdown (.md), Word (.docx, .doc), WPS (.wps) or plain text (.txt) files"))
    if not path.is_file():
        raise fail(shown, None, _("file not found") if not path.exists() else _("not a file"),
                   _("check the path of the submission"))
    if path.stat().st_size == 0:
        raise fail(shown, None, _(EMPTY_FILE), _(EMPTY_FILE_HINT))
    if suffix == ".md":
        return _read_markdown(path, shown)
    name = safe_article_name(path.stem + ".md")
    if suffix == ".txt":
        paragraphs, notes, first_line = _read_text(path, shown), _web_junk_notes(path, shown), True
    elif suffix == ".docx":
        (paragraphs, notes), first_line = read_docx(path, shown), False
    else:
        (paragraphs, notes), first_line = _read_with_libreoffice(path, shown), False
    submission = Submission(shown, name, notes=list(notes))
    _shape(submission, paragraphs, first_line)
    return submission


def _read_markdown(path: Path, shown: str) -> Submission:
    from bulletin.model.files import ArticleMeta
    from bulletin.store.loaders import parse_front_matter, read_text, validate

    text = read_text(path)
    fm = parse_front_matter(text, path)
    meta = validate(ArticleMeta, fm.meta)
    return Submission(shown, safe_article_name(path.name), meta.title, meta.source, meta.author,
                      markdown=text, section=meta.section, pictures=_markdown_pictures(path, shown, fm))


def _markdown_pictures(path: Path, shown: str, fm) -> dict[str, bytes]:
    """The pictures a .md article shows (`![说明](photo.jpg)`), by link, read from beside it so they
    travel into the issue with it; a picture `render` would refuse is refused here, with its line."""
    from bulletin.content.blocks import Image
    from bulletin.content.compose import check_pictures
    from bulletin.content.markdown import parse_markdown

    images = [b for b in parse_markdown(fm.body, fm.body_first_line, fm.body_lines) if isinstance(b, Image)]
    problems = check_pictures(path, images, shown)  # reads each good picture into its block
    if problems:
        raise BulletinError(problems)
    return {image.src: image.picture.data for image in images}
