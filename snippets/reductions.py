"""Sums, means, maxima, transposes, reshapes, broadcasting: their gradients
(docs/reductions.md).

None of these does arithmetic worth the name: they add up, copy, pick or move
entries. Their backward passes route the upstream gradient back to where each
output entry came from.
"""

# --8<-- [start:sum]
import numpy as np


def sum_axis(X, axis, keepdims=False):
    """Return the sum of X along one axis."""
    return X.sum(axis=axis, keepdims=keepdims)


def sum_axis_backward(X, dY, axis, keepdims=False):
    """Return dX: each entry of X gets the gradient of its sum."""
    if not keepdims:
        dY = np.expand_dims(dY, axis)  # the summed axis back, length 1
    return np.broadcast_to(dY, X.shape).copy()  # copy along the reduced axis
# --8<-- [end:sum]


# --8<-- [start:mean]
def mean_axis(X, axis, keepdims=False):
    """Return the mean of X along one axis."""
    return X.mean(axis=axis, keepdims=keepdims)


def mean_axis_backward(X, dY, axis, keepdims=False):
    """Return dX: the sum's gradient divided by the number averaged."""
    return sum_axis_backward(X, dY, axis, keepdims) / X.shape[axis]
# --8<-- [end:mean]


# --8<-- [start:max]
def max_axis(X, axis, keepdims=False):
    """Return the maximum of X along one axis."""
    return X.max(axis=axis, keepdims=keepdims)


def max_axis_backward(X, dY, axis, keepdims=False):
    """Return dX: dY goes to the maximum, split evenly among tied maxima."""
    if not keepdims:
        dY = np.expand_dims(dY, axis)
    winners = X == X.max(axis=axis, keepdims=True)  # True at each maximum
    share = winners / winners.sum(axis=axis, keepdims=True)  # 1 / number tied
    return share * dY
# --8<-- [end:max]


# --8<-- [start:rearrange]
def transpose(X, axes=None):
    """Return X with its axes permuted (reversed if axes is None)."""
    return np.transpose(X, axes)


def transpose_backward(dY, axes=None):
    """Return dX: dY with its axes moved back by the inverse permutation."""
    if axes is None:  # the axes were reversed, and reversing again undoes it
        return np.transpose(dY)
    n = dY.ndim
    positive = [a + n if a < 0 else a for a in axes]  # -1 is the last axis, as in numpy
    if sorted(positive) != list(range(n)):
        raise ValueError(f"axes={tuple(axes)} is not a permutation of dY's {n} axes")
    return np.transpose(dY, np.argsort(positive))


def reshape(X, shape):
    """Return X with a new shape, entries kept in row-major reading order."""
    return X.reshape(shape)


def reshape_backward(X, dY):
    """Return dX: the upstream gradient reshaped back to the shape of X."""
    return dY.reshape(X.shape)
# --8<-- [end:rearrange]


# --8<-- [start:unbroadcast]
def unbroadcast(dY, shape):
    """Sum dY down to shape: the gradient of b, of that shape, broadcast to dY.shape."""
    leading = dY.ndim - len(shape)  # axes broadcasting put in front of b's
    # axes where b has length 1: stretched (summing is a no-op if not)
    stretched = [leading + i for i, n in enumerate(shape) if n == 1]
    dX = dY.sum(axis=tuple(range(leading)) + tuple(stretched), keepdims=True)
    return dX.reshape(shape)  # drop the leading axes, now of length 1
# --8<-- [end:unbroadcast]
