"""docs/activations.md: A = f(Z) entry by entry, by snippets/activations.py.

One case per activation function: f and f' are that function and its derivative
(f'(z) is the backward function with an upstream gradient of 1). The derivatives of
the three functions are checked in every case, at random points and at 0. The second
box (leaky ReLU, GELU, softplus) likewise, with Phi and varphi the standard normal
distribution function and density from their definitions (erf, exp).
"""

import math

import numpy as np

from bindings import Box, ones_like_call
from snippets import activations as act

FUNCTIONS = {
    "sigmoid": (act.sigmoid, act.sigmoid_backward),
    "tanh": (act.tanh, act.tanh_backward),
    "relu": (act.relu, act.relu_backward),
}


def result(Z, dA, z, f):
    forward, backward = FUNCTIONS[f]
    return {
        "A": forward(Z), "dZ": backward(Z, dA),
        "f": forward, "f'": ones_like_call(backward),
        "\\sigma": act.sigmoid, "\\sigma'": ones_like_call(act.sigmoid_backward),
        "\\tanh": act.tanh, "\\tanh'": ones_like_call(act.tanh_backward),
        "\\mathrm{relu}": act.relu, "\\mathrm{relu}'": ones_like_call(act.relu_backward),
    }


MORE = {
    "leaky": (act.leaky_relu, act.leaky_relu_backward),
    "gelu": (act.gelu, act.gelu_backward),
    "softplus": (act.softplus, act.softplus_backward),
}
ALPHA = 0.01  # the default alpha of leaky_relu and leaky_relu_backward


def Phi(z):
    """The standard normal distribution function, from its definition by erf."""
    return np.vectorize(lambda t: 0.5 * (1 + math.erf(t / math.sqrt(2))))(z)


def varphi(z):
    """The standard normal density."""
    return np.exp(-np.square(z) / 2) / math.sqrt(2 * math.pi)


def more_result(Z, dA, z, f):
    forward, backward = MORE[f]
    return {
        "A": forward(Z), "dZ": backward(Z, dA),
        "f": forward, "f'": ones_like_call(backward), "\\alpha": ALPHA,
        "\\Phi": Phi, "\\varphi": varphi, "\\sigma": act.sigmoid,
        "\\operatorname{leaky}'": ones_like_call(act.leaky_relu_backward),
        "\\operatorname{gelu}'": ones_like_call(act.gelu_backward),
        "\\operatorname{softplus}'": ones_like_call(act.softplus_backward),
    }


BOXES = {
    "result": Box(
        result, shapes={"Z": "m n", "dA": "m n", "z": ""},
        cases=[{"f": name} for name in FUNCTIONS], probes={"z": [0.0]},
        not_claims={"z = 0": "the point where relu' is a choice, named in words"},
    ),
    "more-activations-result": Box(
        more_result, shapes={"Z": "m n", "dA": "m n", "z": ""},
        cases=[{"f": name} for name in MORE], probes={"z": [0.0]},
        not_claims={"z = 0": "the point where leaky' is a choice, named in words"},
    ),
}
