"""The yearly bound volume (合订本): a cover, a contents list, then every issue of the year.

Each issue is a section of its own that starts on an odd page (so it can be cut out and still read
as printed), with its own masthead and tail; page numbers run through the whole volume. The contents
prints page numbers with PAGEREF fields to a bookmark at each issue, which Word and LibreOffice fill.
"""
from __future__ import annotations

import datetime as _dt

from bulletin.content.issue import ComposedIssue
from bulletin.model.preset import Preset, pt_to_twips
from bulletin.render.docx.oxml import RunStyle, field, paragraph, ppr, run
from bulletin.render.docx.writer import DocxWriter, _State
from bulletin.render.words import volume_words


def bookmark_name(issue: ComposedIssue) -> str:
    return f"issue_{issue.key.year}_{issue.key.folder_name}"


def compile_volume(issues: list[ComposedIssue], preset: Preset, year: int) -> bytes:
    """One .docx holding the year's issues in order, behind a cover and a contents list."""
    writer = DocxWriter(preset)
    pkg = writer.new_package()
    state = _State(pkg)
    said = volume_words(issues, preset, year)
    u, s = writer.u, preset.sizes
    body: list[str] = []

    # Cover: name, year, editing office; no page number on it.
    body.append(paragraph(ppr(spacing_before=4 * u.pitch, first_line_chars=0, first_line=0)))
    for line, size in writer.masthead_lines(said.name_lines):
        body.append(writer.line(line, "masthead", size, jc="center", color=preset.masthead.color,
                                line=pt_to_twips(size * preset.masthead.name_line_factor)))
    body.append(writer.line(said.title, "title", s.title, jc="center", line=pt_to_twips(s.title * 2),
                            spacing_before=2 * u.pitch))
    body.append(writer.line(said.editor, "imprint", s.body, jc="center", spacing_before=6 * u.pitch,
                            sect=writer.section(pkg, page_start=1, title_page=True)))

    # Contents: each issue with its date and page, then its articles.
    body.append(writer.line(said.contents_label, "title", s.title, jc="center",
                            line=pt_to_twips(s.title_line_pitch), spacing_after=u.pitch))
    tab = [("right", u.type_width)]
    leader = RunStyle(writer.font("contents"), s.body, spacing_twips=0)
    for issue, entry in zip(issues, said.entries):
        body.append(paragraph(
            ppr(keep_next=True, tabs=[("right", u.type_width)], line=u.pitch, first_line_chars=0, first_line=0),
            [run(entry.label + "\t", RunStyle(writer.font("heading1"), s.body, spacing_twips=0)),
             field(f"PAGEREF {bookmark_name(issue)} \\h", "1", leader)]))
        for title in entry.titles:
            body.append(writer.line(title, "contents", s.body, jc="left", tabs=tab,
                                    ind_left=2 * u.body_char))
    body.append(paragraph(ppr(first_line_chars=0, first_line=0, sect=writer.section(pkg, section_type="oddPage"))))

    # The issues, each a section starting on an odd page; the last one ends with the body's sectPr.
    for index, issue in enumerate(issues):
        last = index == len(issues) - 1
        end = "" if last else writer.section(pkg, section_type="oddPage")
        body += writer.issue_body(issue, state, section_end=end, bookmark_name=bookmark_name(issue))
    final = writer.section(pkg, section_type="oddPage")
    return writer.finish(pkg, body, final, issues[0], title=said.document_title,
                         date=max(i.meta.date for i in issues) if issues else _dt.date(year, 12, 31))
