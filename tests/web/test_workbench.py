"""The workbench's routes over ASGI: every page and form, bad input included; nothing written on error,
and nothing ever written by a GET."""
from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest
from cli_support import ISSUE_YAML, run, snapshot
from web_support import buttons, labelled_controls, parse, text_of

ISSUE = "issues/2026/10/issue.yaml"


def issue_yaml(ws) -> str:
    return (ws / ISSUE).read_text(encoding="utf-8")


def test_home_lists_the_issues_in_chinese_with_a_labelled_new_issue_form(client):
    r = client.get("/")
    assert r.status_code == 200
    doc = parse(r.text)
    heads = [text_of(th) for th in doc.iter("th")]
    assert heads == ["期号", "总期号", "日期", "类型", "状态", "文章数", "共印"]
    cells = [text_of(td) for td in doc.iter("td")]
    assert cells[:7] == ["第10期", "30", "2026-11-20", "常规", "草稿", "2", "20"]
    assert sorted(label for _id, label in labelled_controls(doc)) == sorted(["日期", "类型", "主题"])
    assert "新建" in buttons(doc)
    assert doc.get("lang") == "zh-CN"


def test_english_when_the_browser_asks_and_the_process_language_stays(client):
    from bulletin import i18n

    before = i18n.language()
    r = client.get("/", headers={"Accept-Language": "en-GB,en;q=0.9,zh-CN;q=0.5"})
    assert "Copies printed" in r.text and "共印" not in r.text
    assert "共印" in client.get("/", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"}).text
    assert i18n.language() == before


def test_htmx_gets_the_main_block_and_every_page_says_it_varies(client):
    full = client.get("/issues/2026-10")
    part = client.get("/issues/2026-10", headers={"HX-Request": "true"})
    assert full.status_code == part.status_code == 200
    assert "<html" in full.text and "<html" not in part.text and "<header" not in part.text
    assert "第10期（总第30期）" in part.text
    assert full.headers["vary"] == part.headers["vary"] == "HX-Request"


def test_security_headers_on_pages_and_errors(client):
    for url in ("/", "/issues/2026-10", "/issues/2026-99", "/static/htmx.min.js"):
        r = client.get(url)
        csp = r.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp and "unsafe-inline" not in csp
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-request-id"]


def test_no_inline_script_and_htmx_is_served_from_the_package(client):
    doc = parse(client.get("/issues/2026-10").text)
    scripts = list(doc.iter("script"))
    assert scripts and all(s.get("src", "").startswith("/static/") and not text_of(s) for s in scripts)
    r = client.get("/static/htmx.min.js")
    assert r.status_code == 200 and "htmx" in r.text[:2000]


@pytest.mark.parametrize("url", ["/issues/2026-99", "/issues/2025-10", "/issues/abc", "/issues/2026-10/nothing",
                                 "/nowhere"])
def test_unknown_pages_are_404_in_chinese(client, url):
    r = client.get(url)
    assert r.status_code == 404
    assert "页面不存在" in r.text and "Traceback" not in r.text


def test_the_issue_page_shows_articles_people_distribution_and_labels(client):
    doc = parse(client.get("/issues/2026-10").text)
    text = text_of(doc.find(".//main"))
    assert text.index("我市深化政务公开工作取得新成效") < text.index("市税务局推进税费政策公开")
    for word in ("上移", "下移", "移除", "上传", "保存编者按", "保存署名"):
        assert word in buttons(doc)
    labels = [label for _id, label in labelled_controls(doc)]
    assert {"文件", "编辑", "审核", "签发"} <= set(labels) and any("编者按" in lab for lab in labels)
    assert text_of(doc.find(".//th[@id='copies']")) == "20"
    assert doc.find(".//*[@id='preview-pages']") is not None
    for form in doc.iter("form"):
        assert form.get("method") == "post" and form.get("action", "").startswith("/issues/2026-10/")


def test_no_get_changes_a_file(client, ws):
    before = snapshot(ws)
    for url in ("/", "/issues/2026-10", "/issues/2026-10/issue.docx", "/issues/2026-99",
                "/issues/2026-10/articles/up", "/issues/2026-10/note"):
        client.get(url)
    assert snapshot(ws) == before


def test_move_and_remove_rewrite_only_the_articles(client, ws):
    r = client.post("/issues/2026-10/articles/down", data={"article": "01-first.md"})
    assert r.status_code == 303 and r.headers["location"] == "/issues/2026-10"
    assert "  - 02-second.md\n  - 01-first.md\n" in issue_yaml(ws)
    client.post("/issues/2026-10/articles/down", data={"article": "01-first.md"})  # at the end: stays
    assert "  - 02-second.md\n  - 01-first.md\n" in issue_yaml(ws)
    client.post("/issues/2026-10/articles/up", data={"article": "01-first.md"})
    assert "  - 01-first.md\n  - 02-second.md\n" in issue_yaml(ws)
    client.post("/issues/2026-10/articles/remove", data={"article": "02-second.md"})
    text = issue_yaml(ws)
    assert "02-second.md" not in text and (ws / "issues/2026/10/02-second.md").is_file()
    assert [line for line in text.splitlines() if "second" not in line and not line.startswith("people")] == \
        [line for line in ISSUE_YAML.splitlines() if "second" not in line and not line.startswith("people")]
    assert "people:" in text and "王××" in text


def test_an_unknown_article_is_shown_as_a_diagnostic_and_nothing_is_written(client, ws):
    before = snapshot(ws)
    r = client.post("/issues/2026-10/articles/up", data={"article": "99-none.md"})
    assert r.status_code == 422
    assert "本期没有这篇文章" in r.text and "未作任何修改" in r.text
    assert snapshot(ws) == before


def test_editor_note_and_people_are_saved(client, ws):
    r = client.post("/issues/2026-10/note", data={"editor_note": "第一段。\r\n\r\n第二段。"})
    assert r.status_code == 303
    r = client.post("/issues/2026-10/people", data={"editor": " 赵×× ", "reviewer": "李××", "signer": ""})
    assert r.status_code == 303
    from bulletin.store.workspace import Workspace

    ws_ = Workspace(ws)
    meta, _loaded = ws_.load_issue(ws_.resolve("2026-10"))
    assert meta.editor_note == "第一段。\n\n第二段。\n"
    assert (meta.people.editor, meta.people.reviewer, meta.people.signer) == ("赵××", "李××", "")
    page = client.get("/issues/2026-10").text
    assert "第二段。" in page and 'value="赵××"' in page


def test_a_published_issue_is_refused(client, ws):
    (ws / ISSUE).write_text(ISSUE_YAML.replace("status: draft", "status: published"), encoding="utf-8")
    before = snapshot(ws)
    for url, data in (("/issues/2026-10/articles/up", {"article": "02-second.md"}),
                      ("/issues/2026-10/note", {"editor_note": "x"}),
                      ("/issues/2026-10/people", {"editor": "x"})):
        r = client.post(url, data=data)
        assert r.status_code == 422 and "已发布" in r.text, url
    r = client.post("/issues/2026-10/upload", files=[("files", ("a.txt", "标题\n\n正文。".encode(), "text/plain"))])
    assert r.status_code == 422 and "已发布" in r.text
    assert snapshot(ws) == before


def test_an_invalid_issue_yaml_is_shown_with_its_diagnostics(client, ws):
    (ws / ISSUE).write_text(ISSUE_YAML.replace("date: 2026-11-20", "date: 2026-13-45"), encoding="utf-8")
    for url in ("/", "/issues/2026-10"):
        r = client.get(url)
        assert r.status_code == 200 and "issue.yaml:3" in r.text and "Traceback" not in r.text, url


def test_new_issue_allocates_as_bulletin_new_does(client, ws):
    r = client.post("/issues", data={"date": "2026-12-01", "kind": "regular", "theme": ""})
    assert r.status_code == 303 and r.headers["location"] == "/issues/2026-11"
    assert "total: 31" in (ws / "issues/2026/11/issue.yaml").read_text(encoding="utf-8")
    r = client.post("/issues", data={"date": "2026-12-02", "kind": "special", "theme": "安全生产"})
    assert r.headers["location"] == "/issues/2026-Z1"
    assert client.get("/issues/2026-Z1").status_code == 200


@pytest.mark.parametrize("data, words", [
    ({"date": "2026-02-30", "kind": "regular", "theme": ""}, "YYYY-MM-DD"),
    ({"date": "2026-12-01", "kind": "special", "theme": ""}, "专刊"),
    ({"date": "2026-12-01", "kind": "weekly", "theme": ""}, "请选择一种类型"),
    ({"date": "2026-01-01", "kind": "regular", "theme": ""}, "2026-11-20"),  # before issue 10: refused by new
])
def test_a_bad_new_issue_is_refused_beside_its_field_and_nothing_is_made(client, ws, data, words):
    before = snapshot(ws)
    r = client.post("/issues", data=data)
    assert r.status_code == 422 and words in r.text
    assert f'value="{data["date"]}"' in r.text  # the form keeps what was typed
    assert snapshot(ws) == before


def test_upload_adds_every_file_through_the_intake(client, ws):
    md = "---\ntitle: 某区召开工作推进会\nsource: 某区\n---\n\n会议要求抓好落实。\n"
    r = client.post("/issues/2026-10/upload", files=[
        ("files", ("区里来稿.txt", "关于推进政务公开的情况\n\n今年以来，我区扎实推进政务公开。".encode("utf-8"), "text/plain")),
        ("files", ("03-meeting.md", md.encode("utf-8"), "text/markdown"))])
    assert r.status_code == 303, r.text
    assert "added=" in r.headers["location"]
    text = issue_yaml(ws)
    assert "03-meeting.md" in text and text.count("\n  - ") == 4
    page = client.get(r.headers["location"]).text
    assert "已添加" in page and "某区召开工作推进会" in page
    assert not list(ws.rglob(".bulletin.*"))


def test_upload_refuses_all_when_one_file_is_bad_and_says_why_for_each(client, ws):
    before = snapshot(ws)
    r = client.post("/issues/2026-10/upload", files=[
        ("files", ("good.txt", "标题\n\n正文。".encode("utf-8"), "text/plain")),
        ("files", ("virus.exe", b"MZ", "application/octet-stream")),
        ("files", ("broken.docx", b"not a zip at all", "application/octet-stream"))])
    assert r.status_code == 422
    doc = parse(r.text)
    items = [text_of(li) for li in doc.iter("li") if "被拒绝" in text_of(li)]
    assert len(items) == 3 and items[1].startswith("virus.exe") and ".docx" in items[1]
    assert snapshot(ws) == before
    r = client.post("/issues/2026-10/upload", files=[("files", ("broken.docx", b"not a zip", "application/x"))])
    assert r.status_code == 422 and "broken.docx" in r.text and "未添加" not in r.text
    assert snapshot(ws) == before


def test_upload_without_files_is_refused(client, ws):
    before = snapshot(ws)
    r = client.post("/issues/2026-10/upload", data={"x": "1"})
    assert r.status_code == 422 and "请选择一个或多个要上传的文件" in r.text
    assert snapshot(ws) == before


def test_a_post_from_another_site_or_host_is_refused(client, ws):
    before = snapshot(ws)
    r = client.post("/issues/2026-10/articles/down", data={"article": "01-first.md"},
                    headers={"Origin": "http://evil.example"})
    assert r.status_code == 403 and "工作台自己的页面" in r.text
    r = client.post("/issues/2026-10/articles/down", data={"article": "01-first.md"},
                    headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403
    r = client.get("/", headers={"Host": "evil.example"})
    assert r.status_code == 400
    assert snapshot(ws) == before
    r = client.post("/issues/2026-10/articles/down", data={"article": "01-first.md"},
                    headers={"Origin": "http://127.0.0.1:8110", "Sec-Fetch-Site": "same-origin"})
    assert r.status_code == 303


def test_a_failure_is_a_chinese_500_page_without_traceback(client, monkeypatch):
    import bulletin.commands.reports as reports

    def broken(*args, **kwargs):
        raise RuntimeError("secret internals")
    monkeypatch.setattr(reports, "issue_rows", broken)
    r = client.get("/")
    assert r.status_code == 500
    assert "服务器出错" in r.text and "secret internals" not in r.text and "Traceback" not in r.text
    assert r.headers["x-request-id"] in r.text


def test_the_docx_download_is_byte_for_byte_what_render_writes(client, ws, tmp_path):
    r = client.get("/issues/2026-10/issue.docx")
    assert r.status_code == 200
    assert "filename*=UTF-8''" in r.headers["content-disposition"]
    out = tmp_path / "cli.docx"
    done = run("render", "2026-10", "-o", str(out), workspace=ws)
    assert done.returncode == 0, done.stderr
    assert hashlib.sha256(r.content).hexdigest() == hashlib.sha256(out.read_bytes()).hexdigest()


def test_a_docx_that_cannot_be_made_shows_why(client, ws):
    (ws / "issues/2026/10/01-first.md").write_text("---\ntitle: \n---\n\n正文\n", encoding="utf-8")
    r = client.get("/issues/2026-10/issue.docx")
    assert r.status_code == 422 and "01-first.md" in r.text and "Traceback" not in r.text


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "example.org"])
def test_serve_refuses_a_host_other_than_this_computer(ws, host):
    done = subprocess.run([sys.executable, "-m", "bulletin.cli", "--workspace", str(ws), "--lang", "zh", "serve",
                           "--host", host], capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert "只在本机监听" in done.stderr and "Traceback" not in done.stderr
