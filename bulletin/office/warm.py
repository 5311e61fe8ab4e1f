"""A warm LibreOffice: one soffice kept running, so a conversion costs the conversion and not the start.

LibreOffice is driven through its `uno` module, which lives with the system's Python (Debian's
python3-uno), not in bulletin's virtualenv. So bulletin starts `warm_worker.py` (standard library and
uno only) with that interpreter; the worker starts soffice with the same private profile, macros off,
as a cold conversion, and answers XML-RPC on 127.0.0.1 at a port the system picks, each call carrying a
random token. Files go by path: the worker runs on this computer as this user.

`WarmConverter` implements launcher.Converter. Owned (`start()`), it runs the worker as a child in its
own process group and restarts it when it stops answering; attached (`attach()`), it talks to a worker
another process started (`bulletin office start`, or a running workbench). Either way a conversion
that cannot be made warm is made cold, and the log says why, once.
"""
from __future__ import annotations

import json
import logging
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import xmlrpc.client
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from bulletin.i18n import _
from bulletin.office import launcher

log = logging.getLogger("bulletin.office")

UNO_PYTHON_ENV = "BULLETIN_UNO_PYTHON"      # the interpreter with `uno`, when it is not /usr/bin/python3
WORKER = Path(__file__).with_name("warm_worker.py")
START_TIMEOUT = 90.0                        # seconds for the worker and its soffice to be ready
MAX_CONVERSIONS = 200                       # soffice is started afresh after this many (its memory grows)
MAX_CONVERSIONS_ENV = "BULLETIN_OFFICE_CONVERSIONS"   # … or after this many, when set (0: never)
RPC_MARGIN = 30.0                           # the worker ends a late conversion itself; this is for a hung worker
RETRY_AFTER = 60.0                          # seconds before trying again to start one that failed
DEFAULT_FILTERS = {"pdf": "writer_pdf_Export", "docx": "MS Word 2007 XML", "odt": "writer8"}

_uno_python: dict[str, str | None] = {}


def _has_uno(python: str) -> bool:
    try:
        done = subprocess.run([python, "-c", "import uno"], stdin=subprocess.DEVNULL, capture_output=True,
                              timeout=30, env=_worker_env(os.environ))
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def find_uno_python() -> str | None:
    """The Python that can `import uno`: $BULLETIN_UNO_PYTHON when set, else /usr/bin/python3, else
    `python3` on PATH; each tried once (the answer is kept for the process)."""
    setting = os.environ.get(UNO_PYTHON_ENV, "")
    if setting in _uno_python:
        return _uno_python[setting]
    candidates = [setting] if setting else []
    if not setting:
        candidates += ["/usr/bin/python3"] + ([shutil.which("python3")] if shutil.which("python3") else [])
    found = next((c for c in dict.fromkeys(candidates) if c and _has_uno(c)), None)
    _uno_python[setting] = found
    return found


def max_conversions() -> int:
    """How many conversions one soffice makes before it is started afresh: $BULLETIN_OFFICE_CONVERSIONS
    when it is a whole number (0: never), else MAX_CONVERSIONS."""
    setting = os.environ.get(MAX_CONVERSIONS_ENV, "").strip()
    if setting:
        try:
            if int(setting) >= 0:
                return int(setting)
        except ValueError:
            pass
        log.warning("%s=%s is not a whole number: restarting after %d conversions", MAX_CONVERSIONS_ENV,
                    setting, MAX_CONVERSIONS)
    return MAX_CONVERSIONS


