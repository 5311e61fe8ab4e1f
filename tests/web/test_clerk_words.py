"""What confused a clerk walking the workbench, over ASGI: the upload says which articles it added (by
title) and what the intake warned of, and shows that it is busy; every row's buttons name their
article; proofreading lines count as the text box shows them, with the rule said in words; the box
opens without a blank line and saves byte for byte what it showed; the default list has a name; the
home page's 期号 does not repeat 总期号."""
from __future__ import annotations

from cli_support import snapshot
from web_support import parse, text_of

ARTICLE = "issues/2026/10/01-first.md"
URL = "/issues/2026-10/articles/01-first.md"
EN = {"Accept-Language": "en"}


# --- upload ---------------------------------------------------------------------------------------------

def test_an_upload_names_the_added_articles_by_title_and_keeps_the_intakes_warnings(client, ws):
    same = "关于推进政务公开的情况\n\n今年以来，我区扎实推进政务公开。".encode("utf-8")
    r = client.post("/issues/2026-10/upload", files=[("files", ("区里来稿.txt", same, "text/plain")),
                                                     ("files", ("再次来稿.txt", same, "text/plain"))])
    assert r.status_code == 303, r.text
    doc = parse(client.get(r.headers["location"]).text)
    status = next(e for e in doc.iter() if e.get("class") == "added")
    shown = text_of(status)
    assert "已添加" in shown and "关于推进政务公开的情况" in shown
    assert "区里来稿.txt" in shown  # which file became which article
    assert "/tmp" not in shown and "bulletin-upload-" not in shown
    # the intake's warnings: the title guessed from the first line, the same text twice
    assert "已把第一行作为标题" in shown, shown
    assert "区里来稿.txt" in shown and "相同" in shown, shown


def test_a_stale_or_forged_upload_report_shows_only_what_the_issue_holds(client, ws):
    r = client.get("/issues/2026-10?added=01-first.md&report=not-a-report")
    assert r.status_code == 200
    shown = text_of(next(e for e in parse(r.text).iter() if e.get("class") == "added"))
    assert "我市深化政务公开工作取得新成效" in shown
    r = client.get("/issues/2026-10?added=<b>x</b>.md")
    assert r.status_code == 200 and "<b>x</b>" not in r.text


def test_the_upload_form_shows_it_is_busy_while_the_files_are_converted(client):
    doc = parse(client.get("/issues/2026-10").text)
    form = next(f for f in doc.iter("form") if f.get("action") == "/issues/2026-10/upload")
    assert form.get("hx-disabled-elt"), "the button is disabled while sending"
    indicator = form.get("hx-indicator")
    assert indicator and indicator.startswith("#")
    busy = doc.find(f".//*[@id='{indicator[1:]}']")
    assert busy is not None and "转换" in text_of(busy)


# --- the article table ----------------------------------------------------------------------------------

def test_every_rows_buttons_name_their_article(client):
    doc = parse(client.get("/issues/2026-10").text)
    table = next(t for t in doc.iter("table") if t.get("class") == "articles")
    names = []
    for button in table.iter("button"):
        names.append(button.get("aria-label") or text_of(button))
    for word in ("上移", "下移", "移除", "保存栏目"):
        assert f"{word}：我市深化政务公开工作取得新成效" in names, names
        assert f"{word}：市税务局推进税费政策公开" in names, names


# --- the article page -----------------------------------------------------------------------------------

def _findings(html: str) -> list[list[str]]:
    doc = parse(html)
    section = doc.find(".//section[@id='proofreading']")
    return [[text_of(td) for td in tr.iter("td")] for tr in section.iter("tr")][1:]


def test_findings_count_lines_as_the_text_box_shows_them_and_say_the_rule_in_words(client, ws):
    path = ws / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\n工作全面完成,成效明显。\n", encoding="utf-8")
    html = client.get(URL).text
    rule, line, col, message = _findings(html)[0]
    assert "半角标点" in rule and "halfwidth-punct" in rule
    body = text_of(next(parse(html).iter("textarea")))
    assert body.split("\n")[int(line) - 1].startswith("工作全面完成,成效明显")
    assert line == "7" and col == "7" and "，" in message


