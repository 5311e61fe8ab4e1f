"""信息报送 on the web: /submit for a submitting unit, /inbox for the editors, /stats, the marks on the
article page and the read-only published issues: what each person sees, what each may do (and that a
refused request writes nothing), the form tokens, and the messages beside the fields for bad input."""
from __future__ import annotations

import datetime as dt
import io
import re
import warnings

import pytest
from cli_support import ok, run, snapshot as snapshot_all
from web_support import form_token, parse, text_of

PASSWORD = "correct horse battery"
TAX = "市税务局"          # an article's source in the test workspace: a unit
OFFICE = "市委办公室"      # a recipient of the test workspace: a unit
SUBMITTER = ("李华", "submitter", TAX)
OTHER = ("赵敏", "submitter", OFFICE)
EDITOR = ("王编辑", "editor", "")
REVIEWER = ("李审核", "reviewer", "")


def snapshot(ws) -> dict:
    """The workspace's files, less its private folder (a sign-in writes the accounts' database)."""
    return {k: v for k, v in snapshot_all(ws).items() if not k.startswith(".bulletin/")}


def docx_bytes(title: str, *paragraphs: str) -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph().add_run(title).bold = True
    for text in paragraphs:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def draft(ws):
    """A second issue, 2026-11, a draft (2026-10 is published by the tests that need it)."""
    from bulletin.commands.new import new_issue
    from bulletin.store.workspace import Workspace

    new_issue(Workspace(ws), dt.date(2026, 12, 1), "regular", "")
    return "2026-11"


@pytest.fixture
def published(ws):
    """2026-10 published (before the accounts exist: the one user publishes without a review)."""
    from bulletin.commands.publish import publish
    from bulletin.store.workspace import Workspace

    publish(Workspace(ws), "10")
    return "2026-10"


@pytest.fixture
def small_cap(ws):
    """[workbench] max_file_mb = 1 (read when the app is made: before `as_person`)."""
    with open(ws / "bulletin.toml", "a", encoding="utf-8") as f:
        f.write("\n[workbench]\nmax_file_mb = 1\n")


@pytest.fixture
def as_person(ws, monkeypatch):
    """`as_person(who)`: a client signed in as that account (created with its role and unit)."""
    from argon2 import PasswordHasher

    from bulletin.accounts import store as accounts
    from bulletin.store.workspace import Workspace
    from bulletin.web.app import create_app

    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))
    people = accounts.AccountStore(Workspace(ws))
    for name, role, unit in (SUBMITTER, OTHER, EDITOR, REVIEWER):
        people.add(name, frozenset({role}), PASSWORD, unit=unit)
    current = {"name": None}

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        with TestClient(create_app(ws), base_url="http://127.0.0.1:8110", raise_server_exceptions=False,
                        follow_redirects=False) as c:
            def client(who):
                if current["name"] != who[0]:
                    c.cookies.clear()
                    r = c.post("/login", data={"name": who[0], "password": PASSWORD},
                               headers={"X-CSRF-Token": form_token(ws)})
                    assert r.status_code == 303, r.text
                    c.headers["X-CSRF-Token"] = form_token(ws, c.cookies["bulletin_session"])
                    current["name"] = who[0]
                return c
            yield client


def send_text(client, title="我局开展税费政策宣传月活动", text="十月以来，我局开展税费政策宣传月活动。\n\n共举办宣讲会十二场。"):
    r = client.post("/submit", data={"title": title, "text": text}, files={"file": ("", b"")})
    assert r.status_code == 303, r.text
    ref = re.search(r"sent=([^&]+)", r.headers["location"]).group(1)
    return ref


def send_file(client, name="宣传月.docx", data=None):
    data = data if data is not None else docx_bytes("我局推进电子税务局建设", "全市电子税务局上线运行。")
    return client.post("/submit", files={"file": (name, data)})


def error_beside(r, control_id: str) -> str:
    """The message shown beside the control `control_id` (its aria-describedby names it)."""
    doc = parse(r.text)
    control = next(n for n in doc.iter() if n.get("id") == control_id)
    assert control.get("aria-invalid") == "true"
    described = control.get("aria-describedby")
    return text_of(next(n for n in doc.iter() if n.get("id") == described))


# --- the submitter --------------------------------------------------------------------------------

