"""The CLI's own words in Chinese and English: help, table headings, progress lines, the refusals of
the commands, the starter files of `init`; the language chosen by --lang, BULLETIN_LANG or the locale."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from cli_support import ISSUE_DIR, LANGUAGES, assert_chinese, assert_english, env_in, ok, run, snapshot
from ruamel.yaml import YAML

from bulletin import cli, i18n

ZH = env_in(BULLETIN_LANG="zh")
ISSUE = (ISSUE_DIR / "issue.yaml").as_posix()


# --- help -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("how", ["--lang", "BULLETIN_LANG", "LANG"])
def test_help_is_chinese_when_asked(how):
    args, env = (["--lang", "zh"], env_in(LANG="C")) if how == "--lang" else \
        ([], ZH) if how == "BULLETIN_LANG" else ([], env_in(LANG="zh_CN.UTF-8"))
    text = ok(run(*args, "--help", env=env)).stdout
    assert re.search(r"^用法：\S.* \[OPTIONS\] COMMAND \[ARGS\]\.\.\.$", text, re.M), text
    for heading in ("选项：", "命令：", "新建工作区", "分配下一期的期号", "期的写法：", "第10期"):
        assert heading in text, (heading, text)
    for english in ("Usage:", "Options:", "Commands:", "Create a workspace", "show this help"):
        assert english not in text, (english, text)
    render = ok(run(*args, "render", "--help", env=env)).stdout
    assert re.search(r"^用法：\S.* render \[OPTIONS\] ISSUE$", render, re.M), render
    assert re.search(r"^参数：$", render, re.M) and re.search(r"^\s+--pdf\s+同时用 LibreOffice 生成 PDF$", render, re.M)
    assert "also make a PDF" not in render


def test_lang_en_overrides_a_chinese_locale():
    text = ok(run("--lang", "en", "--help", env=env_in(LANG="zh_CN.UTF-8", BULLETIN_LANG="zh"))).stdout
    assert text.startswith("Usage: ") and "Commands:" in text and "命令：" not in text


def test_every_command_help_is_its_docstring_in_english():
    """The help typer shows is marked for translation beside the docstring: they must say the same."""
    import inspect

    def commands(group):
        for command in group.commands.values():
            if isinstance(command, cli.Group):
                yield from commands(command)   # a group (bulletin office) has no function of its own
            else:
                yield command

    found = list(commands(cli.app))
    assert any(c.name == "start" for c in found)   # the office group's commands are among them
    for command in found:
        assert command.help == inspect.cleandoc(command.function.__doc__), command.function.__name__


# --- the parser's words (typer's, word for word), in the reader's language ---------------------------

@pytest.mark.parametrize("args, english", [
    (("render", "10", "a", "b"), "Got unexpected extra argument(s) (a b)"),
    (("list", "--bogus"), "No such option: --bogus"),
    (("list", "--year"), "Option '--year' requires an argument."),
    (("list", "--yea", "2026"), "No such option: --yea (Possible options: --year)"),
    (("list", "--json=yes"), "Option '--json' does not take a value."),
    (("rendr",), "No such command 'rendr'. Did you mean 'render'?"),
    (("--lang", "en"), "Missing command."),
    (("list", "--year", "x"), "Invalid value for '--year': Input should be a valid integer, unable to parse string as an integer"),
    (("compile", "1.5"), "Invalid value for 'YEAR': Input should be a valid integer, unable to parse string as an integer"),
    (("site",), "Missing option '-o' / '--output'."),
    (("add", "10"), "Missing argument 'FILE...'.")])
def test_usage_errors_say_typers_words_in_english_and_turn_chinese(ws, args, english):
    done = run(*args, workspace=ws)
    assert done.returncode == 2 and done.stderr.splitlines()[-1] == f"Error: {english}", done.stderr
    if args[0] != "--lang":
        chinese = run(*args, workspace=ws, env=ZH)
        assert chinese.returncode == 2, chinese.stderr
        last = chinese.stderr.splitlines()[-1]
        assert last.startswith("错误：") and re.search(r"[\u4e00-\u9fff]", last[3:]), chinese.stderr


# --- table headings and progress lines -----------------------------------------------------------------

def test_list_and_show_headings_follow_the_language(ws):
    english = ok(run("list", workspace=ws)).stdout.splitlines()
    assert english[0] == "issue\tlabel\ttotal\tdate\tkind\tstatus\tarticles\tcopies"
    chinese = ok(run("list", workspace=ws, env=ZH)).stdout.splitlines()
    assert chinese[0] == "期\t期号\t总期号\t日期\t类型\t状态\t文章\t份数"
    shown = ok(run("show", "10", workspace=ws, env=ZH)).stdout
    assert "文章\n#\t文件\t标题\t供稿单位\t栏目\n" in shown and "共印（含存档）" in shown
    assert "分发\n类别\t接收单位或个人\t份数\n" in shown
    recipients = ok(run("recipients", workspace=ws, env=ZH)).stdout
    assert "接收者\nid\t名称\t类别\t份数\t名单\n" in recipients and "按类别\n" in recipients


def test_check_summary_follows_the_language(ws):
    (ws / ISSUE).write_text((ws / ISSUE).read_text(encoding="utf-8").replace(
        "articles:\n  - 01-first.md\n  - 02-second.md\n", "articles: []\n"), encoding="utf-8")
    assert ok(run("check", workspace=ws)).stderr.splitlines()[-1] == "0 error(s), 1 warning(s)"
    chinese = ok(run("check", workspace=ws, env=ZH)).stderr.splitlines()
    assert chinese[-1] == "0个错误，1个警告"
    assert any(line.startswith(f"{ISSUE}:7: ") and "该期还没有文章" in line and "bulletin add 2026-10 文件.md" in line
               for line in chinese), chinese


def test_check_ok_line_follows_the_language(ws):
    assert ok(run("check", workspace=ws)).stderr.strip() == "ok: no problems found"
    assert ok(run("check", workspace=ws, env=ZH)).stderr.strip() == "检查完毕，没有发现问题"


# --- refusals of the commands ----------------------------------------------------------------------------

def _published(ws: Path) -> Path:
    ok(run("publish", "10", workspace=ws))
    return ws


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_adding_to_a_published_issue_is_refused_in_the_language(ws, tmp_path, language):
    env, expected = LANGUAGES[language]
    _published(ws)
    article = tmp_path / "new.md"
    article.write_text("---\ntitle: 新文章\n---\n\n正文。\n", encoding="utf-8")
    before = snapshot(ws)
    done = run("add", "10", article, workspace=ws, env=env_in(**env))
    assert done.returncode == 1 and snapshot(ws) == before, done.stderr
    line = next(line for line in done.stderr.splitlines() if re.match(r"^(?:\S+/)?issues/2026/10/issue\.yaml:5: ", line))
    if expected == "zh":
        assert_chinese(done.stderr)
        assert "该期（2026-10）已发布并冻结" in line and "请把文章加到下一期（bulletin new）" in line
    else:
        assert_english(done.stderr)
        assert "issue 2026-10 is published and frozen" in line


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_publishing_twice_and_rendering_a_changed_published_issue_in_the_language(ws, language):
    env, expected = LANGUAGES[language]
    _published(ws)
    again = run("publish", "10", workspace=ws, env=env_in(**env))
    assert again.returncode == 1
    (ws / ISSUE_DIR / "01-first.md").write_text("---\ntitle: 改过的标题\n---\n\n正文。\n", encoding="utf-8")
    changed = run("render", "10", workspace=ws, env=env_in(**env))
    assert changed.returncode == 1
    for done in (again, changed):
        assert re.search(r"^(?:\S+/)?issues/2026/10/issue\.yaml:5: ", done.stderr, re.M), done.stderr
        (assert_chinese if expected == "zh" else assert_english)(done.stderr)
    if expected == "zh":
        assert "01-first.md（已修改）" in changed.stderr and "bulletin render 2026-10 --force" in changed.stderr


@pytest.mark.parametrize("language", list(LANGUAGES))
def test_refusals_of_init_compile_lint_and_render_output_in_the_language(ws, tmp_path, language):
    env, expected = LANGUAGES[language]
    env = env_in(**env)
    runs = {
        "init": run("init", ws, env=env),
        "compile": run("compile", "2019", workspace=ws, env=env),
        "compile-drafts": run("compile", "2026", workspace=ws, env=env),
        "lint": run("lint", tmp_path / "nothing.md", env=env),
        "lint-folder": run("lint", tmp_path, env=env),
        "render-output": run("render", "10", "-o", tmp_path / "out.pdf", workspace=ws, env=env),
    }
    chinese = {"init": "此处已有工作区", "compile": "2019年没有任何一期", "compile-drafts": "2026年没有已发布的期",
               "lint": "找不到文件", "lint-folder": "是文件夹，不是文章文件", "render-output": "输出文件名须以 .docx 结尾"}
    english = {"init": "a workspace already exists here", "compile": "there are no issues of 2019",
               "compile-drafts": "there are no published issues of 2026", "lint": "file not found",
               "lint-folder": "is a folder, not an article file", "render-output": "the output file must end in .docx"}
    for name, done in runs.items():
        assert done.returncode == 1 and "Traceback" not in done.stderr, (name, done.stderr)
        assert re.match(r"^\S+: ", done.stderr), (name, done.stderr)  # the place first, in ASCII
        if expected == "zh":
            assert_chinese(done.stderr)
            assert chinese[name] in done.stderr, (name, done.stderr)
        else:
            assert_english(done.stderr)
            assert english[name] in done.stderr, (name, done.stderr)


def test_init_progress_line_in_chinese(tmp_path):
    done = ok(run("init", tmp_path / "office", env=ZH))
    assert_chinese(done.stderr)
    assert "bulletin: 第一期将是" in done.stderr and "第1期（总第1期）" in done.stderr


def _raise(exc):
    raise exc


@pytest.mark.parametrize("language", ["en", "zh"])
def test_a_system_error_or_an_interrupt_is_said_in_the_language(capsys, language):
    """What the CLI says for an OSError no layer below caught (the system's words, translated) and for
    Ctrl-C: the place in front, nothing was changed, exit status 1."""
    i18n.set_language(language)
    for exc in (PermissionError(13, "Permission denied", "build/x.docx"), OSError(28, "No space left on device"),
                KeyboardInterrupt()):
        with pytest.raises(SystemExit) as stopped:
            cli._run(lambda: _raise(exc))
        assert stopped.value.code == 1
    lines = capsys.readouterr().err.splitlines()
    if language == "zh":
        assert lines == ["build/x.docx: 没有权限，未作任何修改；请检查路径、权限和磁盘剩余空间",
                         "bulletin: 磁盘空间不足，未作任何修改；请检查路径、权限和磁盘剩余空间",
                         "bulletin: 已中断，未作任何修改"]
        assert_chinese("\n".join(lines))
    else:
        assert lines == ["build/x.docx: Permission denied; nothing was changed — check the path, its permissions "
                         "and the free disk space",
                         "bulletin: No space left on device; nothing was changed — check the path, its "
                         "permissions and the free disk space",
                         "bulletin: interrupted; nothing was changed"]


# --- init's starter files ---------------------------------------------------------------------------------

def _starter(tmp_path: Path, env: dict) -> tuple[str, str]:
    target = tmp_path / "office"
    ok(run("init", target, "--first", "2012-1-61", env=env))
    return (target / "bulletin.toml").read_text(encoding="utf-8"), (target / "recipients.yaml").read_text(encoding="utf-8")


def test_starter_files_in_chinese_hold_the_same_settings_as_in_english(tmp_path):
    en_toml, en_yaml = _starter(tmp_path / "en", env_in(LANG="C"))
    zh_toml, zh_yaml = _starter(tmp_path / "zh", env_in(LANG="zh_CN.UTF-8"))
    assert tomllib.loads(zh_toml) == tomllib.loads(en_toml)
    assert YAML(typ="safe").load(zh_yaml) == YAML(typ="safe").load(en_yaml)
    # the commented-out settings are there in both, with the same keys
    commented = re.compile(r"^# ?(\w+) = ", re.M)
    assert commented.findall(zh_toml) == commented.findall(en_toml) == ["masthead", "require_people"]
    for text in (zh_toml, zh_yaml):
        comments = [line.split("#", 1)[1] for line in text.splitlines() if "#" in line]
        assert comments and all(re.search(r"[\u4e00-\u9fff]", c) for c in comments), comments
    assert "Settings of the bulletin series" in en_toml and "Who receives the bulletin" in en_yaml


def test_a_chinese_starter_workspace_checks_clean(tmp_path):
    target = tmp_path / "office"
    ok(run("init", target, "--name", "测试简报", env=ZH))
    assert ok(run("check", workspace=target, env=ZH)).stderr.strip() == "检查完毕，没有发现问题"
