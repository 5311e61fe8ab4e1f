"""Sample workspaces for every test layer: issues of chosen lengths with plausible Chinese text.

Text is generated from a fixed seed, so a workspace is the same on every run and every machine.
"""
from __future__ import annotations

import random
from pathlib import Path

PHRASES = [
    "深入推进政务公开标准化规范化建设", "围绕群众关切及时发布权威信息", "进一步完善政策解读机制",
    "扎实做好基层政务公开工作", "推动政务服务事项网上可办", "健全信息发布审查制度",
    "各部门主要负责同志亲自部署", "主动公开财政预决算信息", "依法依规办理政府信息公开申请",
    "拓展政务新媒体互动渠道", "开展政府开放日活动", "提升政策文件解读质量",
    "加强重点领域信息公开", "建立健全工作考核评议机制", "及时回应社会关切",
    "推进决策过程公开", "优化政府网站集约化平台", "强化公开属性源头认定",
]
CONNECT = ["，", "，", "；", "，"]

RECIPIENTS_YAML = """\
recipients:
  - id: shiwei
    name: 市委办公室
    role: 报
    copies: 2
  - id: renda
    name: 市人大常委会办公室
    role: 报
  - id: zhengxie
    name: 市政协办公室
    role: 报
  - id: districts
    name: 各区人民政府
    role: 送
    copies: 40
  - id: depts
    name: 市政府各部门
    role: 送
    copies: 60
  - id: towns
    name: 各镇（街道）政务公开办公室
    role: 发
    copies: 30
lists:
  default: [shiwei, renda, zhengxie, districts, depts, towns]
  short: [shiwei, districts]
"""

CONFIG_TOML = """\
[series]
name = "政务公开工作简报"
masthead = ["××市政务公开工作", "简报"]
editor = "××市政务公开领导小组办公室"
marking = "内部资料　注意保存"
first = {{ year = {year}, number = 1, total = {total} }}

[print]
preset = "gbt9704"
archive_copies = 5
"""


def sentence(rng: random.Random, length: int) -> str:
    """Chinese text of about `length` characters ending in 。 (all full width)."""
    out = ""
    while len(out) < length:
        out += rng.choice(PHRASES) + rng.choice(CONNECT)
    return out[: length - 1].rstrip("，；") + "。"


def article_text(rng: random.Random, title: str, paragraphs: int, *, source: str = "", section: str = "",
                 headings: bool = False, para_chars: tuple[int, int] = (80, 220)) -> str:
    front = [f"title: {title}"]
    if source:
        front.append(f"source: {source}")
    if section:
        front.append(f"section: {section}")
    body = []
    for i in range(paragraphs):
        if headings and i % 3 == 0:
            level = 1 if i % 6 == 0 else 2
            body.append("#" * level + " " + rng.choice(PHRASES))
        body.append(sentence(rng, rng.randint(*para_chars)))
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(body) + "\n"


