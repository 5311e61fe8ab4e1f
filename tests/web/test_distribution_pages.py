"""The issue page's 分发 section and the 收发名录 pages over ASGI: every form, bad input beside its field
with nothing written, a published issue refused, htmx fragments, and the register downloads."""
from __future__ import annotations

import pytest
from cli_support import ISSUE_YAML, snapshot
from web_support import buttons, labelled_controls, parse, text_of

ISSUE = "issues/2026/10/issue.yaml"
PAGE = "/issues/2026-10"


def issue_yaml(ws) -> str:
    return (ws / ISSUE).read_text(encoding="utf-8")


def recipients_yaml(ws) -> str:
    return (ws / "recipients.yaml").read_text(encoding="utf-8")


def section(html: str):
    doc = parse(html)
    found = doc.find(".//section[@id='distribution']")
    assert found is not None
    return found


def copies(client) -> str:
    return text_of(section(client.get(PAGE).text).find(".//th[@id='copies']"))


def post(client, url, data, **headers):
    r = client.post(url, data=data, headers=headers)
    if r.status_code == 303:
        assert r.headers["location"] == f"{PAGE}#distribution" or r.headers["location"].startswith("/recipients")
    return r


# --- the issue's distribution ------------------------------------------------------------------------------

def test_the_distribution_section_shows_lists_recipients_forms_and_the_register_in_chinese(client):
    part = section(client.get(PAGE).text)
    text = text_of(part)
    for words in ("分发", "本期分发名单", "市委办公室", "各区人民政府", "编印单位存档", "分发登记表", "共印"):
        assert words in text
    labels = dict(labelled_controls(part))
    assert labels["dist-list-1"].startswith("默认名单（3个单位，15份）")
    assert labels["dist-add"] == "增加接收单位" and labels["dist-extra"] == "本期增发"
    assert labels["dist-copies-override"] == "共印（人工设定）"
    assert [o.get("value") for o in part.iter("option")] == ["towns"]  # only who is not in the issue
    assert {"保存名单", "移除", "增加", "增发", "保存共印"} <= set(buttons(part))
    links = {a.get("href") for a in part.iter("a")}
    assert {"/issues/2026-10/register.docx", "/issues/2026-10/register.csv", "/recipients"} <= links
    assert text_of(part.find(".//th[@id='copies']")) == "20"
    for form in part.iter("form"):
        assert form.get("method") == "post" and form.get("action") == form.get("hx-post")
        assert form.get("action").startswith("/issues/2026-10/distribution/")


def test_remove_and_add_back_a_recipient_and_copies_follow(client, ws):
    r = post(client, "/issues/2026-10/distribution/recipients/remove", {"recipient": "renda"})
    assert r.status_code == 303 and "remove: [renda]" in issue_yaml(ws)
    part = section(client.get(PAGE).text)
    assert text_of(part.find(".//th[@id='copies']")) == "19"
    assert "本期不发" in text_of(part) and "加回" in buttons(part)
    assert post(client, "/issues/2026-10/distribution/recipients/add", {"recipient": "renda"}).status_code == 303
    assert "renda" not in issue_yaml(ws) and copies(client) == "20"


def test_add_a_directory_recipient_and_a_one_off_line(client, ws):
    post(client, "/issues/2026-10/distribution/recipients/add", {"recipient": "towns"})
    assert "add: [towns]" in issue_yaml(ws) and copies(client) == "27"
    assert "（本期加入）" in text_of(section(client.get(PAGE).text))
    post(client, "/issues/2026-10/distribution/extra/add", {"extra": "市档案馆"})
    assert "    - 市档案馆\n" in issue_yaml(ws) and copies(client) == "28"
    post(client, "/issues/2026-10/distribution/extra/remove", {"extra": "市档案馆"})
    assert "市档案馆" not in issue_yaml(ws) and copies(client) == "27"


