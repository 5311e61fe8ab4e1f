"""The models of the workspace files (files.py) and of the layout presets (preset.py).

Before pydantic builds the first of them it asks its plugin loader for plugins, and the loader
imports importlib.metadata (and email, csv …) and reads the entry points of every installed
distribution: about 20 ms of every command, for plugins almost nobody has. The loader is answered
here first: when no installed distribution declares a `pydantic` entry point (read from the
entry_points.txt files), there are no plugins, as pydantic would find; when one does, or where
distributions may hide from a plain look (a zip on the path, a finder of its own), pydantic's own
loader takes over, so a plugin that is installed is loaded as before.
"""
from __future__ import annotations

import os
import sys
import types

_LOADER = "pydantic.plugin._loader"


def _may_have_plugins() -> bool:
    """Whether an installed distribution declares a `pydantic` entry point, or might."""
    from importlib.machinery import PathFinder

    if any(hasattr(finder, "find_distributions") and finder is not PathFinder for finder in sys.meta_path):
        return True
    for folder in sys.path:
        folder = folder or "."
        if not os.path.isdir(folder):
            if os.path.exists(folder):  # a zip: its distributions are pydantic's to find
                return True
            continue
        try:
            names = os.listdir(folder)
        except OSError:
            continue
        for name in names:
            if not name.endswith((".dist-info", ".egg-info")):
                continue
            try:
                with open(os.path.join(folder, name, "entry_points.txt"), encoding="utf-8", errors="replace") as f:
                    if "pydantic" in f.read():
                        return True
            except OSError:
                continue
    return False


def _pydantic_loader() -> types.ModuleType:
    """pydantic's own plugin loader, in place of the answer below."""
    import importlib

    sys.modules.pop(_LOADER, None)
    loader = importlib.import_module(_LOADER)
    return loader


class _PluginAnswer(types.ModuleType):
    """Stands in sys.modules for pydantic.plugin._loader until it is needed."""

    none = False  # looked, and no distribution declares a plugin (pydantic asks for every model)

    def get_plugins(self):
        if self.none:
            return ()
        if _may_have_plugins():
            return _pydantic_loader().get_plugins()
        self.none = True
        return ()

    def __getattr__(self, name: str):  # anything else pydantic may ask of its loader
        if name.startswith("__"):  # the import system's questions (__path__ …): not the loader's
            raise AttributeError(name)
        return getattr(_pydantic_loader(), name)


if _LOADER not in sys.modules:
    sys.modules[_LOADER] = _PluginAnswer(_LOADER)
