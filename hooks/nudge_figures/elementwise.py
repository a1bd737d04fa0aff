"""C = A ⊙ B with A 2×3: nudge a₁₂, and assemble da₁₂ from dc₁₂ and b₁₂."""

import numpy as np

from snippets.elementwise import elementwise_product, elementwise_product_backward

from .nudging import unit_nudge
from .pieces import (
    GRADIENT,
    GRADIENT_FILL,
    NUDGED,
    NUDGED_FILL,
    Matrix,
    Operator,
    cell_box,
)
from .text import entry, labels, number, products

TEXT = {
    "en": {
        "nudge": "Nudge {a} by Δ: only {c} moves, by {b} Δ",
        "assemble": "Assemble d{a}: just {b} times d{c}, nothing else",
    },
    "zh": {
        "nudge": "把 {a} 微调 Δ：只有 {c} 会动，变化量是 {b} Δ",
        "assemble": "拼出 d{a}：只用到 {b} 与 d{c} 这一对，相乘即得",
    },
}


A = np.array([[1.0, 2.0, -1.0], [0.0, -1.0, 3.0]])
B = np.array([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0]])
dC = np.array([[1.0, -2.0, 0.5], [0.5, 1.0, -1.0]])
DEFAULT = (0, 1)  # the entry of A that the static figure nudges
PICKS = [(i, j) for i in range(A.shape[0]) for j in range(A.shape[1])]


def chain(pick=DEFAULT):
    """What the reader nudges: C = f(A), the loss's weights dC, and dA."""
    return {"forward": lambda A: elementwise_product(A, B), "X": A, "upstream": dC,
            "gradient": elementwise_product_backward(A, B, dC)[0], "index": pick}


def data(pick=DEFAULT):
    """The numbers of the figure, from snippets/elementwise.py."""
    i, j = pick
    dA, _ = elementwise_product_backward(A, B, dC)
    return {
        "A": A, "B": B, "dC": dC, "i": i, "j": j,
        "moved": unit_nudge(lambda A: elementwise_product(A, B), A, (i, j)),
        "dA": dA,
        "terms": [(B[i, j], dC[i, j])],
    }


def layout(lang, pick=DEFAULT):
    d = data(pick)
    i, j, t = d["i"], d["j"], labels(TEXT, lang)
    names = {name: entry(name, i, j) for name in "abc"}
    formula = (
        f"d{names['a']} = {names['b']} d{names['c']} = {products(d['terms'])}"
        f" = {number(d['dA'][i, j])}"
    )
    return [
        (t["nudge"].format(**names), [
            Matrix(d["A"], "A", fill=[((i, j), NUDGED, NUDGED_FILL)], pick="a"),
            Operator("⊙"),
            Matrix(d["B"], "B", boxes=[cell_box(i, j, NUDGED)]),
            Operator("→"),
            Matrix(d["moved"], "ΔC / Δ", heat=True),
        ], None),
        (t["assemble"].format(**names), [
            Matrix(d["B"], "B", boxes=[cell_box(i, j, GRADIENT)]),
            Operator("⊙"),
            Matrix(d["dC"], "dC", boxes=[cell_box(i, j, GRADIENT)]),
            Operator("→"),
            Matrix(d["dA"], "dA = B ⊙ dC", fill=[((i, j), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]
