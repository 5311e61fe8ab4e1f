"""Benchmark: bulletin against pandoc and docxtpl on the same articles, as the office feels it.

    python3 bench/run.py                 # everything, about two minutes
    python3 bench/run.py --quick         # 3 rounds each, for a look while changing code
    python3 bench/run.py --rounds 21 --json figures.json

Every figure is the wall-clock time of a whole command run as a subprocess, Python start-up included,
because that is what a clerk waits for. The commands of one comparison run alternately (bulletin,
pandoc, docxtpl, bulletin, pandoc, …, the order rotating each round) so that a busy moment of the
machine falls on all of them alike; the report gives medians, the ratio bulletin/peer of the medians,
and the peak memory (maximum resident set size) of each command.

Four comparisons, each with its target (issue 15):
  demo   `bulletin render 10` on this repository (the demo workspace) against pandoc and docxtpl on
         the issue's article files; target: at most 1.3 × docxtpl;
  year   one `bulletin compile 2026 --drafts` of a generated year of 20 issues against twenty pandoc
         runs and twenty docxtpl runs, one per issue; target: at most 0.4 × the twenty pandoc runs;
  years  one compile of 100 issues (five years' worth, bound in one volume) against a hundred pandoc
         runs: the time per issue should stay what it is for 20 (linear);
  sizes  `bulletin render` of one generated issue of 10, 100 and 1,000 articles against the peers on the
         same files: time grows linearly, each added article at most 1.0 ms, and the 1,000-article
         render peaks at no more than 80 MB.

Generated workspaces and all output go to a temporary folder; nothing in the repository is written.
Python children get a private bytecode cache (PYTHONPYCACHEPREFIX) filled by a warm-up run, so an
editable checkout under PYTHONDONTWRITEBYTECODE is measured as a `pip install .` leaves it: compiled.
This is a tool to run by hand, never a test: timings depend on the machine and on what else runs.
bench/breakdown.py shows where the time of one `bulletin render` goes.
"""
from __future__ import annotations

import argparse
import datetime as _dt
import importlib.util
import json
import os
import platform
import random
import shlex
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PEER_SCRIPT = Path(__file__).resolve().parent / "docxtpl_peer.py"
YEAR = 2026
INSTALL_PANDOC = ("pandoc is not installed, so its columns are left out. Install it with\n"
                  "    sudo apt-get install pandoc        (Debian, Ubuntu)\n"
                  "    brew install pandoc                (macOS)\n"
                  "or from https://pandoc.org/installing.html, then run this again.")
INSTALL_DOCXTPL = ("docxtpl is not installed, so its columns are left out. Install it with\n"
                   "    pip install .[bench]               (from the repository)")


# --- sample workspaces --------------------------------------------------------------------------------

# The sample text, recipients and settings of the test suite's generated workspaces.
sys.path.insert(0, str(REPO / "tests"))
from examples.generate import CONFIG_TOML, PHRASES, RECIPIENTS_YAML, sentence  # noqa: E402

# Four article shapes, about the sizes of the demo issue's (1–2.5 KB of text each).
SHAPES = [
    dict(paragraphs=6, section="工作动态"),
    dict(paragraphs=5, source="市税务局", section="工作动态"),
    dict(paragraphs=8, source="××区政务服务中心", section="经验交流", headings=True),
    dict(paragraphs=3, section="简讯"),
]

def _sentence(rng: random.Random, length: int) -> str:
    text = sentence(rng, length)
    if rng.random() < 0.3:  # some bold lead-ins, as clerks write them: **一是加强领导**，……
        cut = text.find("，")
        if cut > 0:
            text = f"**{text[:cut]}**{text[cut:]}"
    return text


def _article(rng: random.Random, paragraphs: int, source: str = "", section: str = "",
             headings: bool = False) -> str:
    front = [f"title: 关于{rng.choice(PHRASES)}的情况"]
    front += [f"source: {source}"] if source else []
    front += [f"section: {section}"] if section else []
    body = []
    for i in range(paragraphs):
        if headings and i % 3 == 0:
            body.append("#" * (1 if i % 6 == 0 else 2) + " " + rng.choice(PHRASES))
        body.append(_sentence(rng, rng.randint(80, 220)))
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"


