"""C = A Aᵀ with A 2×3: a₁₂ is used twice, so it moves C along two paths that add."""

import numpy as np

from snippets.matrix_product import matmul
from snippets.used_twice import gram, gram_backward

from .nudging import unit_nudge
from .pieces import (
    GRADIENT,
    GRADIENT_FILL,
    NUDGED,
    NUDGED_FILL,
    Matrix,
    Operator,
    column_box,
    row_box,
)
from .text import entry, labels, number, products

TEXT = {
    "en": {
        "left": "Path 1, A on the left: nudging {a} moves row {i} of C by column {k} of A",
        "right": "Path 2, Aᵀ on the right: the same {a} moves column {i} of C",
        "both": "Both paths at once: the moves add ({c} moves twice); weigh them by dC",
        "through_left": "ΔC / Δ, path 1",
        "through_right": "ΔC / Δ, path 2",
    },
    "zh": {
        "left": "路径 1，左边的 A：微调 {a}，C 的第 {i} 行按 A 的第 {k} 列变化",
        "right": "路径 2，右边的 Aᵀ：同一个 {a} 又让 C 的第 {i} 列变化",
        "both": "两条路径同时起作用：变化量相加（{c} 动了两次），再用 dC 加权",
        "through_left": "ΔC / Δ，路径 1",
        "through_right": "ΔC / Δ，路径 2",
    },
}


def data():
    """The numbers of the figure, from snippets/used_twice.py and matrix_product.py."""
    A = np.array([[1.0, 2.0, -1.0], [0.0, -1.0, 3.0]])
    dC = np.array([[1.0, -2.0], [0.5, 1.0]])  # not symmetric: the two paths differ
    i, k = 0, 1
    # Each path nudges one use of A and holds the other fixed, as two matrices would
    left = unit_nudge(lambda L: matmul(L, A.T), A, (i, k))
    right = unit_nudge(lambda R: matmul(A, R.T), A, (i, k))
    m = A.shape[0]
    return {
        "A": A, "dC": dC, "i": i, "k": k,
        "left": left, "right": right,
        "moved": unit_nudge(gram, A, (i, k)),
        "dA": gram_backward(A, dC),
        # path 1 moves c_ij by a_jk (row i of C); path 2 moves c_ji by a_jk (column i)
        "left_terms": [(dC[i, j], A[j, k]) for j in range(m)],
        "right_terms": [(dC[j, i], A[j, k]) for j in range(m)],
    }


def layout(lang):
    d = data()
    i, k, t = d["i"], d["k"], labels(TEXT, lang)
    m = d["A"].shape[0]
    names = {"i": i + 1, "k": k + 1, "a": entry("a", i, k), "c": entry("c", i, i)}
    formula = (
        f"d{names['a']} = ({products(d['left_terms'])})"
        f" + ({products(d['right_terms'])}) = {number(d['dA'][i, k])}"
    )
    return [
        (t["left"].format(**names), [
            Matrix(d["A"], "A", fill=[((i, k), NUDGED, NUDGED_FILL)]),
            Matrix(d["A"].T, "Aᵀ"),
            Operator("→", "C = AAᵀ"),
            Matrix(d["left"], t["through_left"], heat=True,
                   boxes=[row_box(i, m, NUDGED)]),
        ], None),
        (t["right"].format(**names), [
            Matrix(d["A"], "A"),
            Matrix(d["A"].T, "Aᵀ", fill=[((k, i), NUDGED, NUDGED_FILL)]),
            Operator("→", "C = AAᵀ"),
            Matrix(d["right"], t["through_right"], heat=True,
                   boxes=[column_box(i, m, NUDGED)]),
        ], None),
        (t["both"].format(**names), [
            Matrix(d["moved"], "ΔC / Δ", heat=True),
            Matrix(d["dC"], "dC", boxes=[row_box(i, m, GRADIENT),
                                        column_box(i, m, GRADIENT)]),
            Operator("→"),
            Matrix(d["dA"], "dA = (dC + dCᵀ) A",
                   fill=[((i, k), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]
