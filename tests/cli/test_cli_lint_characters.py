"""Words and characters end to end: traditional characters, rare characters, web-page leftovers and
the same submission added twice, through `bulletin lint` and `bulletin add`."""
from __future__ import annotations

import re

from cli_support import ARTICLE_2, ISSUE_DIR, ok, run, write_workspace

TRADITIONAL_TXT = "我市推進政務公開工作\n\n　　今年以來，我市加強組織領導，推進政務公開。\n\n　　（市政府辦公室供稿）\n"

ARTICLE = """\
---
title: 我市推进政务公开工作
---
今年以来，我市加强组织领导，张堃同志介绍了经验。

打印本页 关闭窗口

下一步，我市将继续推进。
"""


def issue_file(ws, name: str) -> str:
    return (ws / ISSUE_DIR / name).read_text(encoding="utf-8")


def test_lint_reports_traditional_rare_and_junk_and_fix_converts_and_deletes(tmp_path):
    ws = write_workspace(tmp_path / "ws", articles={"01-first.md": ARTICLE.replace("推进政务", "推進政務"),
                                                          "02-second.md": ARTICLE_2})
    done = run("lint", "10", workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    article = (ISSUE_DIR / "01-first.md").as_posix()
    assert done.stdout.splitlines() == [
        f"{article}:2:11: traditional: traditional characters '進政務'; write '进政务'",
        f"{article}:4:16: rare-char: '堃' (U+5803) is not in GB 2312, so the *_GB2312 fonts lack it and it "
        "is set in the fallback font; check it in the proof",
        f"{article}:6:1: web-junk: web-page leftover '打印本页 关闭窗口'; delete the line",
    ]
    fixed = run("lint", "10", "--fix", workspace=ws)
    assert fixed.returncode == 1  # the rare character is for a person to check
    assert [line.split(": ")[1] for line in fixed.stdout.splitlines()] == ["rare-char"]
    assert issue_file(ws, "01-first.md") == ARTICLE.replace("打印本页 关闭窗口\n", "")


def test_add_warns_about_traditional_characters_and_converts_nothing(ws, tmp_path):
    src = tmp_path / "政府办.txt"
    src.write_text(TRADITIONAL_TXT, encoding="utf-8")
    done = ok(run("add", "10", src, workspace=ws))
    article = issue_file(ws, "政府办.md")
    assert "推進政務公開" in article  # nothing converted without being asked
    [warning] = [line for line in done.stderr.splitlines() if "traditional" in line]
    assert re.fullmatch(rf"{re.escape((ISSUE_DIR / '政府办.md').as_posix())}:2:\d+: warning: 13 traditional "
                        r"characters from .*政府办\.txt, the first '.+' \(write '.+'\) — .*--simplify.*", warning), warning


def test_add_simplify_converts_and_says_so(ws, tmp_path):
    src = tmp_path / "政府办.txt"
    src.write_text(TRADITIONAL_TXT, encoding="utf-8")
    done = ok(run("add", "10", src, "--simplify", workspace=ws))
    article = issue_file(ws, "政府办.md")
    assert "title: 我市推进政务公开工作" in article
    assert "今年以来，我市加强组织领导，推进政务公开。" in article
    assert "source: 市政府办公室" in article
    assert "13 traditional characters converted to simplified" in done.stderr
    assert ok(run("lint", "10", workspace=ws)).stdout == ""


def test_add_of_a_text_with_web_junk_warns_with_its_lines(ws, tmp_path):
    src = tmp_path / "网页.txt"
    src.write_text("我市推进政务公开工作\n索引号：113201/2023-00123\n发布时间：2023-05-12 来源：市政府办公室\n\n"
                   "　　今年以来，我市推进政务公开。\n\n分享到：\n\n1234\n", encoding="utf-8")
    done = ok(run("add", "10", src, workspace=ws))
    junk = [line for line in done.stderr.splitlines() if "web-page leftover" in line]
    assert [line.split(": warning")[0] for line in junk] == [f"{src}:2:1", f"{src}:3:1", f"{src}:7:1", f"{src}:9:1"]
    assert "bulletin lint" in junk[0]


def test_a_clean_text_gets_no_character_warning(ws, tmp_path):
    src = tmp_path / "财政局.txt"
    src.write_text("市财政局公开预算信息\n\n　　市财政局主动公开2026年预算。\n", encoding="utf-8")
    done = ok(run("add", "10", src, workspace=ws))
    assert "traditional" not in done.stderr and "web-page" not in done.stderr and "same text" not in done.stderr


def test_the_same_submission_added_twice_is_named(ws, tmp_path):
    first, second = tmp_path / "民政局.txt", tmp_path / "民政局（改）.txt"
    first.write_text("市民政局开展救助\n\n　　今年以来，市民政局开展困难群众救助工作。\n", encoding="utf-8")
    # the same text with other spacing and punctuation widths: still the same submission
    second.write_text("市民政局开展救助\n\n今年以来, 市民政局开展困难群众救助工作.\n\n", encoding="utf-8")
    assert "same text" not in ok(run("add", "10", first, workspace=ws)).stderr
    done = ok(run("add", "10", second, workspace=ws))
    assert f"{second}: warning: its text is the same as {(ISSUE_DIR / '民政局.md').as_posix()}, already in " \
           "issue 2026-10" in done.stderr
    assert "remove one of them" in done.stderr


def test_two_copies_in_one_add_are_named_too(ws, tmp_path):
    a, b = tmp_path / "a" / "税务局.md", tmp_path / "b" / "税务局.md"
    for path in (a, b):
        path.parent.mkdir()
        path.write_text("---\ntitle: 税务局推行办税服务\n---\n今年以来，税务局推行“一网通办”。\n", encoding="utf-8")
    done = ok(run("add", "10", a, b, workspace=ws))
    assert f"{b}: warning: its text is the same as {a}, added with it" in done.stderr