def _write_issue(root: Path, number: int, date: _dt.date, articles: int, rng: random.Random) -> list[Path]:
    folder = root / "issues" / str(date.year) / f"{number:02d}"
    folder.mkdir(parents=True)
    paths = []
    for i in range(articles):
        path = folder / f"{i + 1:04d}.md"
        path.write_text(_article(rng, **SHAPES[i % len(SHAPES)]), encoding="utf-8")
        paths.append(path)
    note = "editor_note: 本期刊发一组政务公开工作经验，供各地各部门学习借鉴。\n" if number % 5 == 1 else ""
    listing = "".join(f"  - {p.name}\n" for p in paths)
    (folder / "issue.yaml").write_text(
        f"number: {number}\ntotal: {20 + number}\ndate: {date.isoformat()}\nkind: regular\nstatus: draft\n"
        f"{note}articles:\n{listing}distribution:\n  lists: [default]\n"
        'people: { editor: "王××", reviewer: "李××", signer: "张××" }\n', encoding="utf-8")
    return paths


def _write_workspace(root: Path) -> None:
    root.mkdir(parents=True)
    (root / "bulletin.toml").write_text(CONFIG_TOML.format(year=YEAR, total=21), encoding="utf-8")
    (root / "recipients.yaml").write_text(RECIPIENTS_YAML, encoding="utf-8")


def year_workspace(root: Path, issues: int = 20, articles: int = 4, days_apart: int = 17) -> list[list[Path]]:
    """A year of `issues` regular issues of `articles` articles each; the article files per issue.
    (100 issues, three days apart, still fall in one year: five years' worth in one volume.)"""
    rng = random.Random(2026)
    _write_workspace(root)
    start = _dt.date(YEAR, 1, 6)
    return [_write_issue(root, n, start + _dt.timedelta(days=days_apart * (n - 1)), articles, rng)
            for n in range(1, issues + 1)]


def sizes_workspace(root: Path, sizes: list[int]) -> dict[int, tuple[str, list[Path]]]:
    """One issue per size (issue 1 has sizes[0] articles …): size → (issue name, article files)."""
    rng = random.Random(1000)
    _write_workspace(root)
    return {n: (f"{YEAR}-{i + 1}", _write_issue(root, i + 1, _dt.date(YEAR, 3, 1 + i), n, rng))
            for i, n in enumerate(sizes)}


def demo_articles() -> tuple[str, list[Path]]:
    """The demo issue of this repository and its article files, read with bulletin's own loaders."""
    from bulletin.store.workspace import Workspace

    ws = Workspace.find(REPO)
    key = ws.resolve("10")
    meta, _ = ws.load_issue(key)
    return "10", [ws.issue_dir(key) / name for name in meta.articles]


def docxtpl_template(path: Path) -> None:
    """A Word template that loops over the articles: title, paragraphs, source line."""
    from docx import Document

    doc = Document()
    for text, style in [("{%p for a in articles %}", None), ("{{ a.title }}", "Title"),
                        ("{%p for p in a.paragraphs %}", None), ("{{ p }}", None), ("{%p endfor %}", None),
                        ("{%p if a.source %}", None), ("（{{ a.source }}供稿）", None), ("{%p endif %}", None),
                        ("{%p endfor %}", None)]:
        doc.add_paragraph(text, style=style)
    doc.save(str(path))


# --- measuring ----------------------------------------------------------------------------------------

@dataclass
class Job:
    """One thing to time: one or more commands run one after the other (twenty pandoc runs)."""

    name: str
    commands: list[list[str]]
    env: dict[str, str] | None = None
    seconds: list[float] = field(default_factory=list)
    peak_kb: int = 0

    def run(self, launcher: "Launcher") -> None:
        total = 0.0
        for argv in self.commands:
            seconds, peak_kb = launcher.run(argv, self.env)
            total += seconds
            self.peak_kb = max(self.peak_kb, peak_kb)
        self.seconds.append(total)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.seconds) * 1000


