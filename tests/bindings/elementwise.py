"""docs/elementwise.md: C = A ⊙ B and its gradients, by snippets/elementwise.py."""

from bindings import Box
from snippets.elementwise import elementwise_product, elementwise_product_backward


def result(A, B, dC):
    dA, dB = elementwise_product_backward(A, B, dC)
    return {"C": elementwise_product(A, B), "dA": dA, "dB": dB}


BOXES = {
    "result": Box(result, shapes={"A": "m n", "B": "m n", "dC": "m n"}),
}
