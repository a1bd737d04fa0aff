"""docs/reductions.md: sums, means, max, rearranging, broadcasting; snippets/reductions.py."""

import numpy as np

from bindings import Box
from snippets import reductions as red


def sum_result(X, axis):
    y = red.sum_axis(X, axis)
    dy = np.random.default_rng(len(y)).standard_normal(y.shape)
    return {"y": y, "dy": dy, "dX": red.sum_axis_backward(X, dy, axis)}


def mean_result(X, dy):
    return {"y": red.mean_axis(X, 1), "dX": red.mean_axis_backward(X, dy, 1)}


def max_result(X, dy, ties):
    if ties:  # round to a few values, so that rows have tied maxima
        X = np.round(X)
    winners = X == X.max(axis=1, keepdims=True)
    t = winners.sum(axis=1)  # how many entries of each row tie for its maximum
    return {"X": X, "y": red.max_axis(X, 1), "t": t, "M": winners / t[:, None],
            "dX": red.max_axis_backward(X, dy, 1)}


def rearrange_result(X):
    dY = np.random.default_rng(X.size).standard_normal(X.T.shape)
    return {"Y": red.transpose(X), "dY": dY, "dX": red.transpose_backward(dY)}


def broadcast_result(dY, b, c):
    m, n = dY.shape
    return {"Y": dY, "db": red.unbroadcast(dY, (1, n)), "dc": red.unbroadcast(dY, (m, 1))}


BOXES = {
    "sum-result": Box(sum_result, shapes={"X": "m n"},
                      cases=[{"axis": 1}, {"axis": 0}]),
    "mean": Box(mean_result, shapes={"X": "m n", "dy": "m"}),
    "max-result": Box(max_result, shapes={"X": "m n", "dy": "m"},
                      cases=[{"ties": False}, {"ties": True}]),
    "rearrange": Box(rearrange_result, shapes={"X": "m n"}),
    "broadcast-result": Box(broadcast_result, shapes={"dY": "m n", "b": "1 n", "c": "m 1"}),
}
