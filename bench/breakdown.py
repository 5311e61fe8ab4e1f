"""Where the time of one `bulletin render 10` goes: imports by library, then the command itself.

    python3 bench/breakdown.py            # medians of 21 fresh processes
    python3 bench/breakdown.py --runs 51

Each run is a fresh Python process that imports the render path's libraries one after another, timing
each step, then runs `bulletin render 10 -o …` on this repository through the CLI's own entry point.
A library is charged with what it imports first, so the order of the steps matters.
Python's own start-up is measured apart, as `python -c pass`; the process's exit is in no step
(bench/run.py times whole commands). Like bench/run.py, children get a private bytecode cache,
warmed by the first run, so nothing is measured compiling.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

STEPS = [  # (label, statement), timed in this order in every child
    ("pydantic", "import pydantic; from pydantic import BaseModel"),
    # (no markdown-it-py: the demo's articles are plain, read without it; see bulletin.content.markdown)
    ("bulletin.model.files: pydantic's first model (its lazy modules) and our 14 models", "import bulletin.model.files"),
    ("bulletin.model.preset: building 10 preset models", "import bulletin.model.preset"),
    ("the rest of bulletin (cli, pipeline, compose, writer …)",
     "import bulletin.cli, bulletin.commands.render, bulletin.content.compose, bulletin.render.docx.writer"),
]

CHILD = """
import json, sys, time
steps = json.loads(sys.argv[1])
out = {}
for label, statement in steps:
    start = time.perf_counter()
    exec(statement)
    out[label] = time.perf_counter() - start
import io, contextlib
import bulletin.cli
sys.argv = ["bulletin", "--workspace", sys.argv[2], "render", "10", "-o", sys.argv[3]]
start = time.perf_counter()
with contextlib.redirect_stdout(io.StringIO()):
    try:
        bulletin.cli.main()
    except SystemExit as exc:
        if exc.code:
            raise
out["the command: parse arguments, read, check, compose, write the .docx"] = time.perf_counter() - start
print(json.dumps(out))
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=21, help="fresh processes to take the median of")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bulletin-breakdown-") as tmp:
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "BULLETIN_WORKSPACE")}
        env.setdefault("PYTHONPYCACHEPREFIX", str(Path(tmp) / "pycache"))
        steps = STEPS
        child = [sys.executable, "-c", CHILD, json.dumps(steps), str(REPO), str(Path(tmp) / "demo.docx")]
        runs, start_up = [], []
        for i in range(args.runs + 1):  # the first run warms the bytecode cache and is dropped
            started = time.perf_counter()
            subprocess.run([sys.executable, "-c", "pass"], env=env, check=True)
            python = time.perf_counter() - started
            done = subprocess.run(child, env=env, cwd=tmp, capture_output=True, text=True)
            if done.returncode:
                raise SystemExit(done.stderr)
            if i:
                start_up.append(python)
                runs.append(json.loads(done.stdout))
    rows = [("Python start-up (`python -c pass`)", statistics.median(start_up))]
    rows += [(label, statistics.median(r[label] for r in runs)) for label in runs[0]]
    total = sum(ms for _, ms in rows)
    print(f"medians of {args.runs} fresh processes, Python {sys.version.split()[0]}\n")
    print("| step | ms | share |\n|---|--:|--:|")
    for label, seconds in rows:
        print(f"| {label} | {seconds * 1000:.0f} | {seconds / total:.0%} |")
    print(f"| total | {total * 1000:.0f} | |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