# A child's peak memory counts the memory of the process it was started from (fork and exec keep the
# high-water mark), so commands are started by this small helper process rather than by the benchmark,
# which holds python-docx and pydantic: a ~10 MB floor instead of ~45 MB. It times each command from
# spawn to exit and reports (seconds, peak KB, exit status) as one JSON line.
LAUNCHER = """
import json, os, sys, time
os.chdir(sys.argv[1])
for line in sys.stdin:
    argv, env, err_path = json.loads(line)
    err = os.open(err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    actions = [(os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, os.devnull, os.O_WRONLY, 0), (os.POSIX_SPAWN_DUP2, err, 2)]
    start = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=actions)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    os.close(err)
    print(json.dumps([seconds, usage.ru_maxrss, os.waitstatus_to_exitcode(status)]), flush=True)
"""


class Launcher:
    """Runs commands to their end, each timed from start to exit, with its peak resident memory."""

    def __init__(self, tmp: Path):
        self.err = tmp / "stderr.txt"
        self.proc = None
        if hasattr(os, "posix_spawn") and hasattr(os, "wait4"):
            self.proc = subprocess.Popen([sys.executable, "-I", "-S", "-c", LAUNCHER, str(REPO)],
                                         stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)

    def run(self, argv: list[str], env: dict[str, str] | None) -> tuple[float, int]:
        """Wall-clock seconds and peak memory in KB (0 where the OS cannot say) of one command."""
        argv = [shutil.which(argv[0]) or argv[0]] + argv[1:]
        env = dict(os.environ if env is None else env)
        if self.proc is None:  # Windows: no posix_spawn, no wait4 — time only
            start = time.perf_counter()
            with open(self.err, "wb") as err:
                code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=REPO).returncode
            seconds, peak = time.perf_counter() - start, 0
        else:
            self.proc.stdin.write(json.dumps([argv, env, str(self.err)]) + "\n")
            self.proc.stdin.flush()
            seconds, peak, code = json.loads(self.proc.stdout.readline())
            peak //= 1024 if sys.platform == "darwin" else 1  # macOS counts bytes
        if code != 0:
            raise SystemExit(f"failed ({code}): {' '.join(argv)}\n"
                             f"{self.err.read_text(encoding='utf-8', errors='replace')}")
        return seconds, peak

    def close(self) -> None:
        if self.proc is not None:
            self.proc.stdin.close()
            self.proc.wait()


def measure(launcher: Launcher, jobs: list[Job], rounds: int, progress: str) -> None:
    """Warm up once, then run every job once per round, rotating the order each round."""
    for job in jobs:
        job.run(launcher)
        job.seconds.clear()
        job.peak_kb = 0  # the warm-up compiles the bytecode cache: not what a run costs
    for r in range(rounds):
        print(f"\r{progress}: round {r + 1}/{rounds}", end="", file=sys.stderr, flush=True)
        for job in jobs[r % len(jobs):] + jobs[: r % len(jobs)]:
            job.run(launcher)
    print(file=sys.stderr)


# --- the comparisons ----------------------------------------------------------------------------------

