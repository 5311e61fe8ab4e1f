"""Files → plain data plus a map from key paths to source lines, and validation into models.

Every reader returns `Loaded(data, lines)`: `lines[("distribution", "lists", 0)] == 12` says where
a value sits, so a pydantic error on that value is reported as `issue.yaml:12: distribution.lists.0`.
"""
from __future__ import annotations

import datetime as _dt
import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from bulletin.cjk import clean_text, join_broken_line, word_breaks_to_markdown
from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.i18n import N_, _, language

KeyPath = tuple
LineMap = dict  # KeyPath -> 1-based line


@dataclass
class Loaded:
    """Plain data read from a file and where each key sits in it."""

    data: Any
    lines: LineMap = field(default_factory=dict)
    path: Path | None = None

    def line_of(self, loc: KeyPath) -> int | None:
        """The line of the longest prefix of `loc` that the file has; None when the file is empty."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), None)


def read_text(path: Path) -> str:
    """A file's text as UTF-8 (a BOM from Notepad is dropped); a clear error for anything else."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise fail(path, None, _("file not found")) from None
    except OSError as exc:
        raise fail(path, None, _("cannot read the file ({reason})").format(reason=exc.strerror)) from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(path, line, _("the file is not UTF-8 text"),
                   _("save it as UTF-8 (in Notepad: Save as → Encoding UTF-8)")) from None


# --- YAML -----------------------------------------------------------------------------------------

# one round-trip loader per thread (ruamel's loader keeps the state of the document it reads, so the
# workbench's worker threads sharing one mixed their documents up); dropped when a load fails
_LOADER = threading.local()

# YAML's non-printable characters (the complement of c-printable, YAML 1.2 §5.1), spelled as the few
# ranges they are. ruamel spells them as the complement of the printable ranges, and compiling that
# class over all of Unicode takes ~6 ms, paid by every command at its first non-ASCII file.
_NON_PRINTABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"


def _yaml():
    """ruamel's round-trip loader, built once per thread: a new one sets up its resolvers again (~0.4 ms a file)."""
    if getattr(_LOADER, "yaml", None) is None:
        from ruamel.yaml import YAML
        from ruamel.yaml.reader import Reader

        Reader.NON_PRINTABLE = re.compile(_NON_PRINTABLE)  # the same set; see _NON_PRINTABLE
        yaml = YAML(typ="rt", pure=True)
        yaml.allow_duplicate_keys = False
        _LOADER.yaml = yaml
    return _LOADER.yaml


def yaml_writer():
    """ruamel in round-trip mode set up to write a file back as a person wrote it: comments, key
    order and quotes kept ("" stays "", null stays null), nothing folded onto a second line, lists
    indented as in our templates."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt", pure=True)
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # never fold a checksum, a path or a long title onto a second line
    yaml.preserve_quotes = True
    yaml.representer.add_representer(type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def _load(text: str) -> Any:
    """Round-trip nodes of `text`; a failed load may leave the failed document's state behind in the
    loader, so the next file gets a fresh one."""
    import warnings

    try:
        with warnings.catch_warnings():
            # A redefined anchor (&a twice) is legal YAML; ruamel's warning would reach the clerk's
            # terminal as Python noise naming ruamel's own files.
            warnings.simplefilter("ignore")
            return _yaml().load(text)
    except BaseException:
        _LOADER.yaml = None
        raise


# Front matter is nearly always `key: 中文` lines. A value that starts with a non-ASCII character and
# holds no `: `, ` #`, tab or line break can only be a plain string to YAML, so such files are read
# here, ~0.5 ms an article sooner than through ruamel; anything else goes to ruamel.
_SIMPLE_LINE = re.compile(r"([a-z_][a-z0-9_]*): +([^\x00-\x7f].*?) *")
_NOT_SIMPLE = re.compile(": | #|:$|[\t\r\x85\u2028\u2029\ufeff]|" + _NON_PRINTABLE)
_YAML_WORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}  # keys YAML may read as non-strings


def _simple_mapping(text: str, first_line: int) -> tuple[dict, LineMap] | None:
    """The data and line map of `text` when every line is blank or `key: 中文…`; None otherwise."""
    data: dict = {}
    lines: LineMap = {(): first_line}
    for number, line in enumerate(text.split("\n"), start=first_line):
        if not line.strip(" "):
            continue
        m = _SIMPLE_LINE.fullmatch(line)
        if m is None:
            return None
        key, value = m.groups()
        if key in data or key in _YAML_WORDS or _NOT_SIMPLE.search(value):
            return None
        data[key] = value
        lines[(key,)] = number
    return (data, lines) if data else None


# Values one YAML file may expand to: aliases are copied where they are used, so ten nested lists of
# ten aliases each ("billion laughs") would otherwise take minutes and gigabytes.
MAX_YAML_VALUES = 100_000


class _TooLarge(Exception):
    pass


def _plain(node: Any, path: KeyPath, lines: LineMap, budget: list | None = None) -> Any:
    """Round-trip nodes → dict/list/str/int, recording the line of every key and list item."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if budget is None:
        budget = [MAX_YAML_VALUES]
    budget[0] -= 1
    if budget[0] < 0:
        raise _TooLarge
    if isinstance(node, CommentedMap):
        out = {}
        for key, value in node.items():
            k = str(key) if not isinstance(key, (int, bool)) else key
            try:
                lines[path + (k,)] = node.lc.key(key)[0] + 1
            except (KeyError, TypeError, AttributeError):
                pass
            out[k] = _plain(value, path + (k,), lines, budget)
        return out
    if isinstance(node, CommentedSeq):
        out_list = []
        for i, value in enumerate(node):
            try:
                lines[path + (i,)] = node.lc.item(i)[0] + 1
            except (KeyError, TypeError, AttributeError):
                pass
            out_list.append(_plain(value, path + (i,), lines, budget))
        return out_list
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, _dt.datetime):  # its zone kept: a review step's `at` must say which
        return _dt.datetime(*node.timetuple()[:6], tzinfo=node.tzinfo)
    if isinstance(node, _dt.date):
        return _dt.date(node.year, node.month, node.day)
    if isinstance(node, str):
        return str(node)
    return node


def library_reason(text: str) -> str | None:
    """A library's own words (ruamel's "mapping values are not allowed here", datetime's "month must be
    in 1..12") in the language people read: the catalog translates the common ones (library_words.py);
    in Chinese, one it lacks is left out rather than shown in English (the file and line still say where)."""
    translated = _(text)
    if translated == text and language() == "zh" and re.search("[A-Za-z]{3,}", text):
        return None
    return translated


