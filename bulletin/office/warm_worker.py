"""The warm LibreOffice's worker: run by the Python that has LibreOffice's `uno` module (Debian's
python3-uno, i.e. /usr/bin/python3), never imported by bulletin itself.

It keeps one soffice running, connected over UNO through a named pipe (a local socket: nothing on the
network reaches LibreOffice), and answers XML-RPC on 127.0.0.1 at a port the system picks. Every call
carries the random token the starter gave it on stdin, so another local program that finds the port
converts nothing. Only the standard library and uno: this file runs outside bulletin's virtualenv.

Start: `python3 warm_worker.py` with one JSON line on stdin: {"token", "soffice", "profile_settings",
"max_conversions", "watch_stdin"}. When ready it prints one JSON line: {"port", "pid", "soffice_pid"}.
With watch_stdin it ends itself (and its soffice) when stdin closes: the starter died.

Calls (token first):
    ping()                                  → {"pid", "soffice_pid", "conversions", "restarts"}
    convert(src, out, filter, data, timeout) → {"made": bool, "error": str}; "timeout" when it did not
                                              finish: soffice was killed and started again
    stop()                                  → True, then the worker ends with its soffice
One conversion at a time (a lock); ping answers during a conversion. Restarts soffice when it dies,
after a timeout, and after `max_conversions` conversions.
"""
from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from socketserver import ThreadingMixIn
from xmlrpc.server import SimpleXMLRPCRequestHandler, SimpleXMLRPCServer

import uno  # noqa: E402  (LibreOffice's; the reason this file runs under the system's Python)
from com.sun.star.beans import PropertyValue  # noqa: E402

CONNECT_TIMEOUT = 60.0   # seconds for a fresh soffice to accept the UNO connection


def _prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def _typed(kind: str, value):
    """A FilterData value from the --convert-to JSON form ({"type": "boolean", "value": "false"})."""
    kind = kind.lower()
    if kind == "boolean":
        return value if isinstance(value, bool) else str(value).lower() == "true"
    if kind in ("long", "short", "int", "integer"):
        return int(value)
    if kind in ("double", "float"):
        return float(value)
    return str(value)


class Office:
    """One soffice with a private profile and the UNO desktop connected to it."""

    def __init__(self, soffice: str, profile_settings: str, max_conversions: int):
        self.soffice = soffice
        self.profile_settings = profile_settings
        self.max_conversions = max_conversions
        self.lock = threading.Lock()        # one conversion (or restart) at a time
        self.process = None
        self.desktop = None
        self.profile = None
        self.conversions = 0                # since the last start
        self.restarts = 0
        self.stopping = False

    # --- starting and stopping -------------------------------------------------------------------
    def start(self) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="bulletin-warm-"))
        user = self.profile / "user"
        user.mkdir()
        (user / "registrymodifications.xcu").write_text(self.profile_settings, encoding="utf-8")
        pipe = "bulletin-" + secrets.token_hex(8)
        cmd = [self.soffice, f"-env:UserInstallation={self.profile.as_uri()}", "--headless", "--invisible",
               "--nocrashreport", "--nodefault", "--nologo", "--nofirststartwizard", "--norestore",
               f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"]
        self.process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)   # in the worker's process group
        self.conversions = 0
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + CONNECT_TIMEOUT
        while True:
            try:
                context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.kill()
                    raise RuntimeError("LibreOffice did not accept the UNO connection")
                time.sleep(0.1)
        self.desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
        watched = self.process
        threading.Thread(target=self._watch, args=(watched,), daemon=True).start()

    def kill(self) -> None:
        """End soffice (and whatever it started) and throw its profile away."""
        process, self.process, self.desktop = self.process, None, None
        if process is not None:
            _kill_tree(process)
        if self.profile is not None:
            shutil.rmtree(self.profile, ignore_errors=True)
            self.profile = None

    def restart(self) -> None:
        self.kill()
        self.restarts += 1
        self.start()

    def _watch(self, process) -> None:
        """Start soffice again when it dies on its own (killed, crashed), so the next call finds it up."""
        process.wait()
        time.sleep(0.05)
        with self.lock:
            if self.stopping or process is not self.process:
                return          # stopped or restarted on purpose
            try:
                self.restart()
            except Exception as exc:
                log(f"LibreOffice could not be started again: {exc}")

    # --- converting -------------------------------------------------------------------------------
    def convert(self, src: str, out: str, filter_name: str, data: list, timeout: float) -> dict:
        with self.lock:
            if self.process is None or self.process.poll() is not None or \
                    (self.max_conversions and self.conversions >= self.max_conversions):
                self.restart()          # dead, or due (when the eager restart below has not run yet)
            try:
                result = self._convert_timed(src, out, filter_name, data, timeout)
                if result["error"] and result["error"] != "timeout" and self.process.poll() is not None:
                    self.restart()                   # it died under this document: once more, fresh
                    result = self._convert_timed(src, out, filter_name, data, timeout)
            finally:
                self.conversions += 1
                if self.process is None or self.process.poll() is not None:
                    self.restart()
                elif self.max_conversions and self.conversions >= self.max_conversions:
                    threading.Thread(target=self._restart_locked, daemon=True).start()
            return result

    def _restart_locked(self) -> None:
        with self.lock:
            if not self.stopping and self.conversions >= self.max_conversions:
                self.restart()

    def _convert_timed(self, src, out, filter_name, data, timeout) -> dict:
        expired = threading.Event()
        process = self.process

        def expire():
            expired.set()
            _kill_tree(process)         # the UNO call in progress then fails at once

        timer = threading.Timer(timeout, expire)
        timer.start()
        try:
            self._convert(src, out, filter_name, data)
            return {"made": os.path.isfile(out), "error": ""}
        except Exception as exc:
            if expired.is_set():
                self.restart()
                return {"made": False, "error": "timeout"}
            return {"made": False, "error": f"{type(exc).__name__}: {exc}"}
        finally:
            timer.cancel()

    def _convert(self, src, out, filter_name, data) -> None:
        load = (_prop("Hidden", True), _prop("ReadOnly", True), _prop("MacroExecutionMode", 0),
                _prop("UpdateDocMode", 0))   # macros never run; links are never updated
        document = self.desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, load)
        if document is None:
            raise RuntimeError("LibreOffice could not open the file")
        try:
            store = [_prop("FilterName", filter_name), _prop("Overwrite", True)]
            if data:
                values = tuple(_prop(name, _typed(kind, value)) for name, kind, value in data)
                store.append(_prop("FilterData", uno.Any("[]com.sun.star.beans.PropertyValue", values)))
            document.storeToURL(uno.systemPathToFileUrl(out), tuple(store))
        finally:
            try:
                document.close(True)
            except Exception:
                try:
                    document.dispose()
                except Exception:
                    pass


