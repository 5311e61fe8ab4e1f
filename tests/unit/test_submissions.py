"""bulletin.intake: Word and text submissions read (submission.py), shaped (shaping.py) and written
(markdown_out.py) into articles that read back as meant."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for the shared examples package

from examples.submissions import (  # noqa: E402
    CAPTION,
    SOURCE,
    TITLE,
    department_docx,
    minimal_docx,
    office_package,
)

from bulletin.content.blocks import Heading, Image, Paragraph, Table  # noqa: E402
from bulletin.content.markdown import parse_markdown  # noqa: E402
from bulletin.errors import BulletinError  # noqa: E402
from bulletin.intake.markdown_out import (  # noqa: E402
    article_files,
    front_matter,
    safe_article_name,
    set_front_matter_key,
)
from bulletin.intake.submission import read_submission  # noqa: E402
from bulletin.model.files import _ARTICLE_NAME, ArticleMeta  # noqa: E402
from bulletin.store.loaders import parse_front_matter, validate  # noqa: E402


def _always(name: str) -> bool:
    return True


def convert(path: Path, section: str = "", claim=_always) -> tuple[ArticleMeta, list, dict, list]:
    """(front matter, blocks as the renderer reads them, the files, the notes) of a submission."""
    submission = read_submission(path)
    files = article_files(submission, submission.file_name, section, claim)
    text = files[submission.file_name]
    fm = parse_front_matter(text, path)
    return validate(ArticleMeta, fm.meta), parse_markdown(fm.body), files, submission.notes


def texts(blocks) -> list[str]:
    def shown(b) -> str:
        if isinstance(b, Image):
            return f"<{b.src}|{b.caption}>"
        if isinstance(b, Table):
            return "\n".join("|".join(b.cell_text(r, c) for c in range(b.columns)) for r in range(len(b.rows)))
        return b.text
    return [shown(b) for b in blocks]


# --- .docx --------------------------------------------------------------------------------------------

def test_a_department_docx_becomes_the_article_it_means(tmp_path):
    meta, blocks, files, notes = convert(department_docx(tmp_path / "市民政局.docx"), section="工作动态")
    assert (meta.title, meta.source, meta.section) == (TITLE, SOURCE, "工作动态")
    assert texts(blocks) == [
        "今年以来，市民政局坚持以群众需求为导向，深化“一网通办”改革，一是优化流程，压减材料；",
        "二是推行“免申即享”，惠及群众1.2万人次。",
        "强化组织保障",
        "局党组定期研究部署，各科室协同配合，*确保*各项任务落地见效。",
        f"<市民政局-1.png|{CAPTION}>",
        "事项|办件量\n低保审批|1200件",   # a table of text: a pipe table in the article
    ]
    assert isinstance(blocks[2], Heading) and blocks[2].level == 1
    bold = [r.text for r in blocks[0].runs if r.bold]
    assert bold == ["“一网通办”"]
    assert sorted(files) == ["市民政局-1.png", "市民政局.md"] and files["市民政局-1.png"].startswith(b"\x89PNG")
    assert not any("title" in n.message for n in notes)  # the centred title needed no guess


def test_a_title_set_larger_but_not_centred_is_found(tmp_path):
    meta, blocks, _, notes = convert(department_docx(tmp_path / "a.docx", title_centred=False))
    assert meta.title == TITLE and not any("title taken" in n.message for n in notes)


def test_a_title_with_nothing_to_tell_it_is_taken_from_the_first_paragraph_with_a_note(tmp_path):
    meta, _, _, notes = convert(department_docx(tmp_path / "a.docx", title_centred=False, title_size=None))
    assert meta.title == TITLE
    assert any("title taken from the first paragraph" in n.message and n.severity == "warning" for n in notes)


def test_heading_levels_follow_written_numbers_then_styles(tmp_path):
    def par(text, style=""):
        ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
        return f"<w:p>{ppr}<w:r><w:t>{text}</w:t></w:r></w:p>"
    body = (par("总标题", "1") + par("一、加强领导", "1") + par("（一）明确责任", "1") + par("完善制度", "Outline2")
            + par("一、这一行已经编号，但它是一句完整的话，所以留作正文。") + par("（二）细化清单")
            + par("正文正文正文正文正文正文正文正文正文正文正文正文正文正文。"))
    _, blocks, _, _ = convert(minimal_docx(tmp_path / "h.docx", body))
    headings = [(b.level, b.text) for b in blocks if isinstance(b, Heading)]
    # numbered: their number's level; unnumbered Outline 2 → level 1 (the shallowest styled level left)
    assert headings == [(1, "一、加强领导"), (2, "（一）明确责任"), (1, "完善制度"), (2, "（二）细化清单")]


@pytest.mark.parametrize("closing, body_end", [
    ("（市民政局供稿）", "见效。"),
    ("（供稿：市民政局）", "见效。"),
    ("供稿单位：市民政局", "见效。"),
    ("", "见效。"),  # trailing （市民政局供稿） on the last paragraph, below
])
def test_the_source_line_becomes_source_and_leaves_the_body(tmp_path, closing, body_end):
    def par(text):
        return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"
    last = "各项任务落地见效。" + ("" if closing else "（市民政局供稿）")
    body = par("标题") + par(last) + (par(closing) if closing else "") + par("（撰稿：张××）")
    meta, blocks, _, _ = convert(minimal_docx(tmp_path / "s.docx", body))
    assert (meta.source, meta.author) == ("市民政局", "张××")
    assert texts(blocks) == ["各项任务落地见效。"] and blocks[0].text.endswith(body_end)


def test_markdown_characters_in_the_text_stay_text(tmp_path):
    line = "# 不是标题 *不是强调* [不是链接](x) `不是代码` <b>不是HTML</b> &amp; \\反斜杠"
    body = (f"<w:p><w:r><w:t>标题</w:t></w:r></w:p><w:p><w:r><w:t>{line.replace('&', '&amp;').replace('<', '&lt;')}"
            "</w:t></w:r></w:p><w:p><w:r><w:t>1. 不是列表</w:t></w:r></w:p><w:p><w:r><w:t>- 也不是</w:t></w:r></w:p>"
            "<w:p><w:r><w:t>---</w:t></w:r></w:p>")
    _, blocks, _, _ = convert(minimal_docx(tmp_path / "m.docx", body))
    assert texts(blocks) == [line, "1. 不是列表", "- 也不是", "---"]
    assert all(isinstance(b, Paragraph) for b in blocks)


def test_pictures_take_names_that_are_free(tmp_path):
    taken = {"市民政局-1.png"}

    def claim(name):
        if name in taken:
            return False
        taken.add(name)
        return True
    _, blocks, files, _ = convert(department_docx(tmp_path / "市民政局.docx"), claim=claim)
    assert "市民政局-2.png" in files and "市民政局-1.png" not in files
    assert [b.src for b in blocks if isinstance(b, Image)] == ["市民政局-2.png"]


@pytest.mark.parametrize("width_emu, title", [
    (120 * 36_000, ' "width: 120mm"'), (2_889_000, ' "width: 80.3mm"'), (2_887_000, ' "width: 80.2mm"'),
    (4_318_200, ' "width: 120mm"'), (1_000, ""), (None, ""),
], ids=["120mm", "80.25mm-rounds-up", "80.19mm", "119.95mm", "too-small", "no-extent"])
def test_a_picture_keeps_its_word_width_in_the_article(tmp_path, width_emu, title):
    from bulletin.intake.pieces import Figure, Submission
    from bulletin.intake.pieces import Picture as SubmittedPicture

    submission = Submission("a.docx", "a.md", title="标题",
                            blocks=[Figure(SubmittedPicture(b"\x89PNG", "png", width_emu), CAPTION)])
    text = article_files(submission, "a.md", "", _always)["a.md"]
    assert f"![{CAPTION}](a-1.png{title})\n" in text


def test_a_department_picture_set_120mm_wide_says_so_in_the_article(tmp_path):
    meta, blocks, files, _ = convert(department_docx(tmp_path / "市民政局.docx", picture_mm=120))
    assert f'![{CAPTION}](市民政局-1.png "width: 120mm")' in files["市民政局.md"]
    assert [b.src for b in blocks if isinstance(b, Image)] == ["市民政局-1.png"]


def test_a_document_without_text_is_refused(tmp_path):
    with pytest.raises(BulletinError, match="no text"):
        read_submission(minimal_docx(tmp_path / "empty.docx", "<w:p/>"))


# --- .txt ----------------------------------------------------------------------------------------------

TXT = "　　市数据局召开推进会\n\n　　11月12日，市数据局召开推进会。\x0b二是部署工作。\n　　会议要求，各单位要\x07提高认识，\n加强协作。\n　　（供稿：市数据局）\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_a_txt_is_read_in_the_encodings_clerks_save(tmp_path, encoding):
    path = tmp_path / "来稿.txt"
    path.write_bytes(TXT.replace("\n", "\r\n").encode(encoding))
    meta, blocks, files, notes = convert(path)
    assert (meta.title, meta.source) == ("市数据局召开推进会", "市数据局")
    assert texts(blocks) == ["11月12日，市数据局召开推进会。", "二是部署工作。", "会议要求，各单位要提高认识，加强协作。"]
    assert list(files) == ["来稿.md"]
    assert any("title taken from the first line" in n.message for n in notes)


@pytest.mark.parametrize("body, expected", [
    # blank-line paragraphs; a hard-wrapped line joins, a line ending a sentence does not
    ("第一段前半，\n后半。\n第二行另起。\n\n第二段。", ["第一段前半，后半。", "第二行另起。", "第二段。"]),
    # one paragraph per line (Word's "save as text"), with a heading the author numbered
    ("一、加强领导\n第一段\n第二段", ["一、加强领导", "第一段", "第二段"]),
    # indented paragraphs; an unindented line continues the one before
    ("　　第一段前半，\n后半。\n　　第二段。", ["第一段前半，后半。", "第二段。"]),
])
def test_txt_paragraphs(tmp_path, body, expected):
    path = tmp_path / "a.txt"
    path.write_text("标题\n" + body + "\n", encoding="utf-8")
    _, blocks, _, _ = convert(path)
    assert texts(blocks) == expected
    assert isinstance(blocks[0], Heading) == expected[0].startswith("一、")


# Real-looking submissions of several lengths, written in simplified characters (saved by mainland
# Windows as GB18030/GBK) and in traditional characters (saved by Hong Kong or Taiwan Windows as Big5):
# a bare title, a title with a short paragraph, and a full article; short Chinese texts are where
# detectors guess wrong.
SIMPLIFIED = [
    ("简报", ""),
    ("通知", ""),
    ("第10期", ""),
    ("会议纪要", ""),
    ("市财政局公开预算信息", ""),
    ("市委书记调研政务服务中心", ""),
    ("全面实行政务公开 推动街道事业健康发展", ""),
    ("镇政府召开安全生产会", "　　3月5日，镇政府召开安全生产工作会议。"),
    ("区数据局：数字赋能 便民利民", "　　区数据局推出“一网通办”，群众办事少跑腿。"),
    ("统计表", "┌──┬──┐\n│事项│数量│\n└──┴──┘"),
    ("关于 Open Government 的 AI 应用", "The city uses GPT-based tools, e.g. ChatGPT."),
    ("张堃、王喆同志参加会议", "　　会议由市委常委、常务副市长主持。"),
    ("关于进一步做好政务公开工作的通知",
     "　　今年以来，市政务公开领导小组办公室坚持以群众需求为导向，深化“一网通办”改革，一是优化办事"
     "流程，压减申请材料；二是推行“免申即享”，惠及群众1.2万人次。\n　　下一步，各镇（街道）、各部门要"
     "认真落实《条例》要求，健全主动公开目录，确保各项任务落地见效。\n" * 3 + "　　（市政务公开办供稿）"),
]
TRADITIONAL = [
    ("簡報通知", ""),
    ("公開", ""),
    ("臺灣地區資訊公開", ""),
    ("市財政局公開預算資訊", ""),
    ("香港特別行政區政府施政報告", "　　政府今日公布《施政報告》，提出「以民為本」的施政理念。"),
    ("臺北市政府推動線上申辦", "　　民眾可透過手機辦理戶籍謄本等業務，節省時間。"),
    ("關於進一步做好政務公開工作的通知",
     "　　今年以來，市政務公開領導小組辦公室堅持以群眾需求為導向，深化「一網通辦」改革，一是優化辦事"
     "流程，壓減申請材料；二是推行「免申即享」，惠及群眾1.2萬人次。\n" * 3 + "　　（市政務公開辦供稿）"),
]


SAVED = [*[(encoding, title, body) for title, body in SIMPLIFIED for encoding in ("gb18030", "gbk", "utf-8", "utf-16")],
         # Big5 as Taiwan's and Hong Kong's Windows save it; traditional text pasted on a mainland PC saved as GBK
         *[(encoding, title, body) for title, body in TRADITIONAL
           for encoding in ("big5", "cp950", "big5hkscs", "gbk", "gb18030", "utf-8")]]


@pytest.mark.parametrize("encoding, title, body", SAVED,
                         ids=[f"{encoding}-{title[:6]}-{len(body)}" for encoding, title, body in SAVED])
def test_a_txt_is_decoded_in_the_encoding_it_was_saved_in(tmp_path, encoding, title, body):
    path = tmp_path / "来稿.txt"
    text = title + "\r\n" + body.replace("\n", "\r\n") + "\r\n"
    path.write_bytes(text.encode(encoding))
    submission = read_submission(path)
    assert submission.title == title.strip()
    read_back = "".join(p.text for p in submission.blocks if hasattr(p, "pieces"))
    for line in body.split("\n"):
        if line.strip("　") and "供稿" not in line:
            assert line.strip("　") in read_back.replace("　", "") or line.strip("　") in read_back


def test_a_big5_submission_keeps_its_traditional_text(tmp_path):
    path = tmp_path / "港稿.txt"
    path.write_bytes("香港特別行政區政府施政報告\r\n\r\n　　政府今日公布《施政報告》。\r\n　　（政府新聞處供稿）\r\n"
                     .encode("big5"))
    meta, blocks, _, _ = convert(path)
    assert (meta.title, meta.source) == ("香港特別行政區政府施政報告", "政府新聞處")
    assert texts(blocks) == ["政府今日公布《施政報告》。"]


@pytest.mark.parametrize("data, message", [
    ("Notice without its BOM".encode("utf-16-le"), "not a text file"),
    (b"\x80\xff\xfe\xfd not text", "not text in UTF-8, UTF-16, GB18030 or Big5"),
    ("東京都は情報公開の会議を開催しました。市民の知る権利を保障します。".encode("shift_jis"), "nonsense"),
    (bytes((i * 97 + 129) % 126 + 129 for i in range(40)), "nonsense"),
    ("Résumé of the café meeting, naïve coöperation".encode("cp1252"), "not text in UTF-8"),
], ids=["utf-16-without-bom", "undecodable", "shift-jis", "high-bytes", "windows-1252"])
def test_a_txt_that_is_not_text_is_refused(tmp_path, data, message):
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(BulletinError) as caught:
        read_submission(path)
    (diagnostic,) = caught.value.diagnostics
    assert message in diagnostic.message and diagnostic.path == str(path)
    assert "UTF-8" in diagnostic.hint


@pytest.mark.parametrize("text", ["Müller café report", "Résumé, naïve coöperation", "±5% © 2026"])
def test_utf8_text_without_chinese_stays_utf8(tmp_path, text):
    # its bytes would also read as GB18030 characters (é is 茅); Latin letters and signs keep it UTF-8
    path = tmp_path / "a.txt"
    path.write_text(text + "\n", encoding="utf-8")
    assert read_submission(path).title == text


def test_utf8_text_does_not_need_the_encoding_detector(tmp_path, monkeypatch):
    import builtins

    real_import = builtins.__import__

    def no_detector(name, *args, **kwargs):
        if name.startswith("charset_normalizer"):
            raise AssertionError("charset_normalizer was imported for UTF-8 text")
        return real_import(name, *args, **kwargs)
    monkeypatch.setattr(builtins, "__import__", no_detector)
    path = tmp_path / "a.txt"
    path.write_text("标题\n正文。\n", encoding="utf-8")
    assert read_submission(path).title == "标题"


@pytest.mark.parametrize("name", ["empty.txt", "empty.doc", "empty.wps", "empty.docx", "empty.md"])
def test_an_empty_file_is_refused_as_empty(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"")
    with pytest.raises(BulletinError) as caught:
        read_submission(path)
    (diagnostic,) = caught.value.diagnostics
    assert diagnostic.path == str(path) and diagnostic.message == "the file is empty (0 bytes)"
    assert "send it again" in diagnostic.hint


@pytest.mark.parametrize("name, message", [("x.pdf", "cannot add a .pdf"), ("x.docm", "macro-enabled"),
                                           ("missing.docx", "file not found")])
def test_files_that_cannot_be_submissions(tmp_path, name, message):
    path = tmp_path / name
    if name != "missing.docx":
        path.write_bytes(b"%PDF-1.4")
    with pytest.raises(BulletinError, match=message):
        read_submission(path)


# --- .md, front matter and names ---------------------------------------------------------------------

@pytest.mark.parametrize("value", ["#专栏", "经验: 交流", "[专栏]", "'引号'", "yes", "2026", "- 列表", "“一网通办”：说明"])
def test_front_matter_values_read_back_as_given(value):
    text = front_matter({"title": value, "section": value}) + "\n正文。\n"
    meta = validate(ArticleMeta, parse_front_matter(text, Path("a.md")).meta)
    assert (meta.title, meta.section) == (value, value)


def test_setting_a_key_keeps_comments_line_ends_and_the_body():
    text = "---\r\ntitle: 新稿件   # 标题\r\nsection: \"\"\r\n---\r\n正文。\r\n"
    changed = set_front_matter_key(text, "section", "#专栏")
    assert changed == "---\r\ntitle: 新稿件   # 标题\r\nsection: \"#专栏\"\r\n---\r\n正文。\r\n"


def test_a_markdown_article_is_copied_as_it_is_unless_a_section_is_added(tmp_path):
    path = tmp_path / "稿.md"
    path.write_text("---\ntitle: 稿件  # 注释\n---\n正文。\n", encoding="utf-8")
    submission = read_submission(path)
    assert article_files(submission, "稿.md", "", _always) == {"稿.md": path.read_text(encoding="utf-8")}
    with_section = article_files(submission, "稿.md", "经验: 交流", _always)["稿.md"]
    assert validate(ArticleMeta, parse_front_matter(with_section, path).meta).section == "经验: 交流"
    assert "# 注释" in with_section


@pytest.mark.parametrize("name", ["a:b.md", ".hidden.md", "..md", "Report.MD", "稿件 一.md", "a\nb.md",
                                  'a*b?"<>|.md', "  .md", "市民政局", "x" * 300 + ".md"])
def test_safe_article_names_are_accepted_by_issue_yaml(name):
    safe = safe_article_name(name)
    assert _ARTICLE_NAME.match(safe) and not safe.startswith(".") and safe != ".md" and len(safe) <= 83


def test_a_title_set_on_two_centred_lines_is_one_title_and_a_subtitle_stays_text(tmp_path):
    def centred(text, size=44):
        return (f'<w:p><w:pPr><w:jc w:val="center"/></w:pPr><w:r><w:rPr><w:sz w:val="{size}"/></w:rPr>'
                f"<w:t>{text}</w:t></w:r></w:p>")
    body = (centred("关于进一步加强") + centred("政务公开工作的情况") + centred("——记市民政局政务公开工作", 32)
            + "<w:p><w:r><w:t>正文正文正文正文正文正文正文正文正文正文。</w:t></w:r></w:p>")
    meta, blocks, _, _ = convert(minimal_docx(tmp_path / "t.docx", body))
    assert meta.title == "关于进一步加强政务公开工作的情况"
    assert texts(blocks)[0] == "——记市民政局政务公开工作"


# --- in Chinese -------------------------------------------------------------------------------------

@pytest.fixture
def chinese():
    from bulletin import i18n

    i18n.set_language("zh")
    yield
    i18n.set_language("en")


def _refused(path: Path):
    with pytest.raises(BulletinError) as caught:
        read_submission(path)
    (diagnostic,) = caught.value.diagnostics
    return diagnostic


def _empty_file(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def _nonsense_txt(path: Path) -> Path:
    path.write_bytes(bytes((i * 97 + 129) % 126 + 129 for i in range(40)))
    return path


def _undecodable_txt(path: Path) -> Path:
    path.write_bytes(b"\x80\xff\xfe\xfd not text")
    return path


@pytest.mark.parametrize("make, message, hint", [
    (lambda d: _empty_file(d / "空稿.docx"), "文件是空的（0字节）", "请确认文件是否正确，或请供稿单位重新发送"),
    (lambda d: office_package(d / "报表.docx", "xlsx"), "这是改用 Word 文件名的 Excel 工作簿，不是 Word 文档",
     "请向供稿单位索要 Word 文件"),
    (lambda d: office_package(d / "汇报.docx", "pptx"), "这是改用 Word 文件名的 PowerPoint 演示文稿，不是 Word 文档",
     "请向供稿单位索要 Word 文件"),
    (lambda d: _nonsense_txt(d / "乱码.txt"), "用 UTF-8、UTF-16、GB18030、Big5 编码读出的都是乱码", "记事本"),
    (lambda d: _undecodable_txt(d / "编码.txt"), "文件不是 UTF-8、UTF-16、GB18030 或 Big5 编码的文本", "另存为 UTF-8"),
    (lambda d: d / "没有.docx", "找不到文件", "请检查来稿文件的路径"),
], ids=["empty-docx", "excel-renamed", "powerpoint-renamed", "nonsense-txt", "undecodable-txt", "missing"])
def test_refusals_are_in_chinese_with_the_file_name(tmp_path, chinese, make, message, hint):
    path = make(tmp_path)
    diagnostic = _refused(path)
    assert diagnostic.path == str(path) and diagnostic.message.startswith(message), diagnostic
    assert hint in diagnostic.hint, diagnostic.hint
    assert diagnostic.format().startswith(f"{path}: {message}")
    assert not any(word in f" {diagnostic.message} {diagnostic.hint} " for word in (" the ", " it ", " a ", " is "))


def test_an_unknown_suffix_is_refused_in_chinese(tmp_path, chinese):
    pdf_file = tmp_path / "通知.pdf"
    pdf_file.write_bytes(b"%PDF-1.4")
    assert _refused(pdf_file).message == "无法添加 .pdf 文件"
    bare = tmp_path / "通知"
    bare.write_bytes(b"x")
    assert _refused(bare).message == "无法添加没有扩展名的文件"


def test_warnings_are_in_chinese_with_the_file_name(tmp_path, chinese):
    from examples.submissions import linked_picture_docx

    base = department_docx(tmp_path / "base.docx", title_centred=False, title_size=None)
    path = linked_picture_docx(base, tmp_path / "民政.docx", "file:///C:/照片/活动.jpg")
    notes = read_submission(path).notes
    messages = {n.message for n in notes}
    assert f"已把第一段作为标题（没有居中、使用标题样式或字号较大的段落）：{TITLE}" in messages
    linked = next(n for n in notes if n.message.startswith("跳过1张链接的图片"))
    assert linked.path == str(path) and linked.severity == "warning" and "插入 → 图片" in linked.hint
    assert all(n.format().startswith(f"{path}: ") for n in notes)


def test_the_same_refusal_stays_english_in_english(tmp_path):
    assert _refused(_empty_file(tmp_path / "a.docx")).message == "the file is empty (0 bytes)"