def png(width_px: int = 4, height_px: int = 3, dpi: int = 96, shade: int = 160) -> bytes:
    """A plain grey PNG of the given size and resolution (pHYs), made without any imaging library."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes([shade]) * width_px
    per_metre = round(dpi / 0.0254)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width_px, height_px, 8, 0, 0, 0, 0))
            + chunk(b"pHYs", struct.pack(">IIB", per_metre, per_metre, 1))
            + chunk(b"IDAT", zlib.compress(row * height_px, 9)) + chunk(b"IEND", b""))


def article_file(title: str, body: str, *, source: str = "", section: str = "") -> str:
    """An article file with the given Markdown body, written as it is (no generated text)."""
    front = [f"title: {title}"] + [f"{key}: {value}" for key, value in (("source", source), ("section", section))
                                   if value]
    return "---\n" + "\n".join(front) + "\n---\n\n" + body.strip() + "\n"


def _toml_list(items: list[str]) -> str:
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def write_workspace(root: Path, *, year: int = 2026, total: int = 30, number: int = 10,
                    articles: list[dict] | None = None, seed: int = 7, editor_note: str = "",
                    people: bool | dict = True, distribution: str = "lists: [default]",
                    kind: str = "regular", theme: str = "", masthead: list[str] | None = None,
                    name: str | None = None, marking: str | None = None, recipients: str | None = None,
                    preset: str = "", pictures: dict[str, bytes] | None = None) -> Path:
    """A workspace with one issue `number` of `year` (a regular one unless `kind` says supplement or
    special); `articles` are dicts for article_text, or for article_file when they hold `body`.

    `masthead`, `name` and `marking` replace the series' lines ("" for no marking); `recipients`
    replaces recipients.yaml; `preset` is the TOML of a workspace preset over gbt9704; `pictures`
    are files written into the issue folder.
    """
    rng = random.Random(seed)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    config = CONFIG_TOML.format(year=year, total=total).replace("number = 1", f"number = {number}")
    if masthead is not None:
        config = config.replace('masthead = ["××市政务公开工作", "简报"]', f"masthead = {_toml_list(masthead)}")
    if name is not None:
        config = config.replace('name = "政务公开工作简报"', f'name = "{name}"')
    if marking is not None:
        config = config.replace('marking = "内部资料　注意保存"', f'marking = "{marking}"')
    if preset:
        config = config.replace('preset = "gbt9704"', 'preset = "sample"')
        (root / "templates" / "presets").mkdir(parents=True, exist_ok=True)
        (root / "templates" / "presets" / "sample.toml").write_text(preset, encoding="utf-8")
    (root / "bulletin.toml").write_text(config, encoding="utf-8")
    (root / "recipients.yaml").write_text(recipients or RECIPIENTS_YAML, encoding="utf-8")
    folder_name = {"regular": f"{number:02d}", "supplement": f"S{number}", "special": f"Z{number}"}[kind]
    folder = root / "issues" / str(year) / folder_name
    folder.mkdir(parents=True, exist_ok=True)
    for picture, data in (pictures or {}).items():
        (folder / picture).write_bytes(data)
    names = []
    for i, spec in enumerate(articles or []):
        name_ = f"{i + 1:02d}-article.md"
        spec = dict(spec)
        title = spec.pop("title", f"关于{rng.choice(PHRASES)}的情况")
        text = article_file(title, **spec) if "body" in spec else article_text(rng, title, **spec)
        (folder / name_).write_text(text, encoding="utf-8")
        names.append(name_)
    note = f"editor_note: {editor_note}\n" if editor_note else ""
    if "\n" in editor_note:
        note = "editor_note: |\n" + "".join(f"  {line}\n" if line else "\n" for line in editor_note.split("\n"))
    if isinstance(people, dict):
        people_line = "people: { " + ", ".join(f'{k}: "{v}"' for k, v in people.items()) + " }\n"
    else:
        people_line = 'people: { editor: "王××", reviewer: "李××", signer: "张××" }\n' if people else ""
    listing = "".join(f"  - {n}\n" for n in names)
    numbers = f"number: {number}\n" + (f"total: {total}\n" if kind == "regular" else "")
    theme_line = f"theme: {theme}\n" if theme else ""
    (folder / "issue.yaml").write_text(
        f"{numbers}date: {year}-11-20\nkind: {kind}\n{theme_line}status: draft\n{note}"
        f"articles:{' []' if not names else ''}\n{listing}distribution:\n  {distribution}\n{people_line}",
        encoding="utf-8")
    return root


# Issue shapes the layout is measured on (pages as LibreOffice lays them out).
SHORT = dict(articles=[dict(title="我市召开政务公开工作推进会", paragraphs=2, para_chars=(40, 56))],
             distribution="lists: [short]", people=False)
MEDIUM = dict(articles=[
    dict(title="我市政务公开工作取得新进展", paragraphs=4, section="工作动态", para_chars=(80, 160)),
    dict(title="市税务局推行“一网通办”改革", paragraphs=3, source="市税务局", section="工作动态",
         para_chars=(80, 160)),
    dict(title="××区深化基层政务公开标准化规范化建设的做法", paragraphs=6, source="××区政务服务中心",
         section="经验交流", headings=True, para_chars=(80, 160)),
], editor_note="本期刊发一组政务公开工作经验，供各地各部门学习借鉴。")
LONG = dict(articles=[
    dict(title="全市政务公开工作会议召开", paragraphs=12, para_chars=(150, 300)),
    dict(title="市数据局推进政务数据共享开放", paragraphs=6, source="市数据局", headings=True),
    dict(title="各地各部门政务公开工作动态", paragraphs=4),
    dict(title="关于进一步做好政策解读工作的几点思考", paragraphs=8, source="市政府办公室", headings=True),
])


# Shapes unlike the demo (issue 2: the layout is also measured on issues that are not in this repository).


def _paragraphs(seed: int, count: int, chars: tuple[int, int] = (80, 200)) -> str:
    rng = random.Random(seed)
    return "\n\n".join(sentence(rng, rng.randint(*chars)) for _ in range(count))


def _exact_lines(lines: int) -> str:
    """A paragraph of plain Chinese text that fills exactly `lines` lines of 28 characters."""
    return ("政务公开标准化规范化建设" * 12)[:26 + 28 * (lines - 1) - 1] + "。"


HEADINGS_BODY = "\n\n".join([
    "为深入推进政务公开工作，现将有关情况通报如下。",
    "# 总体情况", _paragraphs(2, 1),
    "## 主要成效", _paragraphs(3, 1),
    "### 平台建设", _paragraphs(4, 1),
    "#### 栏目设置", _paragraphs(5, 1),
    "#### （2）内容更新", _paragraphs(6, 1),
    "### 2.队伍建设", _paragraphs(7, 1),
    "## （二）存在问题", _paragraphs(8, 1),
    "# 二、下一步工作", _paragraphs(9, 1),
    "# 加强督促检查，确保各项工作任务落到实处，推动政务公开工作高质量发展取得新成效", _paragraphs(10, 1),
])
PICTURES_BODY = "\n\n".join([
    _paragraphs(11, 1), "![政务服务大厅“一窗受理”综合窗口](wide.png)",
    _paragraphs(12, 1), "![工作人员为群众讲解政策](tall.png)",
    _paragraphs(13, 1), "![小图标](small.png)", "![](square.png)",
    _paragraphs(14, 1),
])
LATIN_BODY = """2026年，我市政务公开平台（https://www.example.gov.cn/zwgk/zcwj/202611/t20261120_1234567890.html）完成\
改版，新增API接口12个，日均访问量达到35000人次，其中移动端占比68.5%。

