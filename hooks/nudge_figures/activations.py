"""A = σ(Z) with Z 2×3: nudge z₁₂; dz₁₂ = σ′(z₁₂) da₁₂, and the slope on the curve."""

import numpy as np

from snippets.activations import sigmoid, sigmoid_backward

from .nudging import unit_nudge
from .pieces import (
    GRADIENT,
    GRADIENT_FILL,
    NUDGED,
    NUDGED_FILL,
    Curve,
    Matrix,
    Operator,
    cell_box,
)
from .text import entry, labels, number, products

TEXT = {
    "en": {
        "nudge": "Nudge {z} by Δ: only {a} moves, by about σ′({z}) Δ",
        "assemble": "Assemble d{z}: the slope σ′({z}) times d{a}",
        "curve": "slope σ′({z}) = {slope}",
    },
    "zh": {
        "nudge": "把 {z} 微调 Δ：只有 {a} 会动，变化量约为 σ′({z}) Δ",
        "assemble": "拼出 d{z}：该点的斜率 σ′({z}) 乘以 d{a}",
        "curve": "斜率 σ′({z}) = {slope}",
    },
}


Z = np.array([[-2.0, 0.0, 1.0], [0.5, -1.0, 3.0]])
dA = np.array([[1.0, -2.0, 0.5], [0.5, 1.0, -1.0]])
DEFAULT = (0, 1)  # the entry of Z that the static figure nudges
PICKS = [(i, j) for i in range(Z.shape[0]) for j in range(Z.shape[1])]


def chain(pick=DEFAULT):
    """What the reader nudges: A = f(Z), the loss's weights dA, and dZ."""
    return {"forward": sigmoid, "X": Z, "upstream": dA,
            "gradient": sigmoid_backward(Z, dA), "index": pick}


def data(pick=DEFAULT):
    """The numbers of the figure, from snippets/activations.py."""
    i, j = pick
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


def layout(lang, pick=DEFAULT):
    d = data(pick)
    i, j, t = d["i"], d["j"], labels(TEXT, lang)
    names = {name: entry(name, i, j) for name in "az"}
    slope = d["slope"][i, j]
    formula = (
        f"d{names['z']} = σ′({names['z']}) d{names['a']} = {products(d['terms'])}"
        f" = {number(d['dZ'][i, j])}"
    )
    return [
        (t["nudge"].format(**names), [
            Matrix(d["Z"], "Z", fill=[((i, j), NUDGED, NUDGED_FILL)], pick="z"),
            Operator("→", "A = σ(Z)"),
            Matrix(d["moved"], "ΔA / Δ", heat=True),
            Curve(*d["curve"], d["point"], slope,
                  t["curve"].format(slope=number(slope), **names)),
        ], None),
        (t["assemble"].format(**names), [
            Matrix(d["slope"], "σ′(Z)", boxes=[cell_box(i, j, GRADIENT)]),
            Operator("⊙"),
            Matrix(d["dA"], "dA", boxes=[cell_box(i, j, GRADIENT)]),
            Operator("→"),
            Matrix(d["dZ"], "dZ = σ′(Z) ⊙ dA",
                   fill=[((i, j), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]
