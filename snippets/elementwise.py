"""Element-wise product C = A * B and its gradients (docs/elementwise.md)."""

# --8<-- [start:forward]
import numpy as np


def elementwise_product(A, B):
    """Return C = A * B entry by entry (the element-wise product, not A @ B)."""
    if np.shape(A) != np.shape(B):
        raise ValueError(
            f"A has shape {np.shape(A)} but B has shape {np.shape(B)}; "
            "this product takes two matrices of one shape (no broadcasting)"
        )
    return A * B
# --8<-- [end:forward]


# --8<-- [start:backward]
def elementwise_product_backward(A, B, dC):
    """Return (dA, dB) from dC, the gradient of the loss with respect to C = A * B."""
    dA = B * dC  # a_ij moves only c_ij, at the rate b_ij
    dB = A * dC  # b_ij moves only c_ij, at the rate a_ij
    return dA, dB
# --8<-- [end:backward]