def test_a_finding_in_the_front_matter_names_its_field(client, ws):
    path = ws / ARTICLE
    path.write_text(path.read_text(encoding="utf-8").replace("取得新成效", "取得新成效,"), encoding="utf-8")
    rule, line, col, message = _findings(client.get(URL).text)[0]
    assert line == "标题"


def test_the_body_opens_without_the_blank_line_and_saves_back_byte_for_byte(client, ws):
    path = ws / ARTICLE
    before = path.read_bytes()
    doc = parse(client.get(URL).text)
    body = next(doc.iter("textarea")).text
    assert body.startswith("今年以来"), repr(body[:20])
    fields = {i.get("name"): i.get("value") or "" for i in doc.iter("input") if i.get("name")}
    r = client.post(URL, data={**fields, "body": body})
    assert r.status_code == 303
    assert path.read_bytes() == before


def test_an_article_without_a_blank_line_after_its_front_matter_saves_back_byte_for_byte(client, ws):
    path = ws / ARTICLE
    path.write_text("---\ntitle: 无空行\n---\n第一段。\n", encoding="utf-8")
    before = path.read_bytes()
    doc = parse(client.get(URL).text)
    body = next(doc.iter("textarea")).text
    assert body.startswith("第一段")
    r = client.post(URL, data={"title": "无空行", "source": "", "author": "", "section": "", "body": body})
    assert r.status_code == 303
    assert path.read_bytes() == before


def test_a_body_error_counts_lines_as_the_text_box_shows_them(client, ws):
    before = snapshot(ws)
    r = client.post(URL, data={"title": "标题", "source": "", "author": "", "section": "",
                               "body": "第一段。\n\n![图](missing.png)\n"})
    assert r.status_code == 422
    alert = text_of(parse(r.text).find(".//*[@id='article-body-error']"))
    assert "missing.png" in alert and "第 3 行" in alert and "01-first.md:7" not in alert, alert
    assert snapshot(ws) == before


# --- distribution and home ------------------------------------------------------------------------------

def test_the_default_list_is_named_in_words(client):
    doc = parse(client.get("/issues/2026-10").text)
    section = doc.find(".//section[@id='distribution']")
    labels = [text_of(label) for label in section.iter("label")]
    assert any(label.startswith("默认名单") for label in labels), labels
    assert any(label.startswith("short") for label in labels), labels
    english = parse(client.get("/issues/2026-10", headers=EN).text).find(".//section[@id='distribution']")
    assert any(text_of(label).startswith("Default list") for label in english.iter("label"))


def test_the_distribution_table_has_no_empty_header_cell(client):
    doc = parse(client.get("/issues/2026-10").text)
    table = doc.find(".//section[@id='distribution']//table")
    assert all(text_of(th) for th in table.iter("th")), [text_of(th) for th in table.iter("th")]


def test_the_home_pages_issue_column_does_not_repeat_the_total(client):
    doc = parse(client.get("/").text)
    row = next(tr for tr in doc.iter("tr") if tr.find("td") is not None)
    cells = [text_of(td) for td in row.iter("td")]
    assert cells[0] == "第10期" and cells[1] == "30", cells


def test_the_distribution_buttons_name_their_recipient(client):
    client.post("/issues/2026-10/distribution/recipients/remove", data={"recipient": "renda"})
    client.post("/issues/2026-10/distribution/extra/add", data={"extra": "某某街道"})
    doc = parse(client.get("/issues/2026-10").text)
    section = doc.find(".//section[@id='distribution']")
    names = [b.get("aria-label") or text_of(b) for b in section.iter("button")]
    for name in ("移除：市委办公室", "移除：各区人民政府", "移除：某某街道", "加回：市人大常委会办公室"):
        assert name in names, names


def test_a_windows_article_saves_back_byte_for_byte(client, ws):
    path = ws / ARTICLE
    path.write_bytes("---\r\ntitle: 标题\r\nsection: 工作动态\r\n---\r\n\r\n第一段。\r\n\r\n第二段。\r\n".encode("utf-8"))
    before = path.read_bytes()
    doc = parse(client.get(URL).text)
    body = next(doc.iter("textarea")).text
    assert body.startswith("第一段")
    r = client.post(URL, data={"title": "标题", "source": "", "author": "", "section": "工作动态",
                               "body": body.replace("\n", "\r\n")})  # a browser sends CR LF
    assert r.status_code == 303
    assert path.read_bytes() == before
