"""From an empty folder: init → new → add → check → render → list/show, the way an office starts."""
from __future__ import annotations

import datetime as _dt
import json
import re

from cli_support import ok, run, snapshot

# `bulletin init` numbers the first issue of the current year 第1期（总第1期）.
YEAR = _dt.date.today().year

ARTICLE = """\
---
title: 我市召开政务公开工作推进会
source: 市政府办公室
section: 工作动态
---

3月1日上午，我市召开政务公开工作推进会，总结去年工作，部署今年任务。

会议要求，各地各部门要**“应公开尽公开”**，及时回应社会关切。
"""


def test_init_creates_a_starter_workspace(tmp_path):
    target = tmp_path / "office"
    done = ok(run("init", target, "--name", "测试简报", "--editor", "测试办公室", cwd=tmp_path))
    assert (target / "bulletin.toml").is_file()
    assert (target / "recipients.yaml").is_file()
    printed = done.stdout.split()
    assert any(p.endswith("bulletin.toml") for p in printed)
    assert any(p.endswith("recipients.yaml") for p in printed)
    config = (target / "bulletin.toml").read_text(encoding="utf-8")
    assert '"测试简报"' in config and '"测试办公室"' in config
    # the starter is a valid workspace straight away
    checked = ok(run("check", workspace=target))
    assert "error" not in checked.stderr.replace("0 error(s)", "")


def test_init_refuses_an_existing_workspace(tmp_path):
    target = tmp_path / "office"
    ok(run("init", target, "--name", "测试简报", cwd=tmp_path))
    (target / "bulletin.toml").write_text((target / "bulletin.toml").read_text(encoding="utf-8") + "# mine\n",
                                          encoding="utf-8")
    before = snapshot(target)
    done = run("init", target, "--name", "别的简报", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "bulletin.toml" in done.stderr
    assert snapshot(target) == before


def test_init_new_add_check_render_list_show(tmp_path):
    target = tmp_path / "office"
    ok(run("init", target, "--name", "测试简报", "--editor", "测试办公室", cwd=tmp_path))

    # numbering: 第1期（总第1期）, then 第2期（总第2期）, then a new year restarts at 第1期 but the total goes on
    first = ok(run("new", "--date", f"{YEAR}-03-01", workspace=target))
    assert first.stdout.strip() == f"第1期（总第1期） issues/{YEAR}/01"
    assert (target / f"issues/{YEAR}/01/issue.yaml").is_file()
    second = ok(run("new", "--date", f"{YEAR}-03-15", cwd=target))
    assert second.stdout.strip() == f"第2期（总第2期） issues/{YEAR}/02"
    third = ok(run("new", "--date", f"{YEAR + 1}-01-05", cwd=target))
    assert third.stdout.strip() == f"第1期（总第3期） issues/{YEAR + 1}/01"

    # add: the file is copied into the issue folder and appended to `articles`
    source = tmp_path / "submissions" / "meeting.md"
    source.parent.mkdir()
    source.write_text(ARTICLE, encoding="utf-8")
    added = ok(run("add", f"{YEAR}-1", source, workspace=target))
    copied = target / f"issues/{YEAR}/01/meeting.md"
    assert copied.read_bytes() == source.read_bytes()
    assert added.stdout.strip().endswith("meeting.md")
    issue_yaml = (target / f"issues/{YEAR}/01/issue.yaml").read_text(encoding="utf-8")
    assert re.search(r"^articles:\n\s+- meeting\.md$", issue_yaml, re.M), issue_yaml
    assert re.search(rf"^date: {YEAR}-03-01$", issue_yaml, re.M)  # the rest of the file is kept

    # a second add of a file with the same name does not overwrite the first
    ok(run("add", f"{YEAR}-1", source, workspace=target))
    issue_yaml = (target / f"issues/{YEAR}/01/issue.yaml").read_text(encoding="utf-8")
    names = re.findall(r"^\s+- (\S+\.md)$", issue_yaml, re.M)
    assert len(names) == 2 and names[0] == "meeting.md" and names[1] != "meeting.md"
    assert (target / f"issues/{YEAR}/01" / names[1]).read_bytes() == source.read_bytes()

    # check: no errors (the two empty issues are only warnings)
    checked = ok(run("check", workspace=target))
    assert re.search(r"^0 error\(s\)", checked.stderr, re.M), checked.stderr

    # render: prints the path of build/<name>-YEAR-第1期.docx, which exists
    rendered = ok(run("render", f"{YEAR}-1", workspace=target))
    path = tmp_path / rendered.stdout.strip()  # absolute, or relative to the folder it ran in
    assert rendered.stdout.strip().endswith(f"-{YEAR}-第1期.docx")
    assert path.is_file() and path.stat().st_size > 0
    assert path.resolve().parent == (target / "build").resolve()
    assert path.name == f"测试简报-{YEAR}-第1期.docx"

    # -o OUT writes exactly there
    out = tmp_path / "out" / "issue1.docx"
    rendered_o = ok(run("render", f"{YEAR}-1", "-o", out, workspace=target))
    assert out.is_file()
    assert rendered_o.stdout.strip().endswith("issue1.docx")

    # list: three issues, one with two articles
    listed = ok(run("list", "--json", workspace=target))
    rows = json.loads(listed.stdout)
    assert [(r["issue"], r["total"], r["date"], r["articles"]) for r in rows] == [
        (f"{YEAR}-1", 1, f"{YEAR}-03-01", 2), (f"{YEAR}-2", 2, f"{YEAR}-03-15", 0),
        (f"{YEAR + 1}-1", 3, f"{YEAR + 1}-01-05", 0)]

    # show: the articles with their titles and sources
    shown = ok(run("show", f"{YEAR}-1", "--json", workspace=target))
    data = json.loads(shown.stdout)
    assert data["label"] == "第1期（总第1期）"
    assert [a["title"] for a in data["articles"]] == ["我市召开政务公开工作推进会"] * 2
    assert data["articles"][0]["source"] == "市政府办公室"
