"""The core's messages in Chinese: the diagnostic form, the loaders' clerk mistakes, validation, unknown
keys, numbering, distribution, compose and proofreading — each with its file and line, as in English."""
from __future__ import annotations

from functools import partial

import datetime as dt
from pathlib import Path

import pytest

from bulletin import i18n
from bulletin.content.markdown import parse_markdown
from bulletin.content.proofread import lint_text
from bulletin.errors import BulletinError, Diagnostic
from bulletin.model.files import FirstIssue, IssueMeta, RecipientDirectory, SeriesConfig
from bulletin.model.keys import IssueKey, parse_folder_name, parse_issue_name
from bulletin.rules.distribution import resolve
from bulletin.model.preset import Labels
from bulletin.render.words import number_label
from bulletin.rules.numbering import IssueRecord, check_numbering
from bulletin.store import loaders, lock


@pytest.fixture
def zh():
    i18n.set_language("zh")
    yield
    i18n.set_language("en")


@pytest.fixture
def en():
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def errors_of(call) -> list[str]:
    with pytest.raises(BulletinError) as info:
        call()
    return [d.format() for d in info.value.diagnostics]


# --- the diagnostic form --------------------------------------------------------------------------------

def test_diagnostic_reads_message_semicolon_hint_in_chinese(zh):
    d = Diagnostic("issues/2026/10/issue.yaml", 5, "第10期已发布并冻结", hint="请把文章加到下一期（bulletin new）")
    assert d.format() == "issues/2026/10/issue.yaml:5: 第10期已发布并冻结；请把文章加到下一期（bulletin new）"


def test_a_question_hint_follows_with_a_comma_in_chinese(zh):
    d = Diagnostic("issue.yaml", 10, "未知的键“distrbution”", hint="是否应为“distribution”？")
    assert d.format() == "issue.yaml:10: 未知的键“distrbution”，是否应为“distribution”？"


def test_a_warning_is_labelled_in_chinese_and_the_place_stays_ascii(zh):
    assert Diagnostic("a.md", 3, "标题过长", "warning").format() == "a.md:3: 警告：标题过长"
    assert Diagnostic("a.md", None, "标题过长", "warning", "请缩短").format() == "a.md: 警告：标题过长；请缩短"


def test_the_english_form_is_unchanged(en):
    d = Diagnostic("issue.yaml", 4, "unknown key 'x'", "warning", "did you mean 'y'?")
    assert d.format() == "issue.yaml:4: warning: unknown key 'x' — did you mean 'y'?"


# --- loaders: the mistakes a clerk makes, syntax errors ---------------------------------------------------

def test_fullwidth_colon_and_tab_indent_name_their_own_lines(zh):
    text = "number：10\ndate: 2009-12-01\ndistribution:\n\tlists: [default]\n"
    assert errors_of(lambda: loaders.parse_yaml(text, Path("issues/2009/10/issue.yaml"))) == [
        "issues/2009/10/issue.yaml:1: 用了全角冒号“：”，请改为半角“:”",
        "issues/2009/10/issue.yaml:4: 用 Tab 缩进，请改用空格",
    ]


def test_front_matter_mistakes_keep_the_file_line(zh):
    text = "---\ntitle: 我市召开会议\nsource：办公室\n---\n正文。\n"
    assert errors_of(lambda: loaders.parse_front_matter(text, Path("issues/2009/10/01-a.md"))) == [
        "issues/2009/10/01-a.md:3: 用了全角冒号“：”，请改为半角“:”"]


def test_toml_mistakes_in_chinese(zh):
    assert errors_of(lambda: loaders.parse_toml('[series]\nname ＝ "简报"\n', Path("bulletin.toml"))) == [
        "bulletin.toml:2: 用了全角等号“＝”，请改为半角“=”"]
    assert errors_of(lambda: loaders.parse_toml("[series]\nname = 政务公开工作简报\n", Path("bulletin.toml"))) == [
        'bulletin.toml:2: 文字须加半角双引号：“name = "政务公开工作简报"”']


def test_a_yaml_syntax_error_is_named_in_chinese_with_its_line(zh):
    (message,) = errors_of(lambda: loaders.parse_yaml("number: 10\n  date: [\n", Path("issue.yaml")))
    assert message.startswith("issue.yaml:")
    assert "YAML 语法错误：" in message
    assert "；请检查缩进" in message


def test_a_duplicate_key_in_chinese(zh):
    assert errors_of(lambda: loaders.parse_yaml("number: 1\nnumber: 2\n", Path("issue.yaml"))) == [
        "issue.yaml:2: YAML 语法错误：键“number”出现了两次；请只保留一个"]


