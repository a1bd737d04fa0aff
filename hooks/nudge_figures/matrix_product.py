"""C = A B with A 2×3: nudge a₁₂, and assemble da₁₂ from dC and B."""

import numpy as np

from snippets.matrix_product import matmul, matmul_backward

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
from .text import entry, labels, number, products

TEXT = {
    "en": {
        "nudge": "Nudge {a} by Δ: only row {i} of C moves, by Δ times row {k} of B",
        "assemble": "Assemble d{a}: row {i} of dC meets row {k} of B",
    },
    "zh": {
        "nudge": "把 {a} 微调 Δ：只有 C 的第 {i} 行会动，变化量是 B 的第 {k} 行乘以 Δ",
        "assemble": "拼出 d{a}：dC 的第 {i} 行与 B 的第 {k} 行逐项相乘再相加",
    },
}


A = np.array([[1.0, 2.0, -1.0], [0.0, -1.0, 3.0]])
B = np.array([[2.0, -1.0], [1.0, 3.0], [-2.0, 1.0]])
dC = np.array([[1.0, -2.0], [0.5, 1.0]])
DEFAULT = (0, 1)  # the entry of A that the static figure nudges
PICKS = [(i, k) for i in range(A.shape[0]) for k in range(A.shape[1])]


def chain(pick=DEFAULT):
    """What the reader nudges: C = f(A), the loss's weights dC, and dA."""
    return {"forward": lambda A: matmul(A, B), "X": A, "upstream": dC,
            "gradient": matmul_backward(A, B, dC)[0], "index": pick}


def data(pick=DEFAULT):
    """The numbers of the figure, from snippets/matrix_product.py."""
    i, k = pick
    dA, _ = matmul_backward(A, B, dC)
    return {
        "A": A, "B": B, "dC": dC, "i": i, "k": k,
        "moved": unit_nudge(lambda A: matmul(A, B), A, (i, k)),
        "dA": dA,
        # the terms of da_ik: row i of dC times row k of B, entry by entry
        "terms": [(dC[i, j], B[k, j]) for j in range(B.shape[1])],
    }


def layout(lang, pick=DEFAULT):
    d = data(pick)
    i, k, t = d["i"], d["k"], labels(TEXT, lang)
    p = d["B"].shape[1]
    da = "d" + entry("a", i, k)
    formula = (
        f"{da} = "
        + " + ".join(f"{entry('dc', i, j)} {entry('b', k, j)}" for j in range(p))
        + f" = {products(d['terms'])} = {number(d['dA'][i, k])}"
    )
    names = {"i": i + 1, "k": k + 1, "a": entry("a", i, k)}
    return [
        (t["nudge"].format(**names), [
            Matrix(d["A"], "A", fill=[((i, k), NUDGED, NUDGED_FILL)], pick="a"),
            Matrix(d["B"], "B", boxes=[row_box(k, p, NUDGED)]),
            Operator("→", "C = AB"),
            Matrix(d["moved"], "ΔC / Δ", heat=True),
        ], None),
        (t["assemble"].format(**names), [
            Matrix(d["dC"], "dC", boxes=[row_box(i, p, GRADIENT)]),
            Matrix(d["B"], "B", boxes=[row_box(k, p, GRADIENT)]),
            Operator("→"),
            Matrix(d["dA"], "dA = dC Bᵀ", fill=[((i, k), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]
