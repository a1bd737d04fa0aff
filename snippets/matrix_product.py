"""Matrix product C = A @ B and its gradients (docs/matrix-product.md)."""

# --8<-- [start:forward]
import numpy as np


def matmul(A, B):
    """Return C = A @ B for A of shape (m, n) and B of shape (n, p)."""
    return A @ B
# --8<-- [end:forward]


# --8<-- [start:backward]
def matmul_backward(A, B, dC):
    """Return (dA, dB) from dC, the gradient of the loss with respect to C = A @ B."""
    dA = dC @ B.T  # (m, p) @ (p, n) -> (m, n), the shape of A
    dB = A.T @ dC  # (n, m) @ (m, p) -> (n, p), the shape of B
    return dA, dB
# --8<-- [end:backward]
