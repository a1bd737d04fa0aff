"""Draw the perturbation figures of the topic pages during the build.

Each figure shows, for one nudged input entry, which output entries move and by how
much, and how one entry of the gradient is assembled. Every number in it is computed
here, at build time, by the functions of `snippets/`, so a figure cannot disagree with
the code, and no SVG is committed, so none can go stale.

The figures are added to the site as generated files `figures/<name>.svg`, once per
language, with labels in that language: the English build writes `figures/x.svg`, the
Chinese build `zh/figures/x.svg`, so both twins write `![...](figures/x.svg)`.
This runs after the i18n plugin has sorted the files of the language being built.

Output is byte-for-byte reproducible (fixed SVG ids, no date), and text is drawn as
glyph outlines, so Chinese labels show on every machine. Chinese needs the font Noto
Sans CJK SC at build time; without it the build stops instead of drawing empty boxes.
"""

import io
import logging
import re
import sys
import warnings
from contextlib import contextmanager
from pathlib import Path

import numpy as np
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # `mkdocs build` does not put the project on the path

from snippets.activations import sigmoid, sigmoid_backward  # noqa: E402
from snippets.bias import (  # noqa: E402
    linear_columns,
    linear_columns_backward,
    linear_rows,
    linear_rows_backward,
)
from snippets.elementwise import (  # noqa: E402
    elementwise_product,
    elementwise_product_backward,
)
from snippets.matrix_product import matmul, matmul_backward  # noqa: E402

FOLDER = "figures"
LATIN_FONT = "DejaVu Sans"  # ships with matplotlib
CJK_FONT = "Noto Sans CJK SC"  # Debian: fonts-noto-cjk
NUDGE = 1e-4  # the step of the central difference that measures how outputs move

# Colors: the nudged input in orange, the parts of the gradient in blue; how far an
# output moves is purple (down) to green (up), and white where it does not move.
NUDGED, NUDGED_FILL = "#d95f02", "#fdd0a2"
GRADIENT, GRADIENT_FILL = "#2166ac", "#c6dbef"
GRID, MUTED = "#9e9e9e", "#6b6b6b"


# --- The numbers, from the snippets ---------------------------------------------------


def unit_nudge(f, X, index):
    """Return how f(X) moves per unit nudge of X[index], by a central difference.

    Entries of f(X) that do not depend on X[index] come out exactly 0, since both
    evaluations compute them from the same numbers.
    """
    E = np.zeros_like(X)
    E[index] = NUDGE
    return (f(X + E) - f(X - E)) / (2 * NUDGE)


def matrix_product_data():
    """C = A B with A 2x3: nudge a_12, and assemble da_12 from dC and B."""
    A = np.array([[1.0, 2.0, -1.0], [0.0, -1.0, 3.0]])
    B = np.array([[2.0, -1.0], [1.0, 3.0], [-2.0, 1.0]])
    dC = np.array([[1.0, -2.0], [0.5, 1.0]])
    i, k = 0, 1
    dA, _ = matmul_backward(A, B, dC)
    return {
        "A": A, "B": B, "dC": dC, "i": i, "k": k,
        "moved": unit_nudge(lambda A: matmul(A, B), A, (i, k)),
        "dA": dA,
        # the terms of da_ik: row i of dC times row k of B, entry by entry
        "terms": [(dC[i, j], B[k, j]) for j in range(B.shape[1])],
    }


def elementwise_data():
    """C = A * B with A 2x3: nudge a_12, and assemble da_12 from dc_12 and b_12."""
    A = np.array([[1.0, 2.0, -1.0], [0.0, -1.0, 3.0]])
    B = np.array([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0]])
    dC = np.array([[1.0, -2.0, 0.5], [0.5, 1.0, -1.0]])
    i, j = 0, 1
    dA, _ = elementwise_product_backward(A, B, dC)
    return {
        "A": A, "B": B, "dC": dC, "i": i, "j": j,
        "moved": unit_nudge(lambda A: elementwise_product(A, B), A, (i, j)),
        "dA": dA,
        "terms": [(B[i, j], dC[i, j])],
    }


