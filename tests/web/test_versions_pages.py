"""Two people, one article, one issue: every edit form carries the version of the file it edits (a
hidden `version`); a save against a file changed since is refused with 409, nothing written, the page
showing the file as it is now beside what the person typed (kept), escaped; saving again after seeing
it goes through."""
from __future__ import annotations

import pytest

from cli_support import snapshot
from web_support import parse, text_of

from bulletin.store.versions import file_version

ARTICLE = "issues/2026/10/01-first.md"
ISSUE = "issues/2026/10/issue.yaml"
URL = "/issues/2026-10/articles/01-first.md"


def opened(client, url: str = URL) -> dict:
    """The article form's fields as the page gives them (the hidden version among them)."""
    doc = parse(client.get(url).text)
    form = next(f for f in doc.iter("form") if f.get("action") == url and f.get("method") == "post")
    data = {i.get("name"): i.get("value") or "" for i in form.iter("input")}
    data["body"] = "".join(next(form.iter("textarea")).itertext())
    return data


def hidden_versions(doc) -> dict[str, str]:
    return {f.get("action"): i.get("value") for f in doc.iter("form") for i in f.iter("input")
            if i.get("type") == "hidden" and i.get("name") == "version"}


def test_the_article_forms_carry_the_files_version(client, ws):
    doc = parse(client.get(URL).text)
    (ws / ARTICLE).write_text((ws / ARTICLE).read_text(encoding="utf-8") + "\n完成,任务。\n", encoding="utf-8")
    doc = parse(client.get(URL).text)
    versions = hidden_versions(doc)
    assert versions[URL] == versions[URL + "/fix"] == file_version(ws / ARTICLE)


def test_the_second_save_from_the_same_page_is_409_with_both_versions_and_nothing_written(client, ws):
    first, second = opened(client), opened(client)
    first["body"] = "\n甲改过的正文：<b>甲</b>。\n"
    assert client.post(URL, data=first).status_code == 303
    after_first = snapshot(ws)
    second["title"] = "乙改的标题 <script>alert(1)</script>"
    second["body"] = second["body"] + "\n乙加的一段 <script>alert(2)</script>。\n"
    r = client.post(URL, data=second)
    assert r.status_code == 409
    assert snapshot(ws) == after_first
    assert "<script>alert" not in r.text and "&lt;script&gt;alert(2)" in r.text
    assert "<b>甲</b>" not in r.text and "&lt;b&gt;甲&lt;/b&gt;" in r.text
    doc = parse(r.text)
    conflict = next(s for s in doc.iter("section") if s.get("id") == "conflict")
    said = text_of(conflict)
    assert "他人" in said and "甲改过的正文" in said and "乙加的一段" in said
    # the diff: what the other person has and the typed text has not, and the other way round
    removed = [text_of(d) for d in conflict.iter("del")]
    added = [text_of(i) for i in conflict.iter("ins")]
    assert any("甲改过的正文" in t for t in removed) and any("乙加的一段" in t for t in added)
    # the editable form holds what was typed, with the version of the file as it is now
    form = next(f for f in doc.iter("form") if f.get("action") == URL and f.get("method") == "post")
    values = {i.get("name"): i.get("value") for i in form.iter("input")}
    assert values["title"] == "乙改的标题 <script>alert(1)</script>"
    assert values["version"] == file_version(ws / ARTICLE) != second["version"]
    assert "乙加的一段" in "".join(next(form.iter("textarea")).itertext())
    # and a button to take the other version instead: a GET of the page as it is now
    take = [f for f in conflict.iter("form") if f.get("method") == "get" and f.get("action") == URL]
    assert take and "采用" in text_of(take[0])


def test_saving_again_after_seeing_the_conflict_goes_through(client, ws):
    first, second = opened(client), opened(client)
    first["body"] = "\n甲的正文。\n"
    client.post(URL, data=first)
    second["body"] = "\n乙的正文。\n"
    r = client.post(URL, data=second)
    assert r.status_code == 409
    form = next(f for f in parse(r.text).iter("form") if f.get("action") == URL and f.get("method") == "post")
    merged = {i.get("name"): i.get("value") or "" for i in form.iter("input")}
    merged["body"] = "\n甲的正文。\n\n乙的正文。\n"
    r = client.post(URL, data=merged)
    assert r.status_code == 303
    assert "甲的正文。\n\n乙的正文。" in (ws / ARTICLE).read_text(encoding="utf-8")


def test_a_change_by_hand_or_the_cli_meanwhile_is_a_conflict_too(client, ws):
    data = opened(client)
    path = ws / ARTICLE
    path.write_text(path.read_text(encoding="utf-8").replace("加强领导", "强化领导"), encoding="utf-8")
    before = snapshot(ws)
    r = client.post(URL, data={**data, "body": data["body"] + "\n新的一段。\n"})
    assert r.status_code == 409 and snapshot(ws) == before
    assert "强化领导" in text_of(next(s for s in parse(r.text).iter("section") if s.get("id") == "conflict"))


