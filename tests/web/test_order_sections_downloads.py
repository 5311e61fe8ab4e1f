"""The issue page's drag and drop order (`/issues/{name}/order`), the 栏目 of each article
(`/issues/{name}/section`), and the downloads: the issue's PDF, the year's bound volume (.docx
byte for byte what `bulletin compile` writes, and its PDF). Bad input included; nothing written on error."""
from __future__ import annotations

import hashlib

import pytest
from cli_support import ISSUE_YAML, run, snapshot
from web_support import parse, text_of

ISSUE = "issues/2026/10/issue.yaml"
THIRD = "---\ntitle: 某区召开工作推进会\nsource: 某区\nsection: 工作动态\n---\n\n会议要求抓好落实。\n"


def issue_yaml(ws) -> str:
    return (ws / ISSUE).read_text(encoding="utf-8")


def with_third_article(ws) -> None:
    (ws / "issues/2026/10/03-third.md").write_text(THIRD, encoding="utf-8")
    (ws / ISSUE).write_text(ISSUE_YAML.replace("  - 02-second.md\n", "  - 02-second.md\n  - 03-third.md\n"),
                            encoding="utf-8")


def published(ws) -> None:
    (ws / ISSUE).write_text(ISSUE_YAML.replace("status: draft", "status: published"), encoding="utf-8")


# --- the order ------------------------------------------------------------------------------------------

def test_the_rows_carry_what_the_drag_script_needs_and_the_buttons_stay(client):
    doc = parse(client.get("/issues/2026-10").text)
    body = doc.find(".//tbody[@data-order-url]")
    assert body.get("data-order-url") == "/issues/2026-10/order"
    rows = body.findall("tr")
    assert [r.get("data-article") for r in rows] == ["01-first.md", "02-second.md"]
    assert all(r.get("draggable") == "true" for r in rows)
    assert [s.get("src") for s in doc.iter("script")] == ["/static/htmx.min.js", "/static/workbench.js"]
    words = [text_of(b) for b in body.iter("button")]
    assert words.count("上移") == words.count("下移") == 2


def test_the_drag_script_is_served_from_the_package(client):
    r = client.get("/static/workbench.js")
    assert r.status_code == 200 and "data-order-url" in r.text and "data-dropzone" in r.text
    assert "unsafe-inline" not in r.headers["content-security-policy"]


def test_a_new_order_is_saved_and_only_the_articles_lines_change(client, ws):
    with_third_article(ws)
    before = issue_yaml(ws)
    r = client.post("/issues/2026-10/order", data={"article": ["03-third.md", "01-first.md", "02-second.md"]})
    assert r.status_code == 303 and r.headers["location"] == "/issues/2026-10"
    after = issue_yaml(ws)
    assert "articles:\n  - 03-third.md\n  - 01-first.md\n  - 02-second.md\n" in after
    # ruamel rewrites a flow mapping's spacing (as for 上移/下移); every other line stays as it was
    assert sorted(line for line in after.splitlines() if not line.startswith("people")) == \
        sorted(line for line in before.splitlines() if not line.startswith("people"))
    doc = parse(client.get("/issues/2026-10").text)
    assert [r.get("data-article") for r in doc.find(".//tbody[@data-order-url]").findall("tr")] == \
        ["03-third.md", "01-first.md", "02-second.md"]


def test_the_htmx_drop_gets_the_main_block_back(client, ws):
    r = client.post("/issues/2026-10/order", data={"article": ["02-second.md", "01-first.md"]},
                    headers={"HX-Request": "true"}, follow_redirects=True)
    assert r.status_code == 200 and "<html" not in r.text
    assert r.text.index('data-article="02-second.md"') < r.text.index('data-article="01-first.md"')
    assert 'id="preview-pages"' in r.text


@pytest.mark.parametrize("names", [
    ["01-first.md"],                                   # one left out (someone added one meanwhile)
    ["01-first.md", "02-second.md", "03-third.md"],    # one too many (someone removed one)
    ["01-first.md", "01-first.md"],                    # twice
    ["01-first.md", "99-none.md"],                     # unknown
    ["../bulletin.toml", "01-first.md"],               # a path
    [],
])
def test_an_order_that_is_not_the_current_articles_is_refused_with_a_reload_hint(client, ws, names):
    before = snapshot(ws)
    r = client.post("/issues/2026-10/order", data={"article": names})
    assert r.status_code == 422
    assert "本期文章在此期间已有变动" in r.text and "请刷新页面" in r.text and "issue.yaml:7" in r.text
    doc = parse(r.text)  # the page shows the order as it is now
    assert [r.get("data-article") for r in doc.find(".//tbody[@data-order-url]").findall("tr")] == \
        ["01-first.md", "02-second.md"]
    assert snapshot(ws) == before


