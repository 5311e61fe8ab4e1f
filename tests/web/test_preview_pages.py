"""The issue's pages as printed, in the workbench: `/issues/{year}-{ref}/pages/{n}.png`, made by
LibreOffice on first request and cached by the .docx's hash, with the layout checks on the issue page;
预览暂不可用 when LibreOffice is missing, and the rest of the page works."""
from __future__ import annotations

from web_support import parse, text_of

PNG = b"\x89PNG\r\n\x1a\n"


def test_without_libreoffice_the_page_works_and_the_image_says_the_preview_is_unavailable(client, monkeypatch):
    from bulletin.office import launcher

    monkeypatch.setattr(launcher, "find_soffice", lambda: None)
    page = client.get("/issues/2026-10")
    assert page.status_code == 200
    images = [img.get("src") for img in parse(page.text).iter("{http://www.w3.org/1999/xhtml}img")] or \
        [img.get("src") for img in parse(page.text).iter("img")]
    assert [src.split("?")[0] for src in images] == ["/issues/2026-10/pages/1.png"]  # the first image asks for
    # the preview, the page does not wait
    image = client.get("/issues/2026-10/pages/1.png")
    assert image.status_code == 503 and "预览暂不可用" in image.text and "LibreOffice" in image.text


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

    monkeypatch.setattr(launcher, "find_soffice", lambda: None)  # the addresses only; nothing is converted
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

    monkeypatch.setattr(launcher, "find_soffice", lambda: None)  # the pages never come

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