def activation_data():
    """A = sigmoid(Z) with Z 2x3: nudge z_12; dz_12 = sigmoid'(z_12) da_12."""
    Z = np.array([[-2.0, 0.0, 1.0], [0.5, -1.0, 3.0]])
    dA = np.array([[1.0, -2.0, 0.5], [0.5, 1.0, -1.0]])
    i, j = 0, 1
    slope = sigmoid_backward(Z, np.ones_like(Z))  # sigmoid'(Z): the backward of dA = 1
    z = np.linspace(-5.0, 5.0, 201)
    return {
        "Z": Z, "dA": dA, "i": i, "j": j,
        "moved": unit_nudge(sigmoid, Z, (i, j)),
        "slope": slope,
        "dZ": sigmoid_backward(Z, dA),
        "terms": [(slope[i, j], dA[i, j])],
        "curve": (z, sigmoid(z)),
        "point": (Z[i, j], sigmoid(Z[i, j])),
    }


def bias_columns_data():
    """C = W A + b, samples as the 4 columns of A: nudge b_1, and assemble db_1."""
    W = np.array([[1.0, 2.0, -1.0], [0.0, -1.0, 3.0]])
    A = np.array([[1.0, 0.0, 2.0, -1.0], [0.5, 1.0, -1.0, 2.0], [-1.0, 2.0, 0.0, 1.0]])
    b = np.array([[0.5], [-1.0]])
    dC = np.array([[1.0, -2.0, 0.5, 1.0], [0.5, 1.0, -1.0, 2.0]])
    i = 0
    return {
        "b": b, "dC": dC, "i": i,
        "moved": unit_nudge(lambda b: linear_columns(W, A, b), b, (i, 0)),
        "db": linear_columns_backward(W, A, dC)[2],
        "terms": list(dC[i, :]),
    }


def bias_rows_data():
    """Y = X W + b, samples as the 4 rows of X: nudge b_1, and assemble db_1."""
    X = np.array([[1.0, 0.5, -1.0], [0.0, 1.0, 2.0], [2.0, -1.0, 0.0],
                  [-1.0, 2.0, 1.0]])
    W = np.array([[1.0, 0.0], [2.0, -1.0], [-1.0, 3.0]])
    b = np.array([0.5, -1.0])
    dY = np.array([[1.0, 0.5], [-2.0, 1.0], [0.5, -1.0], [1.0, 2.0]])
    j = 0
    return {
        "b": b, "dY": dY, "j": j,
        "moved": unit_nudge(lambda b: linear_rows(X, W, b), b, (j,)),
        "db": linear_rows_backward(X, W, dY)[2],
        "terms": list(dY[:, j]),
    }


# --- What a figure is made of --------------------------------------------------------
# All text is plain Unicode (a₁₂, Δ, σ′, ⊙, Bᵀ), never matplotlib's $math$: its
# renderer has no font fallback, so Chinese next to it would come out as boxes, and
# parsing it would triple the time the figures take.


class Matrix:
    """A grid of numbers with a title; some cells filled, some rows or columns boxed."""

    def __init__(self, values, title, *, heat=False, fill=(), boxes=()):
        self.values = np.atleast_2d(values)  # a vector of length n is drawn as a row
        self.height, self.width = self.values.shape
        self.shape = f"({self.width},)" if np.ndim(values) == 1 else (
            f"{self.height}×{self.width}")
        self.title = title
        self.heat = heat  # color each cell by its value: white where nothing moved
        self.fill = fill  # [((row, col), edge color, fill color)]
        self.boxes = boxes  # [((row0, col0, row1, col1), color)], inclusive corners


class Operator:
    """A symbol (→, ⊙) or a short word between two matrices, maybe labelled above."""

    def __init__(self, symbol, label=""):
        self.symbol, self.label = symbol, label
        self.width, self.height = 1.4, 1


