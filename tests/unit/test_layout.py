"""bulletin.model.preset: the built-in gbt9704 preset, workspace overrides, validation, unit conversion."""
import pytest

from bulletin.errors import BulletinError
from bulletin.model.preset import EMU_PER_MM, Preset, mm_to_twips, pt_to_twips
from bulletin.store.presets import load_preset


def test_builtin_type_area_is_156_by_225_mm():
    preset = load_preset("gbt9704")
    assert preset.page.type_width_mm == pytest.approx(156)
    assert preset.page.type_height_mm == pytest.approx(225)


def test_builtin_line_pitch_fills_22_lines():
    page = load_preset("gbt9704").page
    assert page.line_pitch_pt == pytest.approx(28.95)
    # 22 lines of that pitch fit the 225 mm type area (within one line)
    assert 22 * page.line_pitch_pt * 25.4 / 72 <= page.type_height_mm
    assert 23 * page.line_pitch_pt * 25.4 / 72 > page.type_height_mm


def test_builtin_fonts_and_sizes():
    preset = load_preset("gbt9704")
    assert preset.name == "gbt9704"
    assert preset.fonts.body == "仿宋_GB2312"
    assert preset.fonts.heading1 == "黑体"
    assert preset.fonts.latin == "Times New Roman"
    assert preset.sizes.body == 16 and preset.sizes.title == 22
    assert preset.masthead.color == "FF0000"


def test_font_role_uses_latin_unless_role_names_its_own():
    fonts = load_preset("gbt9704").fonts
    body = fonts.role("body")
    assert (body.east_asia, body.latin) == ("仿宋_GB2312", "Times New Roman")
    page_number = fonts.role("page_number")
    assert (page_number.east_asia, page_number.latin) == ("宋体", "宋体")


def _workspace_preset(tmp_path, name, text):
    presets = tmp_path / "templates" / "presets"
    presets.mkdir(parents=True, exist_ok=True)
    path = presets / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return tmp_path / "templates", path


def test_workspace_preset_overrides_only_what_it_names(tmp_path):
    templates, _ = _workspace_preset(tmp_path, "mine", '[fonts]\nbody = "仿宋"\n')
    base = load_preset("gbt9704")
    mine = load_preset("mine", templates)
    assert mine.fonts.body == "仿宋"
    # everything else comes from gbt9704
    assert mine.fonts.heading1 == base.fonts.heading1
    assert mine.fonts.latin == base.fonts.latin
    assert mine.page == base.page
    assert mine.sizes == base.sizes
    assert mine.masthead == base.masthead
    assert mine.body == base.body
    assert mine.tail == base.tail
    assert mine.labels == base.labels


def test_workspace_preset_without_name_is_named_after_its_file(tmp_path):
    templates, _ = _workspace_preset(tmp_path, "mine", '[fonts]\nbody = "仿宋"\n')
    assert load_preset("mine", templates).name == "mine"


def test_workspace_preset_can_override_a_number(tmp_path):
    templates, _ = _workspace_preset(tmp_path, "wide", "[page]\nmargin_outside_mm = 20\n")
    preset = load_preset("wide", templates)
    assert preset.page.type_width_mm == pytest.approx(210 - 28 - 20)
    assert preset.page.type_height_mm == pytest.approx(225)


def test_colour_accepts_hash_and_lower_case(tmp_path):
    templates, _ = _workspace_preset(tmp_path, "blue", '[masthead]\ncolor = "#00ff7a"\n')
    assert load_preset("blue", templates).masthead.color == "00FF7A"


def test_invalid_colour_names_file_and_line(tmp_path):
    templates, path = _workspace_preset(
        tmp_path, "bad", '# my preset\n[fonts]\nbody = "仿宋"\n\n[masthead]\ncolor = "red"\n')
    with pytest.raises(BulletinError) as ei:
        load_preset("bad", templates)
    [d] = ei.value.diagnostics
    assert d.path == str(path)
    assert d.line == 6
    assert d.message.startswith("color in [masthead]: ")


