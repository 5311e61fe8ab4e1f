"""Bad input: exit status 1, `path:line: message` on stderr, no traceback, and nothing written or changed."""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cli_support import (
    ARTICLE_1,
    ARTICLE_2,
    CONFIG_TOML,
    ISSUE_YAML,
    LANGUAGES,
    RECIPIENTS_YAML,
    assert_chinese,
    assert_english,
    env_in,
    run,
    snapshot,
    write_workspace,
)

ISSUE = "issues/2026/10/issue.yaml"
ART1 = "issues/2026/10/01-first.md"
ART2 = "issues/2026/10/02-second.md"

DUPLICATE_RECIPIENT = """\
  - id: districts
    name: 重复的单位
    role: 送
    copies: 1
"""


@dataclass
class Case:
    """One broken workspace: what to change, and the diagnostic line expected for it."""

    file: str                      # the file named in the message, relative to the workspace
    lines: tuple[int, ...]         # the line (or lines, where a parser may point one further) named
    words: tuple[str, ...]         # fragments the message contains
    issue_yaml: str = ISSUE_YAML
    config: str = CONFIG_TOML
    recipients: str = RECIPIENTS_YAML
    articles: dict = field(default_factory=lambda: {"01-first.md": ARTICLE_1, "02-second.md": ARTICLE_2})
    render: bool = True            # also through `render 10` (the extra cases go through `check` only)
    values: tuple[str, ...] = ()   # fragments the message holds in every language (the user's own words)


def _articles(first: str) -> dict:
    return {"01-first.md": first, "02-second.md": ARTICLE_2}


