"""Activation functions A = f(Z), applied entry by entry, and their gradients.

See docs/activations.md. Each backward function returns dZ = f'(Z) * dA. Sigmoid,
tanh and ReLU come first; leaky ReLU, GELU (exact, with erf) and softplus follow.
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


# --8<-- [start:leaky_relu]
import numpy as np


def leaky_relu(Z, alpha=0.01):
    """Return Z where Z > 0, else alpha * Z, entry by entry."""
    return np.where(Z > 0, Z, alpha * Z)


def leaky_relu_backward(Z, dA, alpha=0.01):
    """Return dZ = dA where Z > 0, else alpha * dA (so alpha at the kink)."""
    return np.where(Z > 0, 1.0, alpha) * dA
# --8<-- [end:leaky_relu]


# --8<-- [start:gelu]
import math

erf = np.vectorize(math.erf, otypes=[np.float64])  # the exact error function


def gelu(Z):
    """Return the exact GELU z * Phi(z), Phi the standard normal CDF."""
    return Z * 0.5 * (1 + erf(Z / math.sqrt(2)))


def gelu_backward(Z, dA):
    """Return dZ = (Phi(Z) + Z * phi(Z)) * dA, phi the standard normal density."""
    Phi = 0.5 * (1 + erf(Z / math.sqrt(2)))
    phi = np.exp(-0.5 * Z**2) / math.sqrt(2 * math.pi)
    return (Phi + Z * phi) * dA
# --8<-- [end:gelu]


# --8<-- [start:softplus]
def softplus(Z):
    """Return log(1 + exp(Z)) entry by entry, without overflow."""
    return np.logaddexp(0.0, Z)


def softplus_backward(Z, dA):
    """Return dZ = sigmoid(Z) * dA: the slope of softplus is the sigmoid."""
    return np.exp(-np.logaddexp(0.0, -Z)) * dA  # sigmoid(Z), as in sigmoid above
# --8<-- [end:softplus]