def test_a_submitter_writes_an_item_and_sees_it_waiting_with_only_the_submit_and_published_pages(as_person, ws):
    c = as_person(SUBMITTER)
    assert c.get("/").headers["location"] == "/submit"
    ref = send_text(c)
    page = c.get(f"/submit?sent={ref}")
    assert page.status_code == 200
    doc = parse(page.text)
    nav = [a.get("href") for a in doc.find(".//nav").iter("a")]
    assert nav == ["/submit", "/published"]
    rows = [text_of(tr) for tr in doc.find(".//section[@id='sent-items']").iter("tr")][1:]
    assert len(rows) == 1 and "我局开展税费政策宣传月活动" in rows[0] and ref in rows[0]
    folder = next((ws / "submissions").glob("*/*"))
    assert TAX in folder.name and (folder / "item.yaml").is_file()


def test_a_submitter_uploads_a_word_file(as_person, ws):
    c = as_person(SUBMITTER)
    r = send_file(c)
    assert r.status_code == 303, r.text
    folder = next((ws / "submissions").glob("*/*"))
    assert (folder / "original.docx").is_file()
    assert "我局推进电子税务局建设" in c.get("/submit").text


@pytest.mark.parametrize("language, words", [("en", ("title", "text")), ("zh-CN", ("标题", "正文"))])
def test_an_empty_item_is_refused_beside_both_fields_and_nothing_is_written(as_person, ws, language, words):
    c = as_person(SUBMITTER)
    before = snapshot(ws)
    r = c.post("/submit", data={"title": "  ", "text": "\n"}, files={"file": ("", b"")},
               headers={"Accept-Language": language})
    assert r.status_code == 422
    assert words[0] in error_beside(r, "send-title")
    assert words[1] in error_beside(r, "send-body")
    assert snapshot(ws) == before


def test_a_file_that_is_not_word_or_text_is_refused_beside_the_file_field(as_person, ws):
    c = as_person(SUBMITTER)
    before = snapshot(ws)
    r = send_file(c, "报表.pdf", b"%PDF-1.4 ...")
    assert r.status_code == 422
    message = error_beside(r, "send-file-input")
    assert "报表.pdf" in message and ".docx" in message and ".txt" in message
    assert snapshot(ws) == before


def test_an_oversized_file_is_refused_beside_the_file_field(small_cap, as_person, ws):
    c = as_person(SUBMITTER)
    before = snapshot(ws)
    r = send_file(c, "大文件.docx", b"x" * (1024 * 1024 + 10))
    assert r.status_code == 413
    message = error_beside(r, "send-file-input")
    assert "大文件.docx" in message and "1 MB" in message
    assert snapshot(ws) == before


def test_a_submitter_sees_no_other_units_items(as_person, ws):
    ref = send_text(as_person(OTHER), title="市委办公室的信息")
    c = as_person(SUBMITTER)
    assert "市委办公室的信息" not in c.get("/submit").text
    assert c.get(f"/submissions/{ref}").status_code == 404
    assert c.get(f"/submissions/{ref}/original").status_code == 404
    assert as_person(OTHER).get(f"/submissions/{ref}").status_code == 200


def test_a_submitter_sees_no_unpublished_issue_and_no_workbench_page_and_changes_nothing(as_person, ws, draft):
    ref = send_text(as_person(SUBMITTER))
    c = as_person(SUBMITTER)
    before = snapshot(ws)
    assert c.get("/published/2026-10/").status_code == 404      # a draft: as if it did not exist
    assert "2026-10" not in c.get("/published").text
    for url in ("/issues/2026-10", "/issues/2026-10/issue.docx", "/issues/2026-10/articles/01-first.md",
                "/inbox", "/stats", "/stats/chart.png", "/stats/circular.docx", "/recipients", "/accounts",
                "/issues/2026-10/history"):
        assert c.get(url).status_code in (403, 404), url
    for url, data in ((f"/inbox/{ref}/adopt", {"issue": draft}), (f"/inbox/{ref}/return", {"reason": "自己退回"}),
                      ("/issues/2026-10/note", {"editor_note": "改了"}), ("/issues", {"date": "2026-12-01"}),
                      ("/issues/2026-10/articles/01-first.md/marks", {"kind": "instruction", "by": "张市长",
                                                                       "date": "2026-11-20"})):
        assert c.post(url, data=data).status_code in (403, 404), url
    assert snapshot(ws) == before