def test_order_and_section_are_refused_for_a_published_issue(client, ws):
    published(ws)
    before = snapshot(ws)
    r = client.post("/issues/2026-10/order", data={"article": ["02-second.md", "01-first.md"]})
    assert r.status_code == 422 and "已发布" in r.text
    r = client.post("/issues/2026-10/section", data={"article": "01-first.md", "section": "要闻"})
    assert r.status_code == 422 and "已发布" in r.text
    assert snapshot(ws) == before


@pytest.mark.parametrize("url", ["/issues/2026-99/order", "/issues/..%2F..%2Fetc/order", "/issues/2026-10x/order",
                                 "/issues/2026-99/section"])
def test_an_unknown_issue_is_404(client, ws, url):
    before = snapshot(ws)
    r = client.post(url, data={"article": ["01-first.md", "02-second.md"], "section": "x"})
    assert r.status_code == 404 and "页面不存在" in r.text
    assert snapshot(ws) == before


def test_no_get_changes_the_order_or_a_section(client, ws):
    before = snapshot(ws)
    for url in ("/issues/2026-10/order", "/issues/2026-10/section"):
        assert client.get(url).status_code in (404, 405)
    assert snapshot(ws) == before


# --- 栏目 ---------------------------------------------------------------------------------------------

def test_each_row_has_a_labelled_section_field_with_the_articles_section(client):
    doc = parse(client.get("/issues/2026-10").text)
    labels = {label.get("for"): text_of(label) for label in doc.iter("label")}
    assert labels["section-1"] == "《我市深化政务公开工作取得新成效》的栏目"
    fields = [i for i in doc.iter("input") if i.get("name") == "section"]
    assert [f.get("value") for f in fields] == ["工作动态", "经验交流"]
    datalist = next(d for d in doc.iter("datalist") if d.get("id") == "issue-sections")
    assert [o.get("value") for o in datalist.iter("option")] == ["工作动态", "经验交流"]
    assert all(f.get("list") == "issue-sections" for f in fields)
    assert "保存栏目" in [text_of(b) for b in doc.iter("button")]


def test_a_section_is_saved_in_the_articles_front_matter_and_the_rest_stays(client, ws):
    path = ws / "issues/2026/10/02-second.md"
    before = path.read_text(encoding="utf-8")
    r = client.post("/issues/2026-10/section", data={"article": "02-second.md", "section": "  工作 动态 "})
    assert r.status_code == 303 and r.headers["location"] == "/issues/2026-10"
    after = path.read_text(encoding="utf-8")
    assert after == before.replace("section: 经验交流", "section: 工作 动态")
    r = client.post("/issues/2026-10/section", data={"article": "02-second.md", "section": "工作动态"})
    page = client.get("/issues/2026-10").text
    assert [i.get("value") for i in parse(page).iter("input") if i.get("name") == "section"] == ["工作动态", "工作动态"]


def test_a_column_apart_is_shown_beside_the_article_as_check_warns(client, ws):
    with_third_article(ws)  # 工作动态, 经验交流, 工作动态: the third starts 工作动态 again
    done = run("check", "2026-10", workspace=ws)
    assert "03-third.md" in done.stdout + done.stderr
    doc = parse(client.get("/issues/2026-10").text)
    rows = doc.find(".//tbody[@data-order-url]").findall("tr")
    warnings = [text_of(p) for row in rows for p in row.iter("p") if p.get("class") == "warning"]
    assert warnings == ["【工作动态】会印两次：请把本文移到 01-first.md 之后"]
    assert "warning" in [p.get("class") for p in rows[2].iter("p")]
    client.post("/issues/2026-10/order", data={"article": ["01-first.md", "03-third.md", "02-second.md"]})
    doc = parse(client.get("/issues/2026-10").text)
    assert not [p for p in doc.iter("p") if p.get("class") == "warning"]