def test_a_file_that_is_not_utf8(zh, tmp_path):
    path = tmp_path / "recipients.yaml"
    path.write_bytes("recipients: []\n名单: 一\n".encode("gb18030"))
    (message,) = errors_of(lambda: loaders.load_yaml(path))
    assert message == (f"{path}:2: 文件不是 UTF-8 编码的文本；"
                       "请另存为 UTF-8 编码（记事本：另存为 → 编码选 UTF-8）")


# --- validation: pydantic's errors in a clerk's words -------------------------------------------------------

RECIPIENTS = """recipients:
  - id: city
    name: 市政府办公室
    role: 报
  - id: office
    name: 各委办局
    role: 送
  - id: districts
    name: 各区政府
    role: 发
    copies: 0
"""


def test_copies_of_a_recipient_named_in_words(zh):
    loaded = loaders.parse_yaml(RECIPIENTS, Path("recipients.yaml"))
    assert errors_of(lambda: loaders.validate(RecipientDirectory, loaded)) == [
        "recipients.yaml:11: 第3位接收者（districts）的份数（copies）应为1或以上，现为0"]


def test_a_role_outside_its_choices_and_an_empty_name(zh):
    text = "recipients:\n  - id: city\n    name: ''\n    role: 抄\n"
    loaded = loaders.parse_yaml(text, Path("recipients.yaml"))
    assert errors_of(lambda: loaders.validate(RecipientDirectory, loaded)) == [
        "recipients.yaml:3: 第1位接收者（city）的名称（name）不能为空",
        "recipients.yaml:4: 第1位接收者（city）的类别（role）应为报、送或发，现为“抄”",
    ]


def test_the_same_validation_reads_as_before_in_english(en):
    loaded = loaders.parse_yaml(RECIPIENTS, Path("recipients.yaml"))
    assert errors_of(lambda: loaders.validate(RecipientDirectory, loaded)) == [
        "recipients.yaml:11: copies of recipient 3 (districts): must be 1 or more, not 0"]


def test_a_missing_key_and_a_bad_date(zh):
    loaded = loaders.parse_yaml("total: 3\ndate: 20091301\n", Path("issue.yaml"))
    assert errors_of(lambda: loaders.validate(IssueMeta, loaded)) == [
        "issue.yaml:1: 期号（number）：缺少这个必填的键；请添加“number: …”",
        "issue.yaml:2: 日期（date）：“20091301”不是日期；请写作 YYYY-MM-DD，例如 2009-12-01",
    ]


def test_unknown_key_with_did_you_mean(zh):
    text = "number: 10\ntotal: 30\ndate: 2009-12-01\narticles: []\n\n\n\n\n\ndistrbution:\n  lists: [default]\n"
    loaded = loaders.parse_yaml(text, Path("issues/2009/10/issue.yaml"))
    assert errors_of(lambda: loaders.validate(IssueMeta, loaded)) == [
        "issues/2009/10/issue.yaml:10: 未知的键“distrbution”，是否应为“distribution”？"]


def test_unknown_key_inside_a_toml_table(zh):
    loaded = loaders.parse_toml('[series]\nname = "简报"\neditor = "办公室"\nedtor = "x"\n', Path("bulletin.toml"))
    assert errors_of(lambda: loaders.validate(SeriesConfig, loaded)) == [
        "bulletin.toml:4: [series]中有未知的键“edtor”，是否应为“editor”？"]


def test_cross_field_problem_of_an_issue(zh):
    meta = IssueMeta(number=1, date=dt.date(2009, 6, 1), kind="special")
    assert [(loc, msg, hint) for loc, msg, hint in meta.problems()] == [
        (("kind",), "专刊须写明主题", "请添加“theme: …”")]
    meta = IssueMeta(number=1, total=1, date=dt.date(2009, 6, 1), articles=["C:a.md"])
    assert meta.problems()[0][1] == "文章“C:a.md”以盘符（C:）开头，在 Windows 上指向另一个磁盘"


def test_an_issue_name_that_names_no_issue(zh):
    assert errors_of(lambda: parse_issue_name("第十期")) == [
        "bulletin: “第十期”不是有效的期名；请写 10 或 第10期（最近一年的第10期）、2026-10 或 2026年第10期；"
        "增刊写 2026-S1 或 增刊第1期，专刊写 2026-Z1 或 专刊第1期"]


# --- rules: numbering, distribution ----------------------------------------------------------------------

LABEL = partial(number_label, labels=Labels())


