"""Small frictions (issue 9, item 16): issues named as printed (第10期), `-o FOLDER/` that does not
exist yet, `--version`, and help that reads well in a terminal and in a pipe."""
from __future__ import annotations

import inspect
import json
import re
import unicodedata
from pathlib import Path

import pytest
from cli_support import ISSUE_YAML, clean_env, ok, run, snapshot, write_workspace

import bulletin
from bulletin import cli

NAME = "测试简报-2026-第10期.docx"


def _width(line: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)


# --- issue names -------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["第10期", "2026年第10期", "2026-第10期", "第10期（总第30期）", "第１０期"])
def test_show_and_render_take_the_issue_as_printed(ws, name):
    shown = json.loads(ok(run("show", name, "--json", workspace=ws)).stdout)
    assert shown["folder"] == "issues/2026/10"
    printed = ok(run("render", name, workspace=ws)).stdout.strip()
    assert printed.endswith(NAME)


def test_a_supplement_is_named_as_printed(ws):
    folder = ws / "issues/2026/S1"
    folder.mkdir(parents=True)
    (folder / "issue.yaml").write_text("number: 1\nkind: supplement\ndate: 2026-11-25\n", encoding="utf-8")
    shown = json.loads(ok(run("show", "增刊第1期", "--json", workspace=ws)).stdout)
    assert shown["folder"] == "issues/2026/S1"


def test_a_wrong_total_is_refused_and_names_the_real_one(ws):
    before = snapshot(ws)
    done = run("render", "第10期（总第31期）", workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "总第30期" in done.stderr
    assert snapshot(ws) == before


def test_a_name_in_chinese_numerals_says_how_to_write_it(ws):
    done = run("show", "第十期", workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "第10期" in done.stderr


# --- -o FOLDER/ ----------------------------------------------------------------------------------------

def test_render_o_a_new_folder_with_a_slash_creates_it(ws, tmp_path):
    out = tmp_path / "送审" / "第10期"
    done = ok(run("render", "10", "-o", f"{out}/", workspace=ws))
    target = out / NAME
    assert target.is_file()
    assert Path(done.stdout.strip()) == target
    assert not (ws / "build").exists()


def test_render_o_a_new_folder_is_not_made_when_the_issue_is_broken(tmp_path):
    ws = write_workspace(tmp_path / "ws", issue_yaml=ISSUE_YAML.replace("distribution:", "distrbution:"))
    out = tmp_path / "new"
    done = run("render", "10", "-o", f"{out}/", workspace=ws)
    assert done.returncode == 1
    assert not out.exists()


def test_render_o_without_docx_or_slash_says_both_ways(ws, tmp_path):
    done = run("render", "10", "-o", tmp_path / "folder", workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "folder.docx" in done.stderr and "folder/" in done.stderr
    assert not (tmp_path / "folder").exists()


# --- --version -----------------------------------------------------------------------------------------

def test_version(outside):
    done = ok(run("--version", cwd=outside))
    assert done.stdout.strip() == f"bulletin {bulletin.__version__}"
    pyproject = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert f'version = "{bulletin.__version__}"' in pyproject


# --- help ------------------------------------------------------------------------------------------------

NOISE = ("<bool>", "<str>", "<path>", "<int>", "<list", "{issue}", "{files}", "[required]", "╭", "│")


def _help(*args, **env):
    environment = {k: v for k, v in clean_env().items() if k not in ("COLUMNS", "LINES")}
    environment.update(env)
    return ok(run(*args, "--help", env=environment))


@pytest.mark.parametrize("columns", [None, "60", "120"])
@pytest.mark.parametrize("command", [(), ("render",), ("add",), ("lint",), ("new",), ("distribution",)])
def test_help_reads_well(command, columns):
    done = _help(*command, **({"COLUMNS": columns} if columns else {}))
    text = done.stdout
    for noise in NOISE:
        assert noise not in text, (noise, text)
    limit = min(int(columns or 80), 100)
    for line in text.splitlines():
        assert _width(line) <= limit, (line, _width(line))
    # every description whole: wrapped, never cut ("every issu…")
    flat = re.sub(r"\s+", "", text)
    for param in (cli.app.commands[command[0]] if command else cli.app).params:
        if getattr(param, "help", None):
            assert re.sub(r"\s+", "", param.help) in flat, (param.name, param.help)


def test_help_lists_every_command_with_its_whole_description():
    text = _help().stdout
    flat = re.sub(r"\s+", "", text)
    for name, command in _commands().items():
        first = inspect.cleandoc(command.__doc__ or "").split("\n\n")[0]
        assert re.sub(r"\s+", "", first) in flat, (name, first)
    assert "--version" in text and "--workspace DIR" in text
    assert "第10期" in text  # how to name an issue


def _commands() -> dict:
    return {name: c.function for name, c in cli.app.commands.items()}


def test_command_help_names_arguments_and_values():
    render = _help("render").stdout
    assert re.search(r"^Usage: \S.* render \[OPTIONS\] ISSUE$", render, re.M), render
    assert re.search(r"^\s+-o, --output PATH\s+where to write the \.docx", render, re.M), render
    assert re.search(r"^\s+--pdf\s+also make a PDF", render, re.M), render
    add = _help("add").stdout
    assert re.search(r"^Usage: \S.* add \[OPTIONS\] ISSUE FILE\.\.\.$", add, re.M), add
    assert re.search(r"^\s+--section SECTION\s+the column", add, re.M), add
    new = _help("new").stdout
    assert re.search(r"^\s+--special THEME\s", new, re.M) and re.search(r"^\s+--date DATE\s", new, re.M), new


def test_wrong_usage_names_the_argument_and_exits_2(ws):
    done = run("render", workspace=ws)
    assert done.returncode == 2
    assert "ISSUE" in done.stderr and "{issue}" not in done.stderr and "╭" not in done.stderr
