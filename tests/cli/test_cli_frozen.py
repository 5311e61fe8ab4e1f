"""What is frozen stays frozen; what is bound is what was published (issue 9, items 6–10, 12, 17, 19).

Every refusal exits 1 (2 for wrong usage), prints no traceback, names the file and changes nothing.
"""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ruamel.yaml import YAML

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "tests"))
from examples.generate import write_workspace  # noqa: E402

ISSUE = "issues/2026/10"


def bulletin(ws: Path | None, *args: str, check: int | None = 0) -> subprocess.CompletedProcess:
    head = ["--workspace", str(ws)] if ws is not None else []
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", *head, *args], capture_output=True, text=True)
    assert "Traceback" not in done.stderr, done.stderr
    if check is not None:
        assert done.returncode == check, (done.stdout, done.stderr)
    return done


def snapshot(ws: Path) -> dict:
    return {p.relative_to(ws).as_posix(): p.read_bytes() for p in ws.rglob("*") if p.is_file()
            and ".bulletin.lock" not in p.name}


def issue_yaml(ws: Path, folder: str = ISSUE) -> dict:
    return YAML(typ="safe").load((ws / folder / "issue.yaml").read_text(encoding="utf-8"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (old, text)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def document_text(docx: Path) -> str:
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    return re.sub(r"<[^>]+>", "", xml)


@pytest.fixture
def ws10(tmp_path) -> Path:
    return write_workspace(tmp_path / "ws", articles=[dict(title="测试文章一", paragraphs=2),
                                                     dict(title="测试文章二", paragraphs=2, source="市数据局")])


def _second_issue(ws: Path, title: str = "草稿文章") -> None:
    """A draft issue 11 of 2026 with one article, made through the CLI."""
    bulletin(ws, "new", "--date", "2026-12-01")
    article = ws.parent / "draft.md"
    article.write_text(f"---\ntitle: {title}\nsource: 市民政局\n---\n\n本期草稿正文。\n", encoding="utf-8")
    bulletin(ws, "add", "11", str(article))


# --- item 6: every command that writes refuses a published issue ----------------------------------

def test_lint_fix_refuses_a_published_issue(ws10):
    bulletin(ws10, "publish", "10")
    article = ws10 / ISSUE / "01-article.md"
    edit(article, "。", ",")  # a clerk edits the published text; lint --fix must not rewrite it
    before = snapshot(ws10)
    for target in ("10", str(article)):
        done = bulletin(ws10, "lint", target, "--fix", check=1)
        assert f"{ISSUE}/issue.yaml:" in done.stderr and "published and frozen" in done.stderr, done.stderr
        assert snapshot(ws10) == before
    assert "halfwidth-punct" in bulletin(ws10, "lint", "10", check=1).stdout  # reporting still works


def test_publish_twice_is_refused_by_the_same_check(ws10):
    bulletin(ws10, "publish", "10")
    before = snapshot(ws10)
    done = bulletin(ws10, "publish", "10", check=1)
    assert "published and frozen" in done.stderr and f"{ISSUE}/issue.yaml:" in done.stderr
    assert snapshot(ws10) == before


# --- item 7: an authorised correction records new checksums and the reason -----------------------

def test_forced_render_needs_a_reason(ws10):
    bulletin(ws10, "publish", "10")
    edit(ws10 / ISSUE / "01-article.md", "测试文章一", "测试文章一（更正）")
    before = snapshot(ws10)
    done = bulletin(ws10, "render", "10", "--force", check=2)
    assert "--reason" in done.stderr
    assert snapshot(ws10) == before
    assert "--force" in bulletin(ws10, "render", "10", "--reason", "x", check=2).stderr
    assert "--reason" in bulletin(ws10, "render", "10", "--force", "--reason", "  ", check=2).stderr


def test_forced_render_records_the_correction_and_check_passes(ws10):
    bulletin(ws10, "publish", "10")
    article = ws10 / ISSUE / "01-article.md"
    edit(article, "测试文章一", "测试文章一（更正）")
    bulletin(ws10, "check", check=1)
    done = bulletin(ws10, "render", "10", "--force", "--reason", "更正标题错字")
    docx = Path(done.stdout.strip())
    import hashlib
    record = issue_yaml(ws10)["published"]
    assert record["sources"]["01-article.md"] == hashlib.sha256(article.read_bytes()).hexdigest()
    assert hashlib.sha256(docx.read_bytes()).hexdigest() in record["output"].values()
    assert [(f["reason"], f["changed"]) for f in record["forced"]] == [("更正标题错字", ["01-article.md (changed)"])]
    assert bulletin(ws10, "check").returncode == 0
    bulletin(ws10, "render", "10")  # unchanged since the correction: no --force needed

    edit(article, "（更正）", "（再次更正）")  # a second correction keeps the first in the history
    bulletin(ws10, "render", "10", "--force", "--reason", "再次更正")
    forced = issue_yaml(ws10)["published"]["forced"]
    assert [f["reason"] for f in forced] == ["更正标题错字", "再次更正"]
    assert bulletin(ws10, "check").returncode == 0


# --- item 8: compile binds what was published; stats counts it ------------------------------------

def test_compile_binds_published_issues_and_marks_drafts(ws10, tmp_path):
    bulletin(ws10, "publish", "10")
    _second_issue(ws10)
    out = tmp_path / "vol.docx"
    done = bulletin(ws10, "compile", "2026", "-o", str(out))
    text = document_text(out)
    assert "测试文章一" in text and "草稿文章" not in text and "草稿" not in text
    assert "2026-11" in done.stderr and "--drafts" in done.stderr  # says which draft was left out

    with_drafts = tmp_path / "drafts.docx"
    bulletin(ws10, "compile", "2026", "--drafts", "-o", str(with_drafts))
    text = document_text(with_drafts)
    assert "草稿文章" in text and "2026年合订本（含草稿）" in text  # the cover says so too
    contents = text[text.index("目　录"):text.index("草稿文章")]
    assert re.search(r"第11期（总第31期）.*（草稿）", contents), contents
    assert "第10期（总第30期）" in contents and not re.search(r"第10期（总第30期）[^第]*（草稿）", contents)


def test_compile_into_a_new_folder_keeps_the_usual_name(ws10, tmp_path):
    bulletin(ws10, "publish", "10")
    done = bulletin(ws10, "compile", "2026", "-o", str(tmp_path / "合订") + "/")
    written = Path(done.stdout.strip())
    assert written.parent == tmp_path / "合订" and written.name.endswith("-2026-合订本.docx") and written.is_file()


def test_compile_refuses_a_published_issue_changed_since(ws10, tmp_path):
    bulletin(ws10, "publish", "10")
    edit(ws10 / ISSUE / "02-article.md", "测试文章二", "改过的标题")
    out = tmp_path / "vol.docx"
    for extra in ([], ["--drafts"]):
        done = bulletin(ws10, "compile", "2026", "-o", str(out), *extra, check=1)
        assert f"{ISSUE}/issue.yaml:" in done.stderr and "02-article.md (changed)" in done.stderr, done.stderr
        assert not out.exists()


def test_compile_without_published_issues_is_refused(ws10, tmp_path):
    out = tmp_path / "vol.docx"
    done = bulletin(ws10, "compile", "2026", "-o", str(out), check=1)
    assert "no published issues" in done.stderr and "--drafts" in done.stderr
    assert not out.exists()


def test_stats_count_only_published_issues_unless_drafts(ws10):
    bulletin(ws10, "publish", "10")
    _second_issue(ws10)
    plain = bulletin(ws10, "stats", "--year", "2026").stdout
    assert "市数据局" in plain and "市民政局" not in plain
    assert "2026: 2 articles" in plain and "contributing unit\tarticles adopted" in plain
    drafts = bulletin(ws10, "stats", "--year", "2026", "--drafts").stdout
    assert "市民政局" in drafts and "2026: 3 articles" in drafts
    chinese = bulletin(ws10, "--lang", "zh", "stats", "--year", "2026").stdout
    assert "2026年：2篇" in chinese and "供稿单位\t采用篇数" in chinese and "2026年信息采用统计" in chinese


# --- item 19: stats names issues by their labels and the office by its name ----------------------

def test_stats_use_issue_labels_and_the_editing_office(ws10, tmp_path):
    bulletin(ws10, "publish", "10")
    out = tmp_path / "stats.csv"
    bulletin(ws10, "stats", "--year", "2026", "--csv", str(out))
    import csv
    rows = {r[0]: r for r in csv.reader(out.read_text(encoding="utf-8-sig").splitlines()) if r}
    assert "（编辑部）" not in rows
    assert rows["××市政务公开领导小组办公室"][-1] == "第10期"  # 01-article.md has no source
    assert rows["市数据局"][-1] == "第10期"
    every_year = bulletin(ws10, "stats").stdout
    assert "2026年第10期" in every_year and "2026-10" not in every_year


def test_stats_label_supplements(ws10):
    bulletin(ws10, "new", "--supplement", "--date", "2026-11-25")
    article = ws10.parent / "s.md"
    article.write_text("---\ntitle: 增刊文章\nsource: 市民政局\n---\n\n增刊正文。\n", encoding="utf-8")
    bulletin(ws10, "add", "2026-S1", str(article))
    plain = bulletin(ws10, "stats", "--year", "2026", "--drafts").stdout
    line = next(l for l in plain.splitlines() if l.startswith("市民政局"))
    assert line.endswith("增刊第1期") and "2026-S1" not in plain


# --- item 9: publish checks what an editor would ----------------------------------------------------

def test_publish_refuses_on_proofreading_findings(ws10):
    edit(ws10 / ISSUE / "01-article.md", "。", ",")
    before = snapshot(ws10)
    done = bulletin(ws10, "publish", "10", check=1)
    assert re.search(rf"{ISSUE}/01-article.md:\d+:\d+: halfwidth-punct", done.stderr), done.stderr
    assert "--force" in done.stderr
    assert snapshot(ws10) == before


def test_publish_refuses_on_check_errors(ws10):
    edit(ws10 / ISSUE / "issue.yaml", "total: 30", "total: 31")  # bulletin.toml says the first is 总第30期
    before = snapshot(ws10)
    done = bulletin(ws10, "publish", "10", check=1)
    assert f"{ISSUE}/issue.yaml:2:" in done.stderr and "total 31" in done.stderr, done.stderr
    assert snapshot(ws10) == before


REQUIRE = 'first = { year = 2026, number = 10, total = 30 }\n'


def test_publish_refuses_an_empty_people_line_when_required(ws10):
    edit(ws10 / "bulletin.toml", REQUIRE, REQUIRE + "require_people = true\n")
    bulletin(ws10, "check")  # a draft may lack them
    edit(ws10 / ISSUE / "issue.yaml", 'reviewer: "李××"', 'reviewer: ""')
    before = snapshot(ws10)
    done = bulletin(ws10, "publish", "10", check=1)
    assert f"{ISSUE}/issue.yaml:" in done.stderr and "reviewer" in done.stderr and "审核" in done.stderr
    assert "require_people" in done.stderr
    assert snapshot(ws10) == before
    edit(ws10 / ISSUE / "issue.yaml", 'reviewer: ""', 'reviewer: "李××"')
    bulletin(ws10, "publish", "10")


def test_publish_without_people_is_fine_when_not_required(ws10):
    edit(ws10 / ISSUE / "issue.yaml", 'reviewer: "李××"', 'reviewer: ""')
    bulletin(ws10, "publish", "10")


def test_require_people_is_validated(ws10):
    edit(ws10 / "bulletin.toml", REQUIRE, REQUIRE + 'require_people = "yes"\n')
    done = bulletin(ws10, "check", check=1)
    assert re.search(r"bulletin.toml:7: require_people in \[series\]: must be true or false", done.stderr), done.stderr


def test_forced_publish_needs_a_reason_and_is_recorded(ws10):
    edit(ws10 / ISSUE / "01-article.md", "。", ",")
    before = snapshot(ws10)
    assert "--reason" in bulletin(ws10, "publish", "10", "--force", check=2).stderr
    assert snapshot(ws10) == before
    bulletin(ws10, "publish", "10", "--force", "--reason", "主任同意按原稿印发")
    record = issue_yaml(ws10)
    assert record["status"] == "published"
    override = record["published"]["override"]
    assert override["reason"] == "主任同意按原稿印发"
    assert any("halfwidth-punct" in f for f in override["findings"]), override


# --- item 10: new keeps numbers and dates in the same order ----------------------------------------

def test_new_refuses_a_date_before_the_latest_issue(ws10):
    before = snapshot(ws10)
    done = bulletin(ws10, "new", "--date", "2026-11-01", check=1)
    assert f"{ISSUE}/issue.yaml:" in done.stderr and "2026-11-20" in done.stderr and "第10期" in done.stderr
    assert snapshot(ws10) == before
    assert not (ws10 / "issues/2026/11").exists()
    done = bulletin(ws10, "new", "--date", "2025-12-30", check=1)  # an earlier year is earlier too
    assert not (ws10 / "issues/2025").exists()
    assert bulletin(ws10, "new", "--date", "2026-11-20").stdout.startswith("第11期（总第31期）")  # same day: fine


def test_new_refuses_a_supplement_dated_before_the_last_supplement(ws10):
    bulletin(ws10, "new", "--supplement", "--date", "2026-11-25")
    done = bulletin(ws10, "new", "--supplement", "--date", "2026-11-22", check=1)
    assert "issues/2026/S1/issue.yaml:" in done.stderr and "增刊第1期" in done.stderr
    # a supplement between two regular issues is fine: supplements take no total
    assert bulletin(ws10, "new", "--supplement", "--date", "2026-11-26").stdout.startswith("增刊第2期")


# --- item 12: a column heading printed twice --------------------------------------------------------

def test_check_warns_when_a_column_repeats(tmp_path):
    ws = write_workspace(tmp_path / "ws", articles=[
        dict(title="动态一", paragraphs=1, section="工作动态"),
        dict(title="交流一", paragraphs=1, section="经验交流"),
        dict(title="无栏目", paragraphs=1),
        dict(title="动态二", paragraphs=1, section="工作动态")])
    done = bulletin(ws, "check")
    hits = [l for l in done.stderr.splitlines() if "工作动态" in l]
    assert len(hits) == 1, done.stderr
    assert hits[0].startswith(f"{ISSUE}/issue.yaml:") and "warning" in hits[0]
    assert "04-article.md" in hits[0] and "01-article.md" in hits[0] and "move" in hits[0]


def test_check_is_quiet_when_columns_are_adjacent(tmp_path):
    ws = write_workspace(tmp_path / "ws", articles=[
        dict(title="动态一", paragraphs=1, section="工作动态"),
        dict(title="无栏目", paragraphs=1),
        dict(title="动态二", paragraphs=1, section="工作动态"),
        dict(title="交流一", paragraphs=1, section="经验交流")])
    assert "ok: no problems found" in bulletin(ws, "check").stderr


# --- item 17: init sets the first issue's numbers ---------------------------------------------------

def test_init_first_sets_the_numbering(tmp_path):
    ws = tmp_path / "new"
    bulletin(None, "init", str(ws), "--name", "某市简报", "--editor", "某市办公室", "--first", "2012-1-61")
    config = (ws / "bulletin.toml").read_text(encoding="utf-8")
    assert "first = { year = 2012, number = 1, total = 61 }" in config
    assert bulletin(ws, "new", "--date", "2012-03-01").stdout.startswith("第1期（总第61期）")
    assert bulletin(ws, "check").returncode == 0


def test_init_without_first_says_what_the_first_issue_will_be(tmp_path):
    done = bulletin(None, "init", str(tmp_path / "new"))
    assert "第1期（总第1期）" in done.stderr and "--first" in done.stderr


@pytest.mark.parametrize("value, words", [
    ("2012-1", "YEAR-NUMBER-TOTAL"),
    ("2012-一-61", "YEAR-NUMBER-TOTAL"),
    ("2012-0-61", "number"),
    ("1900-1-1", "year"),
    ("2012-10-5", "total"),
])
def test_init_first_is_validated(tmp_path, value, words):
    ws = tmp_path / "new"
    done = bulletin(None, "init", str(ws), "--first", value, check=2)
    assert "--first" in done.stderr and words in done.stderr, done.stderr
    assert not ws.exists()
