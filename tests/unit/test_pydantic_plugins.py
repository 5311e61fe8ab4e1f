"""bulletin.model answers pydantic's question for plugins itself when no installed distribution
declares one (so importlib.metadata is not imported), and leaves it to pydantic when one does: an
installed plugin still sees every model bulletin builds."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _python(code: str, *paths: Path) -> str:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), *map(str, paths)]))
    env.pop("PYDANTIC_DISABLE_PLUGINS", None)
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.strip()


def test_without_plugins_importlib_metadata_is_not_imported():
    from bulletin import model

    if model._may_have_plugins():
        pytest.skip("a distribution here declares a pydantic plugin")
    out = _python("import sys, bulletin.model.files, bulletin.model.preset; "
                  "print('importlib.metadata' in sys.modules)")
    assert out == "False"


def test_an_installed_plugin_still_sees_the_models(tmp_path):
    (tmp_path / "counting_plugin.py").write_text(
        "seen = []\n"
        "class Plugin:\n"
        "    def new_schema_validator(self, schema, schema_type, path, kind, config, settings):\n"
        "        seen.append(path.name)\n"
        "        return None, None, None\n"
        "plugin = Plugin()\n", encoding="utf-8")
    info = tmp_path / "counting_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: counting-plugin\nVersion: 1.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text("[pydantic]\ncounting = counting_plugin:plugin\n", encoding="utf-8")
    out = _python("import bulletin.model.files, counting_plugin; print(' '.join(counting_plugin.seen))", tmp_path)
    assert "IssueMeta" in out.split() and "ArticleMeta" in out.split(), out
