"""Layer normalization of X 2×3: nudge x₁₁, and its whole row of X̂ moves along three
paths (directly, through the mean, through the variance); then assemble dx₁₁."""

import numpy as np

from snippets.normalization import layer_norm, layer_norm_backward

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
        "nudge": "Nudge {x} by Δ (layer norm): all of row {i} of X̂ moves, "
        "row {o} does not",
        "paths": "Three paths add up to that move: {x} itself, the mean μ{sub} and "
        "the variance v{sub} of its row",
        "direct": "(1) directly",
        "mean": "(2) through μ",
        "variance": "(3) through v",
        "assemble": "Assemble d{x}: weigh the moves of row {i} by dX̂, "
        "path by path, and add up",
        "terms": "{direct} (path 1) + {mean} (path 2) + {variance} (path 3)",
        "gamma": "here γ = 1 and β = 0, so Y = X̂ and dX̂ = dY",
    },
    "zh": {
        "nudge": "把 {x} 微调 Δ（层归一化）：X̂ 的第 {i} 行整行都会动，第 {o} 行不动",
        "paths": "这个变化来自三条路径：{x} 本身、所在行的均值 μ{sub} 和方差 v{sub}",
        "direct": "(1) 直接",
        "mean": "(2) 经由 μ",
        "variance": "(3) 经由 v",
        "assemble": "拼出 d{x}：用 dX̂ 给第 {i} 行的变化量加权，逐条路径相加",
        "terms": "{direct}（路径 1）+ {mean}（路径 2）+ {variance}（路径 3）",
        "gamma": "这里 γ = 1、β = 0，所以 Y = X̂，dX̂ = dY",
    },
}

EPS = 1e-5  # the default eps of snippets/normalization.py


X = np.array([[1.0, 3.0, 0.5], [-1.0, 0.0, 2.0]])
dX_hat = np.array([[2.0, -1.0, 0.5], [0.5, 1.0, -1.0]])
gamma, beta = np.ones(3), np.zeros(3)  # so that Y = X_hat and dY = dX_hat
DEFAULT = (0, 0)  # the entry of X that the static figure nudges
PICKS = [(i, j) for i in range(X.shape[0]) for j in range(X.shape[1])]


def chain(pick=DEFAULT):
    """What the reader nudges: X_hat = f(X), the loss's weights dX_hat, and dX."""
    return {"forward": lambda X: layer_norm(X, gamma, beta), "X": X,
            "upstream": dX_hat, "gradient": layer_norm_backward(X, gamma, dX_hat)[0],
            "index": pick}


def data(pick=DEFAULT):
    """The numbers of the figure, from snippets/normalization.py (axis 1: rows)."""
    i, j = pick
    mu = X.mean(axis=1, keepdims=True)
    sigma = np.sqrt(X.var(axis=1, keepdims=True) + EPS)
    # Each path: nudge x_ij in one place of X_hat = (X - mu) / sigma, the others
    # held at their old values
    paths = {
        "direct": unit_nudge(lambda X: (X - mu) / sigma, X, (i, j)),
        "mean": unit_nudge(lambda Xn: (X - Xn.mean(axis=1, keepdims=True)) / sigma,
                           X, (i, j)),
        "variance": unit_nudge(
            lambda Xn: (X - mu) / np.sqrt(Xn.var(axis=1, keepdims=True) + EPS),
            X, (i, j)),
    }
    return {
        "X": X, "dX_hat": dX_hat, "i": i, "j": j, "sigma": sigma,
        "X_hat": layer_norm(X, gamma, beta),
        "moved": unit_nudge(lambda X: layer_norm(X, gamma, beta), X, (i, j)),
        "paths": paths,
        # what each path adds to dx_ij: its moves weighted by dX_hat
        "terms": {name: np.sum(dX_hat * moved) for name, moved in paths.items()},
        "dX": layer_norm_backward(X, gamma, dX_hat)[0],
    }


def layout(lang, pick=DEFAULT):
    d = data(pick)
    i, j, t = d["i"], d["j"], labels(TEXT, lang)
    D = d["X"].shape[1]
    sub = entry("", i)  # the row as a subscript: μ₁, σ₁
    names = {"x": entry("x", i, j), "i": i + 1, "o": 2 - i, "sub": sub}
    terms = {name: number(v, True) for name, v in d["terms"].items()}
    dx = number(d["dX"][i, j])
    return [
        (t["nudge"].format(**names), [
            Matrix(d["X"], "X", fill=[((i, j), NUDGED, NUDGED_FILL)], pick="x"),
            Operator("→", "X̂ = (X − μ) / σ"),
            Matrix(d["moved"], "ΔX̂ / Δ", heat=True),
        ], None),
        (t["paths"].format(**names), [
            Matrix(d["paths"]["direct"], t["direct"], heat=True),
            Operator("+"),
            Matrix(d["paths"]["mean"], t["mean"], heat=True),
            Operator("+"),
            Matrix(d["paths"]["variance"], t["variance"], heat=True),
            Operator("="),
            Matrix(d["moved"], "ΔX̂ / Δ", heat=True),
        ], f"σ{sub} = {number(d['sigma'][i, 0])}:  (1) 1/σ{sub},  (2) −1/(3σ{sub}),  "
           f"(3) −{entry('x̂', i, j)} x̂{sub}ₖ / (3σ{sub})"),
        (t["assemble"].format(**names), [
            Matrix(d["dX_hat"], "dX̂", boxes=[row_box(i, D, GRADIENT)]),
            Operator("⊙"),
            Matrix(d["moved"], "ΔX̂ / Δ", boxes=[row_box(i, D, GRADIENT)]),
            Operator("→"),
            Matrix(d["dX"], "dX", fill=[((i, j), GRADIENT, GRADIENT_FILL)]),
        ], [
            f"d{names['x']} = Σₖ dx̂{sub}ₖ · Δx̂{sub}ₖ/Δ = "
            + t["terms"].format(**terms) + f" = {dx}",
            t["gamma"],
        ]),
    ]
