"""The whole path in Chromium with three real accounts (made with `bulletin user add … --password-stdin`)
on a workspace under git: the editor 张明 signs in, edits an article and 送审; the reviewer 李华 signs in
and 退回 with a comment; 张明 fixes the article and 送审 again; 李华 审核通过; the signer 王刚 签发 and
发布. The published .docx (downloaded from the page, read with python-docx) prints all three names, and
git log has every step in its person's name. `bulletin serve` runs in a subprocess on a free port;
screenshots go to tests/browser/screenshots/office-*.png."""
from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))

import browser_support  # noqa: E402
from browser_support import SCREENSHOTS, serving  # noqa: E402
from cli_support import clean_env, git_env, run_ok, write_workspace  # noqa: E402

PASSWORD = "correct horse battery"
EDITOR, REVIEWER, SIGNER = "张明", "李华", "王刚"
ARTICLE = "issues/2026/10/01-first.md"




@pytest.fixture
def office(tmp_path, monkeypatch):
    """(base URL, workspace, env) of `bulletin serve` over a git repository with three accounts."""
    from bulletin.commands.history import start
    from bulletin.store.workspace import Workspace

    for name, value in git_env(tmp_path).items():
        monkeypatch.setenv(name, value)
    ws = write_workspace(tmp_path / "ws")
    start(Workspace(ws), "管理员")
    env = clean_env(BULLETIN_LANG="zh", **git_env(tmp_path))
    for name, role in [(EDITOR, "editor"), (REVIEWER, "reviewer"), (SIGNER, "signer")]:
        run_ok(env, ws, "user", "add", name, "--role", role, "--password-stdin", stdin=PASSWORD + "\n")
    with serving(ws, env=env, cwd=tmp_path) as url:
        yield url, ws, env


def test_editor_reviewer_and_signer_take_the_issue_from_draft_to_print(chromium_page, office):
    from docx import Document
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph
    from playwright.sync_api import expect

    url, ws, env = office
    page = chromium_page
    # the page images are LibreOffice's work, not this test's (their address ends in ?v=…, which a glob misses)
    page.route(re.compile(r"/pages/\d+\.png(\?|$)"), lambda route: route.fulfill(status=204, body=b""))
    SCREENSHOTS.mkdir(exist_ok=True)
    review = page.locator("#review")

    def sign_in(name: str, target: str = "/issues/2026-10") -> None:
        browser_support.sign_in(page, url, name, PASSWORD, target)

    def sign_out() -> None:
        browser_support.sign_out(page, url)

    def edit_article(body: str) -> None:
        page.goto(f"{url}/issues/2026-10/articles/01-first.md")
        page.fill("#article-body", body)
        page.get_by_role("button", name="保存").click()
        page.wait_for_selector("text=已保存")

    def step(button: str, status_word: str, comment: str = "") -> None:
        if comment:
            page.get_by_label("退回意见（必填：需修改什么）").fill(comment)
        review.get_by_role("button", name=button, exact=True).click()
        expect(page.locator("#review .review-status")).to_contain_text(f"状态：{status_word}")

    sign_in(EDITOR, "/issues/2026-10/articles/01-first.md")
    edit_article("今年以来，我市持续深化政务公开，共公开信息1200条。\n")
    page.goto(f"{url}/issues/2026-10")
    expect(review).to_contain_text("状态：草稿")
    assert review.get_by_role("button", name="审核通过", exact=True).count() == 0   # not the editor's step
    step("送审", "待审核")
    sign_out()

    sign_in(REVIEWER)
    assert review.get_by_role("button", name="签发", exact=True).count() == 0
    step("退回", "草稿", "信息条数需核实")
    expect(page.locator("#review .review-history")).to_contain_text("信息条数需核实")
    page.screenshot(path=str(SCREENSHOTS / "office-returned.png"), full_page=True)
    sign_out()

    sign_in(EDITOR)
    expect(page.locator("#review .review-history")).to_contain_text("信息条数需核实")
    edit_article("今年以来，我市持续深化政务公开，共公开信息1180条。\n")
    page.goto(f"{url}/issues/2026-10")
    step("送审", "待审核")
    sign_out()

    sign_in(REVIEWER)
    step("审核通过", "已审核")
    sign_out()

    sign_in(SIGNER)
    step("签发", "已签发")
    expect(review).to_contain_text(f"编辑：{EDITOR}　审核：{REVIEWER}　签发：{SIGNER}")
    page.locator("#review").screenshot(path=str(SCREENSHOTS / "office-signed.png"))
    step("发布", "已发布")
    assert review.get_by_role("button").count() == 0
    page.screenshot(path=str(SCREENSHOTS / "office-published.png"), full_page=True)

    with page.expect_download() as download:
        page.get_by_role("link", name="下载 .docx").click()
    printed = Document(io.BytesIO(Path(download.value.path()).read_bytes()))
    # every paragraph of the body, also those in tables and text frames (the last page's block is one)
    lines = [Paragraph(p, printed).text for p in printed.element.body.iter(qn("w:p"))]
    assert any(f"编辑：{EDITOR}" in line and f"审核：{REVIEWER}" in line and f"签发：{SIGNER}" in line
               for line in lines), "\n".join(lines)
    assert "1180" in "\n".join(lines) and "1200" not in "\n".join(lines)

    log = subprocess.run(["git", "-C", str(ws), "log", "--reverse", "--format=%an|%s"], capture_output=True,
                         text=True, env={**os.environ, **env}, check=True).stdout.splitlines()
    steps = [line for line in log[1:]]          # the first is the repository's start
    people = [line.split("|", 1)[0] for line in steps]
    assert people == [EDITOR, EDITOR, REVIEWER, EDITOR, EDITOR, REVIEWER, SIGNER, SIGNER], log
    words = [line.split("|", 1)[1] for line in steps]
    assert all(w.startswith("第10期：") for w in words), words