class Curve:
    """A small plot of y(x) with one point and the tangent line there."""

    def __init__(self, x, y, point, slope, title):
        self.x, self.y, self.point, self.slope, self.title = x, y, point, slope, title
        self.width, self.height = 3.6, 2.6


def number(value, term=False):
    """Write a number as a reader does: 2, 0.5, −1.25; a negative term as (−2)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    if term and text.startswith("-"):
        text = f"({text})"
    return text.replace("-", "\u2212")


def products(terms):
    """'1 · 1 + (−2) · 3', from pairs of factors."""
    return " + ".join(f"{number(a, True)} · {number(b, True)}" for a, b in terms)


SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def entry(name, *indices):
    """The name of an entry with 0-based indices, as a reader writes it: a₁₂."""
    return name + "".join(str(n + 1) for n in indices).translate(SUBSCRIPTS)


# --- Labels, in both languages ------------------------------------------------------
# {a} and the like stand for entries such as a₁₂, {i} for a row number; the figure
# functions fill them in from the data.

TEXT = {
    "en": {
        "mp_nudge": "Nudge {a} by Δ: only row {i} of C moves, by Δ times row {k} of B",
        "mp_assemble": "Assemble d{a}: row {i} of dC meets row {k} of B",
        "ew_nudge": "Nudge {a} by Δ: only {c} moves, by {b} Δ",
        "ew_assemble": "Assemble d{a}: just {b} times d{c}, nothing else",
        "act_nudge": "Nudge {z} by Δ: only {a} moves, by about σ′({z}) Δ",
        "act_assemble": "Assemble d{z}: the slope σ′({z}) times d{a}",
        "act_curve": "slope σ′({z}) = {slope}",
        "bc_nudge": "Nudge {b} by Δ: all of row {i} of C moves by Δ, once per sample",
        "bc_assemble": "Assemble d{b}: add up row {i} of dC, one term per sample",
        "br_nudge": "Nudge {b} by Δ: all of column {j} of Y moves by Δ, "
        "once per sample",
        "br_assemble": "Assemble d{b}: add up column {j} of dY, one term per sample",
        "samples_columns": "samples →",
        "samples_rows": "samples ↓",
        "broadcast": "broadcast",
        "sum_rows": "sum each row",
        "sum_columns": "sum each column",
    },
    "zh": {
        "mp_nudge": "把 {a} 微调 Δ：只有 C 的第 {i} 行会动，变化量是 B 的第 {k} 行乘以 Δ",
        "mp_assemble": "拼出 d{a}：dC 的第 {i} 行与 B 的第 {k} 行逐项相乘再相加",
        "ew_nudge": "把 {a} 微调 Δ：只有 {c} 会动，变化量是 {b} Δ",
        "ew_assemble": "拼出 d{a}：只用到 {b} 与 d{c} 这一对，相乘即得",
        "act_nudge": "把 {z} 微调 Δ：只有 {a} 会动，变化量约为 σ′({z}) Δ",
        "act_assemble": "拼出 d{z}：该点的斜率 σ′({z}) 乘以 d{a}",
        "act_curve": "斜率 σ′({z}) = {slope}",
        "bc_nudge": "把 {b} 微调 Δ：C 的第 {i} 行整行都变化 Δ，每个样本一次",
        "bc_assemble": "拼出 d{b}：把 dC 的第 {i} 行加起来，每个样本贡献一项",
        "br_nudge": "把 {b} 微调 Δ：Y 的第 {j} 列整列都变化 Δ，每个样本一次",
        "br_assemble": "拼出 d{b}：把 dY 的第 {j} 列加起来，每个样本贡献一项",
        "samples_columns": "样本 →",
        "samples_rows": "样本 ↓",
        "broadcast": "广播",
        "sum_rows": "每行求和",
        "sum_columns": "每列求和",
    },
}


def row_box(row, ncols, color):
    return ((row, 0, row, ncols - 1), color)


def column_box(col, nrows, color):
    return ((0, col, nrows - 1, col), color)


def cell_box(row, col, color):
    return ((row, col, row, col), color)


# --- The figures: rows, each a heading, items left to right, and maybe a formula ------


def matrix_product_figure(lang):
    d = matrix_product_data()
    i, k, t = d["i"], d["k"], TEXT[lang]
    p = d["B"].shape[1]
    da = "d" + entry("a", i, k)
    formula = (
        f"{da} = "
        + " + ".join(f"{entry('dc', i, j)} {entry('b', k, j)}" for j in range(p))
        + f" = {products(d['terms'])} = {number(d['dA'][i, k])}"
    )
    names = {"i": i + 1, "k": k + 1, "a": entry("a", i, k)}
    return [
        (t["mp_nudge"].format(**names), [
            Matrix(d["A"], "A", fill=[((i, k), NUDGED, NUDGED_FILL)]),
            Matrix(d["B"], "B", boxes=[row_box(k, p, NUDGED)]),
            Operator("→", "C = AB"),
            Matrix(d["moved"], "ΔC / Δ", heat=True),
        ], None),
        (t["mp_assemble"].format(**names), [
            Matrix(d["dC"], "dC", boxes=[row_box(i, p, GRADIENT)]),
            Matrix(d["B"], "B", boxes=[row_box(k, p, GRADIENT)]),
            Operator("→"),
            Matrix(d["dA"], "dA = dC Bᵀ", fill=[((i, k), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]


def elementwise_figure(lang):
    d = elementwise_data()
    i, j, t = d["i"], d["j"], TEXT[lang]
    names = {name: entry(name, i, j) for name in "abc"}
    formula = (
        f"d{names['a']} = {names['b']} d{names['c']} = {products(d['terms'])}"
        f" = {number(d['dA'][i, j])}"
    )
    return [
        (t["ew_nudge"].format(**names), [
            Matrix(d["A"], "A", fill=[((i, j), NUDGED, NUDGED_FILL)]),
            Operator("⊙"),
            Matrix(d["B"], "B", boxes=[cell_box(i, j, NUDGED)]),
            Operator("→"),
            Matrix(d["moved"], "ΔC / Δ", heat=True),
        ], None),
        (t["ew_assemble"].format(**names), [
            Matrix(d["B"], "B", boxes=[cell_box(i, j, GRADIENT)]),
            Operator("⊙"),
            Matrix(d["dC"], "dC", boxes=[cell_box(i, j, GRADIENT)]),
            Operator("→"),
            Matrix(d["dA"], "dA = B ⊙ dC", fill=[((i, j), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]


def activation_figure(lang):
    d = activation_data()
    i, j, t = d["i"], d["j"], TEXT[lang]
    names = {name: entry(name, i, j) for name in "az"}
    slope = d["slope"][i, j]
    formula = (
        f"d{names['z']} = σ′({names['z']}) d{names['a']} = {products(d['terms'])}"
        f" = {number(d['dZ'][i, j])}"
    )
    return [
        (t["act_nudge"].format(**names), [
            Matrix(d["Z"], "Z", fill=[((i, j), NUDGED, NUDGED_FILL)]),
            Operator("→", "A = σ(Z)"),
            Matrix(d["moved"], "ΔA / Δ", heat=True),
            Curve(*d["curve"], d["point"], slope,
                  t["act_curve"].format(slope=number(slope), **names)),
        ], None),
        (t["act_assemble"].format(**names), [
            Matrix(d["slope"], "σ′(Z)", boxes=[cell_box(i, j, GRADIENT)]),
            Operator("⊙"),
            Matrix(d["dA"], "dA", boxes=[cell_box(i, j, GRADIENT)]),
            Operator("→"),
            Matrix(d["dZ"], "dZ = σ′(Z) ⊙ dA",
                   fill=[((i, j), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]


def bias_columns_figure(lang):
    d = bias_columns_data()
    i, t = d["i"], TEXT[lang]
    n = d["dC"].shape[1]
    names = {"i": i + 1, "b": entry("b", i)}
    formula = (
        f"d{names['b']} = " + " + ".join(entry("dc", i, j) for j in range(n))
        + " = " + " + ".join(number(v, True) for v in d["terms"])
        + f" = {number(d['db'][i, 0])}"
    )
    return [
        (t["bc_nudge"].format(**names), [
            Matrix(d["b"], "b", fill=[((i, 0), NUDGED, NUDGED_FILL)]),
            Operator("→", t["broadcast"]),
            Matrix(d["moved"], "ΔC / Δ", heat=True),
            Operator(t["samples_columns"]),
        ], None),
        (t["bc_assemble"].format(**names), [
            Matrix(d["dC"], "dC", boxes=[row_box(i, n, GRADIENT)]),
            Operator("→", t["sum_rows"]),
            Matrix(d["db"], "db", fill=[((i, 0), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]


def bias_rows_figure(lang):
    d = bias_rows_data()
    j, t = d["j"], TEXT[lang]
    n = d["dY"].shape[0]
    names = {"j": j + 1, "b": entry("b", j)}
    formula = (
        f"d{names['b']} = " + " + ".join(entry("dy", r, j) for r in range(n))
        + " = " + " + ".join(number(v, True) for v in d["terms"])
        + f" = {number(d['db'][j])}"
    )
    return [
        (t["br_nudge"].format(**names), [
            Matrix(d["b"], "b", fill=[((0, j), NUDGED, NUDGED_FILL)]),
            Operator("→", t["broadcast"]),
            Matrix(d["moved"], "ΔY / Δ", heat=True),
            Operator(t["samples_rows"]),
        ], None),
        (t["br_assemble"].format(**names), [
            Matrix(d["dY"], "dY", boxes=[column_box(j, n, GRADIENT)]),
            Operator("→", t["sum_columns"]),
            Matrix(d["db"], "db", fill=[((0, j), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]


#: figure name (the file is figures/<name>.svg) -> the function that lays it out
FIGURES = {
    "matrix-product": matrix_product_figure,
    "elementwise": elementwise_figure,
    "activations": activation_figure,
    "bias-columns": bias_columns_figure,
    "bias-rows": bias_rows_figure,
}


# --- Drawing --------------------------------------------------------------------------

UNIT = 0.42  # inches per matrix cell
GAP = 0.7  # between items of a row, in cells
PAD = 0.3  # white margin around the figure, in cells
# vertical space for a row's heading, the matrix titles, the shapes under the
# matrices, the formula and the gap to the next row, in cells
HEADING, TITLE, SHAPE, FORMULA, ROW_GAP = 0.9, 0.9, 0.6, 0.8, 0.5


def rc(lang):
    """Matplotlib settings: deterministic SVG, text as outlines, fonts for `lang`."""
    return {
        "svg.hashsalt": "matrix-gradients",  # fixed ids instead of random ones
        "svg.fonttype": "path",  # glyph outlines: no font needed on the reader's side
        # Each glyph comes from the first family that has it: Latin, Greek and
        # subscripts from DejaVu, Chinese from Noto (fallback works across
        # `font.family` entries, not within `font.sans-serif`).
        "font.family": [LATIN_FONT, CJK_FONT] if lang == "zh" else [LATIN_FONT],
        "font.size": 10,
    }


def draw_matrix(ax, m, x, top):
    from matplotlib import colormaps
    from matplotlib.patches import Rectangle

    scale = np.abs(m.values).max() * 2.2 or 1.0  # pale colors, black text stays legible
    filled = {cell: (edge, face) for cell, edge, face in m.fill}
    for (r, c), value in np.ndenumerate(m.values):
        x0, y0 = x + c, top - r - 1
        face = "white"
        if m.heat and value != 0:
            face = colormaps["PRGn"](0.5 + 0.5 * value / scale)
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


def draw(rows):
    """Lay the rows out from top to bottom on one figure, in units of matrix cells."""
    from matplotlib.figure import Figure

    height = sum(
        HEADING + TITLE + max(item.height for item in items) + SHAPE
        + (FORMULA if formula else 0) + ROW_GAP
        for _, items, formula in rows
    ) - ROW_GAP
    texts = [(h, 11) for h, _, _ in rows] + [(f, 10.5) for _, _, f in rows if f]
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
        if formula:
            ax.text(0, bottom - 0.25, formula, ha="left", va="top", fontsize=10.5)
            bottom -= FORMULA
        top = bottom - ROW_GAP
    return fig


def render(name, lang):
    """Return the SVG of figure `name` with labels in `lang`, as bytes."""
    import matplotlib

    if lang not in TEXT:
        raise PluginError(f"The figures have no labels in {lang!r}: add them to TEXT.")
    if lang == "zh":
        require_cjk_font()
    out = io.BytesIO()
    with matplotlib.rc_context(rc(lang)), no_missing_glyphs(f"{name} ({lang})"):
        fig = draw(FIGURES[name](lang))
        fig.savefig(out, format="svg", facecolor="white",
                    metadata={"Date": None, "Creator": None})
    return out.getvalue()


class _Collect(logging.Handler):
    """Keep the messages that matplotlib logs while a figure is drawn."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


