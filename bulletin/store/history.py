"""The workspace's history in git, through the git command line: is the workspace a repository, commit
the files a change touched (and only those), the log and the diff of a path, a file as it was.

Every call runs git with a time limit, without hooks (`core.hooksPath=/dev/null`), without the machine's
or the user's git configuration (no signing, no pager, no aliases: the same on every computer) and with
the committer named here, so a server with no git identity set up commits all the same. Paths are
always given after `--` and only inside the workspace; nothing here ever adds everything (`git add -A`).
A failing git is a BulletinError saying so in words, never a traceback."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from bulletin.errors import BulletinError, fail
from bulletin.i18n import _

TIMEOUT = 30.0   # seconds for one git call: a hung git (a lock left by a crash, a network disk) must not hang a page
COMMITTER = ("bulletin", "bulletin@bulletin.invalid")
# What a workspace keeps under version control: the person's work. build/ (made again from these) and
# the private folder .bulletin/ (accounts, sessions, the warm LibreOffice's token) never are.
CONTENT = ("issues", "recipients.yaml", "bulletin.toml", "templates", "submissions")  # submissions/: 信息报送
GITIGNORE = "# made again from the sources, or private to this computer\n/build/\n/.bulletin/\n/.bulletin.lock\n/.bulletin.mutex\n"
COMMIT_ID = re.compile(r"^[0-9a-f]{7,40}\Z")
MAX_DIFF_LINES = 4000  # a longer diff is cut (the page says so): a whole converted book in one commit


@dataclass(frozen=True)
class Entry:
    """One commit in a path's history."""

    commit: str   # the full id
    short: str    # the id as people quote it
    author: str
    when: str     # ISO 8601 with the offset, as git records it
    message: str  # the first line


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "del", "hunk", "file", "same", "note"
    text: str


def git_missing_error() -> BulletinError:
    return fail("git", None, _("git is not installed, so the changes cannot be recorded"),
                _("install git (https://git-scm.com), or start the workbench with --no-history"))


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=os.devnull, GIT_TERMINAL_PROMPT="0",
               GIT_COMMITTER_NAME=COMMITTER[0], GIT_COMMITTER_EMAIL=COMMITTER[1], LC_ALL="C", LANGUAGE="C")
    return env


def git(root: Path, *args: str, env: dict | None = None, check: bool = True) -> subprocess.CompletedProcess:
    """`git -C root args…` with the settings above; BulletinError (in words) when git is missing,
    takes too long or fails (with `check`)."""
    exe = shutil.which("git")
    if exe is None:
        raise git_missing_error()
    command = [exe, "-C", str(root), "-c", "core.hooksPath=" + os.devnull, "-c", "commit.gpgSign=false",
               "-c", "core.quotePath=false", "-c", "core.autocrlf=false", "-c", "log.showSignature=false",
               "-c", "diff.noprefix=false", "-c", "safe.directory=" + str(root), *args]
    try:
        done = subprocess.run(command, capture_output=True, env={**_environment(), **(env or {})},
                              timeout=TIMEOUT, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise fail(root, None, _("git did not answer within {seconds} seconds ({command})").format(
            seconds=int(TIMEOUT), command="git " + args[0]),
            _("check that no other git is running in the workspace and that .git/index.lock is not left over")) from None
    except OSError as exc:
        raise fail(root, None, _("git cannot be run ({reason})").format(reason=exc.strerror or exc),
                   _("check the git installation")) from None
    if check and done.returncode != 0:
        said = (done.stderr or done.stdout).decode("utf-8", "replace").strip().splitlines()
        raise fail(root, None, _("git {command} failed: {reason}").format(
            command=args[0], reason=said[-1] if said else done.returncode),
            _("look at the workspace with git status; nothing of the change was lost"))
    return done


def installed() -> bool:
    return shutil.which("git") is not None


# What store.atomic leaves beside a file when the process writing it is killed in between (its
# temporary `.NAME.xxxxxxxx.tmp`, the old file's second name `.NAME.xxxxxxxx.old`): git is told to pass
# over them in the repository's own exclude file (never the office's .gitignore), so git status does not
# show them and no history commit takes one in as a change made outside the workbench.
STORE_LEFTOVERS = (".*.tmp", ".*.old")


def ignore_store_leftovers(root: Path) -> None:
    """STORE_LEFTOVERS in the repository's info/exclude, each once; nothing when it cannot be written
    (the history works as before)."""
    try:
        done = git(root, "rev-parse", "--git-path", "info/exclude", check=False)
    except BulletinError:
        return
    if done.returncode != 0:
        return
    exclude = Path(done.stdout.decode("utf-8", "surrogateescape").strip())
    exclude = exclude if exclude.is_absolute() else root / exclude
    try:
        text = exclude.read_text(encoding="utf-8", errors="surrogateescape") if exclude.exists() else ""
        missing = [p for p in STORE_LEFTOVERS if p not in text.splitlines()]
        if missing:
            exclude.parent.mkdir(parents=True, exist_ok=True)
            with open(exclude, "a", encoding="utf-8", errors="surrogateescape") as out:
                out.write(("" if not text or text.endswith("\n") else "\n") + "".join(f"{p}\n" for p in missing))
    except OSError:
        return


def is_repository(root: Path) -> bool:
    """Is the workspace folder in a git work tree (its own or one around it)? False without git."""
    if not installed():
        return False
    try:
        done = git(root, "rev-parse", "--is-inside-work-tree", check=False)
    except BulletinError:
        return False
    return done.returncode == 0 and done.stdout.strip() == b"true"


def _prefix(root: Path) -> str:
    """The workspace's folder inside its repository ("" at the top, else "sub/dir/")."""
    return git(root, "rev-parse", "--show-prefix").stdout.decode("utf-8").strip()


def _inside(root: Path, rel: str) -> str:
    """`rel` (relative to the workspace) checked to stay inside it; the same string."""
    path = (root / rel).resolve()
    if rel.startswith(("/", "-")) or ".." in Path(rel).parts or not path.is_relative_to(root.resolve()):
        raise fail(rel, None, _("the path is not inside the workspace"))
    return rel


def changed(root: Path, paths=CONTENT) -> list[str]:
    """The files under `paths` (workspace-relative) that differ from the last commit, new ones
    included (not those git ignores); workspace-relative, sorted."""
    done = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--",
               *[_inside(root, p) for p in paths])
    prefix = _prefix(root)
    out = set()
    for record in done.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if len(record) > 3:
            name = record[3:]
            out.add(name[len(prefix):] if prefix and name.startswith(prefix) else name)
    return sorted(out)


