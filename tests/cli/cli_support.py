"""Helpers for the end-to-end CLI tests: run `bulletin` in a subprocess on a temporary workspace.

Every test builds its own workspace under pytest's tmp_path, so nothing here touches the repository's
demo workspace. The CLI runs as `python -m bulletin.cli`, with stdout and stderr captured separately,
and without any BULLETIN_WORKSPACE the caller's environment may carry.
"""
from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

# bulletin.toml: the workspace holds issues from 2026 第10期（总第30期） on.
CONFIG_TOML = """\
[series]
name = "测试简报"
masthead = ["××市政务公开工作", "简报"]
editor = "测试办公室"
marking = "内部资料　注意保存"
first = { year = 2026, number = 10, total = 30 }

[print]
preset = "gbt9704"
archive_copies = 5
"""

# recipients.yaml: line numbers are asserted by the bad-input tests; keep them in place.
RECIPIENTS_YAML = """\
recipients:
  - id: shiwei
    name: 市委办公室
    role: 报
    copies: 2
  - id: renda
    name: 市人大常委会办公室
    role: 报
  - id: districts
    name: 各区人民政府
    role: 送
    copies: 12
  - id: towns
    name: 各镇（街道）
    role: 发
    copies: 7
lists:
  default: [shiwei, renda, districts]
  short: [shiwei]
"""
# copies of the default list: 2 + 1 + 12 = 15; with archive_copies 5 → 共印 20.
DEFAULT_LIST_COPIES = 15
ARCHIVE_COPIES = 5

# issues/2026/10/issue.yaml: line numbers are asserted by the bad-input tests; keep them in place.
ISSUE_YAML = """\
number: 10
total: 30
date: 2026-11-20
kind: regular
status: draft
editor_note: ""
articles:
  - 01-first.md
  - 02-second.md
distribution:
  lists: [default]
  add: []
  remove: []
  extra: []
copies: null
people: { editor: "王××", reviewer: "李××", signer: "张××" }
"""

ARTICLE_1 = """\
---
title: 我市深化政务公开工作取得新成效
section: 工作动态
---

今年以来，我市坚持以公开促落实、以公开促规范、以公开促服务，持续深化**“一网通办”**改革。

# 加强领导

成立工作专班，明确责任分工。
"""

ARTICLE_2 = """\
---
title: 市税务局推进税费政策公开
source: 市税务局
section: 经验交流
---

市税务局聚焦经营主体关切，以税费优惠政策公开为重点，推动各项政策直达快享。
"""

ISSUE_DIR = Path("issues/2026/10")


def write_workspace(root: Path, *, issue_yaml: str = ISSUE_YAML, config: str = CONFIG_TOML,
                    recipients: str = RECIPIENTS_YAML, articles: dict[str, str] | None = None) -> Path:
    """A complete workspace at `root` with issue 2026-10 and its two articles."""
    if articles is None:
        articles = {"01-first.md": ARTICLE_1, "02-second.md": ARTICLE_2}
    root.mkdir(parents=True, exist_ok=True)
    (root / "bulletin.toml").write_text(config, encoding="utf-8")
    (root / "recipients.yaml").write_text(recipients, encoding="utf-8")
    folder = root / ISSUE_DIR
    folder.mkdir(parents=True)
    (folder / "issue.yaml").write_text(issue_yaml, encoding="utf-8")
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    return root


def clean_env(**extra: str) -> dict[str, str]:
    """The environment for the CLI: no BULLETIN_WORKSPACE unless given."""
    env = {k: v for k, v in os.environ.items() if k != "BULLETIN_WORKSPACE"}
    env.update(extra)
    return env


