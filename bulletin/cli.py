"""The command line: parse arguments, call one command function, print the result.

Exit status: 0 success, 1 a problem with the user's data or request, 2 wrong usage.
The parser is bulletin's own (below, under "the parser"), not typer's: typer and the pydantic adapters
it loads cost about 30 ms of every command's start-up, a tenth of `bulletin render`. It keeps typer's
ways: options before, between or after the arguments, `--opt=value` and `-ovalue`, `--` before
arguments that start with '-', the group's options before the command, and its messages word for
word. A command is a function with the `@command(...)` decorator, its arguments and options declared
beside it; a group of commands (`bulletin office start`) is a `Group` added with `group(...)`.
Each command imports its module (bulletin.commands.*) inside itself, so `bulletin --help` and each
command load only what they use.
"""
from __future__ import annotations

import atexit
import datetime as _dt
import gc
import sys
from pathlib import Path
from typing import Callable, Optional

from bulletin.i18n import _, N_, language_from_argv, ngettext, set_language

# At its exit CPython collects garbage over every object still alive (pydantic's schemas and
# validators, typing's caches, the composed issue) before it frees them: about 30 ms of CPU after a
# `render` of ~180 ms, a sixth of the wait. Frozen, they are left out of those collections; the
# process's memory goes back to the system all the same, and what exit still owes runs as before
# (atexit handlers, temporary folders' finalizers, flushing stdout and files not in a reference cycle).
atexit.register(gc.freeze)

# The language is settled before the help texts below are made (they are looked up as they are declared).
set_language(language_from_argv(sys.argv))

from bulletin.errors import BulletinError, Diagnostic  # noqa: E402

# --- the parser --------------------------------------------------------------------------------------


class Argument:
    """A positional argument: `name` is the function's parameter; `many` takes one or more (FILE...)."""

    def __init__(self, name: str, help: str, *, required: bool = True, many: bool = False,
                 type: Callable = str, metavar: Optional[str] = None):
        self.name, self.help, self.required, self.many, self.type = name, help, required, many, type
        self.metavar = metavar or _ARGUMENT_NAMES.get(name, name.upper())

    @property
    def label(self) -> str:
        return self.metavar + ("..." if self.many else "")

    @property
    def hint(self) -> str:
        return f"'{self.label}'"


class Option:
    """An option with a value (`-o PATH`), or a flag (`--pdf`) when `flag`. `name` is the function's
    parameter (by default the longest option's name: --csv → csv)."""

    def __init__(self, *opts: str, help: str, name: Optional[str] = None, flag: bool = False,
                 required: bool = False, default=None, type: Callable = str, metavar: Optional[str] = None,
                 eager: Optional[Callable] = None, many: bool = False):
        self.opts, self.help, self.flag, self.required, self.type = opts, help, flag, required, type
        self.many = many  # may be given more than once (--role editor --role reviewer): a list of values
        self.name = name or max(opts, key=len).lstrip("-").replace("-", "_")
        self.default = False if flag and default is None else default
        self.eager = eager  # a function of the command's context run before anything else (--help, --version)
        self.metavar = metavar or _OPTION_VALUES.get(self.name) or max(opts, key=len).lstrip("-").replace("-", "_").upper()

    @property
    def label(self) -> str:
        label = ", ".join(sorted(self.opts, key=lambda o: (o.startswith("--"), o)))
        return label if self.flag else f"{label} {self.metavar}"

    @property
    def hint(self) -> str:
        return " / ".join(f"'{o}'" for o in self.opts)


class UsageError(Exception):
    """Wrong usage: shown with the command's usage line (unless `bare`) and exit status 2."""

    def __init__(self, message: str, command: Optional["Command"] = None, *, bare: bool = False):
        super().__init__(message)
        self.message, self.command, self.bare = message, command, bare


class BadParameter(UsageError):
    """A value a command refused: 'Invalid value for '--date': …', or 'Invalid value: …' without `hint`."""

    def __init__(self, message: str, param_hint: Optional[str] = None):
        super().__init__(message)
        self.param_hint = param_hint

    def text(self) -> str:
        if self.param_hint is None:
            return _("Invalid value: {message}").format(message=self.message)
        return _("Invalid value for {param_hint}: {message}").format(param_hint=self.param_hint, message=self.message)


class _Help(Exception):
    """`--help`: the command's help on stdout, exit status 0; `bulletin` alone: on stderr, status 2."""

    def __init__(self, context: "Context", alone: bool = False):
        super().__init__()
        self.context, self.alone = context, alone


def _show_help(context: "Context") -> None:
    raise _Help(context)


class Context:
    """One command as called: the command and how it is named ('bulletin render')."""

    def __init__(self, command: "Command", path: str):
        self.command, self.path = command, path