def test_lists_and_the_copies_override(client, ws):
    post(client, "/issues/2026-10/distribution/lists", {"lists": ["short"]})
    assert "lists: [short]" in issue_yaml(ws) and copies(client) == "7"
    post(client, "/issues/2026-10/distribution/lists", {"lists": ["short", "default"]})
    assert "lists: [default, short]" in issue_yaml(ws)
    post(client, "/issues/2026-10/distribution/copies", {"copies": "40"})
    assert "copies: 40" in issue_yaml(ws) and copies(client) == "40"
    assert "（人工设定；按分发计算为20份）" in text_of(section(client.get(PAGE).text))
    post(client, "/issues/2026-10/distribution/copies", {"copies": "40", "clear": "1"})
    assert "copies: null" in issue_yaml(ws) and copies(client) == "20"


@pytest.mark.parametrize("url, data, field, words", [
    ("lists", {"lists": ["defualt"]}, "dist-lists", "recipients.yaml 中没有名单“defualt”（是否应为“default”？）"),
    ("lists", {}, "dist-lists", "请至少选择一个名单"),
    ("copies", {"copies": "0"}, "dist-copies-override", "共印份数应为1或以上的整数，“0”不行"),
    ("copies", {"copies": "十"}, "dist-copies-override", "共印份数应为1或以上的整数"),
    ("copies", {"copies": "3"}, "dist-copies-override", "共印3份少于发出的15份"),
    ("extra/add", {"extra": "  "}, "dist-extra", "名称不能为空"),
    ("extra/add", {"extra": "市委办公室"}, "dist-extra", "已在收发名录中"),
])
def test_bad_input_is_shown_beside_its_field_and_nothing_is_written(client, ws, url, data, field, words):
    before = snapshot(ws)
    r = client.post(f"/issues/2026-10/distribution/{url}", data=data)
    assert r.status_code == 422
    error = parse(r.text).find(f".//*[@id='{field}-error']")
    assert error is not None and words in text_of(error)
    control = parse(r.text).find(f".//*[@aria-describedby='{field}-error']")
    assert control is not None and control.get("aria-invalid") == "true"
    assert snapshot(ws) == before


def test_an_unknown_recipient_is_refused_with_a_suggestion(client, ws):
    before = snapshot(ws)
    r = client.post("/issues/2026-10/distribution/recipients/add", data={"recipient": "rneda"})
    assert r.status_code == 422 and "recipients.yaml 中没有接收单位“rneda”（是否应为“renda”？）" in text_of(section(r.text))
    assert snapshot(ws) == before
    assert client.post("/issues/2026-10/distribution/recipients/nothing", data={"recipient": "renda"}).status_code == 404


def test_a_one_off_name_with_markup_is_shown_escaped(client, ws):
    post(client, "/issues/2026-10/distribution/extra/add", {"extra": "<script>alert(1)</script>"})
    html = client.get(PAGE).text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert all(s.get("src") for s in parse(html).iter("script"))


def test_htmx_gets_the_main_block_with_the_problem_beside_its_field(client, ws):
    r = client.post("/issues/2026-10/distribution/copies", data={"copies": "0"}, headers={"HX-Request": "true"})
    assert r.status_code == 422 and "<html" not in r.text and "dist-copies-override-error" in r.text
    assert r.headers["vary"] == "HX-Request"


def test_a_published_issue_shows_its_distribution_without_forms_and_refuses_every_change(client, ws):
    (ws / ISSUE).write_text(ISSUE_YAML.replace("status: draft", "status: published"), encoding="utf-8")
    part = section(client.get(PAGE).text)
    assert "本期已发布，分发不能再修改" in text_of(part) and not list(part.iter("form"))
    assert text_of(part.find(".//th[@id='copies']")) == "20"
    before = snapshot(ws)
    for url, data in (("lists", {"lists": ["short"]}), ("recipients/remove", {"recipient": "renda"}),
                      ("recipients/add", {"recipient": "towns"}), ("extra/add", {"extra": "市档案馆"}),
                      ("copies", {"copies": "30"})):
        r = client.post(f"/issues/2026-10/distribution/{url}", data=data)
        assert r.status_code == 422 and "已发布并冻结" in text_of(section(r.text))
    assert snapshot(ws) == before


