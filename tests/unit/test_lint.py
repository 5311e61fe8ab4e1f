"""bulletin.content.proofread: proofreading rules over an article's text, their fixes, and where they point."""
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bulletin.content.proofread import RULES, fix_text, lint_text
from bulletin.store.loaders import parse_front_matter

FRONT = "---\ntitle: 标题\n---\n"  # 3 lines, so a body's first line is line 4


def found(text: str) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.col) for f in lint_text(text)]


def rules(text: str) -> set[str]:
    return {f.rule for f in lint_text(text)}


# --- the rule table ----------------------------------------------------------------------------------


def test_rule_names_are_unique_and_every_finding_names_one():
    names = [r.name for r in RULES]
    assert len(names) == len(set(names))
    text = "他说\"好\",《“书》”２０２６年03月01日，，王 伟...完成.國家堃\n打印本页\n"
    findings = lint_text(text)
    assert {f.rule for f in findings} <= set(names)
    assert {f.rule for f in findings} == set(names)  # this sample trips every rule once at least
    fixable = {r.name: r.fixable for r in RULES}
    assert all(f.fixable == fixable[f.rule] for f in findings)


# --- each rule: a hit (with its place and its fix) ----------------------------------------------------


@pytest.mark.parametrize("text, rule, col, fixed", [
    ("我们,他们", "halfwidth-punct", 3, "我们，他们"),
    ("注:请带证件", "halfwidth-punct", 2, "注：请带证件"),
    ("第一;第二", "halfwidth-punct", 3, "第一；第二"),
    ("是否同意?", "halfwidth-punct", 5, "是否同意？"),
    ("太好了!", "halfwidth-punct", 4, "太好了！"),
    ("工作完成.", "halfwidth-punct", 5, "工作完成。"),
    ("工作完成.下一步", "halfwidth-punct", 5, "工作完成。下一步"),
    ("时间:10:30", "halfwidth-punct", 3, "时间：10:30"),
    ("我们 ,他们", "halfwidth-punct", 4, "我们，他们"),            # past the space, then the space goes
    ("**重要**,请注意", "halfwidth-punct", 7, "**重要**，请注意"),     # past the emphasis stars
    ("“一网通办”,成效明显", "halfwidth-punct", 7, "“一网通办”，成效明显"),
    ("OK,好的", "halfwidth-punct", 3, "OK，好的"),                   # right before Chinese
    ("中文(注释)中文", "halfwidth-punct", 3, "中文（注释）中文"),
    ("GDP(国内生产总值)", "halfwidth-punct", 4, "GDP（国内生产总值）"),
    ("(1)加强领导", "halfwidth-punct", 1, "（1）加强领导"),
    ("世界卫生组织(WHO)", "halfwidth-punct", 7, "世界卫生组织（WHO）"),
    ("见www.example.com,了解", "halfwidth-punct", 17, "见www.example.com，了解"),
    ("2009年03月01日", "padded-date", 1, "2009年3月1日"),
    ("会议于3月05日召开", "padded-date", 4, "会议于3月5日召开"),
    ("2026年03月", "padded-date", 1, "2026年3月"),
    ("12月08号", "padded-date", 1, "12月8号"),
    ("２０２６年", "fullwidth-digit", 1, "2026年"),
    ("增长３．５个百分点", "fullwidth-digit", 3, "增长3.5个百分点"),
    ("好，，的", "doubled-punct", 2, "好，的"),
    ("完成。。", "doubled-punct", 3, "完成。"),
    ("真的？？", "doubled-punct", 3, "真的？"),
    ("等等...", "ellipsis", 3, "等等……"),
    ("等等。。。", "ellipsis", 3, "等等……"),
    ("等等…", "ellipsis", 3, "等等……"),
    ("王 伟", "cjk-space", 2, "王伟"),              # a short fragment; longer ones may be blanks
    ("政\t务", "cjk-space", 2, "政务"),
    ("明确， 责任", "cjk-space", 4, "明确，责任"),
    ("见 《条例》", "cjk-space", 2, "见《条例》"),
    ("中文 “引号”", "cjk-space", 3, "中文“引号”"),
])
def test_fixable_rule_hit(text, rule, col, fixed):
    assert found(text)[0] == (rule, 1, col)
    assert rules(text) == {rule}
    assert fix_text(text) == fixed


@pytest.mark.parametrize("text, rule, col", [
    ("他说\"好\"", "straight-quote", 3),
    ("他说'好'", "straight-quote", 3),
    ("我市举行“授牌仪式", "unpaired-mark", 5),
    ("授牌仪式”", "unpaired-mark", 5),
    ("《条例", "unpaired-mark", 1),
    ("（注", "unpaired-mark", 1),
    ("【工作动态", "unpaired-mark", 1),
    ("‘示范", "unpaired-mark", 1),
    ("《“书名》”", "bad-nesting", 5),
    ("【“动态】”", "bad-nesting", 5),
])
def test_reported_rule_hit_is_left_for_a_person(text, rule, col):
    assert (rule, 1, col) in found(text)
    assert rule not in {r.name for r in RULES if r.fixable}
    assert rule in rules(fix_text(text))


