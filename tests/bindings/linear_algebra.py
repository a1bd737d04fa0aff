"""docs/linear-algebra.md: inverse, solve, det, trace, norms; snippets/linear_algebra.py.

The box has one `dA =` (or `dX =`) per output, so each output is a case. A is drawn
as Q + n I, well conditioned, so A^{-1} is accurate at every size.
"""

import numpy as np

from bindings import Box
from snippets import linear_algebra as la


def result(Q, B, dY, dX, M, dM, x, dn, form, vector=False):
    n = len(Q)
    A = Q + n * np.eye(n)  # well conditioned
    if form == "inverse":
        return {"A": A, "Y": la.inverse(A), "dY": dY, "dA": la.inverse_backward(A, dY)}
    if form == "solve":
        if vector:
            B, dX = B[:, 0], dX[:, 0]
        dA, dB = la.solve_backward(A, B, dX)
        return {"A": A, "B": B, "X": la.solve(A, B), "dX": dX, "dA": dA, "dB": dB}
    if form in ("det", "logdet", "trace"):
        value, backward, name = {
            "det": (la.determinant, la.determinant_backward, "s"),
            "logdet": (la.log_abs_determinant, la.log_abs_determinant_backward, "g"),
            "trace": (la.trace, la.trace_backward, "t")}[form]
        return {"A": A, "I": np.eye(n), name: value(A), "d" + name: dn,
                "dA": backward(A, dn)}
    if form == "frobenius":
        return {"X": M, "r": la.frobenius_norm(M), "dr": dn,
                "dX": la.frobenius_norm_backward(M, dn)}
    if form == "vector-norm":
        return {"r": la.frobenius_norm(x), "dr": dn, "dx": la.frobenius_norm_backward(x, dn)}
    if form == "half-squared":
        return {"X": M, "r": la.half_squared_norm(M), "dr": dn,
                "dX": la.half_squared_norm_backward(M, dn)}
    dx, dA = la.inverse_quadratic_form_backward(x, A, dn)
    return {"A": A, "q": la.inverse_quadratic_form(x, A), "dq": dn, "dx": dx, "dA": dA}


FORMS = ["inverse", "solve", "det", "logdet", "trace", "frobenius", "vector-norm",
         "half-squared", "quadratic"]

BOXES = {
    "result": Box(
        result,
        shapes={"Q": "n n", "B": "n k", "dY": "n n", "dX": "n k", "M": "m n",
                "dM": "m n", "x": "n", "dn": ""},
        cases=[{"form": f} for f in FORMS] + [{"form": "solve", "vector": True}],
        qualifiers={"\\|X\\|_F": {"form": ["frobenius", "half-squared"]}},
    ),
}
