"""Layouts and batch conventions made concrete (docs/conventions.md).

The Jacobian is measured by central differences in numerator layout; its
transpose is the denominator layout; a backward function is a vector-Jacobian
product.
"""

# --8<-- [start:jacobian]
import numpy as np


def jacobian(f, x, eps=1e-6):
    """Return the numerator-layout Jacobian of f at x: (y.size, x.size)."""
    x = np.asarray(x, dtype=np.float64)
    J = np.zeros((np.size(f(x)), x.size))
    for j in range(x.size):
        step = np.zeros(x.size)
        step[j] = eps  # nudge entry j of x (in row-major order)
        step = step.reshape(x.shape)
        up, down = np.ravel(f(x + step)), np.ravel(f(x - step))
        J[:, j] = (up - down) / (2 * eps)  # column j: how every output moves
    return J
# --8<-- [end:jacobian]


# --8<-- [start:vjp]
def vjp(J, dy, shape):
    """Return dy @ J reshaped to `shape`: the gradient with respect to x."""
    return (np.ravel(dy) @ J).reshape(shape)
# --8<-- [end:vjp]


# --8<-- [start:matvec]
def matvec(A, x):
    """Return y = A @ x for A of shape (m, n) and x of shape (n,)."""
    return A @ x


def matvec_jacobian(A, layout):
    """Return dy/dx for y = A @ x in 'numerator' or 'denominator' layout."""
    if layout == "numerator":
        return A  # (m, n): row i follows y_i, column j follows x_j
    if layout == "denominator":
        return A.T  # (n, m): row j follows x_j, column i follows y_i
    raise ValueError(
        f"layout must be 'numerator' or 'denominator', got {layout!r}"
    )


def matvec_backward(A, dy):
    """Return dx = A.T @ dy, the gradient with respect to x: shape (n,)."""
    return A.T @ dy
# --8<-- [end:matvec]


# --8<-- [start:weights]
def weight_grad_columns(A, dZ):
    """Return dW for Z = W @ A, with A of shape (n_in, N), dZ (n_out, N)."""
    return dZ @ A.T  # (n_out, N) @ (N, n_in): the sum runs over the samples


def weight_grad_rows(X, dY):
    """Return dW for Y = X @ W, with X of shape (N, n_in), dY (N, n_out)."""
    return X.T @ dY  # (n_in, N) @ (N, n_out): the sum runs over the samples
# --8<-- [end:weights]
