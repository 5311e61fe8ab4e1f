"""The fixed parts of a bulletin .docx, built from the preset: styles, settings, fonts, footers, properties."""
from __future__ import annotations

import datetime as _dt

from bulletin.model.preset import Preset, mm_to_twips, pt_to_twips
from bulletin.render.docx.oxml import (
    NAMESPACES,
    RunStyle,
    esc,
    field,
    fonts,
    half_points,
    paragraph,
    ppr,
    run,
)

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
BODY_STYLE, TITLE_STYLE, FOOTER_STYLE = "Normal", "ArticleTitle", "Footer"
BODY_INDENT_CHARS = 2  # every body paragraph's first line is indented two characters (GB/T 9704)


def heading_style(level: int) -> str:
    return f"Heading{level}"


def _style(style_id: str, name: str, ppr_xml: str, rpr_xml: str, *, based_on: str | None = "Normal",
           next_style: str | None = None, outline: bool = False, default: bool = False) -> str:
    based = f'<w:basedOn w:val="{based_on}"/>' if based_on else ""
    nxt = f'<w:next w:val="{next_style}"/>' if next_style else ""
    flag = ' w:default="1"' if default else ""
    return (f'<w:style w:type="paragraph"{flag} w:styleId="{style_id}"><w:name w:val="{esc(name)}"/>{based}{nxt}'
            f'<w:qFormat/>{ppr_xml}{rpr_xml}</w:style>')


def _rpr(preset: Preset, role: str, size_pt: float, *, bold: bool = False, spacing: bool = True) -> str:
    f = preset.fonts.role(role)
    hp = half_points(size_pt)
    b = "<w:b/><w:bCs/>" if bold else ""
    sp = f'<w:spacing w:val="{pt_to_twips(preset.page.char_spacing_pt)}"/>' if spacing else '<w:spacing w:val="0"/>'
    return (f"<w:rPr>{fonts(f.east_asia, f.latin)}{b}{sp}<w:kern w:val=\"0\"/>"
            f'<w:sz w:val="{hp}"/><w:szCs w:val="{hp}"/></w:rPr>')


