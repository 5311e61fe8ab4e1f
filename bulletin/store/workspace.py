"""The workspace on disk: finding it, naming issue folders, reading validated files, atomic writes, the lock."""
from __future__ import annotations

import contextlib
import os
import re
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from bulletin.store import loaders
from bulletin.errors import BulletinError, Diagnostic, fail
from bulletin.model.files import ArticleMeta, IssueMeta, RecipientDirectory, SeriesConfig

CONFIG_NAME = "bulletin.toml"
RECIPIENTS_NAME = "recipients.yaml"
ISSUE_FILE = "issue.yaml"
LOCK_NAME = ".bulletin.lock"     # the lock holder's pid, there while a command holds the lock
MUTEX_NAME = ".bulletin.mutex"   # the lock itself (filelock), there while a command holds the lock

# Folder names of issues: 10 or 010 (regular), S1 (增刊), Z1 (专刊).
_FOLDER = re.compile(r"^(?:(\d{1,3})|([SZ])(\d{1,3}))$")
_KIND_PREFIX = {"supplement": "S", "special": "Z"}
_PREFIX_KIND = {v: k for k, v in _KIND_PREFIX.items()}
KIND_ORDER = {"regular": 0, "supplement": 1, "special": 2}


@dataclass(frozen=True, order=True)
class IssueKey:
    """Which issue: year, kind and the number within that kind and year."""

    year: int
    kind: str
    number: int
    folder: str = field(default="", compare=False)  # the folder as found on disk (02, 002, S1)

    @property
    def folder_name(self) -> str:
        if self.folder:
            return self.folder
        if self.kind == "regular":
            return f"{self.number:02d}"
        return f"{_KIND_PREFIX[self.kind]}{self.number}"

    @property
    def relpath(self) -> str:
        return f"issues/{self.year}/{self.folder_name}"

    def __str__(self) -> str:
        return f"{self.year}-{self.folder_name if self.kind != 'regular' else self.number}"


def parse_folder_name(name: str) -> tuple[str, int] | None:
    """(kind, number) for an issue folder name, None for anything else."""
    m = _FOLDER.match(name)
    if not m:
        return None
    if m.group(1):
        return "regular", int(m.group(1))
    return _PREFIX_KIND[m.group(2)], int(m.group(3))


_REF = re.compile(r"^(?:(\d{4})-)?([SZsz]?)(\d{1,3})$")
# As the issue is printed: 第10期, 2026年第10期 (or 2026-第10期, as in the .docx name), 增刊第1期,
# 专刊第1期, and the label `new` prints with its total, 第10期（总第30期）, copied whole.
_PRINTED_REF = re.compile(r"^(?:(\d{4})\s*[年-]?\s*)?(增刊|专刊)?第\s*(\d{1,3})\s*期"
                          r"(?:\s*[（(]\s*总第\s*(\d{1,5})\s*期\s*[）)])?$")
_PRINTED_KIND = {"增刊": "supplement", "专刊": "special"}


def _parse_ref(text: str) -> tuple[int | None, str, int, int | None]:
    """(year or None, kind, number, total or None) of an issue name; BulletinError otherwise."""
    import unicodedata

    plain = unicodedata.normalize("NFKC", text).strip()  # full-width digits and hyphens from an input method
    m = _REF.match(plain)
    if m:
        year = int(m.group(1)) if m.group(1) else None
        kind = _PREFIX_KIND[m.group(2).upper()] if m.group(2) else "regular"
        return year, kind, int(m.group(3)), None
    m = _PRINTED_REF.match(plain)
    if m:
        year = int(m.group(1)) if m.group(1) else None
        kind = _PRINTED_KIND.get(m.group(2) or "", "regular")
        return year, kind, int(m.group(3)), int(m.group(4)) if m.group(4) else None
    raise fail("bulletin", None, f"{text!r} does not name an issue",
               "write 10 or 第10期 (issue 10 of the latest year), 2026-10 or 2026年第10期, "
               "2026-S1 or 增刊第1期 for a supplement, 2026-Z1 or 专刊第1期 for a special issue")


def parse_issue_ref(text: str) -> tuple[int | None, str, int]:
    """`10`, `2009-10`, `2009-S1`, `S1`, `第10期`, `2009年第10期`, `增刊第1期`, `专刊第1期` → (year or
    None, kind, number); BulletinError otherwise."""
    return _parse_ref(text)[:3]