def test_bad_nesting_is_reported_once_and_closes_the_inner_mark_too():
    assert found("《“书名》") == [("bad-nesting", 1, 5)]
    assert found("《“书名》。") == [("bad-nesting", 1, 5)]


def test_dots_next_to_dots_are_no_full_stop():
    assert found("等等..") == []
    assert found("等等...") == [("ellipsis", 1, 3)]


def test_bad_nesting_names_where_the_inner_mark_opened():
    [finding] = [f for f in lint_text("x\n《“书名》”") if f.rule == "bad-nesting"]
    assert "'“'" in finding.message and "2:2" in finding.message and "'》'" in finding.message


def test_a_quote_left_open_at_the_end_of_a_paragraph_is_unpaired_even_if_the_next_one_closes_it():
    assert ("unpaired-mark", 1, 3) in found("他说“好\n\n”然后")
    assert not found("他说“好\n还是”然后")  # a soft line break stays inside the paragraph


def test_nested_marks_in_the_right_order_pass():
    assert not found("印发《关于“一网通办”的〈实施意见〉》（试行）【工作动态】‘示范’")


# --- misses: what must stay as written ----------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "Hello, world.",
    "“Hello,” she said. Really? Yes! (Indeed.)",
    "他说“Hello!”然后离开",                      # English inside Chinese quotes keeps its marks
    "会议于10:30开始",
    "增长3.5个百分点，共1,386项",
    "访问https://www.gov.cn/zhengce/index.htm?a=1,b=2了解",
    "[政府网站](https://www.gov.cn/a_(b).htm)",
    "联系邮箱zhengwu@example.gov.cn",
    "版本号2.0，附件.docx",
    "![授牌仪式,现场](photo.jpg)".replace(",", "，"),
    "`a, b; c: d(e).`中文",
    "```\n中文,中文 中文\n２０２６\n```",
    "~~~\n中文,中文\n~~~",
    "**粗体**",
    "**“一网通办”**改革",
    "# 加强组织领导",
    "## 明确责任",
    "1. 第一项\n2. 第二项",
    "1) 第一项",
    "- 《条例》\n* （一）要求\n+ “引号”",
    "> 引用的文字",
    "等等……还有——破折号",
    "十二月份，12月份",
    "中文  \n下一行",                            # a Markdown hard break
    "　　段首缩进",                              # an ideographic-space indent
    "内部资料　注意保存",                         # ideographic space between words is deliberate
    "使用 Python 语言",                          # spaces between Chinese and Latin are a style choice
    "fonts (FandolFang for 仿宋, FandolKai for 楷体). Next",  # English naming Chinese words
    "见第3页. See page 3",
    "don’t, the members’ votes",
    "f(x) = y, a;b",
    "&amp;中文&nbsp;",
    "\\(中文\\)",
    "<!-- 注释,不印 -->",
    "中文<br>中文",
    "| 项目 | 数量 |\n|---|---|\n| 中文 | 3 |",
    "---\ntitle: 我市举行“授牌仪式”\nsource: 市税务局          # 供稿单位\n---\n正文。",
])
def test_miss(text):
    assert found(text) == []
    assert fix_text(text) == text


def test_front_matter_keys_quotes_and_comments_are_not_prose():
    text = ('---\ntitle: "关于,印发\\"通知\\""   # 注释,不改\nsection: \'工作\'\'动态,\'\'通知\'\ntags: [甲,乙]\n'
            'author: ""\n---\n正文。\n')
    assert found(text) == [("halfwidth-punct", 2, 11), ("halfwidth-punct", 3, 17)]
    fixed = fix_text(text)
    assert fixed.splitlines()[1] == 'title: "关于，印发\\"通知\\""   # 注释,不改'
    assert fixed.splitlines()[2] == "section: '工作''动态，''通知'"
    assert fixed.splitlines()[3] == "tags: [甲,乙]"  # flow syntax is YAML, not prose


def test_front_matter_values_are_fixed_but_keys_and_yaml_kept():
    text = "---\ntitle: 我市２０２６年工作 会议,通报:情况\nsource: 市税务局\nsection: 工作动态\n---\n正文,内容。\n"
    fixed = fix_text(text)
    before = parse_front_matter(text, Path("a.md")).meta.data
    after = parse_front_matter(fixed, Path("a.md")).meta.data
    assert list(after) == list(before)
    assert after["title"] == "我市2026年工作　会议，通报：情况"  # a title's space is its own
    assert after["source"] == before["source"] and after["section"] == before["section"]
    assert fixed.endswith("正文，内容。\n")