平台采用B/S架构和Open Data标准，数据目录编号为ZWGK-2026-001-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789，接口地址\
为https://data.example.gov.cn/api/v2/opendata/catalog/list?page=1&size=100&sort=updated_desc。

各单位应于2026年12月31日前通过电子邮箱zhengwugongkai_office_2026@example.gov.cn报送材料。

AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA

The quick brown fox jumps over the lazy dog while the Government Open Data Portal publishes machine-readable \
datasets in CSV, JSON and XML formats for public reuse.
"""

# 30 recipients whose names run past 20 characters: the tail wraps over most of a page.
HUGE_RECIPIENTS_YAML = "recipients:\n" + "".join(
    f"  - id: r{i}\n    name: {name}\n    role: {role}\n    copies: {1 + i % 3}\n"
    for i, (name, role) in enumerate(
        [(f"××省人民政府办公厅政务公开办公室第{n}联络处", "报") for n in range(1, 9)]
        + [(f"××市{d}区人民政府办公室政务公开和政务服务科", "送") for d in "东西南北中甲乙丙丁戊庚辛"]
        + [(f"××市{d}街道办事处党政综合办公室", "发") for d in "一二三四五六七八九十"])
) + "lists:\n  default: [" + ", ".join(f"r{i}" for i in range(30)) + "]\n"

PICTURES = {"tall.png": png(600, 1800, 96), "wide.png": png(2400, 600, 150), "small.png": png(80, 60, 96),
            "square.png": png(900, 900, 72)}

# Headings of all four levels (some already numbered), pictures tall, wide and small, Latin text and
# URLs, a two-paragraph editor's note, the source as a trailer, a partial people line, 本期增发.
FEATURES = dict(articles=[
    dict(title="关于全市政务公开工作情况的通报", body=HEADINGS_BODY, section="工作通报"),
    dict(title="市政务服务中心优化大厅布局", body=PICTURES_BODY, source="市政务服务中心", section="工作动态"),
    dict(title="我市政务数据开放平台API接口上线", body=LATIN_BODY, source="市数据局", section="工作动态"),
], editor_note="本期通报全市政务公开工作情况。\n\n请各地各部门对照检查，抓好落实。",
    people={"editor": "王××", "reviewer": "", "signer": "张××"},
    distribution="lists: [default]\n  extra: [市档案馆, 市图书馆]", pictures=PICTURES)
# Titles of one, two and three lines, Latin and digits in titles; no columns and the source as a
# kicker (a workspace preset); no marking and a one-line masthead name too long for one line.
TITLES = dict(articles=[
    dict(title="我市深化“一网通办”改革推动政务公开提质增效", paragraphs=2, source="市政务服务中心",
         para_chars=(60, 90)),
    dict(title="关于进一步加强和改进新形势下全市基层政务公开标准化规范化建设工作推动政务服务提质增效的调研报告",
         paragraphs=2, para_chars=(60, 90)),
    dict(title="简讯", paragraphs=1, para_chars=(40, 60)),
    dict(title="市政府召开2026年第3次常务会议研究部署GDP统计和5G网络建设工作", paragraphs=2, source="市政府办公室",
         para_chars=(60, 90)),
    dict(title="××区深化基层政务公开标准化规范化建设的做法与成效", paragraphs=3),
], masthead=["××省××市××区人民政府办公室政务公开工作领导小组工作简报"], marking="",
    preset='[body]\nsource_style = "kicker"\n')
# Twelve articles in three columns: the contents run over page 1.
MANY = dict(articles=[
    dict(title=title, paragraphs=2, section=["工作动态", "经验交流", "基层动态"][i // 4],
         source="市政府办公室" if i % 3 == 0 else "", para_chars=(60, 120))
    for i, title in enumerate([
        "我市召开政务公开工作推进会", "市税务局推行“一网通办”改革", "××区深化基层政务公开标准化规范化建设的做法与成效",
        "市数据局推进政务数据共享", "市教育局公开义务教育招生政策", "市卫健委开展政务开放日活动",
        "市人社局推出就业政策明白卡", "市住建局公开保障性住房分配信息", "市民政局完善低保信息公示制度",
        "市交通局公开重点项目建设进度", "市财政局全面公开预决算信息", "市生态环境局发布环境质量月报"])],
    editor_note="本期集中刊发各地各部门政务公开工作动态。")
SUPPLEMENT = dict(kind="supplement", number=1, masthead=["政务公开简报"],
                  articles=[dict(title="全市政务公开工作会议召开", paragraphs=4)])
SPECIAL = dict(kind="special", number=1, theme="学习贯彻《中华人民共和国政府信息公开条例》专题",
               articles=[dict(title="全市政务公开工作会议召开", paragraphs=4)], marking="秘密★1年")
# The huge tail cannot share the last page with the body: it moves to a page of its own.
HUGE_TAIL = dict(articles=[dict(title="我市召开政务公开工作推进会", paragraphs=6, para_chars=(150, 200))],
                 recipients=HUGE_RECIPIENTS_YAML,
                 distribution="lists: [default]\n  extra: [各民主党派市委, 市工商联, 驻市各单位, 各人民团体]")
# Eleven lines of body fill page 1 to its last line: the tail goes to page 2, alone.
EXACT_BOTTOM = dict(articles=[dict(title="我市召开政务公开工作推进会",
                                   body="\n\n".join([_exact_lines(2)] * 5 + [_exact_lines(1)]))],
                    distribution="lists: [short]", people=False)

# A table long enough to run over a page break (its header row repeats), cells that wrap, bold and
# a rare character (堃) in cells, a right-aligned column; and a narrow table, centred at its own width.
_UNITS = ["市发展改革委", "市教育局", "市科技局", "市工业和信息化局", "市公安局", "市民政局", "市司法局", "市财政局",
          "市人力资源社会保障局", "市自然资源和规划局", "市生态环境局", "市住房城乡建设局", "市交通运输局", "市水务局",
          "市农业农村局", "市商务局", "市文化广电旅游局", "市卫生健康委", "市应急管理局", "市审计局", "市市场监管局",
          "市统计局", "市医保局", "市城管局", "市数据局", "市信访局"]
_NOTES = ["", "按时完成", "**重点推进**", "政策解读材料同步发布，解读率100%", "",
          "负责人王堃同志牵头，建立季度通报制度，对发现的问题逐项整改并在门户网站公开整改情况"]
LONG_TABLE = "\n".join(
    ["| 序号 | 单位 | 主动公开信息（条） | 依申请公开（件） | 备注 |", "|:-:|---|--:|--:|---|"]
    + [f"| {n} | {unit} | {120 + 37 * n % 400} | {3 + 7 * n % 40} | {_NOTES[n % len(_NOTES)]} |"
       for n, unit in enumerate(_UNITS, 1)])
SMALL_TABLE = "| 事项 | 办件量 |\n|---|--:|\n| 低保审批 | 1200件 |\n| 临时救助 | 356件 |"
TABLES_BODY = "\n\n".join([
    _paragraphs(21, 1), "现将各单位2026年1—10月政务公开工作情况列表如下：", LONG_TABLE,
    _paragraphs(22, 2), "其中，市民政局办件情况如下：", SMALL_TABLE, _paragraphs(23, 1)])
TABLES = dict(articles=[
    dict(title="全市政务公开工作情况统计", body=TABLES_BODY, source="市政务公开办", section="工作通报"),
    dict(title="我市召开政务公开工作推进会", paragraphs=2, para_chars=(60, 120)),
    dict(title="关于进一步做好政策解读工作的几点思考", paragraphs=8, para_chars=(150, 300)),  # a plain full page
])

VARIED = {"features": FEATURES, "titles": TITLES, "many": MANY, "supplement": SUPPLEMENT, "special": SPECIAL,
          "huge_tail": HUGE_TAIL, "exact_bottom": EXACT_BOTTOM, "tables": TABLES}


def issue_ref(shape: dict) -> str:
    """The name `bulletin render` takes for the issue a shape describes."""
    number = shape.get("number", 10)
    kind = shape.get("kind", "regular")
    return {"regular": str(number), "supplement": f"2026-S{number}", "special": f"2026-Z{number}"}[kind]
