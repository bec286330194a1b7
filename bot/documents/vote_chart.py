"""A menu's results as a PNG bar chart for staff (matplotlib, Chinese labels in Noto Sans CJK).

The font comes with the `mplfonts` package (SIL Open Font License), so the chart renders the
same on a fresh server without system CJK fonts. matplotlib is imported on first use: the bot
starts without paying for it.

Drawn with matplotlib's object API — a Figure on its own Agg canvas, the font given to each
text, no pyplot and no global rcParams — so charts can be drawn in worker threads
(bot.app.offload), two at a time if need be.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path
from typing import Any

from bot.domain.votes import Menu, MenuResult

FONT_FILE = "NotoSansCJKsc-Regular.otf"


@cache
def _font() -> Any:
    """The CJK font as matplotlib's FontProperties."""
    import mplfonts
    from matplotlib.font_manager import FontProperties

    return FontProperties(fname=str(Path(mplfonts.__file__).parent / "fonts" / FONT_FILE))


def font_name() -> str:
    """The family the charts' words are drawn in."""
    return str(_font().get_name())


CHOSEN, NOT_CHOSEN = "#1f6f43", "#7fb3d5"


def menu_figure(
    menu: Menu,
    result: MenuResult,
    *,
    title: str,
    axis: str,
    legend: tuple[str, str] | None = None,
) -> Any:
    """The chart as a matplotlib Figure on its own Agg canvas: horizontal bars of approvals
    per item, chosen items darker; `legend` names the two colours (chosen, not chosen)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch
    from matplotlib.ticker import MaxNLocator

    font = _font()
    selected = set(result.selected or ())
    labels = [item.title for item in menu.items][::-1]
    counts = [result.count(item.id) for item in menu.items][::-1]
    colours = [CHOSEN if item.id in selected else NOT_CHOSEN for item in menu.items][::-1]
    figure = Figure(figsize=(8, 0.5 * len(labels) + 1.5), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    bars = axes.barh(range(len(labels)), counts, color=colours)
    axes.set_yticks(range(len(labels)), labels, fontproperties=font)
    axes.bar_label(bars, padding=3)
    axes.set_title(title, fontproperties=font)
    axes.set_xlabel(axis, fontproperties=font)
    # The default locator (AutoLocator) with whole numbers only: a count of households.
    axes.xaxis.set_major_locator(MaxNLocator(nbins="auto", steps=[1, 2, 2.5, 5, 10], integer=True))
    if legend is not None:
        chosen, not_chosen = legend
        patches = [Patch(color=CHOSEN, label=chosen), Patch(color=NOT_CHOSEN, label=not_chosen)]
        axes.legend(handles=patches, prop=font, loc="lower right")
    figure.tight_layout()
    return figure


def menu_chart(
    menu: Menu,
    result: MenuResult,
    *,
    title: str,
    axis: str,
    legend: tuple[str, str] | None = None,
) -> bytes:
    """The chart (see `menu_figure`) as PNG bytes."""
    figure = menu_figure(menu, result, title=title, axis=axis, legend=legend)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
