"""The command line: parse arguments, call one command function, print the result.

Exit status: 0 success, 1 a problem with the user's data or request, 2 wrong usage (typer).
Each command imports its module (bulletin.commands.*) inside itself, so `bulletin --help` and each command load
only what they use.
"""
from __future__ import annotations

import datetime as _dt
import json
import re
import sys
from pathlib import Path
from typing import List, Optional

from bulletin.i18n import _, N_, language_from_argv, ngettext, set_language

# The language is settled before typer is imported: typer and click make some of their words at import.
set_language(language_from_argv(sys.argv))

import typer  # noqa: E402
import typer.core  # noqa: E402

from bulletin.errors import BulletinError, Diagnostic  # noqa: E402

# --- help --------------------------------------------------------------------------------------------
# Plain help, the same on a terminal and in a pipe: arguments by name (ISSUE, FILE...), an option's
# value by what it is (PATH, DATE), flags without a type, and every description whole, wrapped at
# spaces or between Chinese characters to the terminal's width (at most 100 columns; 80 in a pipe).

_HELP_MAX_WIDTH = 100
_ARGUMENT_NAMES = {"files": "FILE", "targets": "ISSUE|FILE", "directory": "DIR"}
_OPTION_VALUES = {"workspace": "DIR", "output": "PATH", "csv_out": "PATH", "docx_out": "PATH"}
_ISSUE_NAMES = _("An issue is named 10 (issue 10 of the latest year), 2026-10, 2026-S1 (增刊) or 2026-Z1 (专刊), "
                 "or as printed: 第10期, 2026年第10期, 增刊第1期, 专刊第1期.")
