"""Activation functions A = f(Z), applied entry by entry, and their gradients.

See docs/activations.md. Each backward function returns dZ = f'(Z) * dA.
"""

# --8<-- [start:sigmoid]
import numpy as np


def sigmoid(Z):
    """Return 1 / (1 + exp(-Z)) entry by entry, without overflow."""
    # 1 / (1 + e^-z) = exp(-log(1 + e^-z)), and np.logaddexp(0, -z) computes
    # log(1 + e^-z) without forming e^-z, which overflows once z < -709 or so.
    return np.exp(-np.logaddexp(0.0, -Z))


def sigmoid_backward(Z, dA):
    """Return dZ = sigmoid'(Z) * dA, using sigmoid' = sigmoid * (1 - sigmoid)."""
    S = sigmoid(Z)
    return S * (1 - S) * dA
# --8<-- [end:sigmoid]


# --8<-- [start:tanh]
def tanh(Z):
    """Return tanh(Z) entry by entry."""
    return np.tanh(Z)


def tanh_backward(Z, dA):
    """Return dZ = tanh'(Z) * dA, using tanh' = 1 - tanh**2."""
    T = np.tanh(Z)
    return (1 - T**2) * dA
# --8<-- [end:tanh]


# --8<-- [start:relu]
def relu(Z):
    """Return max(Z, 0) entry by entry."""
    return np.maximum(Z, 0.0)


def relu_backward(Z, dA):
    """Return dZ = dA where Z > 0, else 0 (so 0 at the kink Z == 0)."""
    return dA * (Z > 0)
# --8<-- [end:relu]
