"""A/B: the same bulletin command from two or more checkouts, alternating, with medians and peaks.

    python3 bench/ab.py /tmp/before,/tmp/after 15 render 10 -o /tmp/ab.docx
    python3 bench/ab.py /tmp/before,/tmp/after 7 -w /tmp/year compile 2026 --drafts -o /tmp/y.docx

Each checkout is a folder holding `bulletin/` (a `git archive` or a copy of the work tree); its
commands run with PYTHONPATH pointing at it and a bytecode cache of its own, from inside it (so
`render 10` finds its demo workspace), alternately and in turned order each round, after one
warm-up run each. How each change of issue 15 was measured (bench/issue15.md). By hand, never a test.
"""
from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib


def main(argv: list[str]) -> int:
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    trees, rounds, args = argv[0].split(","), int(argv[1]), argv[2:]
    script = shutil.which("bulletin") or sys.exit("the bulletin console script is not on PATH")
    base = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "BULLETIN_WORKSPACE")}
    cache = tempfile.mkdtemp(prefix="bulletin-ab-")
    seconds: dict[str, list[float]] = {t: [] for t in trees}
    peak = {t: 0 for t in trees}
    for r in range(rounds + 1):
        for tree in trees if r % 2 else trees[::-1]:
            env = dict(base, PYTHONPATH=tree,
                       PYTHONPYCACHEPREFIX=os.path.join(cache, f"{zlib.crc32(tree.encode()):08x}"))
            start = time.perf_counter()
            child = subprocess.Popen([script, *args], env=env, cwd=tree, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
            _pid, status, usage = os.wait4(child.pid, 0)
            elapsed = time.perf_counter() - start
            if status:
                sys.exit(f"{tree}: failed\n{child.stderr.read().decode(errors='replace')[-2000:]}")
            if r:  # round 0 warms the bytecode cache
                seconds[tree].append(elapsed)
                peak[tree] = max(peak[tree], usage.ru_maxrss)
    shutil.rmtree(cache, ignore_errors=True)
    for tree in trees:
        print(f"{tree}: median {1000 * statistics.median(seconds[tree]):.0f} ms  "
              f"fastest {1000 * min(seconds[tree]):.0f} ms  peak {peak[tree] / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
