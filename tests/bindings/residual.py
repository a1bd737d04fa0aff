"""docs/residual.md: forks, the residual block, weight tying, dropout, by snippets/residual.py.

The first box states three results in the same letters: one case each. In the fork
case W_1, W_2 are the two layers reading X (D x P and D x Q); in the block case they
are the branch's weights (D x H and H x D) and dZ the gradient at Z = X W_1; in the
tied case X = S E is the lookup (S the one-hot rows of the ids), Z = H E^T the logits,
and dX, dZ the gradients arriving at them. Dropout draws its mask once, as the page
says, for a drop probability of 0 and of 0.4.
"""

import numpy as np

from bindings import Box
from snippets import residual as res
from snippets.activations import relu, relu_backward


def result(X, W1_fork, W2_fork, dY1, dY2, W1, W2, dY, E, H_tied, dX_tied, dZ_tied,
           use, rng):
    if use == "fork":
        Y1, Y2 = res.fork(X, W1_fork, W2_fork)
        return {"W_1": W1_fork, "W_2": W2_fork, "Y_1": Y1, "Y_2": Y2,
                "dY_1": dY1, "dY_2": dY2,
                "dX": res.fork_backward(X, W1_fork, W2_fork, dY1, dY2)}
    if use == "block":
        dX, dW1, dW2 = res.residual_block_backward(X, W1, W2, dY)
        Z = X @ W1
        return {"W_1": W1, "W_2": W2, "Y": res.residual_block(X, W1, W2), "Z": Z,
                "dZ": relu_backward(Z, dY @ W2.T), "dX": dX, "dW_1": dW1, "dW_2": dW2,
                "\\operatorname{relu}": relu,
                "\\operatorname{relu}'": lambda M: relu_backward(M, np.ones_like(M))}
    ids = rng.integers(E.shape[0], size=H_tied.shape[0])
    S = np.eye(E.shape[0])[ids]  # T x V: row t is the one-hot row of ids[t]
    X_tied, Z = res.tied_logits(E, ids, H_tied)
    return {"S": S, "X": X_tied, "Z": Z, "H": H_tied, "dX": dX_tied, "dZ": dZ_tied,
            "dE": res.tied_backward(E, ids, H_tied, dX_tied, dZ_tied)}


def dropout_result(X, dY, p, rng):
    M = res.dropout_mask(X.shape, p, rng)
    return {"M": M, "p": p, "Y": res.dropout(X, M, p), "dX": res.dropout_backward(M, p, dY)}


BOXES = {
    "result": Box(
        result, shapes={
            "X": "N D", "W1_fork": "D P", "W2_fork": "D Q", "dY1": "N P", "dY2": "N Q",
            "W1": "D H", "W2": "H D", "dY": "N D",
            "E": "V D", "H_tied": "T D", "dX_tied": "T D", "dZ_tied": "T V"},
        cases=[{"use": "fork"}, {"use": "block"}, {"use": "tied"}],
    ),
    "dropout-result": Box(
        dropout_result, shapes={"X": "m n", "dY": "m n"}, cases=[{"p": 0.0}, {"p": 0.4}],
    ),
}
