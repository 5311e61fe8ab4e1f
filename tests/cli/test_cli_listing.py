"""`list`, `list --json` and `show`: the issues, their articles, their distribution and 共印."""
from __future__ import annotations

import json

from cli_support import (
    ARCHIVE_COPIES,
    DEFAULT_LIST_COPIES,
    ISSUE_YAML,
    ok,
    run,
    snapshot,
    write_workspace,
)

HEADER = "issue\tlabel\ttotal\tdate\tkind\tstatus\tarticles\tcopies"


def _two_issues(tmp_path, issue_11_changes=None):
    """Issue 10 (default list) and issue 11 with its own distribution."""
    ws = write_workspace(tmp_path / "ws")
    text = (ISSUE_YAML.replace("number: 10", "number: 11").replace("total: 30", "total: 31")
            .replace("date: 2026-11-20", "date: 2026-12-01")
            .replace("articles:\n  - 01-first.md\n  - 02-second.md\n", "articles: []\n"))
    for old, new in (issue_11_changes or {}).items():
        assert old in text
        text = text.replace(old, new)
    (ws / "issues/2026/11").mkdir()
    (ws / "issues/2026/11/issue.yaml").write_text(text, encoding="utf-8")
    return ws


def test_list_is_tab_separated_text_when_piped(tmp_path):
    ws = _two_issues(tmp_path, {"copies: null": "copies: 120"})
    done = ok(run("list", workspace=ws))
    lines = done.stdout.splitlines()
    assert lines[0] == HEADER
    copies = DEFAULT_LIST_COPIES + ARCHIVE_COPIES
    assert lines[1:] == [f"2026-10\t第10期（总第30期）\t30\t2026-11-20\tregular\tdraft\t2\t{copies}",
                         "2026-11\t第11期（总第31期）\t31\t2026-12-01\tregular\tdraft\t0\t120"]
    assert not any(ch in done.stdout for ch in "┏━│┃╭")  # no rich table when piped


def test_list_json_and_year_filter(tmp_path):
    ws = _two_issues(tmp_path, {"  lists: [default]": "  lists: [short]", "  add: []": "  add: [towns]"})
    rows = json.loads(ok(run("list", "--json", workspace=ws)).stdout)
    assert [{k: r[k] for k in ("issue", "label", "total", "date", "kind", "status", "articles", "copies")}
            for r in rows] == [
        {"issue": "2026-10", "label": "第10期（总第30期）", "total": 30, "date": "2026-11-20", "kind": "regular", "status": "draft",
         "articles": 2, "copies": DEFAULT_LIST_COPIES + ARCHIVE_COPIES},
        # short = [shiwei] (2 copies) + towns (7) + archive 5
        {"issue": "2026-11", "label": "第11期（总第31期）", "total": 31, "date": "2026-12-01", "kind": "regular", "status": "draft",
         "articles": 0, "copies": 2 + 7 + ARCHIVE_COPIES},
    ]
    assert json.loads(ok(run("list", "--json", "--year", "2025", workspace=ws)).stdout) == []
    only = ok(run("list", "--year", "2026", workspace=ws)).stdout.splitlines()
    assert only[0] == HEADER and len(only) == 3


def test_show_lists_articles_and_distribution_with_copies(ws):
    done = ok(run("show", "10", workspace=ws))
    out = done.stdout
    assert out.splitlines()[0].startswith("第10期（总第30期）")
    assert "2026-11-20" in out.splitlines()[0]
    lines = out.splitlines()
    assert "1\t01-first.md\t我市深化政务公开工作取得新成效\t\t工作动态" in lines
    assert "2\t02-second.md\t市税务局推进税费政策公开\t市税务局\t经验交流" in lines
    for row in ("报\t市委办公室\t2", "报\t市人大常委会办公室\t1", "送\t各区人民政府\t12"):
        assert row in lines, row
    assert not any("各镇（街道）" in line for line in lines)  # not on the default list
    total = [line for line in lines if "共印" in line]
    assert total and total[0].endswith(f"\t{DEFAULT_LIST_COPIES + ARCHIVE_COPIES}"), total


def test_show_json_follows_add_remove_and_the_copies_override(tmp_path):
    ws = _two_issues(tmp_path, {"  add: []": "  add: [towns]", "  remove: []": "  remove: [districts]"})
    data = json.loads(ok(run("show", "11", "--json", workspace=ws)).stdout)
    assert data["label"] == "第11期（总第31期）"
    assert data["articles"] == []
    assert [(r["role"], r["id"], r["copies"]) for r in data["distribution"]] == [
        ("报", "shiwei", 2), ("报", "renda", 1), ("发", "towns", 7)]
    assert data["copies"] == 2 + 1 + 7 + ARCHIVE_COPIES

    override = _two_issues(tmp_path / "b", {"copies: null": "copies: 300"})
    data = json.loads(ok(run("show", "2026-11", "--json", workspace=override)).stdout)
    assert data["copies"] == 300
    shown = ok(run("show", "2026-11", workspace=override)).stdout.splitlines()
    assert [line for line in shown if "共印" in line][0].endswith("\t300")


def test_listing_commands_change_nothing(ws):
    before = snapshot(ws)
    ok(run("list", workspace=ws))
    ok(run("show", "10", workspace=ws))
    assert snapshot(ws) == before
