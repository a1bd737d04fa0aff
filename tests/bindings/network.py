"""docs/network.md: the two-layer network's backward pass, by snippets/network.py."""

from bindings import Box, ones_like_call
from snippets.activations import relu_backward, tanh_backward
from snippets.losses import one_hot, softmax
from snippets.network import network_backward, network_forward

DERIVATIVES = {"relu": relu_backward, "tanh": tanh_backward}


def result(X, W_1, b_1, W_2, b_2, rng, activation):
    N, K = X.shape[0], W_2.shape[1]
    y = rng.integers(0, K, size=N)
    params = {"W1": W_1, "b1": b_1, "W2": W_2, "b2": b_2}
    _, cache = network_forward(params, X, y, activation)
    grads = network_backward(params, cache)
    return {
        "y": y, "Y": one_hot(y, K), "\\operatorname{softmax}": softmax,
        "f'": ones_like_call(DERIVATIVES[activation]),
        "Z_1": cache["Z1"], "H_1": cache["H1"], "Z_2": cache["Z2"],
        "dZ_2": grads["Z2"], "dW_2": grads["W2"], "db_2": grads["b2"],
        "dH_1": grads["H1"], "dZ_1": grads["Z1"], "dW_1": grads["W1"],
        "db_1": grads["b1"], "dX": grads["X"],
    }


BOXES = {
    "result": Box(
        result, shapes={"X": "N D", "W_1": "D H", "b_1": "H", "W_2": "H K", "b_2": "K"},
        cases=[{"activation": "relu"}, {"activation": "tanh"}],
    ),
}
