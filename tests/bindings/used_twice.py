"""docs/used-twice.md: a variable used twice, its uses add; by snippets/used_twice.py.

The box states four settings, each with its own inputs (A is n x n in x^T A x but
m x n in A A^T), so each setting is a case that draws its own inputs.
"""

from bindings import Box
from snippets import used_twice as ut


def result(x, A, dq, G, dC, S, dS, X, W, dY, rng, form):
    if form == "quadratic":
        dx, dA = ut.quadratic_form_backward(x, A, dq)
        return {"q": ut.quadratic_form(x, A), "dx": dx, "dA": dA}
    if form == "gram":  # A here is G: m x n, and C = G G^T is m x m
        return {"A": G, "C": ut.gram(G), "dC": dC, "dA": ut.gram_backward(G, dC)}
    if form == "square":
        return {"X": S, "Y": ut.square(S), "dY": dS, "dX": ut.square_backward(S, dS)}
    dX, dW = ut.tied_backward(X, W, dY)
    return {"Y": ut.tied(X, W), "dX": dX, "dW": dW}


BOXES = {
    "result": Box(
        result,
        shapes={"x": "n", "A": "n n", "dq": "", "G": "m n", "dC": "m m",
                "S": "m n", "dS": "m n", "X": "N n", "W": "n k", "dY": "N n"},
        cases=[{"form": f} for f in ("quadratic", "gram", "square", "tied")],
        qualifiers={"q": {"form": "quadratic"}, "C = AA^\\top": {"form": "gram"},
                    "X \\odot X": {"form": "square"}},
    ),
}
