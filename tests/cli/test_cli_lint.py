"""`bulletin lint`: proofreading an issue's articles or given files, with and without --fix."""
import re

from cli_support import ARTICLE_2, ISSUE_DIR, ok, run, snapshot, write_workspace

from bulletin.store.loaders import parse_front_matter

FINDING = re.compile(r"^(?P<path>[^:]+):(?P<line>\d+):(?P<col>\d+): (?P<rule>[a-z-]+): (?P<message>.+)$")

# Fixable: a half-width comma (line 2, in the title), a padded date and a full-width digit (line 6).
# Not fixable: a space between two long runs of Chinese (line 8), an unclosed “ (line 8).
MESSY = """\
---
title: 关于,印发通知
source: 市税务局   # 供稿单位
section: 工作动态
---
2026年03月01日，全市共发放２万份。

会议强调 要做好“一网通办工作。
"""

FIXABLE_ONLY = """\
---
title: 关于印发通知
---
今年以来,我市推进工作.
"""


def messy_workspace(tmp_path, article: str = MESSY):
    return write_workspace(tmp_path / "ws", articles={"01-first.md": article, "02-second.md": ARTICLE_2})


def findings(stdout: str) -> list[re.Match]:
    lines = stdout.splitlines()
    matches = [FINDING.match(line) for line in lines]
    assert all(matches), lines
    return matches


def test_a_clean_issue_prints_nothing_and_exits_0(ws):
    done = ok(run("lint", "10", workspace=ws))
    assert done.stdout == "" and done.stderr == ""


def test_findings_are_path_line_col_rule_message_and_exit_1(tmp_path):
    root = messy_workspace(tmp_path)
    done = run("lint", "10", workspace=root)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    places = [(m["path"], int(m["line"]), int(m["col"]), m["rule"]) for m in findings(done.stdout)]
    article = (ISSUE_DIR / "01-first.md").as_posix()
    assert places == [
        (article, 2, 10, "halfwidth-punct"),
        (article, 6, 1, "padded-date"),
        (article, 6, 18, "fullwidth-digit"),
        (article, 8, 5, "cjk-space"),
        (article, 8, 9, "unpaired-mark"),
    ]
    first = findings(done.stdout)[0]
    assert first["message"] == "half-width ',' in Chinese text; use '，'"


def test_nothing_is_written_without_fix(tmp_path):
    root = messy_workspace(tmp_path)
    before = snapshot(root)
    assert run("lint", "10", workspace=root).returncode == 1
    assert snapshot(root) == before


def test_fix_rewrites_the_file_keeps_the_front_matter_and_reports_the_rest(tmp_path):
    root = messy_workspace(tmp_path)
    path = root / ISSUE_DIR / "01-first.md"
    other = (root / ISSUE_DIR / "02-second.md").read_bytes()
    done = run("lint", "10", "--fix", workspace=root)
    assert done.returncode == 1  # the unclosed quote needs a person
    assert done.stderr.splitlines() == [f"fixed {(ISSUE_DIR / '01-first.md').as_posix()}"]
    # the space between two runs of several characters may be a blank left for a name: reported only
    assert [(int(m["line"]), m["rule"]) for m in findings(done.stdout)] == [(8, "cjk-space"), (8, "unpaired-mark")]
    text = path.read_text(encoding="utf-8")
    assert text == MESSY.replace("关于,印发", "关于，印发").replace("2026年03月01日", "2026年3月1日") \
                        .replace("２万", "2万")
    before = parse_front_matter(MESSY, path).meta.data
    after = parse_front_matter(text, path).meta.data
    assert list(after) == list(before) == ["title", "source", "section"]
    assert after["title"] == "关于，印发通知" and after["source"] == "市税务局"
    assert "source: 市税务局   # 供稿单位" in text
    assert (root / ISSUE_DIR / "02-second.md").read_bytes() == other  # a clean file is not rewritten
    # the issue still renders after the fix
    ok(run("check", "10", workspace=root))


def test_fix_of_fixable_findings_only_exits_0_and_a_second_run_finds_nothing(tmp_path):
    root = messy_workspace(tmp_path, FIXABLE_ONLY)
    done = ok(run("lint", "2026-10", "--fix", workspace=root))
    assert done.stdout == "" and "fixed" in done.stderr
    assert (root / ISSUE_DIR / "01-first.md").read_text(encoding="utf-8").endswith("今年以来，我市推进工作。\n")
    again = ok(run("lint", "2026-10", "--fix", workspace=root))
    assert again.stdout == "" and again.stderr == ""


def test_an_article_file_is_linted_without_a_workspace(tmp_path, outside):
    article = outside / "稿件.md"
    article.write_text(FIXABLE_ONLY, encoding="utf-8")
    done = run("lint", "稿件.md", cwd=outside)
    assert done.returncode == 1, done.stderr
    assert [(m["path"], m["line"], m["col"]) for m in findings(done.stdout)] == [
        ("稿件.md", "4", "5"), ("稿件.md", "4", "12")]
    done = run("lint", str(article), cwd=outside)
    assert findings(done.stdout)[0]["path"] == str(article)


def test_an_issue_and_one_of_its_files_are_linted_once(tmp_path):
    root = messy_workspace(tmp_path)
    done = run("lint", "10", str(root / ISSUE_DIR / "01-first.md"), workspace=root)
    assert len(findings(done.stdout)) == 5


def test_a_file_that_is_not_utf8_is_a_clear_error_and_nothing_is_fixed(tmp_path):
    root = messy_workspace(tmp_path)
    (root / ISSUE_DIR / "02-second.md").write_bytes(ARTICLE_2.encode("gb18030"))
    before = snapshot(root)
    done = run("lint", "10", "--fix", workspace=root)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert f"{(ISSUE_DIR / '02-second.md').as_posix()}:2: the file is not UTF-8 text — save it as UTF-8" \
        in done.stderr
    assert snapshot(root) == before  # the other article, fixable, was not rewritten either


def test_a_missing_file_is_a_clear_error(outside):
    done = run("lint", "没有这个文件.md", cwd=outside)
    assert done.returncode == 1 and done.stdout == ""
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith("没有这个文件.md: file not found — ")


def test_a_folder_is_not_an_article(ws):
    done = run("lint", str(ws / ISSUE_DIR), workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "is a folder, not an article file" in done.stderr


def test_a_name_that_is_neither_a_file_nor_an_issue(ws):
    done = run("lint", "第十期", workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "does not name an issue" in done.stderr


def test_an_issue_that_does_not_exist(ws):
    done = run("lint", "99", workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "there is no issue 99" in done.stderr


def test_no_target_is_wrong_usage(ws):
    assert run("lint", workspace=ws).returncode == 2
