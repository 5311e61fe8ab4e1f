"""The workbench and a published issue's recorded distribution: the 收发名录 may change under it, the
issue page, the home page's 共印 and the register downloads keep what it printed."""
from __future__ import annotations

from cli_support import snapshot
from web_support import parse, text_of

PAGE = "/issues/2026-10"


def test_the_directory_changes_and_a_published_issue_shows_and_prints_what_it_printed(client, ws):
    from bulletin.commands.publish import publish
    from bulletin.store.workspace import Workspace

    publish(Workspace(ws), "10")
    register = client.get(f"{PAGE}/register.csv").content
    docx = client.get(f"{PAGE}/register.docx").content
    for url, data in (("/recipients/edit", {"id": "shiwei", "name": "中共××市委办公室", "role": "报", "copies": "3"}),
                      ("/recipients/lists/members", {"list": "default", "members": ["shiwei", "districts"]}),
                      ("/recipients/remove", {"id": "renda"})):
        assert client.post(url, data=data).status_code == 303, url
    assert "renda" not in (ws / "recipients.yaml").read_text(encoding="utf-8")
    before = snapshot(ws)
    page = client.get(PAGE)
    assert page.status_code == 200
    part = parse(page.text).find(".//section[@id='distribution']")
    text = text_of(part)
    assert "市委办公室" in text and "中共××市委办公室" not in text and "市人大常委会办公室" in text
    assert "本期按发布时记录的分发范围印制" in text
    assert text_of(part.find(".//th[@id='copies']")) == "20"
    assert part.find(".//form") is None  # nothing to change on a published issue
    assert client.get(f"{PAGE}/register.csv").content == register
    assert client.get(f"{PAGE}/register.docx").content == docx
    row = next(tr for tr in parse(client.get("/").text).iter("tr") if "第10期" in text_of(tr))
    assert text_of(list(row.iter("td"))[-1]) == "20"  # 共印 on the home page
    assert snapshot(ws) == before  # looking writes nothing