#: How matplotlib says that it drew a box or picked another font instead of ours:
#: a warning "Glyph ... missing from font(s) ...", or a log message
#: "Font 'default' does not have a glyph for ..." or "findfont: Font family ...".
FONT_TROUBLE = re.compile(r"missing from font|does not have a glyph|findfont")


@contextmanager
def no_missing_glyphs(what):
    """Turn matplotlib's complaints about a missing font or glyph into a PluginError."""
    logs = _Collect()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(logs)
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            yield
    finally:
        logger.removeHandler(logs)
    trouble = [m for m in [str(w.message) for w in seen] + logs.messages
               if FONT_TROUBLE.search(m)]
    if trouble:
        raise PluginError(
            f"The figure {what} would show empty boxes instead of text: {trouble[0]} "
            f"Install the font {CJK_FONT!r} (Debian: apt-get install fonts-noto-cjk)."
        )
    for w in seen:  # other warnings are not ours to swallow
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def require_cjk_font():
    """Make sure matplotlib finds the Chinese font, or stop the build saying why."""
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties

    wanted = FontProperties(family=CJK_FONT)
    try:
        return font_manager.findfont(wanted, fallback_to_default=False)
    except ValueError:
        pass
    # A font installed after matplotlib cached its list of fonts is not in that list.
    for path in font_manager.findSystemFonts():
        if "CJK" in Path(path).name:
            font_manager.fontManager.addfont(path)
    try:
        return font_manager.findfont(wanted, fallback_to_default=False)
    except ValueError:
        raise PluginError(
            f"The Chinese figures need the font {CJK_FONT!r}, which matplotlib cannot "
            "find; without it every Chinese label would be drawn as an empty box. "
            "Install it (Debian: apt-get install fonts-noto-cjk) and build again."
        ) from None


def language(config):
    """The language being built and the folder its files go to ('' for the default)."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return "en", ""
    lang = i18n.current_language
    return lang, "" if lang == i18n.default_language else f"{lang}/"


@event_priority(-200)  # after the i18n plugin (-100) has picked this language's files
def on_files(files, config):
    lang, prefix = language(config)
    for name in FIGURES:
        src_uri = f"{FOLDER}/{name}.svg"
        file = File(src_uri, None, config.site_dir, config.use_directory_urls,
                    dest_uri=prefix + src_uri)
        file.generated_by = "hooks/figures.py"
        file.content_bytes = render(name, lang)
        files.append(file)
    return files
