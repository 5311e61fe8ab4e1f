"""Atomic writes: a temporary file, fsync, rename; several files all or none."""
from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from bulletin.errors import fail
from bulletin.i18n import _


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
        raise fail(path, None, _("cannot write the file: a folder has that name"), _("choose another file name"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:  # not a folder, no permission, read-only disk: the user's path, not a crash
        raise fail(path, None, _("cannot write the file ({reason})").format(reason=exc.strerror or exc),
                   _("choose a folder you can write to")) from None
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
