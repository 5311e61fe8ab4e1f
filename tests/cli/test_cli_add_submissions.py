"""`bulletin add` with Word and text submissions, end to end: converted, listed, rendered."""
from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from cli_support import ISSUE_DIR, clean_env, ok, run, snapshot, write_workspace

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared examples package

from examples.submissions import CAPTION, SOURCE, TITLE, department_docx, png  # noqa: E402

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture
def ws(tmp_path) -> Path:
    return write_workspace(tmp_path / "ws")


def listed(ws: Path) -> list[str]:
    return re.findall(r"^\s+- (\S.*\.md)$", (ws / ISSUE_DIR / "issue.yaml").read_text(encoding="utf-8"), re.M)


def rendered_text(ws: Path) -> tuple[str, int]:
    """The rendered issue's text and its number of pictures."""
    done = ok(run("render", "10", workspace=ws))
    path = Path(done.stdout.strip())
    path = path if path.is_absolute() else ws / path
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read("word/document.xml"))
        pictures = sum(1 for name in z.namelist() if name.startswith("word/media/"))
    return "".join(t.text or "" for t in root.iter(W + "t")), pictures


def test_a_word_submission_is_converted_listed_and_rendered(ws, tmp_path):
    src = department_docx(tmp_path / "市民政局.docx", picture_mm=120)
    done = ok(run("add", "10", src, "--section", "工作动态", workspace=ws))
    assert done.stdout.split() == [f"{ISSUE_DIR}/市民政局.md", f"{ISSUE_DIR}/市民政局-1.png"]
    assert done.stderr == ""  # nothing left out or guessed: the table stays a table
    assert listed(ws) == ["01-first.md", "02-second.md", "市民政局.md"]
    article = (ws / ISSUE_DIR / "市民政局.md").read_text(encoding="utf-8")
    assert f"title: {TITLE}\nsource: {SOURCE}\nsection: 工作动态\n" in article
    # the picture keeps the width it was set at in Word (120 mm), not the type area's
    assert "**“一网通办”**改革" in article and f'![{CAPTION}](市民政局-1.png "width: 120mm")' in article
    assert "供稿）" not in article and "\u3000\u3000" not in article
    assert "| 事项 | 办件量 |\n|---|---|\n| 低保审批 | 1200件 |\n" in article
    ok(run("check", "10", workspace=ws))
    text, pictures = rendered_text(ws)
    assert TITLE in text and "二是推行“免申即享”" in text and f"（{SOURCE}供稿）" in text and CAPTION in text
    assert pictures == 1


def test_the_same_submission_twice_takes_new_names(ws, tmp_path):
    src = department_docx(tmp_path / "市民政局.docx")
    ok(run("add", "10", src, workspace=ws))
    second = ok(run("add", "10", src, workspace=ws))
    assert second.stdout.split() == [f"{ISSUE_DIR}/市民政局-2.md", f"{ISSUE_DIR}/市民政局-2-1.png"]
    assert '](市民政局-2-1.png "width: ' in (ws / ISSUE_DIR / "市民政局-2.md").read_text(encoding="utf-8")
    assert listed(ws)[-2:] == ["市民政局.md", "市民政局-2.md"]


def test_a_gb18030_text_from_notepad_is_converted(ws, tmp_path):
    src = tmp_path / "财政局.txt"
    src.write_bytes("市财政局公开预算信息\r\n\r\n　　市财政局主动公开2026年预算。\r\n　　（市财政局供稿）\r\n"
                    .encode("gb18030"))
    done = ok(run("add", "10", src, workspace=ws))
    assert done.stdout.strip() == f"{ISSUE_DIR}/财政局.md"
    assert "title taken from the first line" in done.stderr
    text, _ = rendered_text(ws)
    assert "市财政局公开预算信息" in text and "（市财政局供稿）" in text


def test_a_big5_text_from_taiwan_is_converted_with_its_own_title(ws, tmp_path):
    src = tmp_path / "臺北來稿.txt"
    src.write_bytes("臺北市推動政務公開\r\n\r\n　　臺北市政府推動「一站式」線上申辦服務。\r\n　　（臺北市資訊局供稿）\r\n"
                    .encode("big5"))
    ok(run("add", "10", src, workspace=ws))
    article = (ws / ISSUE_DIR / "臺北來稿.md").read_text(encoding="utf-8")
    assert "title: 臺北市推動政務公開\nsource: 臺北市資訊局\n" in article
    assert "臺北市政府推動「一站式」線上申辦服務。" in article


def test_a_text_in_no_chinese_encoding_is_refused_and_nothing_written(ws, tmp_path):
    src = tmp_path / "日本語.txt"
    src.write_bytes("東京都は情報公開の会議を開催しました。市民の知る権利を保障します。\r\n".encode("shift_jis"))
    before = snapshot(ws)
    done = run("add", "10", src, workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"{src}: the text reads as nonsense in every encoding tried") and "UTF-8" in line
    assert snapshot(ws) == before


