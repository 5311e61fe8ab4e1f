"""bulletin.render.words: the words every output prints, from the composed issue and the preset."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from examples.generate import write_workspace  # noqa: E402

from bulletin.content.compose import compose_issue  # noqa: E402
from bulletin.model.files import IssueMeta  # noqa: E402
from bulletin.model.preset import Labels, Preset  # noqa: E402
from bulletin.render import words  # noqa: E402
from bulletin.store.workspace import Workspace  # noqa: E402

DEFAULT = Labels()
HAO = Labels(regular="第{n}号", total="（总第{total}号）", supplement="增刊第{n}号", special="专号第{n}号")


def meta(kind="regular", number=10, total=30, theme=""):
    return IssueMeta.model_validate({"number": number, "total": total if kind == "regular" else None,
                                     "date": dt.date(2026, 12, 1), "kind": kind, "theme": theme})


def test_number_labels():
    assert words.number_label(meta(), DEFAULT) == "第10期（总第30期）"
    assert words.number_label(meta("supplement", 1), DEFAULT) == "增刊第1期"
    assert words.number_label(meta("special", 2, theme="条例"), DEFAULT) == "专刊第2期"
    assert words.issue_number(meta(), DEFAULT) == "第10期"
    assert words.year_number(2026, meta(), DEFAULT) == "2026年第10期"
    assert words.file_stem("简报", 2026, meta(), DEFAULT) == "简报-2026-第10期"


def test_the_preset_decides_the_labels():
    assert words.number_label(meta(), HAO) == "第10号（总第30号）"
    assert words.number_label(meta("supplement", 1), HAO) == "增刊第1号"
    assert words.file_stem("简报", 2026, meta(), HAO) == "简报-2026-第10号"


def _issue(tmp_path, **shape):
    ws = Workspace(write_workspace(tmp_path / "ws", **shape))
    return compose_issue(ws, ws.resolve("10"))


ARTICLES = [dict(title="甲", paragraphs=1, section="工作动态", source="市数据局"),
            dict(title="乙", paragraphs=1),
            dict(title="丙", paragraphs=1, section="经验交流")]


def test_the_words_of_an_issue(tmp_path):
    issue = _issue(tmp_path, articles=ARTICLES, distribution="lists: [short]\n  extra: [市档案馆]")
    said = words.issue_words(issue, Preset())
    assert said.title == "政务公开工作简报 第10期"
    assert said.masthead == words.Masthead("内部资料　注意保存", ["××市政务公开工作", "简报"],
                                           ["第10期", "（总第30期）"], "××市政务公开领导小组办公室编",
                                           "2026年11月20日")
    assert said.contents == words.Contents("本期要目", [
        words.ContentsEntry("【工作动态】"), words.ContentsEntry("甲", 0), words.ContentsEntry("乙", 1),
        words.ContentsEntry("【经验交流】"), words.ContentsEntry("丙", 2)])
    assert said.articles == [words.ArticleWords("甲", "【工作动态】", "", "（市数据局供稿）"),
                             words.ArticleWords("乙", "", "", ""),   # stays in the column before it
                             words.ArticleWords("丙", "【经验交流】", "", "")]
    assert said.note_label == "编者按："
    assert said.tail == [("list", "报：市委办公室。"), ("list", "送：各区人民政府。"),
                         ("list", "本期增发：市档案馆。"), ("people", "编辑：王××　审核：李××　签发：张××"),
                         ("copies", "（共印48份）")]


def test_preset_choices_change_the_words(tmp_path):
    issue = _issue(tmp_path, articles=ARTICLES[:1])
    preset = Preset.model_validate({"body": {"source_style": "kicker", "contents_min_articles": 1},
                                    "masthead": {"total_on_same_line": True}, "labels": HAO.model_dump()})
    said = words.issue_words(issue, preset)
    assert said.masthead.number_lines == ["第10号（总第30号）"]
    assert said.articles == [words.ArticleWords("甲", "【工作动态】", "市数据局", "")]
    assert said.contents is not None and said.contents.entries[-1] == words.ContentsEntry("甲", 0)
    assert words.issue_words(issue, Preset()).contents is None  # one article: no 本期要目 by default


def test_an_issue_marking_is_printed_instead_of_the_series_one(tmp_path):
    ws = Workspace(write_workspace(tmp_path / "ws", articles=[dict(title="标识测试", paragraphs=1)]))
    key = ws.issue_keys()[0]
    issue = compose_issue(ws, key)
    assert words.marking(issue) == "内部资料　注意保存"
    issue.meta.marking = "秘密★1年"
    assert words.marking(issue) == words.masthead(issue, Preset()).marking == "秘密★1年"
    issue.meta.marking, issue.series.series.marking = "", ""
    assert words.marking(issue) == "" and words.masthead(issue, Preset()).marking == ""
