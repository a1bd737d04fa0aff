"""docs/losses.md: three losses and their gradients, by snippets/losses.py."""

from bindings import Box
from snippets import losses
from snippets.activations import sigmoid


def mse(Y_hat, Y):
    return {"\\hat Y": Y_hat, "L": losses.mse(Y_hat, Y),
            "d\\hat Y": losses.mse_backward(Y_hat, Y)}


def softmax_cross_entropy(Z, rng):
    N, K = Z.shape
    y = rng.integers(0, K, size=N)
    return {
        "y": y, "P": losses.softmax(Z), "\\operatorname{softmax}": losses.softmax,
        "Y": losses.one_hot(y, K), "L": losses.softmax_cross_entropy(Z, y),
        "dZ": losses.softmax_cross_entropy_backward(Z, y),
    }


def binary_cross_entropy(z, rng):
    y = rng.integers(0, 2, size=len(z)).astype(float)
    return {
        "y": y, "s": sigmoid(z), "\\sigma": sigmoid,
        "L": losses.sigmoid_binary_cross_entropy(z, y),
        "dz": losses.sigmoid_binary_cross_entropy_backward(z, y),
    }


BOXES = {
    "mse-result": Box(mse, shapes={"Y_hat": "N K", "Y": "N K"}),
    "softmax-result": Box(
        softmax_cross_entropy, shapes={"Z": "N K"},
        not_claims={
            "Y_{ik} = 1": "with the words around it, defines the one-hot Y",
            "k = y_i": "the condition of that definition",
        },
    ),
    "bce-result": Box(binary_cross_entropy, shapes={"z": "N"}),
}
