"""Finding and reading layout presets: the built-in gbt9704 under the package's templates, an office's
own under the workspace's templates/presets/, merged key by key and validated as a Preset."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

from bulletin.errors import fail
from bulletin.i18n import _
from bulletin.model.preset import Preset
from bulletin.store import loaders


def builtin_templates() -> Path:
    """The folder of built-in templates shipped inside the package (the repository's templates/)."""
    package = Path(__file__).resolve().parents[1]  # bulletin/
    installed = package / "templates"           # a wheel: setuptools copied templates/ into the package
    return installed if installed.is_dir() else package.parent / "templates"  # a source checkout


def _merge(base: dict, override: dict) -> dict:
    out = dict(base)
    for key, value in override.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def load_preset(name: str, workspace_templates: Optional[Path] = None) -> Preset:
    """The preset `name`: the workspace's templates/presets/NAME.toml over the built-in gbt9704."""
    builtin_dir = builtin_templates() / "presets"
    candidates = []
    if workspace_templates is not None:
        candidates.append(workspace_templates / "presets" / f"{name}.toml")
    candidates.append(builtin_dir / f"{name}.toml")
    path = next((p for p in candidates if p.is_file()), None)
    if path is None:
        raise fail("bulletin.toml", None, _("there is no layout preset {name!r}").format(name=name),
                   _("use 'gbt9704' or add templates/presets/{name}.toml").format(name=name))
    loaded = loaders.load_toml(path)
    data = loaded.data
    data.setdefault("name", name)
    base_path = builtin_dir / "gbt9704.toml"
    if path.resolve() != base_path.resolve():
        data = _merge(loaders.load_toml(base_path).data, data)
    data.setdefault("name", name)
    loaded.data = data
    return loaders.validate(Preset, loaded)
