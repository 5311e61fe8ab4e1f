"""The article page: its fields and body (保存), its proofreading findings (修正); nothing written on
error, by a GET, for a published issue, or for a name issue.yaml does not list."""
from __future__ import annotations

from cli_support import ISSUE_YAML, snapshot
from web_support import buttons, labelled_controls, parse, text_of

ARTICLE = "issues/2026/10/01-first.md"
URL = "/issues/2026-10/articles/01-first.md"


def form(**fields) -> dict:
    return {"title": "我市深化政务公开工作取得新成效", "source": "", "author": "", "section": "工作动态",
            "body": "今年以来，我市坚持以公开促落实。\n", **fields}


def test_the_page_shows_the_fields_with_labels_and_the_body(client):
    r = client.get(URL)
    assert r.status_code == 200
    doc = parse(r.text)
    editor = next(f for f in doc.iter("form") if f.get("action") == URL)   # the marks' form is its own (test_submissions_pages)
    labels = dict(labelled_controls(editor))
    assert labels == {"article-title": "标题", "article-source": "供稿单位", "article-author": "作者",
                      "article-section": "栏目", "article-body": "正文（Markdown）"}
    values = {i.get("name"): i.get("value") for i in doc.iter("input")}
    assert values["title"] == "我市深化政务公开工作取得新成效" and values["section"] == "工作动态"
    body = next(doc.iter("textarea"))
    assert "# 加强领导" in text_of(body) and "成立工作专班" in text_of(body)
    assert "保存" in buttons(doc) and "校对" in r.text


def test_the_issue_page_links_each_article(client):
    doc = parse(client.get("/issues/2026-10").text)
    hrefs = [a.get("href") for a in doc.iter("a")]
    assert URL in hrefs and "/issues/2026-10/articles/02-second.md" in hrefs


def test_a_finding_is_listed_and_fix_applies_it_as_lint_fix(client, ws):
    from bulletin.content.proofread import fix_text

    path = ws / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\n工作全面完成,成效明显。\n", encoding="utf-8")
    before = path.read_text(encoding="utf-8")
    doc = parse(client.get(URL).text)
    rows = [[text_of(td) for td in tr.iter("td")] for tr in doc.iter("tr")]
    assert ["半角标点 halfwidth-punct", "7", "7"] == rows[1][:3] and "，" in rows[1][3]
    assert "修正" in buttons(doc)
    r = client.post(URL + "/fix")
    assert r.status_code == 303 and r.headers["location"] == URL + "?done=fixed"
    after = path.read_text(encoding="utf-8")
    assert after == fix_text(before) and "完成，成效" in after
    shown = parse(client.get(r.headers["location"]).text)
    assert "修正" not in buttons(shown)
    assert [text_of(p) for p in shown.iter("p") if p.get("role") == "status" and p.get("class") == "added"] == ["已自动改正。"]  # said, not only seen
    assert not [p for p in parse(client.get(URL).text).iter("p") if p.get("role") == "status" and p.get("class") == "added"]


def test_an_empty_title_is_refused_beside_its_field_and_nothing_is_written(client, ws):
    before = (ws / ARTICLE).read_bytes()
    r = client.post(URL, data=form(title=""))
    assert r.status_code == 422
    doc = parse(r.text)
    error = [s for s in doc.iter("span") if s.get("id") == "article-title-error"]
    assert error and "标题" in text_of(error[0])
    assert (ws / ARTICLE).read_bytes() == before


def test_a_missing_picture_is_refused_above_the_body_with_its_line(client, ws):
    before = (ws / ARTICLE).read_bytes()
    r = client.post(URL, data=form(body="正文。\n\n![图](nowhere.png)\n"))
    assert r.status_code == 422
    doc = parse(r.text)
    above = [d for d in doc.iter("div") if d.get("id") == "article-body-error"]
    assert above and "nowhere.png" in text_of(above[0]) and "第 3 行" in text_of(above[0])  # as the box counts
    assert (ws / ARTICLE).read_bytes() == before


def test_valid_changes_are_written_and_other_keys_kept_in_order(client, ws):
    path = ws / ARTICLE
    path.write_text("---\nsection: 工作动态  # 栏目\nauthor: 王××\ntitle: 旧标题\n---\n\n旧正文。\n", encoding="utf-8")
    r = client.post(URL, data=form(title="新的标题", source="市政务服务中心", author="王××", body="新的正文。\r\n"))
    assert r.status_code == 303 and r.headers["location"] == URL + "?done=saved"
    saved = parse(client.get(r.headers["location"]).text)
    assert [text_of(p) for p in saved.iter("p") if p.get("role") == "status" and p.get("class") == "added"] == ["已保存。"]
    assert path.read_text(encoding="utf-8") == ("---\nsection: 工作动态  # 栏目\nauthor: 王××\ntitle: 新的标题\n"
                                                "source: 市政务服务中心\n---\n\n新的正文。\n")