def test_an_emptied_section_stays_as_an_empty_key_and_a_missing_one_is_not_added(client, ws):
    (ws / "issues/2026/10/02-second.md").write_text("---\ntitle: 市税务局推进税费政策公开\n---\n\n正文。\n",
                                                   encoding="utf-8")
    before = snapshot(ws)
    assert client.post("/issues/2026-10/section", data={"article": "02-second.md", "section": ""}).status_code == 303
    assert snapshot(ws) == before
    client.post("/issues/2026-10/section", data={"article": "01-first.md", "section": ""})
    assert "section: ''" in (ws / "issues/2026/10/01-first.md").read_text(encoding="utf-8") or \
        'section: ""' in (ws / "issues/2026/10/01-first.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("article", ["99-none.md", "../issue.yaml", "../../../bulletin.toml", ""])
def test_a_section_for_an_article_not_in_the_issue_is_refused(client, ws, article):
    before = snapshot(ws)
    r = client.post("/issues/2026-10/section", data={"article": article, "section": "要闻"})
    assert r.status_code == 422 and "本期没有这篇文章" in r.text and "Traceback" not in r.text
    assert snapshot(ws) == before


def test_a_section_the_front_matter_cannot_hold_keeps_what_was_typed(client, ws, monkeypatch):
    from bulletin.commands import edit
    from bulletin.errors import Diagnostic

    def refuse(ws_, path, text):
        raise edit.ArticleRefused({"section": ["too long"]}, [Diagnostic("x.md", 3, "bad")])
    monkeypatch.setattr(edit, "check_article", refuse)
    before = snapshot(ws)
    r = client.post("/issues/2026-10/section", data={"article": "01-first.md", "section": "新栏目"})
    assert r.status_code == 422 and "too long" in r.text and 'value="新栏目"' in r.text
    assert snapshot(ws) == before


# --- the upload drop zone --------------------------------------------------------------------------------

def test_the_upload_form_sits_in_a_drop_zone_and_keeps_its_file_input(client):
    doc = parse(client.get("/issues/2026-10").text)
    zone = next(d for d in doc.iter("div") if d.get("data-dropzone") is not None)
    assert "把文件拖到这里" in text_of(zone)
    field = zone.find(".//input[@type='file']")
    assert field.get("name") == "files" and field.get("multiple") is not None
    form = next(f for f in doc.iter("form") if f.get("action") == "/issues/2026-10/upload")
    assert form.get("enctype") == "multipart/form-data" and zone in list(form.iter("div"))


# --- downloads ------------------------------------------------------------------------------------------

def test_the_issue_page_has_a_downloads_section(client):
    doc = parse(client.get("/issues/2026-10").text)
    section = next(s for s in doc.iter("section") if s.get("id") == "downloads")
    assert text_of(section.find("h2")) == "下载"
    assert [a.get("href") for a in section.iter("a")] == [
        "/issues/2026-10/issue.docx", "/issues/2026-10/issue.pdf", "/years/2026/volume.docx", "/years/2026/volume.pdf"]


def test_without_libreoffice_the_pdf_is_503_in_chinese(client, monkeypatch):
    from bulletin.office import launcher

    monkeypatch.setattr(launcher, "find_soffice", lambda: None)
    r = client.get("/issues/2026-10/issue.pdf")
    assert r.status_code == 503 and "PDF 暂不可用" in r.text and "LibreOffice" in r.text
    assert "Traceback" not in r.text


def test_an_issue_that_cannot_be_rendered_shows_why_instead_of_a_pdf(client, ws, monkeypatch):
    from bulletin.office import pdf

    monkeypatch.setattr(pdf, "convert", lambda *a, **k: pytest.fail("converted an issue with errors"))
    (ws / "issues/2026/10/01-first.md").write_text("---\ntitle: \n---\n\n正文\n", encoding="utf-8")
    r = client.get("/issues/2026-10/issue.pdf")
    assert r.status_code == 422 and "01-first.md" in r.text


@pytest.mark.parametrize("url", ["/issues/2026-99/issue.pdf", "/issues/..%2Fx/issue.pdf", "/years/2025/volume.docx",
                                 "/years/..%2F/volume.docx", "/years/abc/volume.docx", "/years/2026/../volume.docx",
                                 "/years/1999/volume.pdf"])
def test_unknown_downloads_are_404(client, url):
    r = client.get(url)
    assert r.status_code == 404 and "Traceback" not in r.text


def test_a_year_without_a_published_issue_says_so_and_what_to_do(client, ws):
    before = snapshot(ws)
    for url in ("/years/2026/volume.docx", "/years/2026/volume.pdf"):
        r = client.get(url)
        assert r.status_code == 404 and "只收已发布的期" in r.text and "bulletin publish" in r.text, url
    home = parse(client.get("/").text)
    volume = next(p for p in home.iter("p") if p.get("class") == "volume")
    assert "2026年还没有已发布的期" in text_of(volume) and not list(volume.iter("a"))
    assert snapshot(ws) == before


def test_the_volume_is_byte_for_byte_what_compile_writes_and_named_in_chinese(client, ws, tmp_path):
    done = run("publish", "2026-10", workspace=ws)
    assert done.returncode == 0, done.stderr
    home = parse(client.get("/").text)
    volume = next(p for p in home.iter("p") if p.get("class") == "volume")
    assert [a.get("href") for a in volume.iter("a")] == ["/years/2026/volume.docx", "/years/2026/volume.pdf"]
    before = snapshot(ws)
    r = client.get("/years/2026/volume.docx")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    assert r.headers["content-disposition"] == (
        "attachment; filename=\"volume-2026.docx\"; "
        "filename*=UTF-8''%E6%B5%8B%E8%AF%95%E7%AE%80%E6%8A%A5-2026-%E5%90%88%E8%AE%A2%E6%9C%AC.docx")
    assert snapshot(ws) == before  # the web binds in memory: nothing written, not even build/
    out = tmp_path / "cli.docx"
    done = run("compile", "2026", "-o", str(out), workspace=ws)
    assert done.returncode == 0, done.stderr
    assert hashlib.sha256(r.content).hexdigest() == hashlib.sha256(out.read_bytes()).hexdigest()


def test_a_volume_whose_published_issue_changed_shows_the_problem(client, ws):
    assert run("publish", "2026-10", workspace=ws).returncode == 0
    path = ws / "issues/2026/10/01-first.md"
    path.write_text(path.read_text(encoding="utf-8") + "\n后来改的。\n", encoding="utf-8")
    r = client.get("/years/2026/volume.docx")
    assert r.status_code == 422 and "01-first.md" in r.text and "合订本" in r.text


def test_the_volume_pdf_without_libreoffice_is_503(client, ws, monkeypatch):
    assert run("publish", "2026-10", workspace=ws).returncode == 0
    from bulletin.office import launcher

    monkeypatch.setattr(launcher, "find_soffice", lambda: None)
    r = client.get("/years/2026/volume.pdf")
    assert r.status_code == 503 and "PDF 暂不可用" in r.text


def test_the_issue_pdf_is_the_previews_pdf_with_a_chinese_name(client, ws, soffice, monkeypatch):
    r = client.get("/issues/2026-10/issue.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert r.headers["content-disposition"].startswith("attachment; filename=\"issue-2026-10.pdf\"; filename*=UTF-8''")
    assert "%E7%AC%AC10%E6%9C%9F.pdf" in r.headers["content-disposition"]  # …-2026-第10期.pdf
    from bulletin.commands.preview import cached_preview
    from bulletin.store.workspace import Workspace

    preview = cached_preview(Workspace(ws), "2026-10")
    assert preview is not None and preview.pdf.read_bytes() == r.content  # the pages shown are this PDF's
    from bulletin.office import pdf

    monkeypatch.setattr(pdf, "convert", lambda *a, **k: pytest.fail("an unchanged issue was converted again"))
    assert client.get("/issues/2026-10/issue.pdf").content == r.content


def test_the_volume_pdf_is_made_once(client, ws, soffice, monkeypatch):
    assert run("publish", "2026-10", workspace=ws).returncode == 0
    r = client.get("/years/2026/volume.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF")
    assert "filename=\"volume-2026.pdf\"" in r.headers["content-disposition"]
    assert "%E5%90%88%E8%AE%A2%E6%9C%AC.pdf" in r.headers["content-disposition"]
    from bulletin.office import pdf

    monkeypatch.setattr(pdf, "convert", lambda *a, **k: pytest.fail("an unchanged volume was converted again"))
    assert client.get("/years/2026/volume.pdf").content == r.content