# issue.yaml and recipients.yaml are nearly always block mappings and lists of plain words, numbers,
# dates, "quoted" or 'quoted' text, [a, b] and { key: "value" } on one line, and `|` text: such a file
# is read here, with the lines ruamel would give, without importing ruamel (about 15 ms of a render,
# 2 ms an issue.yaml of a year). Anything else — comments after a value, anchors, tags, escapes,
# folded or multi-line text, numbers YAML reads as floats or octals, a date that is no date, a
# duplicate key — is left to ruamel, which also says what is wrong. tests/unit/test_block_yaml.py
# checks both read every file they both read alike.
_BLOCK_KEY = re.compile(r"([A-Za-z_][A-Za-z0-9_]*):(?: +(.*))?")
_BLOCK_UNSAFE = re.compile("[\t\r\\\\\x85\u2028\u2029\ufeff]|" + _NON_PRINTABLE)
_PLAIN_FIRST_UNSAFE = set("-?:,[]{}#&*!|>'\"%@`")
_NOT_INT_OR_STR = re.compile(  # what YAML may read as a float, an octal, hex or sexagesimal number, a time
    r"[-+]?(?:\.[0-9]+|[0-9][0-9_]*\.[0-9_]*|[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+)|[-+]?\.(?:inf|Inf|INF)"
    r"|\.(?:nan|NaN|NAN)|[-+]?0(?:[0-9_]+|[xX][0-9a-fA-F_]+|[oO][0-7_]+|[bB][01_]+)|[-+]?[0-9][0-9_]*"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt ].*)?")
_BLOCK_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_NULLS = {"", "~", "null", "Null", "NULL"}
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}


class _NotBlock(Exception):
    """The text is not of the simple kinds _block_yaml reads: ruamel reads it."""


def _block_scalar(text: str) -> Any:
    """One value written on its line: plain, "quoted" or 'quoted'."""
    if text[:1] == '"':
        if len(text) < 2 or not text.endswith('"') or '"' in text[1:-1]:
            raise _NotBlock
        return text[1:-1]
    if text[:1] == "'":
        inner = text[1:-1]
        if len(text) < 2 or not text.endswith("'") or "'" in inner.replace("''", ""):
            raise _NotBlock
        return inner.replace("''", "'")
    if (text[:1] in _PLAIN_FIRST_UNSAFE and not (text[:1] == "-" and text[1:2].isdigit())) or ": " in text \
            or " #" in text or text.endswith(":") or text.lower() in _YAML_WORDS - {"true", "false", "null"}:
        raise _NotBlock
    if text in _NULLS:
        return None
    if text in _BOOLS:
        return _BOOLS[text]
    if re.fullmatch(r"[-+]?(?:0|[1-9][0-9]*)", text):
        if len(text) > _MAX_DIGITS:
            raise _NotBlock   # Python refuses to read it; parse_yaml says so with its line
        return int(text)
    date = _BLOCK_DATE.fullmatch(text)
    if date:
        try:
            return _dt.date(*(int(g) for g in date.groups()))
        except ValueError:
            raise _NotBlock from None
    if _NOT_INT_OR_STR.fullmatch(text):
        raise _NotBlock
    return text


def _block_flow(text: str, line: int, path: KeyPath, lines: LineMap) -> Any:
    """[a, b] or { key: value, … } on one line, of single values."""
    inner = text[1:-1].strip(" ")
    items, start, quote = [], 0, ""
    for i, ch in enumerate(inner):  # split at the commas outside quotes
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == ",":
            items.append(inner[start:i].strip(" "))
            start = i + 1
    if inner:
        items.append(inner[start:].strip(" "))
    if quote or any(not item or (item[-1:] not in "\"'" and any(c in item for c in "[]{}")) for item in items):
        raise _NotBlock
    if text[0] == "[":
        out_list = []
        for i, item in enumerate(items):
            lines[path + (i,)] = line
            out_list.append(_block_scalar(item))
        return out_list
    out: dict = {}
    for item in items:
        m = _BLOCK_KEY.fullmatch(item)
        if m is None or m[2] is None or m[1] in out or m[1] in _YAML_WORDS:
            raise _NotBlock
        lines[path + (m[1],)] = line
        out[m[1]] = _block_scalar(m[2].strip(" "))
    return out