# --- finding the workspace -------------------------------------------------------------------------

def find_root(explicit: str | os.PathLike | None = None, start: Path | None = None) -> Path:
    """The workspace folder: `--workspace`, else $BULLETIN_WORKSPACE, else the nearest bulletin.toml upward."""
    given = explicit or os.environ.get("BULLETIN_WORKSPACE")
    if given:
        root = Path(given).expanduser().resolve()
        if not (root / CONFIG_NAME).is_file():
            raise fail(root / CONFIG_NAME, None, "no bulletin.toml in the given workspace",
                       "run 'bulletin init DIR' to create a workspace, or point --workspace at one")
        return root
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / CONFIG_NAME).is_file():
            return folder
    raise fail(here, None, "not inside a bulletin workspace (no bulletin.toml here or above)",
               "cd into the workspace, pass --workspace DIR, or run 'bulletin init DIR'")


# --- atomic writes -----------------------------------------------------------------------------------

def _file_mode(path: Path) -> int:
    """The mode a plain `open()` would give: an existing file's mode, else 0666 less the umask
    (mkstemp makes 0600 files, which other users of a shared workspace could not read)."""
    try:
        return path.stat().st_mode & 0o7777
    except OSError:
        mask = os.umask(0)
        os.umask(mask)
        return 0o666 & ~mask


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write via a temporary file in the same folder, fsync, rename: readers never see half a file."""
    atomic_write_many({path: data})


def _stage(path: Path, data: bytes | str) -> str:
    """Write `data` to a temporary file beside `path` and fsync it; returns the temporary's name."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if path.is_dir():
        raise fail(path, None, "cannot write the file: a folder has that name", "choose another file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # not a folder, no permission, read-only disk: the user's path, not a crash
        raise fail(path, None, f"cannot write the file ({exc.strerror or exc})",
                   "choose a folder you can write to") from None
    try:
        os.fchmod(fd, _file_mode(path))
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return tmp


def _keep_old(path: Path) -> str | None:
    """A second name for the file now at `path` (a hard link, or a copy where links are not allowed),
    so a rename that replaces it can be undone; None when there is no file yet."""
    if not path.exists():
        return None
    backup = tempfile.mktemp(prefix=f".{path.name}.", suffix=".old", dir=path.parent)
    try:
        os.link(path, backup)
    except OSError:
        import shutil

        shutil.copy2(path, backup)
    return backup


def missing_folders(files) -> list[Path]:
    """The folders that writing the files (or folders) `files` would create, deepest first, for
    removing them again when the write fails."""
    missing: set[Path] = set()
    for path in files:
        folder = Path(path).parent
        while not folder.exists() and folder != folder.parent:
            missing.add(folder)
            folder = folder.parent
    return sorted(missing, key=lambda f: len(f.parts), reverse=True)


def atomic_write_many(files: dict[Path, bytes | str]) -> None:
    """Write several files all-or-nothing: every temporary is written and synced before the first
    rename, and when a rename fails (disk full, Ctrl-C) the files already replaced are put back, so a
    command that writes an article and issue.yaml never leaves one without the other."""
    staged: list[tuple[str, Path]] = []
    backups: list[str] = []
    done: list[tuple[Path, str | None]] = []
    made = missing_folders(files)
    try:
        for path, data in files.items():
            staged.append((_stage(path, data), path))
        for tmp, path in staged:
            backup = _keep_old(path)
            if backup:
                backups.append(backup)
            os.replace(tmp, path)
            done.append((path, backup))
    except BaseException:
        for path, backup in reversed(done):
            with contextlib.suppress(OSError):
                if backup:
                    os.replace(backup, path)
                else:
                    os.unlink(path)
        for name in [tmp for tmp, _ in staged] + backups:
            with contextlib.suppress(OSError):
                os.unlink(name)
        for folder in made:
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    for backup in backups:
        with contextlib.suppress(OSError):
            os.unlink(backup)


# --- the workspace -----------------------------------------------------------------------------------

class Workspace:
    """A bulletin workspace folder and typed access to its files."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self._series: SeriesConfig | None = None
        self._recipients: RecipientDirectory | None = None
        self._issues: dict[Path, tuple[IssueMeta, loaders.Loaded]] = {}

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
            self._series = loaders.validate(SeriesConfig, loaded)
        return self._series

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
        year, kind, number, total = _parse_ref(ref)
        candidates = [k for k in self.issue_keys() if k.kind == kind and k.number == number
                      and (year is None or k.year == year)]
        if not candidates:
            where = f" of {year}" if year else ""
            raise fail(self.rel(self.root / "issues"), None, f"there is no issue {ref}{where}",
                       "'bulletin list' shows the issues; 'bulletin new' creates the next one")
        key = max(candidates)
        if total is not None:  # 第10期（总第30期）: the total must be this issue's, or the name is wrong
            meta, loaded = self.load_issue(key)
            if meta.total != total:
                shown = f"总第{meta.total}期" if meta.total else "no total"
                raise fail(loaded.path, loaded.line_of(("total",)),
                           f"{ref} does not name one issue: {key} is {shown}, not 总第{total}期",
                           "check the name, or give the issue as 2026-10")
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
    def lock(self, timeout: float = 30.0) -> Iterator[list[str]]:
        """Hold the workspace lock; yields a list of notes (a recovered stale lock) for the caller to print.

        Two files beside bulletin.toml, both there only while a command holds the lock:
        .bulletin.mutex is the lock itself, taken through filelock (flock where the system has it,
        LockFileEx on Windows, an exclusively created marker elsewhere); the system drops it when its
        holder dies. .bulletin.lock holds the holder's pid (for the "locked by process N" message);
        finding it when taking the lock means its holder was killed, which is reported once.
        A finished or failed command leaves neither file.
        """
        notes: list[str] = []
        marker = self.root / LOCK_NAME
        mutex = _mutex(self.root / MUTEX_NAME)
        try:
            mutex.acquire(timeout=timeout)
        except _filelock().Timeout:
            holder = _read_marker(marker)
            raise fail(LOCK_NAME, None, f"the workspace is locked by process {holder or '?'}",
                       "wait for the other bulletin command to finish") from None
        except OSError as exc:
            raise fail(MUTEX_NAME, None, f"cannot lock the workspace ({exc.strerror or exc})",
                       "check that the workspace folder is writable") from None
        try:
            previous = _read_marker(marker)
            if previous:
                notes.append(f"recovered a stale lock left by process {previous}, which is gone")
            try:
                marker.write_text(str(os.getpid()), encoding="ascii")
                yield notes
            finally:
                with contextlib.suppress(OSError):
                    marker.unlink()
        finally:
            _release(mutex)



def _filelock():
    """filelock, imported without its warning that only a soft lock is available (no fcntl)."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import filelock
    return filelock


def _mutex(path: Path):
    """The lock on `path`: native where the system has one, else a marker created exclusively (which
    filelock takes over when the process that made it is gone)."""
    filelock = _filelock()
    if sys.platform == "win32":
        return filelock.WindowsFileLock(path, poll_interval=0.02)      # removes its file on release
    if filelock.has_fcntl:
        # only flock: _release removes the file while holding it, which a soft marker must not see
        return filelock.UnixFileLock(path, poll_interval=0.02, fallback_to_soft=False)
    return filelock.SoftFileLock(path, poll_interval=0.02)             # removes its file on release


def _release(mutex) -> None:
    """Release the lock and leave no file. A flock's file stays on release (so waiters share one
    inode), so its holder removes it first; a waiter that then gets the removed inode sees it has no
    name and filelock makes it try again on a fresh file."""
    if isinstance(mutex, _filelock().UnixFileLock):
        with contextlib.suppress(OSError):
            os.unlink(mutex.lock_file)
    mutex.release()


def _read_marker(path: Path) -> str:
    """The pid written in the lock marker, "" when there is none."""
    try:
        return path.read_text(encoding="ascii", errors="replace").strip()
    except OSError:
        return ""


def check_problems(problems, loaded: loaders.Loaded) -> None:
    """Raise the cross-field problems of a model as diagnostics with their lines."""
    if problems:
        raise BulletinError([Diagnostic(str(loaded.path), loaded.line_of(loc), msg, "error", hint)
                             for loc, msg, hint in problems])
