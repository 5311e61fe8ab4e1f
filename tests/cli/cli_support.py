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
