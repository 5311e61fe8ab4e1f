"""Load test: an office of simulated staff on one workbench, and afterwards proof that nothing they were
told was saved is missing.

    python3 bench/load.py                      # 20 staff for 60 s
    python3 bench/load.py --seconds 30 --staff 10 --json figures.json

On a copy of the demo workspace in a temporary folder, made a git repository (nothing in this
repository is written), it creates one editor account per simulated person, starts `bulletin serve`
(uvicorn, with its warm LibreOffice) on loopback, and lets each person, signed in with their own
session and form token, do in a random mix until the time is up:

  page     GET of the home page, issue 10's page, or their own article's page (HTML)
  edit     their own article's body through the article form (appending one line with a unique
           marker, carrying the version the page gave), or the editor's note of issue 10 (shared by
           everyone, so a 409 "changed meanwhile" is a correct refusal, counted apart, not an error)
  upload   a small .txt through the upload form (it becomes an article)
  preview  page 1's image of issue 10 (a conversion whenever an edit changed the issue)

Each person first uploads a .txt that becomes *their* article, so only they edit it: every marker an
edit was acknowledged for (303) must then be in that article's final file, and every acknowledged
marker of the note must be in `git log -p` of issue.yaml, the final note being one of them. Uploads
must have left their article file. `git status` must show no change of the content and `git fsck`
must pass. Any 5xx, exception or unexpected status is an error.

Targets (issue 13): 0 errors, 0 lost edits, page p95 ≤ 300 ms while previews queue.
This is a tool to run by hand, never a test: timings depend on the machine and on what else runs.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import html
import http.client
import json
import os
import platform
import random
import re
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import urllib.parse
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from workbench import ENV, REPO, copy_demo, free_port  # noqa: E402

PASSWORD = "load test password 2026"
ISSUE = "2026-10"
ISSUE_DIR = Path("issues/2026/10")
KINDS = ("page", "edit", "upload", "preview")


class Staff:
    """One person: their own connection, session cookie and form token."""

    def __init__(self, port: int, name: str, number: int):
        self.port, self.name, self.number = port, name, number
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        self.cookie = ""
        self.token = ""
        self.article = ""          # the file of their own article

    def request(self, method: str, path: str, body: bytes | None = None,
                content_type: str = "application/x-www-form-urlencoded") -> tuple[int, dict, bytes]:
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "zh-CN"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        if method == "POST":
            headers |= {"Content-Type": content_type, "Origin": f"http://127.0.0.1:{self.port}",
                        "Sec-Fetch-Site": "same-origin"}
            if self.token:
                headers["X-CSRF-Token"] = self.token
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # the server closed an idle keep-alive connection: only a request never answered is retried
                self.connection.close()
                self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def post_form(self, path: str, form: dict) -> tuple[int, dict, bytes]:
        return self.request("POST", path, urllib.parse.urlencode(form).encode())

    def form_token_of(self, page: bytes) -> str:
        found = re.search(rb'"X-CSRF-Token": "([0-9a-f]+)"', page) or re.search(rb'name="csrf[^"]*" value="([0-9a-f]+)"', page)
        return found.group(1).decode() if found else ""

    def sign_in(self) -> None:
        status, _, page = self.request("GET", "/login")
        self.token = self.form_token_of(page)
        assert status == 200 and self.token, f"{self.name}: no form token on the sign-in page"
        status, headers, _ = self.post_form("/login", {"name": self.name, "password": PASSWORD, "next": "/"})
        assert status == 303, f"{self.name}: sign-in answered {status}"
        self.cookie = headers["set-cookie"].split(";", 1)[0]
        status, _, page = self.request("GET", "/")
        self.token = self.form_token_of(page)
        assert status == 200 and self.token, f"{self.name}: no form token on the home page"

    def upload(self, filename: str, text: str) -> tuple[int, dict, bytes]:
        boundary = f"----bulletin-load-{random.getrandbits(64):016x}"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{filename}\"\r\n"
                f"Content-Type: text/plain\r\n\r\n").encode() + text.encode("utf-8") + f"\r\n--{boundary}--\r\n".encode()
        return self.request("POST", f"/issues/{ISSUE}/upload", body, f"multipart/form-data; boundary={boundary}")


def added_articles(headers: dict) -> list[str]:
    """The article files an upload's redirect names (`?added=`)."""
    query = urllib.parse.urlparse(headers.get("location", "")).query
    return [f for v in urllib.parse.parse_qs(query).get("added", []) for f in v.split(",") if f]


