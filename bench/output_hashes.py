"""The outputs a speed change must keep, as short sha256s: the demo's .docx, a generated year's volume
and three of its issues, the 10-, 100- and 1,000-article issues, and exit status, stdout and stderr
of list, show, check, lint, recipients, distribution, stats, help and usage errors in both languages.

    python3 bench/output_hashes.py . > before.txt      # before changing anything
    python3 bench/output_hashes.py . | diff before.txt - # after every change: no output

Run with the checkout to check as the argument (and PYTHONPATH pointing at it); generated
workspaces go to a temporary folder. By hand, never a test (the suite has its determinism tests).
"""
import hashlib, os, subprocess, sys, tempfile
from pathlib import Path
WT = Path(sys.argv[1])
sys.path.insert(0, str(WT / "bench")); sys.path.insert(0, str(WT))
import run as bench
env = dict(os.environ, PYTHONPATH=str(WT), BULLETIN_LANG="en")
env.pop("BULLETIN_WORKSPACE", None)
def sh(p): return hashlib.sha256(Path(p).read_bytes()).hexdigest()[:16]
def cli(*a, lang="en"):
    e = dict(env, BULLETIN_LANG=lang)
    r = subprocess.run([sys.executable, "-m", "bulletin.cli", *a], env=e, capture_output=True)
    return r
out = {}
with tempfile.TemporaryDirectory() as t:
    t = Path(t)
    cli("--workspace", str(WT), "render", "10", "-o", str(t/"demo.docx")); out["demo"] = sh(t/"demo.docx")
    bench.year_workspace(t/"year")
    r = cli("--workspace", str(t/"year"), "compile", "2026", "--drafts", "-o", str(t/"year.docx")); out["year-compile"] = sh(t/"year.docx") if r.returncode == 0 else ("FAIL", r.stderr.decode()[-300:])
    for n in (1, 7, 20):
        cli("--workspace", str(t/"year"), "render", f"2026-{n}", "-o", str(t/f"y{n}.docx")); out[f"year-{n}"] = sh(t/f"y{n}.docx")
    sizes = bench.sizes_workspace(t/"sizes", [10, 100, 1000])
    for n, (iss, _) in sizes.items():
        cli("--workspace", str(t/"sizes"), "render", iss, "-o", str(t/f"s{n}.docx")); out[f"size-{n}"] = sh(t/f"s{n}.docx")
    for lang in ("en", "zh"):
        for args in (["list"], ["show", "10"], ["check"], ["lint", "10"], ["recipients"], ["distribution", "10"], ["stats", "2026"], ["--help"], ["render", "--help"], ["render", "99"], ["bogus"], ["render"], ["--version"]):
            r = cli("--workspace", str(WT), *args, lang=lang)
            out[f"{lang}:{' '.join(args)}"] = (r.returncode, hashlib.sha256(r.stdout + b"|" + r.stderr).hexdigest()[:12])
for k, v in out.items(): print(k, v)
