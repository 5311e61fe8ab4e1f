"""bulletin.store.workspace: finding the workspace, issue references, atomic writes, the lock."""
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin.store import workspace as ws
from bulletin.errors import BulletinError
from bulletin.model.keys import IssueKey, parse_folder_name, parse_issue_ref
from bulletin.store.atomic import atomic_write, atomic_write_many
from bulletin.store.workspace import Workspace, find_root

CONFIG = '[series]\nname = "政务公开工作简报"\neditor = "办公室"\n'


@pytest.fixture
def no_env(monkeypatch):
    monkeypatch.delenv("BULLETIN_WORKSPACE", raising=False)


@pytest.fixture
def root(tmp_path):
    r = tmp_path / "ws"
    r.mkdir()
    (r / "bulletin.toml").write_text(CONFIG, encoding="utf-8")
    return r


# --- find_root -----------------------------------------------------------------------------------------


def test_find_root_from_nested_folder(root, no_env):
    nested = root / "issues" / "2009" / "10"
    nested.mkdir(parents=True)
    assert find_root(start=nested) == root.resolve()


def test_find_root_from_cwd(root, no_env, monkeypatch):
    nested = root / "templates"
    nested.mkdir()
    monkeypatch.chdir(nested)
    assert find_root() == root.resolve()


def test_find_root_explicit(root, tmp_path, no_env):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    assert find_root(str(root), start=elsewhere) == root.resolve()
    assert find_root(root, start=elsewhere) == root.resolve()


def test_find_root_explicit_without_config(tmp_path, no_env):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(BulletinError) as ei:
        find_root(str(empty))
    assert "no bulletin.toml" in str(ei.value)


def test_find_root_from_environment(root, tmp_path, monkeypatch):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.setenv("BULLETIN_WORKSPACE", str(root))
    assert find_root(start=elsewhere) == root.resolve()