def form_fields(page: str, action: str) -> dict:
    """The version and the fields of the form posting to `action`, as the page shows them."""
    start = page.index(f'action="{action}"')
    form = page[start:page.index("</form>", start)]
    fields = {m.group(1): html.unescape(m.group(2))
              for m in re.finditer(r'<input[^>]*?name="([^"]+)" value="([^"]*)"', form)}
    for m in re.finditer(r'<textarea[^>]*name="([^"]+)"[^>]*>\n?(.*?)</textarea>', form, re.S):
        fields[m.group(1)] = html.unescape(m.group(2))
    return fields


def note_version(page: str) -> str:
    start = page.index(f'/issues/{ISSUE}/note')
    return re.search(r'name="version" value="([^"]*)"', page[start:]).group(1)


def reason(page: bytes) -> str:
    """The words of an error page (its main part without the tags), for the report."""
    text = page.decode("utf-8", "replace")
    main = re.search(r"<main[^>]*>(.*?)</main>", text, re.S)
    words = re.sub(r"<[^>]+>", " ", main.group(1) if main else text)
    return " ".join(html.unescape(words).split())[:300]


class Run:
    def __init__(self):
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: list[str] = []
        self.conflicts = 0
        self.article_markers: dict[str, list[str]] = defaultdict(list)   # file → acknowledged markers
        self.note_markers: list[str] = []
        self.uploaded: list[str] = []

    def timed(self, kind: str, began: float) -> None:
        with self.lock:
            self.times[kind].append(time.perf_counter() - began)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


def one_step(person: Staff, run: Run, rng: random.Random, counter: list[int]) -> None:
    kind = rng.choices(KINDS, weights=(55, 25, 5, 15))[0]
    counter[0] += 1
    marker = f"LOAD{person.number:02d}X{counter[0]:05d}"
    article_path = f"/issues/{ISSUE}/articles/{person.article}"
    if kind == "page":
        path = rng.choice(["/", f"/issues/{ISSUE}", article_path])
        began = time.perf_counter()
        status, _, body = person.request("GET", path)
        run.timed("page", began)
        if status != 200:
            run.error(f"{person.name} GET {path}: {status} {reason(body)}")
    elif kind == "preview":
        began = time.perf_counter()
        status, headers, body = person.request("GET", f"/issues/{ISSUE}/pages/1.png")
        run.timed("preview", began)
        if status != 200 or not body.startswith(b"\x89PNG"):
            run.error(f"{person.name} preview: {status} {reason(body)}")
    elif kind == "upload":
        name = f"upload-{person.number:02d}-{counter[0]:05d}.txt"
        began = time.perf_counter()
        status, headers, body = person.upload(name, f"负载测试上传稿{marker}\n\n这是第{person.number}位同事上传的一段文字，{marker}。\n")
        run.timed("upload", began)
        if status != 303 or not added_articles(headers):
            run.error(f"{person.name} upload {name}: {status} {headers.get('location', '')} {reason(body)}")
        else:
            with run.lock:
                run.uploaded.extend(added_articles(headers))
    elif rng.random() < 0.3:   # the editor's note, shared by all
        status, _, page = person.request("GET", f"/issues/{ISSUE}")
        if status != 200:
            run.error(f"{person.name} GET issue before the note: {status} {reason(page)}")
            return
        if f"/issues/{ISSUE}/note".encode() not in page:
            run.error(f"{person.name} the issue page has no note form: {reason(page)}")
            return
        version = note_version(page.decode())
        note = f"本期编者按由第{person.number}位同事修改（{marker}）。"
        began = time.perf_counter()
        status, _, body = person.post_form(f"/issues/{ISSUE}/note", {"editor_note": note, "version": version})
        run.timed("edit", began)
        if status == 303:
            with run.lock:
                run.note_markers.append(marker)
        elif status == 409:
            with run.lock:
                run.conflicts += 1
        else:
            run.error(f"{person.name} note: {status} {reason(body)}")
    else:                      # their own article: one more line
        status, _, page = person.request("GET", article_path)
        if status != 200:
            run.error(f"{person.name} GET own article: {status} {reason(page)}")
            return
        fields = form_fields(page.decode(), article_path)
        fields["body"] = fields.get("body", "").rstrip("\n") + f"\n\n第{counter[0]}次修改：{marker}。\n"
        began = time.perf_counter()
        status, _, body = person.post_form(article_path, fields)
        run.timed("edit", began)
        if status == 303:
            with run.lock:
                run.article_markers[person.article].append(marker)
        elif status == 409:
            run.error(f"{person.name} own article refused with 409: nobody else edits it")
        else:
            run.error(f"{person.name} article: {status} {reason(body)}")


