"""The workbench SIGKILLed while people save: the workspace is as before a save or as after it, never
in between, and its git repository consistent.

A client saves the editor's note and an article's body in a loop through the real forms (each save
with the version its page gave) while the server (uvicorn over create_app, with its history in git)
is killed at a random moment, a few times over. After each kill: issue.yaml and the article parse,
the note and the body are each wholly one of the texts sent (or the text before), never older than
the last save the server acknowledged; `git fsck` passes; `git status` shows at most the one file
whose save was cut between its write and its commit; and a server started again saves and commits."""
from __future__ import annotations

import html
import http.client
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_support import free_port, write_workspace  # noqa: E402

from bulletin.commands.edit import read_article  # noqa: E402
from bulletin.store.history import CONTENT  # noqa: E402  (what the history records; not the lock files)
from bulletin.store.workspace import Workspace  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

REPO = Path(__file__).resolve().parents[2]
ISSUE_DIR = Path("issues/2026/10")
ARTICLE = "01-first.md"
SERVER = ("import sys, uvicorn\nfrom bulletin.web.app import create_app\n"
          "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')\n")


def _git(ws: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ws), "-c", "user.name=t", "-c", "user.email=t@localhost", *args],
                          capture_output=True, text=True)


class Client:
    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.token = ""

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form).encode()
            headers |= {"Content-Type": "application/x-www-form-urlencoded", "X-CSRF-Token": self.token,
                        "Origin": f"http://127.0.0.1:{self.port}"}
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        page = response.read().decode("utf-8", "replace")
        if not self.token:
            found = re.search(r'"X-CSRF-Token": "([0-9a-f]+)"', page)
            self.token = found.group(1) if found else ""
        return response.status, page


def _start(ws: Path) -> tuple[subprocess.Popen, Client]:
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(ws), str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while True:
        assert server.poll() is None, server.stderr.read().decode()
        try:
            client = Client(port)
            if client.request("GET", "/")[0] == 200 and client.token:
                return server, client
        except OSError:
            pass
        assert time.monotonic() < deadline, "the workbench did not start"
        time.sleep(0.1)


def _fields(page: str, action: str) -> dict:
    start = page.index(f'action="{action}"')
    form = page[start:page.index("</form>", start)]
    fields = {m.group(1): html.unescape(m.group(2))
              for m in re.finditer(r'<input[^>]*?name="([^"]+)" value="([^"]*)"', form)}
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', form, re.S):
        fields[m.group(1)] = html.unescape(m.group(2))
    return fields


def _save_loop(client: Client, round_: int, sent: dict, acked: dict, stop: threading.Event) -> None:
    """Save the note and the body in turn until the server is gone; `sent` and `acked` keep, per
    thing, every text sent and the index of the last one answered 303."""
    article_path = f"/issues/2026-10/articles/{ARTICLE}"
    n = 0
    try:
        while not stop.is_set():
            n += 1
            if n % 2:
                _, page = client.request("GET", "/issues/2026-10")
                version = re.search(r'name="version" value="([^"]*)"', page[page.index("/issues/2026-10/note"):])
                text = f"第{round_}轮第{n}次保存的编者按。" + "内容完整。" * (n % 7)
                sent["note"].append(text)
                status, _ = client.request("POST", "/issues/2026-10/note",
                                           {"version": version.group(1), "editor_note": text})
                thing = "note"
            else:
                _, page = client.request("GET", article_path)
                form = _fields(page, article_path)
                text = f"第{round_}轮第{n}次保存的正文。\n\n" + "这一段必须完整地保存下来。" * (n % 5 + 1) + "\n"
                sent["body"].append(text)
                status, _ = client.request("POST", article_path, {**form, "body": text})
                thing = "body"
            assert status == 303, status
            acked[thing] = len(sent[thing]) - 1
    except (OSError, http.client.HTTPException, ValueError, AttributeError):
        return   # the server was killed: a connection refused or cut, a page cut short


def _check(ws: Path, before: dict, sent: dict, acked: dict) -> dict:
    """The workspace as before or after each save; returns the texts now in it."""
    for _ in range(100):      # a git the killed server had started may still be finishing
        if not (ws / ".git" / "index.lock").exists():
            break
        time.sleep(0.05)
    assert not (ws / ".git" / "index.lock").exists(), "git's index.lock was left behind"
    fsck = _git(ws, "fsck", "--no-progress")
    assert fsck.returncode == 0, fsck.stdout + fsck.stderr
    changed = [line[3:] for line in _git(ws, "status", "--porcelain", "--untracked-files=all", "--",
                                         *CONTENT).stdout.splitlines()]
    assert len(changed) <= 1 and set(changed) <= {str(ISSUE_DIR / "issue.yaml"), str(ISSUE_DIR / ARTICLE)}, changed
    workspace = Workspace(ws)
    meta, _ = workspace.load_issue(workspace.resolve("10"))           # parses and validates
    now = {"note": meta.editor_note or "", "body": read_article(workspace, "10", ARTICLE)["body"]}
    for thing, text in now.items():
        candidates = [before[thing]] + sent[thing]
        matches = [i - 1 for i, one in enumerate(candidates) if one.strip() == text.strip()]
        assert matches, f"the {thing} is none of the texts sent, whole: {text!r}"
        assert max(matches) >= acked.get(thing, -1), f"an acknowledged save of the {thing} was lost"
    return now


def test_the_workbench_killed_during_saves_leaves_before_or_after(tmp_path):
    ws = write_workspace(tmp_path / "ws")
    for args in (["init", "--quiet"], ["add", "--all"], ["commit", "--quiet", "-m", "start"]):
        assert _git(ws, *args).returncode == 0
    workspace = Workspace(ws)
    now = {"note": workspace.load_issue(workspace.resolve("10"))[0].editor_note or "",
           "body": read_article(workspace, "10", ARTICLE)["body"]}
    rng = random.Random(20261201)
    saves = 0
    for round_ in range(1, 5):
        server, client = _start(ws)
        sent, acked, stop = {"note": [], "body": []}, {}, threading.Event()
        saver = threading.Thread(target=_save_loop, args=(client, round_, sent, acked, stop), daemon=True)
        saver.start()
        # the kill comes at a random moment once saves of both kinds are under way (a slow first page
        # load on a busy machine must not make the kill come before any save)
        deadline = time.monotonic() + 60
        while not (sent["note"] and sent["body"]) and time.monotonic() < deadline and saver.is_alive():
            time.sleep(0.01)
        time.sleep(rng.uniform(0.0, 1.0))
        server.send_signal(signal.SIGKILL)
        server.wait(timeout=30)
        stop.set()
        saver.join(timeout=30)
        assert sent["note"] and sent["body"], "no save was under way when the server was killed"
        saves += len(acked)
        now = _check(ws, now, sent, acked)
    assert saves, "no save was acknowledged in any round"
    # started again, the workbench saves and commits (what a kill left uncommitted goes with it)
    server, client = _start(ws)
    try:
        sent, acked = {"note": [], "body": []}, {}
        stop = threading.Event()
        stop_after_one = threading.Thread(target=lambda: (time.sleep(0.5), stop.set()))
        stop_after_one.start()
        _save_loop(client, 9, sent, acked, stop)
        stop_after_one.join()
        assert acked, "the workbench started again saved nothing"
    finally:
        server.terminate()
        server.wait(timeout=30)
    _check(ws, now, sent, acked)
    assert _git(ws, "status", "--porcelain", "--", *CONTENT).stdout == ""
