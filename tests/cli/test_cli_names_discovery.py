"""Naming an issue (10, 2026-10), usage errors, and finding the workspace (--workspace, env, upward)."""
from __future__ import annotations

import json

import pytest
from cli_support import ISSUE_YAML, clean_env, ok, run, snapshot


def _label(done) -> str:
    return json.loads(done.stdout)["label"] + " " + json.loads(done.stdout)["folder"]


@pytest.mark.parametrize("name", ["10", "2026-10"])
def test_issue_names(ws, name):
    done = ok(run("show", name, "--json", workspace=ws))
    assert _label(done) == "第10期（总第30期） issues/2026/10"


def test_bare_number_means_the_latest_year_that_has_it(ws):
    older = ws / "issues/2025/10"
    older.mkdir(parents=True)
    (older / "issue.yaml").write_text(ISSUE_YAML.replace("total: 30", "total: 5").replace("2026-11-20", "2025-11-20")
                                      .replace("articles:\n  - 01-first.md\n  - 02-second.md\n", "articles: []\n"),
                                      encoding="utf-8")
    assert _label(ok(run("show", "10", "--json", workspace=ws))) == "第10期（总第30期） issues/2026/10"
    assert _label(ok(run("show", "2025-10", "--json", workspace=ws))) == "第10期（总第5期） issues/2025/10"


@pytest.mark.parametrize("command", ["render", "add"])
def test_unknown_issue_is_exit_1_with_a_message(ws, tmp_path, command):
    before = snapshot(ws)
    extra = [tmp_path / "x.md"] if command == "add" else []
    if extra:
        extra[0].write_text("---\ntitle: 标题\n---\n\n正文。\n", encoding="utf-8")
    done = run(command, "99", *extra, workspace=ws)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "99" in done.stderr and done.stdout == ""
    assert snapshot(ws) == before


@pytest.mark.parametrize("name", ["2026-S1"])
def test_issue_missing_in_that_year_or_kind(ws, name):
    done = run("show", name, workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert name in done.stderr


@pytest.mark.parametrize("name", ["abc", "2026/10"])
def test_bad_issue_name_is_exit_1(ws, name):
    before = snapshot(ws)
    done = run("render", name, workspace=ws)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    assert name in done.stderr
    assert snapshot(ws) == before


@pytest.mark.parametrize("args", [("render", "10", "--bogus"), ("render",), ("frobnicate",)])
def test_wrong_usage_is_exit_2(ws, args):
    before = snapshot(ws)
    done = run(*args, workspace=ws)
    assert done.returncode == 2, (done.returncode, done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.strip()
    assert snapshot(ws) == before


def test_help_is_exit_0(outside):
    done = ok(run("--help", cwd=outside))
    assert "render" in done.stdout


# --- finding the workspace ---------------------------------------------------------------------------

def test_runs_from_a_subfolder_of_the_workspace(ws):
    sub = ws / "issues" / "2026" / "10"
    done = ok(run("show", "10", "--json", cwd=sub))
    assert _label(done) == "第10期（总第30期） issues/2026/10"
    # render from the subfolder writes into the workspace's build/, not the subfolder's
    rendered = ok(run("render", "10", cwd=sub))
    assert (ws / "build" / "测试简报-2026-第10期.docx").is_file()
    assert not (sub / "build").exists()
    assert rendered.stdout.strip().endswith("-2026-第10期.docx")


def test_bulletin_workspace_variable(ws, outside):
    done = ok(run("show", "10", "--json", cwd=outside, env=clean_env(BULLETIN_WORKSPACE=str(ws))))
    assert _label(done) == "第10期（总第30期） issues/2026/10"


def test_workspace_option_wins_over_the_variable(ws, outside):
    done = ok(run("show", "10", "--json", cwd=outside, workspace=ws,
                  env=clean_env(BULLETIN_WORKSPACE=str(outside))))
    assert _label(done) == "第10期（总第30期） issues/2026/10"


def test_short_workspace_option(ws, outside):
    done = ok(run("-w", ws, "show", "10", "--json", cwd=outside))
    assert _label(done) == "第10期（总第30期） issues/2026/10"


@pytest.mark.parametrize("command", [("render", "10"), ("new", "--date", "2026-05-01")])
def test_outside_any_workspace_is_exit_1_mentioning_bulletin_toml(outside, command):
    assert not any((p / "bulletin.toml").exists() for p in (outside, *outside.parents)), "not outside"
    done = run(*command, cwd=outside)
    assert done.returncode == 1, (done.returncode, done.stderr)
    assert "Traceback" not in done.stderr
    assert "bulletin.toml" in done.stderr
    assert list(outside.iterdir()) == []


@pytest.mark.parametrize("how", ["option", "variable"])
def test_a_given_folder_without_bulletin_toml_is_exit_1(outside, tmp_path, how):
    cwd = tmp_path
    if how == "option":
        done = run("list", workspace=outside, cwd=cwd)
    else:
        done = run("list", cwd=cwd, env=clean_env(BULLETIN_WORKSPACE=str(outside)))
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "bulletin.toml" in done.stderr
    assert list(outside.iterdir()) == []