@dataclass
class Tools:
    bulletin: list[str]
    python: str
    pandoc: str | None
    docxtpl: bool
    env: dict[str, str]
    out: Path
    launcher: Launcher
    template: Path | None = None

    def render(self, workspace: Path, issue: str, out: str) -> list[str]:
        return self.bulletin + ["--workspace", str(workspace), "render", issue, "-o", str(self.out / out)]

    def pandoc_cmd(self, files: list[Path], out: str) -> list[str]:
        return [self.pandoc, "--from", "markdown", "--to", "docx", "--resource-path", str(files[0].parent),
                "-o", str(self.out / out)] + [str(f) for f in files]

    def docxtpl_cmd(self, files: list[Path], out: str) -> list[str]:
        return [self.python, str(PEER_SCRIPT), str(self.template), str(self.out / out)] + [str(f) for f in files]

    def peers(self, issues: list[list[Path]], stem: str) -> list[Job]:
        """pandoc and docxtpl jobs, one run per issue of `issues`, as far as they are installed."""
        jobs = []
        if self.pandoc:
            jobs.append(Job("pandoc", [self.pandoc_cmd(f, f"{stem}-pandoc-{i}.docx") for i, f in enumerate(issues)]))
        if self.docxtpl:
            jobs.append(Job("docxtpl", [self.docxtpl_cmd(f, f"{stem}-docxtpl-{i}.docx")
                                        for i, f in enumerate(issues)], self.env))
        return jobs


def bulletin_command() -> list[str]:
    """The installed console script, not a shim in front of it (pyenv's adds its own start-up)."""
    script = Path(sysconfig.get_path("scripts")) / ("bulletin.exe" if os.name == "nt" else "bulletin")
    return [str(script)] if script.is_file() else [sys.executable, "-m", "bulletin.cli"]


def _version(argv: list[str]) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=30).stdout.split("\n")[0].strip()
    except OSError:
        return "?"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def _fmt_ms(ms: float) -> str:
    return f"{ms:,.0f} ms" if ms >= 10 else f"{ms:.1f} ms"


def summary_row(label: str, jobs: dict[str, Job], target: tuple[str, float] | None) -> dict:
    """The medians, ratios and peaks of one comparison; `target` is (peer, largest ratio allowed)."""
    b = jobs["bulletin"]
    row = {"what": label, "bulletin_ms": b.median_ms, "bulletin_peak_mb": b.peak_kb / 1024}
    for peer in ("pandoc", "docxtpl"):
        if peer in jobs:
            row[f"{peer}_ms"] = jobs[peer].median_ms
            row[f"{peer}_peak_mb"] = jobs[peer].peak_kb / 1024
            row[f"ratio_{peer}"] = b.median_ms / jobs[peer].median_ms
    if target is not None and f"ratio_{target[0]}" in row:
        row["target"] = f"≤ {target[1]:g}× {target[0]}"
        row["met"] = row[f"ratio_{target[0]}"] <= target[1]
    return row


def markdown_table(rows: list[dict]) -> str:
    lines = ["| what | bulletin | pandoc | bulletin/pandoc | docxtpl | bulletin/docxtpl | target "
             "| peak MB: bulletin / pandoc / docxtpl |",
             "|---|--:|--:|--:|--:|--:|:-:|--:|"]
    for r in rows:
        def ms(key):
            return _fmt_ms(r[key]) if key in r else "–"

        def ratio(key):
            return f"{r[key]:.2f}×" if key in r else "–"
        target = "–"
        if "target" in r:
            target = f"{r['target']} {'met' if r['met'] else 'NOT met'}"
        peaks = " / ".join(f"{r[k]:.0f}" if k in r else "–"
                           for k in ("bulletin_peak_mb", "pandoc_peak_mb", "docxtpl_peak_mb"))
        lines.append(f"| {r['what']} | {ms('bulletin_ms')} | {ms('pandoc_ms')} | {ratio('ratio_pandoc')} "
                     f"| {ms('docxtpl_ms')} | {ratio('ratio_docxtpl')} | {target} | {peaks} |")
    return "\n".join(lines)


@dataclass
class Report:
    rows: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    raw: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # comparison → job → seconds

    def add(self, label: str, jobs: list[Job], target: tuple[str, float] | None) -> dict[str, Job]:
        by_name = {j.name: j for j in jobs}
        self.rows.append(summary_row(label, by_name, target))
        self.raw[label] = {j.name: j.seconds for j in jobs}
        return by_name


