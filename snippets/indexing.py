"""Indexing: embedding lookup, gather, and the operations that cut and join arrays.

See docs/indexing.md. Reading entries by index copies them; the backward pass adds
each gradient back at the place it was read from. An index that is read twice gets
the sum of both gradients, which is why the scatter uses np.add.at.
"""

# --8<-- [start:embedding]
import numpy as np


def check_ids(ids, n):
    """Raise a clear error unless ids is an array of integers in [0, n)."""
    ids = np.asarray(ids)
    if not np.issubdtype(ids.dtype, np.integer):
        raise TypeError(f"ids must be integers, got dtype {ids.dtype}")
    if ids.size and (ids.min() < 0 or ids.max() >= n):
        bad = ids[(ids < 0) | (ids >= n)].flat[0]
        raise IndexError(f"id {bad} is out of range: ids must lie in [0, {n})")
    return ids


def embedding(W, ids):
    """Return W[ids]: row ids[t] of the table W (V, D) for every id, shape (*ids, D)."""
    ids = check_ids(ids, W.shape[0])
    return W[ids]


def embedding_backward(W, ids, dY):
    """Return dW (V, D): each dY[t] added to the row ids[t] it was read from."""
    ids = check_ids(ids, W.shape[0])
    dW = np.zeros_like(W)
    np.add.at(dW, ids, dY)  # unbuffered: a repeated id receives every dY[t]
    return dW
# --8<-- [end:embedding]


# --8<-- [start:gather]
def gather(X, idx, axis):
    """Return np.take(X, idx, axis): the slices idx (1-D) of X along axis."""
    idx = check_ids(idx, X.shape[axis])
    return np.take(X, idx, axis=axis)


def gather_backward(X, idx, axis, dY):
    """Return dX: each slice of dY added back at the position it was taken from."""
    idx = check_ids(idx, X.shape[axis])
    dX = np.zeros_like(X)
    # move the indexed axis to the front of both, then scatter-add along it
    np.add.at(np.moveaxis(dX, axis, 0), idx, np.moveaxis(dY, axis, 0))
    return dX
# --8<-- [end:gather]


# --8<-- [start:concatenate]
def concatenate_backward(Xs, axis, dY):
    """Return [dX1, dX2, ...]: dY cut back into the pieces of np.concatenate(Xs)."""
    sizes = [X.shape[axis] for X in Xs]
    return np.split(dY, np.cumsum(sizes)[:-1], axis=axis)


def split_backward(dYs, axis):
    """Return dX for np.split(X, ..., axis): the pieces' gradients joined again."""
    return np.concatenate(dYs, axis=axis)
# --8<-- [end:concatenate]


# --8<-- [start:stack]
def stack_backward(dY, axis):
    """Return [dX1, dX2, ...] for Y = np.stack(Xs, axis): one slice of dY each."""
    return list(np.moveaxis(dY, axis, 0))
# --8<-- [end:stack]


# --8<-- [start:slice]
def slice_backward(X, key, dY):
    """Return dX for Y = X[key], key made of slices: dY in place, zeros elsewhere."""
    key = key if isinstance(key, tuple) else (key,)
    if not all(isinstance(k, (slice, int)) for k in key):
        raise TypeError("key must be made of slices and integers; for an index "
                        "array, which may repeat entries, use gather_backward")
    dX = np.zeros_like(X)
    dX[key] = dY  # a slice never reads an entry twice, so assignment is enough
    return dX
# --8<-- [end:slice]