@pytest.mark.parametrize("name, data, message", [
    ("日本語.txt", "東京都は情報公開の会議を開催しました。\r\n".encode("shift_jis"),
     "用 UTF-8、UTF-16、GB18030、Big5 编码读出的都是乱码：文件用的是其他编码，或者不是文本"),
    ("空稿.docx", b"", "文件是空的（0字节）"),
    ("报表.docx", None, "这是改用 Word 文件名的 Excel 工作簿，不是 Word 文档"),
], ids=["nonsense-txt", "empty-docx", "excel-renamed"])
def test_a_refused_submission_is_told_in_chinese_with_its_path(ws, tmp_path, name, data, message):
    from examples.submissions import office_package

    src = tmp_path / name
    if data is None:
        office_package(src, "xlsx")
    else:
        src.write_bytes(data)
    before = snapshot(ws)
    done = run("add", "10", src, workspace=ws, env=clean_env(BULLETIN_LANG="zh"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith(f"{src}: {message}"), line
    assert snapshot(ws) == before


def test_a_doc_is_converted_through_libreoffice(ws, tmp_path, soffice):
    docx = department_docx(tmp_path / "民政.docx", picture_mm=80)
    subprocess.run([soffice, f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless",
                    "--convert-to", "doc", "--outdir", str(tmp_path / "doc"), str(docx)],
                   capture_output=True, timeout=180, check=True)
    src = tmp_path / "doc" / "民政.doc"
    done = ok(run("add", "10", src, workspace=ws))
    assert f"{ISSUE_DIR}/民政.md" in done.stdout.split()
    article = (ws / ISSUE_DIR / "民政.md").read_text(encoding="utf-8")
    assert f"title: {TITLE}" in article and f"source: {SOURCE}" in article
    assert '](民政-1.png "width: 80mm")' in article  # the width survives LibreOffice's conversion
    text, pictures = rendered_text(ws)
    assert TITLE in text and pictures == 1


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_without_libreoffice_a_doc_is_refused_with_what_to_do(ws, tmp_path, suffix):
    src = tmp_path / f"稿件{suffix}"
    src.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    empty_path = tmp_path / "no-tools"
    empty_path.mkdir()
    before = snapshot(ws)
    done = run("add", "10", src, workspace=ws, env=clean_env(PATH=str(empty_path)))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert str(src) in done.stderr and "LibreOffice" in done.stderr and "save it as .docx" in done.stderr
    assert snapshot(ws) == before
    done = run("add", "10", src, workspace=ws, env=clean_env(PATH=str(empty_path), BULLETIN_LANG="zh"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{src}: 读取 {suffix} 文件需要 LibreOffice，但本机未安装" in done.stderr and "另存为 .docx" in done.stderr
    assert snapshot(ws) == before


def test_a_refused_submission_among_good_ones_writes_nothing(ws, tmp_path):
    good = department_docx(tmp_path / "good.docx")
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"not a zip at all")
    text = tmp_path / "ok.txt"
    text.write_text("标题\n\n正文。\n", encoding="utf-8")
    before = snapshot(ws)
    done = run("add", "10", good, bad, text, workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert re.search(rf"^{re.escape(str(bad))}: this is not a Word \.docx file .* — ", done.stderr, re.M)
    assert snapshot(ws) == before


def test_a_published_issue_takes_no_submission(ws, tmp_path):
    ok(run("publish", "10", workspace=ws))
    before = snapshot(ws)
    done = run("add", "10", department_docx(tmp_path / "a.docx"), workspace=ws)
    assert done.returncode == 1 and "frozen" in done.stderr
    assert snapshot(ws) == before


# --- a Markdown article brings its pictures ---------------------------------------------------------

def _article_with_photo(folder: Path, name: str, photo: bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "photo.png").write_bytes(photo)
    path = folder / name
    path.write_text(f"---\ntitle: {name}\n---\n正文。\n\n![现场](photo.png)\n", encoding="utf-8")
    return path


def test_markdown_article_brings_its_pictures_renamed_when_the_name_is_taken(ws, tmp_path):
    first = _article_with_photo(tmp_path / "a", "甲.md", png(4, 3))
    second = _article_with_photo(tmp_path / "b", "乙.md", png(5, 5))  # another photo.png
    again = _article_with_photo(tmp_path / "c", "丙.md", png(4, 3))   # the very same photo.png
    ok(run("add", "10", str(first), workspace=ws))
    done = ok(run("add", "10", str(second), str(again), workspace=ws))
    folder = ws / ISSUE_DIR
    assert (folder / "photo.png").read_bytes() == png(4, 3)
    assert "![现场](乙-1.png)" in (folder / "乙.md").read_text(encoding="utf-8")
    assert (folder / "乙-1.png").read_bytes() == png(5, 5)
    assert "![现场](photo.png)" in (folder / "丙.md").read_text(encoding="utf-8")
    assert "丙" not in "".join(p.name for p in folder.glob("*.png"))
    assert str(Path(ISSUE_DIR) / "乙-1.png") in done.stdout
    assert ok(run("check", "10", workspace=ws)).returncode == 0
    assert rendered_text(ws)[1] == 2  # two distinct pictures in the .docx


def test_markdown_article_with_a_missing_picture_is_refused_with_its_line(ws, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "稿件.md"
    path.write_text("---\ntitle: 稿件\n---\n正文。\n\n![现场](照片.jpg)\n", encoding="utf-8")
    before = snapshot(ws)
    done = run("add", "10", str(path), workspace=ws)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{path}:6: picture '照片.jpg' is missing" in done.stderr
    assert snapshot(ws) == before


def test_add_changes_only_the_articles_lines_of_a_new_issue_yaml(ws, tmp_path):
    done = ok(run("new", "--date", "2026-12-01", workspace=ws))
    issue_yaml = ws / done.stdout.split()[-1] / "issue.yaml"
    before = issue_yaml.read_text(encoding="utf-8").splitlines()
    article = tmp_path / "稿件.md"
    article.write_text("---\ntitle: 稿件\n---\n正文。\n", encoding="utf-8")
    ok(run("add", "11", str(article), workspace=ws))
    after = issue_yaml.read_text(encoding="utf-8").splitlines()
    import difflib

    changed = [line for line in difflib.unified_diff(before, after, lineterm="", n=0)
               if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-articles: []", "+articles:", "+  - 稿件.md"], changed