def test_a_submitter_reads_a_published_issue_as_its_web_edition(published, as_person, ws):
    c = as_person(SUBMITTER)
    listed = c.get("/published")
    assert 'href="/published/2026-10/"' in listed.text
    page = c.get("/published/2026-10/")
    assert page.status_code == 200 and "我市深化政务公开工作取得新成效" in page.text
    assert "<form" not in page.text
    assert c.get("/published/2026-10/bulletin.css").status_code == 200
    assert c.get("/published/2026-10/../../bulletin.toml").status_code in (403, 404)
    assert c.get("/published/2026-10/%2e%2e/%2e%2e/bulletin.toml").status_code == 404   # only the edition's own files


def test_an_editor_cannot_send_as_a_unit(as_person, ws):
    c = as_person(EDITOR)
    before = snapshot(ws)
    assert c.get("/submit").status_code == 403
    assert c.post("/submit", data={"title": "编辑冒充", "text": "正文"}, files={"file": ("", b"")}).status_code == 403
    assert snapshot(ws) == before
    nav = [a.get("href") for a in parse(c.get("/").text).find(".//nav").iter("a")]
    assert "/submit" not in nav and "/inbox" in nav and "/stats" in nav


def test_every_form_carries_the_form_token_and_a_post_without_it_is_refused(as_person, ws, draft):
    ref = send_text(as_person(SUBMITTER))
    pages = {SUBMITTER: ["/submit", f"/submissions/{ref}"],
             EDITOR: ["/inbox", "/stats", "/issues/2026-10/articles/02-second.md"]}
    for who, urls in pages.items():
        c = as_person(who)
        token = c.headers["X-CSRF-Token"]
        for url in urls:
            doc = parse(c.get(url).text)
            for form in doc.iter("form"):
                if form.get("method") == "post":
                    first = form.find(".//input")
                    assert first.get("name") == "csrf_token" and first.get("value") == token, (url, form.get("action"))
    c = as_person(SUBMITTER)
    before = snapshot(ws)
    r = c.post("/submit", data={"title": "无令牌", "text": "正文"}, files={"file": ("", b"")},
               headers={"X-CSRF-Token": ""})
    assert r.status_code == 403
    assert snapshot(ws) == before


# --- the editors' inbox ------------------------------------------------------------------------------

def test_the_inbox_shows_each_item_with_its_unit_and_print_preview_and_the_decisions(as_person, ws, draft):
    ref = send_text(as_person(SUBMITTER))
    c = as_person(EDITOR)
    page = c.get("/inbox")
    assert page.status_code == 200
    item = next(n for n in parse(page.text).iter("article") if n.get("id") == f"item-{ref}")
    text = text_of(item)
    assert TAX in text and "共举办宣讲会十二场" in text
    options = [o.get("value") for o in item.iter("option")]
    assert draft in options and "2026-10" in options          # the draft issues to adopt into
    assert any(v.startswith("2026-10/") for v in options)    # the roundup articles to combine into


def test_returning_needs_a_reason_beside_the_field(as_person, ws, draft):
    ref = send_text(as_person(SUBMITTER))
    c = as_person(EDITOR)
    before = snapshot(ws)
    r = c.post(f"/inbox/{ref}/return", data={"reason": "   "})
    assert r.status_code == 422
    assert "原因" in error_beside(r, f"reason-{ref}") or "退回" in error_beside(r, f"reason-{ref}")
    assert snapshot(ws) == before


def test_adopt_and_return_show_to_the_unit_and_undo_takes_the_article_out(as_person, ws, draft):
    first = send_text(as_person(SUBMITTER))
    second = send_text(as_person(SUBMITTER), title="数据有误的信息", text="数据待核实。")
    c = as_person(EDITOR)
    r = c.post(f"/inbox/{first}/adopt", data={"issue": draft})
    assert r.status_code == 303, r.text
    r = c.post(f"/inbox/{second}/return", data={"reason": "数据需核实后重报"})
    assert r.status_code == 303, r.text
    folder = ws / "issues/2026/11"
    adopted = [p for p in folder.glob("*.md") if "我局开展税费政策宣传月活动" in p.read_text(encoding="utf-8")]
    assert len(adopted) == 1 and f"source: {TAX}" in adopted[0].read_text(encoding="utf-8")
    mine = as_person(SUBMITTER).get("/submit").text
    assert "数据需核实后重报" in mine and "2026" in mine
    decided = parse(as_person(EDITOR).get("/inbox").text).find(".//section[@id='decided-items']")
    assert "王编辑" in text_of(decided)
    c = as_person(EDITOR)
    assert c.post(f"/inbox/{first}/undo").status_code == 303
    assert not [p for p in folder.glob("*.md") if "我局开展税费政策宣传月活动" in p.read_text(encoding="utf-8")]
    page = c.get("/inbox")
    item = next(n for n in parse(page.text).iter("article") if n.get("id") == f"item-{first}")
    assert item is not None   # waiting again


