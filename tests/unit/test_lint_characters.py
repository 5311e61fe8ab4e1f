"""bulletin.content.proofread, words and characters: traditional characters, characters GB 2312 lacks, spaces that
mean something (two-part titles, blanks left for a name), and leftovers of a web page."""
import subprocess
import sys

import pytest

from bulletin.content.proofread import RULES, fix_text, lint_text

FRONT = "---\ntitle: 标题\n---\n"  # 3 lines, so a body's first line is line 4


def found(text: str) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.col) for f in lint_text(text)]


def rules(text: str) -> set[str]:
    return {f.rule for f in lint_text(text)}


def test_the_new_rules_are_rows_of_the_table():
    table = {r.name: r.fixable for r in RULES}
    assert table["traditional"] is True
    assert table["rare-char"] is False
    assert table["web-junk"] is True


# --- traditional characters -------------------------------------------------------------------------


@pytest.mark.parametrize("text, col, fixed", [
    ("國務院辦公廳印發通知", 1, "国务院办公厅印发通知"),
    ("我们的國家", 4, "我们的国家"),
    ("加強政務公開，推進工作。", 2, "加强政务公开，推进工作。"),   # from the first changed character
    ("國務院關於印發的通知", 1, "国务院关于印发的通知"),   # 於 (in GB 2312) converts with its phrase
])
def test_traditional_characters_are_reported_and_fixed_with_opencc(text, col, fixed):
    assert ("traditional", 1, col) in found(text)
    assert "traditional" in rules(text)
    assert fix_text(text) == fixed
    assert "traditional" not in rules(fixed)


def test_a_traditional_article_has_one_finding_per_run_and_names_what_to_write():
    text = FRONT + "加強政務公開，推進依法行政。\n"
    trad = [f for f in lint_text(text) if f.rule == "traditional"]
    assert [(f.line, f.col) for f in trad] == [(4, 2), (4, 9)]
    assert trad[0].message == "traditional characters '強政務公開'; write '强政务公开'"
    assert trad[0].fixable


def test_a_traditional_title_in_front_matter_is_reported_and_fixed_keeping_the_yaml():
    text = "---\ntitle: 我市舉行授牌儀式   # 標題\n---\n正文。\n"
    assert found(text) == [("traditional", 2, 10)]
    assert fix_text(text) == "---\ntitle: 我市举行授牌仪式   # 標題\n---\n正文。\n"


@pytest.mark.parametrize("text", [
    "乾隆年间，於是著书。",          # characters of GB 2312 that OpenCC would change are left alone
    "`國家`代码里的字不改",           # code is not prose
    "```\n國家\n```",
])
def test_traditional_misses(text):
    assert "traditional" not in rules(text)
    assert fix_text(text) == text