def test_explicit_beats_environment(root, tmp_path, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    (other / "bulletin.toml").write_text(CONFIG, encoding="utf-8")
    monkeypatch.setenv("BULLETIN_WORKSPACE", str(other))
    assert find_root(str(root)) == root.resolve()


def test_environment_pointing_nowhere(tmp_path, monkeypatch):
    monkeypatch.setenv("BULLETIN_WORKSPACE", str(tmp_path / "missing"))
    with pytest.raises(BulletinError):
        find_root(start=tmp_path)


def test_no_workspace_anywhere(tmp_path, no_env):
    start = tmp_path / "a" / "b"
    start.mkdir(parents=True)
    with pytest.raises(BulletinError) as ei:
        find_root(start=start)
    assert "not inside a bulletin workspace" in str(ei.value)


def test_a_folder_named_bulletin_toml_does_not_count(tmp_path, no_env):
    (tmp_path / "bulletin.toml").mkdir()
    with pytest.raises(BulletinError):
        find_root(start=tmp_path)


# --- issue references and folder names ----------------------------------------------------------------


@pytest.mark.parametrize("ref, expected", [
    ("10", (None, "regular", 10)),
    ("010", (None, "regular", 10)),
    ("2009-10", (2009, "regular", 10)),
    ("2009-S1", (2009, "supplement", 1)),
    ("2009-s2", (2009, "supplement", 2)),
    ("S1", (None, "supplement", 1)),
    ("2010-Z3", (2010, "special", 3)),
    (" 7 ", (None, "regular", 7)),
    # as the issue is printed and as `new` prints it (issue 9, item 16)
    ("第10期", (None, "regular", 10)),
    ("第2期", (None, "regular", 2)),
    ("2026年第10期", (2026, "regular", 10)),
    ("2026-第10期", (2026, "regular", 10)),
    ("增刊第1期", (None, "supplement", 1)),
    ("2026年增刊第1期", (2026, "supplement", 1)),
    ("专刊第1期", (None, "special", 1)),
    ("2026年专刊第2期", (2026, "special", 2)),
    ("第１０期", (None, "regular", 10)),          # full-width digits from an input method
    ("２０２６－１０", (2026, "regular", 10)),
    ("第10期（总第30期）", (None, "regular", 10)),  # the label `new` prints, copied whole
])
def test_parse_issue_ref(ref, expected):
    assert parse_issue_ref(ref) == expected


@pytest.mark.parametrize("ref", ["", "abc", "2009-", "2009-X1", "10.5", "2009-10-01", "S", "-10", "第十期",
                                 "第10", "10期期", "增刊", "2026年", "第0期x", "副刊第1期"])
def test_parse_issue_ref_rejects(ref):
    with pytest.raises(BulletinError) as ei:
        parse_issue_ref(ref)
    assert "does not name an issue" in str(ei.value)


@pytest.mark.parametrize("name, expected", [
    ("10", ("regular", 10)), ("03", ("regular", 3)), ("010", ("regular", 10)),
    ("S1", ("supplement", 1)), ("Z2", ("special", 2)),
    ("draft", None), ("s1", None), ("1a", None), ("1000", None), ("", None),
])
def test_parse_folder_name(name, expected):
    assert parse_folder_name(name) == expected


def test_issue_key_paths():
    assert IssueKey(2009, "regular", 3).relpath == "issues/2009/03"
    assert IssueKey(2009, "regular", 12).folder_name == "12"
    assert IssueKey(2009, "supplement", 1).relpath == "issues/2009/S1"
    assert IssueKey(2009, "special", 2).folder_name == "Z2"
    assert str(IssueKey(2009, "regular", 3)) == "2009-3"
    assert str(IssueKey(2009, "supplement", 1)) == "2009-S1"


def test_issue_key_string_parses_back():
    for key in (IssueKey(2009, "regular", 3), IssueKey(2010, "supplement", 2), IssueKey(2011, "special", 1)):
        year, kind, number = parse_issue_ref(str(key))
        assert IssueKey(year, kind, number) == key


# --- atomic writes --------------------------------------------------------------------------------------


def test_atomic_write_creates_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "sub" / "issue.yaml"
    atomic_write(target, "number: 10\n")
    atomic_write(target, b"number: 11\n")
    assert target.read_bytes() == b"number: 11\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["issue.yaml"]


def test_atomic_write_encodes_utf8(tmp_path):
    target = tmp_path / "a.txt"
    atomic_write(target, "政务公开")
    assert target.read_bytes() == "政务公开".encode("utf-8")


def test_atomic_write_failure_keeps_old_file_and_no_temp(tmp_path):
    target = tmp_path / "a.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(TypeError):
        atomic_write(target, 12345)  # not bytes: the write fails half way
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.txt"]


@pytest.fixture
def umask_022():
    old = os.umask(0o022)
    yield
    os.umask(old)


def test_atomic_write_respects_umask_and_keeps_mode(tmp_path, umask_022):
    new = tmp_path / "new.docx"
    atomic_write(new, b"x")
    assert stat.S_IMODE(new.stat().st_mode) == 0o644
    old = tmp_path / "issue.yaml"
    old.write_text("number: 1\n", encoding="utf-8")
    os.chmod(old, 0o664)
    atomic_write(old, "number: 2\n")
    assert stat.S_IMODE(old.stat().st_mode) == 0o664


def test_atomic_write_many(tmp_path):
    files = {tmp_path / "a.txt": "甲", tmp_path / "d" / "b.bin": b"\x00\x01"}
    atomic_write_many(files)
    assert (tmp_path / "a.txt").read_text(encoding="utf-8") == "甲"
    assert (tmp_path / "d" / "b.bin").read_bytes() == b"\x00\x01"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a.txt", "b.bin", "d"]


def test_atomic_write_many_failure_writes_nothing(tmp_path):
    first, second = tmp_path / "a.txt", tmp_path / "b.txt"
    with pytest.raises(TypeError):
        atomic_write_many({first: "甲", second: 123})
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("exc", [KeyboardInterrupt, OSError(28, "No space left on device")])
def test_atomic_write_many_rolls_back_when_a_later_rename_fails(tmp_path, monkeypatch, exc):
    old, new = tmp_path / "issue.yaml", tmp_path / "article.md"
    old.write_text("旧", encoding="utf-8")
    real, calls = os.replace, [0]

    def replace(src, dst):
        calls[0] += 1
        if calls[0] == 2:  # the first file is already in place
            raise exc
        return real(src, dst)
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(type(exc) if not isinstance(exc, type) else exc):
        atomic_write_many({old: "新", new: "正文"})
    monkeypatch.undo()
    assert old.read_text(encoding="utf-8") == "旧"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue.yaml"]


# --- the lock -------------------------------------------------------------------------------------------


def test_lock_twice_in_sequence(root):
    w = Workspace(root)
    before = sorted(p.name for p in root.iterdir())
    with w.lock() as notes:
        assert notes == []
        assert (root / ws.LOCK_NAME).read_text() == str(os.getpid())
    with w.lock() as notes:
        assert notes == []
    assert not (root / ws.LOCK_NAME).exists()  # released: the pid marker is gone
    assert sorted(p.name for p in root.iterdir()) == before  # taking the lock made no file


def test_lock_is_released_when_the_body_raises(root):
    w = Workspace(root)
    with pytest.raises(RuntimeError):
        with w.lock():
            raise RuntimeError("boom")
    assert not (root / ws.LOCK_NAME).exists()
    with Workspace(root).lock(timeout=0.1) as notes:
        assert notes == []


def test_lock_left_by_dead_process_gives_stale_note(root):
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    (root / ws.LOCK_NAME).write_text(str(proc.pid))
    with Workspace(root).lock() as notes:
        assert len(notes) == 1
        assert "stale lock" in notes[0]
        assert str(proc.pid) in notes[0]
    with Workspace(root).lock() as notes:
        assert notes == []  # recovered once, then clean


def test_lock_held_elsewhere_times_out(root):
    w = Workspace(root)
    with w.lock():
        with pytest.raises(BulletinError) as ei:
            with Workspace(root).lock(timeout=0.1):
                pass
        assert f"locked by process {os.getpid()}" in str(ei.value)


_KILLED_HOLDER = """
import os, signal, sys
if sys.argv[2] == "no-fcntl":
    sys.modules["fcntl"] = None
from pathlib import Path
from bulletin.store.workspace import Workspace
with Workspace(Path(sys.argv[1])).lock():
    os.kill(os.getpid(), signal.SIGKILL)
"""

_TAKE_LOCK = """
import sys
if sys.argv[2] == "no-fcntl":
    sys.modules["fcntl"] = None
from pathlib import Path
from bulletin.store.workspace import Workspace
with Workspace(Path(sys.argv[1])).lock(timeout=20) as notes:
    print("|".join(notes))
"""


@pytest.mark.parametrize("backend", ["native", "no-fcntl"])
def test_lock_of_a_killed_holder_is_taken_over_reported_once_and_leaves_nothing(root, backend):
    before = sorted(p.name for p in root.iterdir())
    killed = subprocess.run([sys.executable, "-c", _KILLED_HOLDER, str(root), backend])
    assert killed.returncode == -9
    left = sorted(p.name for p in root.iterdir())
    assert ws.LOCK_NAME in left                 # what the killed command left behind
    first = subprocess.run([sys.executable, "-c", _TAKE_LOCK, str(root), backend],
                           capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "stale lock" in first.stdout and first.stderr == ""
    again = subprocess.run([sys.executable, "-c", _TAKE_LOCK, str(root), backend],
                           capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout.strip() == "", again.stderr
    assert sorted(p.name for p in root.iterdir()) == before


def test_lock_file_left_by_a_killed_holder_does_not_block(root):
    (root / ws.MUTEX_NAME).write_text("")  # a flock's file whose holder died (the kernel dropped the lock)
    with Workspace(root).lock(timeout=0.5) as notes:
        assert notes == []
    assert not (root / ws.MUTEX_NAME).exists()


# --- reading validated files -----------------------------------------------------------------------------


def test_series_and_missing_recipients(root):
    w = Workspace(root)
    assert w.series().series.name == "政务公开工作简报"
    assert w.recipients().recipients == []


def test_recipients_problems_raise_with_lines(root):
    (root / "recipients.yaml").write_text(
        "recipients:\n"
        "  - {id: a, name: 甲, role: 报}\n"
        "lists:\n"
        "  default:\n"
        "    - a\n"
        "    - b\n", encoding="utf-8")
    with pytest.raises(BulletinError) as ei:
        Workspace(root).recipients()
    [d] = ei.value.diagnostics
    assert d.path == "recipients.yaml"
    assert d.line == 6
    assert "'b'" in d.message


def _issue(root, folder, text):
    d = root / "issues" / folder
    d.mkdir(parents=True)
    (d / "issue.yaml").write_text(text, encoding="utf-8")


def test_issue_keys_and_resolve(root):
    _issue(root, "2009/11", "number: 11\ntotal: 11\ndate: 2009-11-01\n")
    _issue(root, "2010/01", "number: 1\ntotal: 12\ndate: 2010-01-01\n")
    _issue(root, "2010/S1", "number: 1\nkind: supplement\ndate: 2010-02-01\n")
    (root / "issues" / "2010" / "notes").mkdir()
    (root / "issues" / "2010" / "02").mkdir()  # no issue.yaml: not an issue
    w = Workspace(root)
    assert w.issue_keys() == [IssueKey(2009, "regular", 11), IssueKey(2010, "regular", 1),
                              IssueKey(2010, "supplement", 1)]
    assert w.resolve("1") == IssueKey(2010, "regular", 1)
    assert w.resolve("2010-S1") == IssueKey(2010, "supplement", 1)
    assert w.resolve("第1期") == IssueKey(2010, "regular", 1)
    assert w.resolve("2009年第11期") == IssueKey(2009, "regular", 11)
    assert w.resolve("增刊第1期") == IssueKey(2010, "supplement", 1)
    assert w.resolve("第1期（总第12期）") == IssueKey(2010, "regular", 1)
    with pytest.raises(BulletinError):
        w.resolve("2009-1")
    with pytest.raises(BulletinError) as ei:  # the total names another issue: say so, pick none
        w.resolve("第1期（总第11期）")
    assert "总第12期" in str(ei.value)


def test_a_name_that_is_no_issue_says_how_to_name_one():
    with pytest.raises(BulletinError) as ei:
        parse_issue_ref("第十期")
    assert "第10期" in ei.value.diagnostics[0].hint and "增刊第1期" in ei.value.diagnostics[0].hint


def test_load_issue_problem_has_relative_path_and_line(root):
    _issue(root, "2009/10", "number: 10\ndate: 2009-10-01\nkind: special\n")
    with pytest.raises(BulletinError) as ei:
        Workspace(root).load_issue(IssueKey(2009, "regular", 10))
    [d] = ei.value.diagnostics
    assert d.path == str(Path("issues/2009/10/issue.yaml"))
    assert d.line == 3  # special issue without theme → the 'kind' line


def test_syntax_errors_name_files_relative_to_the_workspace(root):
    (root / "issues" / "2026" / "10").mkdir(parents=True)
    (root / "issues" / "2026" / "10" / "issue.yaml").write_text("number: 10\ndate: 2026-02-30\n", encoding="utf-8")
    w = Workspace(root)
    with pytest.raises(BulletinError) as ei:
        w.load_issue(w.issue_keys()[0])
    assert [(d.path, d.line) for d in ei.value.diagnostics] == [("issues/2026/10/issue.yaml", 2)]


def test_a_reentrant_lock_lets_the_same_thread_take_it_inside_and_no_one_else(root):
    import threading

    w = Workspace(root)
    with w.lock(reentrant=True):
        with Workspace(root).lock(timeout=0.1):   # the change inside the workbench's hold
            pass
        refused = []

        def elsewhere():
            try:
                with Workspace(root).lock(timeout=0.1):
                    pass
            except BulletinError as exc:
                refused.append(exc)

        other = threading.Thread(target=elsewhere)
        other.start()
        other.join()
        assert refused and "locked by process" in str(refused[0])
    with Workspace(root).lock(timeout=0.1):   # released by the outer hold
        pass
    assert not (root / ws.LOCK_NAME).exists()


def test_threads_of_one_process_wait_for_the_lock_asleep_one_after_the_other(root, monkeypatch):
    """The workbench's savers wait for one another without asking the system again and again (filelock
    polls every 20 ms: twenty savers polling held the interpreter from the pages being served); each
    still holds the lock alone, and another process takes it afterwards."""
    import threading
    import time

    from bulletin.store import lock as lock_mod

    native = type(lock_mod._mutex(root / lock_mod.MUTEX_NAME))
    attempts, inside, overlaps = [], [], []
    real_acquire = native._acquire

    def counted(self):
        attempts.append(1)
        return real_acquire(self)

    monkeypatch.setattr(native, "_acquire", counted)

    def save():
        with Workspace(root).lock(timeout=20):
            if inside:
                overlaps.append(1)
            inside.append(1)
            time.sleep(0.1)
            inside.pop()

    savers = [threading.Thread(target=save) for _ in range(6)]
    for t in savers:
        t.start()
    for t in savers:
        t.join()
    assert not overlaps
    assert len(attempts) == 6        # one each: none polled while another held it
    held = subprocess.run([sys.executable, "-c", _TAKE_LOCK, str(root), "native"], capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert held.returncode == 0, held.stderr
