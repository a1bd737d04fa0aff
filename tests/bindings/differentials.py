"""docs/differentials.md: first-order changes and the trace, by snippets/differentials.py.

`\\Delta(\\dots)` is the first-order change of an expression when every symbol X
with a bound `\\Delta X` moves by it, computed by the page's `differential` (central
differences, exact for the products of the box). The box states its rules in three
settings, each a case with its own shapes (B is n x p in Delta(AB), m x n in the
element-wise rules and n x m in tr(AB) = tr(BA)); f is the sigmoid, f' its
derivative from its backward function. The way back reads dX with the page's
`gradient_from_differential` from the map Delta X -> Delta L of a loss L = sum of
C ⊙ tanh(X), whose gradient G is known from the tanh page, independently.
"""

import numpy as np

from bindings import Box, ones_like_call
from snippets.activations import sigmoid, sigmoid_backward, tanh_backward
from snippets.differentials import differential, gradient_from_differential


def change(f, inputs, changes):
    """The page's differential, with a step at which float64 rounding stays below
    the check's tolerance for these nonlinear f."""
    return differential(f, inputs, changes, eps=1e-5)


def result(A, DA, B, DB, E, DE, F, DF, C, X, DX, G_b, form):
    symbols = {"\\Delta": change}
    if form == "product":
        return {**symbols, "A": A, "\\Delta A": DA, "B": B, "\\Delta B": DB}
    if form == "element-wise":
        return {**symbols, "A": E, "\\Delta A": DE, "B": F, "\\Delta B": DF, "C": C,
                "X": X, "\\Delta X": DX, "f": sigmoid, "f'": ones_like_call(sigmoid_backward)}
    if form == "trace":
        return {"A": A, "B": G_b}
    def loss(X):
        return np.sum(C * np.tanh(X))
    return {"X": X, "\\Delta X": DX, "\\Delta L": change(loss, [X], [DX]),
            "G": tanh_backward(X, C),
            "dX": gradient_from_differential(lambda U: change(loss, [X], [U]), X.shape)}


BOXES = {
    "result": Box(
        result,
        shapes={"A": "m n", "DA": "m n", "B": "n p", "DB": "n p", "E": "m n",
                "DE": "m n", "F": "m n", "DF": "m n", "C": "m n", "X": "m n",
                "DX": "m n", "G_b": "n m"},
        cases=[{"form": f} for f in ("product", "element-wise", "trace", "read")],
        qualifiers={"\\operatorname{tr}(AB)": {"form": "trace"},
                    "element-wise": {"form": "element-wise"}, "逐元素": {"form": "element-wise"}},
    ),
}
