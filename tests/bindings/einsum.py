"""docs/einsum.md: batched matrix products and the gradient of any einsum, by
snippets/einsum.py.

`A_s` is slice s of the stack A (its first axis), so `dA_s = dC_s\\,B_s^\\top` is
checked slice by slice. The einsum box has two cases, the outer product and the
matrix-vector product, each computed by `einsum_backward` on its index string.
"""

import numpy as np

from bindings import Box
from snippets.einsum import batched_matmul, batched_matmul_backward, einsum_backward


def batched(A, B, dC):
    dA, dB = batched_matmul_backward(A, B, dC)
    return {"C": batched_matmul(A, B), "dA": dA, "dB": dB}


def einsum_result(u, v, dY, A, x, dy, product):
    if product == "outer":
        du, dv = einsum_backward("i,j->ij", [u, v], dY)
        return {"Y": np.einsum("i,j->ij", u, v), "du": du, "dv": dv}
    dA, dx = einsum_backward("ij,j->i", [A, x], dy)
    return {"y": np.einsum("ij,j->i", A, x), "dA": dA, "dx": dx}


BOXES = {
    "result": Box(batched, shapes={"A": "N m n", "B": "N n p", "dC": "N m p"}),
    "einsum-result": Box(
        einsum_result,
        shapes={"u": "m", "v": "p", "dY": "m p", "A": "m n", "x": "n", "dy": "m"},
        cases=[{"product": "outer"}, {"product": "matrix-vector"}],
    ),
}