class _BlockReader:
    def __init__(self, text: str, first_line: int):
        self.raw = text.split("\n")
        self.first = first_line
        self.lines: LineMap = {(): first_line}
        self.values = 0

    def next_content(self, at: int) -> int | None:
        """The index of the first line from `at` that is neither blank nor a comment."""
        while at < len(self.raw):
            stripped = self.raw[at].lstrip(" ")
            if stripped and not stripped.startswith("#"):
                return at
            at += 1
        return None

    def indent(self, at: int) -> int:
        return len(self.raw[at]) - len(self.raw[at].lstrip(" "))

    def count(self) -> None:
        self.values += 1
        if self.values > MAX_YAML_VALUES:
            raise _NotBlock

    def node(self, at: int, indent: int, path: KeyPath) -> tuple[Any, int]:
        """The mapping or list whose first line is `at`, indented `indent`; and the line after it."""
        if self.raw[at][indent:].startswith("-"):
            return self.sequence(at, indent, path)
        return self.mapping(at, indent, path)

    def value(self, at: int, indent: int, rest: str, path: KeyPath) -> tuple[Any, int]:
        """The value after `key:` on line `at` (the key indented `indent`); and the line after it."""
        self.count()
        line = at + self.first
        if rest == "|":
            return self.literal(at, indent)
        if rest and rest[0] in "[{":
            if rest[-1:] != ("]" if rest[0] == "[" else "}"):
                raise _NotBlock
            found = _block_flow(rest, line, path, self.lines)
        elif rest:
            found = _block_scalar(rest)
        else:
            after = self.next_content(at + 1)
            if after is not None and self.indent(after) > indent:
                return self.node(after, self.indent(after), path)
            if after is not None and self.indent(after) == indent and self.raw[after][indent:].startswith("-"):
                return self.sequence(after, indent, path)
            return None, at + 1
        after = self.next_content(at + 1)
        if after is not None and self.indent(after) > indent:
            raise _NotBlock  # text going on on the next lines
        return found, at + 1

    def literal(self, at: int, indent: int) -> tuple[str, int]:
        """`|` text: its lines, less their common indent, with one line end at the end."""
        end, block_indent = at + 1, None
        while end < len(self.raw):
            line = self.raw[end]
            if line.strip(" "):
                own = len(line) - len(line.lstrip(" "))
                if own <= indent:
                    break
                if block_indent is None:
                    block_indent = own
                elif own < block_indent:
                    raise _NotBlock
            end += 1
        if block_indent is None:
            raise _NotBlock
        body = self.raw[at + 1:end]
        if any(not line.strip(" ") and len(line) > block_indent for line in body):
            raise _NotBlock
        text = "\n".join(line[block_indent:] for line in body).rstrip("\n")
        return text + "\n", end

    def mapping(self, at: int, indent: int, path: KeyPath) -> tuple[dict, int]:
        out: dict = {}
        while True:
            at = self.next_content(at)
            if at is None or self.indent(at) < indent:
                return out, len(self.raw) if at is None else at
            if self.indent(at) > indent:
                raise _NotBlock
            m = _BLOCK_KEY.fullmatch(self.raw[at][indent:].rstrip(" "))
            if m is None:
                if self.raw[at][indent:].startswith("- ") and path:
                    return out, at  # the list after a mapping inside a list item ends it
                raise _NotBlock
            key = m[1]
            if key in out or key in _YAML_WORDS:
                raise _NotBlock
            self.lines[path + (key,)] = at + self.first
            out[key], at = self.value(at, indent, (m[2] or "").strip(" "), path + (key,))

    def sequence(self, at: int, indent: int, path: KeyPath) -> tuple[list, int]:
        out: list = []
        while True:
            at = self.next_content(at)
            if at is None or self.indent(at) < indent:
                return out, len(self.raw) if at is None else at
            if self.indent(at) > indent:
                raise _NotBlock
            content = self.raw[at][indent:]
            if not content.startswith("- "):
                if content.startswith("-"):
                    raise _NotBlock
                return out, at  # a key after a list written at its key's indent
            item = content[2:].lstrip(" ")
            if not item.strip(" ") or item.startswith(("- ", "|", "#")) or item == "-":
                raise _NotBlock
            i = len(out)
            self.lines[path + (i,)] = at + self.first
            if _BLOCK_KEY.fullmatch(item.rstrip(" ")):  # - key: value, its other keys below
                item_indent = len(self.raw[at]) - len(item)
                self.raw[at] = " " * item_indent + item
                value, at = self.mapping(at, item_indent, path + (i,))
                self.count()
            else:
                value, at = self.value(at, indent, item.rstrip(" "), path + (i,))
                if isinstance(value, dict) and not item.startswith("{"):
                    raise _NotBlock
            out.append(value)


def _block_yaml(text: str, first_line: int) -> tuple[Any, LineMap] | None:
    """The data and line map of `text` when it is of the simple kinds above; None otherwise."""
    if _BLOCK_UNSAFE.search(text):
        return None
    reader = _BlockReader(text, first_line)
    try:
        start = reader.next_content(0)
        if start is None:
            return None, reader.lines
        if reader.indent(start) != 0 or reader.raw[start].startswith(("-", "---", "...", "%")):
            return None
        data, end = reader.mapping(start, 0, ())
        if reader.next_content(end) is not None:
            return None
    except (_NotBlock, RecursionError):
        return None
    return data, reader.lines


def _yaml_syntax(reason: str | None) -> str:
    """"YAML syntax error: reason", or the bare words when there is no reason to give."""
    return _("YAML syntax error: {problem}").format(problem=reason) if reason else _("YAML syntax error")


# Python reads an integer of at most 4,300 digits (sys.get_int_max_str_digits); ruamel then raises
_MAX_DIGITS = 4000


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Loaded:
    """YAML text → Loaded; `first_line` shifts line numbers (front matter starts on line 2)."""
    simple = _simple_mapping(text, first_line) or _block_yaml(text, first_line)
    if simple is not None:
        if simple[0] is not None:
            mistakes = yaml_mistakes(text, first_line)
            if mistakes:  # as below: YAML read them as text, they are still mistakes
                raise BulletinError([Diagnostic(str(path), d.line, d.message) for d in mistakes])
        return Loaded(simple[0], simple[1], path)
    known = _parsed(("yaml", text, first_line))
    if known is not None:
        return Loaded(*known, path)
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        node = _load(text)
    except ValueError as exc:  # ruamel builds dates eagerly: 2009-13-01 raises a bare ValueError
        long_number = re.search(rf"^.*?[0-9]{{{_MAX_DIGITS + 1},}}", text, re.M)
        if "digits" in str(exc) and long_number:  # and numbers too: Python reads at most 4,300 digits
            raise fail(path, text.count("\n", 0, long_number.start()) + first_line,
                       _("a number this long cannot be read"),
                       _("put the text in quotes, or shorten the number")) from None
        line = _impossible_date_line(text)
        reason = library_reason(str(exc))
        raise fail(path, line + first_line - 1 if line else None,
                   _("not a date: {reason}").format(reason=reason) if reason else _("not a date"),
                   _("write a real date as YYYY-MM-DD, for example 2009-12-01")) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        problem = library_reason((exc.problem or exc.context or "invalid YAML").strip())
        hint = _("check the indentation and that text containing ': ' or '#' is in quotes")
        if "duplicate key" in str(exc):
            key = re.search(r'found duplicate key "([^"]*)"', str(exc))
            problem = (_("key {key!r} appears twice").format(key=key.group(1)) if key
                       else _("a key appears twice"))
            hint = _("keep one of them")
        elif exc.context == "while scanning a quoted scalar" and exc.context_mark is not None:
            # an unclosed quote: ruamel points at the end of the file; the clerk needs its start
            start = exc.context_mark
            opened = text.split("\n")[start.line][start.column:start.column + 1] or '"'
            raise fail(path, start.line + first_line, _(UNCLOSED_QUOTE).format(quote=opened)) from None
        mistakes = yaml_mistakes(text, first_line)
        if mistakes:  # the clerk's mistake, on its own line, rather than where the parser gave up
            if line is not None and all(d.line > line for d in mistakes):
                mistakes.insert(0, Diagnostic("", line, _yaml_syntax(problem), "error", hint))
            raise BulletinError([Diagnostic(str(path), d.line, d.message, "error", d.hint)
                                 for d in mistakes]) from None
        raise fail(path, line, _yaml_syntax(problem), hint) from None
    except YAMLError as exc:
        raise fail(path, None, _yaml_syntax(library_reason(str(exc)))) from None
    except RecursionError:  # [[[[… hundreds deep: ruamel's parser recurses per level
        raise fail(path, None, _("YAML syntax error: the values are nested too deeply"),
                   _("write plain 'key: value' lines")) from None
    except Exception as exc:  # a tag ruamel cannot build: `!!bool maybe` raises a bare KeyError
        raise fail(path, None, _("YAML value cannot be read ({kind}: {reason})").format(
                       kind=type(exc).__name__, reason=exc),
                   _("remove tags such as !!bool or !!float, or quote the value")) from None
    lines: LineMap = {(): first_line}
    try:
        data = _plain(node, (), lines)
    except (RecursionError, _TooLarge):  # `&a [*a]` contains itself; aliases expanding without end
        raise fail(path, None, _("the YAML aliases (&name / *name) expand to too much data"),
                   _("write the values out instead of repeating them with aliases")) from None
    mistakes = yaml_mistakes(text, first_line)
    if mistakes:  # YAML read them as text (`number：10`, `　　add: []`); they are still mistakes
        raise BulletinError([Diagnostic(str(path), d.line, d.message) for d in mistakes])
    if first_line != 1:
        lines = {k: (v + first_line - 1 if k else v) for k, v in lines.items()}
    _remember_parsed(("yaml", text, first_line), data, lines)
    return Loaded(data, lines, path)


