"""Files → plain data plus a map from key paths to source lines, and validation into models.

Every reader returns `Loaded(data, lines)`: `lines[("distribution", "lists", 0)] == 12` says where
a value sits, so a pydantic error on that value is reported as `issue.yaml:12: distribution.lists.0`.
"""
from __future__ import annotations

import datetime as _dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from .cjk import clean_text, join_broken_line, word_breaks_to_markdown
from .errors import BulletinError, Diagnostic, fail

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
        raise fail(path, None, "file not found") from None
    except OSError as exc:
        raise fail(path, None, f"cannot read the file ({exc.strerror})") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise fail(path, line, "the file is not UTF-8 text",
                   "save it as UTF-8 (in Notepad: Save as → Encoding UTF-8)") from None


# --- YAML -----------------------------------------------------------------------------------------

_LOADER: list = []  # the process's one round-trip loader; emptied when a load fails

# YAML's non-printable characters (the complement of c-printable, YAML 1.2 §5.1), spelled as the few
# ranges they are. ruamel spells them as the complement of the printable ranges, and compiling that
# class over all of Unicode takes ~6 ms, paid by every command at its first non-ASCII file.
_NON_PRINTABLE = "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"


def _yaml():
    """ruamel's round-trip loader, built once: a new one sets up its resolvers again (~0.4 ms a file)."""
    if not _LOADER:
        from ruamel.yaml import YAML
        from ruamel.yaml.reader import Reader

        Reader.NON_PRINTABLE = re.compile(_NON_PRINTABLE)  # the same set; see _NON_PRINTABLE
        yaml = YAML(typ="rt", pure=True)
        yaml.allow_duplicate_keys = False
        _LOADER.append(yaml)
    return _LOADER[0]


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
        _LOADER.clear()
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
    if isinstance(node, _dt.datetime):
        return _dt.datetime(*node.timetuple()[:6])
    if isinstance(node, _dt.date):
        return _dt.date(node.year, node.month, node.day)
    if isinstance(node, str):
        return str(node)
    return node


def parse_yaml(text: str, path: Path, first_line: int = 1) -> Loaded:
    """YAML text → Loaded; `first_line` shifts line numbers (front matter starts on line 2)."""
    simple = _simple_mapping(text, first_line)
    if simple is not None:
        return Loaded(simple[0], simple[1], path)
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    try:
        node = _load(text)
    except ValueError as exc:  # ruamel builds dates eagerly: 2009-13-01 raises a bare ValueError
        line = _impossible_date_line(text)
        raise fail(path, line + first_line - 1 if line else None, f"not a date: {exc}",
                   "write a real date as YYYY-MM-DD, for example 2009-12-01") from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + first_line if mark else None
        problem = (exc.problem or exc.context or "invalid YAML").strip()
        hint = "check the indentation and that text containing ': ' or '#' is in quotes"
        if "duplicate key" in str(exc):
            key = re.search(r'found duplicate key "([^"]*)"', str(exc))
            problem = f"key {key.group(1)!r} appears twice" if key else "a key appears twice"
            hint = "keep one of them"
        raise fail(path, line, f"YAML syntax error: {problem}", hint) from None
    except YAMLError as exc:
        raise fail(path, None, f"YAML syntax error: {exc}") from None
    except RecursionError:  # [[[[… hundreds deep: ruamel's parser recurses per level
        raise fail(path, None, "YAML syntax error: the values are nested too deeply",
                   "write plain 'key: value' lines") from None
    except Exception as exc:  # a tag ruamel cannot build: `!!bool maybe` raises a bare KeyError
        raise fail(path, None, f"YAML value cannot be read ({type(exc).__name__}: {exc})",
                   "remove tags such as !!bool or !!float, or quote the value") from None
    lines: LineMap = {(): first_line}
    try:
        data = _plain(node, (), lines)
    except (RecursionError, _TooLarge):  # `&a [*a]` contains itself; aliases expanding without end
        raise fail(path, None, "the YAML aliases (&name / *name) expand to too much data",
                   "write the values out instead of repeating them with aliases") from None
    if first_line != 1:
        lines = {k: (v + first_line - 1 if k else v) for k, v in lines.items()}
    return Loaded(data, lines, path)


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