class Command:
    """A command: its function, its help and its declared arguments and options (--help added)."""

    def __init__(self, name: str, function: Optional[Callable], help: str, params: list):
        self.name, self.function, self.help = name, function, help
        help_option = Option("--help", help=N_("show this help and exit"), flag=True, name="help", eager=_show_help)
        self.params = list(params) + [help_option]
        self.arguments = [p for p in self.params if isinstance(p, Argument)]
        self.options = [p for p in self.params if isinstance(p, Option)]

    def usage_pieces(self) -> list[str]:
        pieces = ["[OPTIONS]"] if self.options else []
        return pieces + [a.label if a.required else f"[{a.label}]" for a in self.arguments]

    def parse(self, args: list[str], context: Context, interspersed: bool = True) -> tuple[dict, list[str]]:
        """The values of the options and arguments in `args` (as typer reads them), and what is left
        after them: for a group, the command and its arguments."""
        by_opt = {o: option for option in self.options for o in option.opts}
        found: dict = {}
        order: list = []  # the options as they came, for the order of their checks
        positional: list[str] = []
        rest = list(args)

        def take(option: Option, opt: str, explicit: Optional[str]) -> None:
            if option.flag:
                if explicit is not None:
                    raise UsageError(_("Option '{option}' does not take a value.").format(option=opt), bare=True)
                found[option.name] = True
            elif explicit is not None or rest:
                value = explicit if explicit is not None else rest.pop(0)
                if option.many:
                    found.setdefault(option.name, []).append(value)
                else:
                    found[option.name] = value
            else:
                raise UsageError(_("Option '{option}' requires an argument.").format(option=opt), bare=True)
            if option not in order:
                order.append(option)

        while rest:
            arg = rest.pop(0)
            if arg == "--":
                break
            if arg[:1] == "-" and len(arg) > 1:
                opt, _eq, value = arg.partition("=")
                explicit = value if _eq else None
                if opt in by_opt:
                    take(by_opt[opt], opt, explicit)
                elif arg[:2] == "--":
                    import difflib

                    longs = [o for o in by_opt if o.startswith("--")]
                    close = sorted(difflib.get_close_matches(opt, longs))
                    message = _("No such option: {option}").format(option=opt)
                    if close:
                        message = _("No such option: {option} (Possible options: {options})").format(
                            option=opt, options=", ".join(close))
                    raise UsageError(message, self)
                else:  # -abc: flags one by one; a short option with a value takes the rest (-ofile)
                    for i, ch in enumerate(arg[1:], start=2):
                        option = by_opt.get("-" + ch)
                        if option is None:
                            raise UsageError(_("No such option: {option}").format(option="-" + ch), self)
                        if not option.flag and i < len(arg):
                            rest.insert(0, arg[i:])
                            take(option, "-" + ch, None)
                            break
                        take(option, "-" + ch, None)
            elif interspersed:
                positional.append(arg)
            else:
                rest.insert(0, arg)
                break
        positional += rest
        for option in sorted((o for o in order if o.eager), key=order.index):
            option.eager(context)
        values: dict = {}
        for argument in self.arguments:  # positional values, in order; FILE... takes all the rest
            if argument.many and positional:
                found[argument.name], positional = positional, []
            elif positional:
                found[argument.name] = positional.pop(0)
            if argument.name in found:
                order.append(argument)
        rank = {p: i for i, p in enumerate(order)}
        for param in sorted(self.params, key=lambda p: rank.get(p, len(rank))):  # typer's order of checks
            if getattr(param, "eager", None):
                if param.name != "help":
                    values[param.name] = found.get(param.name, False)
                continue
            value = found.get(param.name)
            if value is None or value == []:
                if param.required:
                    if isinstance(param, Argument):
                        raise UsageError(_("Missing argument '{name}'.").format(name=param.label), self)
                    raise UsageError(_("Missing option {name}.").format(name=param.hint), self)
                values[param.name] = [] if getattr(param, "many", False) else getattr(param, "default", None)
                continue
            if getattr(param, "flag", False):
                values[param.name] = value
                continue
            try:
                values[param.name] = [param.type(v) for v in value] if getattr(param, "many", False) else param.type(value)
            except BadParameter as exc:
                exc.param_hint = exc.param_hint or param.hint
                exc.command = self
                raise
        if positional and not isinstance(self, Group):
            raise UsageError(_("Got unexpected extra argument(s) ({arguments})").format(arguments=" ".join(positional)),
                             self)
        return values, positional


class Group(Command):
    """Commands under one name (`bulletin`, `bulletin office`): its own options, then a command."""

    def __init__(self, name: str, help: str, params: list = (), epilog: str = "",
                 callback: Optional[Callable] = None, alone: Optional[Callable] = None):
        super().__init__(name, callback, help, params)
        self.epilog = epilog
        self.alone = alone  # what the group does without a command (`bulletin submissions` lists), else an error
        self.commands: dict[str, Command] = {}

    def usage_pieces(self) -> list[str]:
        return super().usage_pieces() + ["COMMAND", "[ARGS]..."]

    def command(self, name: str, help: str, *params) -> Callable:
        """Declare the decorated function as the command `name`: `help` (the catalog's words, the same as
        its docstring), then its Argument()s and Option()s."""
        def declare(function: Callable) -> Callable:
            self.commands[name] = Command(name, function, help, params)
            return function
        return declare

    def group(self, name: str, help: str, *params, callback: Optional[Callable] = None,
              alone: Optional[Callable] = None) -> "Group":
        """A group of commands under this one (`bulletin office start`); `alone(**options)` runs when
        no command follows."""
        self.commands[name] = Group(name, help, params, callback=callback, alone=alone)
        return self.commands[name]

    def run(self, args: list[str], path: str, top: bool = False):
        context = Context(self, path)
        if not args and top:
            raise _Help(context, alone=True)
        values, rest = self.parse(args, context, interspersed=False)
        if self.function is not None:
            self.function(**values)
        if not rest and self.alone is not None:
            return self.alone(**values)
        if not rest:
            raise UsageError(_("Missing command."), self)
        name, rest = rest[0], rest[1:]
        command = self.commands.get(name)
        if command is None:
            import difflib

            message = _("No such command {name!r}.").format(name=name)
            close = difflib.get_close_matches(name, list(self.commands))
            if close:
                message = _("{message} Did you mean {options}?").format(
                    message=message, options=", ".join(repr(c) for c in close))
            raise UsageError(message, self)
        if isinstance(command, Group):
            return command.run(rest, f"{path} {name}")
        values, _rest = command.parse(rest, Context(command, f"{path} {name}"))
        try:
            return command.function(**values)
        except BadParameter as exc:  # a value the command refused
            exc.command = exc.command or command
            raise


def _integer(value: str) -> int:
    """A whole number as typer (through pydantic) reads one: spaces around, 1_000, 2026.0."""
    import re

    text = value.strip()
    if re.fullmatch(r"[+-]?[0-9]+(?:_[0-9]+)*(?:\.0+)?", text):
        return int(text.split(".")[0])
    raise BadParameter(_("Input should be a valid integer, unable to parse string as an integer"))


def _program_name() -> str:
    """How the program was called, as typer's usage line names it: `bulletin`, or `python -m bulletin.cli`."""
    import os

    main = sys.modules.get("__main__")
    package = getattr(main, "__package__", None)
    if not package:
        return os.path.basename(sys.argv[0])
    name = os.path.splitext(os.path.basename(sys.argv[0]))[0]
    return "python -m " + (package if name == "__main__" else f"{package}.{name}").lstrip(".")


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
_TOKEN = r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+|\s+"


