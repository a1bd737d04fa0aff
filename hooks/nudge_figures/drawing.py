"""Draw a layout (see pieces.py) with matplotlib, as reproducible SVG bytes.

Output is byte-for-byte reproducible (fixed SVG ids, no date). Everything is measured
in matrix cells: a cell is UNIT inches wide.
"""

import io

import numpy as np
from mkdocs.exceptions import PluginError

from . import fonts
from .pieces import GRID, MUTED, NUDGED, Matrix, Operator
from .registry import FIGURES
from .text import LANGUAGES, number

UNIT = 0.42  # inches per matrix cell
GAP = 0.7  # between items of a row, in cells
PAD = 0.3  # white margin around the figure, in cells
# vertical space for a row's heading, the matrix titles, the shapes under the
# matrices, the formula and the gap to the next row, in cells
HEADING, TITLE, SHAPE, FORMULA, ROW_GAP = 0.9, 0.9, 0.6, 0.8, 0.5


def heat_scale(m):
    """The value that would get the darkest color: pale colors, black text legible."""
    return np.abs(m.values).max() * 2.2 or 1.0


def heat_color(value, scale):
    """The color of a cell that moved by `value`: purple down, green up (RGBA)."""
    from matplotlib import colormaps

    return colormaps["PRGn"](0.5 + 0.5 * value / scale)


def draw_matrix(ax, m, x, top):
    from matplotlib.patches import Rectangle

    scale = heat_scale(m)
    filled = {cell: (edge, face) for cell, edge, face in m.fill}
    for (r, c), value in np.ndenumerate(m.values):
        x0, y0 = x + c, top - r - 1
        face = "white"
        if m.heat and value != 0:
            face = heat_color(value, scale)
        if (r, c) in filled:
            face = filled[(r, c)][1]
        ax.add_patch(Rectangle((x0, y0), 1, 1, facecolor=face, edgecolor=GRID, lw=0.8))
        color = MUTED if m.heat and value == 0 else "black"
        ax.text(x0 + 0.5, y0 + 0.5, number(value), ha="center",
                va="center", color=color, fontsize=9)
    for (r, c), (edge, _) in filled.items():
        ax.add_patch(Rectangle((x + c, top - r - 1), 1, 1, fill=False, edgecolor=edge,
                               lw=2.4, zorder=3))
    for (r0, c0, r1, c1), color in m.boxes:
        ax.add_patch(Rectangle((x + c0 - 0.08, top - r1 - 1 - 0.08), c1 - c0 + 1.16,
                               r1 - r0 + 1.16, fill=False, edgecolor=color, lw=2.2,
                               zorder=3))
    ax.text(x + m.width / 2, top + 0.3, m.title, ha="center", va="bottom", fontsize=11)
    ax.text(x + m.width / 2, top - m.height - 0.2, m.shape,
            ha="center", va="top", fontsize=8, color=MUTED)


def draw_operator(ax, op, x, middle):
    symbol = len(op.symbol) == 1  # → or ⊙, or a word like "samples"
    ax.text(x + op.width / 2, middle, op.symbol, ha="center", va="center",
            fontsize=14 if symbol else 9, color="black" if symbol else MUTED)
    if op.label:
        ax.text(x + op.width / 2, middle + 0.45, op.label, ha="center", va="bottom",
                fontsize=8.5, color=MUTED)


def draw_curve(ax, curve, x, top):
    plot = ax.inset_axes([x + 0.5, top - curve.height, curve.width - 0.5, curve.height],
                         transform=ax.transData)
    (x0, y0), slope = curve.point, curve.slope
    plot.plot(curve.x, curve.y, color="black", lw=1.2)
    run = np.array([-1.6, 1.6])
    plot.plot(x0 + run, y0 + slope * run, color=NUDGED, lw=1.2, ls="--")
    plot.plot([x0], [y0], "o", color=NUDGED, ms=4)
    plot.set_xlim(curve.x[0], curve.x[-1])
    plot.set_ylim(-0.1, 1.1)
    plot.set_xticks(ticks := [-4, -2, 0, 2, 4], [number(t) for t in ticks])
    plot.set_yticks(ticks := [0, 0.5, 1], [number(t) for t in ticks])
    plot.tick_params(labelsize=7, length=2)
    plot.set_xlabel("z", fontsize=8, labelpad=1)
    plot.set_title(curve.title, fontsize=8.5, pad=3)
    for side in ("top", "right"):
        plot.spines[side].set_visible(False)


def text_width(text, size):
    """The width of one line of text at `size` points, in matrix cells."""
    from matplotlib.font_manager import FontProperties
    from matplotlib.textpath import text_to_path

    width, _, _ = text_to_path.get_text_width_height_descent(
        text, FontProperties(size=size), ismath=False
    )
    return width / 72 / UNIT


def lines(formula):
    """The lines of a row's formula: None for none, a string for one, or a list."""
    if not formula:
        return []
    return [formula] if isinstance(formula, str) else list(formula)


def draw(rows):
    """Lay the rows out from top to bottom on one figure, in units of matrix cells."""
    from matplotlib.figure import Figure

    height = sum(
        HEADING + TITLE + max(item.height for item in items) + SHAPE
        + FORMULA * len(lines(formula)) + ROW_GAP
        for _, items, formula in rows
    ) - ROW_GAP
    texts = [(h, 11) for h, _, _ in rows] + [
        (line, 10.5) for _, _, f in rows for line in lines(f)]
    width = max(
        [sum(item.width for item in items) + GAP * (len(items) - 1)
         for _, items, _ in rows]
        + [text_width(text, size) for text, size in texts]
    )
    fig = Figure(figsize=((width + 2 * PAD) * UNIT, (height + 2 * PAD) * UNIT))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(-PAD, width + PAD)
    ax.set_ylim(-height - PAD, PAD)
    ax.set_axis_off()
    top = 0.0
    for heading, items, formula in rows:
        ax.text(0, top - 0.2, heading, ha="left", va="top", fontsize=11)
        band = max(item.height for item in items)
        row_top = top - HEADING - TITLE
        x = 0.0
        for item in items:
            item_top = row_top - (band - item.height) / 2
            if isinstance(item, Matrix):
                draw_matrix(ax, item, x, item_top)
            elif isinstance(item, Operator):
                draw_operator(ax, item, x, row_top - band / 2)
            else:
                draw_curve(ax, item, x, item_top)
            x += item.width + GAP
        bottom = row_top - band - SHAPE
        for line in lines(formula):
            ax.text(0, bottom - 0.25, line, ha="left", va="top", fontsize=10.5)
            bottom -= FORMULA
        top = bottom - ROW_GAP
    return fig


def render(name, lang):
    """Return the SVG of figure `name` with labels in `lang`, as bytes."""
    import matplotlib

    if name not in FIGURES:
        raise PluginError(f"No figure is called {name!r}: see "
                          "hooks/nudge_figures/registry.py for the names.")
    if lang not in LANGUAGES:
        raise PluginError(f"The figures have no labels in {lang!r}: add them to "
                          "LANGUAGES in hooks/nudge_figures/text.py and to each TEXT.")
    if lang == "zh":
        fonts.require_cjk_font()
    out = io.BytesIO()
    what = f"{name} ({lang})"
    with matplotlib.rc_context(fonts.rc(lang)), fonts.no_missing_glyphs(what):
        fig = draw(FIGURES[name].layout(lang))
        fig.savefig(out, format="svg", facecolor="white",
                    metadata={"Date": None, "Creator": None})
    return out.getvalue()
