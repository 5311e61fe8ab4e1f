"""信息报送 in Chromium, the whole loop with real accounts (made with `bulletin user add … --password-stdin`)
on a workspace under git: the submitter 李华 of 市统计局 uploads a Word file and writes a second item;
the editor 王编辑 adopts the first into issue 2026-10 and returns the second with a reason; 李华 sees
both decisions; `bulletin render` prints the issue with the article and its source; the quarter's
scores count the adoption with its points (the table and the chart); undoing the adoption takes the
article out and the points with it. The new pages pass axe; screenshots go to
tests/browser/screenshots/submissions-*.png (docs/submissions-stats.png is a copy of the statistics page's)."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

import browser_support  # noqa: E402
from browser_support import SCREENSHOTS, axe_violations, format_violations, serving  # noqa: E402
from cli_support import clean_env, git_env, run_ok, write_workspace  # noqa: E402

PASSWORD = "correct horse battery"
SUBMITTER, EDITOR = "李华", "王编辑"
UNIT = "市统计局"     # named only in bulletin.toml's [submissions]: it prints nowhere until adopted
UNITS = ["市统计局", "市税务局", "市民政局"]
DOCX_TITLE = "前三季度全市经济运行总体平稳"
DOCX_BODY = "前三季度，全市地区生产总值同比增长百分之五点二，经济运行总体平稳、稳中有进。"
RETURNED_TITLE = "十月份居民消费价格情况"
REASON = "数据需核实后重报"
PERIOD = "2026Q4"     # issue 2026-10 is dated 2026-11-20: its adoptions count in this quarter




def _word_file(path: Path) -> Path:
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(DOCX_TITLE)
    run.bold = True
    run.font.size = Pt(22)
    document.add_paragraph(DOCX_BODY)
    document.add_paragraph("下一步，将继续加强经济运行监测分析，为决策提供参考。")
    document.save(path)
    return path


@pytest.fixture
def portal(tmp_path, monkeypatch):
    """(base URL, workspace, env) of `bulletin serve` over a git repository with a submitter and an editor."""
    from bulletin.commands.history import start
    from bulletin.store.workspace import Workspace

    for name, value in git_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    ws = write_workspace(tmp_path / "ws")
    with open(ws / "bulletin.toml", "a", encoding="utf-8") as f:
        f.write("\n[submissions]\nunits = [" + ", ".join(f'"{u}"' for u in UNITS) + "]\n")
    start(Workspace(ws), "管理员")
    env = clean_env(BULLETIN_LANG="zh", **git_env(tmp_path))
    run_ok(env, ws, "user", "add", SUBMITTER, "--role", "submitter", "--unit", UNIT, "--password-stdin",
              stdin=PASSWORD + "\n")
    run_ok(env, ws, "user", "add", EDITOR, "--role", "editor", "--password-stdin", stdin=PASSWORD + "\n")
    with serving(ws, env=env, cwd=tmp_path) as url:
        yield url, ws, env


def _scores_row(page, unit: str) -> dict:
    """The statistics table's row of `unit`: heading → cell text."""
    headings = [h.strip() for h in page.locator("table.scores thead th").all_inner_texts()]
    row = page.locator("table.scores tbody tr", has=page.locator("th", has_text=unit))
    cells = [c.strip() for c in row.locator("th, td").all_inner_texts()]
    return dict(zip(headings, cells))


