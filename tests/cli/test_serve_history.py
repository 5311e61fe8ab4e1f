"""`bulletin serve` and the history: a workspace that is no git repository is made one when the person at
the terminal says so, runs with --no-history saying what that costs, and without a terminal is refused
with a message naming both ways out."""
from __future__ import annotations

import os
import pty
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from cli_support import free_port, write_workspace

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def _env(tmp_path, **extra) -> dict:
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(HOME=str(home), GIT_CONFIG_NOSYSTEM="1", GIT_CONFIG_GLOBAL=str(home / "nothing"),
               PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]), **extra)
    return env


def _serve(ws, *flags, lang="en"):
    return [sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), "--lang", lang, "serve",
            "--port", str(free_port()), *flags]


def _until(process, log: Path, words: str) -> str:
    """The server's output once it says `words` (it is then stopped)."""
    try:
        for _attempt in range(300):   # until it has started (a start, not a measurement)
            text = log.read_text(errors="replace") if log.exists() else ""
            if words in text:
                return text
            if process.poll() is not None:
                pytest.fail(text)
            time.sleep(0.1)
        pytest.fail(log.read_text(errors="replace"))
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.parametrize("lang, words", [("en", ["not a git repository", "--no-history", "terminal",
                                                 "cannot be undone"]),
                                         ("zh", ["不是 git 仓库", "--no-history", "终端", "无法撤销"])])
def test_without_a_terminal_serve_refuses_naming_both_ways_out(tmp_path, lang, words):
    ws = write_workspace(tmp_path / "ws")
    done = subprocess.run(_serve(ws, lang=lang), capture_output=True, text=True, timeout=60,
                          stdin=subprocess.DEVNULL, env=_env(tmp_path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    for word in words:
        assert word in done.stderr, (word, done.stderr)
    assert not (ws / ".git").exists()


def test_no_history_starts_and_says_what_it_costs(tmp_path):
    ws = write_workspace(tmp_path / "ws")
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(_serve(ws, "--no-history"), stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=_env(tmp_path))
    text = _until(process, log, "Ctrl+C")
    assert "without history" in text and "cannot be undone" in text
    assert not (ws / ".git").exists()


def test_at_a_terminal_yes_makes_the_repository_with_a_first_commit(tmp_path):
    ws = write_workspace(tmp_path / "ws")
    log = tmp_path / "serve.log"
    leader, follower = pty.openpty()
    with log.open("wb") as out:
        process = subprocess.Popen(_serve(ws), stdout=out, stderr=subprocess.STDOUT, stdin=follower,
                                   env=_env(tmp_path))
    os.close(follower)
    try:
        os.write(leader, b"y\n")
        text = _until(process, log, "Ctrl+C")
    finally:
        os.close(leader)
    assert "created a git repository" in text
    env = _env(tmp_path)
    count = subprocess.run(["git", "-C", str(ws), "rev-list", "--count", "HEAD"], capture_output=True, text=True,
                           env=env).stdout
    assert count == "1\n"
    assert "/.bulletin/" in (ws / ".gitignore").read_text()
    tracked = subprocess.run(["git", "-C", str(ws), "ls-files"], capture_output=True, text=True, env=env).stdout
    assert "issues/2026/10/issue.yaml" in tracked and ".bulletin" not in tracked