def parse_toml(text: str, path: Path) -> Loaded:
    import tomllib

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line = int(m.group(1)) if m else None
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise fail(path, line, f"TOML syntax error: {message}",
                   'text values need double quotes: name = "政务公开工作简报"') from None
    return Loaded(data, _toml_lines(text), path)


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
        raise fail(path, 1, "the article has no front matter",
                   "start the file with a line '---', then 'title: …', then a line '---'")
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            return lines, end
    raise fail(path, 1, "the front matter is not closed", "add a line '---' after the last key")


def front_matter_yaml(lines: list[str], end: int) -> str:
    """The YAML between the `---` lines, a break pasted from Word joining its line."""
    return "\n".join(join_broken_line(line) for line in lines[1:end])


def parse_front_matter(text: str, path: Path) -> FrontMatterFile:
    """Split `---` YAML `---` from the body, both cleaned of Word's control characters: in the front
    matter a pasted break joins the line, in the body it becomes the paragraph or line break it meant."""
    lines, end = split_front_matter(text, path)
    meta = parse_yaml(front_matter_yaml(lines, end), path, first_line=2)
    if meta.data is None:
        meta.data = {}
    if not isinstance(meta.data, dict):
        raise fail(path, 2, "the front matter must be 'key: value' lines", "for example 'title: 我市…'")
    # Cleaning may split a line (a page break pasted from Word becomes a paragraph break); remember
    # the file line of every body line so diagnostics point where the clerk looks.
    body: list[str] = []
    body_lines: list[int] = []
    for number, line in enumerate(lines[end + 1:], start=end + 2):
        pieces = clean_text(word_breaks_to_markdown(line)).split("\n")
        body += pieces
        body_lines += [number] * len(pieces)
    return FrontMatterFile(meta, "\n".join(body), end + 2, body_lines)


ARTICLE_MAX_BYTES = 2 * 1024 * 1024  # no article is this long; a larger file is a mistake, refused unread


def load_front_matter(path: Path) -> FrontMatterFile:
    size = path.stat().st_size if path.is_file() else 0
    if size > ARTICLE_MAX_BYTES:
        raise fail(path, None, f"the file is {size / 1e6:.1f} MB, more than the {ARTICLE_MAX_BYTES >> 20} MB an article may have",
                   "split it into several articles, or take out what was pasted into it by mistake")
    return parse_front_matter(read_text(path), path)


# --- validation ------------------------------------------------------------------------------------

M = TypeVar("M")


def _loc_text(loc: KeyPath) -> str:
    return ".".join(str(p) for p in loc)


def validation_diagnostics(exc: Any, loaded: Loaded, model: type) -> list[Diagnostic]:
    """pydantic's ValidationError → one `path:line: field: message` diagnostic per error."""
    path = str(loaded.path)
    out = []
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        kind = err["type"]
        msg = err["msg"].removeprefix("Value error, ")
        hint = ""
        if kind == "extra_forbidden":
            parent = _model_at(model, loc[:-1])
            known = sorted((f.alias or name) for name, f in parent.model_fields.items()) if parent else []
            guess = difflib.get_close_matches(str(loc[-1]), known, n=1)
            msg = f"unknown key {str(loc[-1])!r}"
            hint = f"did you mean {guess[0]!r}?" if guess else (
                f"known keys: {', '.join(known)}" if known else "remove it")
        elif kind == "missing":
            msg = "required key is missing"
            hint = f"add '{loc[-1]}: …'"
        elif kind.startswith("date_") or kind == "not_a_date":
            msg = f"{err.get('input')!r} is not a date"
            hint = "write it as YYYY-MM-DD, for example 2009-12-01"
        out.append(Diagnostic(path, loaded.line_of(loc), f"{_loc_text(loc)}: {msg}" if loc else msg,
                              "error", hint))
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
        for _ in range(3):  # unwrap Optional[...] / list[...] / dict[..., ...]
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
        raise fail(loaded.path or "?", 1, "expected 'key: value' lines at the top level")
    try:
        return model.model_validate(data, context=context)
    except ValidationError as exc:
        raise BulletinError(validation_diagnostics(exc, loaded, model)) from None
