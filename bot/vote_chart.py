"""A menu's results as a PNG bar chart for staff (matplotlib, Chinese labels in Noto Sans CJK).

The font comes with the `mplfonts` package (SIL Open Font License), so the chart renders the
same on a fresh server without system CJK fonts. matplotlib is imported on first use: the bot
starts without paying for it.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from bot.domain.votes import Menu, MenuResult

FONT_FILE = "NotoSansCJKsc-Regular.otf"


@cache
def _pyplot() -> Any:
    """pyplot on the Agg backend, with the CJK font registered and chosen."""
    import matplotlib

    matplotlib.use("Agg")
    import mplfonts
    from matplotlib import font_manager
    from matplotlib import pyplot as plt

    path = Path(mplfonts.__file__).parent / "fonts" / FONT_FILE
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    matplotlib.rcParams["font.family"] = [family]
    matplotlib.rcParams["axes.unicode_minus"] = False
    return plt


def font_name() -> str:
    """The family the charts are drawn in."""
    import matplotlib

    _pyplot()
    return matplotlib.rcParams["font.family"][0]


def menu_chart(menu: Menu, result: MenuResult, *, title: str, axis: str) -> bytes:
    """Horizontal bars of approvals per item (selected items darker), as PNG bytes."""
    plt = _pyplot()
    selected = set(result.selected or ())
    labels = [item.title for item in menu.items][::-1]
    counts = [result.count(item.id) for item in menu.items][::-1]
    colours = ["#1f6f43" if item.id in selected else "#7fb3d5" for item in menu.items][::-1]
    figure, axes = plt.subplots(figsize=(8, 0.5 * len(labels) + 1.5), dpi=100)
    try:
        bars = axes.barh(labels, counts, color=colours)
        axes.bar_label(bars, padding=3)
        axes.set_title(title)
        axes.set_xlabel(axis)
        axes.xaxis.get_major_locator().set_params(integer=True)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        plt.close(figure)
