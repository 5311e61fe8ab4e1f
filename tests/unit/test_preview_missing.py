"""Without LibreOffice (or pdftoppm) the preview says it is not available, converting nothing."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bulletin.commands import preview as preview_cmd
from bulletin.errors import BulletinError
from bulletin.office import launcher
from bulletin.store.workspace import Workspace

REPO = Path(__file__).resolve().parents[2]


def test_without_libreoffice_the_preview_is_not_available(monkeypatch, tmp_path):
    monkeypatch.setattr(launcher, "find_soffice", lambda: None)
    with pytest.raises(BulletinError) as caught:
        preview_cmd.page_images(Workspace(REPO), "10", tmp_path / "cache")
    message = caught.value.diagnostics[0]
    assert "preview is not available" in message.message and "LibreOffice" in message.message
    assert "install LibreOffice" in message.hint
    assert not (tmp_path / "cache").exists()


def test_without_pdftoppm_the_preview_is_not_available(monkeypatch, tmp_path):
    monkeypatch.setattr(launcher, "find_soffice", lambda: "/usr/bin/soffice")
    real = shutil.which
    monkeypatch.setattr(preview_cmd.shutil, "which", lambda name: None if name == "pdftoppm" else real(name))
    with pytest.raises(BulletinError) as caught:
        preview_cmd.page_images(Workspace(REPO), "10", tmp_path / "cache")
    assert "pdftoppm" in caught.value.diagnostics[0].message


def test_the_message_is_in_chinese_for_the_catalog():
    from bulletin.i18n import _  # noqa: F401 — the message is marked; the catalog check proves its msgstr
    po = (REPO / "bulletin/locale/zh_CN/LC_MESSAGES/bulletin.po").read_text(encoding="utf-8")
    assert 'msgid "the preview is not available: LibreOffice is not installed"' in po
    assert "预览暂不可用" in po
