"""The warm LibreOffice's parts that need no LibreOffice: the --convert-to argument as a filter and its
FilterData, finding the Python with `uno`, the workspace's private folder and its state file (stale
state removed, never trusted), and render --pdf converting cold when nothing warm runs."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from bulletin.commands import office as office_cmd
from bulletin.office import launcher, pdf, warm
from bulletin.store.workspace import Workspace

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups and 0700 are POSIX")


def test_the_pdf_filter_keeps_blank_pages_as_filter_data():
    ext, name, data = warm.parse_format(pdf.PDF_FILTER)
    assert (ext, name) == ("pdf", "writer_pdf_Export")
    assert data == [["IsSkipEmptyPages", "boolean", "false"]]
    assert warm.parse_format("docx:MS Word 2007 XML") == ("docx", "MS Word 2007 XML", [])
    assert warm.parse_format("pdf") == ("pdf", "writer_pdf_Export", [])


def test_the_uno_python_is_the_setting_when_given(monkeypatch, tmp_path):
    fake = tmp_path / "python-without-uno"
    fake.write_text("#!/bin/sh\nexit 1\n", encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv(warm.UNO_PYTHON_ENV, str(fake))
    monkeypatch.setattr(warm, "_uno_python", {})
    assert warm.find_uno_python() is None      # the setting is tried, and nothing else
    with pytest.raises(warm.WarmUnavailable, match="python3-uno"):
        warm.start_worker()


def test_the_worker_runs_on_the_standard_library_and_uno_alone():
    """warm_worker.py runs under the system's Python, outside the virtualenv: it imports no bulletin."""
    source = warm.WORKER.read_text(encoding="utf-8")
    assert "import bulletin" not in source and "from bulletin" not in source


@pytest.fixture
def ws(tmp_path) -> Workspace:
    root = tmp_path / "ws"
    root.mkdir()
    (root / "bulletin.toml").write_text("", encoding="utf-8")
    return Workspace(root)


def test_the_private_folder_is_0700_and_git_ignored(ws):
    folder = office_cmd.private_dir(ws)
    assert folder == ws.root / ".bulletin"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    subprocess.run(["git", "init", "-q", str(ws.root)], check=True)
    (folder / "office.json").write_text("{}", encoding="utf-8")
    shown = subprocess.run(["git", "-C", str(ws.root), "status", "--porcelain", "--untracked-files=all"],
                           capture_output=True, text=True, check=True).stdout
    assert ".bulletin" not in shown and "bulletin.toml" in shown


def _dead_pid() -> int:
    done = subprocess.Popen(["true"])
    done.wait()
    return done.pid


def test_a_record_whose_process_is_gone_is_removed_not_trusted(ws):
    folder = office_cmd.private_dir(ws)
    warm.write_state(folder, warm.Endpoint(port=9, token="t", pid=_dead_pid()), "office start")
    assert stat.S_IMODE((folder / warm.STATE_FILE).stat().st_mode) == 0o600
    assert office_cmd.running(ws) is None
    assert not (folder / warm.STATE_FILE).exists()
    shown = office_cmd.status(ws)
    assert not shown.running and not shown.answers
    assert office_cmd.stop(ws) is False


def test_an_unreadable_record_is_removed(ws):
    folder = office_cmd.private_dir(ws)
    (folder / warm.STATE_FILE).write_text("{not json", encoding="utf-8")
    assert office_cmd.running(ws) is None and not (folder / warm.STATE_FILE).exists()


def test_a_live_worker_that_does_not_answer_is_running_but_not_answering(ws):
    folder = office_cmd.private_dir(ws)
    # a process that looks like the worker (its command line names warm_worker.py) and is deaf
    deaf = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)", warm.WORKER.name])
    try:
        warm.write_state(folder, warm.Endpoint(port=9, token="t", pid=deaf.pid), "office start")
        shown = office_cmd.status(ws)
        assert shown.running and not shown.answers and shown.pid == deaf.pid
    finally:
        deaf.kill()
        deaf.wait()


def test_a_record_naming_another_program_is_removed_and_that_program_left_alone(ws):
    """The pid of a worker that died may be another program's by now: it is never stopped for it."""
    folder = office_cmd.private_dir(ws)
    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"], start_new_session=True)
    try:
        warm.write_state(folder, warm.Endpoint(port=9, token="t", pid=other.pid), "office start")
        assert office_cmd.stop(ws) is False and not (folder / warm.STATE_FILE).exists()
        warm.stop_endpoint(warm.Endpoint(port=9, token="t", pid=other.pid), wait=0.1)
        assert other.poll() is None, "another program was ended in the worker's place"
    finally:
        other.kill()
        other.wait()


def test_without_a_running_office_conversions_are_cold(ws, monkeypatch):
    monkeypatch.setattr(launcher, "find_soffice", lambda: "/usr/bin/soffice")
    with office_cmd.workspace_converter(ws) as is_warm:
        assert not is_warm
        assert isinstance(launcher.converter(), launcher.ColdConverter)
    assert warm.installed() is None


def test_office_status_without_one_says_so(tmp_path):
    root = tmp_path / "ws"
    root.mkdir()
    (root / "bulletin.toml").write_text("", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(root), "office", "status"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 1 and "no warm LibreOffice runs" in done.stdout, done
    wrong = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(root), "office", "begin"],
                           capture_output=True, text=True, env=env)
    assert wrong.returncode == 2 and "'begin'" in wrong.stderr and "office --help" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    zh = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(root), "office", "status"],
                        capture_output=True, text=True, env={**env, "BULLETIN_LANG": "zh"})
    assert "LibreOffice" in zh.stdout and "no warm" not in zh.stdout


def test_the_restart_after_n_conversions_is_a_setting(monkeypatch):
    monkeypatch.delenv(warm.MAX_CONVERSIONS_ENV, raising=False)
    assert warm.max_conversions() == warm.MAX_CONVERSIONS
    monkeypatch.setenv(warm.MAX_CONVERSIONS_ENV, "25")
    assert warm.max_conversions() == 25
    monkeypatch.setenv(warm.MAX_CONVERSIONS_ENV, "many")
    assert warm.max_conversions() == warm.MAX_CONVERSIONS