CASES = {
    "article-title-missing": Case(ART1, (2,), ("title", "missing"),
                                  articles=_articles(ARTICLE_1.replace("title: 我市深化政务公开工作取得新成效\n", ""))),
    "article-title-empty": Case(ART1, (2,), ("title", "empty"),
                                articles=_articles(ARTICLE_1.replace("title: 我市深化政务公开工作取得新成效",
                                                                     'title: ""'))),
    "article-title-blank": Case(ART1, (2,), ("title", "empty"),
                                articles=_articles(ARTICLE_1.replace("title: 我市深化政务公开工作取得新成效",
                                                                     'title: "　 "')), render=False),
    "issue-date-missing": Case(ISSUE, (1,), ("date", "missing"),
                               issue_yaml=ISSUE_YAML.replace("date: 2026-11-20\n", "")),
    "issue-key-misspelled": Case(ISSUE, (10,), ("distrbution", "did you mean 'distribution'"),
                                 issue_yaml=ISSUE_YAML.replace("distribution:", "distrbution:"), values=("distrbution", "distribution")),
    "issue-number-not-a-number": Case(ISSUE, (1,), ("number",),
                                      issue_yaml=ISSUE_YAML.replace("number: 10", 'number: "abc"')),
    "issue-date-impossible": Case(ISSUE, (3,), ("date",),
                                  issue_yaml=ISSUE_YAML.replace("date: 2026-11-20", "date: 2026-13-45")),
    "issue-date-as-number": Case(ISSUE, (3,), ("date",),
                                 issue_yaml=ISSUE_YAML.replace("date: 2026-11-20", "date: 20261120"), render=False),
    "issue-yaml-syntax": Case(ISSUE, (4,), ("YAML",),
                              issue_yaml=ISSUE_YAML.replace("kind: regular", "kind: regular: special")),
    "issue-yaml-unclosed-list": Case(ISSUE, (11, 12), ("YAML",),
                                     issue_yaml=ISSUE_YAML.replace("  lists: [default]", "  lists: [default"),
                                     render=False),
    "toml-syntax": Case("bulletin.toml", (2,), ("double quotes", 'name = "测试简报"'),
                        config=CONFIG_TOML.replace('name = "测试简报"', "name = 测试简报"), values=('name = "测试简报"',)),
    "toml-key-misspelled": Case("bulletin.toml", (4,), ("edtior", "did you mean 'editor'"),
                                config=CONFIG_TOML.replace("editor =", "edtior ="), render=False, values=("edtior", "editor")),
    "article-file-missing": Case(ISSUE, (10,), ("03-missing.md",),
                                 issue_yaml=ISSUE_YAML.replace("  - 02-second.md\n",
                                                               "  - 02-second.md\n  - 03-missing.md\n"), values=("03-missing.md",)),
    "unknown-recipient-in-add": Case(ISSUE, (12,), ("nobody",),
                                     issue_yaml=ISSUE_YAML.replace("  add: []", "  add: [nobody]"), values=("nobody",)),
    "unknown-recipient-in-remove": Case(ISSUE, (13,), ("nobody",),
                                        issue_yaml=ISSUE_YAML.replace("  remove: []", "  remove: [nobody]"),
                                        render=False, values=("nobody",)),
    "unknown-list": Case(ISSUE, (11,), ("nolist",),
                         issue_yaml=ISSUE_YAML.replace("  lists: [default]", "  lists: [nolist]"), values=("nolist",)),
    "duplicate-recipient-id": Case("recipients.yaml", (17,), ("districts", "twice"),
                                   recipients=RECIPIENTS_YAML.replace("lists:\n", DUPLICATE_RECIPIENT + "lists:\n"), values=("districts",)),
    "recipient-copies-zero": Case("recipients.yaml", (12,), ("copies",),
                                  recipients=RECIPIENTS_YAML.replace("copies: 12", "copies: 0"), values=("districts",)),
    "recipient-copies-negative": Case("recipients.yaml", (12,), ("copies",),
                                      recipients=RECIPIENTS_YAML.replace("copies: 12", "copies: -3"), values=("districts",)),
    "recipient-bad-role": Case("recipients.yaml", (11,), ("role",),
                               recipients=RECIPIENTS_YAML.replace("role: 送", "role: 抄"), render=False),
    "issue-copies-zero": Case(ISSUE, (15,), ("copies",),
                              issue_yaml=ISSUE_YAML.replace("copies: null", "copies: 0"), render=False),
    # the mistakes a Chinese input method makes, on their own lines and in words (issue 9, item 14)
    "issue-full-width-colon": Case(ISSUE, (1,), ("full-width colon “：”", "half-width “:”"),
                                   issue_yaml=ISSUE_YAML.replace("number: 10", "number：10"), values=("“：”", "“:”")),
    "issue-full-width-dash": Case(ISSUE, (9,), ("“－”", "half-width “-”"),
                                  issue_yaml=ISSUE_YAML.replace("  - 02-second.md", "  － 02-second.md"), values=("“－”", "“-”")),
    "issue-tab-indent": Case(ISSUE, (12,), ("indented with a Tab; indent with spaces",),
                             issue_yaml=ISSUE_YAML.replace("  add: []", "\tadd: []"), render=False, values=("Tab",)),
    "recipients-tab-indent": Case("recipients.yaml", (11,), ("indented with a Tab; indent with spaces",),
                                  recipients=RECIPIENTS_YAML.replace("    role: 送", "\trole: 送"), values=("Tab",)),
    "recipients-full-width-colon": Case("recipients.yaml", (15,), ("full-width colon “：”",),
                                        recipients=RECIPIENTS_YAML.replace("    role: 发", "    role：发"),
                                        render=False, values=("“：”",)),
    "recipients-full-width-space": Case("recipients.yaml", (6,), ("full-width spaces",),
                                        recipients=RECIPIENTS_YAML.replace("  - id: renda", "　　- id: renda"),
                                        render=False),
    "recipient-role-in-words": Case("recipients.yaml", (15,), ("role of recipient 4 (towns)", "报, 送 or 发"),
                                    recipients=RECIPIENTS_YAML.replace("role: 发", "role: 抄送"), render=False, values=("towns",)),
    "article-full-width-space": Case(ART1, (3,), ("full-width spaces",),
                                     articles=_articles(ARTICLE_1.replace("section: 工作动态", "　section: 工作动态"))),
    "article-unclosed-quote": Case(ART1, (2,), ("never closed",),
                                   articles=_articles(ARTICLE_1.replace("title: 我市", 'title: "我市')), render=False),
    "toml-full-width-quotes": Case("bulletin.toml", (4,), ("full-width quotes", 'editor = "测试办公室"'),
                                   config=CONFIG_TOML.replace('"测试办公室"', "“测试办公室”"), values=('editor = "测试办公室"',)),
    "toml-colon": Case("bulletin.toml", (4,), ("“=”", "not “:”"),
                       config=CONFIG_TOML.replace('editor =', "editor:"), render=False, values=("“=”", "“:”")),
}


