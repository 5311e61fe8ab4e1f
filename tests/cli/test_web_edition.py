"""The web edition (`render --html`) and the archive (`bulletin site`): strict HTML5, links that stay
in the folder, what may go public, determinism, and the same words as the .docx."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from urllib.parse import unquote, urlsplit

import html5lib
import pytest
from cli_support import ok, run
from examples.generate import article_file, png, write_workspace

ATOM = "{http://www.w3.org/2005/Atom}"
XHTML = "{http://www.w3.org/1999/xhtml}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

BODY_1 = """
今年以来，我市坚持以公开促落实，持续深化**“一网通办”**改革，政务服务满意度稳步提升。

# 加强组织领导

成立工作专班，明确责任分工。

## 明确责任

各单位主要负责同志亲自抓。

![授牌仪式现场](photo.png)

| 单位 | 事项 | 完成率 |
|---|:---:|---:|
| 市税务局 | 政策解读 | 98% |
| 市数据局 | 数据开放 | 95% |

### 细化清单

#### 落实到人

按月通报进展。
"""
BODY_2 = "市税务局聚焦经营主体关切，以税费优惠政策公开为重点，推动各项政策直达快享。"
BODY_3 = "××区政务服务中心打造“家门口”政务公开服务体系，群众办事更便捷。"
# recipients of the default list (tests/examples/generate.py) as printed in the tail
RECIPIENT_NAMES = ("市委办公室", "各区人民政府")


def issue_yaml(number: int, total: int, date: str, status: str, articles: list[str], marking: str = "") -> str:
    listing = "".join(f"  - {a}\n" for a in articles)
    mark = f'marking: "{marking}"\n' if marking else ""
    return (f"number: {number}\ntotal: {total}\ndate: {date}\nkind: regular\nstatus: {status}\n{mark}"
            f"editor_note: 本期刊发一组政务公开工作经验，供各地各部门学习借鉴。\narticles:\n{listing}"
            "distribution:\n  lists: [default]\n"
            'people: { editor: "王××", reviewer: "李××", signer: "张××" }\n')


def make_workspace(root: Path, web: str = "") -> Path:
    """Issue 2026-10 published and public (pictures, a table, headings, columns, a source), 2026-11
    published but marked 秘密★1年, 2026-12 a draft, and 2025-5 published last year."""
    ws = write_workspace(root, marking="", articles=[
        dict(title="我市深化政务公开工作取得新成效", body=BODY_1, section="工作动态"),
        dict(title="市税务局推进税费政策公开", body=BODY_2, source="市税务局", section="工作动态"),
        dict(title="××区打造“家门口”政务公开服务体系", body=BODY_3, source="××区政务服务中心", section="经验交流"),
    ], pictures={"photo.png": png(400, 300, 96)})
    if web:
        with (ws / "bulletin.toml").open("a", encoding="utf-8") as handle:
            handle.write("\n[web]\n" + web + "\n")
    folder = ws / "issues/2026/10"
    names = sorted(p.name for p in folder.glob("*.md"))
    (folder / "issue.yaml").write_text(issue_yaml(10, 30, "2026-11-20", "published", names), encoding="utf-8")
    for number, total, status, marking, title in ((11, 31, "published", "秘密★1年", "秘密会议纪要要点"),
                                                  (12, 32, "draft", "", "尚未发布的草稿文章")):
        other = ws / f"issues/2026/{number}"
        other.mkdir(parents=True)
        (other / "01-a.md").write_text(article_file(title, BODY_2, source="市数据局"), encoding="utf-8")
        (other / "issue.yaml").write_text(issue_yaml(number, total, f"2026-12-{number}", status, ["01-a.md"], marking),
                                          encoding="utf-8")
    last = ws / "issues/2025/05"
    last.mkdir(parents=True)
    (last / "01-a.md").write_text(article_file("去年的政务公开工作总结", BODY_3, source="市税务局"), encoding="utf-8")
    (last / "issue.yaml").write_text(issue_yaml(5, 25, "2025-06-01", "published", ["01-a.md"]), encoding="utf-8")
    toml = (ws / "bulletin.toml").read_text(encoding="utf-8")
    (ws / "bulletin.toml").write_text(toml.replace("first = { year = 2026, number = 10, total = 30 }",
                                                   "first = { year = 2025, number = 5, total = 25 }"), encoding="utf-8")
    return ws


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    root = tmp_path_factory.mktemp("site")
    ws = make_workspace(root / "ws")
    done = ok(run("site", "-o", root / "out", workspace=ws))
    return ws, root / "out", done


def parse(path: Path):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        return parser.parse(path.read_bytes())
    except html5lib.html5parser.ParseError as exc:
        pytest.fail(f"{path}: {exc}; errors: {parser.errors}")


def pages(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.html"))


def test_every_page_is_strict_html5_in_chinese(archive):
    _ws, out, _done = archive
    assert pages(out)
    for path in pages(out):
        tree = parse(path)
        assert tree.get("lang") == "zh-CN", path
        assert tree.find("head/meta").get("charset") == "utf-8", path
        for landmark in ("header", "main", "footer"):
            assert tree.find(f".//{landmark}") is not None, (path, landmark)


def test_every_link_resolves_inside_the_folder(archive):
    _ws, out, _done = archive
    checked = 0
    for path in pages(out):
        for element in parse(path).iter():
            for attribute in ("href", "src"):
                ref = element.get(attribute)
                if ref is None:
                    continue
                assert not re.match(r"^(?:[a-z][a-z0-9+.-]*:|//)", ref, re.I), f"{path}: {ref} leaves the folder"
                parts = urlsplit(ref)
                target = (path.parent / unquote(parts.path)).resolve() if parts.path else path.resolve()
                assert target.is_file(), f"{path}: {ref} → {target} is missing"
                assert out.resolve() in target.parents, f"{path}: {ref} points outside the archive"
                if parts.fragment and target.suffix == ".html":
                    ids = {e.get("id") for e in parse(target).iter()}
                    assert parts.fragment in ids, f"{path}: {ref}: no id {parts.fragment!r}"
                checked += 1
    assert checked > 20
    for path in out.rglob("*"):
        if path.suffix in (".html", ".js", ".css"):
            text = path.read_text(encoding="utf-8")
            assert "http://" not in text and "https://" not in text, path
            assert "@import" not in text and "url(" not in text, path


def test_the_feed_is_atom_with_tag_ids_and_relative_links(archive):
    _ws, out, _done = archive
    feed = ET.parse(out / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}updated") for e in entries] == ["2026-11-20T00:00:00+08:00", "2025-06-01T00:00:00+08:00"]
    ids = [feed.findtext(f"{ATOM}id")] + [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for id_ in ids:
        assert re.fullmatch(r"tag:[a-z0-9-]+(?:\.[a-z0-9-]+)*,\d{4}:[\w./-]+", id_), id_
    assert feed.findtext(f"{ATOM}updated") == "2026-11-20T00:00:00+08:00"  # the newest issue, not the clock
    for link in feed.iter(f"{ATOM}link"):
        href = link.get("href")
        assert "//" not in href and (out / href).is_file(), href
    for entry in entries:
        assert entry.findtext(f"{ATOM}title") and entry.find(f"{ATOM}link") is not None


def test_internal_and_unpublished_issues_are_left_out_and_named(archive):
    _ws, out, done = archive
    assert sorted(p.name for p in (out / "issues").iterdir()) == ["2025-5", "2026-10"]
    assert "2026-11" in done.stderr and "秘密★1年" in done.stderr
    assert "2026-12" in done.stderr and "not published" in done.stderr
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert "秘密会议纪要要点" not in text and "尚未发布的草稿文章" not in text, path


def test_a_series_marking_keeps_every_issue_internal_unless_web_public(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    toml = (ws / "bulletin.toml").read_text(encoding="utf-8")
    (ws / "bulletin.toml").write_text(toml.replace('marking = ""', 'marking = "内部资料　注意保存"'), encoding="utf-8")
    done = ok(run("site", "-o", tmp_path / "out", workspace=ws))
    assert not (tmp_path / "out" / "issues").exists()
    for path in pages(tmp_path / "out"):  # an archive of no issue is still a valid site
        parse(path)
    ET.parse(tmp_path / "out" / "feed.xml")
    assert "2026-10" in done.stderr and "内部资料" in done.stderr
    with (ws / "bulletin.toml").open("a", encoding="utf-8") as handle:
        handle.write("\n[web]\npublic = true\n")
    ok(run("site", "-o", tmp_path / "out", workspace=ws))
    assert sorted(p.name for p in (tmp_path / "out" / "issues").iterdir()) == ["2025-5", "2026-10", "2026-11"]


def test_no_distribution_names_or_copies_unless_asked(archive, tmp_path):
    ws, out, _done = archive
    for path in out.rglob("*"):
        if path.is_file() and path.suffix in (".html", ".js", ".xml"):
            text = path.read_text(encoding="utf-8")
            assert "共印" not in text and not any(name in text for name in RECIPIENT_NAMES), path
            assert "报：" not in text and "送：" not in text, path
    page = (out / "issues/2026-10/index.html").read_text(encoding="utf-8")
    assert "编辑：王××" in page  # the people line is not a distribution
    shown = make_workspace(tmp_path / "ws", web="show_distribution = true")
    ok(run("render", "10", "--html", "-o", tmp_path / "web", workspace=shown))
    text = (tmp_path / "web" / "index.html").read_text(encoding="utf-8")
    assert "共印" in text and all(name in text for name in RECIPIENT_NAMES)


def test_the_same_sources_give_the_same_bytes(archive, tmp_path):
    ws, out, _done = archive
    ok(run("site", "-o", tmp_path / "again", workspace=ws))
    first = {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    second = {p.relative_to(tmp_path / "again").as_posix(): p.read_bytes()
              for p in (tmp_path / "again").rglob("*") if p.is_file()}
    assert first == second


def test_year_option_and_a_rebuild_removes_what_it_no_longer_makes(archive, tmp_path):
    ws, _out, _done = archive
    ok(run("site", "-o", tmp_path / "out", workspace=ws))
    assert (tmp_path / "out/issues/2025-5/index.html").is_file()
    ok(run("site", "--year", "2026", "-o", tmp_path / "out", workspace=ws))
    assert not (tmp_path / "out/issues/2025-5").exists() or not any((tmp_path / "out/issues/2025-5").iterdir())
    index = (tmp_path / "out/index.html").read_text(encoding="utf-8")
    assert "2026年" in index and "去年的政务公开工作总结" not in index


def test_site_refuses_a_folder_holding_other_files(archive, tmp_path):
    ws, _out, _done = archive
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("x", encoding="utf-8")
    done = run("site", "-o", tmp_path / "mine", workspace=ws)
    assert done.returncode == 1 and "notes.txt" not in done.stderr and "bulletin site" in done.stderr
    assert sorted(p.name for p in (tmp_path / "mine").iterdir()) == ["notes.txt"]


def test_the_index_lists_years_newest_first_with_numbers_dates_and_titles(archive):
    _ws, out, _done = archive
    tree = parse(out / "index.html")
    years = [h.text for h in tree.iter("h2")]
    assert years == ["2026年", "2025年"]
    text = "".join(tree.find(".//main").itertext())
    for expected in ("第10期（总第30期）", "2026年11月20日", "我市深化政务公开工作取得新成效", "第5期（总第25期）"):
        assert expected in text


def test_units_index_links_each_units_articles(archive):
    _ws, out, _done = archive
    units = parse(out / "units/index.html")
    names = [a.text for a in units.iter("a") if a.get("href", "").endswith(".html") and "/" not in a.get("href")]
    assert names[0] == "市税务局"  # two articles, the most
    page = next(p for p in (out / "units").glob("*.html")
                if p.name != "index.html" and "市税务局供稿的文章" in p.read_text(encoding="utf-8"))
    text = page.read_text(encoding="utf-8")
    assert "市税务局推进税费政策公开" in text and "去年的政务公开工作总结" in text


def search(index: dict, query: str) -> list[str]:
    """What search.js does, in Python (the same terms as bulletin.render.html.site.terms)."""
    runs = re.findall(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z]+", query.lower())
    wanted = []
    for r in runs:
        if re.fullmatch(r"[\u3400-\u9fff\uf900-\ufaff]+", r):
            wanted += [r] if len(r) == 1 else [r[i:i + 2] for i in range(len(r) - 1)]
        else:
            wanted.append(r)
    hits = None
    for term in wanted:
        docs = set(index["terms"].get(term, []))
        hits = docs if hits is None else hits & docs
    return [index["docs"][d][0] for d in sorted(hits or [])]


def test_search_index_is_a_script_of_bigrams(archive):
    _ws, out, _done = archive
    text = (out / "search-index.js").read_text(encoding="utf-8")
    assert text.startswith("window.BULLETIN_SEARCH = ") and text.endswith(";\n")
    index = json.loads(text[len("window.BULLETIN_SEARCH = "):-2])
    assert search(index, "税费政策") == ["市税务局推进税费政策公开"]
    assert search(index, "落实") == ["我市深化政务公开工作取得新成效"]  # text, not only titles
    assert search(index, "家门口") == ["××区打造“家门口”政务公开服务体系", "去年的政务公开工作总结"]
    assert search(index, "秘密") == [] and search(index, "草稿") == []
    js = (out / "search.js").read_text(encoding="utf-8")
    assert "fetch(" not in js and "BULLETIN_SEARCH" in js


# --- render --html: one issue ---------------------------------------------------------------------


def test_render_html_writes_the_issue_beside_its_pictures(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    done = ok(run("render", "10", "--html", workspace=ws))
    page = ws / "build" / "政务公开工作简报-2026-第10期" / "index.html"
    assert done.stdout.strip() == str(page)
    tree = parse(page)
    assert (page.parent / "bulletin.css").is_file() and (page.parent / "pictures/01-1.png").is_file()
    figure = tree.find(".//figure")
    assert figure.find("img").get("alt") == "授牌仪式现场" and figure.find("figcaption").text == "授牌仪式现场"
    table = tree.find(".//table")
    assert [th.get("scope") for th in table.iter("th")] == ["col"] * 3
    assert [th.text for th in table.iter("th")] == ["单位", "事项", "完成率"]
    headings = [("".join(h.itertext()), h.tag) for h in tree.iter() if h.tag in ("h1", "h2", "h3", "h4", "h5", "h6")]
    assert ("一、加强组织领导", "h4") in headings and ("（一）明确责任", "h5") in headings
    assert ("1.细化清单", "h6") in headings
    deep = [p for p in tree.iter("p") if p.get("role") == "heading"]
    assert deep and "".join(deep[0].itertext()) == "（1）落实到人" and deep[0].get("aria-level") == "7"
    css = (page.parent / "bulletin.css").read_text(encoding="utf-8")
    assert "size: 210mm 297mm" in css and "margin: 37mm 26mm 35mm 28mm" in css


def test_render_html_of_an_internal_issue_says_so(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    done = ok(run("render", "2026-11", "--html", "-o", tmp_path / "look", workspace=ws))
    assert (tmp_path / "look" / "index.html").is_file()
    assert "internal" in done.stderr and "bulletin site" in done.stderr


def test_render_html_wants_a_folder(tmp_path):
    ws = make_workspace(tmp_path / "ws")
    done = run("render", "10", "--html", "-o", tmp_path / "page.html", workspace=ws)
    assert done.returncode == 1 and "folder" in done.stderr and not (tmp_path / "page.html").exists()


def test_web_settings_are_validated(tmp_path):
    ws = make_workspace(tmp_path / "ws", web="pubic = true")
    done = run("site", "-o", tmp_path / "out", workspace=ws)
    assert done.returncode == 1 and "pubic" in done.stderr and "bulletin.toml" in done.stderr
    assert "Traceback" not in done.stderr
    ws = make_workspace(tmp_path / "ws2", web='public = "yes"')
    done = run("render", "10", "--html", workspace=ws)
    assert done.returncode == 1 and "public" in done.stderr and "Traceback" not in done.stderr


# --- the same words as the .docx --------------------------------------------------------------------


def docx_lines(path: Path) -> list[str]:
    """Each paragraph's text in document order (text boxes in place, their fallback copies left out)."""
    root = ET.fromstring(zipfile.ZipFile(path).read("word/document.xml"))
    fallback = {id(p) for f in root.iter(f"{MC}Fallback") for p in f.iter(f"{W}p")}
    out = []
    for p in root.iter(f"{W}p"):
        if id(p) in fallback or any(True for _ in p.iter(f"{W}txbxContent")):
            continue
        out.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return [re.sub(r"\s", "", line) for line in out if re.sub(r"\s", "", line)]


BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "th", "td", "figcaption"}


def html_lines(path: Path) -> list[str]:
    """Each block's text in document order; the red name's lines apart, as the .docx sets them."""
    out = []

    def walk(element):
        if element.tag == "h1" and "name" in (element.get("class") or ""):
            out.extend("".join(span.itertext()) for span in element.iter("span"))
            return
        if element.tag in BLOCKS:
            out.append("".join(element.itertext()))
            return
        for child in element:
            walk(child)
    walk(parse(path).find("body"))
    return [re.sub(r"\s", "", line) for line in out if re.sub(r"\s", "", line)]


@pytest.mark.parametrize("shown", [True, False], ids=["show_distribution", "public"])
def test_the_web_edition_prints_the_words_of_the_docx(tmp_path, shown):
    ws = make_workspace(tmp_path / "ws", web="show_distribution = true" if shown else "")
    ok(run("render", "10", "-o", tmp_path / "print.docx", workspace=ws))
    ok(run("render", "10", "--html", "-o", tmp_path / "web", workspace=ws))
    printed = docx_lines(tmp_path / "print.docx")
    if not shown:
        printed = [line for line in printed if not re.match(r"^(报|送|发|本期增发)：|^（共印\d+份）$", line)]
    assert html_lines(tmp_path / "web" / "index.html") == printed
    assert "一、加强组织领导" in printed and "（市税务局供稿）" in printed and "编辑：王××审核：李××签发：张××" in printed
