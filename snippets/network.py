"""A two-layer network with a softmax cross-entropy loss (docs/network.md).

Nothing here is new: every stage is a function from another page, and the backward
pass calls their backward functions in reverse order. Samples are the rows of X.
"""

# --8<-- [start:forward]
import numpy as np

from snippets.activations import relu, relu_backward, tanh, tanh_backward
from snippets.bias import linear_rows, linear_rows_backward
from snippets.losses import (
    softmax_cross_entropy,
    softmax_cross_entropy_backward,
)

# each activation function with its backward function
ACTIVATIONS = {"relu": (relu, relu_backward), "tanh": (tanh, tanh_backward)}


def init_params(D, H, K, seed=0):
    """Return random W1 (D, H), W2 (H, K) and zero biases b1 (H,), b2 (K,)."""
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.standard_normal((D, H)) / np.sqrt(D),
        "b1": np.zeros(H),
        "W2": rng.standard_normal((H, K)) / np.sqrt(H),
        "b2": np.zeros(K),
    }


def network_forward(params, X, y, activation="relu"):
    """Return (loss, cache) for X (N, D) and integer labels y (N,) in 0..K-1."""
    f, _ = ACTIVATIONS[activation]
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = linear_rows(X, W1, b1)  # (N, D) @ (D, H) + (H,) -> (N, H)
    H1 = f(Z1)  # (N, H)
    Z2 = linear_rows(H1, W2, b2)  # (N, H) @ (H, K) + (K,) -> (N, K), the logits
    loss = softmax_cross_entropy(Z2, y)  # a scalar: the mean over the N samples
    cache = dict(X=X, y=y, Z1=Z1, H1=H1, Z2=Z2, activation=activation)
    return loss, cache
# --8<-- [end:forward]


# --8<-- [start:backward]
def network_backward(params, cache):
    """Return the gradients: one per key of params, and for X, Z1, H1, Z2."""
    _, f_backward = ACTIVATIONS[cache["activation"]]
    dZ2 = softmax_cross_entropy_backward(cache["Z2"], cache["y"])  # (N, K)
    dH1, dW2, db2 = linear_rows_backward(cache["H1"], params["W2"], dZ2)
    dZ1 = f_backward(cache["Z1"], dH1)  # (N, H)
    dX, dW1, db1 = linear_rows_backward(cache["X"], params["W1"], dZ1)
    return {
        "W1": dW1, "b1": db1, "W2": dW2, "b2": db2,  # the parameters
        "X": dX, "Z1": dZ1, "H1": dH1, "Z2": dZ2,  # input, intermediates
    }
# --8<-- [end:backward]