def test_no_message_speaks_of_a_pydantic_path(tmp_path):
    """`recipients.3.role` is how pydantic names a place; a clerk reads `role of recipient 4 (towns)`."""
    case = CASES["recipient-role-in-words"]
    ws = _build(tmp_path, case)
    done = run("check", workspace=ws)
    assert done.returncode == 1
    assert "recipients.3" not in done.stderr and "Input should" not in done.stderr, done.stderr


def _build(tmp_path: Path, case: Case) -> Path:
    return write_workspace(tmp_path / "ws", issue_yaml=case.issue_yaml, config=case.config,
                           recipients=case.recipients, articles=case.articles)


def _diagnostic_re(ws: Path, file: str, lines: tuple[int, ...]) -> re.Pattern:
    """`path:line: message`, the path relative to the workspace or absolute inside it."""
    roots = "|".join(re.escape(str(p) + "/") for p in {ws, ws.resolve()})
    numbers = "|".join(str(n) for n in lines)
    return re.compile(rf"^(?:{roots})?{re.escape(file)}:(?:{numbers}): \S")


def assert_reported(done, ws: Path, file: str, lines: tuple[int, ...], words: tuple[str, ...]) -> None:
    assert "Traceback" not in done.stderr, done.stderr
    pattern = _diagnostic_re(ws, file, lines)
    matching = [line for line in done.stderr.splitlines() if pattern.match(line)]
    assert matching, f"no line like {pattern.pattern!r} in stderr:\n{done.stderr}"
    assert any(all(w in line for w in words) for line in matching), (words, matching)


def _in_issue_files(case: Case) -> bool:
    """The mistake is in issue.yaml or an article (bulletin.toml and recipients.yaml are as given)."""
    return case.config == CONFIG_TOML and case.recipients == RECIPIENTS_YAML


def _check_broken(done, ws: Path, before: dict) -> None:
    assert done.returncode == 1, f"{done.args[3:]}: exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert "Traceback" not in done.stderr, done.stderr
    assert snapshot(ws) == before


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.render])
def test_render_of_bad_input_exits_1_names_file_and_line_and_writes_nothing(tmp_path, name):
    case = CASES[name]
    ws = _build(tmp_path, case)
    before = snapshot(ws)
    done = run("render", "10", workspace=ws)
    _check_broken(done, ws, before)
    assert_reported(done, ws, case.file, case.lines, case.words)
    assert done.stdout == ""


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if not _in_issue_files(c)])
def test_check_of_bad_settings_or_recipients_exits_1_with_file_and_line(tmp_path, name):
    case = CASES[name]
    ws = _build(tmp_path, case)
    before = snapshot(ws)
    done = run("check", workspace=ws)
    _check_broken(done, ws, before)
    assert_reported(done, ws, case.file, case.lines, case.words)
    assert re.search(r"^[1-9]\d* error\(s\)", done.stderr, re.M), done.stderr


def _one_issue_per_case(root: Path) -> tuple[Path, list[tuple[str, str, Case]]]:
    """A workspace with each issue-level case in an issue folder of its own (10, 11, …); for each,
    its name, the file its problem is reported in, and the case."""
    ws = write_workspace(root, articles={})
    shutil.rmtree(ws / "issues/2026/10")
    placed = []
    for i, (name, case) in enumerate((n, c) for n, c in CASES.items() if _in_issue_files(c)):
        number = 10 + i
        folder = ws / "issues/2026" / str(number)
        folder.mkdir(parents=True)
        text = case.issue_yaml.replace("number: 10", f"number: {number}").replace("total: 30", f"total: {20 + number}")
        (folder / "issue.yaml").write_text(text, encoding="utf-8")
        for article, body in case.articles.items():
            (folder / article).write_text(body, encoding="utf-8")
        placed.append((name, case.file.replace("issues/2026/10/", f"issues/2026/{number}/"), case))
    return ws, placed


def test_check_reports_the_bad_input_of_every_issue_in_one_run(tmp_path):
    """Each issue-level case in its own issue folder (10, 11, …) of one workspace: one `check` names them all."""
    ws, expected = _one_issue_per_case(tmp_path / "ws")
    before = snapshot(ws)
    done = run("check", workspace=ws)
    _check_broken(done, ws, before)
    for name, file, case in expected:
        assert_reported(done, ws, file, case.lines, case.words)
    errors = int(re.search(r"^(\d+) error\(s\)", done.stderr, re.M).group(1))
    assert errors >= len(expected)


