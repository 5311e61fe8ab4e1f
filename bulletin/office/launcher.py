"""LibreOffice as a converter: the one place that finds it, starts it and stops it.

Both `.doc`/`.wps` import and PDF export go through here. Every start gets a private, throw-away
profile with macros off and links from untrusted documents blocked (a stranger's file runs none of
its code), runs in its own process group, and is ended with everything it started when it does not
finish in time.

`Converter` is what callers use; `ColdConverter` starts LibreOffice for each call; warm.WarmConverter
keeps one running (the workbench, `bulletin office start`), and `converter()` chooses between them.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Mapping, Protocol, Sequence

from bulletin.errors import fail
from bulletin.i18n import N_

DEFAULT_TIMEOUT = 180.0

# Where installers put soffice when it is not on PATH (the Windows and macOS installers never add it).
WINDOWS_CANDIDATES = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
)
MACOS_CANDIDATES = ("/Applications/LibreOffice.app/Contents/MacOS/soffice",)

# Marked for the catalog; translate where shown: _(INSTALL_HINT).
INSTALL_HINT = N_("install LibreOffice (Debian: apt-get install libreoffice-writer-nogui; "
                  "Windows and macOS: libreoffice.org)")

# Macros off, links from untrusted documents blocked: converting a stranger's file runs none of its
# code and fetches nothing it links to.
PROFILE_SETTINGS = """\
<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" oor:op="fuse"><value>true</value></prop></item>
</oor:items>
"""


class OfficeMissing(Exception):
    """LibreOffice is not installed (callers turn it into their own message)."""


class OfficeTimeout(Exception):
    """LibreOffice did not finish in time; it and everything it started were ended."""

    def __init__(self, timeout: float):
        super().__init__(timeout)
        self.timeout = timeout


def find_soffice() -> str | None:
    """The LibreOffice executable, or None: `soffice` or `libreoffice` on PATH, else where the
    Windows or macOS installer puts it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    candidates = (WINDOWS_CANDIDATES if sys.platform == "win32"
                  else MACOS_CANDIDATES if sys.platform == "darwin" else ())
    for candidate in candidates:
        if os.path.isfile(candidate):
            return candidate
    return None


def require_soffice(shown: str | os.PathLike, message: str, hint: str) -> str:
    """The LibreOffice executable; a BulletinError at `shown` with `message` and `hint` without it."""
    exe = find_soffice()
    if exe is None:
        raise fail(shown, None, message, hint)
    return exe


class Converter(Protocol):
    """Turns documents into another format with LibreOffice."""

    def convert(self, src: Path, fmt: str, outdir: Path) -> Path:
        """`src` converted to `fmt` (a --convert-to argument, e.g. "pdf" or "docx:MS Word 2007 XML")
        in `outdir`; returns the file made. OfficeMissing, OfficeTimeout; a missing result is the
        caller's to judge (the returned path may not exist)."""
        ...

    def convert_many(self, sources: Sequence[Path], fmt: str, outdir: Path) -> list[Path]:
        """Several files in one go (one LibreOffice start for a cold converter)."""
        ...


class ColdConverter:
    """Starts LibreOffice for each call, with a private profile, in its own process group."""

    def __init__(self, timeout: float = DEFAULT_TIMEOUT, env: Mapping[str, str] | None = None,
                 exe: str | None = None):
        self.timeout = timeout
        self.env = dict(env) if env is not None else None
        self.exe = exe

    def convert(self, src: Path, fmt: str, outdir: Path) -> Path:
        return self.convert_many([src], fmt, outdir)[0]

    def convert_many(self, sources: Sequence[Path], fmt: str, outdir: Path) -> list[Path]:
        exe = self.exe or find_soffice()
        if exe is None:
            raise OfficeMissing()
        outdir = Path(outdir)
        with tempfile.TemporaryDirectory(prefix="bulletin-lo-") as tmp:
            profile = Path(tmp) / "profile"
            (profile / "user").mkdir(parents=True)
            (profile / "user" / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")
            cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
                   "--convert-to", fmt, "--outdir", str(outdir), *[str(s) for s in sources]]
            run(cmd, self.timeout, self.env)
        ext = fmt.split(":", 1)[0]
        return [outdir / f"{Path(s).stem}.{ext}" for s in sources]


def run(cmd: list[str], timeout: float, env: Mapping[str, str] | None = None) -> None:
    """Run `cmd` in its own process group; OfficeTimeout after `timeout` seconds, with the group ended;
    the group is ended too when waiting is interrupted (Ctrl-C)."""
    options = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if sys.platform == "win32" \
        else {"start_new_session": True}
    process = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env=dict(env) if env is not None else None, **options)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        stop(process)
        raise OfficeTimeout(timeout) from None
    except BaseException:
        stop(process)
        raise


def stop(process: subprocess.Popen) -> None:
    """End the LibreOffice we started and whatever it started (its own process group)."""
    if sys.platform == "win32":
        subprocess.run(["taskkill", "/F", "/T", "/PID", str(process.pid)], capture_output=True, check=False)
    else:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except OSError:
            pass
    process.wait()


def converter(timeout: float = DEFAULT_TIMEOUT, env: Mapping[str, str] | None = None) -> Converter:
    """The converter to use: the warm LibreOffice installed for this process (the workbench's, or the
    workspace's `bulletin office start` one for `render --pdf`; see warm.install), else one that starts
    LibreOffice per call. A warm one keeps the environment it was started with."""
    from bulletin.office import warm

    current = warm.installed()
    return current.timed(timeout, env) if current is not None else ColdConverter(timeout, env)
