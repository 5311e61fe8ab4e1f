"""The workspace on disk: finding it, its paths, and its files read once and validated."""
from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path
from typing import Iterator

from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.i18n import _
from bulletin.model.files import (
    ArticleMeta,
    IssueMeta,
    RecipientDirectory,
    SeriesConfig,
)
from bulletin.model.keys import (
    KIND_ORDER,
    IssueKey,
    parse_folder_name,
    parse_issue_name,
)
from bulletin.store import loaders
from bulletin.store.lock import LOCK_NAME, MUTEX_NAME, hold  # noqa: F401 (the names commands show)

CONFIG_NAME = "bulletin.toml"
RECIPIENTS_NAME = "recipients.yaml"
ISSUE_FILE = "issue.yaml"


def find_root(explicit: str | os.PathLike | None = None, start: Path | None = None) -> Path:
    """The workspace folder: `--workspace`, else $BULLETIN_WORKSPACE, else the nearest bulletin.toml upward."""
    given = explicit or os.environ.get("BULLETIN_WORKSPACE")
    if given:
        root = Path(given).expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise fail(root / CONFIG_NAME, None, _("no bulletin.toml in the given workspace"),
                       _("run 'bulletin init DIR' to create a workspace, or point --workspace at one"))
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise fail(here, None, _("not inside a bulletin workspace (no bulletin.toml here or above)"),
               _("cd into the workspace, pass --workspace DIR, or run 'bulletin init DIR'"))