def run(*args: str, cwd: Path | None = None, workspace: Path | None = None,
        env: dict[str, str] | None = None, exe: list[str] | None = None) -> subprocess.CompletedProcess:
    """Run the CLI; `workspace` becomes the global `--workspace DIR` option before the subcommand.

    Without `cwd` it runs in the system's temporary folder, never in the repository (itself a demo
    workspace), so a test that forgets `--workspace` cannot touch the demo issue.
    """
    cmd = list(exe or [sys.executable, "-m", "bulletin.cli"])
    if workspace is not None:
        cmd += ["--workspace", str(workspace)]
    cmd += [str(a) for a in args]
    return subprocess.run(cmd, cwd=cwd or tempfile.gettempdir(), env=env if env is not None else clean_env(),
                          capture_output=True, text=True, timeout=120)


def copy_demo(ws: Path) -> Path:
    """The repository's demo workspace (bulletin.toml, recipients.yaml, issues/, templates/) copied to the
    new folder `ws`, so a test may change it; the demo itself is never touched. Returns `ws`."""
    import shutil

    repo = Path(__file__).resolve().parents[2]
    ws.mkdir(parents=True)
    for name in ("bulletin.toml", "recipients.yaml"):
        shutil.copy(repo / name, ws / name)
    shutil.copytree(repo / "issues", ws / "issues")
    if (repo / "templates").is_dir():
        shutil.copytree(repo / "templates", ws / "templates")
    return ws


def kill_tree(pid: int) -> None:
    """SIGKILL process `pid` and the processes it started (soffice: oosplash, soffice.bin), as a crash would."""
    import signal

    children = Path(f"/proc/{pid}/task/{pid}/children")
    tree = [pid] + ([int(c) for c in children.read_text().split()] if children.exists() else [])
    for one in tree:
        try:
            os.kill(one, signal.SIGKILL)
        except ProcessLookupError:
            pass


def git_env(tmp: Path) -> dict[str, str]:
    """Git's environment for a test: a home of its own under `tmp` and no system or user settings,
    so the machine's git configuration cannot change what a test sees."""
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    return {"HOME": str(home), "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": str(home / "nothing")}


def run_ok(env: dict[str, str], ws: Path, *args: str, stdin: str = "") -> str:
    """Run the CLI on workspace `ws` with `env` (and `stdin`, e.g. a password), assert it succeeded,
    and return what it printed."""
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), *args], input=stdin,
                          env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def ok(done: subprocess.CompletedProcess) -> subprocess.CompletedProcess:
    """Assert a successful run (exit 0, no traceback) and return it."""
    assert done.returncode == 0, f"exit {done.returncode}\nstdout:\n{done.stdout}\nstderr:\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    return done


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under `root` (folders map to None) with its bytes: compare before/after."""
    out: dict[str, bytes | None] = {}
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        out[rel] = None if path.is_dir() else path.read_bytes()
    return out


# --- the language of messages ---------------------------------------------------------------------

LOCALE_VARIABLES = ("BULLETIN_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


def env_in(**language: str) -> dict[str, str]:
    """clean_env() with only the given language variables (BULLETIN_LANG="zh", LANG="C" …): none of the
    caller's own locale variables is left to decide."""
    env = {k: v for k, v in clean_env().items() if k not in LOCALE_VARIABLES}
    env.update(language)
    return env


# Languages a bad-input test runs in: the environment given to `bulletin`, and the language expected.
LANGUAGES = {
    "BULLETIN_LANG=zh": ({"BULLETIN_LANG": "zh", "LANG": "C"}, "zh"),
    "LANG=zh_CN.UTF-8": ({"LANG": "zh_CN.UTF-8"}, "zh"),
    "LANG=C": ({"LANG": "C"}, "en"),
}

import re as _re  # noqa: E402

_HAN = _re.compile(r"[\u3400-\u9fff]")
# `path:line: `, `path:line:col: `, `path: ` in front of a message (the path has no spaces in tests).
_PLACE = _re.compile(r"^(?:[^\s:]+:\d+(?::\d+)?|[^\s:]+): ")
# Quoted values (the user's own words, keys, names): Chinese quotes, ASCII quotes, 【column】, and an
# id or key alone in full-width brackets, as in 第3位接收者（districts）.
_QUOTED = _re.compile(r"“[^”]*”|‘[^’]*’|「[^」]*」|【[^】]*】|\"[^\"]*\"|'[^']*'|（[\x21-\x7e]+）")
# How the CLI is run in the tests, and `bulletin <command>` in a hint.
_PROGRAM = _re.compile(r"(?:\S*python\S* -m bulletin\.cli|\bbulletin)(?: (?:init|new|add|list|show|check|render|"
                       r"publish|recipients|distribution|compile|stats|lint))?\b")
