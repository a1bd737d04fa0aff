"""Loss functions over a batch and their gradients (docs/losses.md).

Samples are rows: the first axis of a batch has length N, one per sample.
Every loss is a mean over the N samples, so every gradient carries 1/N.
"""

# --8<-- [start:mse]
import numpy as np


def mse(Y_hat, Y):
    """Return L = sum((Y_hat - Y)**2) / (2 N) for Y_hat, Y of shape (N, K)."""
    N = Y_hat.shape[0]
    return np.sum((Y_hat - Y) ** 2) / (2 * N)


def mse_backward(Y_hat, Y):
    """Return dY_hat = (Y_hat - Y) / N, the gradient of mse(Y_hat, Y)."""
    N = Y_hat.shape[0]
    return (Y_hat - Y) / N
# --8<-- [end:mse]


# --8<-- [start:softmax]
def softmax(Z):
    """Return the softmax of each row of Z (N, K), row max subtracted."""
    # After subtracting the max, the largest exponential is exp(0) = 1
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)
# --8<-- [end:softmax]


# --8<-- [start:log_softmax]
def log_softmax(Z):
    """Return log(softmax(Z)) via log-sum-exp: no overflow, no log(0)."""
    m = Z.max(axis=1, keepdims=True)
    log_sum_exp = m + np.log(np.exp(Z - m).sum(axis=1, keepdims=True))
    return Z - log_sum_exp


def one_hot(y, K):
    """Return the (N, K) matrix with 1 at (i, y[i]) and 0 elsewhere."""
    Y = np.zeros((len(y), K))
    Y[np.arange(len(y)), y] = 1.0
    return Y
# --8<-- [end:log_softmax]


# --8<-- [start:softmax_cross_entropy]
def softmax_cross_entropy(Z, y):
    """Return mean_i of -log softmax(Z)[i, y[i]]; Z (N, K), labels y (N,)."""
    N = Z.shape[0]
    return -np.sum(log_softmax(Z)[np.arange(N), y]) / N


def softmax_cross_entropy_backward(Z, y):
    """Return dZ = (softmax(Z) - one_hot(y)) / N, the loss's gradient."""
    N, K = Z.shape
    return (softmax(Z) - one_hot(y, K)) / N
# --8<-- [end:softmax_cross_entropy]


# --8<-- [start:binary_cross_entropy]
def sigmoid_binary_cross_entropy(z, y):
    """Return mean(-[y log s + (1-y) log(1-s)]), s = sigmoid(z); z, y (N,)."""
    # -log(sigmoid(z)) = log(1 + exp(-z)) = logaddexp(0, -z), without overflow
    # -log(1 - sigmoid(z)) = log(1 + exp(z)) = logaddexp(0, z)
    losses = y * np.logaddexp(0.0, -z) + (1 - y) * np.logaddexp(0.0, z)
    return np.sum(losses) / len(z)


def sigmoid_binary_cross_entropy_backward(z, y):
    """Return dz = (sigmoid(z) - y) / N, the loss's gradient."""
    s = np.exp(-np.logaddexp(0.0, -z))  # 1 / (1 + exp(-z)), without overflow
    return (s - y) / len(z)
# --8<-- [end:binary_cross_entropy]
