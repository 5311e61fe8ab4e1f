"""A command that is interrupted — an exception, Ctrl-C or SIGKILL at any moment — leaves the workspace as
it was: every file byte for byte, no temporary file behind, never a half-made issue."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from robustness_support import (
    ARTICLE,
    cli,
    cli_env,
    make_workspace,
    snapshot,
    temp_leftovers,
)

from bulletin.commands import add as add_cmd
from bulletin.commands import check as check_cmd
from bulletin.commands import new as new_cmd
from bulletin.commands import publish as publish_cmd
from bulletin.commands import render as render_cmd
from bulletin.render.docx.writer import DocxWriter
from bulletin.store.workspace import Workspace

INTERRUPTIONS = [KeyboardInterrupt, OSError(28, "No space left on device")]


@pytest.fixture
def root(tmp_path) -> Path:
    return make_workspace(tmp_path / "ws")


def fail_on_call(monkeypatch, owner, name: str, exc, nth: int = 1) -> list[int]:
    """Make `owner.name` raise `exc` on its nth call (earlier calls go through); returns the call count."""
    real = getattr(owner, name)
    calls = [0]

    def wrapper(*args, **kwargs):
        calls[0] += 1
        if calls[0] == nth:
            raise exc() if isinstance(exc, type) else exc
        return real(*args, **kwargs)
    monkeypatch.setattr(owner, name, wrapper)
    return calls


def unchanged(root: Path, before: dict, ignore=()) -> None:
    """The workspace is as it was, with no temporaries (and no lock files: `ignore` names the files a
    test lets through)."""
    after = snapshot(root)
    for name in ignore:
        before.pop(name, None)
        after.pop(name, None)
    assert temp_leftovers(root) == []
    added = sorted(set(after) - set(before))
    removed = sorted(set(before) - set(after))
    changed = sorted(k for k in set(before) & set(after) if before[k] != after[k])
    assert (added, removed, changed) == ([], [], [])


def _edit_article(root: Path) -> None:
    path = root / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")


# --- render ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("exc", INTERRUPTIONS, ids=["ctrl-c", "disk-full"])
@pytest.mark.parametrize("where", ["os.replace", "os.fsync", "writer"])
def test_interrupted_render_keeps_the_previous_output(root, monkeypatch, exc, where):
    first = render_cmd.render(Workspace(root), "10")  # an earlier output that must survive intact
    _edit_article(root)
    before = snapshot(root)
    if where == "writer":  # midway through the document: after the first article's paragraphs
        fail_on_call(monkeypatch, DocxWriter, "tail", exc)
    else:
        fail_on_call(monkeypatch, os, where.split(".")[1], exc)
    with pytest.raises(type(exc) if not isinstance(exc, type) else exc):
        render_cmd.render(Workspace(root), "10")
    unchanged(root, before)
    assert first.path.read_bytes() == before[first.path.relative_to(root).as_posix()]


@pytest.mark.parametrize("exc", INTERRUPTIONS, ids=["ctrl-c", "disk-full"])
def test_interrupted_first_render_writes_no_file(root, monkeypatch, exc):
    (root / "build").mkdir()
    before = snapshot(root)
    fail_on_call(monkeypatch, os, "replace", exc)
    with pytest.raises(type(exc) if not isinstance(exc, type) else exc):
        render_cmd.render(Workspace(root), "10")
    unchanged(root, before)


# --- new -------------------------------------------------------------------------------------------

NEW_POINTS = {  # where `new` is cut: (os function, nth call)
    "writing issue.yaml": ("fsync", 1),           # the lock writes no file: the first fsync is issue.yaml's
    "renaming the folder": ("rename", 1),
    # call 1 is filelock making sure the lock's folder (the workspace) exists, call 2 issues/2026's
    "making the temporary folder": ("mkdir", 3),
}


@pytest.mark.parametrize("exc", INTERRUPTIONS, ids=["ctrl-c", "disk-full"])
@pytest.mark.parametrize("point", list(NEW_POINTS))
def test_interrupted_new_creates_no_issue(root, monkeypatch, exc, point):
    import datetime as dt

    before = snapshot(root)
    name, nth = NEW_POINTS[point]
    fail_on_call(monkeypatch, os, name, exc, nth)
    with pytest.raises(type(exc) if not isinstance(exc, type) else exc):
        new_cmd.new_issue(Workspace(root), dt.date(2026, 12, 1))
    monkeypatch.undo()
    unchanged(root, before)
    # and the number is still free: the next `new` takes 11
    assert new_cmd.new_issue(Workspace(root), dt.date(2026, 12, 1)).key.number == 11


def test_interrupted_new_in_a_new_year_leaves_nothing(root, monkeypatch):
    import datetime as dt

    before = snapshot(root)
    fail_on_call(monkeypatch, os, "rename", KeyboardInterrupt)
    with pytest.raises(KeyboardInterrupt):
        new_cmd.new_issue(Workspace(root), dt.date(2027, 1, 5))
    unchanged(root, before)


# --- commands that write twice ---------------------------------------------------------------------

def test_interrupted_publish_changes_nothing(root, monkeypatch):
    before = snapshot(root)
    fail_on_call(monkeypatch, os, "replace", OSError(28, "No space left on device"), nth=2)
    with pytest.raises(OSError):
        publish_cmd.publish(Workspace(root), "10")
    unchanged(root, before)


def test_interrupted_add_changes_nothing(root, tmp_path, monkeypatch):
    new = tmp_path / "新稿件.md"
    new.write_text("---\ntitle: 新稿件\n---\n正文。\n", encoding="utf-8")
    before = snapshot(root)
    fail_on_call(monkeypatch, os, "replace", KeyboardInterrupt, nth=2)
    with pytest.raises(KeyboardInterrupt):
        add_cmd.add_articles(Workspace(root), "10", [new])
    unchanged(root, before)


# --- SIGKILL ---------------------------------------------------------------------------------------

def _issue_folders(root: Path) -> tuple[list[Path], list[Path]]:
    """(issue folders, hidden leftovers) under issues/<year>/."""
    folders, hidden = [], []
    for year in (root / "issues").iterdir():
        if not year.is_dir():
            continue
        for folder in year.iterdir():
            (hidden if folder.name.startswith(".") else folders).append(folder)
    return folders, hidden


def assert_no_half_made_issue(root: Path) -> list[Path]:
    """Every issue folder is complete (issue.yaml parses and validates) and check finds no error;
    returns the hidden temporary folders a kill left (ignored by every command)."""
    folders, hidden = _issue_folders(root)
    ws = Workspace(root)
    for folder in folders:
        assert (folder / "issue.yaml").is_file(), f"half-made issue {folder}"
    keys = ws.issue_keys()
    assert {ws.issue_dir(k) for k in keys} == set(folders)
    for key in keys:
        ws.load_issue(key)  # raises BulletinError on a truncated or empty issue.yaml
    errors = [d for d in check_cmd.check(ws) if d.severity == "error"]
    assert errors == [], errors
    return hidden


KILLER = textwrap.dedent("""\
    import os, signal, sys, tempfile
    point, workspace = sys.argv[1], sys.argv[2]
    def die():
        os.kill(os.getpid(), signal.SIGKILL)
    real = {"mkdtemp": tempfile.mkdtemp, "rename": os.rename, "fsync": os.fsync}
    fsyncs = [0]
    def mkdtemp(*a, **k):
        path = real["mkdtemp"](*a, **k)
        die()
    def rename(src, dst):
        if point == "after rename":
            real["rename"](src, dst)
        die()
    def fsync(fd):
        fsyncs[0] += 1
        if fsyncs[0] == 1 and point == "before issue.yaml fsync":
            die()
        real["fsync"](fd)
    if point == "after mkdtemp":
        tempfile.mkdtemp = mkdtemp
    if point in ("before rename", "after rename"):
        os.rename = rename
    if point == "before issue.yaml fsync":
        os.fsync = fsync
    sys.argv = ["bulletin", "--workspace", workspace, "new", "--date", "2026-12-01"]
    from bulletin.cli import main
    main()