def _descendants(pid: int) -> list[int]:
    """The processes `pid` started, and theirs (Linux: /proc; elsewhere none are found)."""
    found = []
    for task in Path(f"/proc/{pid}/task").glob("*") if os.path.isdir(f"/proc/{pid}/task") else ():
        try:
            children = [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
        for child in children:
            found += [child, *_descendants(child)]
    return found


def _kill_tree(process) -> None:
    """End soffice and what it started: Debian's soffice is a shell script that runs oosplash, which
    runs soffice.bin, so killing the first alone would leave LibreOffice running."""
    if process.poll() is not None:
        return          # already ended and reaped: its pid may be another process's by now
    for pid in [*_descendants(process.pid), process.pid]:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
    process.wait()


def log(message: str) -> None:
    print(f"bulletin warm LibreOffice: {message}", file=sys.stderr, flush=True)


class _Server(ThreadingMixIn, SimpleXMLRPCServer):
    daemon_threads = True


class _Quiet(SimpleXMLRPCRequestHandler):
    def log_message(self, *args):   # no line per call on the starter's terminal
        pass


def main() -> int:
    config = json.loads(sys.stdin.readline())
    token = config["token"]
    office = Office(config["soffice"], config["profile_settings"], int(config.get("max_conversions") or 0))
    server = _Server(("127.0.0.1", 0), requestHandler=_Quiet, allow_none=True, logRequests=False)

    def stop_all(*_args):
        office.stopping = True
        office.kill()
        os._exit(0)

    def checked(function):
        def call(given, *args):
            if not secrets.compare_digest(str(given), token):
                raise PermissionError("wrong token")
            return function(*args)
        return call

    def ping():
        process = office.process
        return {"pid": os.getpid(), "soffice_pid": process.pid if process else 0,
                "conversions": office.conversions, "restarts": office.restarts}

    def stop():
        threading.Timer(0.1, stop_all).start()
        return True

    server.register_function(checked(ping), "ping")
    server.register_function(checked(office.convert), "convert")
    server.register_function(checked(stop), "stop")
    for name in ("SIGTERM", "SIGINT", "SIGHUP"):      # SIGHUP: not on Windows
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop_all)
    try:
        office.start()
    except Exception as exc:
        print(json.dumps({"error": str(exc)}), flush=True)
        return 1
    if config.get("watch_stdin"):
        def watch():
            sys.stdin.read()        # returns when the starter's end of the pipe closes
            stop_all()
        threading.Thread(target=watch, daemon=True).start()
    print(json.dumps({"port": server.server_address[1], "pid": os.getpid(),
                      "soffice_pid": office.process.pid}), flush=True)
    sys.stdout.close()
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    try:
        server.serve_forever()
    finally:
        stop_all()
    return 0


if __name__ == "__main__":
    sys.exit(main())
