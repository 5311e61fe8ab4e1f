"""Benchmark: the workbench with its warm LibreOffice, as a clerk waits for it.

    python3 bench/workbench.py               # 11 rounds of each, about a minute
    python3 bench/workbench.py --rounds 21 --json figures.json

Three figures, each measured side by side in one run on a copy of the demo workspace in a temporary
folder (nothing in the repository is written):

  preview  From the POST that saves an edit (the editor's note of issue 10, a different text each
           round, so the preview's cache misses) to page 1's image being served (GET
           /issues/2026-10/pages/1.png returns 200), over a real `bulletin serve` (uvicorn) with its
           warm LibreOffice; against a cold conversion of the same .docx (soffice --convert-to pdf,
           as launcher.ColdConverter starts it), alternating round by round.  Targets: median ≤ 1.0 s,
           ratio ≤ 0.5.
  page     The issue page's HTML (GET /issues/2026-10), median time to the whole response over
           loopback (an upper bound of the server time).  Target ≤ 30 ms.
  pdf      `bulletin render 10 --pdf` with `bulletin office start` running for the workspace against
           the same without (two copies of the workspace, alternating).  Target ratio ≤ 0.5.

This is a tool to run by hand, never a test: timings depend on the machine and on what else runs.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import http.client
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), "BULLETIN_LANG": "en"}


def copy_demo(root: Path) -> Path:
    ws = root
    ws.mkdir(parents=True)
    for name in ("bulletin.toml", "recipients.yaml"):
        shutil.copy(REPO / name, ws / name)
    for folder in ("issues", "templates"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, ws / folder)
    return ws


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bulletin(ws: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), *args],
                          capture_output=True, text=True, env=ENV, check=True)


class Client:
    def __init__(self, port: int):
        self.port = port
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)

    def form_token(self) -> str:
        """The token every change carries, as a page's <body hx-headers> gives it to htmx."""
        if not getattr(self, "_form_token", ""):
            _status, page = self.request("GET", "/")
            found = re.search(rb'"X-CSRF-Token": "([0-9a-f]+)"', page)
            self._form_token = found.group(1).decode() if found else ""
        return self._form_token

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, bytes]:
        body = urllib.parse.urlencode(form).encode() if form is not None else None
        headers = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "zh-CN"}
        if body is not None:
            headers |= {"Content-Type": "application/x-www-form-urlencoded",
                        "Origin": f"http://127.0.0.1:{self.port}", "Sec-Fetch-Site": "same-origin",
                        "X-CSRF-Token": self.form_token()}
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        except (http.client.RemoteDisconnected, ConnectionError):   # the server closed an idle connection
            self.connection.close()
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
        return response.status, response.read()


def wait_until_up(port: int, server: subprocess.Popen, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"bulletin serve ended: {server.stderr.read().decode(errors='replace')}")
        try:
            status, _ = Client(port).request("GET", "/")
            if status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("bulletin serve did not come up")


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    from bulletin.commands.render import build_docx
    from bulletin.office import launcher, pdf
    from bulletin.store.workspace import Workspace

    with tempfile.TemporaryDirectory(prefix="bulletin-bench-wb-") as tmp:
        tmp = Path(tmp)
        served = copy_demo(tmp / "served")
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "bulletin.cli", "--workspace", str(served), "serve", "--no-history",
                                   "--port", str(port)], env=ENV, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.PIPE)
        try:
            wait_until_up(port, server)
            client = Client(port)
            status, _ = client.request("GET", "/issues/2026-10/pages/1.png")   # warm-up: first conversion
            assert status == 200, status
            cold_env = pdf.font_environment()
            warm_times, cold_times, page_times = [], [], []
            for n in range(args.rounds):
                note = f"本期重点介绍政务公开工作的新进展（第{n + 1}轮测量，{time.time():.0f}）。"
                began = time.perf_counter()
                status, _ = client.request("POST", "/issues/2026-10/note", {"editor_note": note})
                assert status in (200, 303), status
                status, png = client.request("GET", "/issues/2026-10/pages/1.png")
                warm_times.append(time.perf_counter() - began)
                assert status == 200 and png.startswith(b"\x89PNG"), status
                # the same .docx, converted cold
                docx = tmp / f"cold-{n}" / "issue.docx"
                docx.parent.mkdir()
                ws = Workspace(served)
                docx.write_bytes(build_docx(ws, ws.resolve("10")))
                began = time.perf_counter()
                made = launcher.ColdConverter(300, cold_env).convert(docx, pdf.PDF_FILTER, docx.parent)
                cold_times.append(time.perf_counter() - began)
                assert made.is_file()
                for _ in range(3):
                    began = time.perf_counter()
                    status, _ = client.request("GET", "/issues/2026-10")
                    page_times.append(time.perf_counter() - began)
                    assert status == 200, status
        finally:
            server.terminate()
            server.wait(timeout=60)

        # render --pdf: warm (office start) against cold, on two copies, alternating
        hot_ws, cold_ws = copy_demo(tmp / "hot"), copy_demo(tmp / "cold")
        bulletin(hot_ws, "office", "start")
        try:
            for ws in (hot_ws, cold_ws):     # warm-up: byte-compiled modules, fonts cached
                bulletin(ws, "render", "10", "--pdf", "-o", str(tmp / "out-warmup") + "/")
            hot_times, cold_pdf_times = [], []
            for n in range(args.rounds):
                for ws, times in ((hot_ws, hot_times), (cold_ws, cold_pdf_times))[:: 1 if n % 2 == 0 else -1]:
                    began = time.perf_counter()
                    bulletin(ws, "render", "10", "--pdf", "-o", str(tmp / f"out-{n}-{ws.name}") + "/")
                    times.append(time.perf_counter() - began)
        finally:
            bulletin(hot_ws, "office", "stop")

    figures = {
        "date": _dt.date.today().isoformat(),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "rounds": args.rounds,
        "preview_warm_ms": median_ms(warm_times),
        "preview_cold_convert_ms": median_ms(cold_times),
        "preview_ratio": statistics.median(warm_times) / statistics.median(cold_times),
        "issue_page_ms": median_ms(page_times),
        "render_pdf_warm_ms": median_ms(hot_times),
        "render_pdf_cold_ms": median_ms(cold_pdf_times),
        "render_pdf_ratio": statistics.median(hot_times) / statistics.median(cold_pdf_times),
    }
    print(f"machine: {figures['machine']}, Python {figures['python']}, {figures['date']}, "
          f"{args.rounds} rounds, medians")
    print(f"save → page 1 image (warm):     {figures['preview_warm_ms']:7.0f} ms   target ≤ 1000 ms")
    print(f"cold soffice --convert-to pdf:  {figures['preview_cold_convert_ms']:7.0f} ms")
    print(f"ratio:                          {figures['preview_ratio']:7.2f}      target ≤ 0.5")
    print(f"issue page HTML:                {figures['issue_page_ms']:7.1f} ms   target ≤ 30 ms")
    print(f"render --pdf, office running:   {figures['render_pdf_warm_ms']:7.0f} ms")
    print(f"render --pdf, cold:             {figures['render_pdf_cold_ms']:7.0f} ms")
    print(f"ratio:                          {figures['render_pdf_ratio']:7.2f}      target ≤ 0.5")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