def test_check_prints_every_problem_at_once(tmp_path):
    issue = (ISSUE_YAML.replace("  - 02-second.md\n", "  - 02-second.md\n  - 03-missing.md\n")
             .replace("  lists: [default]", "  lists: [nolist]")
             .replace("  add: []", "  add: [nobody]"))
    second = ARTICLE_2.replace("title: 市税务局推进税费政策公开", 'title: ""')
    ws = write_workspace(tmp_path / "ws", issue_yaml=issue, articles=_articles(ARTICLE_1) | {"02-second.md": second})
    _broken_issue_11(ws)  # a second issue whose issue.yaml is broken: its problem is reported too
    before = snapshot(ws)
    done = run("check", workspace=ws)
    assert done.returncode == 1
    for file, line, words in [(ISSUE, 10, ("03-missing.md",)), (ISSUE, 12, ("nolist",)), (ISSUE, 13, ("nobody",)),
                              (ART2, 2, ("title",)), ("issues/2026/11/issue.yaml", 14, ("peple", "people"))]:
        assert_reported(done, ws, file, (line,), words)
    assert re.search(r"^5 error\(s\)", done.stderr, re.M), done.stderr
    # render names the same problems of issue 10 and writes nothing
    rendered = run("render", "2026-10", workspace=ws)
    assert rendered.returncode == 1
    for file, line, words in [(ISSUE, 10, ("03-missing.md",)), (ISSUE, 12, ("nolist",)), (ISSUE, 13, ("nobody",)),
                              (ART2, 2, ("title",))]:
        assert_reported(rendered, ws, file, (line,), words)
    assert snapshot(ws) == before


def _broken_issue_11(ws: Path) -> None:
    """A second issue (11, 总第31期) whose issue.yaml has a misspelled key on line 14."""
    other = ws / "issues/2026/11"
    other.mkdir()
    (other / "issue.yaml").write_text(ISSUE_YAML.replace("number: 10", "number: 11").replace("total: 30", "total: 31")
                                      .replace("date: 2026-11-20", "date: 2026-12-01")
                                      .replace("articles:\n  - 01-first.md\n  - 02-second.md\n", "articles: []\n")
                                      .replace("people:", "peple:"), encoding="utf-8")


def test_check_of_one_issue_ignores_other_broken_issues(ws):
    _broken_issue_11(ws)
    done = run("check", "10", workspace=ws)
    assert "Traceback" not in done.stderr
    assert done.returncode == 0, done.stderr
    assert "issues/2026/11" not in done.stderr


