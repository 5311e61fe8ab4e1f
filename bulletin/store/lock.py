"""The workspace lock, cross-platform through filelock: one command at a time allocates numbers and
writes issue files."""
from __future__ import annotations

import contextlib
import os
import sys
import threading
import time
from pathlib import Path
from typing import Iterator

from bulletin.errors import fail
from bulletin.i18n import _

# Both files lie beside bulletin.toml and exist only while a command holds the lock.
LOCK_NAME = ".bulletin.lock"    # the holder's pid, for the "locked by process N" message
MUTEX_NAME = ".bulletin.mutex"  # the lock itself

# The workspaces whose lock this thread holds for the locks taken inside (hold(..., reentrant=True)): the
# workbench holds it around a change and its history commit while the change takes it again (a second
# flock on the same file from the same process would wait for itself). Plain holds stay exclusive.
_held = threading.local()


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


@contextlib.contextmanager
def hold(root: Path, timeout: float = 30.0, reentrant: bool = False) -> Iterator[list[str]]:
    """Hold the lock of the workspace at `root`; yields notes (a recovered stale lock) to print.
    With `reentrant`, the holds this thread asks for inside the block just go on (the outer one
    releases it)."""
    depths = _held.__dict__.setdefault("depths", {})
    held_key = os.path.abspath(root)
    if depths.get(held_key):
        depths[held_key] += 1
        try:
            yield []
        finally:
            depths[held_key] -= 1
        return
    if not reentrant:
        with _hold(root, timeout) as notes:
            yield notes
        return
    with _hold(root, timeout) as notes:
        depths[held_key] = 1
        try:
            yield notes
        finally:
            depths.pop(held_key, None)


# The threads of this process that want a workspace's lock wait for one another here, asleep, and only
# the first of them asks the system: filelock polls every 20 ms, and the workbench's savers all polling
# at once (twenty of them under load) held the interpreter from the pages being served.
_in_process: dict[str, threading.Lock] = {}
_in_process_guard = threading.Lock()


def _in_process_lock(root: Path) -> threading.Lock:
    with _in_process_guard:
        return _in_process.setdefault(os.path.abspath(root), threading.Lock())


def _locked_by(marker: Path):
    holder = _read_marker(marker)
    return fail(LOCK_NAME, None, _("the workspace is locked by process {pid}").format(pid=holder or "?"),
                _("wait for the other bulletin command to finish"))


@contextlib.contextmanager
def _hold(root: Path, timeout: float) -> Iterator[list[str]]:
    marker = root / LOCK_NAME
    began = time.monotonic()
    in_process = _in_process_lock(root)
    if not in_process.acquire(timeout=-1 if timeout < 0 else timeout):
        raise _locked_by(marker)
    try:
        left = timeout if timeout < 0 else max(0.0, timeout - (time.monotonic() - began))
        with _hold_system_lock(root, marker, left) as notes:
            yield notes
    finally:
        in_process.release()


@contextlib.contextmanager
def _hold_system_lock(root: Path, marker: Path, timeout: float) -> Iterator[list[str]]:
    notes: list[str] = []
    mutex = _mutex(root / MUTEX_NAME)
    try:
        mutex.acquire(timeout=timeout)
    except _filelock().Timeout:
        raise _locked_by(marker) from None
    except OSError as exc:
        raise fail(MUTEX_NAME, None, _("cannot lock the workspace ({reason})").format(reason=exc.strerror or exc),
                   _("check that the workspace folder is writable")) from None
    try:
        previous = _read_marker(marker)
        if previous:
            notes.append(_("recovered a stale lock left by process {pid}, which is gone").format(pid=previous))
        try:
            marker.write_text(str(os.getpid()), encoding="ascii")
            yield notes
        finally:
            with contextlib.suppress(OSError):
                marker.unlink()
    finally:
        _release(mutex)
