"""bulletin.render.docx.oxml: run fonts, text escaping and breaks, ambiguous-width marks, CT_PPr order."""
import xml.etree.ElementTree as ET

import pytest

from bulletin.render.docx.oxml import (
    NAMESPACES,
    W_NS,
    RunStyle,
    esc,
    fonts,
    paragraph,
    ppr,
    run,
)

W = f"{{{W_NS}}}"


def parse(fragment: str) -> ET.Element:
    """Parse an XML fragment (several siblings allowed) inside a root declaring the namespaces."""
    return ET.fromstring(f"<root {NAMESPACES}>{fragment}</root>")


def runs_of(fragment: str) -> list[ET.Element]:
    root = parse(fragment)
    return root.findall(f"{W}r")


def text_of(r: ET.Element) -> str:
    return "".join(t.text or "" for t in r.iter(f"{W}t"))


def rfonts_of(r: ET.Element) -> dict:
    el = r.find(f"{W}rPr/{W}rFonts")
    return {} if el is None else {k.removeprefix(W): v for k, v in el.attrib.items()}


# --- fonts ---------------------------------------------------------------------------------------------


def test_fonts_writes_all_four_slots():
    el = parse(fonts("仿宋_GB2312", "Times New Roman"))[0]
    attrs = {k.removeprefix(W): v for k, v in el.attrib.items()}
    assert attrs == {"ascii": "Times New Roman", "hAnsi": "Times New Roman",
                     "eastAsia": "仿宋_GB2312", "cs": "Times New Roman"}


def test_fonts_has_no_theme_attributes():
    xml = fonts("黑体", "Arial")
    assert "Theme" not in xml
    el = parse(xml)[0]
    assert not any("Theme" in k for k in el.attrib)


def test_fonts_escapes_names():
    el = parse(fonts('A&B "x"', "C<D"))[0]
    assert el.get(f"{W}eastAsia") == 'A&B "x"'
    assert el.get(f"{W}ascii") == "C<D"


def test_esc():
    assert esc('a&b<c>d"e') == "a&amp;b&lt;c&gt;d&quot;e"


# --- runs ----------------------------------------------------------------------------------------------


def test_run_escapes_special_characters():
    xml = run("A&B <tag> C>D")
    assert "&amp;" in xml and "&lt;tag&gt;" in xml and "<tag>" not in xml
    [r] = runs_of(xml)
    assert text_of(r) == "A&B <tag> C>D"


def test_run_newline_becomes_break():
    [r] = runs_of(run("第一行\n第二行"))
    children = [c.tag.removeprefix(W) for c in r if c.tag != f"{W}rPr"]
    assert children == ["t", "br", "t"]
    ts = r.findall(f"{W}t")
    assert [t.text for t in ts] == ["第一行", "第二行"]


def test_run_tab_becomes_tab():
    [r] = runs_of(run("甲\t乙"))
    assert [c.tag.removeprefix(W) for c in r] == ["t", "tab", "t"]


def test_run_preserves_spaces():
    [r] = runs_of(run("  两个空格  "))
    t = r.find(f"{W}t")
    assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"
    assert t.text == "  两个空格  "


def test_empty_run_is_nothing():
    assert run("") == ""


def test_plain_run_has_no_rpr():
    [r] = runs_of(run("正文"))
    assert r.find(f"{W}rPr") is None


def test_run_style_properties():
    style = RunStyle(font=("黑体", "Arial"), size_pt=16, bold=True, italic=True, color="FF0000",
                     spacing_twips=-5)
    [r] = runs_of(run("标题", style))
    rpr = r.find(f"{W}rPr")
    tags = [c.tag.removeprefix(W) for c in rpr]
    # CT_RPr order: rFonts, b, bCs, i, iCs, color, spacing, sz, szCs
    assert tags == ["rFonts", "b", "bCs", "i", "iCs", "color", "spacing", "sz", "szCs"]
    assert rpr.find(f"{W}sz").get(f"{W}val") == "32"  # half-points
    assert rpr.find(f"{W}color").get(f"{W}val") == "FF0000"
    assert rpr.find(f"{W}spacing").get(f"{W}val") == "-5"


