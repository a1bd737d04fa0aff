"""C = W A + b, samples as the 4 columns of A: nudge b₁, and assemble db₁."""

import numpy as np

from snippets.bias import linear_columns, linear_columns_backward

from .nudging import unit_nudge
from .pieces import (
    GRADIENT,
    GRADIENT_FILL,
    NUDGED,
    NUDGED_FILL,
    Matrix,
    Operator,
    row_box,
)
from .text import entry, labels, number

TEXT = {
    "en": {
        "nudge": "Nudge {b} by Δ: all of row {i} of C moves by Δ, once per sample",
        "assemble": "Assemble d{b}: add up row {i} of dC, one term per sample",
    },
    "zh": {
        "nudge": "把 {b} 微调 Δ：C 的第 {i} 行整行都变化 Δ，每个样本一次",
        "assemble": "拼出 d{b}：把 dC 的第 {i} 行加起来，每个样本贡献一项",
    },
}


W = np.array([[1.0, 2.0, -1.0], [0.0, -1.0, 3.0]])
A = np.array([[1.0, 0.0, 2.0, -1.0], [0.5, 1.0, -1.0, 2.0], [-1.0, 2.0, 0.0, 1.0]])
b = np.array([[0.5], [-1.0]])
dC = np.array([[1.0, -2.0, 0.5, 1.0], [0.5, 1.0, -1.0, 2.0]])
DEFAULT = (0, 0)  # the entry of b (a column) that the static figure nudges
PICKS = [(i, 0) for i in range(b.shape[0])]


def chain(pick=DEFAULT):
    """What the reader nudges: C = f(b), the loss's weights dC, and db."""
    return {"forward": lambda b: linear_columns(W, A, b), "X": b, "upstream": dC,
            "gradient": linear_columns_backward(W, A, dC)[2], "index": pick}


def data(pick=DEFAULT):
    """The numbers of the figure, from snippets/bias.py."""
    i = pick[0]
    return {
        "b": b, "dC": dC, "i": i,
        "moved": unit_nudge(lambda b: linear_columns(W, A, b), b, (i, 0)),
        "db": linear_columns_backward(W, A, dC)[2],
        "terms": list(dC[i, :]),
    }


def layout(lang, pick=DEFAULT):
    d = data(pick)
    i, t = d["i"], labels(TEXT, lang)
    n = d["dC"].shape[1]
    names = {"i": i + 1, "b": entry("b", i)}
    formula = (
        f"d{names['b']} = " + " + ".join(entry("dc", i, j) for j in range(n))
        + " = " + " + ".join(number(v, True) for v in d["terms"])
        + f" = {number(d['db'][i, 0])}"
    )
    return [
        (t["nudge"].format(**names), [
            Matrix(d["b"], "b", fill=[((i, 0), NUDGED, NUDGED_FILL)], pick="b"),
            Operator("→", t["broadcast"]),
            Matrix(d["moved"], "ΔC / Δ", heat=True),
            Operator(t["samples_columns"]),
        ], None),
        (t["assemble"].format(**names), [
            Matrix(d["dC"], "dC", boxes=[row_box(i, n, GRADIENT)]),
            Operator("→", t["sum_rows"]),
            Matrix(d["db"], "db", fill=[((i, 0), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]
