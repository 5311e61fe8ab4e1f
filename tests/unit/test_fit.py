"""bulletin.render.docx.fit: widths in em, wrapping by the Chinese line-breaking rules, balanced titles."""
import pytest

from bulletin.render.docx.fit import (
    AUTOSPACE_EM,
    NO_START,
    balanced_lines,
    char_width,
    text_width,
    wrap,
)

DEMO_TITLE = "我市深化“一网通办”改革推动政务公开提质增效"
TITLE_EM = 156 / 25.4 * 72 / 22 - 0.1   # a 二号 title line in the 156 mm type area


def test_han_characters_and_full_width_marks_are_one_em():
    assert text_width("政务公开") == 4
    assert text_width("“一网通办”，") == 7
    assert char_width("×") == 1


def test_latin_text_has_its_own_widths():
    assert text_width("2026") == pytest.approx(2.0)
    assert text_width("GDP") == pytest.approx(2.0)     # capitals are wider than half an em
    assert text_width("il") < text_width("mw")


def test_han_next_to_latin_gets_the_word_processors_spacing():
    assert text_width("第1期") == pytest.approx(2.5 + 2 * AUTOSPACE_EM)
    assert text_width("第 1 期") == pytest.approx(2.5 + 2 * 0.25)   # a real space instead, no extra


def test_wrap_fills_lines_greedily():
    assert wrap("一二三四五六七八", 3) == ["一二三", "四五六", "七八"]
    assert wrap("一二三四五六七", 3, 2) == ["一二三", "四五", "六七"]


def test_a_closing_mark_never_starts_a_line_it_takes_the_character_before_along():
    assert wrap("一二三四，五六", 4) == ["一二三", "四，五六"]
    for text in ["政务公开，标准化。规范化、建设”完成）好", "一二三四五六七八九十，。"]:
        for cap in range(3, 9):
            assert not any(line[0] in NO_START for line in wrap(text, cap)[1:])


def test_an_opening_mark_never_ends_a_line():
    assert wrap("一二三“四五”", 4) == ["一二三", "“四五”"]


def test_latin_words_move_whole_and_spaces_vanish_at_the_break():
    assert wrap("The quick brown fox", 3) == ["The", "quick", "brown", "fox"]
    assert wrap("The quick brown fox", 5) == ["The quick", "brown fox"]


def test_a_word_longer_than_a_line_is_cut():
    lines = wrap("A" * 50, 10)
    assert len(lines) == 4 and "".join(lines) == "A" * 50
    assert all(text_width(l) <= 10 for l in lines)


def test_newline_ends_a_line():
    assert wrap("一二\n三", 10) == ["一二", "三"]


def test_wrap_agrees_with_libreoffice_on_a_tail_row():
    """The 报 row of the huge-tail sample as LibreOffice 7.4 set it: 14 pt in 156 mm less one
    character each side, wrapped lines hanging two characters in."""
    row = ("报：××省人民政府办公厅政务公开办公室第1联络处，××省人民政府办公厅政务公开办公室第2联络处，"
           "××省人民政府办公厅政务公开办公室第3联络处。")
    line_em = (156 / 25.4 * 72 - 28) / 14
    assert wrap(row, line_em - 0.1, line_em - 2 - 0.1) == [
        "报：××省人民政府办公厅政务公开办公室第1联络处，××省人",
        "民政府办公厅政务公开办公室第2联络处，××省人民政府办",
        "公厅政务公开办公室第3联络处。"]
    assert len(wrap(row, line_em - 0.1, line_em - 2.1)) == 3


def test_the_demo_title_is_balanced_at_its_closing_quote():
    assert wrap(DEMO_TITLE, TITLE_EM)[-1] == "增效"                  # what a word processor does
    assert balanced_lines(DEMO_TITLE, TITLE_EM) == ["我市深化“一网通办”", "改革推动政务公开提质增效"]


def test_a_title_that_fits_is_one_line():
    assert balanced_lines("简讯", TITLE_EM) == ["简讯"]
    assert balanced_lines("市税务局推进税费政策公开助力经营主体发展", TITLE_EM) == ["市税务局推进税费政策公开助力经营主体发展"]