# What ruamel and tomllib read, and each article as split and cleaned, by the text read: the workbench
# reads issue.yaml several times for every page (each request its own Workspace, then the render, the
# permission check, the versions) and every article of the issue for the issue page and for the
# render; ruamel takes milliseconds for an issue.yaml with a long article list, holding the
# interpreter while other pages wait. Keyed by the text itself, never by a file's name or time, so a
# file changed by anyone (another process too) is read anew; each caller gets data of its own to
# change. Only what was read without a problem is kept (a problem's words are in the asker's language).
_PARSED: dict[tuple[str, str, int], Any] = {}   # ("yaml"/"toml"/"article", text, first line) → what was read
_PARSED_LOCK = threading.Lock()
_PARSED_MAX = 1024              # texts kept: the files of the issues a busy office works on
_PARSED_MAX_CHARS = 256 * 1024  # a longer text is read each time (an article rarely is)
_PARSED_MAX_TOTAL = 16 * 1024 * 1024   # characters of all the texts kept, at the most
_parsed_total = [0]


def _plain_copy(value: Any) -> Any:
    """`value` (dicts, lists and immutable scalars, as _plain makes them) with dicts and lists new."""
    if isinstance(value, dict):
        return {k: _plain_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_copy(v) for v in value]
    return value


def _parsed(key: tuple[str, str, int]) -> tuple[Any, LineMap] | None:
    known = _recall(key)
    return None if known is None else (_plain_copy(known[0]), dict(known[1]))


def _remember_parsed(key: tuple[str, str, int], data: Any, lines: LineMap) -> None:
    _keep(key, (_plain_copy(data), dict(lines)))


def _recall(key: tuple[str, str, int]) -> Any:
    """What was kept for `key`, or None; the caller copies what it hands on."""
    with _PARSED_LOCK:
        known = _PARSED.pop(key, None)
        if known is not None:
            _PARSED[key] = known   # now the most recently used
    return known


def _keep(key: tuple[str, str, int], kept: Any) -> None:
    if len(key[1]) > _PARSED_MAX_CHARS:
        return
    with _PARSED_LOCK:
        if _PARSED.pop(key, None) is None:
            _parsed_total[0] += len(key[1])
        _PARSED[key] = kept
        while len(_PARSED) > _PARSED_MAX or _parsed_total[0] > _PARSED_MAX_TOTAL:
            oldest = next(iter(_PARSED))       # the least recently used
            del _PARSED[oldest]
            _parsed_total[0] -= len(oldest[1])


# --- the mistakes a clerk makes --------------------------------------------------------------------
# A Chinese input method types full-width marks where YAML and TOML want ASCII ones, and an editor may
# indent with a Tab. The parser's words for them ("mapping values are not allowed here") name a later
# line and not the mistake, so each is looked for on its own line and named with its fix. Each message
# is one format string, translated whole when it is used (the line stays in front: `path:1: 用了全角冒号…`).

FULLWIDTH_COLON = N_("full-width colon “：”; use a half-width “:”")
TAB_INDENT = N_("indented with a Tab; indent with spaces")
FULLWIDTH_SPACE_INDENT = N_("indented with full-width spaces “　”; indent with half-width spaces")
FULLWIDTH_DASH = N_("list item marked with “{dash}”; use a half-width “-” and a space")
FULLWIDTH_COMMA = N_("full-width comma “，” between list items; use a half-width “,”")
NO_SPACE_AFTER_COLON = N_("no space after the colon; write “{key}: {value}”")
UNCLOSED_QUOTE = N_("the quote {quote} opened here is never closed; end the text with {quote}")
TOML_FULLWIDTH_EQUALS = N_("full-width “＝”; use a half-width “=”")
TOML_COLON = N_("write “=” between a key and its value, not “{sep}”: {key} = …")
TOML_FULLWIDTH_QUOTES = N_('full-width quotes around text; use half-width "…": {key} = "{value}"')
TOML_UNQUOTED = N_('text must be in double quotes: {key} = "{value}"')
TOML_FULLWIDTH_DIGITS = N_("full-width digits “{digits}”; write {ascii}")
TOML_FULLWIDTH_BRACKETS = N_("table name in full-width brackets “{text}”; write [{name}]")
TOML_KEY_TWICE = N_("key {key!r} appears twice; keep one of them")
TOML_TABLE_TWICE = N_("table [{name}] appears twice; keep one of them")

_DASH_MARKS = "－﹣—–―‐‑−"  # what an input method or Word's autocorrect types for "-"
_KEY = r"[A-Za-z_][A-Za-z0-9_]*"
_INDENT = re.compile("[ \t\u3000]*")
_LIST_DASHES = re.compile(r"(?:-[ ]+)*")
_STRUCTURE = re.compile(rf"-(?:\s|$)|[{_DASH_MARKS}][ \u3000]|{_KEY}[ ]*[:：]")
_BLOCK_START = re.compile(r"(?:^|:|-)[ ]+[|>][-+0-9]*[ ]*(?:#.*)?$")
_ID_LIST = re.compile(r"\[[ ]*[A-Za-z0-9_-]+(?:[ ]*[,，][ ]*[A-Za-z0-9_-]+)*[ ]*\]")
_WORTH_A_LOOK = re.compile("[\t\u3000：，" + _DASH_MARKS + r"]|^[ -]*[A-Za-z_]\w*:[^\s:/]", re.M)


