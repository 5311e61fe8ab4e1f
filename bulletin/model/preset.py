"""The layout preset: every number of the print layout, validated like any other input.

The built-in preset `gbt9704` lives in templates/presets/gbt9704.toml; an office overrides any value
with its own templates/presets/NAME.toml (only the keys it changes — the rest come from gbt9704).
Lengths are stored in the unit the office reads on a ruler (mm) or in a font menu (pt), and converted
here, once, to the units OOXML wants (twips, half-points, EMU).
"""

# No `from __future__ import annotations` here: pydantic would evaluate every field's annotation
# from its text (a compile() each), about 1.5 ms of every start-up for these models.
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bulletin.i18n import _

TWIPS_PER_MM = 1440 / 25.4
EMU_PER_MM = 36000


def mm_to_twips(mm: float) -> int:
    return round(mm * TWIPS_PER_MM)


def pt_to_twips(pt: float) -> int:
    return round(pt * 20)


class _Preset(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Font(_Preset):
    """A font for one role: the East Asian face and the face for digits and Latin text."""

    east_asia: str
    latin: str


class Page(_Preset):
    width_mm: float = Field(210, gt=0)
    height_mm: float = Field(297, gt=0)
    margin_top_mm: float = Field(37, ge=0)
    margin_bottom_mm: float = Field(35, ge=0)
    margin_inside_mm: float = Field(28, ge=0)
    margin_outside_mm: float = Field(26, ge=0)
    mirror_margins: bool = True
    footer_distance_mm: float = Field(25, ge=0)
    line_pitch_pt: float = Field(28.95, gt=0)
    char_spacing_pt: float = -0.25
    widow_control: bool = False

    @property
    def type_width_mm(self) -> float:
        return self.width_mm - self.margin_inside_mm - self.margin_outside_mm

    @property
    def type_height_mm(self) -> float:
        return self.height_mm - self.margin_top_mm - self.margin_bottom_mm


class Fonts(_Preset):
    latin: str = "Times New Roman"
    body: str = "仿宋_GB2312"
    heading1: str = "黑体"
    heading2: str = "楷体_GB2312"
    heading3: str = "仿宋_GB2312"
    heading4: str = "仿宋_GB2312"
    title: str = "方正小标宋简体"
    masthead: str = "方正小标宋简体"
    marking: str = "黑体"
    issue_number: str = "楷体_GB2312"
    imprint: str = "仿宋_GB2312"
    contents_label: str = "黑体"
    contents: str = "楷体_GB2312"
    note_label: str = "黑体"
    note: str = "楷体_GB2312"
    column: str = "楷体_GB2312"
    source: str = "楷体_GB2312"
    caption: str = "仿宋_GB2312"
    table: str = "仿宋_GB2312"
    tail: str = "仿宋_GB2312"
    page_number: str = "宋体"
    page_number_latin: str = "宋体"
    # Characters GB 2312 lacks (rare name characters such as 堃 喆 昇, traditional forms) are missing
    # from the GB2312 fonts: the writer sets them, run by run, in the font's fallback named here. A
    # font with a full character set (黑体, 宋体, 仿宋) needs none.
    fallback: dict[str, str] = Field(default_factory=lambda: {
        "仿宋_GB2312": "仿宋", "楷体_GB2312": "楷体", "方正小标宋简体": "宋体"})

    @field_validator("fallback")
    @classmethod
    def _fallbacks(cls, value: dict[str, str]) -> dict[str, str]:
        for font, alt in value.items():
            if not font.strip() or not alt.strip():
                raise ValueError(_("a font and its fallback must both be named"))
            if alt == font or alt in value or alt.endswith("_GB2312"):
                raise ValueError(_("the fallback of {font!r}, {alt!r}, must be a font with the characters "
                                   "GB 2312 lacks (such as 仿宋, 楷体, 宋体)").format(font=font, alt=alt))
        return value

    @model_validator(mode="after")
    def _gb2312_fonts_have_fallbacks(self) -> "Fonts":
        for role, font in self.model_dump(exclude={"fallback"}).items():
            if font.endswith("_GB2312") and font not in self.fallback:
                raise ValueError(_("{role} = {font!r} lacks characters beyond GB 2312: name its fallback "
                                   "under [fonts.fallback], e.g. \"{font}\" = \"{plain}\"").format(
                                       role=role, font=font, plain=font[:-7]))
        return self

    def fallback_of(self, east_asia: str) -> str | None:
        """The font for characters GB 2312 lacks in text set in `east_asia`; None when it has them."""
        return self.fallback.get(east_asia)

    def role(self, name: str) -> Font:
        """The font of a role; digits and Latin text use `latin` except where a role names its own."""
        latin = getattr(self, f"{name}_latin", None) or self.latin
        return Font(east_asia=getattr(self, name), latin=latin)


class Sizes(_Preset):
    """Font sizes in pt (三号 16, 二号 22, 四号 14, 小初 36, 初号 42)."""

    body: float = Field(16, gt=0)
    title: float = Field(22, gt=0)
    title_line_pitch: float = Field(36, gt=0)
    masthead_max: float = Field(42, gt=0)
    masthead_min: float = Field(26, gt=0)
    issue_number: float = Field(16, gt=0)
    imprint: float = Field(16, gt=0)
    marking: float = Field(16, gt=0)
    tail: float = Field(14, gt=0)
    tail_line_pitch: float = Field(22, gt=0)
    tail_min_line_pitch: float = Field(17, gt=0)   # a tail too tall for a page closes up to this
    page_number: float = Field(14, gt=0)
    caption: float = Field(14, gt=0)
    table: float = Field(14, gt=0)
    table_line_pitch: float = Field(22, gt=0)     # the lines inside a table's cells, exactly

    @model_validator(mode="after")
    def _table_lines_hold_their_text(self) -> "Sizes":
        if self.table_line_pitch < self.table:
            raise ValueError(f"table_line_pitch ({self.table_line_pitch:g} pt) must be at least the table's "
                             f"font size ({self.table:g} pt), or the lines of a cell overlap")
        return self


class Masthead(_Preset):
    color: str = "FF0000"
    rule_width_pt: float = Field(1.5, gt=0)
    rule_gap_pt: float = Field(4, ge=0)
    total_on_same_line: bool = False
    name_line_factor: float = Field(1.25, gt=0)
    space_after_rule_lines: int = Field(1, ge=0)
    marking_space_after_lines: int = Field(0, ge=0)
    # A one-line name that would shrink below masthead_min is set in two lines, broken after one of
    # these words where that keeps the lines nearly even.
    split_after: list[str] = Field(default_factory=lambda: ["办公室", "办公厅", "人民政府", "委员会", "领导小组"])

    @field_validator("color")
    @classmethod
    def _hex(cls, value: str) -> str:
        value = value.lstrip("#").upper()
        if len(value) != 6 or any(c not in "0123456789ABCDEF" for c in value):
            raise ValueError(_("must be a colour like FF0000"))
        return value


class Body(_Preset):
    contents_min_articles: int = Field(3, ge=0)   # 0 = never print 本期要目
    contents_label: str = "本期要目"
    source_style: Literal["trailer", "kicker", "none"] = "trailer"
    source_format: str = "（{source}供稿）"
    heading3_bold: bool = True
    image_max_width_mm: float = Field(156, gt=0)
    image_max_height_mm: float = Field(135, gt=0)
    image_gap_pt: float = Field(6, ge=0)       # at least this much space above a picture
    fit_margin_em: float = Field(0.1, ge=0)    # kept free on lines whose breaks the writer foresees
    column_format: str = "【{section}】"
    note_label: str = "编者按："
    note_indent_chars: float = Field(2, ge=0)
    table_border_pt: float = Field(0.5, gt=0, le=6)      # single rules around and between the cells
    table_cell_padding_mm: float = Field(1.5, ge=0, le=10)  # left and right of a cell's text


class Tail(_Preset):
    thick_width_pt: float = Field(1.0, gt=0)   # 0.35 mm = w:sz 8
    thin_width_pt: float = Field(0.75, gt=0)   # 0.25 mm = w:sz 6
    side_indent_chars: float = Field(1, ge=0)
    row_padding_pt: float = Field(3, ge=0)
    copies_format: str = "（共印{copies}份）"
    extra_label: str = "本期增发"


class Labels(_Preset):
    """Texts of the masthead; `{n}` is the number, `{theme}` the special issue's theme."""

    regular: str = "第{n}期"
    total: str = "（总第{total}期）"
    supplement: str = "增刊第{n}期"
    special: str = "专刊第{n}期"
    special_theme: str = "{theme}"
    imprint_editor: str = "{editor}编"


class Preset(_Preset):
    """A complete layout preset."""

    name: str = "gbt9704"
    description: str = ""
    page: Page = Field(default_factory=Page)
    fonts: Fonts = Field(default_factory=Fonts)
    sizes: Sizes = Field(default_factory=Sizes)
    masthead: Masthead = Field(default_factory=Masthead)
    body: Body = Field(default_factory=Body)
    tail: Tail = Field(default_factory=Tail)
    labels: Labels = Field(default_factory=Labels)
