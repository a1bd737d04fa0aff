"""docs/indexing.md: embedding lookup, gather, cut and join, by snippets/indexing.py.

The embedding box holds for the lookup of rows (case "embed": ids drawn at random,
repeats included, S their one-hot rows) and for the gather of k columns of X (case
"gather": S the one-hot rows of the column indices, k x n). The cut-and-join box
holds for a concatenation of A and B along the columns, a split of X into two
pieces, a stack of K arrays along a new first axis (dX the K gradients, stacked, so
that dX_k is the k-th) and a slice of rows a to b (1-based, both included, drawn at
random).
"""

import numpy as np

from bindings import Box
from snippets import indexing as ix


def one_hot(ids, n):
    """The one-hot rows of integer ids: row t has its 1 in column ids[t]."""
    return np.eye(n)[ids]


def embedding_result(W, dY, X, dY_gather, use, rng):
    if use == "embed":
        ids = rng.integers(W.shape[0], size=dY.shape[0])
        return {"S": one_hot(ids, W.shape[0]), "Y": ix.embedding(W, ids),
                "dW": ix.embedding_backward(W, ids, dY)}
    idx = rng.integers(X.shape[1], size=dY_gather.shape[1])
    return {"S": one_hot(idx, X.shape[1]), "Y": ix.gather(X, idx, axis=1),
            "dY": dY_gather, "dX": ix.gather_backward(X, idx, 1, dY_gather)}


def cut_and_join_result(A, B, X_stack, dY_stack, X, dY_1, dY_2, use, rng):
    if use == "concat":
        dY = rng.standard_normal((A.shape[0], A.shape[1] + B.shape[1]))
        dA, dB = ix.concatenate_backward([A, B], 1, dY)
        return {"Y": np.concatenate([A, B], axis=1), "dY": dY, "dA": dA, "dB": dB}
    if use == "split":
        return {"dY_1": dY_1, "dY_2": dY_2, "dX": ix.split_backward([dY_1, dY_2], 1)}
    if use == "stack":
        return {"Y": np.stack(list(X_stack)), "dY": dY_stack,
                "dX": np.stack(ix.stack_backward(dY_stack, 0))}
    a = int(rng.integers(1, X.shape[0] + 1))  # rows a to b, 1-based, both included
    b = int(rng.integers(a, X.shape[0] + 1))
    dY_slice = rng.standard_normal((b - a + 1, X.shape[1]))
    return {"a": a, "b": b, "X": X, "Y": X[a - 1:b],
            "dY": dY_slice, "dX": ix.slice_backward(X, slice(a - 1, b), dY_slice)}


BOXES = {
    "embedding-result": Box(
        embedding_result,
        shapes={"W": "V D", "dY": "T D", "X": "m n", "dY_gather": "m k"},
        cases=[{"use": "embed"}, {"use": "gather"}],
        not_claims={"s_{tv} = 1": "the definition of the one-hot rows, in words",
                    "v = i_t": "the condition of that definition"},
    ),
    "cut-and-join-result": Box(
        cut_and_join_result,
        shapes={"A": "m p", "B": "m q", "X_stack": "K m n",
                "dY_stack": "K m n", "X": "m n", "dY_1": "m p", "dY_2": "m q"},
        cases=[{"use": "concat"}, {"use": "split"}, {"use": "stack"}, {"use": "slice"}],
    ),
}
