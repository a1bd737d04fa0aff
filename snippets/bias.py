"""A linear layer with a broadcast bias, in both batch conventions (docs/bias.md)."""

# --8<-- [start:columns]
import numpy as np


def linear_columns(W, A, b):
    """Return C = W @ A + b; samples are columns, b has shape (n_out, 1)."""
    return W @ A + b  # b is copied into each of the N columns


def linear_columns_backward(W, A, dC):
    """Return (dW, dA, db) from dC, the gradient of the loss w.r.t. C."""
    dW = dC @ A.T  # (n_out, N) @ (N, n_in) -> (n_out, n_in), like W
    dA = W.T @ dC  # (n_in, n_out) @ (n_out, N) -> (n_in, N), like A
    db = dC.sum(axis=1, keepdims=True)  # add up the N copies -> (n_out, 1)
    return dW, dA, db
# --8<-- [end:columns]


# --8<-- [start:rows]
def linear_rows(X, W, b):
    """Return Y = X @ W + b; samples are rows, b has shape (n_out,)."""
    return X @ W + b  # b is copied into each of the N rows


def linear_rows_backward(X, W, dY):
    """Return (dX, dW, db) from dY, the gradient of the loss w.r.t. Y."""
    dX = dY @ W.T  # (N, n_out) @ (n_out, n_in) -> (N, n_in), like X
    dW = X.T @ dY  # (n_in, N) @ (N, n_out) -> (n_in, n_out), like W
    db = dY.sum(axis=0)  # add up the N copies -> (n_out,)
    return dX, dW, db
# --8<-- [end:rows]