def _worker_env(env: Mapping[str, str]) -> dict[str, str]:
    """The environment for the system's Python: without the virtualenv's PYTHONPATH and PYTHONHOME."""
    return {k: v for k, v in env.items() if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP")}


def parse_format(fmt: str) -> tuple[str, str, list[list[str]]]:
    """A --convert-to argument as (extension, filter name, FilterData): "pdf", "docx:MS Word 2007 XML",
    or 'pdf:writer_pdf_Export:{"IsSkipEmptyPages":{"type":"boolean","value":"false"}}'."""
    ext, _colon, rest = fmt.partition(":")
    name, _colon, options = rest.partition(":")
    data = []
    if options.strip().startswith("{"):
        for key, spec in json.loads(options).items():
            data.append([key, str(spec.get("type", "string")), str(spec.get("value", ""))])
    return ext, name or DEFAULT_FILTERS.get(ext, ""), data


class WarmUnavailable(Exception):
    """No warm LibreOffice could be had (no uno, soffice missing, it failed to start)."""


@dataclass
class Endpoint:
    """Where a worker answers, and the token it wants."""

    port: int
    token: str
    pid: int

    def proxy(self, timeout: float) -> xmlrpc.client.ServerProxy:
        return xmlrpc.client.ServerProxy(f"http://127.0.0.1:{self.port}/", allow_none=True,
                                         transport=_Transport(timeout))

    def ping(self, timeout: float = 5.0) -> dict | None:
        """What the worker says about itself, or None when it does not answer (or not to this token)."""
        try:
            return self.proxy(timeout).ping(self.token)
        except (OSError, xmlrpc.client.Error):
            return None


class _Transport(xmlrpc.client.Transport):
    def __init__(self, timeout: float):
        super().__init__()
        self._timeout = timeout

    def make_connection(self, host):
        connection = super().make_connection(host)
        connection.timeout = self._timeout
        return connection


def start_worker(env: Mapping[str, str] | None = None, max_conversions: int = MAX_CONVERSIONS,
                 detached: bool = False) -> tuple[subprocess.Popen, Endpoint]:
    """Start a worker and wait until its soffice answers. Owned (not detached), it ends itself when
    our end of its stdin closes; detached, it runs until stopped. WarmUnavailable with the reason."""
    python = find_uno_python()
    if python is None:
        raise WarmUnavailable(_("no Python with LibreOffice's uno module (install python3-uno, or set "
                                "{setting})").format(setting=UNO_PYTHON_ENV))
    soffice = launcher.find_soffice()
    if soffice is None:
        raise WarmUnavailable(_("LibreOffice is not installed"))
    token = secrets.token_urlsafe(24)
    options = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if sys.platform == "win32" \
        else {"start_new_session": True}
    process = subprocess.Popen([python, str(WORKER)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=None if not detached else subprocess.DEVNULL,
                               env=_worker_env(env if env is not None else os.environ), cwd="/", **options)
    config = {"token": token, "soffice": soffice, "profile_settings": launcher.PROFILE_SETTINGS,
              "max_conversions": max_conversions, "watch_stdin": not detached}
    try:
        process.stdin.write((json.dumps(config) + "\n").encode())
        process.stdin.flush()
        if detached:
            process.stdin.close()
        ready = _read_line(process, START_TIMEOUT)
        answer = json.loads(ready) if ready else {"error": _("it ended before it was ready")}
    except (OSError, ValueError) as exc:
        answer = {"error": str(exc)}
    if "port" not in answer:
        kill_group(process.pid)
        process.wait()
        raise WarmUnavailable(_("the warm LibreOffice did not start: {error}").format(
            error=answer.get("error", answer)))
    process.stdout.close()
    return process, Endpoint(int(answer["port"]), token, process.pid)


def _read_line(process: subprocess.Popen, timeout: float) -> bytes:
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(process.stdout.readline()), daemon=True)
    reader.start()
    reader.join(timeout)
    return got[0] if got else b""


def kill_group(pid: int) -> None:
    """End a worker and everything it started (its process group: soffice, oosplash, soffice.bin)."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(pid)], capture_output=True, check=False)
        return
    try:
        os.killpg(pid, signal.SIGKILL)
    except OSError:
        pass


def is_worker(pid: int) -> bool:
    """Whether process `pid` runs warm_worker.py (where /proc tells; elsewhere assumed), so that a pid
    the system gave to another program since is never ended in its place."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:
        return not Path("/proc/self").exists() and alive(pid)
    except OSError:
        return False
    return WORKER.name.encode() in cmdline


def stop_endpoint(endpoint: Endpoint, wait: float = 10.0) -> None:
    """Ask a worker to stop; end its process group when it does not within `wait` seconds. A process
    that neither answers nor runs the worker is not ours: it is left alone."""
    try:
        endpoint.proxy(5.0).stop(endpoint.token)
    except (OSError, xmlrpc.client.Error):
        if not is_worker(endpoint.pid):
            return
    deadline = time.monotonic() + wait
    while alive(endpoint.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    kill_group(endpoint.pid)


def alive(pid: int) -> bool:
    if pid <= 0:
        return False
    if sys.platform != "win32":
        try:
            done, _status = os.waitpid(pid, os.WNOHANG)   # our own child: reap it, or it stays a zombie
            if done == pid:
                return False
        except ChildProcessError:
            pass
        except OSError:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


class WarmConverter:
    """launcher.Converter over a warm LibreOffice: one conversion at a time, each with its timeout.

    Owned, it starts its worker on first use (or at `start()`) and starts it again when it died or
    stopped answering; attached, it uses another process's worker and never stops it. When no warm
    worker can be had, each conversion is made cold (launcher.ColdConverter) and the log says why."""

    def __init__(self, env: Mapping[str, str] | None = None, max_conversions: int = MAX_CONVERSIONS,
                 endpoint: Endpoint | None = None):
        """Owned when no `endpoint` is given; attached to that worker otherwise."""
        self.env = dict(env) if env is not None else None
        self.max_conversions = max_conversions
        self.endpoint = endpoint
        self.owned = endpoint is None
        self.process: subprocess.Popen | None = None
        self.unavailable: str | None = None     # why conversions are made cold
        self.on_start = None                     # called with the new Endpoint after each start
        self._retry_at = 0.0                     # no new start before this (monotonic) after one failed
        self._lock = threading.Lock()            # the queue: one conversion at a time

    @classmethod
    def attach(cls, endpoint: Endpoint) -> "WarmConverter":
        return cls(endpoint=endpoint)

    # --- the worker ---------------------------------------------------------------------------------
    def start(self) -> bool:
        """Start the worker now (owned); False, and conversions cold, when it cannot be started."""
        with self._lock:
            return self._ensure()

    def _ensure(self) -> bool:
        if not self.owned:
            return self.endpoint is not None
        if self.process is not None and self.process.poll() is None:
            return True
        if self.process is not None:
            log.warning("the warm LibreOffice ended (status %s); starting it again", self.process.returncode)
            self._forget()
        if time.monotonic() < self._retry_at:
            return False
        try:
            self.process, self.endpoint = start_worker(self.env, self.max_conversions)
        except WarmUnavailable as exc:
            if self.unavailable != str(exc):
                log.warning("%s; converting with a cold LibreOffice instead", exc)
            self.unavailable = str(exc)
            self._retry_at = time.monotonic() + RETRY_AFTER
            return False
        self.unavailable = None
        log.info("warm LibreOffice ready (worker %s, port %s)", self.process.pid, self.endpoint.port)
        if self.on_start is not None:
            self.on_start(self.endpoint)
        return True

    def _forget(self) -> None:
        if self.process is not None:
            kill_group(self.process.pid)
            try:
                self.process.stdin.close()
            except OSError:
                pass
            self.process.wait()
        self.process = None
        self.endpoint = None

    def stop(self) -> None:
        """End the worker we own and everything it started; an attached one is left running."""
        with self._lock:
            if self.owned and self.process is not None:
                stop_endpoint(self.endpoint, wait=5.0)
                self._forget()

    def timed(self, timeout: float, env: Mapping[str, str] | None = None) -> "TimedConverter":
        return TimedConverter(self, timeout, env)

    def status(self) -> dict | None:
        endpoint = self.endpoint
        return endpoint.ping() if endpoint is not None else None

    # --- launcher.Converter ------------------------------------------------------------------------
    def convert(self, src: Path, fmt: str, outdir: Path, timeout: float = launcher.DEFAULT_TIMEOUT,
                env: Mapping[str, str] | None = None) -> Path:
        return self.convert_many([src], fmt, outdir, timeout, env)[0]

    def convert_many(self, sources: Sequence[Path], fmt: str, outdir: Path,
                     timeout: float = launcher.DEFAULT_TIMEOUT, env: Mapping[str, str] | None = None) -> list[Path]:
        """Each file through the warm LibreOffice; one that cannot be made warm is made cold, in `env`
        (else the environment the warm one was given)."""
        ext, filter_name, data = parse_format(fmt)
        outdir = Path(outdir)
        outdir.mkdir(parents=True, exist_ok=True)
        made = []
        with self._lock:
            for src in sources:
                target = outdir / f"{Path(src).stem}.{ext}"
                if not self._warm_one(Path(src), target, filter_name, data, timeout):
                    launcher.ColdConverter(timeout, env if env is not None else self.env).convert(
                        Path(src), fmt, outdir)
                made.append(target)
        return made

    def _warm_one(self, src: Path, target: Path, filter_name: str, data, timeout: float) -> bool:
        """Convert through the worker; False when it must be done cold. OfficeTimeout when the worker
        ended a conversion that took too long (and started its soffice again)."""
        for attempt in (1, 2):
            if not self._ensure():
                return False
            endpoint = self.endpoint
            try:
                answer = endpoint.proxy(timeout + RPC_MARGIN).convert(
                    endpoint.token, str(src.resolve()), str(target.resolve()), filter_name, data, float(timeout))
                break
            except (OSError, xmlrpc.client.Error) as exc:
                if self.owned:
                    self._forget()     # hung or dead: ended, and started afresh below or next time
                # a worker that was gone (refused, reset) is started again at once; one that hung is not
                if attempt == 2 or not self.owned or not isinstance(exc, ConnectionError):
                    log.warning("the warm LibreOffice did not answer (%s); converting cold", exc)
                    return False
        if answer.get("error") == "timeout":
            raise launcher.OfficeTimeout(timeout)
        if answer.get("error"):
            log.warning("the warm LibreOffice could not convert %s: %s", src.name, answer["error"])
        return True     # made, or not made from this file: the caller judges the missing result


class TimedConverter:
    """A WarmConverter with the timeout launcher.converter() was asked for (the Converter protocol)."""

    def __init__(self, warm: WarmConverter, timeout: float, env: Mapping[str, str] | None = None):
        self.warm, self.timeout, self.env = warm, timeout, env

    def convert(self, src: Path, fmt: str, outdir: Path) -> Path:
        return self.warm.convert(src, fmt, outdir, self.timeout, self.env)

    def convert_many(self, sources: Sequence[Path], fmt: str, outdir: Path) -> list[Path]:
        return self.warm.convert_many(sources, fmt, outdir, self.timeout, self.env)


# --- the one in use in this process --------------------------------------------------------------------
_installed: WarmConverter | None = None


def install(converter: WarmConverter | None) -> None:
    """Make `converter` the one launcher.converter() hands out in this process (None: cold again)."""
    global _installed
    _installed = converter


def installed() -> WarmConverter | None:
    return _installed


# --- a workspace's warm LibreOffice: its state file ----------------------------------------------------
STATE_FILE = "office.json"


def read_state(folder: Path) -> tuple[Endpoint, dict] | None:
    """The worker recorded in `folder` (the workspace's private folder), or None. A record whose
    process is gone, or that cannot be read, is removed: stale state is never trusted."""
    path = Path(folder) / STATE_FILE
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        endpoint = Endpoint(int(saved["port"]), str(saved["token"]), int(saved["pid"]))
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        _unlink(path)
        return None
    if not alive(endpoint.pid) or not is_worker(endpoint.pid):
        _unlink(path)
        return None
    return endpoint, saved


def write_state(folder: Path, endpoint: Endpoint, owner: str) -> None:
    from bulletin.store.atomic import atomic_write

    record = {"pid": endpoint.pid, "port": endpoint.port, "token": endpoint.token, "owner": owner,
              "started": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    path = Path(folder) / STATE_FILE
    atomic_write(path, json.dumps(record, indent=1) + "\n")
    os.chmod(path, 0o600)


def remove_state(folder: Path, endpoint: Endpoint) -> None:
    """Remove the record of `endpoint` (and not a newer one another process wrote since)."""
    found = read_state(folder)
    if found is not None and found[0].pid == endpoint.pid and found[0].port == endpoint.port:
        _unlink(Path(folder) / STATE_FILE)


def _unlink(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