_NO_BREAK_BEFORE = set("，。、；：？！）》」』”’】…")  # a line never starts with these
_TOKEN = re.compile(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|\s+")


def _columns(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns (a longer word keeps its own line); nothing is cut."""
    lines: list[str] = []
    line, space = "", False
    for token in _TOKEN.findall(" ".join(text.split())):
        if token.isspace():
            space = bool(line)
            continue
        piece = (" " if space else "") + token
        if line and _columns(line + piece) > width and token not in _NO_BREAK_BEFORE:
            lines.append(line)
            line = token
        else:
            line += piece
        space = False
    return lines + [line] if line else lines


def _help_width() -> int:
    import shutil

    return max(40, min(shutil.get_terminal_size((80, 24)).columns, _HELP_MAX_WIDTH))


def _argument_name(param) -> str:
    name = param.metavar or _ARGUMENT_NAMES.get(param.name, param.name.upper())
    return name + ("..." if param.nargs == -1 else "")


def _is_argument(param) -> bool:
    """Whether a parameter is a positional argument (typer may carry its own copy of click, so its
    classes are not click's)."""
    return param.param_type_name == "argument"


def _option_label(param) -> str:
    label = ", ".join(sorted(param.opts, key=lambda o: (o.startswith("--"), o)))
    if param.secondary_opts:
        label += " / " + ", ".join(param.secondary_opts)
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return label
    if param.metavar:
        value = param.metavar
    elif getattr(getattr(param, "type", None), "choices", None):
        value = "[" + "|".join(str(c) for c in param.type.choices) + "]"
    elif param.name in _OPTION_VALUES:
        value = _OPTION_VALUES[param.name]
    else:
        value = max(param.opts, key=len).lstrip("-").replace("-", "_").upper()
    return f"{label} {value}"


def _two_columns(rows: list[tuple[str, str]], width: int) -> list[str]:
    if not rows:
        return []
    left = min(max(_columns(a) for a, _text in rows), 30)
    indent = 2 + left + 2
    out = []
    for name, text in rows:
        wrapped = _wrap(text, max(width - indent, 20)) or [""]
        if _columns(name) > left:
            out.append("  " + name)
            out += [" " * indent + line for line in wrapped if line]
            continue
        out.append("  " + name + " " * (left - _columns(name) + 2) + wrapped[0])
        out += [" " * indent + line for line in wrapped[1:]]
    return [line.rstrip() for line in out]


def _paragraphs(text: str, width: int) -> list[str]:
    import inspect

    out: list[str] = []
    for paragraph in inspect.cleandoc(text or "").split("\n\n"):
        if paragraph.strip():
            out += ["  " + line for line in _wrap(paragraph, width - 2)] + [""]
    return out


def _usage_pieces(command, ctx) -> list[str]:
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    pieces = ["[OPTIONS]"] if any(not _is_argument(p) for p in params) else []
    for p in params:
        if _is_argument(p):
            pieces.append(_argument_name(p) if p.required else f"[{_argument_name(p)}]")
    if hasattr(command, "list_commands"):
        pieces += ["COMMAND", "[ARGS]..."]
    return pieces


def _help_text(command, ctx) -> str:
    width = _help_width()
    lines = _wrap(_usage_line(command, ctx), width) + [""]
    lines += _paragraphs(command.help or "", width)
    params = [p for p in command.get_params(ctx) if not getattr(p, "hidden", False)]
    arguments = [(_argument_name(p), getattr(p, "help", None) or "") for p in params if _is_argument(p)]
    options = [(_option_label(p), _("show this help and exit") if p.name == "help" else p.help or "")
               for p in params if not _is_argument(p)]
    for title, rows in ((_("Arguments:"), arguments), (_("Options:"), options)):
        if rows:
            lines += [title] + _two_columns(rows, width) + [""]
    if hasattr(command, "list_commands"):
        rows = []
        for name in command.list_commands(ctx):
            sub = command.get_command(ctx, name)
            if sub is not None and not sub.hidden:
                rows.append((name, " ".join(inspect_first_paragraph(sub.help or "").split())))
        lines += [_("Commands:")] + _two_columns(rows, width) + [""]
        lines += _paragraphs(command.epilog or "", width)
        lines += _wrap(_("Run '{command} COMMAND --help' for a command's arguments and options.")
                       .format(command=ctx.command_path), width)
    return "\n".join(lines).rstrip("\n") + "\n"


def _usage_line(command, ctx) -> str:
    """`Usage: bulletin render [OPTIONS] ISSUE`, in help and in usage errors alike."""
    return _("Usage: {command} {arguments}").format(command=ctx.command_path,
                                                   arguments=" ".join(_usage_pieces(command, ctx)))


def inspect_first_paragraph(text: str) -> str:
    import inspect

    return inspect.cleandoc(text).split("\n\n")[0]


def _plain_format_help(command, ctx, formatter) -> None:
    formatter.write(_help_text(command, ctx))


class _HelpGroup(typer.core.TyperGroup):
    """The `bulletin` group: the help above for itself and each of its commands, and its usage line in
    usage errors (typer's own shows `{issue}` and `<bool>`)."""

    def __init__(self, *args, **kwargs):
        import types

        super().__init__(*args, **kwargs)
        for command in self.commands.values():
            command.format_help = types.MethodType(_plain_format_help, command)
            command.collect_usage_pieces = types.MethodType(_usage_pieces, command)

    def format_help(self, ctx, formatter) -> None:
        formatter.write(_help_text(self, ctx))

    def collect_usage_pieces(self, ctx) -> list[str]:
        return _usage_pieces(self, ctx)


def _version(value: bool) -> None:
    if value:
        from bulletin import __version__

        _out(f"bulletin {__version__}")
        raise typer.Exit()


app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  cls=_HelpGroup, rich_markup_mode=None, epilog=_ISSUE_NAMES,
                  help=_("Publish a numbered work bulletin (工作简报) as a print-ready .docx."))

_state: dict = {"workspace": None}


@app.callback()
def _main(workspace: Optional[Path] = typer.Option(None, "--workspace", "-w", help=_("the workspace folder "
                                                   "(default: $BULLETIN_WORKSPACE, else the nearest bulletin.toml upward)")),
          lang: Optional[str] = typer.Option(None, "--lang", metavar="zh|en",
                                             help=_("the language of messages (default: $BULLETIN_LANG, else the locale)")),
          version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help=_("print the version and exit"))):
    # --lang was read from the command line before anything was made (set_language above)
    _state["workspace"] = workspace


def _ws():
    from bulletin.store.workspace import Workspace

    return Workspace.find(_state["workspace"])


# --- output ------------------------------------------------------------------------------------------

def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _err(text: str) -> None:
    sys.stderr.write(text + "\n")


def _diagnostics(diagnostics: list[Diagnostic]) -> None:
    for d in diagnostics:
        _err(d.format())


def _table(title: str, columns: list[str], rows: list[list], footer: list | None = None) -> None:
    """A rich table on a terminal; tab-separated lines when piped (for grep, cut, Excel)."""
    if sys.stdout.isatty():
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_footer=footer is not None)
        for i, col in enumerate(columns):
            table.add_column(col, footer=str(footer[i]) if footer else "")
        for row in rows:
            table.add_row(*[str(c) for c in row])
        Console().print(table)
        return
    if title:
        _out(title)
    _out("\t".join(columns))
    for row in rows:
        _out("\t".join(str(c) for c in row))
    if footer:
        _out("\t".join(str(c) for c in footer))


