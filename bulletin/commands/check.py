"""`bulletin check`: validate every file and the numbering; problems as diagnostics, never raised."""
from __future__ import annotations

from bulletin.commands.records import DISTRIBUTION_RECORD, changed_line, changed_sources, load_records, shown_changes
from bulletin.errors import BulletinError, Diagnostic
from bulletin.i18n import _
from bulletin.store.workspace import Workspace


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
    from bulletin.model.preset import Labels
    from bulletin.render.words import number_label

    labels = Labels()  # the built-in labels name the issues when the preset itself is wrong
    try:
        labels = ws.preset().labels
    except BulletinError as exc:
        out += exc.diagnostics
    if ref:  # one issue: its own problems only, not those of the issues around it
        records = load_records(ws, out, [ws.resolve(ref)])
    else:
        records = load_records(ws, out)
        out += check_numbering(records, ws.series().series.first, lambda meta: number_label(meta, labels))
    for rec in records:
        key = rec.key
        if not rec.meta.articles:
            out.append(Diagnostic(str(rec.loaded.path), rec.loaded.line_of(("articles",)),
                                  _("the issue has no articles yet"), "warning",
                                  _("add some with 'bulletin add {key} FILE.md'").format(key=key)))
        if rec.meta.status == "published":
            for name in changed_sources(ws, key, rec.meta):
                hint = (_("restore the distribution as it was published, or record the correction with 'bulletin "
                          "render {key} --force --reason \"…\"'").format(key=key)
                        if name.startswith(DISTRIBUTION_RECORD + " ") else
                        _("restore the file; a published issue is frozen"))
                out.append(Diagnostic(str(rec.loaded.path), changed_line(rec.loaded, name),
                                      _("published issue changed since publishing: {name}")
                                      .format(name=shown_changes([name])), "error", hint))
        try:
            out += column_order(rec, compose_issue(ws, key))
        except BulletinError as exc:
            out += exc.diagnostics
    if not ref:
        from bulletin.commands.submissions import submission_problems

        out += submission_problems(ws, {str(rec.key): rec for rec in records})
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
    from bulletin.rules.columns import columns_apart

    pairs = [(rec.meta.articles[index], article.section) for index, article in enumerate(issue.articles)]
    return [Diagnostic(str(rec.loaded.path), rec.loaded.line_of(("articles", apart.index)),
                       _("column 【{column}】 is printed twice (in 本期要目 and the text): {name} is "
                         "apart from {before}, the column's article before it")
                       .format(column=apart.column, name=apart.name, before=apart.before), "warning",
                       _("move {name} in 'articles:' to follow {before}")
                       .format(name=apart.name, before=apart.before))
            for apart in columns_apart(pairs)]