def _identity(name: str) -> tuple[str, str]:
    """A person's name as a commit's author: no angle brackets or line breaks (git would refuse or
    misread them); an e-mail address that says it is none."""
    shown = re.sub(r"[<>\r\n\t]", " ", name or "").strip() or COMMITTER[0]
    return shown, "bulletin@bulletin.invalid"


def commit(root: Path, paths, message: str, author: str) -> str | None:
    """Commit the files `paths` (workspace-relative; new, changed or removed) as `author` with
    `message`, and nothing else (what else is staged or changed stays as it is); the new commit's id,
    or None when none of them changed."""
    paths = sorted({_inside(root, p) for p in paths})
    if not paths:
        return None
    touched = changed(root, paths)
    if not touched:
        return None
    name, email = _identity(author)
    git(root, "add", "--all", "--", *touched)  # --all with paths: a removed file's removal, those paths only
    git(root, "commit", "--quiet", "--no-verify", "--only", "-m", message, "--", *touched,
        env={"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email})
    return git(root, "rev-parse", "HEAD").stdout.decode().strip()


def log(root: Path, path: str, limit: int = 200) -> list[Entry]:
    """The commits that changed `path` (a file or a folder, workspace-relative), newest first."""
    done = git(root, "log", f"--max-count={int(limit)}", "--format=%H%x1f%h%x1f%an%x1f%aI%x1f%s%x1e",
               "--", _inside(root, path), check=False)
    if done.returncode != 0:  # a repository without a commit yet has no history
        return []
    entries = []
    for record in done.stdout.decode("utf-8", "replace").split("\x1e"):
        fields = record.strip("\n").split("\x1f")
        if len(fields) == 5:
            entries.append(Entry(*fields))
    return entries


def log_with_diffs(root: Path, path: str, limit: int = 100) -> list[tuple[Entry, list[DiffLine], bool]]:
    """The commits that changed `path`, newest first, each with what it changed there (one git call)."""
    done = git(root, "log", f"--max-count={int(limit)}", "--format=%x1e%H%x1f%h%x1f%an%x1f%aI%x1f%s", "-p",
               "--no-color", "--no-ext-diff", "--unified=3", "--relative", "--", _inside(root, path), check=False)
    if done.returncode != 0:
        return []
    out = []
    for record in done.stdout.decode("utf-8", "replace").split("\x1e")[1:]:
        head, _sep, body = record.partition("\n")
        fields = head.split("\x1f")
        if len(fields) != 5:
            continue
        lines = [DiffLine(_kind(line), line) for line in body.strip("\n").splitlines()]
        out.append((Entry(*fields), lines[:MAX_DIFF_LINES], len(lines) > MAX_DIFF_LINES))
    return out


def diff(root: Path, commit_id: str, path: str) -> tuple[list[DiffLine], bool]:
    """What commit `commit_id` changed in `path`, line by line; and whether it was cut short."""
    _check_id(commit_id)
    done = git(root, "show", "--format=", "--no-color", "--no-ext-diff", "--unified=3", "--relative",
               commit_id, "--", _inside(root, path))
    lines, cut = [], False
    for i, line in enumerate(done.stdout.decode("utf-8", "replace").splitlines()):
        if i >= MAX_DIFF_LINES:
            cut = True
            break
        lines.append(DiffLine(_kind(line), line))
    return lines, cut


def _kind(line: str) -> str:
    if line.startswith(("+++", "---", "diff --git", "index ", "new file", "deleted file", "similarity", "rename ")):
        return "file"
    if line.startswith("@@"):
        return "hunk"
    if line.startswith("+"):
        return "add"
    if line.startswith("-"):
        return "del"
    if line.startswith("Binary files"):
        return "note"
    return "same"


def _check_id(commit_id: str) -> None:
    if not COMMIT_ID.match(commit_id or ""):
        raise fail("commit", None, _("“{value}” is not a version's id").format(value=commit_id))


def file_at(root: Path, commit_id: str, path: str) -> bytes | None:
    """The file `path` (workspace-relative) as it was at `commit_id`; None when it did not exist then."""
    _check_id(commit_id)
    prefix = _prefix(root)
    done = git(root, "show", f"{commit_id}:{prefix}{_inside(root, path)}", check=False)
    return done.stdout if done.returncode == 0 else None


def files_at(root: Path, commit_id: str, folder: str) -> list[str]:
    """The files under `folder` (workspace-relative) at `commit_id`, workspace-relative."""
    _check_id(commit_id)
    done = git(root, "ls-tree", "-r", "-z", "--name-only", "--full-tree", commit_id, "--",
               _prefix(root) + _inside(root, folder))
    prefix = _prefix(root)
    return sorted(n[len(prefix):] for n in done.stdout.decode("utf-8", "surrogateescape").split("\0") if n)