class Workspace:
    """A bulletin workspace folder and typed access to its files."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._series: SeriesConfig | None = None
        self._recipients: RecipientDirectory | None = None
        self._issues: dict[Path, tuple[IssueMeta, loaders.Loaded]] = {}
        self._preset = None

    @classmethod
    def find(cls, explicit=None) -> "Workspace":
        return cls(find_root(explicit))

    def rel(self, path: Path) -> str:
        """A path as the user sees it: relative to the workspace root where possible."""
        try:
            return str(Path(path).relative_to(self.root))
        except ValueError:
            return str(path)

    # paths
    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def recipients_path(self) -> Path:
        return self.root / RECIPIENTS_NAME

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    @property
    def templates_dir(self) -> Path:
        return self.root / "templates"

    def issue_dir(self, key: IssueKey) -> Path:
        return self.root / key.relpath

    # reading, validated
    def _loaded(self, path: Path, loaded: loaders.Loaded) -> loaders.Loaded:
        loaded.path = Path(self.rel(path))
        return loaded

    def _read(self, loader, path: Path):
        """`loader(path)`, with the paths of its syntax errors relative to the workspace like all others."""
        try:
            return loader(path)
        except BulletinError as exc:
            shown = str(path)
            raise BulletinError([Diagnostic(self.rel(Path(d.path)) if d.path == shown else d.path, d.line,
                                            d.message, d.severity, d.hint) for d in exc.diagnostics]) from None

    def series(self) -> SeriesConfig:
        if self._series is None:
            loaded = self._loaded(self.config_path, self._read(loaders.load_toml, self.config_path))
            series = loaders.validate(SeriesConfig, loaded)
            check_problems(series.problems(), loaded)
            self._series = series
        return self._series

    def preset(self):
        """The layout preset bulletin.toml's `[print] preset` names (store.presets.load_preset)."""
        if self._preset is None:
            from bulletin.store.presets import load_preset

            self._preset = load_preset(self.series().print_settings.preset, self.templates_dir)
        return self._preset

    def recipients(self) -> RecipientDirectory:
        if self._recipients is None:
            if not self.recipients_path.exists():
                self._recipients = RecipientDirectory()
                return self._recipients
            loaded = self._loaded(self.recipients_path, self._read(loaders.load_yaml, self.recipients_path))
            directory = loaders.validate(RecipientDirectory, loaded)
            check_problems(directory.problems(), loaded)
            self._recipients = directory
        return self._recipients

    def forget_recipients(self) -> None:
        """Drop the cached recipients.yaml: a command that rewrites it reads it again under the lock."""
        self._recipients = None

    def issue_keys(self) -> list[IssueKey]:
        """Every issue folder under issues/, sorted by year, kind and number."""
        keys = []
        issues = self.root / "issues"
        if not issues.is_dir():
            return keys
        for year_dir in issues.iterdir():
            if not (year_dir.is_dir() and re.fullmatch(r"\d{4}", year_dir.name)):
                continue
            for folder in year_dir.iterdir():
                parsed = parse_folder_name(folder.name)
                if parsed and (folder / ISSUE_FILE).is_file():
                    keys.append(IssueKey(int(year_dir.name), parsed[0], parsed[1], folder.name))
        return sorted(keys, key=lambda k: (k.year, KIND_ORDER[k.kind], k.number, k.folder))

    def resolve(self, ref: str) -> IssueKey:
        """The issue a user names: `10` is regular issue 10 of the latest year that has one."""
        year, kind, number, total = parse_issue_name(ref)
        candidates = [k for k in self.issue_keys() if k.kind == kind and k.number == number
                      and (year is None or k.year == year)]
        if not candidates:
            message = (_("there is no issue {ref} of {year}").format(ref=ref, year=year) if year
                       else _("there is no issue {ref}").format(ref=ref))
            raise fail(self.rel(self.root / "issues"), None, message,
                       _("'bulletin list' shows the issues; 'bulletin new' creates the next one"))
        key = max(candidates)
        if total is not None:  # 第10期（总第30期）: the total must be this issue's, or the name is wrong
            meta, loaded = self.load_issue(key)
            if meta.total != total:
                if meta.total:
                    message = _("{ref} does not name one issue: {key} is 总第{shown}期, not 总第{total}期").format(
                        ref=ref, key=key, shown=meta.total, total=total)
                else:
                    message = _("{ref} does not name one issue: {key} is no total, not 总第{total}期").format(
                        ref=ref, key=key, total=total)
                raise fail(loaded.path, loaded.line_of(("total",)), message,
                           _("check the name, or give the issue as 2026-10"))
        return key

    def load_issue(self, key: IssueKey) -> tuple[IssueMeta, loaders.Loaded]:
        """issue.yaml validated; read once per command (render and compose both ask for it)."""
        path = self.issue_dir(key) / ISSUE_FILE
        cached = self._issues.get(path)
        if cached is None:
            loaded = self._loaded(path, self._read(loaders.load_yaml, path))
            meta = loaders.validate(IssueMeta, loaded)
            check_problems(meta.problems(), loaded)
            cached = self._issues[path] = (meta, loaded)
        return cached

    def forget_issue(self, key: IssueKey) -> None:
        """Drop the cached issue.yaml after the command rewrote it."""
        self._issues.pop(self.issue_dir(key) / ISSUE_FILE, None)

    def load_article(self, path: Path) -> tuple[ArticleMeta, loaders.FrontMatterFile]:
        fm = self._read(loaders.load_front_matter, path)
        fm.meta.path = Path(self.rel(path))
        return loaders.validate(ArticleMeta, fm.meta), fm

    # the numbering lock
    @contextlib.contextmanager
    def lock(self, timeout: float = 30.0, reentrant: bool = False) -> Iterator[list[str]]:
        """Hold the workspace lock; yields a list of notes (a recovered stale lock) for the caller to print.

        Two files beside bulletin.toml, both there only while a command holds the lock:
        .bulletin.mutex is the lock itself, taken through filelock (flock where the system has it,
        LockFileEx on Windows, an exclusively created marker elsewhere); the system drops it when its
        holder dies. .bulletin.lock holds the holder's pid (for the "locked by process N" message);
        finding it when taking the lock means its holder was killed, which is reported once.
        A finished or failed command leaves neither file. With `reentrant`, the locks this thread takes
        inside the block are this one (the workbench holds it around a change and its history commit).
        """
        with hold(self.root, timeout, reentrant) as notes:
            yield notes


def check_problems(problems, loaded: loaders.Loaded) -> None:
    """Raise the cross-field problems of a model as diagnostics with their lines."""
    if problems:
        raise BulletinError([Diagnostic(str(loaded.path), loaded.line_of(loc), msg, "error", hint)
                             for loc, msg, hint in problems])