def staff_loop(person: Staff, run: Run, until: float, seed: int) -> None:
    rng = random.Random(seed)
    counter = [0]
    while time.monotonic() < until:
        try:
            one_step(person, run, rng, counter)
        except Exception:   # noqa: BLE001 — every exception is a figure of the run
            run.error(f"{person.name}: {traceback.format_exc(limit=2)}")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000


def git(ws: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["git", "-C", str(ws), *args], capture_output=True, text=True)


def verify(ws: Path, run: Run) -> list[str]:
    """Every acknowledged edit in the files and in git; git consistent. Returns what was lost."""
    lost = []
    for file, markers in run.article_markers.items():
        text = (ws / ISSUE_DIR / file).read_text(encoding="utf-8")
        lost += [f"{file}: {m} not in the file" for m in markers if m not in text]
        history = git(ws, "log", "-p", "--", str(ISSUE_DIR / file)).stdout
        lost += [f"{file}: {m} not in git" for m in markers if m not in history]
    issue_yaml = (ws / ISSUE_DIR / "issue.yaml").read_text(encoding="utf-8")
    history = git(ws, "log", "-p", "--", str(ISSUE_DIR / "issue.yaml")).stdout
    lost += [f"note: {m} not in git" for m in run.note_markers if m not in history]
    if run.note_markers and not any(m in issue_yaml for m in run.note_markers):
        lost.append("note: the final editor's note is none of the acknowledged ones")
    lost += [f"upload: {f} missing" for f in run.uploaded if not (ws / ISSUE_DIR / f).is_file()]
    status = git(ws, "status", "--porcelain", "--", "issues", "recipients.yaml", "bulletin.toml").stdout
    if status.strip():
        lost.append(f"git status not clean:\n{status}")
    fsck = git(ws, "fsck", "--no-progress")
    if fsck.returncode != 0:
        lost.append(f"git fsck: {fsck.stdout}{fsck.stderr}")
    return lost


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--staff", type=int, default=20)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from bulletin.accounts.store import AccountStore
    from bulletin.store.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="bulletin-bench-load-") as tmp:
        ws = copy_demo(Path(tmp) / "office")
        for command in (["init", "--quiet"], ["add", "--all"],
                        ["-c", "user.name=bench", "-c", "user.email=bench@localhost", "commit", "--quiet", "-m", "demo"]):
            subprocess.run(["git", "-C", str(ws), *command], check=True)
        accounts = AccountStore(Workspace(ws))
        names = [f"同事{n:02d}" for n in range(1, args.staff + 1)]
        for name in names:
            accounts.add(name, ["editor"], PASSWORD)
        port = free_port()
        # the server's log goes to a file: a pipe nobody reads fills up and stops the server
        log = open(Path(tmp) / "serve.log", "wb")
        server = subprocess.Popen([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), "serve",
                                   "--port", str(port)], env=ENV, stdout=log, stderr=subprocess.STDOUT)
        run = Run()
        try:
            deadline = time.monotonic() + 120
            while True:
                if server.poll() is not None:
                    raise SystemExit(f"bulletin serve ended: {(Path(tmp) / 'serve.log').read_text(errors='replace')}")
                try:
                    if Staff(port, "", 0).request("GET", "/login")[0] == 200:
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    raise SystemExit("bulletin serve did not come up")
                time.sleep(0.2)
            staff = [Staff(port, name, n + 1) for n, name in enumerate(names)]
            for person in staff:   # each signs in and uploads the article that is theirs alone
                person.sign_in()
                status, headers, _ = person.upload(f"staff-{person.number:02d}.txt",
                                                   f"第{person.number}位同事的稿件\n\n负载测试的起始段落。\n")
                added = added_articles(headers)
                assert status == 303 and len(added) == 1, (status, headers)
                person.article = added[0]
            status, _, _ = staff[0].request("GET", f"/issues/{ISSUE}/pages/1.png")   # warm-up
            assert status == 200, status
            until = time.monotonic() + args.seconds
            threads = [threading.Thread(target=staff_loop, args=(p, run, until, p.number)) for p in staff]
            began = time.monotonic()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.monotonic() - began
        finally:
            server.terminate()
            server.wait(timeout=60)
            log.close()
        lost = verify(ws, run)
        log_lines = (Path(tmp) / "serve.log").read_text(encoding="utf-8", errors="replace").splitlines()
        commits = int(git(ws, "rev-list", "--count", "HEAD").stdout.strip() or 0)

    edits_acknowledged = sum(len(m) for m in run.article_markers.values()) + len(run.note_markers)
    figures = {
        "date": _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "python": platform.python_version(),
        "staff": args.staff, "seconds": round(elapsed, 1),
        "kinds": {kind: {"count": len(run.times[kind]), "p50_ms": percentile(run.times[kind], 50),
                         "p95_ms": percentile(run.times[kind], 95)} for kind in KINDS},
        "edits_acknowledged": edits_acknowledged, "note_edits_acknowledged": len(run.note_markers),
        "conflicts_409": run.conflicts, "uploads": len(run.uploaded), "commits": commits,
        "errors": run.errors, "lost": lost, "server_log_lines": len(log_lines),
    }
    print(f"machine: {figures['machine']}, Python {figures['python']}, {figures['date']}, "
          f"load average {figures['load_average']:.1f}")
    print(f"{args.staff} staff for {elapsed:.0f} s; {commits} commits in the workspace")
    for kind in KINDS:
        k = figures["kinds"][kind]
        print(f"  {kind:8} {k['count']:6d} requests   p50 {k['p50_ms']:7.0f} ms   p95 {k['p95_ms']:7.0f} ms")
    print(f"edits acknowledged (303): {edits_acknowledged} ({len(run.note_markers)} of the shared note); "
          f"refused as changed meanwhile (409): {run.conflicts}; uploads: {len(run.uploaded)}")
    print(f"errors: {len(run.errors)}" + "".join(f"\n  {e}" for e in run.errors[:20]))
    print(f"server log: {len(log_lines)} lines" + "".join(f"\n  {line}" for line in log_lines[-5:]))
    print(f"lost edits: {len(lost)}" + "".join(f"\n  {x}" for x in lost[:20]))
    page_p95 = figures["kinds"]["page"]["p95_ms"]
    print(f"targets: 0 errors {'met' if not run.errors else 'NOT met'}, 0 lost {'met' if not lost else 'NOT met'}, "
          f"page p95 ≤ 300 ms {'met' if page_p95 <= 300 else 'NOT met'}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0 if not run.errors and not lost else 1


if __name__ == "__main__":
    sys.exit(main())
