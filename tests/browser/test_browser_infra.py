"""The browser test machinery can fail: axe finds the violations planted in a page and none in a clean
one, and a screenshot is a PNG of the whole page."""
from __future__ import annotations

import struct
from pathlib import Path

from browser_support import SCREENSHOTS, axe_violations, format_violations, screenshot

# A small picture inside the page (a red rectangle): no file beside it, no request anywhere.
PICTURE = ("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='80' height='60'%3E"
           "%3Crect width='80' height='60' fill='%23c00000'/%3E%3C/svg%3E")

ACCESSIBLE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>政务公开工作简报 第10期</title>
<style>body { color: #1a1a1a; background: #ffffff; font-size: 16px; } h1 { color: #b00000; }</style>
</head>
<body>
<header><p>政务公开工作简报</p></header>
<main>
  <h1>政务公开工作简报</h1>
  <h2>本期要目</h2>
  <p>县政府办公室召开政务公开工作推进会。</p>
  <h3>一、基本情况</h3>
  <figure>
    <img src="{picture}" width="80" height="60" alt="推进会现场">
    <figcaption>推进会现场</figcaption>
  </figure>
  <form><label for="q">搜索</label> <input id="q" type="search" name="q"></form>
</main>
<footer><p>县政府办公室编印</p></footer>
</body>
</html>
""".replace("{picture}", PICTURE)

INACCESSIBLE = """<!DOCTYPE html>
<html lang="zh-CN">
<head><meta charset="utf-8"><title>有问题的页面</title></head>
<body>
<main>
  <h1>有问题的页面</h1>
  <img src="{picture}" width="80" height="60">
  <form><input id="q" type="text" name="q"></form>
  <p style="color: #cccccc; background: #ffffff">浅灰色的字，看不清楚。</p>
</main>
</body>
</html>
""".replace("{picture}", PICTURE)


def _page(tmp_path: Path, name: str, html: str) -> Path:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return path


def test_accessible_page_has_no_violations(chromium_page, tmp_path):
    found = axe_violations(chromium_page, _page(tmp_path, "good.html", ACCESSIBLE))
    assert found == [], format_violations(found)


def test_planted_violations_are_found(chromium_page, tmp_path):
    found = axe_violations(chromium_page, _page(tmp_path, "bad.html", INACCESSIBLE).as_uri())
    ids = {v["id"] for v in found}
    assert {"image-alt", "label", "color-contrast"} <= ids, format_violations(found)
    for v in found:
        assert v["impact"] in ("serious", "critical")
        assert v["help"] and v["nodes"] and all(n["target"] for n in v["nodes"])
    by_id = {v["id"]: v for v in found}
    assert by_id["image-alt"]["nodes"][0]["html"].startswith("<img")
    assert by_id["label"]["nodes"][0]["target"] == ["#q"]


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def test_screenshot_is_the_whole_page(chromium_page, tmp_path):
    tall = ACCESSIBLE.replace("</main>", '<div style="height: 2000px">（以下空白）</div></main>')
    url = _page(tmp_path, "tall.html", tall)
    path = screenshot(chromium_page, url, "infra-tall-page")
    assert path == SCREENSHOTS / "infra-tall-page.png" and path.is_file()
    width, height = chromium_page.evaluate(
        "[document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
    assert height > 2000  # more than one 900-pixel viewport: the whole page, not the visible part
    assert _png_size(path) == (width, height) == (1280, height)


def test_page_speaks_chinese_at_1280_by_900(chromium_page):
    assert chromium_page.viewport_size == {"width": 1280, "height": 900}
    assert chromium_page.evaluate("navigator.language") == "zh-CN"
