"""The issue's pages as printed, in the workbench: `/issues/{year}-{ref}/pages/{n}.png`, made by
LibreOffice on first request and cached by the .docx's hash, with the layout checks on the issue page;
预览暂不可用 when LibreOffice is missing, and the rest of the page works."""
from __future__ import annotations

from web_support import parse, text_of

PNG = b"\x89PNG\r\n\x1a\n"


def test_without_libreoffice_the_page_works_and_says_the_preview_is_unavailable(client, monkeypatch):
    from bulletin.office import launcher

    monkeypatch.setattr(launcher, "find_soffice", lambda: None)
    for url in ("/issues/2026-10", "/issues/2026-10/articles/01-first.md"):
        page = client.get(url)
        assert page.status_code == 200
        preview = next(s for s in parse(page.text).iter("section") if s.get("id") == "preview")
        assert "预览暂不可用" in text_of(preview) and "LibreOffice" in text_of(preview)
        assert list(preview.iter("img")) == [] and preview.get("hx-get") is None  # no broken image, no asking
    image = client.get("/issues/2026-10/pages/1.png")  # an old link to an image says why, too
    assert image.status_code == 503 and "预览暂不可用" in image.text and "LibreOffice" in image.text


def test_the_article_page_shows_the_issue_pages_beside_it(client, monkeypatch):
    from bulletin.office import launcher
    from bulletin.web import issues

    monkeypatch.setattr(launcher, "find_soffice", lambda: None)  # nothing is converted here
    monkeypatch.setattr(issues, "_preview_missing", lambda: "")  # but the page takes it that it could be
    page = parse(client.get("/issues/2026-10/articles/01-first.md").text)
    preview = next(s for s in page.iter("section") if s.get("id") == "preview")
    assert [img.get("src").split("?")[0] for img in preview.iter("img")] == ["/issues/2026-10/pages/1.png"]
    assert preview.get("hx-get") == "/issues/2026-10/articles/01-first.md?poll=1"


def test_pages_are_made_once_and_the_issue_page_then_shows_them_with_the_checks(client, ws, soffice, monkeypatch):
    first = client.get("/issues/2026-10/pages/1.png")
    assert first.status_code == 200 and first.headers["content-type"] == "image/png"
    assert first.content.startswith(PNG)
    # the image is served as soon as the pages are made; the layout is measured meanwhile
    client.app.state.previews.settle(timeout=300)

    from bulletin.office import pdf

    def no_second_conversion(*args, **kwargs):
        raise AssertionError("an unchanged issue was converted again")

    monkeypatch.setattr(pdf, "convert", no_second_conversion)
    page = client.get("/issues/2026-10")
    doc = parse(page.text)
    images = [img.get("src") for img in doc.iter() if str(img.tag).endswith("img")]
    version = f"?v={first.headers['etag'].strip(chr(34))[:16]}"  # the .docx's hash names the images
    assert images and images == [f"/issues/2026-10/pages/{n}.png{version}" for n in range(1, len(images) + 1)]
    checks = [text_of(li) for li in doc.iter() if str(li.tag).endswith("li") and li.get("class") in ("passed", "failed")]
    assert checks and all(c.startswith("通过") for c in checks), checks
    last = client.get(f"/issues/2026-10/pages/{len(images)}.png")
    assert last.status_code == 200 and last.content.startswith(PNG)
    assert client.get(f"/issues/2026-10/pages/{len(images) + 1}.png").status_code == 404


def _image_sources(html: str) -> list[str]:
    return [img.get("src") for img in parse(html).iter() if str(img.tag).endswith("img")]


def test_the_page_images_address_names_the_docx_so_a_change_is_never_shown_stale(client, monkeypatch):
    """A browser keeps an image by its address, even when the page is not cached and htmx swaps it
    in again: the address carries the .docx's hash, so after a change the new pages are asked for."""
    from bulletin.office import launcher

    from bulletin.web import issues

    monkeypatch.setattr(launcher, "find_soffice", lambda: None)  # the addresses only; nothing is converted
    monkeypatch.setattr(issues, "_preview_missing", lambda: "")
    before = _image_sources(client.get("/issues/2026-10").text)
    assert len(before) == 1 and before[0].startswith("/issues/2026-10/pages/1.png?v=")
    assert _image_sources(client.get("/issues/2026-10").text) == before  # unchanged issue, same address
    moved = client.post("/issues/2026-10/articles/down", data={"article": "01-first.md"})
    assert moved.status_code == 303
    after = _image_sources(client.get("/issues/2026-10").text)
    assert len(after) == 1 and after[0].startswith("/issues/2026-10/pages/1.png?v=") and after != before
    assert client.get(after[0]).status_code == 503  # the version is ignored by the route: the page as it is now


def test_until_the_pages_are_made_the_preview_asks_again_for_two_minutes_at_most(client, monkeypatch):
    from bulletin.office import launcher

    from bulletin.web import issues

    monkeypatch.setattr(launcher, "find_soffice", lambda: None)  # the pages never come
    monkeypatch.setattr(issues, "_preview_missing", lambda: "")

    def preview(url):
        return next(s for s in parse(client.get(url).text).iter("section") if s.get("id") == "preview")

    first = preview("/issues/2026-10")
    assert first.get("hx-get") == "/issues/2026-10?poll=1" and first.get("hx-trigger") == "every 3s"
    assert first.get("hx-select") == "#preview" and first.get("hx-swap") == "outerHTML"
    assert preview("/issues/2026-10?poll=7").get("hx-get") == "/issues/2026-10?poll=8"
    last = preview("/issues/2026-10?poll=40")
    assert last.get("hx-get") is None and last.get("hx-trigger") is None
    assert "刷新" in text_of(last)  # then the clerk is told to reload
    assert preview("/issues/2026-10?poll=x").get("hx-get") == "/issues/2026-10?poll=1"


def test_why_there_is_no_preview_is_said_in_the_askers_language(client, monkeypatch):
    """The pages are made on the preview queue's own thread; what it says comes back in the language
    of the page that asked (the tests' process speaks English)."""
    from bulletin.office import launcher

    monkeypatch.setattr(launcher, "find_soffice", lambda: None)
    chinese = client.get("/issues/2026-10/pages/1.png")
    assert chinese.status_code == 503 and "未安装" in chinese.text and "is not installed" not in chinese.text
    english = client.get("/issues/2026-10/pages/1.png", headers={"Accept-Language": "en"})
    assert english.status_code == 503 and "is not installed" in english.text