def _run(fn):
    """Call `fn`; a BulletinError becomes its messages on stderr and exit status 1."""
    try:
        return fn()
    except BulletinError as exc:
        _diagnostics(exc.diagnostics)
        raise typer.Exit(1)
    except KeyboardInterrupt:
        _err(_("bulletin: interrupted; nothing was changed"))
        raise typer.Exit(1)
    except OSError as exc:  # a folder that cannot be written, a full disk: the system's words, no traceback
        where = exc.filename or "bulletin"
        _err(_("{where}: {problem}; nothing was changed — check the path, its permissions and the free disk "
               "space").format(where=where, problem=_(exc.strerror) if exc.strerror else exc))
        raise typer.Exit(1)


# The system's words for the errors a clerk meets (os.strerror on Linux and macOS), so that _() can
# translate them; others are shown as the system says them.
_SYSTEM_WORDS = [N_("Permission denied"), N_("No space left on device"), N_("No such file or directory"),
                 N_("Read-only file system"), N_("Is a directory"), N_("Not a directory"), N_("File exists"),
                 N_("Operation not permitted"), N_("Directory not empty"), N_("File name too long"),
                 N_("Disk quota exceeded"), N_("Input/output error")]


def _date(value: Optional[str]) -> Optional[_dt.date]:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(_("{value!r} is not a date; write YYYY-MM-DD, e.g. 2009-12-01").format(value=value),
                                 param_hint="'--date'")


# --- commands ----------------------------------------------------------------------------------------

@app.command(help=_("Create a workspace with a starter bulletin.toml and recipients.yaml."))
def init(directory: Path = typer.Argument(..., help=_("folder to create the workspace in")),
         name: Optional[str] = typer.Option(None, "--name", help=_("the bulletin's name, e.g. 政务公开工作简报")),
         editor: Optional[str] = typer.Option(None, "--editor", help=_("the editing office, printed '…编'")),
         first: Optional[str] = typer.Option(None, "--first", metavar="YEAR-NUMBER-TOTAL",
                                             help=_("the first issue's numbers, e.g. 2012-1-61 for 第1期（总第61期） "
                                             "of 2012 (default: 第1期（总第1期） of this year)"))):
    """Create a workspace with a starter bulletin.toml and recipients.yaml."""
    from bulletin.commands import init as init_cmd

    numbers = None
    if first is not None:
        try:
            numbers = init_cmd.parse_first(first)
        except ValueError as exc:
            raise typer.BadParameter(str(exc), param_hint="'--first'")
    written = _run(lambda: init_cmd.init_workspace(directory, name, editor, numbers))
    for path in written:
        _out(str(path))
    shown = numbers or init_cmd.parse_first(f"{_dt.date.today().year}-1-1")
    if numbers:
        _err(_("bulletin: the first issue will be 第{number}期（总第{total}期） of {year}")
             .format(number=shown.number, total=shown.total, year=shown.year))
    else:
        _err(_("bulletin: the first issue will be 第{number}期（总第{total}期） of {year}; if the series already has "
               "issues, set [series] first in bulletin.toml (or init with --first YEAR-NUMBER-TOTAL)")
             .format(number=shown.number, total=shown.total, year=shown.year))


@app.command(help=_("Allocate the next issue number and create its folder."))
def new(date: Optional[str] = typer.Option(None, "--date", help=_("the issue date, YYYY-MM-DD (default today)")),
        supplement: bool = typer.Option(False, "--supplement", help=_("a supplement (增刊), numbered S1, S2 …")),
        special: Optional[str] = typer.Option(None, "--special", metavar="THEME", help=_("a special issue (专刊) on THEME"))):
    """Allocate the next issue number and create its folder."""
    from bulletin.commands import new as new_cmd

    if supplement and special:
        raise typer.BadParameter(_("choose --supplement or --special, not both"))
    kind = "supplement" if supplement else "special" if special else "regular"
    day = _date(date)
    report = _run(lambda: new_cmd.new_issue(_ws(), day, kind, special or ""))
    for note in report.notes:
        _err(f"bulletin: {note}")
    _out(f"{report.label} {report.key.relpath}")


