"""Forks, residual connections, weight tying and dropout.

See docs/residual.md. Samples are the rows of X. A value used in several places
receives the sum of the gradients that come back from each use.
"""

# --8<-- [start:fork]
import numpy as np


def fork(X, W1, W2):
    """Return (X @ W1, X @ W2): X used twice, by two layers."""
    return X @ W1, X @ W2


def fork_backward(X, W1, W2, dY1, dY2):
    """Return dX for fork: the gradients of both uses, added."""
    return dY1 @ W1.T + dY2 @ W2.T
# --8<-- [end:fork]


# --8<-- [start:residual]
def residual_block(X, W1, W2):
    """Return Y = X + F(X), with the branch F(X) = relu(X @ W1) @ W2."""
    H = np.maximum(X @ W1, 0.0)  # (N, H)
    return X + H @ W2  # (N, D): the branch must give X's shape back


def residual_block_backward(X, W1, W2, dY):
    """Return (dX, dW1, dW2) for residual_block."""
    Z = X @ W1
    H = np.maximum(Z, 0.0)
    dW2 = H.T @ dY
    dZ = (dY @ W2.T) * (Z > 0)  # back through the branch's ReLU
    dW1 = X.T @ dZ
    dX = dY + dZ @ W1.T  # the skip path passes dY through unchanged
    return dX, dW1, dW2
# --8<-- [end:residual]


# --8<-- [start:tied]
def tied_logits(E, ids, H):
    """Return (X, Z): X = E[ids] (inputs), Z = H @ E.T (logits), one table E."""
    return E[ids], H @ E.T


def tied_backward(E, ids, H, dX, dZ):
    """Return dE: the lookup's gradient plus the output layer's."""
    dE = np.zeros_like(E)
    np.add.at(dE, ids, dX)  # from the lookup X = E[ids]
    dE += dZ.T @ H  # from the logits Z = H E^T: d(E^T) = H^T dZ
    return dE
# --8<-- [end:tied]


# --8<-- [start:dropout]
def dropout_mask(shape, p, rng):
    """Return a mask of the given shape: 1 (keep) with probability 1 - p, else 0."""
    if not 0 <= p < 1:
        raise ValueError(f"the drop probability p must be in [0, 1), got {p}")
    return (rng.random(shape) >= p).astype(np.float64)


def dropout(X, mask, p):
    """Return X * mask / (1 - p): dropped entries are 0, kept ones scaled up."""
    if not 0 <= p < 1:
        raise ValueError(f"the drop probability p must be in [0, 1), got {p}")
    if mask.shape != X.shape:
        raise ValueError(f"mask has shape {mask.shape} but X has shape {X.shape}")
    return X * mask / (1 - p)


def dropout_backward(mask, p, dY):
    """Return dX = dY * mask / (1 - p), with the mask of the forward pass."""
    return dY * mask / (1 - p)
# --8<-- [end:dropout]