def styles_xml(preset: Preset) -> str:
    """styles.xml: docDefaults with all four font slots and zh-CN, and one style per role.

    No theme attributes anywhere (the minimal theme part, theme_xml, names only the preset's fonts),
    so no East Asian text can fall back to a theme's (Japanese) font; body text is condensed 0.25 pt
    so 28 characters fill a line.
    """
    s = preset.sizes
    pitch = pt_to_twips(preset.page.line_pitch_pt)
    indent = round(BODY_INDENT_CHARS * s.body * 20)  # two characters of body text
    body_font = preset.fonts.role("body")
    defaults = (
        '<w:docDefaults><w:rPrDefault><w:rPr>'
        f'{fonts(body_font.east_asia, body_font.latin)}<w:kern w:val="0"/>'
        f'<w:sz w:val="{half_points(s.body)}"/><w:szCs w:val="{half_points(s.body)}"/>'
        '<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:overflowPunct w:val="1"/><w:spacing w:before="0" w:after="0"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )
    # No punctuation hanging past the margin, or LibreOffice puts a 29th mark on a line. LibreOffice's
    # importer reads w:overflowPunct inverted (hanging = val == 0), so "1" — which is also Word's own
    # default — is the value that keeps every line at 28 characters there without changing Word.
    body_ppr = ppr(widow_control=preset.page.widow_control, overflow_punct=True, line=pitch,
                   first_line_chars=BODY_INDENT_CHARS * 100,
                   first_line=indent, jc="both")
    styles = [
        _style(BODY_STYLE, "Normal", body_ppr, _rpr(preset, "body", s.body), based_on=None, default=True),
    ]
    heading_fonts = {1: "heading1", 2: "heading2", 3: "heading3", 4: "heading4"}
    for level, role in heading_fonts.items():
        bold = level == 3 and preset.body.heading3_bold
        styles.append(_style(heading_style(level), f"heading {level}",
                             ppr(keep_next=True, outline_level=level - 1),
                             _rpr(preset, role, s.body, bold=bold), next_style=BODY_STYLE))
    styles.append(_style(TITLE_STYLE, "Article Title",
                         ppr(keep_next=True, line=pt_to_twips(s.title_line_pitch), first_line_chars=0,
                             first_line=0, jc="center", outline_level=0),
                         _rpr(preset, "title", s.title, spacing=False), next_style=BODY_STYLE))
    styles.append(_style(FOOTER_STYLE, "footer",
                         ppr(line=pt_to_twips(s.page_number * 1.3), first_line_chars=0, first_line=0),
                         _rpr(preset, "page_number", s.page_number, spacing=False)))
    return (f'<w:styles {W}>{defaults}{"".join(styles)}'
            f'<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
            f'<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
            f'<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
            f'<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
            f'<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
            f'</w:tblCellMar></w:tblPr></w:style></w:styles>')


def settings_xml(preset: Preset) -> str:
    """settings.xml, children in CT_Settings order: mirrored margins for duplex, separate even footers."""
    mirror = "<w:mirrorMargins/>" if preset.page.mirror_margins else ""
    return (f'<w:settings {W}><w:zoom w:percent="100"/>{mirror}<w:defaultTabStop w:val="420"/>'
            f'<w:evenAndOddHeaders/><w:characterSpacingControl w:val="doNotCompress"/>'
            f'<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/>'
            f'<w:ulTrailSpace/><w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/>'
            f'<w:useFELayout/><w:compatSetting w:name="compatibilityMode" '
            f'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
            f'<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/></w:settings>')


# Windows code page 936 (GB2312) charset and a generic family, so Word substitutes sensibly.
_CJK_FAMILIES = {"黑体": "modern", "宋体": "roman"}


def font_table_xml(preset: Preset) -> str:
    names = sorted({v for v in preset.fonts.model_dump(exclude={"fallback"}).values() if v})
    entries = []
    for name in names:
        cjk = any(ord(c) > 0x2E80 for c in name)
        alt = name.replace("_GB2312", "") if name.endswith("_GB2312") else ""
        alt_xml = f'<w:altName w:val="{esc(alt)}"/>' if alt else ""
        charset = '<w:charset w:val="86"/>' if cjk else ""
        family = _CJK_FAMILIES.get(name, "modern" if cjk else "roman")
        entries.append(f'<w:font w:name="{esc(name)}">{alt_xml}{charset}<w:family w:val="{family}"/>'
                       f'<w:pitch w:val="{"fixed" if cjk else "variable"}"/></w:font>')
    return f'<w:fonts {W}>{"".join(entries)}</w:fonts>'


def footer_xml(preset: Preset, side: str) -> str:
    """`— N —` in 四号宋体: odd pages right, even pages left, one character in from the outer edge."""
    one_char = pt_to_twips(preset.sizes.page_number)
    props = ppr(FOOTER_STYLE, jc="right", ind_right=one_char) if side == "odd" else \
        ppr(FOOTER_STYLE, jc="left", ind_left=one_char)
    dash, face = RunStyle(), preset.fonts.page_number
    body = paragraph(props, [run("— ", dash, face), field("PAGE", "1"), run(" —", dash, face)])
    return f"<w:ftr {NAMESPACES}>{body}</w:ftr>"


def core_xml(title: str, author: str, subject: str, day: _dt.date) -> str:
    """Core properties from the issue, never from the clock: the date is the issue's date."""
    stamp = f"{day.isoformat()}T00:00:00Z"
    return ('<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f'<dc:title>{esc(title)}</dc:title><dc:subject>{esc(subject)}</dc:subject>'
            f'<dc:creator>{esc(author)}</dc:creator><cp:lastModifiedBy>{esc(author)}</cp:lastModifiedBy>'
            f'<cp:revision>1</cp:revision>'
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')


def app_xml() -> str:
    from bulletin import __version__

    return ('<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            f'<Application>bulletin {__version__}</Application><DocSecurity>0</DocSecurity></Properties>')


def page_geometry(preset: Preset) -> dict:
    """Section geometry in twips: the inside (binding) margin is Word's left, mirrored on even pages."""
    p = preset.page
    return dict(width=mm_to_twips(p.width_mm), height=mm_to_twips(p.height_mm),
                top=mm_to_twips(p.margin_top_mm), bottom=mm_to_twips(p.margin_bottom_mm),
                left=mm_to_twips(p.margin_inside_mm), right=mm_to_twips(p.margin_outside_mm),
                footer=mm_to_twips(p.footer_distance_mm), line_pitch=pt_to_twips(p.line_pitch_pt))


def theme_xml(preset: Preset) -> str:
    """A minimal theme. Nothing refers to theme fonts (no *Theme attributes), but validators expect the
    part; its fonts are the preset's, so even a theme font could never be a Japanese face."""
    latin, east = esc(preset.fonts.latin), esc(preset.fonts.body)
    heading = esc(preset.fonts.heading1)
    colours = [("dk1", "000000"), ("lt1", "FFFFFF"), ("dk2", "1F1F1F"), ("lt2", "EEEEEE"),
               ("accent1", "C00000"), ("accent2", "FF0000"), ("accent3", "7F7F7F"), ("accent4", "404040"),
               ("accent5", "A5A5A5"), ("accent6", "262626"), ("hlink", "0000FF"), ("folHlink", "800080")]
    clr = "".join(f'<a:{name}><a:srgbClr val="{val}"/></a:{name}>' for name, val in colours)
    fill = '<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>'
    line = '<a:ln w="9525"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>'
    effect = "<a:effectStyle><a:effectLst/></a:effectStyle>"

    def font(major: bool) -> str:
        tag = "majorFont" if major else "minorFont"
        ea = heading if major else east
        return (f'<a:{tag}><a:latin typeface="{latin}"/><a:ea typeface="{ea}"/><a:cs typeface="{latin}"/>'
                f'<a:font script="Hans" typeface="{ea}"/></a:{tag}>')
    return ('<a:theme xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" name="bulletin">'
            f'<a:themeElements><a:clrScheme name="bulletin">{clr}</a:clrScheme>'
            f'<a:fontScheme name="bulletin">{font(True)}{font(False)}</a:fontScheme>'
            f'<a:fmtScheme name="bulletin"><a:fillStyleLst>{fill * 3}</a:fillStyleLst>'
            f'<a:lnStyleLst>{line * 3}</a:lnStyleLst><a:effectStyleLst>{effect * 3}</a:effectStyleLst>'
            f'<a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst></a:fmtScheme></a:themeElements>'
            '<a:objectDefaults/><a:extraClrSchemeLst/></a:theme>')