def _columns(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _wrap(text: str, width: int) -> list[str]:
    """`text` in lines of at most `width` columns (a longer word keeps its own line); nothing is cut."""
    import re

    lines: list[str] = []
    line, space = "", False
    for token in re.findall(_TOKEN, " ".join(text.split())):
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


def _cleandoc(text: str) -> str:
    import inspect

    return inspect.cleandoc(text or "")


def _paragraphs(text: str, width: int) -> list[str]:
    out: list[str] = []
    for paragraph in _cleandoc(text).split("\n\n"):
        if paragraph.strip():
            out += ["  " + line for line in _wrap(paragraph, width - 2)] + [""]
    return out


def _usage_line(context: Context) -> str:
    """`Usage: bulletin render [OPTIONS] ISSUE`, in help and in usage errors alike."""
    return _("Usage: {command} {arguments}").format(command=context.path,
                                                   arguments=" ".join(context.command.usage_pieces()))


def _help_text(context: Context) -> str:
    command, width = context.command, _help_width()
    lines = _wrap(_usage_line(context), width) + [""]
    lines += _paragraphs(command.help, width)
    arguments = [(a.label, a.help or "") for a in command.arguments]
    options = [(o.label, _(o.help) if o.name == "help" else o.help or "") for o in command.options]
    for title, rows in ((_("Arguments:"), arguments), (_("Options:"), options)):
        if rows:
            lines += [title] + _two_columns(rows, width) + [""]
    if isinstance(command, Group):
        rows = [(name, " ".join(_cleandoc(sub.help).split("\n\n")[0].split())) for name, sub in command.commands.items()]
        lines += [_("Commands:")] + _two_columns(rows, width) + [""]
        lines += _paragraphs(command.epilog, width)
        lines += _wrap(_("Run '{command} COMMAND --help' for a command's arguments and options.")
                       .format(command=context.path), width)
    return "\n".join(lines).rstrip("\n") + "\n"


def _show_usage_error(exc: UsageError, path: str) -> None:
    """A usage error as typer shows it (usage line, where to find help, the error), in the reader's language."""
    lines = []
    if exc.command is not None and not exc.bare:
        context = Context(exc.command, _command_path(exc.command, path))
        lines += [_usage_line(context), _("Try '{command} {option}' for help.").format(command=context.path,
                                                                                     option="--help"), ""]
    message = exc.text() if isinstance(exc, BadParameter) else exc.message
    lines.append(_("Error: {message}").format(message=message))
    _err("\n".join(lines))


def _command_path(command: Command, program: str) -> str:
    """'bulletin office start' for the command `start` of the group `office`."""
    def walk(group: Group, path: str):
        if group is command:
            return path
        for name, sub in group.commands.items():
            if sub is command:
                return f"{path} {name}"
            if isinstance(sub, Group):
                found = walk(sub, f"{path} {name}")
                if found:
                    return found
        return None
    return walk(app, program) or program


def _version(context: Context) -> None:
    from bulletin import __version__

    _out(f"bulletin {__version__}")
    raise SystemExit(0)


_state: dict = {"workspace": None}


def _main(workspace: Optional[Path], lang: Optional[str], version: bool) -> None:
    # --lang was read from the command line before anything was made (set_language above)
    _state["workspace"] = workspace


app = Group("bulletin", _("Publish a numbered work bulletin (工作简报) as a print-ready .docx."), [
    Option("--workspace", "-w", type=Path, help=_("the workspace folder (default: $BULLETIN_WORKSPACE, else the "
                                                  "nearest bulletin.toml upward)")),
    Option("--lang", metavar="zh|en", help=_("the language of messages (default: $BULLETIN_LANG, else the locale)")),
    Option("--version", flag=True, eager=_version, help=_("print the version and exit")),
], epilog=_ISSUE_NAMES, callback=_main)
command = app.command


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
        raise SystemExit(1)
    except KeyboardInterrupt:
        _err(_("bulletin: interrupted; nothing was changed"))
        raise SystemExit(1)
    except OSError as exc:  # a folder that cannot be written, a full disk: the system's words, no traceback
        where = exc.filename or "bulletin"
        _err(_("{where}: {problem}; nothing was changed — check the path, its permissions and the free disk "
               "space").format(where=where, problem=_(exc.strerror) if exc.strerror else exc))
        raise SystemExit(1)


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
        raise BadParameter(_("{value!r} is not a date; write YYYY-MM-DD, e.g. 2009-12-01").format(value=value),
                           param_hint="'--date'")


# --- commands ----------------------------------------------------------------------------------------

_ISSUE_HELP = N_("the issue: 10, 2009-10 or 2009-S1")
_AS_HELP = N_("who takes the step: an account's name (required once the workspace has accounts); without "
              "accounts, the name recorded")
_OUTPUT_HELP = N_("where to write the .docx; a folder (FOLDER/ is made if needed) keeps the usual file name")
_PDF_HELP = N_("also make a PDF with LibreOffice")
_JSON_HELP = N_("machine-readable output")


@command("init", _("Create a workspace with a starter bulletin.toml and recipients.yaml."),
         Argument("directory", _("folder to create the workspace in"), type=Path),
         Option("--name", help=_("the bulletin's name, e.g. 政务公开工作简报")),
         Option("--editor", help=_("the editing office, printed '…编'")),
         Option("--first", metavar="YEAR-NUMBER-TOTAL", help=_("the first issue's numbers, e.g. 2012-1-61 for "
                "第1期（总第61期） of 2012 (default: 第1期（总第1期） of this year)")))
def init(directory: Path, name: Optional[str], editor: Optional[str], first: Optional[str]):
    """Create a workspace with a starter bulletin.toml and recipients.yaml."""
    from bulletin.commands import init as init_cmd

    numbers = None
    if first is not None:
        try:
            numbers = init_cmd.parse_first(first)
        except ValueError as exc:
            raise BadParameter(str(exc), param_hint="'--first'")
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


@command("new", _("Allocate the next issue number and create its folder."),
         Option("--date", help=_("the issue date, YYYY-MM-DD (default today)")),
         Option("--supplement", flag=True, help=_("a supplement (增刊), numbered S1, S2 …")),
         Option("--special", metavar="THEME", help=_("a special issue (专刊) on THEME")))
def new(date: Optional[str], supplement: bool, special: Optional[str]):
    """Allocate the next issue number and create its folder."""
    from bulletin.commands import new as new_cmd

    if supplement and special:
        raise BadParameter(_("choose --supplement or --special, not both"))
    kind = "supplement" if supplement else "special" if special else "regular"
    day = _date(date)
    report = _run(lambda: new_cmd.new_issue(_ws(), day, kind, special or ""))
    for note in report.notes:
        _err(f"bulletin: {note}")
    _out(f"{report.label} {report.key.relpath}")


@command("add", _("Add articles to an issue; Word and text submissions are converted to articles."),
         Argument("issue", _(_ISSUE_HELP)),
         Argument("files", _("articles (.md), or submissions to convert (.docx, .doc, .wps, .txt)"), many=True,
                  type=Path),
         Option("--section", default="", help=_("the column (栏目) for articles that name none")),
         Option("--simplify", flag=True, help=_("convert traditional characters to simplified (OpenCC); without it "
                                                "they are only reported")))
def add(issue: str, files: list[Path], section: str, simplify: bool):
    """Add articles to an issue; Word and text submissions are converted to articles."""
    from bulletin.commands import add as add_cmd

    report = _run(lambda: add_cmd.add_articles(_ws(), issue, files, section, simplify))
    _diagnostics(report.notes)
    for path in report.written:
        _out(path)


@command("list", _("The issues: number, label as printed, total, date, kind, status, articles, copies."),
         Option("--year", type=_integer, help=_("only this year")),
         Option("--json", name="as_json", flag=True, help=_(_JSON_HELP)))
def list_(year: Optional[int], as_json: bool):
    """The issues: number, label as printed, total, date, kind, status, articles, copies."""
    from bulletin.commands import reports

    rows = _run(lambda: reports.issue_rows(_ws(), year))
    if as_json:
        import json

        _out(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    _table("", [_("issue"), _("label"), _("total"), _("date"), _("kind"), _("status"), _("articles"), _("copies")],
           [[r["issue"], r["label"], r["total"] or "", r["date"], r["kind"], r["status"], r["articles"],
             r["copies"]] for r in rows])


@command("show", _("An issue's articles and its distribution by role, with copies."),
         Argument("issue", _(_ISSUE_HELP)),
         Option("--json", name="as_json", flag=True, help=_(_JSON_HELP)))
def show(issue: str, as_json: bool):
    """An issue's articles and its distribution by role, with copies."""
    from bulletin.commands import reports

    data = _run(lambda: reports.issue_detail(_ws(), issue))
    if as_json:
        import json

        _out(json.dumps(data, ensure_ascii=False, indent=2))
        return
    _out(f"{data['label']}  {data['date']}  {data['kind']}  {data['status']}  {data['folder']}")
    _table(_("articles"), ["#", _("file"), _("title"), _("source"), _("section")],
           [[i + 1, a["file"], a["title"], a["source"], a["section"]] for i, a in enumerate(data["articles"])])
    _table(_("distribution"), [_("role"), _("recipient"), _("copies")],
           [[r["role"], r["name"], r["copies"]] for r in data["distribution"]],
           footer=["", _("共印 (incl. archive)"), data["copies"]])


@command("check", _("Validate everything; print each problem as path:line: message."),
         Argument("issue", _("only this issue"), required=False),
         Option("--json", name="as_json", flag=True, help=_(_JSON_HELP)))
def check(issue: Optional[str], as_json: bool):
    """Validate everything; print each problem as path:line: message."""
    from bulletin.commands import check as check_cmd

    found = _run(lambda: check_cmd.check(_ws(), issue))
    errors = [d for d in found if d.severity == "error"]
    if as_json:
        import json

        _out(json.dumps([d.as_dict() for d in found], ensure_ascii=False, indent=2))
    else:
        _diagnostics(found)
        warnings = len(found) - len(errors)
        _err(_("{errors} error(s), {warnings} warning(s)").format(errors=len(errors), warnings=warnings)
             if found else _("ok: no problems found"))
    if errors:
        raise SystemExit(1)


@command("render", _("Write the issue as a print-ready .docx and print its path."),
         Argument("issue", _(_ISSUE_HELP)),
         Option("-o", "--output", help=_(_OUTPUT_HELP)),
         Option("--pdf", flag=True, help=_(_PDF_HELP)),
         Option("--html", flag=True, help=_("write the web edition instead: a folder with index.html, its stylesheet "
                                            "and pictures (-o names the folder)")),
         Option("--force", flag=True, help=_("re-render a changed published issue: a correction, recorded with its "
                                             "reason and the new checksums")),
         Option("--reason", help=_("why the published issue is corrected (required with --force)")))
def render(issue: str, output: Optional[str], pdf: bool, html: bool, force: bool, reason: Optional[str]):
    """Write the issue as a print-ready .docx and print its path."""
    from bulletin.commands import render as render_cmd

    _force_reason(force, reason)
    if html:
        if pdf or force:
            raise BadParameter(_("--html goes without --pdf and --force"), param_hint="'--html'")
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


@command("preview", _("The issue's pages as printed (PNG, through LibreOffice) and the measured layout checks; "
                      "exit 1 when a check fails."),
         Argument("issue", _(_ISSUE_HELP)),
         Option("-o", "--output", type=Path, help=_("the folder to keep the page images in, one subfolder per .docx "
                                                    "(default build/preview/)")))
def preview(issue: str, output: Optional[Path]):
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
        raise SystemExit(1)


@command("site", _("Write the static archive of the published, public issues into a folder, ready to upload."),
         Option("-o", "--output", required=True, help=_("the folder to write the archive into")),
         Option("--year", type=_integer, help=_("only this year's issues")))
def site(output: str, year: Optional[int]):
    """Write the static archive of the published, public issues into a folder, ready to upload."""
    from bulletin.commands import site as site_cmd

    report = _run(lambda: site_cmd.site(_ws(), output, year))
    for key, why in report.left_out:
        _err(_("bulletin: left out {key}: {why}").format(key=key, why=why))
    _out(ngettext("{folder}: {n} issue", "{folder}: {n} issues", len(report.included))
         .format(folder=report.folder, n=len(report.included)))


@command("serve", _("The workbench in the browser: serve the workspace on this computer and print its address."),
         Option("--host", default="127.0.0.1", help=_("the address to listen on (loopback only until accounts "
                                                      "exist)")),
         Option("--port", default=8110, type=_integer, help=_("the port to listen on")),
         Option("--allowed-host", name="allowed_hosts", many=True, metavar="NAME",
                help=_("a name or address people type to reach the workbench (again for more; also bulletin.toml "
                       "[workbench] hosts)")),
         Option("--open", name="open_browser", flag=True, help=_("open the workbench in the browser")),
         Option("--no-history", name="no_history", flag=True,
                help=_("do not record the changes in git (they then cannot be undone)")))
def serve(host: str, port: int, allowed_hosts: list[str], open_browser: bool, no_history: bool):
    """The workbench in the browser: serve the workspace on this computer and print its address."""
    import ipaddress

    from bulletin.web.app import LOOPBACK_HOSTS

    bare = host.strip("[]")
    try:
        address = ipaddress.ip_address(bare)
    except ValueError:
        address = None
    loopback = host == "localhost" or (address is not None and address.is_loopback)
    ws = _run(_ws)
    hosts = list(LOOPBACK_HOSTS)
    if not loopback:
        from bulletin.accounts.store import AccountStore

        if not _run(lambda: AccountStore(ws).any()):
            _err(_("bulletin: the workbench has no accounts yet, so it listens only on this computer: use --host "
                   "127.0.0.1 (or localhost), not {host}; or first add an account: bulletin user add NAME --role "
                   "admin").format(host=host))
            raise SystemExit(1)
        named = [*allowed_hosts, *_run(lambda: ws.series().workbench.hosts)]
        if address is None or not address.is_unspecified:
            named.append(bare)
        if not named:
            _err(_("bulletin: listening on {host}, the workbench answers only to the names people type: give them "
                   "with --allowed-host NAME (e.g. the server's name and its address) or in bulletin.toml "
                   "[workbench] hosts").format(host=host))
            raise SystemExit(1)
        hosts += [h.strip("[]").lower() for h in named]
    history = _serve_history(ws, no_history)
    import logging
    import threading
    import webbrowser

    import uvicorn

    from bulletin.web.app import create_app

    shown = f"[{bare}]" if ":" in host else host
    if address is not None and address.is_unspecified:
        shown = hosts[len(LOOPBACK_HOSTS)]
    url = f"http://{shown}:{port}/"
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    _out(_("The workbench of {root} is at {url} (Ctrl+C stops it)").format(root=ws.root, url=url))
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    uvicorn.run(create_app(ws.root, allowed_hosts=tuple(dict.fromkeys(hosts)), warm_office=True, history=history),
                host=bare, port=port,
                log_level="info", access_log=False)


# --- accounts --------------------------------------------------------------------------------------

user_commands = app.group("user", _("The workbench's accounts: add, change the password or the roles, list, remove."))
_PASSWORD_STDIN_HELP = N_("read the password from the first line of standard input (for scripts)")


def _password(from_stdin: bool, name: str) -> str:
    """The new password: the first line of stdin, or asked twice without echo."""
    from bulletin.accounts.store import check_password

    if from_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        import getpass

        password = getpass.getpass(_("Password for {name}: ").format(name=name))
        again = getpass.getpass(_("The same password again: "))
        if password != again:
            _err(_("bulletin: the two passwords differ; nothing was changed"))
            raise SystemExit(1)
    _run(lambda: check_password(password, name))
    return password


def _who_runs() -> str:
    """The audit trail's 'who' for the command line: the system's user name."""
    import getpass

    try:
        return "cli:" + getpass.getuser()
    except Exception:  # no user name in this environment
        return "cli"


def _accounts():
    from bulletin.accounts.store import AccountStore

    return AccountStore(_run(_ws))


@user_commands.command("add", _("Add an account with its roles; asks for the password twice."),
                       Argument("name", _("the person's name as they sign in, e.g. 张明")),
                       Option("--role", name="roles", many=True, required=True, metavar="ROLE",
                              help=_("editor, reviewer, signer, admin or submitter (again for more)")),
                       Option("--unit", help=_("the unit a submitter sends for, e.g. 市税务局 (submitters only)")),
                       Option("--password-stdin", flag=True, help=_(_PASSWORD_STDIN_HELP)))
def user_add(name: str, roles: list[str], unit: Optional[str], password_stdin: bool):
    """Add an account with its roles; asks for the password twice."""
    from bulletin.accounts.store import check_name, check_roles, check_unit
    from bulletin.commands.submissions import units

    store = _accounts()
    name = _run(lambda: check_name(name))
    chosen = _run(lambda: check_roles(roles))
    known = _run(lambda: units(store.ws)) if "submitter" in chosen else None
    _run(lambda: check_unit(chosen, unit or "", known))
    if store.actor(name) is not None:
        _err(_("bulletin: there is already an account named {name}; change its password with: bulletin user passwd "
               "{name}").format(name=name))
        raise SystemExit(1)
    from bulletin.commands.accounts import add_account

    password = _password(password_stdin, name)
    account = _run(lambda: add_account(store.ws, name, chosen, password, by=_who_runs(), unit=unit or ""))
    shown = _role_list(account.roles) + (_(" ({unit})").format(unit=account.unit) if account.unit else "")
    _out(_("added {name}: {roles}").format(name=account.name, roles=shown))


def _role_list(roles) -> str:
    from bulletin.rules.permissions import ROLE_WORDS

    return _("、").join(_(ROLE_WORDS[r]) for r in roles)


@user_commands.command("passwd", _("Set a new password for an account; its sessions end."),
                       Argument("name", _("the account's name")),
                       Option("--password-stdin", flag=True, help=_(_PASSWORD_STDIN_HELP)))
def user_passwd(name: str, password_stdin: bool):
    """Set a new password for an account; its sessions end."""
    store = _accounts()
    if store.actor(name) is None:
        _run(lambda: store.remove(name))  # names the missing account, the same words as remove
    from bulletin.commands.accounts import set_password

    password = _password(password_stdin, name)
    _run(lambda: set_password(store.ws, name, password, by=_who_runs()))
    _out(_("changed the password of {name}; its sessions have ended").format(name=name))


@user_commands.command("list", _("The accounts: name, roles, open sessions."))
def user_list():
    """The accounts: name, roles, open sessions."""
    people = _run(lambda: _accounts().accounts())
    if not people:
        _out(_("no accounts: the workbench is open to this computer only ('bulletin user add' adds one)"))
        return
    _table("", [_("name"), _("roles"), _("sessions"), _("unit")],
           [[p.name, _role_list(p.roles), p.sessions, p.unit] for p in people])


@user_commands.command("remove", _("Remove an account; its sessions end (the audit trail keeps its rows)."),
                       Argument("name", _("the account's name")))
def user_remove(name: str):
    """Remove an account; its sessions end (the audit trail keeps its rows)."""
    from bulletin.commands.accounts import remove_account

    _run(lambda: remove_account(_accounts().ws, name, by=_who_runs()))
    _out(_("removed {name}").format(name=name))


@user_commands.command("roles", _("Give an account new roles (the last administrator keeps the role)."),
                       Argument("name", _("the account's name")),
                       Option("--role", name="roles", many=True, required=True, metavar="ROLE",
                              help=_("editor, reviewer, signer, admin or submitter (again for more)")))
def user_roles(name: str, roles: list[str]):
    """Give an account new roles (the last administrator keeps the role)."""
    from bulletin.commands.accounts import set_roles

    chosen = _run(lambda: set_roles(_accounts().ws, name, roles, by=_who_runs()))
    _out(_("{name} now has the roles {roles}").format(name=name, roles=_role_list(chosen)))


def _serve_history(ws, no_history: bool) -> bool:
    """Does the workbench record its changes in git? A workspace that is no repository yet: made one
    when the person at the terminal says so; without a terminal, refused naming both ways out."""
    from bulletin.store import history as git_history

    without = _("changes made in the workbench are not recorded and cannot be undone")
    if no_history:
        _err(_("bulletin: the workbench runs without history (--no-history): {cost}").format(cost=without))
        return False
    if not git_history.installed():
        _err(_("bulletin: git is not installed, so the changes cannot be recorded: install git "
               "(https://git-scm.com), or start the workbench with --no-history ({cost})").format(cost=without))
        raise SystemExit(1)
    if git_history.is_repository(ws.root):
        return True
    if not (sys.stdin and sys.stdin.isatty()):
        _err(_("bulletin: {root} is not a git repository, so the workbench cannot record its changes: run "
               "'bulletin serve' in a terminal and answer yes to create one, or start it with --no-history "
               "({cost})").format(root=ws.root, cost=without))
        raise SystemExit(1)
    answer = input(_("{root} is not a git repository yet. Create one, so that every change made in the "
                     "workbench is recorded and can be undone? [Y/n] ").format(root=ws.root))
    if answer.strip().lower() not in ("", "y", "yes", _("y"), _("yes")):
        _err(_("bulletin: the workbench runs without history: {cost}").format(cost=without))
        return False
    from bulletin.commands.history import start

    commit = _run(lambda: start(ws))
    _out(_("created a git repository in {root} with its files as they are (version {commit})").format(
        root=ws.root, commit=(commit or "")[:7]))
    return True


office_commands = app.group("office", _("A warm LibreOffice for this workspace: start it, stop it, or show whether it "
                                          "runs; render --pdf and the workbench then convert without starting "
                                          "LibreOffice each time."))


def _office_shown(shown) -> None:
    """What `office start` and `office status` print; exit 1 when no warm LibreOffice answers."""
    if shown.answers:
        owner = {"office start": _("started with 'bulletin office start'"),
                 "serve": _("started by the workbench")}.get(shown.owner, shown.owner)
        _out(_("the warm LibreOffice runs and answers: process {pid}, port {port}, {conversions} conversion(s) "
               "since its last start; {owner}").format(pid=shown.pid, port=shown.port,
                                                      conversions=shown.conversions, owner=owner))
    elif shown.running:
        _out(_("the warm LibreOffice (process {pid}) runs but does not answer: run 'bulletin office stop'")
             .format(pid=shown.pid))
        raise SystemExit(1)
    else:
        _out(_("no warm LibreOffice runs for this workspace ('bulletin office start' starts one)"))
        raise SystemExit(1)


@office_commands.command("start", _("Start a warm LibreOffice for this workspace (it runs until 'bulletin office stop')."))
def office_start():
    """Start a warm LibreOffice for this workspace (it runs until 'bulletin office stop')."""
    from bulletin.commands import office as office_cmd

    ws = _run(_ws)
    _office_shown(_run(lambda: office_cmd.start(ws)))


@office_commands.command("stop", _("Stop this workspace's warm LibreOffice."))
def office_stop():
    """Stop this workspace's warm LibreOffice."""
    from bulletin.commands import office as office_cmd

    ws = _run(_ws)
    _out(_("stopped the warm LibreOffice") if office_cmd.stop(ws) else _("no warm LibreOffice was running"))


@office_commands.command("status", _("Whether a warm LibreOffice runs and answers for this workspace (exit 1 when not)."))
def office_status():
    """Whether a warm LibreOffice runs and answers for this workspace (exit 1 when not)."""
    from bulletin.commands import office as office_cmd

    _office_shown(office_cmd.status(_run(_ws)))


@command("publish", _("Check and proofread, render, set status published and record the checksums (the issue is then "
                      "frozen)."),
         Argument("issue", _(_ISSUE_HELP)),
         Option("--force", flag=True, help=_("publish despite what check, lint or the people line found (recorded "
                                             "with the reason)")),
         Option("--reason", help=_("why it is published anyway (required with --force)")),
         Option("--as", name="as_name", metavar="NAME", help=_(_AS_HELP)))
def publish(issue: str, force: bool, reason: Optional[str], as_name: Optional[str]):
    """Check and proofread, render, set status published and record the checksums (the issue is then frozen)."""
    from bulletin.commands import publish as publish_cmd
    from bulletin.commands.review import actor_named

    _force_reason(force, reason)

    def run():
        ws = _ws()
        return publish_cmd.publish(ws, issue, force, reason or "", actor_named(ws, as_name))
    report = _run(run)
    _out(str(report.path))


def _review_step(step: str, issue: str, comment: Optional[str], as_name: Optional[str]) -> None:
    """One step of the review (commands.review) as `--as NAME`; prints the issue's new status."""
    from bulletin.commands import review
    from bulletin.rules.permissions import STATUS_WORDS

    def run():
        ws = _ws()
        key = review.take_step(ws, issue, step, review.actor_named(ws, as_name), comment or "")
        return key, ws.load_issue(key)[0].status
    key, status = _run(run)
    _out(_("{key}: {status}").format(key=key, status=_(STATUS_WORDS[status])))


# The four review steps take the same arguments and differ only in their words: one table, one
# declaration each (the help is the function's docstring, as for every other command).
_REVIEW_STEPS = (
    ("submit", "submit", _("Send the issue for review (送审): a draft goes to the reviewers."),
     _("a comment recorded with the step")),
    ("approve", "approve", _("Approve the issue (审核通过): it goes to the signer."),
     _("a comment recorded with the step")),
    ("return", "return_", _("Return the issue to its editor (退回) with what is to be changed: it goes back to draft."),
     _("what is to be changed (required)")),
    ("sign", "sign", _("Sign the issue off (签发): it may then be published."),
     _("a comment recorded with the step")),
)


def _declare_review_step(step: str, function_name: str, summary: str, comment_help: str) -> None:
    def run(issue: str, comment: Optional[str], as_name: Optional[str]):
        _review_step(step, issue, comment, as_name)

    run.__name__ = run.__qualname__ = function_name
    run.__doc__ = summary
    command(step, summary, Argument("issue", _(_ISSUE_HELP)), Option("--comment", help=comment_help),
            Option("--as", name="as_name", metavar="NAME", help=_(_AS_HELP)))(run)


for _step in _REVIEW_STEPS:
    _declare_review_step(*_step)


def _force_reason(force: bool, reason: Optional[str]) -> None:
    """--force and --reason go together, and the reason says something."""
    if force and not (reason or "").strip():
        raise BadParameter(_("--force needs --reason \"…\": say why, it is recorded in issue.yaml"),
                           param_hint="'--reason'")
    if reason is not None and not force:
        raise BadParameter(_("--reason goes with --force"), param_hint="'--force'")


@command("recipients", _("The recipient directory and the named lists."))
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


@command("distribution", _("The distribution register (分发登记表): recipient, role, copies, signature."),
         Argument("issue", _(_ISSUE_HELP)),
         Option("--csv", name="csv_out", type=Path, help=_("write the register as CSV")),
         Option("--docx", name="docx_out", type=Path, help=_("write the register as .docx")))
def distribution(issue: str, csv_out: Optional[Path], docx_out: Optional[Path]):
    """The distribution register (分发登记表): recipient, role, copies, signature."""
    from bulletin.commands import reports

    if csv_out and docx_out:
        raise BadParameter(_("choose --csv or --docx, not both"))
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


@command("compile", _("The yearly bound volume (合订本): cover, contents, every published issue of the year."),
         Argument("year", _("the year to bind"), type=_integer),
         Option("-o", "--output", help=_(_OUTPUT_HELP)),
         Option("--pdf", flag=True, help=_(_PDF_HELP)),
         Option("--drafts", flag=True, help=_("bind the draft issues too, marked （草稿）")))
def compile_(year: int, output: Optional[str], pdf: bool, drafts: bool):
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


@command("stats", _("Adoption statistics (信息采用统计) of the published issues: articles per contributing unit, issues, "
                    "columns; with --quarter, --month or --scores, the points of each unit (信息采用计分) and the "
                    "circular (通报)."),
         Option("--year", type=_integer, help=_("only this year")),
         Option("--quarter", metavar="2026Q4", help=_("the scores of a quarter, e.g. 2026Q4")),
         Option("--month", metavar="2026-10", help=_("the scores of a month, e.g. 2026-10")),
         Option("--scores", flag=True, help=_("the scores of the --year (implied by --quarter, --month and --docx)")),
         Option("--csv", name="csv_out", type=Path, help=_("write the table as CSV")),
         Option("--docx", name="docx_out", type=Path, help=_("write the circular (通报) of the scores as .docx")),
         Option("--drafts", flag=True, help=_("count the draft issues too")))
def stats(year: Optional[int], quarter: Optional[str], month: Optional[str], scores: bool, csv_out: Optional[Path],
          docx_out: Optional[Path], drafts: bool):
    """Adoption statistics (信息采用统计) of the published issues: articles per contributing unit, issues, columns; with --quarter, --month or --scores, the points of each unit (信息采用计分) and the circular (通报)."""  # noqa: E501
    from bulletin.commands import stats as stats_mod

    if quarter or month or scores or docx_out:
        _scores(year, quarter, month, csv_out, docx_out, drafts)
        return
    data = _run(lambda: stats_mod.collect(_ws(), year, drafts))
    if csv_out:
        _out(str(_run(lambda: stats_mod.write_csv(data, csv_out))))
        return
    columns, rows, totals = stats_mod.table(data, _)
    _table(_("adoption statistics {year}").format(year=year) if year else _("adoption statistics"), columns, rows,
           footer=totals)
    for y, count in data.per_year.items():
        _out(ngettext("{year}: {count} article", "{year}: {count} articles", count).format(year=y, count=count))


def _scores(year: Optional[int], quarter: Optional[str], month: Optional[str], csv_out: Optional[Path],
            docx_out: Optional[Path], drafts: bool) -> None:
    """`stats --quarter 2026Q4 [--csv F] [--docx 通报.docx]`: the scores of one period."""
    from bulletin.commands import stats as stats_mod

    given = [(p, option) for p, option in ((str(year) if year is not None else None, "--year"),
                                          (quarter, "--quarter"), (month, "--month")) if p]
    if len(given) != 1:
        raise BadParameter(_("the scores are of one period: give one of --quarter 2026Q4, --month 2026-10 or "
                             "--year 2026"))
    if drafts:
        raise BadParameter(_("--drafts goes with the articles table; the scores count every adoption of the period"),
                           param_hint="'--drafts'")

    def run():
        ws = _ws()
        period = stats_mod.parse_period(*given[0])
        result = stats_mod.scores(ws, period)
        written = []
        if csv_out:
            written.append(stats_mod.write_scores_csv(result, csv_out))
        if docx_out:
            stats_mod.chart_font(ws)  # no Chinese font: refused before anything is written
            written.append(stats_mod.circular(ws, period, docx_out))
        return result, written
    result, written = _run(run)
    for path in written:
        _out(str(path))
    if written:
        return
    columns, rows, totals = stats_mod.scores_table(result, _)
    _table(_("scores {period}").format(period=result.period.words), columns, rows, footer=totals)
    r = result.rules
    _out(_("points: {full} a full adoption, {combined} a combined one, +{instruction} a leader's instruction, "
           "+{higher} an adoption higher up").format(full=f"{r.full_adoption:g}", combined=f"{r.combined_adoption:g}",
                                                     instruction=f"{r.instruction_bonus:g}",
                                                     higher=f"{r.higher_adoption_bonus:g}"))


# --- 信息报送: items sent by units, the editors' decisions, marks on articles ----------------------------

def _submissions_list(unit: Optional[str], status: Optional[str], year: Optional[int]) -> None:
    """Every item (of a unit, with a status, of a year), newest first."""
    from bulletin.commands import submissions as subs

    items = _run(lambda: subs.listing(_ws(), unit=unit, status=status, year=year))
    if not items:
        _out(_("no items"))
        return
    _table(_("items sent"), [_("item"), _("unit"), _("title"), _("sent by"), _("sent at"), _("status"), _("where")],
           [[i.ref, i.unit, i.title, i.record.sent_by, i.sent_at.strftime("%Y-%m-%d %H:%M"),
             _(subs.STATUS_WORDS[i.status]), _item_where(i)] for i in items])


def _item_where(item) -> str:
    decision = item.decision
    if decision is None:
        return ""
    if decision.issue:
        return f"{decision.issue} {decision.article}"
    return decision.reason


submissions_commands = app.group(
    "submissions", _("信息报送: the items units sent, and the editors' decisions (adopt, combine, return, keep, undo)."),
    Option("--unit", help=_("only this unit's items")),
    Option("--status", help=_("only items with this status: pending, adopted, combined, returned or kept")),
    Option("--year", type=_integer, help=_("only items sent in this year")),
    alone=_submissions_list)

_REF_HELP = N_("the item: its year and number, e.g. 2026-0003")


def _decided(run, ref: str) -> None:
    from bulletin.commands import submissions as subs

    outcome = _run(run)
    for note in getattr(outcome, "notes", []):
        _err(note.format())
    item = _run(lambda: subs.load(_ws(), ref))
    _out(_("{ref}: {status}").format(ref=item.ref, status=_(subs.STATUS_WORDS[item.status]))
         + (f" ({_item_where(item)})" if _item_where(item) else ""))


def _actor(as_name: Optional[str]):
    from bulletin.commands.review import actor_named

    return actor_named(_ws(), as_name)


@submissions_commands.command("send", _("Send an item for a unit: a Word or text file, or --title and --text."),
                              Argument("file", _("the Word (.docx, .doc, .wps) or text (.txt) file"), required=False,
                                       type=Path),
                              Option("--unit", required=True, help=_("the unit it is sent for")),
                              Option("--title", help=_("its title (default: the file's own)")),
                              Option("--text", help=_("its text, instead of a file")),
                              Option("--as", name="as_name", metavar="NAME", help=_(_AS_HELP)))
def submissions_send(file: Optional[Path], unit: str, title: Optional[str], text: Optional[str],
                     as_name: Optional[str]):
    """Send an item for a unit: a Word or text file, or --title and --text."""
    from bulletin.commands import submissions as subs

    if (file is None) == (text is None):
        raise BadParameter(_("give a file or --text, one of them"))

    def run():
        upload = None
        if file is not None:
            if not file.is_file():
                from bulletin.errors import fail

                raise fail(file, None, _("file not found"), _("check the path of the submission"))
            upload = (file.name, file.read_bytes())
        return subs.send(_ws(), _actor(as_name), unit=unit, title=title or "", text=text or "", upload=upload)
    item = _run(run)
    _out(_("{ref}: sent for {unit}").format(ref=item.ref, unit=item.unit))


@submissions_commands.command("show", _("One item: its record and its decisions."),
                              Argument("ref", _(_REF_HELP)))
def submissions_show(ref: str):
    """One item: its record and its decisions."""
    from bulletin.commands import submissions as subs

    item = _run(lambda: subs.load(_ws(), ref))
    _out(f"{item.ref}\t{item.unit}\t{item.title}")
    _out(_("sent by {name} at {at}; status: {status}").format(name=item.record.sent_by or "—",
                                                            at=item.sent_at.isoformat(sep=" "),
                                                            status=_(subs.STATUS_WORDS[item.status])))
    for d in item.record.decisions:
        where = f" {d.issue} {d.article}" if d.issue else ""
        _out(f"{d.at.isoformat(sep=' ')}\t{_(subs.ACTION_WORDS[d.action])}\t{d.by}{where}"
             + (f"\t{d.reason}" if d.reason else ""))


@submissions_commands.command("adopt", _("全文采用: the item becomes an article of the issue, its unit the source."),
                              Argument("ref", _(_REF_HELP)), Argument("issue", _(_ISSUE_HELP)),
                              Option("--section", help=_("the column (栏目) of the article")),
                              Option("--as", name="as_name", metavar="NAME", help=_(_AS_HELP)))
def submissions_adopt(ref: str, issue: str, section: Optional[str], as_name: Optional[str]):
    """全文采用: the item becomes an article of the issue, its unit the source."""
    from bulletin.commands import submissions as subs

    _decided(lambda: subs.adopt(_ws(), ref, _actor(as_name), issue, section or ""), ref)


@submissions_commands.command("combine", _("综合采用: the item's text is appended to a roundup article of the issue."),
                              Argument("ref", _(_REF_HELP)), Argument("issue", _(_ISSUE_HELP)),
                              Option("--into", metavar="ARTICLE", help=_("the roundup article (default: a new one)")),
                              Option("--as", name="as_name", metavar="NAME", help=_(_AS_HELP)))
def submissions_combine(ref: str, issue: str, into: Optional[str], as_name: Optional[str]):
    """综合采用: the item's text is appended to a roundup article of the issue."""
    from bulletin.commands import submissions as subs

    _decided(lambda: subs.combine(_ws(), ref, _actor(as_name), issue, into), ref)


@submissions_commands.command("return", _("退回: the item goes back to its unit with the reason."),
                              Argument("ref", _(_REF_HELP)),
                              Option("--reason", required=True, help=_("why it goes back (shown to the unit)")),
                              Option("--as", name="as_name", metavar="NAME", help=_(_AS_HELP)))
def submissions_return(ref: str, reason: str, as_name: Optional[str]):
    """退回: the item goes back to its unit with the reason."""
    from bulletin.commands import submissions as subs

    _decided(lambda: subs.return_item(_ws(), ref, _actor(as_name), reason), ref)


@submissions_commands.command("keep", _("留用: the item is kept for a later issue."),
                              Argument("ref", _(_REF_HELP)),
                              Option("--as", name="as_name", metavar="NAME", help=_(_AS_HELP)))
def submissions_keep(ref: str, as_name: Optional[str]):
    """留用: the item is kept for a later issue."""
    from bulletin.commands import submissions as subs

    _decided(lambda: subs.keep(_ws(), ref, _actor(as_name)), ref)


@submissions_commands.command("undo", _("撤销: undo the item's last decision (an adopted article leaves its draft issue)."),
                              Argument("ref", _(_REF_HELP)),
                              Option("--as", name="as_name", metavar="NAME", help=_(_AS_HELP)))
def submissions_undo(ref: str, as_name: Optional[str]):
    """撤销: undo the item's last decision (an adopted article leaves its draft issue)."""
    from bulletin.commands import submissions as subs

    _decided(lambda: subs.undo(_ws(), ref, _actor(as_name)), ref)


@command("mark", _("Record a leader's 批示 or a higher-level bulletin's adoption (上级采用) of an article, for the "
                   "scores; never printed."),
         Argument("issue", _(_ISSUE_HELP)), Argument("article", _("the article's file, e.g. 03-tax.md")),
         Option("--instruction", metavar="LEADER", help=_("the leader who gave the 批示")),
         Option("--higher", metavar="BULLETIN", help=_("the higher-level bulletin (and its issue) that adopted it")),
         Option("--date", type=_date, help=_("when (default: today)")),
         Option("--note", help=_("what the 批示 says, briefly")),
         Option("--as", name="as_name", metavar="NAME", help=_(_AS_HELP)))
def mark(issue: str, article: str, instruction: Optional[str], higher: Optional[str], date: Optional[_dt.date],
         note: Optional[str], as_name: Optional[str]):
    """Record a leader's 批示 or a higher-level bulletin's adoption (上级采用) of an article, for the scores; never printed."""  # noqa: E501
    from bulletin.commands import submissions as subs

    if (instruction is None) == (higher is None):
        raise BadParameter(_("give --instruction LEADER or --higher BULLETIN, one of them"))
    kind, who = ("instruction", instruction) if instruction is not None else ("higher", higher)
    marks = _run(lambda: subs.mark_article(_ws(), issue, article, _actor(as_name), kind, who or "", date, note or ""))
    _out(_("{article}: {instructions} 批示, {higher} 上级采用").format(article=article,
                                                                   instructions=len(marks.instructions),
                                                                   higher=len(marks.adopted_higher)))


@command("lint", _("Proofread articles: path:line:col: rule: message; exit 1 when anything is found (left after --fix)."),
         Argument("targets", _("an issue (10, 2009-10) or article files"), many=True),
         Option("--fix", flag=True, help=_("rewrite what is safe (punctuation width, dates, digits, doubled marks, "
                                           "stray spaces, traditional characters, web-page leftover lines); report "
                                           "the rest")))
def lint(targets: list[str], fix: bool):
    """Proofread articles: path:line:col: rule: message; exit 1 when anything is found (left after --fix)."""
    from bulletin.commands import lint as lint_cmd

    findings, fixed = _run(lambda: lint_cmd.lint(_state["workspace"], targets, fix))
    for path in fixed:
        _err(_("fixed {path}").format(path=path))
    for line in findings:
        _out(line)
    if findings:
        raise SystemExit(1)


def main() -> None:
    """Console entry point."""
    try:
        code = app.run(sys.argv[1:], _program_name(), top=True)
    except _Help as shown:
        text = _help_text(shown.context)
        (sys.stderr if shown.alone else sys.stdout).write(text)
        sys.exit(2 if shown.alone else 0)
    except BulletinError as exc:  # raised outside a command body (workspace discovery)
        _diagnostics(exc.diagnostics)
        sys.exit(1)
    except UsageError as exc:
        _show_usage_error(exc, _program_name())
        sys.exit(2)
    except (EOFError, KeyboardInterrupt):
        _err("")
        _err(_("Aborted!"))
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
