"""docs/activations.md: A = f(Z) entry by entry, by snippets/activations.py.

One case per activation function: f and f' are that function and its derivative
(f'(z) is the backward function with an upstream gradient of 1). The derivatives of
the three functions are checked in every case, at random points and at 0.
"""

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


BOXES = {
    "result": Box(
        result, shapes={"Z": "m n", "dA": "m n", "z": ""},
        cases=[{"f": name} for name in FUNCTIONS], probes={"z": [0.0]},
        not_claims={"z = 0": "the point where relu' is a choice, named in words"},
    ),
}