@app.command(help=_("Add articles to an issue; Word and text submissions are converted to articles."))
def add(issue: str = typer.Argument(..., help=_("the issue: 10, 2009-10 or 2009-S1")),
        files: List[Path] = typer.Argument(..., help=_("articles (.md), or submissions to convert (.docx, .doc, .wps, .txt)")),
        section: str = typer.Option("", "--section", help=_("the column (栏目) for articles that name none")),
        simplify: bool = typer.Option(False, "--simplify", help=_("convert traditional characters to simplified "
                                      "(OpenCC); without it they are only reported"))):
    """Add articles to an issue; Word and text submissions are converted to articles."""
    from bulletin.commands import add as add_cmd

    report = _run(lambda: add_cmd.add_articles(_ws(), issue, files, section, simplify))
    _diagnostics(report.notes)
    for path in report.written:
        _out(path)


@app.command("list", help=_("The issues: number, label as printed, total, date, kind, status, articles, copies."))
def list_(year: Optional[int] = typer.Option(None, "--year", help=_("only this year")),
          as_json: bool = typer.Option(False, "--json", help=_("machine-readable output"))):
    """The issues: number, label as printed, total, date, kind, status, articles, copies."""
    from bulletin.commands import reports

    rows = _run(lambda: reports.issue_rows(_ws(), year))
    if as_json:
        _out(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    _table("", [_("issue"), _("label"), _("total"), _("date"), _("kind"), _("status"), _("articles"), _("copies")],
           [[r["issue"], r["label"], r["total"] or "", r["date"], r["kind"], r["status"], r["articles"],
             r["copies"]] for r in rows])


@app.command(help=_("An issue's articles and its distribution by role, with copies."))
def show(issue: str = typer.Argument(..., help=_("the issue: 10, 2009-10 or 2009-S1")),
         as_json: bool = typer.Option(False, "--json", help=_("machine-readable output"))):
    """An issue's articles and its distribution by role, with copies."""
    from bulletin.commands import reports

    data = _run(lambda: reports.issue_detail(_ws(), issue))
    if as_json:
        _out(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _out(f"{data['label']}  {data['date']}  {data['kind']}  {data['status']}  {data['folder']}")
    _table(_("articles"), ["#", _("file"), _("title"), _("source"), _("section")],
           [[i + 1, a["file"], a["title"], a["source"], a["section"]] for i, a in enumerate(data["articles"])])
    _table(_("distribution"), [_("role"), _("recipient"), _("copies")],
           [[r["role"], r["name"], r["copies"]] for r in data["distribution"]],
           footer=["", _("共印 (incl. archive)"), data["copies"]])


@app.command(help=_("Validate everything; print each problem as path:line: message."))
def check(issue: Optional[str] = typer.Argument(None, help=_("only this issue")),
          as_json: bool = typer.Option(False, "--json", help=_("machine-readable output"))):
    """Validate everything; print each problem as path:line: message."""
    from bulletin.commands import check as check_cmd

    found = _run(lambda: check_cmd.check(_ws(), issue))
    errors = [d for d in found if d.severity == "error"]
    if as_json:
        _out(json.dumps([d.as_dict() for d in found], ensure_ascii=False, indent=2))
    else:
        _diagnostics(found)
        warnings = len(found) - len(errors)
        _err(_("{errors} error(s), {warnings} warning(s)").format(errors=len(errors), warnings=warnings)
             if found else _("ok: no problems found"))
    if errors:
        raise typer.Exit(1)


@app.command(help=_("Write the issue as a print-ready .docx and print its path."))
def render(issue: str = typer.Argument(..., help=_("the issue: 10, 2009-10 or 2009-S1")),
           output: Optional[str] = typer.Option(None, "-o", "--output", help=_("where to write the .docx; a folder (FOLDER/ is made if needed) keeps the usual file name")),
           pdf: bool = typer.Option(False, "--pdf", help=_("also make a PDF with LibreOffice")),
           html: bool = typer.Option(False, "--html", help=_("write the web edition instead: a folder with "
                                     "index.html, its stylesheet and pictures (-o names the folder)")),
           force: bool = typer.Option(False, "--force", help=_("re-render a changed published issue: a correction, "
                                      "recorded with its reason and the new checksums")),
           reason: Optional[str] = typer.Option(None, "--reason", help=_("why the published issue is corrected "
                                                "(required with --force)"))):
    """Write the issue as a print-ready .docx and print its path."""
    from bulletin.commands import render as render_cmd

    _force_reason(force, reason)
    if html:
        if pdf or force:
            raise typer.BadParameter(_("--html goes without --pdf and --force"), param_hint="'--html'")
        report = _run(lambda: render_cmd.render_html(_ws(), issue, output))
        for note in report.notes:
            _err(f"bulletin: {note}")
        _out(str(report.path))
        return
    if pdf:
        from bulletin.office.pdf import require_soffice

        _run(require_soffice)
    report = _run(lambda: render_cmd.render(_ws(), issue, output, force, reason or ""))
    for note in report.notes:
        _err(f"bulletin: {note}")
    _out(str(report.path))
    if pdf:
        _out(str(_run(lambda: _pdf(report.path))))


def _pdf(docx: Path) -> Path:
    """The PDF of `docx`, through the workspace's warm LibreOffice when one runs (`bulletin office start`,
    or the workbench's), else one started for it."""
    from bulletin.commands.office import workspace_converter
    from bulletin.office import pdf as pdf_mod

    with workspace_converter(_ws()):
        return pdf_mod.convert(docx)


@app.command(help=_("The issue's pages as printed (PNG, through LibreOffice) and the measured layout checks; "
                    "exit 1 when a check fails."))
def preview(issue: str = typer.Argument(..., help=_("the issue: 10, 2009-10 or 2009-S1")),
            output: Optional[Path] = typer.Option(None, "-o", "--output", help=_("the folder to keep the page "
                                                  "images in, one subfolder per .docx (default build/preview/)"))):
    """The issue's pages as printed (PNG, through LibreOffice) and the measured layout checks; exit 1 when a check fails."""
    from bulletin.commands import preview as preview_cmd

    shown = _run(lambda: preview_cmd.page_images(_ws(), issue, output))
    for page in shown.pages:
        _out(str(page))
    for check in shown.checks:
        where = _(" (page {page})").format(page=check.page) if check.page else ""
        verdict = _("passed") if check.passed else _("failed")
        _err(f"{verdict}: {check.name}{where}: {check.detail}")
    if not shown.passed:
        raise typer.Exit(1)


@app.command(help=_("Write the static archive of the published, public issues into a folder, ready to upload."))
def site(output: str = typer.Option(..., "-o", "--output", help=_("the folder to write the archive into")),
         year: Optional[int] = typer.Option(None, "--year", help=_("only this year's issues"))):
    """Write the static archive of the published, public issues into a folder, ready to upload."""
    from bulletin.commands import site as site_cmd

    report = _run(lambda: site_cmd.site(_ws(), output, year))
    for key, why in report.left_out:
        _err(_("bulletin: left out {key}: {why}").format(key=key, why=why))
    _out(ngettext("{folder}: {n} issue", "{folder}: {n} issues", len(report.included))
         .format(folder=report.folder, n=len(report.included)))


@app.command(help=_("The workbench in the browser: serve the workspace on this computer and print its address."))
def serve(host: str = typer.Option("127.0.0.1", "--host", help=_("the address to listen on (loopback only until "
                                                                "accounts exist)")),
          port: int = typer.Option(8110, "--port", help=_("the port to listen on")),
          open_browser: bool = typer.Option(False, "--open", help=_("open the workbench in the browser"))):
    """The workbench in the browser: serve the workspace on this computer and print its address."""
    import ipaddress

    if host != "localhost":
        try:
            loopback = ipaddress.ip_address(host.strip("[]")).is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            _err(_("bulletin: the workbench has no accounts yet, so it listens only on this computer: use --host "
                   "127.0.0.1 (or localhost), not {host}").format(host=host))
            raise typer.Exit(1)
    ws = _run(_ws)
    import logging
    import threading
    import webbrowser

    import uvicorn

    from bulletin.web.app import create_app

    shown = f"[{host.strip('[]')}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    _out(_("The workbench of {root} is at {url} (Ctrl+C stops it)").format(root=ws.root, url=url))
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(ws.root, warm_office=True), host=host.strip("[]"), port=port, log_level="info", access_log=False)


@app.command(help=_("A warm LibreOffice for this workspace: start it, stop it, or show whether it runs; "
                    "render --pdf and the workbench then convert without starting LibreOffice each time."))
def office(action: str = typer.Argument(..., metavar="start|stop|status",
                                        help=_("start, stop or status"))):
    """A warm LibreOffice for this workspace: start it, stop it, or show whether it runs; render --pdf and the workbench then convert without starting LibreOffice each time."""
    from bulletin.commands import office as office_cmd

    if action not in ("start", "stop", "status"):
        raise typer.BadParameter(_("say start, stop or status, not {action}").format(action=action),
                                 param_hint="'start|stop|status'")
    ws = _run(_ws)
    if action == "stop":
        _out(_("stopped the warm LibreOffice") if office_cmd.stop(ws) else _("no warm LibreOffice was running"))
        return
    shown = _run(lambda: office_cmd.start(ws)) if action == "start" else office_cmd.status(ws)
    if shown.answers:
        owner = {"office start": _("started with 'bulletin office start'"),
                 "serve": _("started by the workbench")}.get(shown.owner, shown.owner)
        _out(_("the warm LibreOffice runs and answers: process {pid}, port {port}, {conversions} conversion(s) "
               "since its last start; {owner}").format(pid=shown.pid, port=shown.port,
                                                      conversions=shown.conversions, owner=owner))
    elif shown.running:
        _out(_("the warm LibreOffice (process {pid}) runs but does not answer: run 'bulletin office stop'")
             .format(pid=shown.pid))
        raise typer.Exit(1)
    else:
        _out(_("no warm LibreOffice runs for this workspace ('bulletin office start' starts one)"))
        raise typer.Exit(1)


@app.command(help=_("Check and proofread, render, set status published and record the checksums (the issue is then frozen)."))
def publish(issue: str = typer.Argument(..., help=_("the issue: 10, 2009-10 or 2009-S1")),
            force: bool = typer.Option(False, "--force", help=_("publish despite what check, lint or the people "
                                       "line found (recorded with the reason)")),
            reason: Optional[str] = typer.Option(None, "--reason", help=_("why it is published anyway (required "
                                                 "with --force)"))):
    """Check and proofread, render, set status published and record the checksums (the issue is then frozen)."""
    from bulletin.commands import publish as publish_cmd

    _force_reason(force, reason)
    report = _run(lambda: publish_cmd.publish(_ws(), issue, force, reason or ""))
    _out(str(report.path))


def _force_reason(force: bool, reason: Optional[str]) -> None:
    """--force and --reason go together, and the reason says something."""
    if force and not (reason or "").strip():
        raise typer.BadParameter(_("--force needs --reason \"…\": say why, it is recorded in issue.yaml"),
                                 param_hint="'--reason'")
    if reason is not None and not force:
        raise typer.BadParameter(_("--reason goes with --force"), param_hint="'--force'")


@app.command(help=_("The recipient directory and the named lists."))
def recipients():
    """The recipient directory and the named lists."""
    from bulletin.commands import reports

    data = _run(lambda: reports.recipient_tables(_ws()))
    _table(_("recipients"), ["id", _("name"), _("role"), _("copies"), _("lists")],
           [[r["id"], r["name"], r["role"], r["copies"], ", ".join(r["lists"])] for r in data["recipients"]])
    _table(_("per role"), [_("role"), _("recipients"), _("copies")],
           [[role, t["recipients"], t["copies"]] for role, t in data["totals"].items()])
    _table(_("lists"), [_("list"), _("recipients"), _("copies")],
           [[name, ", ".join(l["ids"]), l["copies"]] for name, l in data["lists"].items()])


@app.command(help=_("The distribution register (分发登记表): recipient, role, copies, signature."))
def distribution(issue: str = typer.Argument(..., help=_("the issue: 10, 2009-10 or 2009-S1")),
                 csv_out: Optional[Path] = typer.Option(None, "--csv", help=_("write the register as CSV")),
                 docx_out: Optional[Path] = typer.Option(None, "--docx", help=_("write the register as .docx"))):
    """The distribution register (分发登记表): recipient, role, copies, signature."""
    from bulletin.commands import reports

    if csv_out and docx_out:
        raise typer.BadParameter(_("choose --csv or --docx, not both"))
    ws = _run(_ws)
    if csv_out:
        _out(str(_run(lambda: reports.write_register_csv(ws, issue, csv_out))))
        return
    if docx_out:
        _out(str(_run(lambda: reports.write_register_docx(ws, issue, docx_out))))
        return
    rows, total = _run(lambda: reports.register_rows(ws, issue))
    _table(_("distribution register"), [_("no."), _("role"), _("recipient"), _("copies"), _("signature")],
           [[r[0], r[1], r[2], r[3], ""] for r in rows], footer=["", _("in all"), "", total, ""])


@app.command("compile", help=_("The yearly bound volume (合订本): cover, contents, every published issue of the year."))
def compile_(year: int = typer.Argument(..., help=_("the year to bind")),
             output: Optional[str] = typer.Option(None, "-o", "--output", help=_("where to write the .docx; a folder (FOLDER/ is made if needed) keeps the usual file name")),
             pdf: bool = typer.Option(False, "--pdf", help=_("also make a PDF with LibreOffice")),
             drafts: bool = typer.Option(False, "--drafts", help=_("bind the draft issues too, marked （草稿）"))):
    """The yearly bound volume (合订本): cover, contents, every published issue of the year."""
    from bulletin.commands import compile as compile_cmd

    if pdf:
        from bulletin.office.pdf import require_soffice

        _run(require_soffice)
    report = _run(lambda: compile_cmd.compile_year(_ws(), year, output, drafts))
    for note in report.notes:
        _err(f"bulletin: {note}")
    _out(str(report.path))
    if pdf:
        _out(str(_run(lambda: _pdf(report.path))))


@app.command(help=_("Adoption statistics (信息采用统计) of the published issues: articles per contributing unit, issues, columns."))
def stats(year: Optional[int] = typer.Option(None, "--year", help=_("only this year")),
          csv_out: Optional[Path] = typer.Option(None, "--csv", help=_("write the table as CSV")),
          drafts: bool = typer.Option(False, "--drafts", help=_("count the draft issues too"))):
    """Adoption statistics (信息采用统计) of the published issues: articles per contributing unit, issues, columns."""
    from bulletin.commands import stats as stats_mod

    data = _run(lambda: stats_mod.collect(_ws(), year, drafts))
    if csv_out:
        _out(str(_run(lambda: stats_mod.write_csv(data, csv_out))))
        return
    columns, rows, totals = stats_mod.table(data, _)
    _table(_("adoption statistics {year}").format(year=year) if year else _("adoption statistics"), columns, rows,
           footer=totals)
    for y, count in data.per_year.items():
        _out(ngettext("{year}: {count} article", "{year}: {count} articles", count).format(year=y, count=count))


@app.command(help=_("Proofread articles: path:line:col: rule: message; exit 1 when anything is found (left after --fix)."))
def lint(targets: List[str] = typer.Argument(..., help=_("an issue (10, 2009-10) or article files")),
         fix: bool = typer.Option(False, "--fix", help=_("rewrite what is safe (punctuation width, dates, digits, "
                                  "doubled marks, stray spaces, traditional characters, web-page leftover "
                                  "lines); report the rest"))):
    """Proofread articles: path:line:col: rule: message; exit 1 when anything is found (left after --fix)."""
    from bulletin.commands import lint as lint_cmd

    findings, fixed = _run(lambda: lint_cmd.lint(_state["workspace"], targets, fix))
    for path in fixed:
        _err(_("fixed {path}").format(path=path))
    for line in findings:
        _out(line)
    if findings:
        raise typer.Exit(1)


# --- usage errors ------------------------------------------------------------------------------------
# typer (0.29 and later carries its own copy of click) writes its usage errors in English words it
# does not look up; main() shows them itself, in the reader's language. Each pattern matches the
# library's English message and names its parts; the message marked beside it is the same English
# with those parts as placeholders, so English output is the library's own, byte for byte.

_LIBRARY_MESSAGES = [
    (re.compile(r"Got unexpected extra argument(?:\(s\)|s)? \((?P<arguments>.*)\)", re.S),
     N_("Got unexpected extra argument(s) ({arguments})")),
    (re.compile(r"No such option: (?P<option>\S+) \(Possible options: (?P<options>.*)\)", re.S),
     N_("No such option: {option} (Possible options: {options})")),
    (re.compile(r"No such option: (?P<option>.+?)(?: Did you mean (?P<options>.+)\?)?", re.S),
     N_("No such option: {option}")),
    (re.compile(r"Option '(?P<option>.+)' requires an argument\.", re.S), N_("Option '{option}' requires an argument.")),
    (re.compile(r"Option '(?P<option>.+)' requires (?P<count>\d+) arguments\.", re.S),
     N_("Option '{option}' requires {count} arguments.")),
    (re.compile(r"Option '(?P<option>.+)' does not take a value\.", re.S), N_("Option '{option}' does not take a value.")),
    (re.compile(r"Missing command\.", re.S), N_("Missing command.")),
    (re.compile(r"Input should be a valid integer, unable to parse string as an integer", re.S),
     N_("Input should be a valid integer, unable to parse string as an integer")),
    (re.compile(r"Input should be a valid integer, got a number with a fractional part", re.S),
     N_("Input should be a valid integer, got a number with a fractional part")),
    (re.compile(r"Input should be a valid integer(?P<rest>.*)", re.S), N_("Input should be a valid integer{rest}")),
]


def _library_message(text: str) -> str:
    """One of typer's (or click's) English messages in the reader's language; others as they are."""
    suggested = re.fullmatch(r"(?P<message>.+)\. Did you mean (?P<options>.+)\?", text, re.S)
    if suggested:  # typer's suggestion after a message (`No such command 'x'`, looked up in gettext)
        message = suggested["message"]
        message = _library_message(message if message.endswith("。") else message + ".")
        return _("{message} Did you mean {options}?").format(message=message, options=suggested["options"])
    for pattern, message in _LIBRARY_MESSAGES:
        m = pattern.fullmatch(text)
        if m:
            return _(message).format(**{k: v or "" for k, v in m.groupdict().items()})
    return text


def _error_hint(param, ctx) -> str:
    """How typer names a parameter in an error ('--year'); click's takes the context, typer's copy not."""
    try:
        return param.get_error_hint(ctx)
    except TypeError:
        return param.get_error_hint()


def _usage_message(exc) -> str:
    """What a usage error says, without its frame (Usage, Try …, Error:)."""
    kind = type(exc).__name__
    param = getattr(exc, "param", None)
    if kind == "MissingParameter":
        if param is not None and _is_argument(param):
            return _("Missing argument '{name}'.").format(name=_argument_name(param))
        hint = getattr(exc, "param_hint", None) or (_error_hint(param, exc.ctx) if param is not None else "")
        if not isinstance(hint, str):
            hint = " / ".join(repr(h) for h in hint)
        if (exc.param_type or getattr(param, "param_type_name", "")) == "option":
            return _("Missing option {name}.").format(name=hint)
        return _("Missing parameter {name}.").format(name=hint)
    if hasattr(exc, "param_hint"):  # BadParameter: a value typer or a command refused
        hint = getattr(exc, "param_hint", None)
        if hint is None and param is not None:  # an argument by the name the usage line gives it
            hint = f"'{_argument_name(param)}'" if _is_argument(param) else _error_hint(param, exc.ctx)
        if hint is not None and not isinstance(hint, str):
            hint = " / ".join(repr(h) for h in hint)
        message = _library_message(exc.message)
        if hint is None:
            return _("Invalid value: {message}").format(message=message)
        return _("Invalid value for {param_hint}: {message}").format(param_hint=hint, message=message)
    return _library_message(exc.format_message())


def _show_usage_error(exc) -> None:
    """A usage error as typer shows it (usage line, where to find help, the error), in the reader's language."""
    ctx = getattr(exc, "ctx", None)
    lines = []
    if ctx is not None:
        lines.append(_usage_line(ctx.command, ctx))
        if ctx.command.get_help_option(ctx) is not None:
            lines.append(_("Try '{command} {option}' for help.").format(command=ctx.command_path,
                                                                       option=ctx.help_option_names[0]))
        lines.append("")
    lines.append(_("Error: {message}").format(message=_usage_message(exc)))
    _err("\n".join(lines))


def _library_exceptions():
    """The exception classes of the click typer uses: its own copy (typer 0.29+), else click."""
    try:
        from typer._click.exceptions import ClickException, UsageError
    except ImportError:  # an older typer, on click
        from click.exceptions import ClickException, UsageError
    return typer.Abort, ClickException, UsageError


def main() -> None:
    """Console entry point."""
    Abort, ClickException, UsageError = _library_exceptions()
    try:
        code = app(standalone_mode=False)
    except BulletinError as exc:  # raised outside a command body (workspace discovery)
        _diagnostics(exc.diagnostics)
        sys.exit(1)
    except UsageError as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            exc.show()  # `bulletin` alone: the help
        else:
            _show_usage_error(exc)
        sys.exit(exc.exit_code)
    except ClickException as exc:
        _err(_("Error: {message}").format(message=_library_message(exc.format_message())))
        sys.exit(exc.exit_code)
    except (Abort, EOFError):
        _err(_("Aborted!"))
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
