"""Y = X W + b, samples as the 4 rows of X: nudge b₁, and assemble db₁."""

import numpy as np

from snippets.bias import linear_rows, linear_rows_backward

from .nudging import unit_nudge
from .pieces import (
    GRADIENT,
    GRADIENT_FILL,
    NUDGED,
    NUDGED_FILL,
    Matrix,
    Operator,
    column_box,
)
from .text import entry, labels, number

TEXT = {
    "en": {
        "nudge": "Nudge {b} by Δ: all of column {j} of Y moves by Δ, once per sample",
        "assemble": "Assemble d{b}: add up column {j} of dY, one term per sample",
    },
    "zh": {
        "nudge": "把 {b} 微调 Δ：Y 的第 {j} 列整列都变化 Δ，每个样本一次",
        "assemble": "拼出 d{b}：把 dY 的第 {j} 列加起来，每个样本贡献一项",
    },
}


X = np.array([[1.0, 0.5, -1.0], [0.0, 1.0, 2.0], [2.0, -1.0, 0.0], [-1.0, 2.0, 1.0]])
W = np.array([[1.0, 0.0], [2.0, -1.0], [-1.0, 3.0]])
b = np.array([0.5, -1.0])
dY = np.array([[1.0, 0.5], [-2.0, 1.0], [0.5, -1.0], [1.0, 2.0]])
DEFAULT = (0, 0)  # the cell of b (drawn as a row) that the static figure nudges
PICKS = [(0, j) for j in range(b.shape[0])]


def chain(pick=DEFAULT):
    """What the reader nudges: Y = f(b), the loss's weights dY, and db."""
    return {"forward": lambda b: linear_rows(X, W, b), "X": b, "upstream": dY,
            "gradient": linear_rows_backward(X, W, dY)[2], "index": (pick[1],)}


def data(pick=DEFAULT):
    """The numbers of the figure, from snippets/bias.py."""
    j = pick[1]
    return {
        "b": b, "dY": dY, "j": j,
        "moved": unit_nudge(lambda b: linear_rows(X, W, b), b, (j,)),
        "db": linear_rows_backward(X, W, dY)[2],
        "terms": list(dY[:, j]),
    }


def layout(lang, pick=DEFAULT):
    d = data(pick)
    j, t = d["j"], labels(TEXT, lang)
    n = d["dY"].shape[0]
    names = {"j": j + 1, "b": entry("b", j)}
    formula = (
        f"d{names['b']} = " + " + ".join(entry("dy", r, j) for r in range(n))
        + " = " + " + ".join(number(v, True) for v in d["terms"])
        + f" = {number(d['db'][j])}"
    )
    return [
        (t["nudge"].format(**names), [
            Matrix(d["b"], "b", fill=[((0, j), NUDGED, NUDGED_FILL)], pick="b"),
            Operator("→", t["broadcast"]),
            Matrix(d["moved"], "ΔY / Δ", heat=True),
            Operator(t["samples_rows"]),
        ], None),
        (t["assemble"].format(**names), [
            Matrix(d["dY"], "dY", boxes=[column_box(j, n, GRADIENT)]),
            Operator("→", t["sum_columns"]),
            Matrix(d["db"], "db", fill=[((0, j), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]