def test_the_register_downloads_are_what_bulletin_distribution_writes(client, ws, tmp_path):
    from bulletin.commands.reports import write_register_csv, write_register_docx
    from bulletin.store.workspace import Workspace

    csv = client.get("/issues/2026-10/register.csv")
    assert csv.status_code == 200 and csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv.content.startswith("\ufeff序号,类别,接收单位或个人,份数,签收\r\n".encode("utf-8"))
    assert "filename*=UTF-8''%E6%B5%8B%E8%AF%95%E7%AE%80%E6%8A%A5-2026-%E7%AC%AC10%E6%9C%9F-" in \
        csv.headers["content-disposition"]
    assert 'filename="register-2026-10.csv"' in csv.headers["content-disposition"]
    docx = client.get("/issues/2026-10/register.docx")
    assert docx.status_code == 200 and docx.content[:2] == b"PK"
    written_csv = write_register_csv(Workspace(ws), "10", tmp_path / "r.csv")
    written_docx = write_register_docx(Workspace(ws), "10", tmp_path / "r.docx")
    assert csv.content == written_csv.read_bytes() and docx.content == written_docx.read_bytes()
    assert client.get("/issues/2026-99/register.csv").status_code == 404


def test_no_get_changes_a_file(client, ws):
    before = snapshot(ws)
    for url in ("/recipients", "/recipients?edit=shiwei", "/recipients?list=default", "/recipients/add",
                "/issues/2026-10/register.csv", "/issues/2026-10/register.docx",
                "/issues/2026-10/distribution/lists", "/recipients/lists/remove"):
        client.get(url)
    assert snapshot(ws) == before


# --- 收发名录 ------------------------------------------------------------------------------------------------

def test_the_home_page_links_to_the_directory(client):
    nav = parse(client.get("/").text).find(".//header//nav")
    assert nav is not None and {a.get("href"): text_of(a) for a in nav.iter("a")}["/recipients"] == "收发名录"


def test_the_directory_page_lists_recipients_by_role_and_the_lists(client):
    r = client.get("/recipients")
    assert r.status_code == 200
    doc = parse(r.text)
    text = text_of(doc.find(".//main"))
    assert text.index("报（上级）") < text.index("市委办公室") < text.index("送（平级）") < text.index("各区人民政府") \
        < text.index("发（下级）") < text.index("各镇（街道）")
    lists = doc.find(".//section[@id='lists']")
    assert "第10期（总第30期）" in text_of(lists)  # which issues use default
    labels = [label for _id, label in labelled_controls(doc)]
    assert {"编号", "名称", "类别", "份数", "电子邮箱", "名单名称", "新名称"} <= set(labels)
    assert {"增加", "改名", "删除", "新建名单"} <= set(buttons(doc))
    for form in doc.iter("form"):
        assert form.get("method") == "post" and form.get("action").startswith("/recipients/")