def test_saving_the_page_as_shown_changes_no_byte(client, ws):
    before = (ws / ARTICLE).read_bytes()
    doc = parse(client.get(URL).text)
    data = {i.get("name"): i.get("value") or "" for i in doc.iter("input")}
    data["body"] = "".join(next(doc.iter("textarea")).itertext())
    assert client.post(URL, data=data).status_code == 303
    assert (ws / ARTICLE).read_bytes() == before


def test_unknown_or_outside_names_are_404_and_nothing_is_read_outside(client, ws, tmp_path):
    (tmp_path / "secret.md").write_text("---\ntitle: 机密\n---\n", encoding="utf-8")
    (ws / "issues/2026/10/unlisted.md").write_text("---\ntitle: 未列入\n---\n", encoding="utf-8")
    before = snapshot(tmp_path)
    for name in ("unlisted.md", "..%2F..%2F..%2F..%2Fsecret.md", "%2E%2E", "issue.yaml", "03-none.md"):
        for r in (client.get(f"/issues/2026-10/articles/{name}"),
                  client.post(f"/issues/2026-10/articles/{name}", data=form()),
                  client.post(f"/issues/2026-10/articles/{name}/fix")):
            assert r.status_code == 404 and "机密" not in r.text and "未列入" not in r.text
    assert client.get("/issues/2026-99/articles/01-first.md").status_code == 404
    assert snapshot(tmp_path) == before


def test_a_published_issue_is_refused_and_nothing_is_written(client, ws):
    (ws / "issues/2026/10/issue.yaml").write_text(ISSUE_YAML.replace("status: draft", "status: published"),
                                                  encoding="utf-8")
    path = ws / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\n完成,任务。\n", encoding="utf-8")
    before = snapshot(ws)
    r = client.post(URL, data=form(title="改了"))
    assert r.status_code == 422 and "已签发" in r.text
    r = client.post(URL + "/fix")
    assert r.status_code == 422 and "已签发" in r.text
    assert snapshot(ws) == before


def test_a_get_never_writes(client, ws):
    before = snapshot(ws)
    for url in (URL, "/issues/2026-10/articles/02-second.md", URL + "/fix", "/issues/2026-10/articles/x.md"):
        client.get(url)
    assert snapshot(ws) == before


def test_the_issue_page_buttons_still_work_on_the_shared_path(client, ws):
    r = client.post("/issues/2026-10/articles/down", data={"article": "01-first.md"})
    assert r.status_code == 303
    assert "  - 02-second.md\n  - 01-first.md" in (ws / "issues/2026/10/issue.yaml").read_text(encoding="utf-8")


def test_a_key_the_article_had_stays_when_emptied_and_none_is_added(client, ws):
    path = ws / ARTICLE
    path.write_text('---\ntitle: 标题\nauthor: ""\n---\n\n正文。\n', encoding="utf-8")
    r = client.post(URL, data=form(title="标题", section="", body="正文。\n"))
    assert r.status_code == 303
    assert path.read_text(encoding="utf-8") == '---\ntitle: 标题\nauthor: ""\n---\n\n正文。\n'


def test_the_forms_work_without_javascript_and_htmx_gets_the_main_block(client):
    full = client.get(URL)
    doc = parse(full.text)
    actions = [(f.get("action"), f.get("method")) for f in doc.iter("form")]
    assert (URL, "post") in actions
    part = client.get(URL, headers={"HX-Request": "true"})
    assert part.status_code == 200 and "<html" not in part.text and 'id="article-body"' in part.text
    assert full.headers["vary"] == part.headers["vary"] == "HX-Request"


def test_the_findings_are_those_of_bulletin_lint(client, ws):
    from bulletin import i18n
    from bulletin.commands.lint import lint

    path = ws / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + '\n他说:"好的"。完成,任务。\n', encoding="utf-8")
    with i18n.speaking("zh"):
        lines, _fixed = lint(ws, [str(path)])
    doc = parse(client.get(URL).text)
    rows = [[text_of(td) for td in tr.iter("td")] for tr in list(doc.iter("tr"))[1:]]
    rules = [text_of(code) for code in doc.iter("code") if code.get("class") == "rule-id"]
    assert len(lines) >= 2 and len(rules) == len(rows)
    # the same findings; the page counts lines from the body's box (the file's line 6 is its line 1)
    assert [f"{path}:{int(line) + 5}:{col}: {rule}: {message}"
            for rule, (_words, line, col, message) in zip(rules, rows)] == lines
