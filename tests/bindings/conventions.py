"""docs/conventions.md: y = Ax, its Jacobian and the backward pass, by snippets/conventions.py."""

from bindings import Box
from snippets.conventions import matvec, matvec_backward, matvec_jacobian


def result(A, x, dy):
    return {
        "y": matvec(A, x), "dx": matvec_backward(A, dy),
        "J": matvec_jacobian(A, "numerator"),
    }


BOXES = {
    "result": Box(result, shapes={"A": "m n", "x": "n", "dy": "m"}),
}