def test_invalid_number_names_file_and_line(tmp_path):
    templates, path = _workspace_preset(tmp_path, "bad", "[sizes]\nbody = -3\n")
    with pytest.raises(BulletinError) as ei:
        load_preset("bad", templates)
    [d] = ei.value.diagnostics
    assert (d.path, d.line) == (str(path), 2)
    assert d.message.startswith("body in [sizes]: ")


def test_unknown_key_in_preset(tmp_path):
    templates, path = _workspace_preset(tmp_path, "bad", "[fonts]\nbdy = \"仿宋\"\n")
    with pytest.raises(BulletinError) as ei:
        load_preset("bad", templates)
    [d] = ei.value.diagnostics
    assert d.line == 2
    assert "did you mean 'body'?" in d.hint


def test_toml_syntax_error_in_preset(tmp_path):
    templates, path = _workspace_preset(tmp_path, "bad", "[fonts]\nbody = 仿宋\n")
    with pytest.raises(BulletinError) as ei:
        load_preset("bad", templates)
    [d] = ei.value.diagnostics
    assert (d.path, d.line) == (str(path), 2)


def test_unknown_preset_name(tmp_path):
    with pytest.raises(BulletinError) as ei:
        load_preset("nonexistent")
    assert "nonexistent" in str(ei.value)
    with pytest.raises(BulletinError):
        load_preset("nonexistent", tmp_path / "templates")


def test_unit_conversions():
    assert mm_to_twips(25.4) == 1440
    assert mm_to_twips(156) == 8844  # 156 / 25.4 * 1440 = 8844.09
    assert pt_to_twips(16) == 320
    assert pt_to_twips(28.95) == 579
    assert EMU_PER_MM * 25.4 == pytest.approx(914400)  # EMU per inch


def test_builtin_file_and_model_defaults_agree():
    """gbt9704.toml writes out every default of the model: a number changed in one only is a bug."""
    builtin = load_preset("gbt9704")
    assert builtin == Preset(description=builtin.description)


def test_layout_quality_settings(tmp_path):
    body = load_preset("gbt9704").body
    assert body.image_max_height_mm == pytest.approx(135) and body.image_gap_pt == pytest.approx(6)
    assert 0 < body.fit_margin_em < 0.5
    assert "办公室" in load_preset("gbt9704").masthead.split_after
    templates, path = _workspace_preset(tmp_path, "bad", "[sizes]\ntail_min_line_pitch = 0\n")
    with pytest.raises(BulletinError) as ei:
        load_preset("bad", templates)
    assert ei.value.diagnostics[0].message.startswith("tail_min_line_pitch in [sizes]: ")


def test_gb2312_fonts_have_their_fallbacks():
    fonts = load_preset("gbt9704").fonts
    assert fonts.fallback_of("仿宋_GB2312") == "仿宋"
    assert fonts.fallback_of("楷体_GB2312") == "楷体"
    assert fonts.fallback_of("方正小标宋简体") == "宋体"
    assert fonts.fallback_of("黑体") is None  # a font with the whole character set needs none


def test_an_office_preset_adds_a_fallback_and_keeps_the_built_in_ones(tmp_path):
    templates, _ = _workspace_preset(tmp_path, "mine", '[fonts]\ntitle = "方正小标宋_GBK"\n'
                                     '[fonts.fallback]\n"方正小标宋简体" = "方正小标宋_GBK"\n')
    fonts = load_preset("mine", templates).fonts
    assert fonts.fallback_of("方正小标宋简体") == "方正小标宋_GBK"
    assert fonts.fallback_of("仿宋_GB2312") == "仿宋"


@pytest.mark.parametrize("text, words", [
    ('[fonts]\nbody = "方正仿宋_GB2312"\n', "fonts"),                       # a GB2312 font without fallback
    ('[fonts.fallback]\n"仿宋_GB2312" = "楷体_GB2312"\n', "fallback in [fonts]"),  # a fallback lacking them too
    ('[fonts.fallback]\n"仿宋_GB2312" = ""\n', "fallback in [fonts]"),
])
def test_a_bad_fallback_is_refused_with_file_and_line(tmp_path, text, words):
    templates, path = _workspace_preset(tmp_path, "bad", text)
    with pytest.raises(BulletinError) as ei:
        load_preset("bad", templates)
    [d] = ei.value.diagnostics
    assert d.path == str(path) and d.line and words in d.message