def yaml_mistakes(text: str, first_line: int = 1) -> list[Diagnostic]:
    """The clerk's mistakes in YAML `text` (path left empty), one per line, in line order; lines of
    block text (`editor_note: |`) are text and keep their own indents and dashes."""
    if not _WORTH_A_LOOK.search(text):
        return []  # the common case: one search
    out: list[Diagnostic] = []
    block_indent: int | None = None
    for number, line in enumerate(text.split("\n"), start=first_line):
        spaces = len(line) - len(line.lstrip(" "))
        if block_indent is not None:
            if not line.strip() or spaces > block_indent:
                continue
            block_indent = None
        indent = _INDENT.match(line).group()
        rest = line[len(indent):]
        if not rest or rest.startswith("#"):
            continue
        message = _line_mistake(indent, rest)
        if message:
            out.append(Diagnostic("", number, message))
        if _BLOCK_START.search(line):
            block_indent = spaces
    return out


def _line_mistake(indent: str, rest: str) -> str | None:
    structural = _STRUCTURE.match(rest) is not None
    if "\t" in indent and structural:
        return _(TAB_INDENT)
    if "\u3000" in indent and structural:
        return _(FULLWIDTH_SPACE_INDENT)
    rest = rest[_LIST_DASHES.match(rest).end():]
    if rest[:1] and rest[0] in _DASH_MARKS and rest[1:2] in (" ", "\u3000"):
        return _(FULLWIDTH_DASH).format(dash=rest[0])
    m = re.match(rf"({_KEY})[ ]*(：|:)", rest)
    if not m:
        return None
    if m.group(2) == "：":
        return _(FULLWIDTH_COLON)
    value = rest[m.end():]
    if value[:1] not in ("", " ", "\t") and not value.startswith(("//", ":")):
        return _(NO_SPACE_AFTER_COLON).format(key=m.group(1), value=value.strip())
    ids = _ID_LIST.search(value)
    if ids and "，" in ids.group():
        return _(FULLWIDTH_COMMA)
    return None


_TOML_LINE = re.compile(rf"^[ \t]*(?P<key>{_KEY})[ \t]*(?P<sep>[=＝:：])[ \t]*(?P<value>.*)$")
_TOML_VALUE_START = re.compile(r"""["'\[{0-9+\-]|true\b|false\b|inf\b|nan\b""")
_FULLWIDTH_DIGITS = re.compile("[０-９]+(?:[．.][０-９]+)?")
_TRIPLE_QUOTES = ('"' * 3, "'" * 3)


def toml_mistakes(text: str) -> list[Diagnostic]:
    """The clerk's mistakes in TOML `text` (path left empty); looked for only when tomllib refused it."""
    out: list[Diagnostic] = []
    in_multiline = False
    for number, line in enumerate(text.split("\n"), start=1):
        if any(line.count(q) % 2 for q in _TRIPLE_QUOTES):
            in_multiline = not in_multiline
            continue
        if in_multiline:
            continue
        message = _toml_line_mistake(line)
        if message:
            out.append(Diagnostic("", number, message))
    return out


def _toml_line_mistake(line: str) -> str | None:
    stripped = line.strip(" \t")
    if not stripped or stripped.startswith("#"):
        return None
    if stripped.startswith("\u3000"):
        return _(FULLWIDTH_SPACE_INDENT)
    heading = re.fullmatch(r"[\[【［]{1,2}\s*([A-Za-z0-9_.\- ]+?)\s*[\]】］]{1,2}\s*(#.*)?", stripped)
    if heading:
        if re.search("[【】［］]", stripped):
            return _(TOML_FULLWIDTH_BRACKETS).format(text=stripped.split("#")[0].strip(), name=heading.group(1))
        return None
    m = _TOML_LINE.match(line)
    if not m:
        return None
    key, sep, value = m.group("key"), m.group("sep"), m.group("value").rstrip()
    if sep == "＝":
        return _(TOML_FULLWIDTH_EQUALS)
    if sep in ":：":
        return _(TOML_COLON).format(sep=sep, key=key)
    if value[:1] in "“”‘’「『":
        return _(TOML_FULLWIDTH_QUOTES).format(key=key, value=value.strip("“”‘’「」『』 "))
    if value[:1] in "\"'" and not value.startswith(_TRIPLE_QUOTES):
        if re.match(r"""("(?:[^"\\]|\\.)*"|'[^']*')""", value) is None:
            return _(UNCLOSED_QUOTE).format(quote=value[0])
    digits = _FULLWIDTH_DIGITS.match(value)
    if digits:
        ascii_digits = digits.group().translate({c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)})
        return _(TOML_FULLWIDTH_DIGITS).format(digits=digits.group(), ascii=ascii_digits.replace("．", "."))
    if value.startswith("[") and "，" in value:
        return _(FULLWIDTH_COMMA)
    if value and not _TOML_VALUE_START.match(value):
        return _(TOML_UNQUOTED).format(key=key, value=value.split(" #")[0].strip())
    return None


