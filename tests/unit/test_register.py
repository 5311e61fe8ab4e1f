"""The distribution register (分发登记表): its rows add up to 共印, and its columns hold their words."""
import csv
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from examples.generate import write_workspace  # noqa: E402

from bulletin.commands import reports  # noqa: E402
from bulletin.render.docx.oxml import W_NS  # noqa: E402
from bulletin.rules.distribution import resolve  # noqa: E402
from bulletin.store.workspace import Workspace  # noqa: E402

W = f"{{{W_NS}}}"


def _ws(tmp_path, distribution="lists: [default]\n  extra: [市档案馆, 市图书馆]") -> Workspace:
    return Workspace.find(write_workspace(tmp_path / "ws", articles=[dict(title="简讯", paragraphs=1)],
                                          distribution=distribution))


def _copies(ws: Workspace) -> int:
    meta, _ = ws.load_issue(ws.resolve("10"))
    dist, _ = resolve(meta.distribution, ws.recipients(), ws.series().print_settings.archive_copies, meta.copies)
    return dist.copies


def test_the_register_adds_up_to_the_copies_printed(tmp_path):
    ws = _ws(tmp_path)
    rows, total = reports.register_rows(ws, "10")
    assert total == _copies(ws) == sum(r[3] for r in rows)
    archive = rows[-1]
    assert archive[1:] == ("存档", ws.series().series.editor, ws.series().print_settings.archive_copies)
    assert [r[0] for r in rows] == list(range(1, len(rows) + 1))


def test_an_override_of_the_copies_printed_goes_to_the_office(tmp_path):
    ws = _ws(tmp_path)
    issue_yaml = ws.issue_dir(ws.resolve("10")) / "issue.yaml"
    issue_yaml.write_text(issue_yaml.read_text(encoding="utf-8") + "copies: 200\n", encoding="utf-8")
    rows, total = reports.register_rows(ws, "10")
    assert total == 200 == sum(r[3] for r in rows) and rows[-1][1] == "存档"


def test_no_archive_copies_no_archive_row(tmp_path):
    ws = _ws(tmp_path)
    toml = ws.root / "bulletin.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("archive_copies = 5", "archive_copies = 0"),
                    encoding="utf-8")
    rows, total = reports.register_rows(ws, "10")
    assert "存档" not in [r[1] for r in rows] and total == _copies(ws)


def test_the_csv_total_is_the_copies_printed(tmp_path):
    ws = _ws(tmp_path)
    out = reports.write_register_csv(ws, "10", tmp_path / "r.csv")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    body, last = rows[1:-1], rows[-1]
    assert last[1] == "合计" and int(last[3]) == _copies(ws) == sum(int(r[3]) for r in body)
    assert body[-1][1] == "存档"


def test_the_docx_register_has_the_archive_row_and_room_for_its_words(tmp_path):
    ws = _ws(tmp_path)
    out = reports.write_register_docx(ws, "10", tmp_path / "r.docx")
    root = ET.fromstring(zipfile.ZipFile(out).read("word/document.xml"))
    table = next(root.iter(f"{W}tbl"))
    widths = [int(c.get(f"{W}w")) for c in table.iter(f"{W}gridCol")]
    assert sum(widths) == 8844  # the type width, 156 mm
    rows = [["".join(t.text or "" for t in tc.iter(f"{W}t")) for tc in tr.findall(f"{W}tc")]
            for tr in table.findall(f"{W}tr")]
    assert rows[-1][1] == "合计" and int(rows[-1][3]) == _copies(ws)
    assert rows[-2][1] == "存档"
    # 本期增发 (4 characters of 14 pt, condensed by nothing) plus the cell's margins fits on one line
    category = max(len(r[1]) for r in rows)
    assert category == 4
    assert widths[1] >= category * 14 * 20 + 2 * 57 + 40
