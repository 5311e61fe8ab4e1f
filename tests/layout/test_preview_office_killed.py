"""The workbench's preview while its warm LibreOffice is killed in the middle of a conversion (a crash):
that request answers 预览暂不可用 (503) or, the converter having started LibreOffice again, the page
image; and the next preview, of a changed issue, is made (a real conversion, not the cache).
(tests/layout/test_warm_office.py kills LibreOffice between conversions; this is during one.)"""
from __future__ import annotations

import json
import re
import sys
import threading
import time
import warnings
from pathlib import Path

import pytest

from bulletin.office import warm

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="process groups are POSIX")

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "cli"))
from cli_support import copy_demo, kill_tree  # noqa: E402
HEADERS = {"Accept-Language": "zh-CN"}


@pytest.fixture
def ws(tmp_path, soffice) -> Path:
    return copy_demo(tmp_path / "ws")


def _note(client, text: str) -> None:
    page = client.get("/issues/2026-10", headers=HEADERS).text
    version = re.search(r'name="version" value="([^"]*)"', page[page.index("/issues/2026-10/note"):]).group(1)
    token = re.search(r'"X-CSRF-Token": "([0-9a-f]+)"', page).group(1)
    done = client.post("/issues/2026-10/note", data={"editor_note": text, "version": version},
                       headers={**HEADERS, "X-CSRF-Token": token}, follow_redirects=False)
    assert done.status_code == 303, done.text


@pytest.mark.parametrize("delay", [0.2, 0.8])
def test_libreoffice_killed_during_a_preview_then_the_next_preview_is_made(ws, delay):
    from bulletin.web.app import create_app

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from starlette.testclient import TestClient

        with TestClient(create_app(ws, warm_office=True), base_url="http://127.0.0.1:8110") as client:
            record = json.loads((ws / ".bulletin" / "office.json").read_text(encoding="utf-8"))
            endpoint = warm.Endpoint(record["port"], record["token"], record["pid"])
            before = endpoint.ping()
            assert before and before["soffice_pid"]
            _note(client, f"本期编者按（LibreOffice 在转换中被结束，{delay} 秒）。")
            answer = {}
            asking = threading.Thread(target=lambda: answer.update(
                response=client.get("/issues/2026-10/pages/1.png", headers=HEADERS)))
            asking.start()
            time.sleep(delay)              # the conversion is under way (a whole one takes a second or more)
            kill_tree(before["soffice_pid"])
            asking.join(timeout=300)
            response = answer["response"]
            if response.status_code == 503:
                assert "预览暂不可用" in response.text
            else:
                assert response.status_code == 200 and response.content.startswith(b"\x89PNG")
            # the next preview, of a changed issue so that it is converted again, is made
            _note(client, "本期编者按（LibreOffice 重新启动之后）。")
            again = client.get("/issues/2026-10/pages/1.png", headers=HEADERS)
            assert again.status_code == 200 and again.content.startswith(b"\x89PNG")
            after = endpoint.ping()
            assert after and after["soffice_pid"] != before["soffice_pid"] and after["restarts"] > before["restarts"]