""")


@pytest.mark.parametrize("point", ["after mkdtemp", "before issue.yaml fsync", "before rename", "after rename"])
def test_new_killed_inside_its_critical_section(root, point):
    """SIGKILL at exact points of `new` (no cleanup handler runs): no half-made issue, ever."""
    before = {f.name for f in _issue_folders(root)[0]}
    done = subprocess.run([sys.executable, "-c", KILLER, point, str(root)], capture_output=True, text=True,
                          env=cli_env(), timeout=60)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert_no_half_made_issue(root)
    after = {f.name for f in _issue_folders(root)[0]}
    assert after - before == ({"11"} if point == "after rename" else set())


def test_new_killed_at_random_moments(root):
    """`bulletin new` SIGKILLed after a random delay, again and again: each time the workspace holds no
    new issue or a complete one, check passes, and a final `new` still numbers consecutively."""
    cmd = [sys.executable, "-m", "bulletin.cli", "--workspace", str(root), "new", "--date", "2026-12-01"]
    start = time.monotonic()
    done = subprocess.run(cmd, capture_output=True, text=True, env=cli_env(), timeout=60)
    full = time.monotonic() - start  # how long a whole `new` takes here, to aim the kills
    assert done.returncode == 0, done.stderr
    rng = random.Random(20261201)
    delays = [rng.uniform(0, 0.15) for _ in range(3)] + [rng.uniform(0.6 * full, 1.1 * full) for _ in range(9)]
    for delay in delays:
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=cli_env())
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        assert b"Traceback" not in err
        assert_no_half_made_issue(root)
    done = cli(root, "new", "--date", "2026-12-01")
    assert done.returncode == 0, done.stderr
    numbers = sorted(k.number for k in Workspace(root).issue_keys())
    assert numbers == list(range(10, 10 + len(numbers)))
    checked = cli(root, "check")
    assert checked.returncode == 0 and "Traceback" not in checked.stderr, checked.stderr
