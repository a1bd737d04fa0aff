"""P = softmax(z) for a row of four logits: nudge z₂, the whole row moves, and the
moves add up to 0; then assemble dz₂ from dP and those moves."""

import numpy as np

from snippets.losses import softmax

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
        "nudge": "Nudge {z} by Δ: all of P moves, {p} up and the other three down",
        "zero": "{sum} = 0: the four moves add up to exactly 0",
        "assemble": "Assemble d{z}: weigh each move of P by dP, and add up",
        "sum": "sum",
    },
    "zh": {
        "nudge": "把 {z} 微调 Δ：整行 P 都会动，{p} 变大，其余三个变小",
        "zero": "{sum} = 0：四个变化量之和恰好为 0",
        "assemble": "拼出 d{z}：用 dP 给 P 的每个变化量加权，再相加",
        "sum": "求和",
    },
}


z = np.array([[0.0, 1.5, -1.0, 0.5]])  # one row of logits, (1, 4)
dP = np.array([[1.0, 2.0, -1.0, 0.5]])
DEFAULT = (0, 1)  # the logit that the static figure nudges
PICKS = [(0, j) for j in range(z.shape[1])]


def gradient():
    """dz by the chain rule: how P moves per unit nudge of each z_k, weighed by dP."""
    moves = [unit_nudge(softmax, z, (0, k))[0] for k in range(z.shape[1])]
    return np.array([[np.sum(dP[0] * m) for m in moves]])


def chain(pick=DEFAULT):
    """What the reader nudges: P = f(z), the loss's weights dP, and dz."""
    return {"forward": softmax, "X": z, "upstream": dP, "gradient": gradient(),
            "index": pick}


def data(pick=DEFAULT):
    """The numbers of the figure, from snippets/losses.py (softmax of each row)."""
    j = pick[1]
    P = softmax(z)
    moved = unit_nudge(softmax, z, (0, j))[0]  # how P moves per unit nudge of z_j
    return {
        "z": z[0], "P": P[0], "dP": dP[0], "j": j, "moved": moved, "dz": gradient()[0],
        "inner": np.sum(dP * P),  # <dp, p>
        "terms": list(zip(dP[0], moved)),
    }


def layout(lang, pick=DEFAULT):
    d = data(pick)
    j, t = d["j"], labels(TEXT, lang)
    K = len(d["z"])
    names = {"z": entry("z", j), "p": entry("p", j)}
    p, dp, dz = d["P"][j], d["dP"][j], d["dz"][j]
    formula = [
        f"d{names['z']} = Σₖ dpₖ · Δpₖ/Δ = {products(d['terms'])} = {number(dz)}",
        f"d{names['z']} = {names['p']} (d{names['p']} − ⟨dp, p⟩) = "
        f"{number(p)} · ({number(dp)} − {number(d['inner'])}) = {number(dz)}",
    ]
    return [
        (t["nudge"].format(**names), [
            Matrix(d["z"], "z", fill=[((0, j), NUDGED, NUDGED_FILL)], pick="z"),
            Operator("→", "P = softmax(z)"),
            Matrix(d["P"], "P"),
            Operator("→"),
            Matrix(d["moved"], "ΔP / Δ", heat=True),
        ], t["zero"].format(sum=" + ".join(number(m, True) for m in d["moved"]))),
        (t["assemble"].format(**names), [
            Matrix(d["dP"], "dP", boxes=[row_box(0, K, GRADIENT)]),
            Operator("⊙"),
            Matrix(d["moved"], "ΔP / Δ", boxes=[row_box(0, K, GRADIENT)]),
            Operator("→", t["sum"]),
            Matrix(d["dz"], "dz", fill=[((0, j), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]
