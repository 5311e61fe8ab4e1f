"""Every output names an issue with the preset's labels (SPEC: templates/presets/NAME.toml of the
workspace, chosen by `[print] preset = "NAME"`): the masthead, the output file name, `new`, `list`,
`show`, the bound volume's contents and the statistics all say 第10号 when the preset says so."""
from __future__ import annotations

import json
import re
import zipfile

from cli_support import CONFIG_TOML, ok, run, write_workspace

PRESET = """\
[labels]
regular = "第{n}号"
total = "（总第{total}号）"
supplement = "增刊第{n}号"
special = "专号第{n}号"
"""


def _hao_workspace(tmp_path):
    ws = write_workspace(tmp_path / "ws", config=CONFIG_TOML.replace('preset = "gbt9704"', 'preset = "hao"'))
    (ws / "templates" / "presets").mkdir(parents=True)
    (ws / "templates" / "presets" / "hao.toml").write_text(PRESET, encoding="utf-8")
    return ws


def _text(docx) -> str:
    xml = zipfile.ZipFile(docx).read("word/document.xml").decode("utf-8")
    return "".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", xml))


def test_every_output_says_what_the_preset_labels_say(tmp_path):
    ws = _hao_workspace(tmp_path)

    rendered = ok(run("render", "10", workspace=ws)).stdout.strip()
    assert rendered.endswith("测试简报-2026-第10号.docx"), rendered
    masthead = _text(rendered)
    assert "第10号" in masthead and "（总第30号）" in masthead and "第10期" not in masthead

    assert ok(run("new", "--date", "2026-12-01", workspace=ws)).stdout.startswith("第11号（总第31号） ")
    assert ok(run("new", "--supplement", "--date", "2026-12-02", workspace=ws)).stdout.startswith("增刊第1号 ")
    assert ok(run("new", "--special", "条例", "--date", "2026-12-03", workspace=ws)).stdout.startswith("专号第1号 ")

    listing = ok(run("list", workspace=ws)).stdout
    assert "第10号（总第30号）" in listing and "增刊第1号" in listing and "期" not in listing, listing
    rows = json.loads(ok(run("list", "--json", workspace=ws)).stdout)
    assert [r["label"] for r in rows] == ["第10号（总第30号）", "第11号（总第31号）", "增刊第1号", "专号第1号"]

    shown = ok(run("show", "10", workspace=ws)).stdout
    assert shown.startswith("第10号（总第30号）"), shown
    assert json.loads(ok(run("show", "2026-S1", "--json", workspace=ws)).stdout)["label"] == "增刊第1号"

    volume = ok(run("compile", "2026", "--drafts", workspace=ws)).stdout.strip()
    contents = _text(volume)
    assert "第10号（总第30号）" in contents and "增刊第1号" in contents and "第10期" not in contents

    stats = ok(run("stats", "--drafts", "--year", "2026", workspace=ws)).stdout
    assert "第10号" in stats and "第10期" not in stats, stats
