"""Messages in Chinese and English: the language chosen, and a catalog that translates every message."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from bulletin import i18n

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _restore_language():
    yield
    i18n.set_language("en")


@pytest.mark.parametrize("environ, expected", [
    ({"LANG": "zh_CN.UTF-8"}, "zh"),
    ({"LANG": "C"}, "en"),
    ({"LANG": "en_US.UTF-8", "LC_ALL": "zh_CN.UTF-8"}, "zh"),
    ({"LC_ALL": "C.UTF-8", "LANG": "zh_CN.UTF-8"}, "en"),
    ({"LC_MESSAGES": "zh_TW.UTF-8", "LANG": "C"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "BULLETIN_LANG": "en"}, "en"),
    ({"LANG": "C", "BULLETIN_LANG": "zh"}, "zh"),
    ({"LC_ALL": "", "LANG": "zh_CN.GB18030"}, "zh"),
])
def test_language_follows_the_locale_and_bulletin_lang(environ, expected, monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert i18n.detect(environ) == expected


def test_no_locale_at_all_is_english_off_windows(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    assert i18n.detect({}) == "en"


@pytest.mark.parametrize("argv, expected", [
    (["bulletin", "--lang", "zh", "list"], "zh"), (["bulletin", "--lang=en", "list"], "en"),
    (["bulletin", "list"], None)])
def test_lang_option_is_read_before_anything_is_shown(argv, expected):
    assert i18n.language_from_argv(argv) == expected


def test_translation_switches_with_the_language():
    i18n.set_language("zh")
    assert i18n._("Usage:") == "用法："
    i18n.set_language("en")
    assert i18n._("Usage:") == "Usage:"


def test_every_message_has_a_chinese_translation_and_the_mo_is_compiled():
    """Fails when a message marked in the code has no Chinese, keeps other {placeholders}, or the
    compiled .mo lags behind the .po (fix: translate in the .po, run `python3 scripts/catalog.py`)."""
    done = subprocess.run([sys.executable, str(REPO / "scripts" / "catalog.py"), "--check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_the_check_catches_a_missing_translation(tmp_path, monkeypatch):
    sys.path.insert(0, str(REPO / "scripts"))
    try:
        import catalog
    finally:
        sys.path.pop(0)
    po = catalog.updated()
    message = next(m for m in po if m.id)
    message.string = ""
    assert any("no Chinese" in p for p in catalog.problems(po))
    message.string = "{oops}"
    assert any("placeholders" in p for p in catalog.problems(po))


_SHOWN_BY = {"fail", "Diagnostic", "BulletinError", "BadParameter", "_err", "_out"}


def _english_literal(node) -> bool:
    """A plain string or f-string of English words (two or more), not passed through the catalog."""
    import ast

    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = " ".join(v.value for v in node.values if isinstance(v, ast.Constant))
    elif isinstance(node, ast.BinOp):
        return _english_literal(node.left) or _english_literal(node.right)
    else:
        return False
    words = [w for w in text.split() if w.isascii() and w.isalpha()]
    return len(words) >= 2 and not text.lstrip().startswith("bulletin ")  # a command to type stays as it is


def _unmarked_messages(root: Path) -> list[str]:
    import ast

    found = []
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
            if name not in _SHOWN_BY:
                continue
            args = node.args[2:4] if name == "fail" else \
                node.args[2:3] + node.args[4:5] if name == "Diagnostic" else node.args[:1]
            args += [kw.value for kw in node.keywords if kw.arg in ("message", "hint")]
            found += [f"{path.relative_to(root.parent)}:{a.lineno}" for a in args if _english_literal(a)]
    return found


def test_no_message_is_shown_without_passing_through_the_catalog(tmp_path):
    """Every message and hint given to fail(), Diagnostic(), … is `_("…")`: an English literal there
    would print in English under a Chinese locale. The check can fail: an unmarked one is found."""
    assert _unmarked_messages(REPO / "bulletin") == []
    sample = tmp_path / "bulletin" / "sample.py"
    sample.parent.mkdir()
    sample.write_text('raise fail(path, 3, f"the file {name} is missing", "add it")\n', encoding="utf-8")
    assert _unmarked_messages(tmp_path / "bulletin") == ["bulletin/sample.py:1", "bulletin/sample.py:1"]
