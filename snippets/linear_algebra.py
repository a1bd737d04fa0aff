"""Inverse, solve, determinant, trace, norms and a quadratic form, with their gradients.

See docs/linear-algebra.md. The sections after `checks` call its two functions, so
copy it with them. Each backward function takes the upstream gradient of its output.
"""

# --8<-- [start:checks]
import numpy as np


def require_square(name, A):
    """Raise a clear error unless A is a square matrix (n, n)."""
    if np.ndim(A) != 2 or np.shape(A)[0] != np.shape(A)[1]:
        raise ValueError(f"{name} has shape {np.shape(A)}; it must be square (n, n)")


def require_invertible(name, A, max_condition=1e12):
    """Raise a clear error unless A is square and far enough from singular."""
    require_square(name, A)
    condition = np.linalg.cond(A)
    if not condition < max_condition:  # also catches inf and NaN
        raise ValueError(
            f"{name} is singular or nearly so (condition number {condition:.1e}); "
            "it has no usable inverse"
        )
# --8<-- [end:checks]


# --8<-- [start:inverse]
def inverse(A):
    """Return Y = A^{-1} for an invertible A of shape (n, n)."""
    require_invertible("A", A)
    return np.linalg.inv(A)


def inverse_backward(A, dY):
    """Return dA from dY, the gradient of the loss with respect to Y = A^{-1}."""
    Y = inverse(A)
    return -Y.T @ dY @ Y.T  # from Delta Y = -Y Delta A Y
# --8<-- [end:inverse]


# --8<-- [start:solve]
def solve(A, B):
    """Return X = A^{-1} B without forming A^{-1}; B is a vector (n,) or (n, k)."""
    require_invertible("A", A)
    if np.ndim(B) not in (1, 2) or np.shape(B)[0] != np.shape(A)[0]:
        raise ValueError(
            f"B has shape {np.shape(B)} but A has shape {np.shape(A)}; "
            f"B must have {np.shape(A)[0]} rows: shape (n,) or (n, k)"
        )
    return np.linalg.solve(A, B)


def solve_backward(A, B, dX):
    """Return (dA, dB) from dX, the gradient of the loss with respect to X."""
    X = solve(A, B)
    dB = solve(A.T, dX)  # A^{-T} dX, again without forming the inverse
    if X.ndim == 1:
        dA = -np.outer(dB, X)  # a vector b: dA = -db x^T
    else:
        dA = -dB @ X.T
    return dA, dB
# --8<-- [end:solve]


# --8<-- [start:determinant]
def determinant(A):
    """Return s = det A for a square A; a singular A has s = 0."""
    require_square("A", A)
    return np.linalg.det(A)


def determinant_backward(A, ds):
    """Return dA = ds det(A) A^{-T} from ds, a number, for an invertible A."""
    require_invertible("A", A)
    return ds * np.linalg.det(A) * np.linalg.inv(A).T


def log_abs_determinant(A):
    """Return g = log|det A| for an invertible A, computed without overflow."""
    require_invertible("A", A)
    _, g = np.linalg.slogdet(A)  # the sign is dropped: log|det A|
    return g


def log_abs_determinant_backward(A, dg):
    """Return dA = dg A^{-T} from dg, the gradient with respect to g = log|det A|."""
    return dg * inverse(A).T
# --8<-- [end:determinant]


# --8<-- [start:trace]
def trace(A):
    """Return t = tr A, the sum of the diagonal of a square A."""
    require_square("A", A)
    return np.trace(A)


def trace_backward(A, dt):
    """Return dA = dt I: only the diagonal entries of A move the trace."""
    return dt * np.eye(len(A))
# --8<-- [end:trace]


# --8<-- [start:norms]
def frobenius_norm(X):
    """Return r = ||X||_F, the square root of the sum of squares of X's entries."""
    # Not np.linalg.norm(X, 2): for a matrix that is the largest singular value
    return np.sqrt(np.sum(X * X))


def frobenius_norm_backward(X, dr):
    """Return dX = dr X / ||X||_F; the norm has no gradient at X = 0."""
    r = frobenius_norm(X)
    if r == 0:
        raise ValueError("X is all zeros: the norm has no gradient there (a cone tip)")
    return dr * X / r


def half_squared_norm(X):
    """Return (1/2) ||X||_F^2, the weight-decay penalty."""
    return 0.5 * np.sum(X * X)


def half_squared_norm_backward(X, dr):
    """Return dX = dr X."""
    return dr * X
# --8<-- [end:norms]


# --8<-- [start:quadratic_form]
def inverse_quadratic_form(x, A):
    """Return q = x^T A^{-1} x for x of length n and an invertible A (n, n)."""
    require_invertible("A", A)
    if np.ndim(x) != 1 or len(x) != len(A):
        raise ValueError(
            f"x has shape {np.shape(x)} but A has shape {np.shape(A)}; "
            f"x must be a vector of length {len(A)}"
        )
    return x @ np.linalg.solve(A, x)


def inverse_quadratic_form_backward(x, A, dq):
    """Return (dx, dA) from dq, the gradient of the loss with respect to q."""
    z = solve(A, x)  # A^{-1} x
    w = solve(A.T, x)  # A^{-T} x
    dx = dq * (z + w)  # x is used twice: (A^{-1} + A^{-T}) x
    dA = -dq * np.outer(w, z)  # -A^{-T} x x^T A^{-T}, the inverse's rule
    return dx, dA
# --8<-- [end:quadratic_form]