def test_ambiguous_marks_with_cjk_font_get_their_own_runs():
    style = RunStyle(font=("仿宋_GB2312", "Times New Roman"), bold=True)
    rs = runs_of(run("推进“一网通办”改革", style, cjk_font="仿宋_GB2312"))
    assert [text_of(r) for r in rs] == ["推进", "“", "一网通办", "”", "改革"]
    cjk_all = {"ascii": "仿宋_GB2312", "hAnsi": "仿宋_GB2312", "eastAsia": "仿宋_GB2312",
               "cs": "仿宋_GB2312"}
    for r in rs:
        f = rfonts_of(r)
        if text_of(r) in "“”":
            assert {k: v for k, v in f.items() if k != "hint"} == cjk_all
        else:
            assert f["ascii"] == "Times New Roman" and f["eastAsia"] == "仿宋_GB2312"
        assert r.find(f"{W}rPr/{W}b") is not None  # every piece keeps the style


def test_ambiguous_marks_at_edges_and_in_a_row():
    rs = runs_of(run("“……”", RunStyle(), cjk_font="宋体"))
    assert [text_of(r) for r in rs] == ["“……”"]
    assert rfonts_of(rs[0])["ascii"] == "宋体"
    rs = runs_of(run("“甲”乙—丙", RunStyle(), cjk_font="宋体"))
    assert [text_of(r) for r in rs] == ["“", "甲", "”", "乙", "—", "丙"]
    assert [rfonts_of(r).get("eastAsia") for r in rs] == ["宋体", None, "宋体", None, "宋体", None]


def test_ambiguous_marks_without_cjk_font_carry_east_asian_hint():
    [r] = runs_of(run("他说“好”", RunStyle(font=("宋体", "Times New Roman"))))
    assert text_of(r) == "他说“好”"
    assert rfonts_of(r)["hint"] == "eastAsia"
    [r] = runs_of(run("“好”"))
    assert rfonts_of(r) == {"hint": "eastAsia"}


def test_text_without_ambiguous_marks_is_one_run_even_with_cjk_font():
    rs = runs_of(run("普通文字 ABC", RunStyle(), cjk_font="宋体"))
    assert len(rs) == 1 and rfonts_of(rs[0]) == {}


# --- paragraph properties -------------------------------------------------------------------------------


def test_ppr_children_in_schema_order():
    xml = ppr("Heading1", keep_next=True, spacing_before=0, spacing_after=120, line=579,
              ind_left=0, first_line=640, jc="center", outline_level=0)
    el = parse(xml)[0]
    tags = [c.tag.removeprefix(W) for c in el]
    assert tags == ["pStyle", "keepNext", "spacing", "ind", "jc", "outlineLvl"]


def test_ppr_full_order():
    xml = ppr("Body", keep_next=True, page_break_before=True, widow_control=False,
              bottom_border='<w:bottom w:val="single" w:sz="12" w:space="0" w:color="FF0000"/>',
              tabs=[("center", 4000)], overflow_punct=True, line=579, first_line_chars=200, jc="both",
              outline_level=1, rpr="<w:rPr><w:b/></w:rPr>")
    el = parse(xml)[0]
    tags = [c.tag.removeprefix(W) for c in el]
    assert tags == ["pStyle", "keepNext", "pageBreakBefore", "widowControl", "pBdr", "tabs",
                    "overflowPunct", "spacing", "ind", "jc", "outlineLvl", "rPr"]
    assert el.find(f"{W}widowControl").get(f"{W}val") == "0"
    spacing = el.find(f"{W}spacing")
    assert spacing.get(f"{W}line") == "579" and spacing.get(f"{W}lineRule") == "exact"


def test_ppr_empty():
    assert ppr() == ""


def test_paragraph_wraps_props_and_runs():
    p = parse(paragraph(ppr(jc="center"), [run("甲"), run("乙")]))[0]
    assert [c.tag.removeprefix(W) for c in p] == ["pPr", "r", "r"]
    p = parse(paragraph("", run("甲")))[0]
    assert [c.tag.removeprefix(W) for c in p] == ["r"]


@pytest.mark.parametrize("text", ["A & B", "<script>", "x > y", "“引号”&<>", "\n", "a\n\nb"])
def test_run_output_is_well_formed(text):
    rs = runs_of(run(text, RunStyle(font=("宋体", "Arial")), cjk_font="宋体"))
    assert "".join(text_of(r) for r in rs) == text.replace("\n", "")
    assert sum(len(r.findall(f"{W}br")) for r in rs) == text.count("\n")


def test_document_holds_body_then_section():
    from bulletin.render.docx.oxml import document

    root = ET.fromstring(document([paragraph("", run("一")), paragraph("", run("二"))], "<w:sectPr/>"))
    body = root.find(f"{W}body")
    assert [child.tag for child in body] == [f"{W}p", f"{W}p", f"{W}sectPr"]
