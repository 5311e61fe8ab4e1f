"""What the workbench keeps between requests (the files read, kept by their text; the .docx's hash, by
the files' sizes, times and inodes) never hides a change made outside it: after a change by another
process (the CLI, an editor) the next page load shows the files as they are, its edit forms carry the
new versions, and the preview's address names the new .docx; a save from a form opened before the
change is refused (409)."""
from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

from cli_support import clean_env, ok, run
from test_versions_pages import ARTICLE, ISSUE, URL, hidden_versions, opened
from web_support import parse

from bulletin.commands.render import build_docx
from bulletin.store.versions import file_version
from bulletin.store.workspace import Workspace



def _elsewhere(path: Path, text: str) -> None:
    """`text` written to `path` by another process, the way an editor saves (a new file put in place)."""
    script = ("import os, pathlib, sys; p = pathlib.Path(sys.argv[1]); t = p.with_suffix('.tmp'); "
              "t.write_text(sys.argv[2], encoding='utf-8'); os.replace(t, p)")
    subprocess.run([sys.executable, "-c", script, str(path), text], check=True, env=clean_env())


def _docx_sha256(ws: Path) -> str:
    return hashlib.sha256(build_docx(Workspace(ws), Workspace(ws).resolve("10"))).hexdigest()


def _pages_version(page: str) -> str:
    return re.search(r"/pages/1\.png\?v=([0-9a-f]+)", page).group(1)


def test_an_article_changed_by_another_process_shows_at_once_with_its_new_version(client, ws):
    before = opened(client)                       # read (and kept) once
    assert opened(client)["version"] == before["version"] == file_version(ws / ARTICLE)
    assert "我市深化政务公开工作取得新成效" in client.get("/issues/2026-10").text
    text = (ws / ARTICLE).read_text(encoding="utf-8")
    _elsewhere(ws / ARTICLE, text.replace("成立工作专班", "另一人改写：成立工作专班").replace("取得新成效", "再上台阶"))
    now = opened(client)
    assert "另一人改写" in now["body"] and now["title"] == "我市深化政务公开工作再上台阶"
    listed = client.get("/issues/2026-10").text
    assert "我市深化政务公开工作再上台阶" in listed and "取得新成效" not in listed
    assert now["version"] == file_version(ws / ARTICLE) != before["version"]
    page = client.get(URL).text
    assert _pages_version(page) == _docx_sha256(ws)[:16]
    before["body"] += "\n打开得早的表单。\n"
    assert client.post(URL, data=before).status_code == 409
    assert "打开得早的表单" not in (ws / ARTICLE).read_text(encoding="utf-8")


def test_an_issue_changed_on_the_command_line_shows_at_once_with_its_new_version(client, ws, tmp_path):
    first = client.get("/issues/2026-10").text
    issue_version = hidden_versions(parse(first))["/issues/2026-10/note"]
    submission = tmp_path / "市民政局.txt"
    submission.write_text("市民政局推进政务公开\n\n市民政局把政务公开与为民服务结合起来。\n", encoding="utf-8")
    ok(run("add", "10", str(submission), workspace=ws))
    # the note as ruamel writes it back (`|-`): a form the fast reader leaves to ruamel, whose reading is kept
    issue_yaml = (ws / ISSUE).read_text(encoding="utf-8").replace('editor_note: ""', "editor_note: |-\n  命令行写的编者按。")
    _elsewhere(ws / ISSUE, issue_yaml)
    page = client.get("/issues/2026-10").text
    assert "市民政局推进政务公开" in page and "命令行写的编者按。" in page
    versions = hidden_versions(parse(page))
    assert versions["/issues/2026-10/note"] == file_version(ws / ISSUE) != issue_version
    assert _pages_version(page) == _docx_sha256(ws)[:16] != _pages_version(first)
    r = client.post("/issues/2026-10/note", data={"editor_note": "打开得早的表单。", "version": issue_version})
    assert r.status_code == 409
    assert "打开得早的表单" not in (ws / ISSUE).read_text(encoding="utf-8")
    _elsewhere(ws / ISSUE, issue_yaml.replace("命令行写的编者按。", "又改了一次。"))
    assert "又改了一次。" in client.get("/issues/2026-10").text
