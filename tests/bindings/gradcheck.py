"""docs/gradcheck.md: central differences and the dot-product test, snippets/gradcheck.py.

L is a smooth loss whose gradient is known exactly, so that the box's error terms can
be checked: O(h^p) is read as "within 10 h^p, plus 1e-7 for rounding". The step h is
the default step of `check_gradient`.
"""

import inspect

import numpy as np

from bindings import Box
from snippets.gradcheck import check_gradient


def loss(x):
    """A loss with curvature everywhere: a forward difference is off by about h."""
    return np.sum(x**2) + np.sum(np.sin(x)) / 2


def loss_gradient(x):
    return 2 * x + np.cos(x) / 2


def result(x, A, v, dy):
    step = inspect.signature(check_gradient).parameters["eps"].default
    return {
        "L": lambda x: loss(np.asarray(x).ravel()), "dx": loss_gradient(x),
        "e": np.eye(len(x)), "h": step,
        "J": A, "\\mathrm{backward}": lambda dy: A.T @ dy,
    }


BOXES = {
    "result": Box(result, shapes={"x": "n", "A": "m n", "v": "n", "dy": "m"}),
}
