"""The bar chart of points per unit (信息采用计分), as a PNG for the 通报 and the web's statistics page.

matplotlib with the Agg backend, through its object interface (a Figure and its own canvas, never
pyplot's global figures, so the workbench's threads do not share one), imported only when a chart is
drawn. Every word is set in the font file the caller found (the preset's Chinese font, by fontconfig:
commands.stats.chart_font), so no character falls to a face without Chinese. The same rows give the
same bytes: fixed size and resolution, and no date or software name in the PNG's metadata.
"""
from __future__ import annotations

import io
import threading
from pathlib import Path

BAR_COLOUR = "#2F5597"
TEXT_COLOUR = "#000000"
MM_PER_INCH = 25.4
_lock = threading.Lock()  # matplotlib's font cache and text layout are shared by the process
_added: set[str] = set()  # font files registered with matplotlib's font manager


def _font(font_path: str | Path | None, family: str | None):
    """FontProperties for `font_path` (one face of a .ttc chosen by its `family`, as fontconfig named it)."""
    from matplotlib import font_manager

    if not font_path:
        return font_manager.FontProperties()
    if str(font_path) not in _added:
        font_manager.fontManager.addfont(str(font_path))  # registers every face of a collection, once
        _added.add(str(font_path))
    if family:
        chosen = font_manager.FontProperties(family=family)
        try:
            found = font_manager.findfont(chosen, fallback_to_default=False)
        except ValueError:
            found = ""
        if found and Path(found) == Path(font_path):
            return chosen
    return font_manager.FontProperties(fname=str(font_path))


def points_chart_png(rows: list[tuple[str, float]], font_path: str | Path | None, *, family: str | None = None,
                     width_mm: float = 156, max_height_mm: float = 135, dpi: int = 200, axis_label: str = "得分",
                     size_pt: float = 10.5) -> bytes:
    """A horizontal bar per unit (the first row on top), its points written at the bar's end; `width_mm`
    wide (the type area's width), its bars closer together where many units would make it taller than
    `max_height_mm` (the tallest picture the preset allows), so it prints at its full width."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    rows = list(rows)
    with _lock:
        font = _font(font_path, family)
        font.set_size(size_pt)
        height_mm = min(max(28.0, 8.5 * len(rows) + 18), max_height_mm)
        figure = Figure(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=dpi)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        names = [unit for unit, _points in rows] or [""]
        values = [float(points) for _unit, points in rows] or [0.0]
        places = list(range(len(names)))[::-1]
        axes.barh(places, values, height=0.6, color=BAR_COLOUR)
        axes.set_yticks(places, names)
        top = max(values + [1.0])
        axes.set_xlim(0, top * 1.15)
        for place, value in zip(places, values):
            shown = f"{value:g}"
            axes.text(value + top * 0.01, place, shown, va="center", ha="left", fontproperties=font,
                      color=TEXT_COLOUR)
        for label in axes.get_yticklabels() + axes.get_xticklabels():
            label.set_fontproperties(font)
        axes.set_xlabel(axis_label, fontproperties=font)
        for side in ("top", "right"):
            axes.spines[side].set_visible(False)
        axes.tick_params(axis="y", length=0)
        axes.xaxis.grid(True, color="#D9D9D9", linewidth=0.6)
        axes.set_axisbelow(True)
        figure.tight_layout(pad=0.6)
        buffer = io.BytesIO()
        # no Software or date chunks: the same scores give the same file
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    return buffer.getvalue()