def test_add_edit_and_remove_a_recipient(client, ws):
    r = client.post("/recipients/add", data={"id": "shuju", "name": "市数据局", "role": "送", "copies": "3",
                                             "email": "", "lists": ["default"]})
    assert r.status_code == 303 and r.headers["location"] == "/recipients?done=add#recipients"
    assert "  - id: shuju\n    name: 市数据局\n    role: 送\n    copies: 3\n" in recipients_yaml(ws)
    assert "default: [shiwei, renda, districts, shuju]" in recipients_yaml(ws)
    assert copies(client) == "23"  # the draft issue follows its list
    assert "已保存" in client.get("/recipients?done=add").text
    form = parse(client.get("/recipients?edit=shuju").text).find(".//section[@id='edit']")
    assert dict(labelled_controls(form))["edit-name"] == "名称"
    assert form.find(".//input[@id='edit-name']").get("value") == "市数据局"
    r = client.post("/recipients/edit", data={"id": "shuju", "name": "市政务服务和数据管理局", "role": "送",
                                              "copies": "4", "email": "sj@example.gov.cn"})
    assert r.status_code == 303
    assert "    name: 市政务服务和数据管理局\n    role: 送\n    copies: 4\n    email: sj@example.gov.cn\n" in \
        recipients_yaml(ws)
    assert client.post("/recipients/remove", data={"id": "shuju"}).status_code == 303
    assert "shuju" not in recipients_yaml(ws) and copies(client) == "20"


@pytest.mark.parametrize("data, field, words", [
    ({"id": "shiwei", "name": "市委", "role": "报", "copies": "1"}, "add-id", "编号“shiwei”已被市委办公室使用"),
    ({"id": "Shi Wei", "name": "市委", "role": "报", "copies": "1"}, "add-id", "编号只能用小写字母、数字"),
    ({"id": "x", "name": "市委", "role": "上", "copies": "1"}, "add-role", "类别应为报、送、发之一，“上”不行"),
    ({"id": "x", "name": "市委", "role": "报", "copies": "0"}, "add-copies", "份数应为1或以上的整数，“0”不行"),
    ({"id": "x", "name": "", "role": "报", "copies": "1"}, "add-name", "名称不能为空"),
    ({"id": "x", "name": "市委", "role": "报", "copies": "1", "email": "a b"}, "add-email", "不是电子邮箱地址"),
    ({"id": "x", "name": "市委", "role": "报", "copies": "1", "lists": ["nope"]}, "add-lists",
     "recipients.yaml 中没有名单“nope”"),
])
def test_a_bad_recipient_is_refused_beside_its_field_and_what_was_typed_stays(client, ws, data, field, words):
    before = snapshot(ws)
    r = client.post("/recipients/add", data=data)
    assert r.status_code == 422
    doc = parse(r.text)
    error = doc.find(f".//*[@id='{field}-error']")
    assert error is not None and words in text_of(error)
    assert doc.find(".//input[@id='add-name']").get("value") == data["name"]
    assert snapshot(ws) == before


def test_a_name_with_markup_is_shown_escaped(client, ws):
    r = client.post("/recipients/add", data={"id": "x", "name": "<script>alert(1)</script>", "role": "报",
                                             "copies": "0"})
    assert r.status_code == 422 and "<script>alert(1)</script>" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text
    client.post("/recipients/add", data={"id": "x", "name": "<script>alert(1)</script>", "role": "报", "copies": "1"})
    html = client.get("/recipients").text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_recipient_an_issue_names_is_not_removed_and_the_issue_is_named(client, ws):
    client.post("/issues/2026-10/distribution/recipients/add", data={"recipient": "towns"})
    before = snapshot(ws)
    r = client.post("/recipients/remove", data={"id": "towns"})
    assert r.status_code == 422
    alert = parse(r.text).find(".//section[@id='recipients']//*[@role='alert']")
    assert "第10期（总第30期）（2026-10）将无法读取" in text_of(alert) and "请先在该期页面的分发中将其去掉" in text_of(alert)
    assert snapshot(ws) == before


def test_a_published_issue_keeps_its_distribution_when_the_directory_changes(client, ws):
    (ws / ISSUE).write_text(ISSUE_YAML.replace("status: draft", "status: published"), encoding="utf-8")
    before = snapshot(ws)
    for url, data in (("/recipients/edit", {"id": "shiwei", "name": "市委办公室", "role": "报", "copies": "3"}),
                      ("/recipients/remove", {"id": "renda"}),
                      ("/recipients/lists/members", {"list": "default", "members": ["shiwei"]}),
                      ("/recipients/lists/remove", {"list": "default"})):
        r = client.post(url, data=data)
        assert r.status_code == 422 and "已发布期次的分发不能改变" in r.text, url
    assert snapshot(ws) == before
    assert client.post("/recipients/edit", data={"id": "towns", "name": "各镇（街道）", "role": "发",
                                                 "copies": "9"}).status_code == 303