def test_a_reviewer_sees_the_inbox_but_decides_nothing(as_person, ws, draft):
    ref = send_text(as_person(SUBMITTER))
    c = as_person(REVIEWER)
    page = c.get("/inbox")
    assert page.status_code == 200 and "<form" not in str(parse(page.text).find(".//section[@id='open-items']"))
    before = snapshot(ws)
    assert c.post(f"/inbox/{ref}/adopt", data={"issue": draft}).status_code == 403
    assert snapshot(ws) == before


# --- statistics ------------------------------------------------------------------------------------

def test_the_stats_page_lists_every_unit_with_the_chart_and_the_downloads(as_person, ws, draft):
    c = as_person(EDITOR)
    page = c.get("/stats?period=2026Q4")
    assert page.status_code == 200
    doc = parse(page.text)
    units = [text_of(th) for th in doc.find(".//table[@class='scores']/tbody").iter("th")]
    assert TAX in units and OFFICE in units           # units that sent nothing are listed too
    img = doc.find(".//img[@class='chart']")
    assert img.get("src") == "/stats/chart.png?period=2026Q4" and img.get("alt")
    chart = c.get("/stats/chart.png?period=2026Q4")
    assert chart.status_code == 200 and chart.content.startswith(b"\x89PNG")
    assert c.get("/stats?period=2026Q5").status_code == 422


def test_the_circular_and_the_csv_are_byte_for_byte_the_clis(as_person, ws, draft, tmp_path):
    c = as_person(EDITOR)
    docx = c.get("/stats/circular.docx?period=2026Q4")
    csv = c.get("/stats/scores.csv?period=2026Q4")
    assert docx.status_code == 200 and csv.status_code == 200
    ok(run("stats", "--quarter", "2026Q4", "--docx", str(tmp_path / "通报.docx"), "--csv", str(tmp_path / "s.csv"),
           workspace=ws))
    assert docx.content == (tmp_path / "通报.docx").read_bytes()
    assert csv.content == (tmp_path / "s.csv").read_bytes()


# --- marks on the article page -----------------------------------------------------------------------

def test_an_editor_records_a_leaders_instruction_and_bad_input_is_named_beside_its_field(as_person, ws):
    c = as_person(EDITOR)
    url = "/issues/2026-10/articles/02-second.md"
    before = snapshot(ws)
    r = c.post(f"{url}/marks", data={"kind": "instruction", "by": "", "date": "11月20日"})
    assert r.status_code == 422
    assert error_beside(r, "mark-by") and "YYYY-MM-DD" in error_beside(r, "mark-date")
    assert snapshot(ws) == before
    r = c.post(f"{url}/marks", data={"kind": "instruction", "by": "张市长", "date": "2026-11-21", "note": "请各区学习借鉴"})
    assert r.status_code == 303, r.text
    assert "张市长" in (ws / "issues/2026/10/issue.yaml").read_text(encoding="utf-8")
    assert "张市长" in text_of(parse(c.get(url).text).find(".//section[@id='marks']"))


