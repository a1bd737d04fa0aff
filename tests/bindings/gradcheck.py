"""docs/gradcheck.md: central differences and the dot-product test, snippets/gradcheck.py.

L is a smooth loss whose gradient is known exactly, so that the box's error terms can
be checked: O(h^p) is read as "within 10 h^p, plus 1e-7 for rounding". The step h is
the default step of `check_gradient`. The box is for x of any shape: each case draws x
with one, two or three axes, and every case is checked. x_k and dx_k count the
entries in the order `numerical_gradient` walks them (`notation.Flat`), e_k is the
array of x's shape with a 1 at entry k. The dot-product test is for a linear forward
map, y = A x flattened, so that J v = forward(v) and backward(dy) = A^T dy in x's shape.
"""

import inspect

import numpy as np

from bindings import Box
from notation import Flat, Sequence
from snippets.gradcheck import check_gradient


def loss(x):
    """A loss with curvature everywhere: a forward difference is off by about h."""
    return np.sum(x**2) + np.sum(np.sin(x)) / 2


def loss_gradient(x):
    return 2 * x + np.cos(x) / 2


def result(x1, x2, x3, dy, rng, axes):
    x = {1: x1, 2: x2, 3: x3}[axes]
    A = rng.standard_normal((len(dy), x.size))
    step = inspect.signature(check_gradient).parameters["eps"].default
    units = {k: np.eye(x.size)[k - 1].reshape(x.shape) for k in range(1, x.size + 1)}
    forward = lambda v: A @ np.ravel(v)  # noqa: E731
    return {
        "x": Flat(x), "L": lambda v: loss(np.asarray(v)), "dx": Flat(loss_gradient(x)),
        "e": Sequence(units), "h": step, "v": rng.standard_normal(x.shape), "dy": dy,
        "J": forward, "\\mathrm{backward}": lambda dy: (A.T @ dy).reshape(x.shape),
        "`forward(x)`": forward(x),
    }


BOXES = {
    "result": Box(result, shapes={"x1": "n", "x2": "m n", "x3": "q m n", "dy": "p"},
                  cases=[{"axes": 1}, {"axes": 2}, {"axes": 3}], every_case=True),
}