@pytest.mark.parametrize("title", [
    DEMO_TITLE,
    "关于进一步加强和改进新形势下全市基层政务公开标准化规范化建设工作推动政务服务提质增效的调研报告",
    "市政府召开2026年第3次常务会议研究部署GDP统计和5G网络建设工作",
    "××区深化基层政务公开标准化规范化建设的做法与成效",
    "关于做好2026年度政府信息公开工作年度报告编制和发布工作的通知",
])
def test_balanced_titles_keep_the_line_count_fit_and_are_even(title):
    lines = balanced_lines(title, TITLE_EM)
    assert len(lines) == len(wrap(title, TITLE_EM))
    assert "".join(lines) == title
    widths = [text_width(l) for l in lines]
    assert max(widths) <= TITLE_EM
    assert max(widths) - min(widths) <= 4, lines
    assert all(len(l) > 2 for l in lines)
    assert not any(l[0] in NO_START for l in lines)


def test_a_break_after_a_preferred_word_wins_near_the_middle():
    name = "××省××市××区人民政府办公室政务公开工作领导小组工作简报"
    assert balanced_lines(name, 100, 2, ("办公室",)) == ["××省××市××区人民政府办公室", "政务公开工作领导小组工作简报"]


def test_latin_spaces_survive_balancing():
    lines = balanced_lines("The quick brown fox jumps over the lazy dog", 30, 2)
    assert " ".join(lines) == "The quick brown fox jumps over the lazy dog"


# Two-line titles of government work bulletins (工作简报): the balanced lines break between words,
# never inside one (before the segmenter: 今/冬明春, 专/项, 基/本建设, 大气/污染 … 专题/学习).
REAL_TITLES = [
    ("市场监管局开展食品安全专项整治行动护航群众舌尖安全", ["市场监管局开展食品安全专项", "整治行动护航群众舌尖安全"]),
    ("我市召开今冬明春农田水利基本建设暨冬季植树造林动员大会",
     ["我市召开今冬明春农田水利", "基本建设暨冬季植树造林动员大会"]),
    ("全市安全生产委员会部署今冬明春安全生产大检查工作", ["全市安全生产委员会部署", "今冬明春安全生产大检查工作"]),
    ("我市多措并举扎实做好今冬明春森林草原防灭火工作", ["我市多措并举扎实做好", "今冬明春森林草原防灭火工作"]),
    ("县委理论学习中心组专题学习贯彻党的二十大精神", ["县委理论学习中心组", "专题学习贯彻党的二十大精神"]),
    ("市生态环境局深入开展大气污染防治攻坚行动成效明显", ["市生态环境局深入开展", "大气污染防治攻坚行动成效明显"]),
    ("市应急管理局组织开展二〇二四年度防汛抗旱应急演练", ["市应急管理局组织开展", "二〇二四年度防汛抗旱应急演练"]),
    ("我县扎实推进乡村振兴战略实施取得阶段性成效", ["我县扎实推进乡村振兴", "战略实施取得阶段性成效"]),
    ("市教育局全面落实“双减”政策提升课后服务水平", ["市教育局全面落实“双减”", "政策提升课后服务水平"]),
    ("我市深化“一网通办”改革推动政务公开提质增效", ["我市深化“一网通办”", "改革推动政务公开提质增效"]),
    ("市人力资源和社会保障局多措并举稳就业保民生促发展", ["市人力资源和社会保障局多措", "并举稳就业保民生促发展"]),
]


@pytest.mark.parametrize("title, lines", REAL_TITLES, ids=[t for t, _ in REAL_TITLES])
def test_real_titles_break_between_words(title, lines):
    assert balanced_lines(title, TITLE_EM) == lines


def test_a_title_that_fits_does_not_load_the_segmenter():
    import subprocess
    import sys

    code = ("import sys; from bulletin.render.docx import fit, wordbreaks; fit.balanced_lines('简讯', 20); "
            "print('jieba' in sys.modules or 'sqlite3' in sys.modules or wordbreaks._DICTIONARY is not None)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_the_segmenter_is_silent():
    import subprocess
    import sys

    code = "from bulletin.render.docx.fit import balanced_lines; print(balanced_lines('全市安全生产委员会部署今冬明春安全生产大检查工作', 20))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stderr == "" and "今冬明春" in done.stdout.splitlines()[-1]
