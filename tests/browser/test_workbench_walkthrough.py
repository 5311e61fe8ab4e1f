"""A clerk's whole task in the workbench, in Chromium, against a live `bulletin serve` on a copy of the
demo workspace: on 首页 they make a new issue (新建一期), upload a Word submission and two .txt files
(UTF-8 and GB18030) at once, reorder them with 上移/下移, fix a proofreading finding (校对, 修正), watch
page 1 of the preview change, and download the .docx, which holds the new article and is byte for
byte what `bulletin render` writes. Each page passes axe-core and is saved as a screenshot under
tests/browser/screenshots/ (walkthrough-*.png) for a person to look at; the pages are checked once in
English too.

LibreOffice makes the page images (cold, a few seconds each): the test waits for an image to be
loaded, never for a fixed time."""
from __future__ import annotations

import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from browser_support import CHROMIUM_ARGS, SCREENSHOTS, VIEWPORT, axe_violations, format_violations  # noqa: F401
from browser_support import free_port  # noqa: E402
from cli_support import copy_demo  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
WIDE = {"width": 1920, "height": 1080}  # a clerk's wide screen, where the preview stands beside the issue
CONVERSION_MS = 120_000  # a cold LibreOffice on a busy machine; expect() returns as soon as it is there

NEW_DATE = "2026-12-04"
DOCX_TITLE = "市民政局建成“15分钟便民服务圈”"
DOCX_SOURCE = "市民政局"
# The sentence the downloaded .docx must hold, and the same with the half-width comma the clerk fixes.
KNOWN = "全市共建成社区便民服务站120个，覆盖所有街道和乡镇。"
PLANTED = KNOWN.replace("，", ",")
TXT_TITLE = "市统计局发布前三季度经济运行情况"
GB_TITLE = "县农业农村局推进高标准农田建设"


@dataclass
class Workbench:
    url: str
    ws: Path
    log: Path


@pytest.fixture
def workbench(tmp_path) -> Workbench:
    """`bulletin serve` (uvicorn over bulletin.web.app.create_app) on a copy of the demo workspace, on a
    free port; stopped after the test."""
    ws = copy_demo(tmp_path / "ws")
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), "serve", "--no-history",
                                   "--port", str(port)], stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"bulletin serve stopped:\n{log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(url + "/", timeout=5) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"bulletin serve did not answer at {url}:\n{log.read_text(errors='replace')}")
            time.sleep(0.1)  # polling for the server to listen, not waiting for a result
        yield Workbench(url, ws, log)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


# --- the submissions -------------------------------------------------------------------------------

def _word_submission(path: Path) -> Path:
    """A department's Word file: a centred, large, bold title, body paragraphs (one with the planted
    half-width comma) and the closing （市民政局供稿） line the intake takes as the source."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document = docx.Document()
    title = document.add_paragraph()
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = title.add_run(DOCX_TITLE)
    run.bold = True
    run.font.size = Pt(22)
    document.add_paragraph("今年以来，市民政局围绕群众关切，推进社区便民服务设施建设。" + PLANTED)
    document.add_paragraph("下一步，市民政局将继续完善服务网络，推动便民服务向农村延伸。")
    document.add_paragraph(f"（{DOCX_SOURCE}供稿）")
    document.save(path)
    return path


def _text_submissions(folder: Path) -> list[Path]:
    utf8 = folder / "statistics.txt"
    utf8.write_text(f"{TXT_TITLE}\n\n前三季度，全市地区生产总值同比增长百分之五点二，经济运行总体平稳。\n\n"
                    "（市统计局供稿）\n", encoding="utf-8")
    gb = folder / "farmland.txt"
    gb.write_bytes(f"{GB_TITLE}\n\n今年全县新建高标准农田三万亩，粮食生产能力稳步提升。\n\n（县农业农村局供稿）\n"
                   .encode("gb18030"))
    return [utf8, gb]


# --- what the test looks at ------------------------------------------------------------------------

def _shot(page, name: str) -> Path:
    """The page as it is now (after htmx swaps too), as tests/browser/screenshots/walkthrough-NAME.png."""
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"walkthrough-{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _axe(page, what: str) -> None:
    """axe-core on the page as it is now, without loading it again."""
    from axe_playwright_python.sync_playwright import Axe

    found = [v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")]
    found = [{"id": v["id"], "impact": v["impact"], "help": v["help"],
              "nodes": [{"target": n["target"], "html": n["html"]} for n in v["nodes"]]} for v in found]
    assert not found, f"{what}:\n" + format_violations(found)


def _articles(page, heading: str = "文章（按刊印顺序）"):
    """The rows of the issue page's article table (the section under `heading`)."""
    return page.locator("section", has=page.get_by_role("heading", name=heading, exact=True)).locator("tbody tr")