def compare_demo(tools: Tools, report: Report, rounds: int) -> None:
    """`bulletin render 10` on the repository against the peers on the issue's article files, with
    Python's own start-up and the bare imports of the render path beside them, for scale."""
    issue, files = demo_articles()
    python = [Job("python", [[tools.python, "-c", "pass"]], tools.env),
              Job("imports", [[tools.python, "-c", "import pydantic, ruamel.yaml, markdown_it; "
                                               "from pydantic import BaseModel"]], tools.env)]
    jobs = [Job("bulletin", [tools.render(REPO, issue, "demo.docx")], tools.env)]
    jobs += tools.peers([files], "demo") + python
    measure(tools.launcher, jobs, rounds, "demo")
    by_name = report.add(f"demo issue {issue}, {len(files)} articles: `render`", jobs, ("docxtpl", 1.3))
    report.notes.append(f"Python start-up alone (`python -c pass`): {_fmt_ms(by_name['python'].median_ms)}; "
                        f"importing pydantic, ruamel.yaml and markdown-it-py and nothing else: "
                        f"{_fmt_ms(by_name['imports'].median_ms)}.")


def _compile_job(tools: Tools, root: Path, out: str) -> Job:
    return Job("bulletin", [tools.bulletin + ["--workspace", str(root), "compile", str(YEAR), "--drafts",
                                              "-o", str(tools.out / out)]], tools.env)


def compare_year(tools: Tools, report: Report, rounds: int, root: Path) -> dict[str, Job]:
    """One `bulletin compile` of a generated year against one peer run per issue."""
    issues = year_workspace(root)
    jobs = [_compile_job(tools, root, "year.docx")] + tools.peers(issues, "year")
    measure(tools.launcher, jobs, rounds, "year")
    return report.add(f"a year of {len(issues)} issues × {len(issues[0])} articles: one `compile` vs "
                      f"{len(issues)} peer runs", jobs, ("pandoc", 0.4))


def compare_years(tools: Tools, report: Report, rounds: int, root: Path, year: dict[str, Job] | None) -> None:
    """One compile of 100 issues against 100 pandoc runs (docxtpl's hundred runs would take a minute
    a round); with the year's figures, the time each added issue costs."""
    issues = year_workspace(root, issues=100, days_apart=3)
    jobs = [_compile_job(tools, root, "years.docx")]
    if tools.pandoc:
        jobs.append(Job("pandoc", [tools.pandoc_cmd(f, f"years-pandoc-{i}.docx") for i, f in enumerate(issues)]))
    measure(tools.launcher, jobs, rounds, "five years")
    hundred = report.add(f"five years' worth: {len(issues)} issues × {len(issues[0])} articles in one `compile` vs "
                         f"{len(issues)} pandoc runs", jobs, ("pandoc", 0.4))
    if year:
        steps = [f"{name} {(hundred[name].median_ms - year[name].median_ms) / 80:.1f} ms"
                 for name in hundred if name in year]
        per_issue = year["bulletin"].median_ms / 20
        report.notes.append(f"time per added issue, from 20 to 100 issues: " + ", ".join(steps)
                            + f" (bulletin's whole year of 20: {per_issue:.1f} ms an issue).")


def compare_sizes(tools: Tools, report: Report, rounds: int, root: Path, sizes: list[int]) -> None:
    """`bulletin render` of one issue of each size; the time each added article costs between sizes."""
    per_size = {}
    for n, (issue, files) in sizes_workspace(root, sizes).items():
        jobs = [Job("bulletin", [tools.render(root, issue, f"sizes-{n}.docx")], tools.env)]
        jobs += tools.peers([files], f"sizes-{n}")
        measure(tools.launcher, jobs, rounds, f"{n:,} articles")
        per_size[n] = report.add(f"one issue of {n:,} articles: `render`", jobs, None)
    for a, b in zip(sizes, sizes[1:]):
        steps = [f"{name} {(per_size[b][name].median_ms - per_size[a][name].median_ms) / (b - a):.2f} ms"
                 for name in per_size[a]]
        each = (per_size[b]["bulletin"].median_ms - per_size[a]["bulletin"].median_ms) / (b - a)
        verdict = f" (target for bulletin ≤ 1.0 ms: {'met' if each <= 1.0 else 'NOT met'})" if b >= 1000 else ""
        report.notes.append(f"time per added article, from {a:,} to {b:,} articles: " + ", ".join(steps)
                            + verdict + ".")
    biggest = max(sizes)
    peak = per_size[biggest]["bulletin"].peak_kb / 1024
    if biggest >= 1000 and peak:
        report.notes.append(f"peak memory of bulletin for {biggest:,} articles: {peak:.0f} MB (target ≤ 80 MB: "
                            f"{'met' if peak <= 80 else 'NOT met'}).")


