"""y = conv1d(x, w) with four inputs and a kernel of two: nudge the weight w₀, every
output moves (yₜ by xₜ Δ), and dw₀ adds one term per output position.

The convolution page counts from 0, as numpy does, so this figure's names do too
(`START`): w₀, w₁ and x₀ … x₃, the names of the page's worked example.
"""

import numpy as np

from snippets.convolution import conv1d, conv1d_backward

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
        "nudge": "Nudge {w} by Δ: every output moves, yₜ by {xt} Δ",
        "used": "{w} is used in every window, with {used} in turn",
        "assemble": "Assemble d{w}: weigh each move of y by dy, and add up",
        "sum": "sum",
    },
    "zh": {
        "nudge": "把 {w} 微调 Δ：每个输出都会动，yₜ 的变化量是 {xt} Δ",
        "used": "每个窗口都用到 {w}，依次乘上 {used}",
        "assemble": "拼出 d{w}：用 dy 给 y 的每个变化量加权，再相加",
        "sum": "求和",
    },
}

START = 0  # the page's indices count from 0: w₀, x₀, y₀

x = np.array([1.0, 2.0, -1.0, 0.5])  # the page's x₀ … x₃: no zero, so every y moves
w = np.array([0.5, -1.0])  # its kernel w₀, w₁
dy = np.array([1.0, -0.5, 2.0])  # one per window: three windows fit, stride 1
DEFAULT = (0, 0)  # the weight that the static figure nudges: w₀, as the page does
PICKS = [(0, k) for k in range(len(w))]


def forward(w):
    """The layer as a function of its weights, the input fixed."""
    return conv1d(x, w)


def gradient():
    """dw from snippets/convolution.py's backward pass."""
    return conv1d_backward(x, w, dy)[1]


def chain(pick=DEFAULT):
    """What the reader nudges: y = f(w), the loss's weights dy, and dw."""
    return {"forward": forward, "X": w, "upstream": dy, "gradient": gradient(),
            "index": (pick[1],)}


def data(pick=DEFAULT):
    """The numbers of the figure, from snippets/convolution.py (stride 1, no padding)."""
    k = pick[1]
    moved = unit_nudge(forward, w, (k,))  # how each y_t moves per unit nudge of w_k
    return {
        "x": x, "w": w, "y": forward(w), "dy": dy, "k": k, "moved": moved,
        "dw": gradient(), "window": (k, k + len(dy) - 1),  # the x that w_k meets
        "terms": list(zip(dy, moved)),
    }


def layout(lang, pick=DEFAULT):
    d = data(pick)
    k, t = d["k"], labels(TEXT, lang)
    first, last = d["window"]
    wk = entry("w", k, start=START)
    xt = entry("xₜ₊", k, start=0) if k else "xₜ"  # the offset k itself: xₜ, xₜ₊₁
    used = ", " if lang == "en" else "、"
    names = {"w": wk, "xt": xt, "used": used.join(
        entry("x", i, start=START) for i in range(first, last + 1))}
    formula = (f"d{wk} = Σₜ dyₜ {xt} = {products(d['terms'])} = "
               f"{number(d['dw'][k])}")
    T = len(d["dy"])
    return [
        (t["nudge"].format(**names), [
            Matrix(d["x"], "x", boxes=[((0, first, 0, last), NUDGED)]),
            Operator("∗"),
            Matrix(d["w"], "w", fill=[((0, k), NUDGED, NUDGED_FILL)], pick="w"),
            Operator("→", "conv1d(x, w)"),
            Matrix(d["moved"], "Δy / Δ", heat=True),
        ], t["used"].format(**names)),
        (t["assemble"].format(**names), [
            Matrix(d["dy"], "dy", boxes=[row_box(0, T, GRADIENT)]),
            Operator("⊙"),
            Matrix(d["moved"], "Δy / Δ", boxes=[row_box(0, T, GRADIENT)]),
            Operator("→", t["sum"]),
            Matrix(d["dw"], "dw", fill=[((0, k), GRADIENT, GRADIENT_FILL)]),
        ], formula),
    ]