def test_the_fix_button_against_a_changed_article_is_409_and_writes_nothing(client, ws):
    path = ws / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + "\n完成,任务。\n", encoding="utf-8")
    version = hidden_versions(parse(client.get(URL).text))[URL + "/fix"]
    path.write_text(path.read_text(encoding="utf-8") + "\n又一段,内容。\n", encoding="utf-8")
    before = snapshot(ws)
    r = client.post(URL + "/fix", data={"version": version})
    assert r.status_code == 409 and snapshot(ws) == before and "他人" in r.text
    assert hidden_versions(parse(r.text))[URL + "/fix"] == file_version(path)


def test_a_form_without_a_version_saves_as_before(client, ws):
    data = opened(client)
    del data["version"]
    (ws / ARTICLE).write_text((ws / ARTICLE).read_text(encoding="utf-8") + "\n别人的一段。\n", encoding="utf-8")
    assert client.post(URL, data={**data, "body": "\n覆盖。\n"}).status_code == 303


# --- the issue page ---------------------------------------------------------------------------------

def test_every_form_of_the_issue_page_carries_a_version(client, ws):
    doc = parse(client.get("/issues/2026-10").text)
    issue = file_version(ws / ISSUE)
    for f in doc.iter("form"):
        if f.get("method") != "post":
            continue
        action = f.get("action")
        versions = [i.get("value") for i in f.iter("input") if i.get("name") == "version"]
        if action.endswith("/upload"):
            assert versions == []   # appending new files needs no version: it replaces nothing
        elif action.endswith("/section"):
            name = next(i.get("value") for i in f.iter("input") if i.get("name") == "article")
            assert versions == [file_version(ws / "issues/2026/10" / name)], action
        else:
            assert versions == [issue], action
    body = next(t for t in doc.iter("tbody") if t.get("data-order-url"))
    assert body.get("data-version") == issue


def changed_meanwhile(ws):
    path = ws / ISSUE
    path.write_text(path.read_text(encoding="utf-8").replace('editor_note: ""', 'editor_note: "别人写的按语"'),
                    encoding="utf-8")


ISSUE_FORMS = {
    "up": ("/issues/2026-10/articles/up", {"article": "02-second.md"}),
    "remove": ("/issues/2026-10/articles/remove", {"article": "02-second.md"}),
    "order": ("/issues/2026-10/order", {"article": ["02-second.md", "01-first.md"]}),
    "note": ("/issues/2026-10/note", {"editor_note": "我写的按语 <i>x</i>"}),
    "people": ("/issues/2026-10/people", {"editor": "赵××", "reviewer": "钱××", "signer": "孙××"}),
    "lists": ("/issues/2026-10/distribution/lists", {"lists": ["short"]}),
    "recipient": ("/issues/2026-10/distribution/recipients/remove", {"recipient": "shiwei"}),
    "extra": ("/issues/2026-10/distribution/extra/add", {"extra": "市档案馆"}),
    "copies": ("/issues/2026-10/distribution/copies", {"copies": "99"}),
}


@pytest.mark.parametrize("name", sorted(ISSUE_FORMS))
def test_an_issue_form_against_a_changed_issue_is_409_with_the_page_as_it_is_now(client, ws, name):
    url, data = ISSUE_FORMS[name]
    version = file_version(ws / ISSUE)
    changed_meanwhile(ws)
    before = snapshot(ws)
    r = client.post(url, data={**data, "version": version})
    assert r.status_code == 409, r.text[:2000]
    assert snapshot(ws) == before
    assert "本期在此期间已被他人修改，请核对后再保存" in r.text
    doc = parse(r.text)
    assert [i for i in doc.iter("input") if i.get("name") == "version" and i.get("value") == file_version(ws / ISSUE)]
    assert "别人写的按语" in r.text
    r = client.post(url, data={**data, "version": file_version(ws / ISSUE)})   # seen, saved again
    assert r.status_code == 303 and snapshot(ws) != before


def test_the_typed_note_and_names_are_kept_on_a_conflict(client, ws):
    version = file_version(ws / ISSUE)
    changed_meanwhile(ws)
    doc = parse(client.post("/issues/2026-10/note", data={"editor_note": "我的按语 <i>x</i>", "version": version}).text)
    note = next(t for t in doc.iter("textarea") if t.get("name") == "editor_note")
    assert text_of(note) == "我的按语 <i>x</i>"
    doc = parse(client.post("/issues/2026-10/people", data={"editor": "赵××", "reviewer": "", "signer": "",
                                                           "version": version}).text)
    assert next(i for i in doc.iter("input") if i.get("name") == "editor").get("value") == "赵××"


