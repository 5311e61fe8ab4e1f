"""The issue page's 审核与签发 section: the status, the history, the buttons the person may use, and
each button's POST (through web.changes.perform to commands.review / commands.publish)."""
from __future__ import annotations

import warnings

import pytest
from cli_support import snapshot
from web_support import buttons, labelled_controls, parse, text_of

from bulletin.rules.permissions import Actor

ISSUE = "issues/2026/10/issue.yaml"
EDITOR = Actor("王编辑", frozenset({"editor"}))
REVIEWER = Actor("李审核", frozenset({"reviewer"}))
SIGNER = Actor("张签发", frozenset({"signer"}))


def meta(ws):
    from bulletin.store.workspace import Workspace

    w = Workspace(ws)
    return w.load_issue(w.resolve("2026-10"))[0]


def section(r):
    doc = parse(r.text)
    return next(s for s in doc.iter("section") if s.get("id") == "review")


@pytest.fixture
def as_person(ws):
    """A client whose requests are made as `actor` (request.state.actor, as the accounts part sets it)."""
    from bulletin.web.app import create_app

    app = create_app(ws)
    who = {"actor": None}

    async def with_actor(scope, receive, send):
        if scope["type"] == "http" and who["actor"] is not None:
            scope.setdefault("state", {})["actor"] = who["actor"]
        await app(scope, receive, send)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        with TestClient(with_actor, base_url="http://127.0.0.1:8110", raise_server_exceptions=False,
                        follow_redirects=False) as c:
            def client(actor):
                who["actor"] = actor
                return c
            yield client


def test_a_draft_shows_its_status_and_the_local_buttons_in_chinese(client):
    r = client.get("/issues/2026-10")
    s = section(r)
    assert "状态：草稿" in text_of(s)
    assert "编辑：王××　审核：李××　签发：张××" in text_of(s)
    assert buttons(s) == ["送审", "发布"]   # no accounts: publish as before, the review steps in order
    assert ("review-by", "姓名（随步骤记录）") in labelled_controls(s)


def test_the_local_path_records_each_step_with_the_typed_name(client, ws):
    r = client.post("/issues/2026-10/review/submit", data={"by": "王五", "comment": "请审"})
    assert r.status_code == 303 and r.headers["location"] == "/issues/2026-10"
    assert meta(ws).status == "submitted"
    s = section(client.get("/issues/2026-10"))
    assert buttons(s) == ["审核通过", "发布", "退回"]   # the one user may still publish at once
    assert "请审" in text_of(s) and "王五" in text_of(s) and "送审" in text_of(s)
    before = snapshot(ws)
    r = client.post("/issues/2026-10/review/return", data={"comment": "  "})
    assert r.status_code == 422 and "退回" in r.text and snapshot(ws) == before
    assert client.post("/issues/2026-10/review/return", data={"comment": "第二篇数字需核实"}).status_code == 303
    assert meta(ws).status == "draft"
    for step in ("submit", "approve", "sign"):
        assert client.post(f"/issues/2026-10/review/{step}", data={"by": "赵六"}).status_code == 303
    assert meta(ws).status == "signed"
    assert [s.step for s in meta(ws).review] == ["submit", "return", "submit", "approve", "sign"]
    steps = [text_of(td) for td in section(client.get("/issues/2026-10")).iter("td")][1::4]
    assert steps == ["送审", "退回", "送审", "审核通过", "签发"]
    assert "编辑：赵六　审核：赵六　签发：赵六" in text_of(section(client.get("/issues/2026-10")))
    assert client.post("/issues/2026-10/review/publish").status_code == 303
    s = section(client.get("/issues/2026-10"))
    assert meta(ws).status == "published" and "状态：已发布" in text_of(s) and buttons(s) == []


def test_an_unknown_step_is_not_found_and_a_get_changes_nothing(client, ws):
    before = snapshot(ws)
    assert client.post("/issues/2026-10/review/delete").status_code == 404
    assert client.get("/issues/2026-10/review/submit").status_code in (404, 405)
    assert snapshot(ws) == before


def test_each_person_sees_only_their_buttons(as_person, ws):
    assert buttons(section(as_person(EDITOR).get("/issues/2026-10"))) == ["送审"]
    assert buttons(section(as_person(REVIEWER).get("/issues/2026-10"))) == []
    assert "review-by" not in as_person(EDITOR).get("/issues/2026-10").text   # the account's name is recorded
    assert as_person(EDITOR).post("/issues/2026-10/review/submit", data={"by": "冒名"}).status_code == 303
    assert meta(ws).review[-1].by == "王编辑"
    assert buttons(section(as_person(REVIEWER).get("/issues/2026-10"))) == ["审核通过", "退回"]
    assert buttons(section(as_person(SIGNER).get("/issues/2026-10"))) == ["退回"]


def test_a_forbidden_step_is_a_chinese_403_and_changes_nothing(as_person, ws):
    before = snapshot(ws)
    r = as_person(EDITOR).post("/issues/2026-10/review/approve")
    assert r.status_code == 403 and "审核" in r.text and "禁止" in r.text
    r = as_person(EDITOR).post("/issues/2026-10/review/publish")
    assert r.status_code == 403
    assert snapshot(ws) == before


def test_the_signer_publishes_a_signed_issue(as_person, ws):
    as_person(EDITOR).post("/issues/2026-10/review/submit")
    as_person(REVIEWER).post("/issues/2026-10/review/approve")
    as_person(SIGNER).post("/issues/2026-10/review/sign", data={"comment": "同意印发"})
    assert buttons(section(as_person(SIGNER).get("/issues/2026-10"))) == ["发布", "退回"]
    r = as_person(SIGNER).post("/issues/2026-10/review/publish")
    assert r.status_code == 303, r.text[-2000:]
    assert meta(ws).status == "published"
    s = section(as_person(SIGNER).get("/issues/2026-10"))
    assert "已发布" in text_of(s) and buttons(s) == []
    assert "编辑：王编辑　审核：李审核　签发：张签发" in text_of(s)


def test_an_edit_on_the_page_sends_a_submitted_issue_back_and_the_history_says_so(client, ws):
    client.post("/issues/2026-10/review/submit", data={"by": "王五"})
    assert client.post("/issues/2026-10/note", data={"editor_note": "新按语"}).status_code == 303
    assert meta(ws).status == "draft"
    s = section(client.get("/issues/2026-10"))
    assert "状态：草稿" in text_of(s) and "已修改，退回草稿" in text_of(s)


def test_a_signed_issue_refuses_an_edit_on_the_page_in_chinese(client, ws):
    for step in ("submit", "approve", "sign"):
        client.post(f"/issues/2026-10/review/{step}")
    before = snapshot(ws)
    r = client.post("/issues/2026-10/note", data={"editor_note": "改"})
    assert r.status_code == 422 and "已签发，不能修改" in r.text and "须由签发人先退回" in r.text
    assert snapshot(ws) == before
