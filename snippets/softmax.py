"""Softmax as a layer: P = softmax(Z) along one axis and its gradient (docs/softmax.md).

Inside cross-entropy, softmax's backward pass collapses to P - Y (docs/losses.md).
As a layer on its own (attention weights, mixtures), it receives any upstream gradient
dP, and the backward pass is the Jacobian's product with dP, computed row by row.
"""

# --8<-- [start:forward]
import numpy as np


def softmax(Z, axis=-1):
    """Return exp(Z) / sum(exp(Z)) along axis (None: over all entries), max first."""
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=axis, keepdims=True))  # the largest exponential is 1
    return E / E.sum(axis=axis, keepdims=True)
# --8<-- [end:forward]


# --8<-- [start:backward]
def softmax_backward(P, dP, axis=-1):
    """Return dZ = P * (dP - sum(dP * P, axis)) from P = softmax(Z, axis) and dP."""
    P, dP = np.asarray(P), np.asarray(dP)
    if P.shape != dP.shape:
        raise ValueError(
            f"P has shape {P.shape} but dP has shape {dP.shape}; "
            "the upstream gradient has the shape of the output"
        )
    inner = np.sum(dP * P, axis=axis, keepdims=True)  # <dp, p> of each row
    return P * (dP - inner)  # the row's inner product, broadcast back over it
# --8<-- [end:backward]


# --8<-- [start:jacobian]
def softmax_jacobian(p):
    """Return J = diag(p) - p p^T, the K x K Jacobian of softmax at one row p (K,)."""
    p = np.asarray(p)
    if p.ndim != 1:
        raise ValueError(f"p must be one row of shape (K,), got shape {p.shape}")
    return np.diag(p) - np.outer(p, p)  # J[k, j] = dp_k / dz_j
# --8<-- [end:jacobian]