def test_a_section_against_a_changed_article_is_409_and_keeps_the_typed_section(client, ws):
    path = ws / ARTICLE
    version = file_version(path)
    path.write_text(path.read_text(encoding="utf-8").replace("section: 工作动态", "section: 别人的栏目"), encoding="utf-8")
    before = snapshot(ws)
    r = client.post("/issues/2026-10/section", data={"article": "01-first.md", "section": "我的栏目", "version": version})
    assert r.status_code == 409 and snapshot(ws) == before
    doc = parse(r.text)
    assert next(i for i in doc.iter("input") if i.get("id") == "section-1").get("value") == "我的栏目"
    assert "本期在此期间已被他人修改" in r.text


def test_an_upload_meanwhile_makes_the_old_order_fail(client, ws):
    version = file_version(ws / ISSUE)
    files = [("files", ("03-third.md", "---\ntitle: 第三篇\nsource: 市统计局\n---\n\n正文。\n".encode(), "text/markdown"))]
    assert client.post("/issues/2026-10/upload", files=files).status_code == 303
    r = client.post("/issues/2026-10/articles/down", data={"article": "01-first.md", "version": version})
    assert r.status_code == 409


# --- the recipient directory ------------------------------------------------------------------------

def test_every_directory_form_carries_the_version_of_recipients_yaml(client, ws):
    doc = parse(client.get("/recipients?edit=renda&list=short").text)
    posts = [f for f in doc.iter("form") if f.get("method") == "post"]
    assert len(posts) >= 7
    for f in posts:
        assert [i.get("value") for i in f.iter("input") if i.get("name") == "version"] == \
            [file_version(ws / "recipients.yaml")], f.get("action")


def test_a_directory_form_against_a_changed_file_is_409_and_keeps_what_was_typed(client, ws):
    path = ws / "recipients.yaml"
    version = file_version(path)
    path.write_text(path.read_text(encoding="utf-8").replace("市人大常委会办公室", "市人大办公厅"), encoding="utf-8")
    before = snapshot(ws)
    typed = {"id": "renda", "name": "我改的名字", "role": "报", "copies": "3", "email": "", "version": version}
    r = client.post("/recipients/edit", data=typed)
    assert r.status_code == 409 and snapshot(ws) == before
    assert "已被他人修改" in r.text and "市人大办公厅" in r.text
    doc = parse(r.text)
    assert next(i for i in doc.iter("input") if i.get("name") == "name" and i.get("value") == "我改的名字") is not None
    r = client.post("/recipients/edit", data={**typed, "version": file_version(path)})
    assert r.status_code == 303 and "我改的名字" in path.read_text(encoding="utf-8")


def test_a_refused_save_keeps_the_version_its_form_was_opened_on(client, ws, monkeypatch):
    """A save refused for its own mistake (422) shows the typed text again with the version it was
    typed on, not the file's newest: a change landing in between is still a conflict on the next save."""
    from bulletin.commands import edit

    data = opened(client)
    path = ws / ARTICLE

    def refused_while_another_saves(ws_, path_, text):
        path.write_text(path.read_text(encoding="utf-8") + "\n别人刚保存的一段。\n", encoding="utf-8")
        raise edit.ArticleRefused({"title": ["the title must not be empty"]}, [])

    monkeypatch.setattr(edit, "check_article", refused_while_another_saves)
    r = client.post(URL, data={**data, "title": ""})
    assert r.status_code == 422
    form = next(f for f in parse(r.text).iter("form") if f.get("action") == URL and f.get("method") == "post")
    assert {i.get("name"): i.get("value") for i in form.iter("input")}["version"] == data["version"]
    monkeypatch.undo()
    before = snapshot(ws)
    assert client.post(URL, data={**data, "title": "标题"}).status_code == 409 and snapshot(ws) == before


def test_a_refused_note_keeps_the_version_it_was_typed_on(client, ws, monkeypatch):
    from bulletin.commands import edit

    version = file_version(ws / ISSUE)
    real = edit.set_editor_note

    def refused_while_another_saves(ws_, ref, text, expected_version=None):
        real(ws_, ref, "别人刚保存的按语")
        raise edit.fail("issue.yaml", None, "refused")

    monkeypatch.setattr(edit, "set_editor_note", refused_while_another_saves)
    doc = parse(client.post("/issues/2026-10/note", data={"editor_note": "我的按语", "version": version}).text)
    note_form = next(f for f in doc.iter("form") if f.get("action") == "/issues/2026-10/note")
    assert [i.get("value") for i in note_form.iter("input") if i.get("name") == "version"] == [version]