def test_lists_are_made_given_members_renamed_and_deleted(client, ws):
    r = client.post("/recipients/lists/add", data={"list": "leaders", "members": ["shiwei", "renda"]})
    assert r.status_code == 303 and "  leaders: [shiwei, renda]\n" in recipients_yaml(ws)
    form = parse(client.get("/recipients?list=leaders").text).find(".//form[@id='members']")
    checked = [i.get("value") for i in form.iter("input") if i.get("checked") is not None]
    assert checked == ["shiwei", "renda"]
    client.post("/recipients/lists/members", data={"list": "leaders", "members": ["districts"]})
    assert "  leaders: [districts]\n" in recipients_yaml(ws)
    client.post("/recipients/lists/rename", data={"list": "default", "new": "all"})
    assert "  all: [shiwei, renda, districts]\n" in recipients_yaml(ws) and "lists: [all]" in issue_yaml(ws)
    assert copies(client) == "20"
    assert client.post("/recipients/lists/remove", data={"list": "leaders"}).status_code == 303
    assert "leaders" not in recipients_yaml(ws)


@pytest.mark.parametrize("url, data, words", [
    ("/recipients/lists/add", {"list": "short"}, "已有名单“short”"),
    ("/recipients/lists/add", {"list": "领导"}, "名单名称只能用字母、数字"),
    ("/recipients/lists/add", {"list": "x", "members": ["nobody"]}, "recipients.yaml 中没有接收单位“nobody”"),
    ("/recipients/lists/rename", {"list": "short", "new": "default"}, "已有名单“default”"),
    ("/recipients/lists/remove", {"list": "default"}, "将无法读取"),
    ("/recipients/lists/remove", {"list": "defualt"}, "是否应为“default”"),
    ("/recipients/lists/members", {"list": "short", "members": ["nobody"]}, "没有接收单位“nobody”"),
])
def test_bad_lists_are_refused_and_nothing_is_written(client, ws, url, data, words):
    before = snapshot(ws)
    r = client.post(url, data=data)
    assert r.status_code == 422 and words in text_of(parse(r.text).find(".//section[@id='lists']")), r.text
    assert snapshot(ws) == before


def test_an_invalid_directory_is_shown_with_its_diagnostics(client, ws):
    (ws / "recipients.yaml").write_text("recipients:\n  - id: a\n    name: 甲\n    role: 上\n", encoding="utf-8")
    r = client.get("/recipients")
    assert r.status_code == 200 and "recipients.yaml:4" in r.text and "Traceback" not in r.text
    assert not list(parse(r.text).iter("form"))


def test_english_when_the_browser_asks(client):
    r = client.get("/recipients", headers={"Accept-Language": "en"})
    assert "Recipient directory" in r.text and "收发名录" not in r.text


def test_an_unknown_list_or_recipient_posted_by_a_stale_page_is_named(client, ws):
    before = snapshot(ws)
    r = client.post("/recipients/lists/members", data={"list": "shrot", "members": ["shiwei"]})
    assert r.status_code == 422 and "recipients.yaml 中没有名单“shrot”（是否应为“short”？）" in r.text
    assert parse(r.text).find(".//form[@id='members']") is None
    r = client.post("/recipients/edit", data={"id": "shiwi", "name": "x", "role": "报", "copies": "1"})
    assert r.status_code == 422 and "recipients.yaml 中没有接收单位“shiwi”（是否应为“shiwei”？）" in r.text
    assert snapshot(ws) == before
