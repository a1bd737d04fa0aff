"""docs/softmax.md: softmax as a layer and its gradient, by snippets/softmax.py.

Two cases, because the box uses the same letters at two scales: in the matrix case,
`dz_{ik}`, `p_{ik}` and `dp_{ij}` are entries of dZ, P and dP (N x K); in the one-row
case, p, dp and dz are one row of P, dP and dZ (taken at random), written as columns
of length K, and J is the snippet's Jacobian at that row.
"""

from bindings import Box
from snippets.softmax import softmax, softmax_backward, softmax_jacobian


def result(Z, dP, form, rng):
    P = softmax(Z)
    dZ = softmax_backward(P, dP)
    symbols = {"P": P, "dZ": dZ, "\\operatorname{softmax}": softmax}
    if form == "one row":
        i = rng.integers(0, len(Z))
        symbols.update({"p": P[i], "dp": dP[i], "dz": dZ[i],
                        "J": softmax_jacobian(P[i])})
    return symbols


BOXES = {
    "result": Box(result, shapes={"Z": "N K", "dP": "N K"},
                  cases=[{"form": "matrices"}, {"form": "one row"}],
                  qualifiers={"p": {"form": "one row"}}),
}
