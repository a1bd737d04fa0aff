"""Layer normalization and batch normalization (training mode) and their gradients.

See docs/normalization.md. Samples are the rows of X, of shape (N, D). Both layers
standardize X along one axis and then scale and shift each feature:

* layer normalization standardizes each row over its D features (axis=1);
* batch normalization standardizes each column over the N samples (axis=0).

gamma and beta have shape (D,) in both. The backward pass is one formula with an
axis argument.
"""

# --8<-- [start:forward]
import numpy as np


def normalize(X, gamma, beta, axis, eps=1e-5):
    """Return gamma * X_hat + beta, X_hat being X standardized along axis."""
    mu = X.mean(axis=axis, keepdims=True)  # one mean per group
    var = X.var(axis=axis, keepdims=True)  # one (biased) variance per group
    X_hat = (X - mu) / np.sqrt(var + eps)  # eps inside the square root
    return gamma * X_hat + beta  # gamma, beta (D,) broadcast over the rows


def layer_norm(X, gamma, beta, eps=1e-5):
    """Return layer normalization of X (N, D): each row over its D features."""
    return normalize(X, gamma, beta, axis=1, eps=eps)


def batch_norm(X, gamma, beta, eps=1e-5):
    """Return batch normalization of X (N, D), training mode: each column."""
    return normalize(X, gamma, beta, axis=0, eps=eps)
# --8<-- [end:forward]


# --8<-- [start:backward]
def normalize_backward(X, gamma, dY, axis, eps=1e-5):
    """Return (dX, dgamma, dbeta) from dY, the gradient of the loss for Y."""
    mu = X.mean(axis=axis, keepdims=True)
    sigma = np.sqrt(X.var(axis=axis, keepdims=True) + eps)
    X_hat = (X - mu) / sigma
    dX_hat = gamma * dY  # (N, D)
    # the direct path - the path through the mean - the path through the variance
    dX = (
        dX_hat
        - dX_hat.mean(axis=axis, keepdims=True)
        - X_hat * (dX_hat * X_hat).mean(axis=axis, keepdims=True)
    ) / sigma
    dgamma = (dY * X_hat).sum(axis=0)  # gamma is shared by the N rows -> (D,)
    dbeta = dY.sum(axis=0)  # (D,)
    return dX, dgamma, dbeta


def layer_norm_backward(X, gamma, dY, eps=1e-5):
    """Return (dX, dgamma, dbeta) for layer_norm: means over each row."""
    return normalize_backward(X, gamma, dY, axis=1, eps=eps)


def batch_norm_backward(X, gamma, dY, eps=1e-5):
    """Return (dX, dgamma, dbeta) for batch_norm: means over each column."""
    return normalize_backward(X, gamma, dY, axis=0, eps=eps)
# --8<-- [end:backward]


# --8<-- [start:steps]
def normalize_backward_steps(X, gamma, dY, axis, eps=1e-5):
    """Return dX like normalize_backward, through the mean and the variance."""
    n = X.shape[axis]  # size of each group: D for layer norm, N for batch norm
    mu = X.mean(axis=axis, keepdims=True)
    var = X.var(axis=axis, keepdims=True)
    sigma = np.sqrt(var + eps)  # X_hat = (X - mu) / sigma
    dX_hat = gamma * dY
    # the two nodes that every X_hat of a group depends on
    dmu = -(dX_hat / sigma).sum(axis=axis, keepdims=True)
    dvar = (dX_hat * (X - mu) * -0.5 * sigma**-3).sum(axis=axis, keepdims=True)
    # what one x does to them: d mu / dx = 1/n, d var / dx = 2 (x - mu) / n
    # (var also depends on mu, but d var / d mu = -2 mean(X - mu) = 0)
    dX_direct = dX_hat / sigma
    dX_via_mean = dmu / n
    dX_via_var = dvar * 2 * (X - mu) / n
    return dX_direct + dX_via_mean + dX_via_var
# --8<-- [end:steps]