def record(year: int, folder: str, number: int, date: str, total: int | None = None) -> IssueRecord:
    text = f"kind: regular\nnumber: {number}\ndate: {date}\n" + (f"total: {total}\n" if total else "")
    path = Path(f"issues/{year}/{folder}/issue.yaml")
    loaded = loaders.parse_yaml(text, path)
    kind, n = parse_folder_name(folder)
    return IssueRecord(IssueKey(year, kind, n), loaders.validate(IssueMeta, loaded), loaded)


def test_numbering_gap_and_total_in_chinese(zh):
    records = [record(2009, "01", 1, "2009-01-10", 1), record(2009, "03", 3, "2009-03-10", 5)]
    found = [d.format() for d in check_numbering(records, FirstIssue(year=2009, number=1, total=1), LABEL)]
    assert found == [
        "issues/2009/03/issue.yaml:2: 2009年的期号从第1期跳到了第3期（缺第2期）；"
        "期号应连续，“bulletin new”会分配下一期的期号",
        "issues/2009/03/issue.yaml:4: 总期号5没有接上 issues/2009/01/issue.yaml 的总期号1（应为2）；"
        "按日期顺序，每出一期正刊，总期号加1",
    ]


def test_a_duplicate_number_in_chinese(zh):
    records = [record(2009, "01", 1, "2009-01-10", 1), record(2009, "001", 1, "2009-01-20", 2)]
    found = [d.format() for d in check_numbering(records, FirstIssue(year=2009, number=1, total=1), LABEL)]
    assert "issues/2009/001/issue.yaml:2: 2009年第1期（总第2期）与 issues/2009/01/issue.yaml 重复；" \
           "请给其中一期改用下一个未用的期号" in found


def test_an_unknown_list_and_recipient_in_chinese(zh):
    directory = loaders.validate(RecipientDirectory, loaders.parse_yaml(
        RECIPIENTS.replace("copies: 0", "copies: 2") + "lists:\n  default: [city]\n", Path("recipients.yaml")))
    meta = IssueMeta(number=1, total=1, date=dt.date(2009, 6, 1),
                     distribution={"lists": ["defualt"], "add": ["ofice"]})
    _, problems = resolve(meta.distribution, directory)
    assert [(msg, hint) for _, msg, hint in problems] == [
        ("recipients.yaml 中没有名单“defualt”", "是否应为“default”？"),
        ("未知的接收者编号“ofice”", "是否应为“office”？"),
    ]


# --- content: compose, proofreading ----------------------------------------------------------------------

def test_a_missing_picture_in_chinese(zh, tmp_path):
    from bulletin.content.compose import check_pictures

    article = tmp_path / "01-a.md"
    article.write_text("---\ntitle: 标题\n---\n正文。\n\n![会议现场](photo.jpg)\n", encoding="utf-8")
    blocks = parse_markdown("正文。\n\n![会议现场](photo.jpg)\n", first_line=4)
    (problem,) = check_pictures(article, blocks, "issues/2009/10/01-a.md", rel=lambda p: Path(p).name)
    assert problem.format() == "issues/2009/10/01-a.md:6: 缺少图片“photo.jpg”；请添加 photo.jpg，或删去这一行图片"


def test_lint_findings_in_chinese_keep_line_column_and_rule_name(zh):
    text = "---\ntitle: 标题\n---\n会议指出,要加强管理。。\n"
    found = [(f.line, f.col, f.rule, f.message) for f in lint_text(text)]
    assert found == [
        (4, 5, "halfwidth-punct", "中文里用了半角“,”，请改为“，”"),
        (4, 11, "doubled-punct", "“。”重复了，请只写一个"),
    ]


def test_a_space_after_a_chinese_mark_in_chinese(zh):
    (finding,) = lint_text("会议指出， 要加强管理。\n", only=("cjk-space",))
    assert (finding.line, finding.col, finding.message) == (1, 6, "“，”后有空格，请删除")


def test_the_same_findings_read_as_before_in_english(en):
    (finding,) = lint_text("会议指出， 要加强管理。\n", only=("cjk-space",))
    assert finding.message == "space after '，'; remove it"
    (finding,) = lint_text("会议（一要加强管理。\n", only=("unpaired-mark",))
    assert finding.message == "'（' has no matching '）' after it in this paragraph"


# --- store: the lock ---------------------------------------------------------------------------------------

def test_a_stale_lock_is_reported_in_chinese(zh, tmp_path):
    (tmp_path / lock.LOCK_NAME).write_text("4242", encoding="ascii")
    with lock.hold(tmp_path) as notes:
        assert notes == ["进程 4242 已不在，已清除它留下的过期锁"]