_ASCII_TOKEN = _re.compile(r"[A-Za-z0-9_.\-/\\=$@\[\]{}|+~]+")
# Names that stay as they are in Chinese text.
NAMES = {"Word", "LibreOffice", "OpenCC", "Markdown", "Excel", "Tab", "Windows", "jieba", "docx", "csv", "yaml",
         "toml"}


def english_words(line: str) -> list[str]:
    """The English words of 3+ letters left in a message line once its place, quoted values, paths,
    options, file names, the program's name and commands, ALL-CAPS names (YAML, TOML, UTF-8, ISSUE) and
    the names above are taken out."""
    text = _PLACE.sub("", line, count=1)
    text = _QUOTED.sub(" ", text)
    text = _PROGRAM.sub(" ", text)
    words = []
    for token in _ASCII_TOKEN.findall(text):
        if token.startswith("-") or _re.search(r"[0-9_./\\=$@\[\]{}|+~]", token):
            continue  # an option, a path, a file name, a key, a date, a number
        if len(token) < 3 or token.isupper() or token in NAMES:
            continue
        words.append(token)
    return words


def assert_chinese(text: str) -> None:
    """Every non-empty line of `text` (stderr) is Chinese: Han characters, and no English word left
    (see english_words)."""
    bad = [(line, english_words(line)) for line in text.splitlines()
           if line.strip() and (english_words(line) or not _HAN.search(_PLACE.sub("", line, count=1)))]
    assert text.strip() and not bad, "lines not in Chinese:\n" + "\n".join(f"  {line!r}: {words}" for line, words in bad)


def assert_english(text: str) -> None:
    """No line of `text` speaks Chinese outside quoted values and the Chinese words of the domain
    (第10期, 共印 …): English messages have English words in every line."""
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines and all(_re.search(r"[A-Za-z]{3,}", _QUOTED.sub(" ", _PLACE.sub("", line, count=1)))
                         for line in lines), text
    assert "错误" not in text and "用法" not in text, text


def free_port() -> int:
    """A port nothing listens on now (the kernel's pick)."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def serving(ws: Path, *args: str, env: dict | None = None, cwd: Path | None = None):
    """`bulletin serve` over workspace `ws` on a free port, as a clerk starts it (a process of its own):
    a context manager giving its base URL once it answers, and stopping it afterwards. `args` are more
    options of `serve` (e.g. "--no-history"); `env` the process's environment (default: this one, with
    the checkout first on the path)."""
    import contextlib
    import os
    import subprocess
    import sys
    import time
    import urllib.request

    import pytest

    repo = Path(__file__).resolve().parents[2]
    if env is None:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(repo), os.environ.get("PYTHONPATH", "")])}

    @contextlib.contextmanager
    def served():
        port = free_port()
        server = subprocess.Popen([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), "serve",
                                   "--port", str(port), *args], env=env, cwd=cwd, stdin=subprocess.DEVNULL,
                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        url = f"http://127.0.0.1:{port}"
        try:
            for _attempt in range(300):
                try:
                    urllib.request.urlopen(url + "/", timeout=2).close()
                    break
                except OSError:
                    if server.poll() is not None:
                        pytest.fail(f"bulletin serve stopped:\n{server.stdout.read()}")
                    time.sleep(0.1)  # polling for the server to listen, not waiting for a result
            else:
                pytest.fail("bulletin serve did not answer")
            yield url
        finally:
            server.terminate()
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
            if server.stdout:
                server.stdout.close()

    return served()