def _load_average() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()) if hasattr(os, "getloadavg") else ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, help="rounds per comparison (default: 15 demo, 7 year and sizes)")
    parser.add_argument("--quick", action="store_true", help="3 rounds each")
    parser.add_argument("--sizes", default="10,100,1000", help="articles per issue for the linearity check")
    parser.add_argument("--only", choices=["demo", "year", "years", "sizes"], action="append",
                        help="run only this comparison (repeatable)")
    parser.add_argument("--json", type=Path, help="also write the figures and every timing as JSON to this file")
    parser.add_argument("--bulletin", help="the command to measure (default: the console script beside this "
                                           "Python), e.g. '/opt/venv/bin/bulletin' to compare another install")
    args = parser.parse_args(argv)
    only = set(args.only or ["demo", "year", "years", "sizes"])
    demo_rounds, other_rounds = (3, 3) if args.quick else (args.rounds or 15, args.rounds or 7)

    pandoc = shutil.which("pandoc")
    if not pandoc:
        print(INSTALL_PANDOC, file=sys.stderr)
    has_docxtpl = importlib.util.find_spec("docxtpl") is not None
    if not has_docxtpl:
        print(INSTALL_DOCXTPL, file=sys.stderr)

    load_before = _load_average()
    report = Report()
    with tempfile.TemporaryDirectory(prefix="bulletin-bench-") as tmp_name:
        tmp = Path(tmp_name)
        env = {k: v for k, v in os.environ.items() if k not in ("PYTHONDONTWRITEBYTECODE", "BULLETIN_WORKSPACE")}
        env.setdefault("PYTHONPYCACHEPREFIX", str(tmp / "pycache"))
        (tmp / "out").mkdir()
        command = shlex.split(args.bulletin) if args.bulletin else bulletin_command()
        tools = Tools(command, sys.executable, pandoc, has_docxtpl, env, tmp / "out", Launcher(tmp))
        if has_docxtpl:
            tools.template = tmp / "template.docx"
            docxtpl_template(tools.template)
        try:
            if "demo" in only:
                compare_demo(tools, report, demo_rounds)
            year = compare_year(tools, report, other_rounds, tmp / "year") if "year" in only else None
            if "years" in only:
                compare_years(tools, report, other_rounds, tmp / "years", year)
            if "sizes" in only:
                compare_sizes(tools, report, other_rounds, tmp / "sizes", [int(n) for n in args.sizes.split(",")])
        finally:
            tools.launcher.close()

    head = [f"machine: {machine()}; {load_before} before, {_load_average()} after",
            f"pandoc: {_version([pandoc, '--version']) if pandoc else 'not installed'}; docxtpl: "
            f"{_dist_version('docxtpl') if has_docxtpl else 'not installed'}; bulletin: {' '.join(tools.bulletin)}",
            f"medians of alternating rounds ({demo_rounds} demo, {other_rounds} year and sizes); whole commands, "
            f"start-up included; peak = maximum resident memory of one process"]
    print("\n".join(head) + "\n\n" + markdown_table(report.rows))
    for note in report.notes:
        print(f"\n{note}")
    if args.json:
        args.json.write_text(json.dumps({"head": head, "rows": report.rows, "notes": report.notes,
                                         "seconds": report.raw}, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def _dist_version(name: str) -> str:
    from importlib.metadata import version

    return version(name)


if __name__ == "__main__":
    sys.exit(main())