def test_a_unit_sends_the_editor_decides_the_unit_sees_it_and_the_scores_follow(chromium_page, portal, tmp_path):
    from docx import Document
    from playwright.sync_api import expect

    url, ws, env = portal
    page = chromium_page
    page.route(re.compile(r"/pages/\d+\.png(\?|$)"), lambda route: route.fulfill(status=204, body=b""))
    SCREENSHOTS.mkdir(exist_ok=True)

    def sign_in(name: str, target: str) -> None:
        browser_support.sign_in(page, url, name, PASSWORD, target)

    def sign_out() -> None:
        browser_support.sign_out(page, url)

    def check_axe(path: str) -> None:
        found = axe_violations(page, url + path)
        assert found == [], f"{path}:\n" + format_violations(found)

    # 1. the unit sends: a Word file, then an item written in the form
    sign_in(SUBMITTER, "/submit")
    expect(page.locator("nav")).to_have_text("信息报送已发布简报")     # nothing else of the workspace
    page.set_input_files("#send-file-input", str(_word_file(tmp_path / "经济运行.docx")))
    page.get_by_role("button", name="报送文件").click()
    expect(page.locator("p.added")).to_contain_text(DOCX_TITLE)
    page.fill("#send-title", RETURNED_TITLE)
    page.fill("#send-body", "十月份，全市居民消费价格同比上涨百分之零点三。")
    page.get_by_role("button", name="报送", exact=True).click()
    expect(page.locator("p.added")).to_contain_text(RETURNED_TITLE)
    expect(page.locator("#sent-items tbody tr")).to_have_count(2)
    expect(page.locator("#sent-items")).to_contain_text("待处理")
    check_axe("/submit")
    sign_out()

    # 2. the editor decides: adopt the Word file into 2026-10, return the other with a reason
    sign_in(EDITOR, "/inbox")
    adopted = page.locator("article.inbox-item", has_text=DOCX_TITLE)
    returned = page.locator("article.inbox-item", has_text=RETURNED_TITLE)
    expect(adopted).to_contain_text(UNIT)
    expect(adopted.locator(".item-preview")).to_contain_text(DOCX_BODY)      # as it would print
    check_axe("/inbox")
    page.goto(url + "/inbox")
    page.screenshot(path=str(SCREENSHOTS / "submissions-inbox.png"), full_page=True)
    returned.get_by_role("button", name="退回").click()                      # no reason: refused beside the field
    expect(returned.locator(".error")).to_contain_text("退回原因")
    adopted.get_by_label("采用到", exact=True).select_option("2026-10")
    adopted.get_by_role("button", name="采用", exact=True).click()
    expect(page.locator("p.added")).to_have_text("已采用。")
    returned.get_by_label("退回原因（必填，报送单位可见）").fill(REASON)
    returned.get_by_role("button", name="退回").click()
    expect(page.locator("p.added")).to_have_text("已退回报送单位。")
    expect(page.locator("#decided-items tbody tr")).to_have_count(2)
    expect(page.locator("#decided-items")).to_contain_text(EDITOR)
    sign_out()

    # 3. the unit sees both decisions at once
    sign_in(SUBMITTER, "/submit")
    mine = page.locator("#sent-items")
    expect(mine.locator("tr", has_text=DOCX_TITLE)).to_contain_text("全文采用，刊于2026年第10期")
    expect(mine.locator("tr", has_text=RETURNED_TITLE)).to_contain_text(f"退回：{REASON}")
    page.screenshot(path=str(SCREENSHOTS / "submissions-submit.png"), full_page=True)
    ref = page.locator("#sent-items tr", has_text=DOCX_TITLE).locator("a").first.inner_text()
    check_axe(f"/submissions/{ref}")     # one item: its decisions and the text as it would print
    check_axe("/published")
    page.goto(url + "/issues/2026-10")
    assert page.locator("h1").inner_text() == "403 · 禁止访问"   # no workbench page for a unit
    sign_out()

    # 4. the issue prints the article with its source
    out = tmp_path / "issue.docx"
    run_ok(env, ws, "render", "2026-10", "-o", str(out))
    text = "\n".join(p.text for p in Document(str(out)).paragraphs)
    assert DOCX_TITLE in text and DOCX_BODY[:20] in text
    assert UNIT in text          # the source line (the unit is named nowhere else in the issue)

    # 5. the quarter's scores count it: 全文采用 1, 10 points (bulletin.toml's defaults), rank 1
    sign_in(EDITOR, f"/stats?period={PERIOD}")
    row = _scores_row(page, UNIT)
    assert row["全文采用"] == "1" and row["退回"] == "1" and row["得分"] == "10" and row["排名"] == "1", row
    expect(page.locator("table.scores tbody tr")).to_have_count(len(UNITS))   # units that sent nothing too
    chart = page.locator("img.chart")
    expect(chart).to_have_js_property("complete", True)
    assert chart.evaluate("img => img.naturalWidth") > 300
    check_axe(f"/stats?period={PERIOD}")
    check_axe("/issues/2026-10/articles/02-second.md")    # with its 领导批示与上级采用 form
    page.goto(f"{url}/stats?period={PERIOD}")
    page.wait_for_function("document.querySelector('img.chart').naturalWidth > 0")
    page.screenshot(path=str(SCREENSHOTS / "submissions-stats.png"), full_page=True)   # docs/ has a copy for the README

    # 6. undoing the adoption takes the article out of the issue and the points out of the scores
    page.goto(url + "/inbox")
    page.locator("#decided-items tr", has_text=DOCX_TITLE).get_by_role("button", name=re.compile("撤销")).click()
    expect(page.locator("p.added")).to_have_text("已撤销该处理。")
    expect(page.locator("article.inbox-item", has_text=DOCX_TITLE)).to_be_visible()   # waiting again
    page.goto(f"{url}/stats?period={PERIOD}")
    row = _scores_row(page, UNIT)
    assert row["全文采用"] == "0" and row["得分"] == "0", row
    assert DOCX_TITLE not in "".join(p.read_text(encoding="utf-8") for p in (ws / "issues/2026/10").glob("*.md"))
    log = subprocess.run(["git", "-C", str(ws), "log", "--format=%an|%s"], capture_output=True, text=True,
                         env={**os.environ, **git_env(tmp_path)}).stdout
    assert f"{SUBMITTER}|" in log and f"{EDITOR}|" in log   # every step a commit in its person's name