_DATE_LIKE = re.compile(r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b")


def _impossible_date_line(text: str) -> int | None:
    """The 1-based line of the first YYYY-MM-DD that is not a calendar date."""
    for number, line in enumerate(text.split("\n"), start=1):
        for m in _DATE_LIKE.finditer(line):
            try:
                _dt.date(*(int(g) for g in m.groups()))
            except ValueError:
                return number
    return None


def load_yaml(path: Path) -> Loaded:
    return parse_yaml(read_text(path), path)


# --- TOML -----------------------------------------------------------------------------------------

_TOML_TABLE = re.compile(r"^\s*\[\s*([A-Za-z0-9_.\-\"' ]+?)\s*\]\s*(#.*)?$")
_TOML_KEY = re.compile(r"^\s*([A-Za-z0-9_\-]+)\s*=\s*(.*)$")
_TOML_INLINE_KEY = re.compile(r"([A-Za-z0-9_\-]+)\s*=")


def _toml_lines(text: str) -> LineMap:
    """Key path → line for the TOML we write: tables, `key = value`, one-line inline tables."""
    lines: LineMap = {(): 1}
    table: KeyPath = ()
    for number, line in enumerate(text.splitlines(), start=1):
        m = _TOML_TABLE.match(line)
        if m:
            table = tuple(p.strip().strip("\"'") for p in m.group(1).split("."))
            lines.setdefault(table, number)
            continue
        m = _TOML_KEY.match(line)
        if m:
            lines.setdefault(table + (m.group(1),), number)
            rest = m.group(2)
            if rest.lstrip().startswith("{"):
                for inner in _TOML_INLINE_KEY.findall(rest):
                    lines.setdefault(table + (m.group(1), inner), number)
    return lines


# The TOML of bulletin.toml and the presets as written, read without tomllib (whose import is ~3 ms of
# every command): `[table]` and `[table.sub]` lines, `key = value` with a bare or a double-quoted key,
# values that are strings without escapes, integers, decimals, true/false, one-line arrays of those and
# one-line inline tables of those, comments. Anything else (and any key or table given twice, any
# table that names a value) goes to tomllib, which also says what is wrong.
# tests/unit/test_plain_toml.py checks the two read alike.
_PLAIN_TOML_KEY = r'(?:[A-Za-z0-9_-]+|"[^"\\\x00-\x1f\x7f]*")'
_PLAIN_TOML_SCALAR = r'(?:"[^"\\\x00-\x1f\x7f]*"|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?|true|false)'
_PLAIN_TOML_ITEM = re.compile(rf"[ ]*({_PLAIN_TOML_KEY})[ ]*=[ ]*({_PLAIN_TOML_SCALAR})[ ]*")
_PLAIN_TOML_LINE = re.compile(
    rf"(?:\[[ ]*([A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)[ ]*\]"
    rf"|({_PLAIN_TOML_KEY})[ ]*=[ ]*({_PLAIN_TOML_SCALAR}|\[[^\]\[#]*\]|\{{[^{{}}#]*\}}))?[ ]*(?:#[^\x00-\x08\x0a-\x1f\x7f]*)?")
_PLAIN_TOML_ARRAY_ITEM = re.compile(rf"[ ]*({_PLAIN_TOML_SCALAR})[ ]*")


def _plain_toml_scalar(text: str):
    if text[0] == '"':
        return text[1:-1]
    if text in ("true", "false"):
        return text == "true"
    return float(text) if "." in text else int(text)


def _plain_toml(text: str) -> dict | None:
    """What tomllib.loads(text) gives, for TOML of the plain kinds above; None for any other."""
    if "\r" in text:
        return None
    data: dict = {}
    table = data
    tables: set[tuple] = set()  # the tables declared by a [header] (declaring one twice is an error)
    inline_tables: set[int] = set()  # ids of `key = { … }` tables, which no [header] may open again
    for line in text.split("\n"):
        m = _PLAIN_TOML_LINE.fullmatch(line)
        if m is None:
            return None
        header, key, value = m.groups()
        if header is not None:
            names = tuple(header.split("."))
            if names in tables:
                return None
            tables.add(names)
            table = data
            for name in names:
                table = table.setdefault(name, {})
                if not isinstance(table, dict) or id(table) in inline_tables:
                    return None
            continue
        if key is None:
            continue
        key = key.strip('"') if key[0] == '"' else key
        if key in table:
            return None
        if value[0] == "[":
            inner, at, items = value[1:-1], 0, []
            while item := _PLAIN_TOML_ARRAY_ITEM.match(inner, at):  # items, each but the last with its comma
                items.append(_plain_toml_scalar(item.group(1)))
                at = item.end()
                if inner[at:at + 1] != ",":
                    break
                at += 1
            if inner[at:].strip(" "):  # what is left may be spaces only (after a last comma too)
                return None
            table[key] = items
        elif value[0] == "{":
            inner = value[1:-1]
            inline: dict = {}
            if inner.strip():
                for piece in inner.split(","):  # no trailing comma in an inline table
                    item = _PLAIN_TOML_ITEM.fullmatch(piece)
                    if item is None:
                        return None
                    name = item.group(1).strip('"') if item.group(1)[0] == '"' else item.group(1)
                    if name in inline:
                        return None
                    inline[name] = _plain_toml_scalar(item.group(2))
            table[key] = inline
            inline_tables.add(id(inline))
        else:
            table[key] = _plain_toml_scalar(value)
    return data


def parse_toml(text: str, path: Path) -> Loaded:
    data = _plain_toml(text)
    if data is not None:
        return Loaded(data, _toml_lines(text), path)
    import tomllib

    known = _parsed(("toml", text, 1))
    if known is not None:
        return Loaded(*known, path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        message = re.sub(r"\s*\((?:at line \d+, column \d+|at end of document)\)", "", str(exc))
        mistakes = toml_mistakes(text)
        if mistakes and (line is None or any(d.line <= line for d in mistakes)):
            raise BulletinError([Diagnostic(str(path), d.line, d.message) for d in mistakes]) from None
        if message == "Cannot overwrite a value" and line:
            key = _TOML_LINE.match(text.split("\n")[line - 1])
            if key:
                raise fail(path, line, _(TOML_KEY_TWICE).format(key=key.group("key"))) from None
        twice = re.fullmatch(r"Cannot declare \((.*)\) twice", message)
        if twice:
            name = ".".join(re.findall(r"'([^']*)'", twice.group(1)))
            raise fail(path, line, _(TOML_TABLE_TWICE).format(name=name)) from None
        raise fail(path, line, _("TOML syntax error: {problem}").format(problem=message),
                   _('text values need double quotes: name = "政务公开工作简报"')) from None
    lines = _toml_lines(text)
    _remember_parsed(("toml", text, 1), data, lines)
    return Loaded(data, lines, path)


def load_toml(path: Path) -> Loaded:
    return parse_toml(read_text(path), path)


# --- Markdown with front matter ----------------------------------------------------------------------

@dataclass
class FrontMatterFile:
    """An article file split into its front matter and its Markdown body."""

    meta: Loaded
    body: str
    body_first_line: int  # 1-based line of the body's first line in the file
    body_lines: list[int] = field(default_factory=list)  # the file line of each line of `body`


def split_front_matter(text: str, path: Path) -> tuple[list[str], int]:
    """An article's lines (any line ends) and the index of the `---` line closing its front matter;
    BulletinError when it has none or it is not closed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if not lines or lines[0].strip() != "---":
        raise fail(path, 1, _("the article has no front matter"),
                   _("start the file with a line '---', then 'title: …', then a line '---'"))
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            return lines, end
    raise fail(path, 1, _("the front matter is not closed"), _("add a line '---' after the last key"))


def front_matter_yaml(lines: list[str], end: int) -> str:
    """The YAML between the `---` lines, a break pasted from Word joining its line."""
    return "\n".join(join_broken_line(line) for line in lines[1:end])


def parse_front_matter(text: str, path: Path) -> FrontMatterFile:
    """Split `---` YAML `---` from the body, both cleaned of Word's control characters: in the front
    matter a pasted break joins the line, in the body it becomes the paragraph or line break it meant."""
    known = _recall(("article", text, 1))
    if known is not None:   # the article read before (the workbench reads each one for every page)
        data, meta_lines, body, body_first_line, body_lines = known
        return FrontMatterFile(Loaded(_plain_copy(data), dict(meta_lines), path), body, body_first_line,
                               list(body_lines))
    lines, end = split_front_matter(text, path)
    meta = parse_yaml(front_matter_yaml(lines, end), path, first_line=2)
    if meta.data is None:
        meta.data = {}
    if not isinstance(meta.data, dict):
        raise fail(path, 2, _("the front matter must be 'key: value' lines"), _("for example 'title: 我市…'"))
    # Cleaning may split a line (a page break pasted from Word becomes a paragraph break); remember
    # the file line of every body line so diagnostics point where the clerk looks.
    body: list[str] = []
    body_lines: list[int] = []
    for number, line in enumerate(lines[end + 1:], start=end + 2):
        pieces = clean_text(word_breaks_to_markdown(line)).split("\n")
        body += pieces
        body_lines += [number] * len(pieces)
    read = FrontMatterFile(meta, "\n".join(body), end + 2, body_lines)
    _keep(("article", text, 1), (_plain_copy(meta.data), dict(meta.lines), read.body, read.body_first_line,
                                 list(body_lines)))
    return read


ARTICLE_MAX_BYTES = 2 * 1024 * 1024  # no article is this long; a larger file is a mistake, refused unread


def load_front_matter(path: Path) -> FrontMatterFile:
    size = path.stat().st_size if path.is_file() else 0
    if size > ARTICLE_MAX_BYTES:
        raise fail(path, None, _("the file is {size:.1f} MB, more than the {limit} MB an article may have").format(
                       size=size / 1e6, limit=ARTICLE_MAX_BYTES >> 20),
                   _("split it into several articles, or take out what was pasted into it by mistake"))
    return parse_front_matter(read_text(path), path)


# --- validation ------------------------------------------------------------------------------------

M = TypeVar("M")


# How a place in a file is named: "copies of recipient 2 (districts)", never "recipients.1.copies";
# in Chinese 第2位接收者（districts）的份数（copies）. One format string each, translated whole.
KEY_IN = N_("{key} in {parent}")
ITEM_OF = N_("item {n} of {parent}")
NAMED_ITEM = {"recipients": N_("recipient {n}"), "articles": N_("article {n} in articles")}
NAMED_ITEM_ID = N_("{item} ({id})")
NAMED_LIST = N_("list {name}")
TOML_TABLE = N_("[{name}]")
OF_RECIPIENT = N_("{key} of {parent}")
# A key as messages name it: as written in the file; in Chinese in quotes (“email”), or, for the keys
# below, the word a clerk knows with the key beside it (份数（copies）). Each msgid is the key as a
# placeholder of its own name, so the entry cannot meet another message's translation.
KEY = N_("{key}")
KEY_WORDS = {
    "copies": N_("{copies}"), "role": N_("{role}"), "name": N_("{name}"), "id": N_("{id}"),
    "email": N_("{email}"), "title": N_("{title}"), "source": N_("{source}"), "author": N_("{author}"),
    "section": N_("{section}"), "number": N_("{number}"), "total": N_("{total}"), "date": N_("{date}"),
    "kind": N_("{kind}"), "theme": N_("{theme}"), "status": N_("{status}"), "articles": N_("{articles}"),
    "distribution": N_("{distribution}"), "lists": N_("{lists}"), "recipients": N_("{recipients}"),
    "people": N_("{people}"), "reviewer": N_("{reviewer}"), "signer": N_("{signer}"),
    "editor_note": N_("{editor_note}"), "masthead": N_("{masthead}"), "year": N_("{year}"),
    "archive_copies": N_("{archive_copies}"), "preset": N_("{preset}"), "extra": N_("{extra}"),
}
# `where` and what is wrong with it: a predicate joins the place directly in Chinese (份数（copies）应为1或以上),
# a sentence of its own after a colon (日期（date）：“20091301”不是日期). Both read "where: …" in English.
WHERE_PREDICATE = N_("{where}: {problem}")
WHERE_MESSAGE = N_("{where}: {message}")


def _key(key: str) -> str:
    """A key as messages name it (see KEY_WORDS)."""
    template = KEY_WORDS.get(key)
    if template is None:
        return _(KEY).format(key=key)
    return _(template).format(**{key: key})


def key_words(loc: KeyPath, data: Any, toml: bool = False) -> str:
    """A key path as a clerk reads it: ("recipients", 1, "copies") → "copies of recipient 2
    (districts)", ("distribution", "lists", 0) → "item 1 of lists in distribution",
    ("series", "editor") in TOML → "editor in [series]"."""
    words = ""
    node = data
    parent_key = None
    for depth, part in enumerate(loc):
        if isinstance(part, int):
            item = node[part] if isinstance(node, list) and 0 <= part < len(node) else None
            named = NAMED_ITEM.get(parent_key) if depth == 1 else None
            if named:
                words = _(named).format(n=part + 1)
                ident = item.get("id") if isinstance(item, dict) else None
                if isinstance(ident, str) and ident:
                    words = _(NAMED_ITEM_ID).format(item=words, id=ident)
            else:
                words = _(ITEM_OF).format(n=part + 1, parent=words)
        else:
            key = str(part)
            if depth == 0:
                words = _(TOML_TABLE).format(name=key) if toml and isinstance(node, dict) and isinstance(
                    node.get(key), dict) else _key(key)
            elif depth == 1 and parent_key == "lists" and not toml:
                words = _(NAMED_LIST).format(name=key)
            elif isinstance(loc[depth - 1], int) and depth == 2 and NAMED_ITEM.get(loc[0]):
                words = _(OF_RECIPIENT).format(key=_key(key), parent=words)
            else:
                words = _(KEY_IN).format(key=_key(key), parent=words)
        parent_key = part
        if isinstance(node, dict):
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            node = node[part]
        else:
            node = None
    return words


_PATTERN_WORDS = {
    r"^[a-z0-9_-]+$": N_("may hold only lower-case letters a-z, digits, '-' and '_', not {input!r}"),
    r"^[A-Za-z0-9_-]+$": N_("may hold only letters a-z, digits, '-' and '_', not {input!r}"),
    r"^[A-Za-z0-9_.-]+$": N_("may hold only letters a-z, digits, '.', '-' and '_', not {input!r}"),
}

# pydantic's own words for the errors _problem does not rewrite, so the catalog can translate them.
_PYDANTIC_WORDS = (
    N_("Input should be a valid number, unable to parse string as a number"),
    N_("Input should be a valid number"),
    N_("Input should be a finite number"),
    N_("Input should be a valid string"),
    N_("Input should be a valid dictionary"),
    N_("Input should be a valid list"),
)
# Messages of our validators and of pydantic that read as predicates (不能为空, 应为数字): in Chinese
# they follow the key's words without a colon, like the messages _problem writes.
_PREDICATES = _PYDANTIC_WORDS + ("must not be empty", "must be a colour like FF0000")


def _choices(expected: str) -> str:
    """pydantic's "'报', '送' or '发'" as the clerk reads it: 报, 送 or 发 (in Chinese 报、送或发)."""
    items = re.findall(r"'((?:[^'\\]|\\.)*)'", expected)
    if len(items) < 2:
        return expected.replace("'", "")
    head = items[0]
    for item in items[1:-1]:
        head = _("{a}, {b}").format(a=head, b=item)
    return _("{items} or {last}").format(items=head, last=items[-1])


def _problem(err: dict) -> tuple[str, bool]:
    """pydantic's message for one error, in a clerk's words, and whether it is a predicate (joined to
    the key's words without a colon in Chinese)."""
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "greater_than" and isinstance(ctx.get("gt"), int):  # PositiveInt: "1 or more"
        return _("must be {n} or more, not {value!r}").format(n=ctx["gt"] + 1, value=value), True
    if kind == "greater_than":
        return _("must be more than {n}, not {value!r}").format(n=ctx.get("gt"), value=value), True
    if kind == "greater_than_equal":
        return _("must be {n} or more, not {value!r}").format(n=ctx.get("ge"), value=value), True
    if kind == "less_than_equal":
        return _("must be {n} or less, not {value!r}").format(n=ctx.get("le"), value=value), True
    if kind == "less_than":
        return _("must be less than {n}, not {value!r}").format(n=ctx.get("lt"), value=value), True
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return _("must be a whole number, not {value!r}").format(value=value), True
    if kind == "string_type":
        return _("must be text, not {value!r}").format(value=value), True
    if kind == "literal_error":
        return _("must be {expected}, not {value!r}").format(expected=_choices(str(ctx.get("expected", ""))),
                                                              value=value), True
    if kind == "string_pattern_mismatch":
        template = _PATTERN_WORDS.get(ctx.get("pattern", ""), N_("is not written as expected: {input!r}"))
        return _(template).format(input=value), True
    if kind == "list_type":
        return _("must be a list, [a, b] or one '- item' per line, not {value!r}").format(value=value), True
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("must be 'key: value' lines, not {value!r}").format(value=value), True
    if kind == "too_short":
        return _("must have at least {n} item(s)").format(n=ctx.get("min_length")), True
    if kind == "too_long":
        return _("may have at most {n} item(s)").format(n=ctx.get("max_length")), True
    if kind in ("bool_type", "bool_parsing"):
        return _("must be true or false, not {value!r}").format(value=value), True
    if kind.startswith("datetime_"):
        return _("{value!r} is not a date and time; write YYYY-MM-DD HH:MM:SS").format(value=value), False
    msg = _(err["msg"].removeprefix("Value error, "))  # a validator's own message is translated already
    return msg[:1].lower() + msg[1:], msg in {_(m) for m in _PREDICATES}


def validation_diagnostics(exc: Any, loaded: Loaded, model: type) -> list[Diagnostic]:
    """pydantic's ValidationError → one `path:line: key in words: message` diagnostic per error."""
    path = str(loaded.path)
    toml = path.endswith(".toml")
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        kind = err["type"]
        msg, predicate = _problem(err)
        hint = ""
        where = key_words(loc, loaded.data, toml)
        if kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            known = sorted((f.alias or name) for name, f in parent.model_fields.items()) if parent else []
            import difflib  # only for a misspelt key's suggestion

            guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
            inside = key_words(loc[:-1], loaded.data, toml)
            where = ""
            msg = (_("unknown key {key!r} in {inside}").format(key=str(loc[-1]), inside=inside) if inside
                   else _("unknown key {key!r}").format(key=str(loc[-1])))
            if guess:
                hint = _("did you mean {guess!r}?").format(guess=guess[0])
            elif known:
                hint = _("known keys: {keys}").format(keys=", ".join(known))
            else:
                hint = _("remove it")
        elif kind == "missing":
            msg, predicate = _("required key is missing"), False
            hint = (_("add '{key} = …'") if toml else _("add '{key}: …'")).format(key=loc[-1])
        elif kind.startswith("date_") or kind == "not_a_date":
            msg, predicate = _("{value!r} is not a date").format(value=err.get("input")), False
            hint = _("write it as YYYY-MM-DD, for example 2009-12-01")
        elif kind == "timezone_aware":  # a review step's time: which zone it was taken in
            hint = _("write the time with its zone, for example 2026-11-20 10:00:00+08:00")
        if where:
            msg = (_(WHERE_PREDICATE).format(where=where, problem=msg) if predicate
                   else _(WHERE_MESSAGE).format(where=where, message=msg))
        out.append(Diagnostic(path, loaded.line_of(loc), msg, "error", hint))
    return out


def _model_at(model: type, loc: KeyPath) -> type | None:
    """The pydantic model class reached by following `loc` through fields, lists and dicts."""
    import typing

    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        fields = getattr(current, "model_fields", None)
        if not fields or part not in fields:
            return None
        annotation = fields[part].annotation
        for _depth in range(3):  # unwrap Optional[...] / list[...] / dict[..., ...]
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if hasattr(annotation, "model_fields") or not args:
                break
            annotation = args[-1]
        current = annotation
    return current if hasattr(current, "model_fields") else None


def validate(model: type[M], loaded: Loaded, context: dict | None = None) -> M:
    """Validate loaded data into `model`, or raise BulletinError naming file, line and field."""
    from pydantic import ValidationError

    data = loaded.data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise fail(loaded.path or "?", 1, _("expected 'key: value' lines at the top level"))
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise BulletinError(validation_diagnostics(exc, loaded, model)) from None