# --- fixing ------------------------------------------------------------------------------------------


def test_fix_chains_until_nothing_fixable_is_left():
    # `,,` → `，，` → `，`; `０３` → `03` → `3`; `( 注 )` → `（ 注 ）` → `（注）`
    assert fix_text("好,,的") == "好，的"
    assert fix_text("２０２６年０３月０１日") == "2026年3月1日"
    assert fix_text("中文 ( 注 ) 中文") == "中文（注）中文"


def test_fix_converts_a_pair_of_parentheses_together():
    fixed = fix_text("使用(Python 语言)开发")
    assert fixed == "使用（Python 语言）开发"


def test_fix_keeps_what_is_not_prose_and_line_endings():
    # the URL ends before the sentence's comma, as a reader would see it
    text = ("---\r\ntitle: 标题\r\n---\r\n\r\n见https://a.cn/x?y=1,2,并`中文,代码`与[链接](b.md)等,"
            "共3.5万份.\r\n")
    fixed = fix_text(text)
    assert fixed == ("---\r\ntitle: 标题\r\n---\r\n\r\n见https://a.cn/x?y=1,2，并`中文,代码`与[链接](b.md)等，"
                     "共3.5万份。\r\n")


_PIECES = (list("中文年月日，。、；：？！（）《》“”‘’【】…—,.:;?!()\"' \n\t0123456789０１２abc*`#-[]/>")
           + ["2009年03月01日", "http://a.cn/x?y=1,2", "![图,片](a.jpg)", "1. ", "...", "。。。", "```\n",
              "Hello, world.", "3.5", "10:30", "\n\n", FRONT])


@given(st.lists(st.sampled_from(_PIECES), max_size=40).map("".join))
def test_fix_is_idempotent_and_leaves_nothing_fixable(text):
    fixed = fix_text(text)
    assert fix_text(fixed) == fixed
    assert [f for f in lint_text(fixed) if f.fixable] == []


@given(st.lists(st.sampled_from(_PIECES), max_size=30).map("".join))
def test_fix_never_touches_urls_code_or_english_around_it(text):
    protected = "见https://a.cn/p?q=1,2&r=(3)，`a,b 中 文`，Hello, world. 10:30 3.5"
    fixed = fix_text(text + "\n\n" + protected + "\n")
    assert fixed.endswith("\n" + protected + "\n")  # a web-junk line before it may be deleted


# --- places: 1-based lines and columns in characters of the file as written --------------------------


def test_line_and_column_count_the_front_matter_and_characters_not_bytes():
    text = FRONT + "\n第一段没有问题。\n𠀀𠀁测试,内容\n"  # 𠀀 is one character (four UTF-8 bytes)
    assert found(text) == [("rare-char", 6, 1), ("rare-char", 6, 2), ("halfwidth-punct", 6, 5)]


def test_every_finding_points_at_its_character():
    text = (FRONT + "\n今年以来,我市 推进工作.\r\n\n# 加强领导:落实\n\n"
            "- 共发放２万份,受到欢迎!\n\n访问https://a.cn后(点击)提交?\n")
    marks = {"halfwidth-punct": ",.:!(?)", "cjk-space": " ", "fullwidth-digit": "２"}
    lines = text.split("\n")
    seen = []
    for f in lint_text(text):
        ch = lines[f.line - 1][f.col - 1]
        assert ch in marks[f.rule], (f, ch)
        seen.append((f.line, f.col))
    assert seen == sorted(seen)
    assert len(seen) == 10


def test_findings_come_in_file_order():
    text = "甲,乙\n丙 丁\n2026年03月\n"
    assert found(text) == [("halfwidth-punct", 1, 2), ("cjk-space", 2, 2), ("padded-date", 3, 1)]


def test_messages_say_what_to_write():
    [width] = lint_text("好,的")
    assert width.message == "half-width ',' in Chinese text; use '，'"
    [date] = lint_text("2026年03月01日")
    assert date.message == "zero-padded date 2026年03月01日; write 2026年3月1日"
    assert re.search("'“'.*'”'", lint_text("“好")[0].message)


def test_every_rule_is_said_in_a_few_words_in_chinese():
    from bulletin.content.proofread import RULES, SUMMARIES, summary
    from bulletin.i18n import speaking

    assert set(SUMMARIES) == {rule.name for rule in RULES}
    with speaking("zh"):
        said = {rule.name: summary(rule.name) for rule in RULES}
    assert all(words != rule and not words.isascii() for rule, words in said.items()), said
