"""Differentials and the trace: the tools of docs/differentials.md, as numpy code.

On that page dX is the gradient of the loss (as everywhere on the site) and Delta X a
small change of X: its first-order part is what the literature calls the differential.
"""

# --8<-- [start:differential]
import numpy as np


def differential(f, inputs, changes, eps=1e-6):
    """Return the first-order change of f(*inputs) as each input moves by its change."""
    if len(inputs) != len(changes):
        raise ValueError(
            f"got {len(inputs)} inputs but {len(changes)} changes; "
            "give one change per input"
        )
    for k, (x, dx) in enumerate(zip(inputs, changes)):
        if np.shape(x) != np.shape(dx):
            raise ValueError(
                f"input {k} has shape {np.shape(x)} but its change has shape "
                f"{np.shape(dx)}; a change has the shape of its input"
            )
    up = f(*[x + eps * dx for x, dx in zip(inputs, changes)])
    down = f(*[x - eps * dx for x, dx in zip(inputs, changes)])
    return (np.asarray(up) - np.asarray(down)) / (2 * eps)  # exact for linear terms
# --8<-- [end:differential]


# --8<-- [start:read_gradient]
def gradient_from_differential(change_of_loss, shape):
    """Return dX from the map Delta X -> Delta L, fed one unit entry at a time."""
    grad = np.zeros(shape)
    for i in np.ndindex(*shape):
        unit = np.zeros(shape)
        unit[i] = 1.0  # Delta X = E_ij: nudge entry ij alone, by one unit
        grad[i] = change_of_loss(unit)
    return grad
# --8<-- [end:read_gradient]


# --8<-- [start:trace]
def trace_of_product(A, B):
    """Return tr(AB) = sum_ij a_ij b_ji for A (m, n), B (n, m), without forming AB."""
    if np.ndim(A) != 2 or np.shape(B) != np.shape(A)[::-1]:
        raise ValueError(
            f"A has shape {np.shape(A)} and B has shape {np.shape(B)}; "
            "tr(AB) needs A of shape (m, n) and B of shape (n, m)"
        )
    return np.sum(A * B.T)


def trace_inner(P, Q):
    """Return tr(P^T Q) = sum_ij p_ij q_ij, the inner product of P and Q."""
    if np.shape(P) != np.shape(Q):
        raise ValueError(
            f"P has shape {np.shape(P)} but Q has shape {np.shape(Q)}; "
            "tr(P^T Q) pairs matching entries, so they need one shape"
        )
    return np.sum(P * Q)
# --8<-- [end:trace]