def test_a_mistaken_mark_is_taken_off_and_a_stale_form_removes_nothing(as_person, ws):
    c = as_person(EDITOR)
    url = "/issues/2026-10/articles/02-second.md"
    for by in ("张市长", "李副市长"):
        assert c.post(f"{url}/marks", data={"kind": "instruction", "by": by, "date": "2026-11-21"}).status_code == 303
    section = parse(c.get(url).text).find(".//section[@id='marks']")
    removes = [f for f in section.iter("form") if f.get("action", "").endswith("/marks/remove")]
    assert len(removes) == 2
    fields = {i.get("name"): i.get("value") for i in removes[0].iter("input") if i.get("type") == "hidden"}
    assert fields["by"] == "张市长" and fields["index"] == "0"
    r = c.post(f"{url}/marks/remove", data=fields)
    assert r.status_code == 303
    yaml_text = (ws / "issues/2026/10/issue.yaml").read_text(encoding="utf-8")
    assert "张市长" not in yaml_text and "李副市长" in yaml_text
    before = snapshot(ws)
    r = c.post(f"{url}/marks/remove", data=fields)   # the same form again: place 0 is now 李副市长's mark
    assert r.status_code == 409 and snapshot(ws) == before
    reviewer = as_person(REVIEWER)
    assert not [f for f in parse(reviewer.get(url).text).iter("form") if f.get("action", "").endswith("/remove")]
    assert reviewer.post(f"{url}/marks/remove", data={"kind": "instruction", "index": "0", "by": "李副市长"}).status_code == 403
    assert snapshot(ws) == before


def test_combine_into_a_new_roundup_then_into_it_and_keep_for_later(as_person, ws, draft):
    first = send_text(as_person(SUBMITTER))
    second = send_text(as_person(OTHER), title="市委办公室督查工作", text="十月以来，开展专项督查三次。")
    third = send_text(as_person(OTHER), title="留待下期的信息", text="下期再用。")
    c = as_person(EDITOR)
    assert c.post(f"/inbox/{first}/combine", data={"target": f"{draft}/"}).status_code == 303
    page = parse(c.get("/inbox").text)
    roundup = next(o.get("value") for o in page.iter("option")
                   if (o.get("value") or "").startswith(f"{draft}/") and o.get("value") != f"{draft}/")
    assert c.post(f"/inbox/{second}/combine", data={"target": roundup}).status_code == 303
    text = (ws / "issues/2026/11" / roundup.split("/", 1)[1]).read_text(encoding="utf-8")
    assert f"**{TAX}：**" in text and f"**{OFFICE}：**" in text      # each part credited to its unit
    assert c.post(f"/inbox/{third}/keep").status_code == 303
    item = next(n for n in parse(c.get("/inbox").text).iter("article") if n.get("id") == f"item-{third}")
    assert "留用" in text_of(item) and "撤销" in text_of(item)        # kept: still open, and undoable
    assert "综合采用" in as_person(SUBMITTER).get("/submit").text


def test_without_accounts_the_one_user_sends_for_a_chosen_unit(client, ws):
    page = parse(client.get("/submit").text)
    assert TAX in [o.get("value") for o in page.iter("option")]
    r = client.post("/submit", data={"title": "本地报送", "text": "正文。"}, files={"file": ("", b"")})
    assert r.status_code == 422 and "报送单位" in error_beside(r, "send-unit-text")   # which unit it comes from
    r = client.post("/submit", data={"unit": TAX, "title": "本地报送", "text": "正文。"}, files={"file": ("", b"")})
    assert r.status_code == 303
    assert "本地报送" in client.get("/inbox").text
    ref = next(a.get("id")[len("item-"):] for a in parse(client.get("/inbox").text).iter("article")
               if (a.get("id") or "").startswith("item-"))
    assert client.post(f"/inbox/{ref}/return", data={"reason": "请补充数据"}).status_code == 303
    decided = parse(client.get("/inbox").text).find(".//section[@id='decided-items']")
    said = text_of(decided)
    assert "请补充数据" in said and "，20" not in said   # no one's name to show: the time alone, no stray comma


def test_the_pages_speak_english_when_the_browser_asks(as_person, ws, draft):
    send_text(as_person(SUBMITTER))
    english = {"Accept-Language": "en"}
    assert "Items sent" in as_person(SUBMITTER).get("/submit", headers=english).text
    c = as_person(EDITOR)
    assert "Waiting for a decision" in c.get("/inbox", headers=english).text
    stats = c.get("/stats?period=2026Q4", headers=english).text
    assert "points" in stats and "2026 quarter 4" in stats


def test_without_accounts_a_unit_that_is_not_one_is_named_beside_the_field(client, ws):
    before = snapshot(ws)
    r = client.post("/submit", data={"unit": "不存在的局", "title": "标题", "text": "正文。"}, files={"file": ("", b"")})
    assert r.status_code == 422 and "不存在的局" in error_beside(r, "send-unit-text")
    assert snapshot(ws) == before