def test_check_json_lists_the_problems(tmp_path):
    ws = write_workspace(tmp_path / "ws", issue_yaml=ISSUE_YAML.replace("  add: []", "  add: [nobody]"))
    done = run("check", "--json", workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    found = json.loads(done.stdout)
    assert [(d["path"], d["line"], d["severity"]) for d in found] == [(ISSUE, 12, "error")]
    assert "nobody" in found[0]["message"]


def test_add_validates_every_file_before_copying_any(ws, tmp_path):
    submissions = tmp_path / "submissions"
    submissions.mkdir()
    good = submissions / "good.md"
    good.write_text(ARTICLE_2, encoding="utf-8")
    bad = submissions / "bad.md"
    bad.write_text(ARTICLE_1.replace("title: 我市深化政务公开工作取得新成效", 'title: ""'), encoding="utf-8")
    before = snapshot(ws)
    done = run("add", "10", good, bad, workspace=ws)
    assert done.returncode == 1
    assert_reported(done, ws, str(bad), (2,), ("title",))
    assert snapshot(ws) == before


@pytest.mark.parametrize("what", ["missing-file", "no-front-matter", "misspelled-key"])
def test_add_bad_input_changes_nothing(ws, tmp_path, what):
    src = tmp_path / "article.md"
    if what == "no-front-matter":
        src.write_text("只有正文，没有标题。\n", encoding="utf-8")
    elif what == "misspelled-key":
        src.write_text(ARTICLE_2.replace("source:", "sorce:"), encoding="utf-8")
    before = snapshot(ws)
    done = run("add", "10", src, workspace=ws)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert str(src) in done.stderr
    if what == "misspelled-key":
        assert_reported(done, ws, str(src), (3,), ("sorce", "did you mean 'source'"))
    assert snapshot(ws) == before


def test_add_converts_a_txt_submission(ws, tmp_path):
    src = tmp_path / "来稿.txt"
    src.write_text("市数据局召开推进会\n\n11月12日，市数据局组织召开全市政府网站工作推进会。\n", encoding="utf-8")
    done = run("add", "10", src, workspace=ws)
    assert done.returncode == 0, done.stderr
    issue_yaml = (ws / ISSUE).read_text(encoding="utf-8")
    names = re.findall(r"^\s+- (\S+\.md)$", issue_yaml, re.M)
    assert len(names) == 3
    article = (ws / "issues/2026/10" / names[-1]).read_text(encoding="utf-8")
    assert "title: 市数据局召开推进会" in article and "全市政府网站工作推进会。" in article


def test_new_refuses_while_an_issue_is_broken(tmp_path):
    ws = write_workspace(tmp_path / "ws", issue_yaml=ISSUE_YAML.replace("distribution:", "distrbution:"))
    done = run("new", "--date", "2026-12-01", workspace=ws)
    assert done.returncode == 1
    assert_reported(done, ws, ISSUE, (10,), ("distrbution",))
    assert not (ws / "issues/2026/11").exists()


def test_failed_new_leaves_no_file_behind(tmp_path):
    ws = write_workspace(tmp_path / "ws", issue_yaml=ISSUE_YAML.replace("distribution:", "distrbution:"))
    before = snapshot(ws)
    done = run("new", "--date", "2026-12-01", workspace=ws)
    assert done.returncode == 1
    assert snapshot(ws) == before


def test_new_with_a_date_that_is_not_a_date_is_a_usage_error(ws):
    before = snapshot(ws)
    done = run("new", "--date", "2026-13-45", workspace=ws)
    assert done.returncode == 2
    assert "Traceback" not in done.stderr and "2026-13-45" in done.stderr
    assert snapshot(ws) == before


# --- the same bad input in Chinese and in English ---------------------------------------------------
# Under a Chinese locale (BULLETIN_LANG=zh, or LANG=zh_CN.UTF-8 alone) every line the bad-input tests
# see is Chinese (cli_support.assert_chinese: Han characters, no English word once the place, quoted
# values, paths, options, commands and names such as YAML, TOML, Word are taken out) and names the same
# file and line; under LANG=C the same run is English.


def _language_ids():
    return list(LANGUAGES)


def _assert_in_language(done, ws: Path, case: Case, language: str) -> None:
    if language == "zh":
        assert_reported(done, ws, case.file, case.lines, case.values)
        assert_chinese(done.stderr)
    else:
        assert_reported(done, ws, case.file, case.lines, case.words)
        assert_english(done.stderr)


@pytest.mark.parametrize("name", [n for n, c in CASES.items() if c.render])
def test_render_of_bad_input_in_chinese(tmp_path, name):
    case = CASES[name]
    ws = _build(tmp_path, case)
    before = snapshot(ws)
    done = run("render", "10", workspace=ws, env=env_in(BULLETIN_LANG="zh"))
    _check_broken(done, ws, before)
    _assert_in_language(done, ws, case, "zh")
    assert done.stdout == ""


@pytest.mark.parametrize("language", _language_ids())
@pytest.mark.parametrize("name", [n for n, c in CASES.items() if not _in_issue_files(c)])
def test_check_of_bad_settings_or_recipients_in_both_languages(tmp_path, name, language):
    case = CASES[name]
    env, expected = LANGUAGES[language]
    ws = _build(tmp_path, case)
    before = snapshot(ws)
    done = run("check", workspace=ws, env=env_in(**env))
    _check_broken(done, ws, before)
    _assert_in_language(done, ws, case, expected)
    summary = r"^[1-9]\d*个错误，\d+个警告$" if expected == "zh" else r"^[1-9]\d* error\(s\), \d+ warning\(s\)$"
    assert re.search(summary, done.stderr, re.M), done.stderr


@pytest.mark.parametrize("language", _language_ids())
def test_check_reports_the_bad_input_of_every_issue_in_both_languages(tmp_path, language):
    """The issue-level cases, each in its own issue of one workspace, in one `check`."""
    env, expected = LANGUAGES[language]
    ws, placed = _one_issue_per_case(tmp_path / "ws")
    cases = [Case(file, case.lines, case.words, values=case.values) for _name, file, case in placed]
    before = snapshot(ws)
    done = run("check", workspace=ws, env=env_in(**env))
    _check_broken(done, ws, before)
    for case in cases:
        _assert_in_language(done, ws, case, expected)


@pytest.mark.parametrize("language", _language_ids())
def test_add_of_a_bad_article_in_both_languages(ws, tmp_path, language):
    env, expected = LANGUAGES[language]
    src = tmp_path / "article.md"
    src.write_text(ARTICLE_2.replace("source:", "sorce:"), encoding="utf-8")
    before = snapshot(ws)
    done = run("add", "10", src, workspace=ws, env=env_in(**env))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    case = Case(str(src), (3,), ("sorce", "did you mean 'source'"), values=("sorce", "source"))
    _assert_in_language(done, ws, case, expected)
    assert snapshot(ws) == before


@pytest.mark.parametrize("language", _language_ids())
def test_new_refuses_while_an_issue_is_broken_in_both_languages(tmp_path, language):
    env, expected = LANGUAGES[language]
    ws = write_workspace(tmp_path / "ws", issue_yaml=ISSUE_YAML.replace("distribution:", "distrbution:"))
    before = snapshot(ws)
    done = run("new", "--date", "2026-12-01", workspace=ws, env=env_in(**env))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    case = Case(ISSUE, (10,), ("distrbution",), values=("distrbution",))
    _assert_in_language(done, ws, case, expected)
    closing = "issues: 请先改正以上问题，再分配新期号" if expected == "zh" else \
        "issues: fix these issues before allocating a new number"
    assert closing in done.stderr.splitlines(), done.stderr
    assert snapshot(ws) == before


# Wrong usage: typer's words (bulletin.cli's parser keeps them), in the reader's language (exit status 2).
USAGE_ERRORS = {
    "missing-argument": (("render",), ("ISSUE",), ("Missing argument 'ISSUE'.",)),
    "extra-argument": (("render", "10", "extra"), ("extra",), ("Got unexpected extra argument(s) (extra)",)),
    "unknown-option": (("render", "10", "--bogus"), ("--bogus",), ("No such option: --bogus",)),
    "unknown-command": (("rendr",), ("rendr", "'render'"), ("No such command 'rendr'. Did you mean 'render'?",)),
    "option-without-value": (("list", "--year"), ("--year",), ("Option '--year' requires an argument.",)),
    "not-a-number": (("list", "--year", "abc"), ("'--year'",), ("Invalid value for '--year':",)),
    "not-a-date": (("new", "--date", "2026-13-45"), ("2026-13-45",), ("is not a date",)),
    "force-without-reason": (("render", "10", "--force"), ("--force", "--reason"), ("--force needs --reason",)),
    "reason-without-force": (("publish", "10", "--reason", "x"), ("--reason", "--force"), ("goes with --force",)),
    "both-kinds": (("new", "--supplement", "--special", "x"), ("--supplement", "--special"), ("not both",)),
    "bad-first": (("init", "somewhere", "--first", "2012-61"), ("2012-61",), ("YEAR-NUMBER-TOTAL",)),
}


@pytest.mark.parametrize("language", _language_ids())
@pytest.mark.parametrize("name", list(USAGE_ERRORS))
def test_wrong_usage_in_both_languages(ws, tmp_path, name, language):
    args, values, english = USAGE_ERRORS[name]
    env, expected = LANGUAGES[language]
    before = snapshot(ws)
    done = run(*args, workspace=ws, cwd=tmp_path, env=env_in(**env))
    assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
    error = [line for line in done.stderr.splitlines() if line.startswith(("Error: ", "错误："))]
    assert len(error) == 1, done.stderr
    assert all(v in error[0] for v in values), (values, error[0])
    if expected == "zh":
        assert_chinese(done.stderr)
        assert error[0].startswith("错误：")
    else:
        assert all(w in error[0] for w in english), (english, error[0])
        assert "错误" not in done.stderr and "用法" not in done.stderr
    assert snapshot(ws) == before and not (tmp_path / "somewhere").exists()
