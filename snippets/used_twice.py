"""A variable used twice: every use contributes a gradient, and they add up.

See docs/used-twice.md: the quadratic form x^T A x, the Gram matrix A A^T, the square
X * X, and a weight matrix used in two places (a tied autoencoder).
"""

# --8<-- [start:quadratic_form]
import numpy as np


def quadratic_form(x, A):
    """Return the number q = x^T A x for x of length n and A of shape (n, n)."""
    if np.ndim(x) != 1 or np.shape(A) != (len(x), len(x)):
        raise ValueError(
            f"x has shape {np.shape(x)} and A has shape {np.shape(A)}; "
            "x^T A x needs x of shape (n,) and A of shape (n, n)"
        )
    return x @ A @ x


def quadratic_form_backward(x, A, dq):
    """Return (dx, dA) from dq, the gradient of the loss with respect to q."""
    # x is used twice: x^T on the left contributes A x, x on the right A^T x
    dx = dq * (A @ x + A.T @ x)
    dA = dq * np.outer(x, x)  # q = sum_ij x_i a_ij x_j, so a_ij moves q at rate x_i x_j
    return dx, dA
# --8<-- [end:quadratic_form]


# --8<-- [start:gram]
def gram(A):
    """Return C = A A^T, of shape (m, m), for A of shape (m, n)."""
    if np.ndim(A) != 2:
        raise ValueError(f"A has shape {np.shape(A)}; A A^T needs a matrix (m, n)")
    return A @ A.T


def gram_backward(A, dC):
    """Return dA from dC, the gradient of the loss with respect to C = A A^T."""
    from_left = dC @ A  # A as the left factor: dC (A^T)^T
    from_right = dC.T @ A  # A^T as the right factor contributes (A^T dC)^T
    return from_left + from_right
# --8<-- [end:gram]


# --8<-- [start:square]
def square(X):
    """Return Y = X * X entry by entry."""
    return X * X


def square_backward(X, dY):
    """Return dX from dY: both factors of x_ij * x_ij contribute x_ij * dy_ij."""
    return X * dY + X * dY
# --8<-- [end:square]


# --8<-- [start:tied]
def tied(X, W):
    """Return Y = (X W) W^T: encode with W (n, k), decode with the same W transposed."""
    if np.ndim(X) != 2 or np.ndim(W) != 2 or X.shape[1] != W.shape[0]:
        raise ValueError(
            f"X has shape {np.shape(X)} and W has shape {np.shape(W)}; "
            "(X W) W^T needs X of shape (N, n) and W of shape (n, k)"
        )
    return (X @ W) @ W.T


def tied_backward(X, W, dY):
    """Return (dX, dW) from dY; W is used twice, so dW is the sum of two parts."""
    H = X @ W  # the code, (N, k)
    dH = dY @ W  # Y = H W^T, so dH = dY (W^T)^T
    dW_decoder = dY.T @ H  # W^T as the right factor of H W^T: (H^T dY)^T
    dW_encoder = X.T @ dH  # W as the right factor of X W
    dX = dH @ W.T
    return dX, dW_encoder + dW_decoder
# --8<-- [end:tied]