def _titles(page):
    return _articles(page).locator("td:nth-child(2)")


def _preview_ready(page) -> str:
    """Wait until the preview shows its layout checks and every page image is loaded (the section
    replaces itself once LibreOffice has made the pages); the first image's address."""
    from playwright.sync_api import expect

    expect(page.locator("#preview .checks li").first).to_be_visible(timeout=CONVERSION_MS)
    page.wait_for_function("() => [...document.querySelectorAll('#preview-pages img')]"
                           ".every(img => img.complete && img.naturalWidth > 0)", timeout=CONVERSION_MS)
    return page.locator("#preview-pages img").first.get_attribute("src")


def _new_page_one(response, shown: str) -> bool:
    """The browser asking for page 1 at another address than the one it shows (the .docx changed)."""
    return re.search(r"/pages/1\.png(\?|$)", response.url) is not None and not response.url.endswith(shown)


def _docx_text(path: Path) -> str:
    import docx

    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


def test_a_clerk_makes_an_issue_ready_to_print(chromium_page, workbench, tmp_path):
    from playwright.sync_api import expect

    page, base = chromium_page, workbench.url

    # 1. 首页 → 新建一期 (a regular issue: only a 专刊 has a theme) → the new issue's page
    page.goto(base + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("各期简报")
    expect(page.get_by_role("heading", name="新建一期")).to_be_visible()
    _axe(page, "首页")
    _shot(page, "01-home")
    page.get_by_label("日期").fill(NEW_DATE)
    page.get_by_label("类型").select_option(label="常规")
    expect(page.get_by_label("主题")).to_have_value("")
    page.get_by_role("button", name="新建").click()
    key = "2026-11"
    expect(page).to_have_url(re.compile(rf"/issues/{key}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("第11期（总第31期）")
    expect(page.get_by_text("尚无文章")).to_be_visible()
    shown = _preview_ready(page)  # even an empty issue has its masthead page
    _axe(page, "the new issue's page")
    _shot(page, "02-new-issue")

    # 2. a Word submission and two .txt files (UTF-8, GB18030) in one upload; the browser then asks
    # for the new page 1, not the empty issue's it still holds
    folder = tmp_path / "submissions"
    folder.mkdir()
    files = [_word_submission(folder / "civil-affairs.docx"), *_text_submissions(folder)]
    page.get_by_label("文件").set_input_files(files)
    with page.expect_response(lambda r: _new_page_one(r, shown), timeout=CONVERSION_MS) as uploaded_page_one:
        page.get_by_role("button", name="上传").click()
    added = page.get_by_role("status").filter(has_text="已添加")
    for name in ("civil-affairs.md", "statistics.md", "farmland.md"):
        expect(added).to_contain_text(name)
    expect(_titles(page)).to_have_text([DOCX_TITLE, TXT_TITLE, GB_TITLE])
    expect(_articles(page).first).to_contain_text(DOCX_SOURCE)
    expect(_articles(page).nth(1)).to_contain_text("市统计局")
    expect(_articles(page).nth(2)).to_contain_text("县农业农村局")  # GB18030 read as Chinese
    shown = _preview_ready(page)
    png_uploaded = uploaded_page_one.value.body()
    _axe(page, "the issue page after the upload")
    _shot(page, "03-uploaded")

    # 3. reorder with 下移 and 上移 (no dragging); 5. page 1 as printed follows (本期要目, the first article)
    with page.expect_response(lambda r: _new_page_one(r, shown), timeout=CONVERSION_MS) as moved_page_one:
        _articles(page).filter(has_text=DOCX_TITLE).get_by_role("button", name="下移").click()
    expect(_titles(page)).to_have_text([TXT_TITLE, DOCX_TITLE, GB_TITLE])
    shown_moved = _preview_ready(page)
    assert shown_moved != shown
    assert moved_page_one.value.body() != png_uploaded
    _articles(page).filter(has_text=GB_TITLE).get_by_role("button", name="上移").click()
    expect(_titles(page)).to_have_text([TXT_TITLE, GB_TITLE, DOCX_TITLE])
    shown = _preview_ready(page)
    assert shown != shown_moved
    etag = page.request.get(base + shown).headers["etag"]
    assert shown.endswith("?v=" + etag.strip('"')[:16])  # the address names the .docx the image shows
    _shot(page, "04-reordered")

    # the layout checks, each passed or failed, under a summary
    checks = page.locator("#preview .checks li")
    assert checks.count() >= 3
    for text, kind in zip(checks.all_inner_texts(), checks.evaluate_all("items => items.map(i => i.className)")):
        assert kind in ("passed", "failed") and text.startswith("通过" if kind == "passed" else "未通过"), text
    expect(page.locator("#preview .summary")).to_have_text(re.compile(r"版式检查全部通过|项版式检查未通过"))
    expect(page.locator("#preview-pages img")).not_to_have_count(0)
    _axe(page, "the issue page with its preview")
    _shot(page, "05-preview")
    page.set_viewport_size(WIDE)
    _shot(page, "05-preview-wide")
    page.set_viewport_size(VIEWPORT)

    # 4. the Word article: 校对 lists the half-width comma, 修正 corrects it
    page.get_by_role("link", name=DOCX_TITLE).click()
    expect(page).to_have_url(re.compile(rf"/issues/{key}/articles/civil-affairs\.md$"))
    expect(page.get_by_label("标题")).to_have_value(DOCX_TITLE)
    expect(page.get_by_label("供稿单位")).to_have_value(DOCX_SOURCE)
    body = page.get_by_label("正文（Markdown）")
    expect(body).to_have_value(re.compile(re.escape(PLANTED)))
    proofreading = page.locator("#proofreading")
    expect(proofreading.get_by_role("heading")).to_have_text("校对")
    finding = proofreading.locator("tbody tr")
    expect(finding).to_have_count(1)
    expect(finding).to_contain_text("halfwidth-punct")
    expect(finding).to_contain_text("半角")
    _axe(page, "the article page with a finding")
    _shot(page, "06-finding")
    proofreading.get_by_role("button", name="修正").click()
    expect(page.get_by_role("status").filter(has_text="已自动改正")).to_have_text("已自动改正。")
    expect(proofreading.get_by_text("未发现问题。")).to_be_visible()
    expect(proofreading.locator("tbody tr")).to_have_count(0)
    expect(body).to_have_value(re.compile(re.escape(KNOWN)))
    _axe(page, "the article page after 修正")
    _shot(page, "07-fixed")
    assert KNOWN in (workbench.ws / "issues" / "2026" / "11" / "civil-affairs.md").read_text(encoding="utf-8")

    # 6. back on the issue page (its pages made again: the text changed), download the .docx
    page.get_by_role("link", name="返回本期").click()
    expect(page).to_have_url(re.compile(rf"/issues/{key}$"))
    assert _preview_ready(page) != shown
    with page.expect_download() as download_info:
        page.locator(f'a[href="/issues/{key}/issue.docx"]').first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".docx")
    downloaded = tmp_path / "downloaded.docx"
    download.save_as(downloaded)
    text = _docx_text(downloaded)
    assert DOCX_TITLE in text and KNOWN in text and PLANTED not in text
    assert text.index(TXT_TITLE) < text.index(GB_TITLE) < text.index(DOCX_TITLE)  # the order the clerk set
    _shot(page, "08-ready")

    # byte for byte what `bulletin render` writes for the issue
    rendered = tmp_path / "rendered"
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(workbench.ws), "render", "11",
                           "-o", f"{rendered}/"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    (written,) = rendered.glob("*.docx")
    assert written.read_bytes() == downloaded.read_bytes()

    # the demo issue on a wide screen, the preview beside it: the README's picture (docs/workbench-issue.png)
    page.set_viewport_size(WIDE)
    page.goto(base + "/issues/2026-10")
    _preview_ready(page)
    SCREENSHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "walkthrough-demo-issue-wide.png"))


def test_the_workbench_speaks_english_when_asked(chromium_browser, workbench):
    from playwright.sync_api import expect

    context = chromium_browser.new_context(viewport=VIEWPORT, locale="en-US",
                                           extra_http_headers={"Accept-Language": "en"})
    context.set_default_timeout(15_000)
    try:
        page = context.new_page()
        page.goto(workbench.url + "/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.get_by_role("heading", level=1)).to_have_text("Issues")
        expect(page.get_by_role("button", name="Create")).to_be_visible()
        _axe(page, "the home page in English")
        _shot(page, "en-home")
        page.get_by_role("link", name=re.compile(r"10")).first.click()
        expect(page).to_have_url(re.compile(r"/issues/2026-10$"))
        expect(page.get_by_role("heading", name="Articles in print order")).to_be_visible()
        _preview_ready(page)
        expect(page.locator("#preview .checks li").first).to_contain_text(re.compile(r"^(passed|failed)"))
        _axe(page, "the issue page in English")
        _shot(page, "en-issue")
        _articles(page, "Articles in print order").locator("a").first.click()
        expect(page.get_by_role("heading", name="Proofreading")).to_be_visible()
        _axe(page, "the article page in English")
        _shot(page, "en-article")
    finally:
        context.close()