def test_simplified_text_does_not_import_opencc():
    code = ("import sys; from bulletin.content.proofread import lint_text, fix_text; "
            "lint_text('今年以来,我市推进工作 落实。'); fix_text('今年以来,我市推进工作。'); "
            "print('opencc' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


# --- characters GB 2312 lacks -------------------------------------------------------------------------


@pytest.mark.parametrize("text, col, char", [
    ("张堃同志", 2, "堃"),
    ("王喆任组长", 2, "喆"),
    ("毕昇发明活字印刷", 2, "昇"),    # a name character OpenCC would turn into 升
    ("刘昇同志", 2, "昇"),
])
def test_rare_characters_are_reported_never_fixed(text, col, char):
    assert found(text) == [("rare-char", 1, col)]
    [finding] = lint_text(text)
    assert not finding.fixable
    assert f"'{char}'" in finding.message and f"U+{ord(char):04X}" in finding.message
    assert fix_text(text) == text


def test_rare_and_traditional_in_one_run():
    text = "張堃同志"
    assert found(text) == [("traditional", 1, 1), ("rare-char", 1, 2)]
    assert fix_text(text) == "张堃同志"


# --- spaces: titles keep theirs, blanks left for names stay --------------------------------------------

TWO_PART_TITLES = [
    "全面实行政务公开 推动街道事业健康发展",
    "强化组织领导 确保工作落实",
    "以公开促落实 以透明树公信",
    "聚焦群众需求 优化政务服务",
    "坚持依法行政 建设法治政府",
    "深化“放管服”改革 优化营商环境",
    "我市召开2026年政务公开工作会议 部署全年重点任务",
]


@pytest.mark.parametrize("title", TWO_PART_TITLES)
def test_a_two_part_title_keeps_its_space_as_a_full_width_one(title):
    text = f"---\ntitle: {title}\n---\n正文。\n"
    [finding] = lint_text(text)
    assert finding.rule == "cjk-space" and finding.line == 2
    assert finding.message == "half-width space between the two parts of a title; write a full-width space '　'"
    fixed = fix_text(text)
    assert fixed == text.replace(f"title: {title}", "title: " + title.replace(" ", "　"))
    assert lint_text(fixed) == []


@pytest.mark.parametrize("title", TWO_PART_TITLES)
def test_a_two_part_heading_keeps_its_space_too(title):
    text = FRONT + f"\n# {title}\n\n正文。\n"
    assert fix_text(text) == FRONT + f"\n# {title.replace(' ', '　')}\n\n正文。\n"


@pytest.mark.parametrize("text", [
    "---\ntitle: 关于 通知\n---\n",             # a short part: a slip or a part? a person decides
    "---\ntitle: 关于印发《条例》 的通知\n---\n",  # beside punctuation, in a title
    "# 一、 加强领导",
    "## 关于 通知",
])
def test_other_spaces_in_titles_are_reported_but_never_fixed(text):
    assert "cjk-space" in rules(text)
    assert all(not f.fixable for f in lint_text(text))
    assert fix_text(text) == text


def test_a_full_width_space_in_a_title_is_the_titles_own():
    assert lint_text("---\ntitle: 全面实行政务公开　推动街道事业健康发展\n---\n正文。\n") == []


@pytest.mark.parametrize("text", [
    "领导小组由 任组长",                # a blank left for a name
    "由 任组长",
    "会议决定，成立由 任组长的领导小组。",
    "会议强调 要做好工作",              # two runs longer than a few characters: a person decides
    "中文 中文",
    "共有  人参加",                     # two spaces or more: a gap left on purpose
    "由  、  同志组成",
])
def test_spaces_that_may_mean_something_are_reported_never_removed(text):
    hits = [f for f in lint_text(text) if f.rule == "cjk-space"]
    assert hits and all(not f.fixable for f in hits)
    assert fix_text(text) == text


def test_a_space_that_may_be_a_blank_says_so():
    [finding] = lint_text("由 任组长")
    assert finding.message == ("space between Chinese characters; remove it unless it is a blank left "
                               "for a name or a figure")


@pytest.mark.parametrize("text, fixed", [
    ("王 伟", "王伟"),                   # a short fragment: padding, not a blank
    ("政 务 公 开", "政务公开"),         # letter-spaced text
    ("明确， 责任", "明确，责任"),       # beside full-width punctuation
    ("见 《条例》", "见《条例》"),
])
def test_spaces_that_are_slips_are_still_removed(text, fixed):
    assert "cjk-space" in rules(text)
    assert fix_text(text) == fixed


# --- web-page leftovers -------------------------------------------------------------------------------


@pytest.mark.parametrize("line", [
    "合集下载",
    "下载文档前请自行甄别文档内容的完整性，平台不提供额外的编辑、内容补充、找答案等附加服务。",
    "相关文档",
    "相关阅读：",
    "索引号：11320100014349/2023-00123",
    "发布时间：2023-05-12 10:30 来源：市政府办公室",
    "发布日期:2023年5月12日",
    "打印本页 关闭窗口",
    "【打印本页】【关闭窗口】",
    "[ 打印本页 ] [ 关闭窗口 ]",
    "分享到：",
    "责任编辑：王某某",
    "浏览次数：1234",
    "【字体：大 中 小】",
    "上一篇：我市召开政务公开工作会议",
    "当前位置：首页 > 政务公开 > 工作动态",
    "1234",
    "- 相关文档",
])
def test_web_junk_lines_are_reported_and_removed_whole(line):
    text = FRONT + "正文第一段。\n" + line + "\n正文第二段。\n"
    junk = [f for f in lint_text(text) if f.rule == "web-junk"]
    assert [(f.line, f.col) for f in junk] == [(5, 1)]
    assert junk[0].fixable
    assert fix_text(text) == FRONT + "正文第一段。\n正文第二段。\n"


def test_web_junk_message_names_the_line():
    [finding] = [f for f in lint_text(FRONT + "打印本页 关闭窗口\n") if f.rule == "web-junk"]
    assert finding.message == "web-page leftover '打印本页 关闭窗口'; delete the line"


@pytest.mark.parametrize("text", [
    FRONT + "本次会议的相关文档已印发各单位。\n",   # the words inside a sentence are prose
    FRONT + "发布时间为每月5日，逐步形成制度。\n",
    FRONT + "2026年全市共发放1234份。\n",
    FRONT + "发布时间：2023-05-12今年以来，我市推进政务公开。\n",  # a metadata line joined with the text
    "---\ntitle: 相关文档\n---\n正文。\n",          # a front-matter value is not a line of the page
    FRONT + "```\n1234\n打印本页\n```\n",
    FRONT + "1. 第一项\n2. 第二项\n",
    FRONT + "| 项目 | 数量 |\n|---|---|\n| 中文 | 3 |\n",
])
def test_web_junk_misses(text):
    assert "web-junk" not in rules(text)
