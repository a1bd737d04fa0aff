"""docs/matrix-product.md: C = AB and its gradients, by snippets/matrix_product.py."""

from bindings import Box
from snippets.matrix_product import matmul, matmul_backward


def result(A, B, dC):
    dA, dB = matmul_backward(A, B, dC)
    return {"C": matmul(A, B), "dA": dA, "dB": dB}


BOXES = {
    "result": Box(result, shapes={"A": "m n", "B": "n p", "dC": "m p"}),
}
