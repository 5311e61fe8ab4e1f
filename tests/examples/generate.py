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


def write_workspace(root: Path, *, year: int = 2026, total: int = 30, number: int = 10,
                    articles: list[dict] | None = None, seed: int = 7, editor_note: str = "",
                    people: bool = True, distribution: str = "lists: [default]") -> Path:
    """A workspace with one regular issue `number` of `year`; `articles` are dicts for article_text."""
    rng = random.Random(seed)
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    (root / "bulletin.toml").write_text(CONFIG_TOML.format(year=year, total=total).replace(
        "number = 1", f"number = {number}"), encoding="utf-8")
    (root / "recipients.yaml").write_text(RECIPIENTS_YAML, encoding="utf-8")
    folder = root / "issues" / str(year) / f"{number:02d}"
    folder.mkdir(parents=True, exist_ok=True)
    names = []
    for i, spec in enumerate(articles or []):
        name = f"{i + 1:02d}-article.md"
        spec = dict(spec)
        title = spec.pop("title", f"关于{rng.choice(PHRASES)}的情况")
        (folder / name).write_text(article_text(rng, title, **spec), encoding="utf-8")
        names.append(name)
    note = f"editor_note: {editor_note}\n" if editor_note else ""
    people_line = 'people: { editor: "王××", reviewer: "李××", signer: "张××" }\n' if people else ""
    listing = "".join(f"  - {n}\n" for n in names)
    (folder / "issue.yaml").write_text(
        f"number: {number}\ntotal: {total}\ndate: {year}-11-20\nkind: regular\nstatus: draft\n{note}"
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
