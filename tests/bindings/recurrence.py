"""docs/recurrence.md: a vanilla RNN through time and clipping, by snippets/recurrence.py.

The states are numbered as on the page: h_0 the initial state, h_1 to h_T the
states of rnn_forward, x_1 to x_T the inputs and dH_1 to dH_T the gradients the loss
gives the states (each a `Sequence`). The snippet keeps its intermediate gradients
to itself, so the binding reads them from the snippet by two exact means:

* dz_t is the gradient of an extra input that enters z_t through the identity: run
  rnn_backward with the inputs [x_t, 0] and the weights [W_x; I]; the forward pass is
  unchanged and the extra columns of dX are dz_t;
* dh_t is dH_t plus the gradient that the steps after t send back to h_t: the dh0
  of rnn_backward run on steps t + 1 to T from the state h_t.

dz_{T+1} = 0 starts the recursion, a convention the snippet follows (dh_next is
zero at first). The clipping box binds g, all the gradients of a step, as one
vector of their entries, clipped by clip_by_norm below (ratio 0.5) and above (2)
the threshold; the Jacobian is the snippet's step_jacobian for one sample.
"""

import numpy as np

from bindings import Box
from notation import Sequence
from snippets import recurrence as rnn


def numbered(arrays, first=1):
    return Sequence({first + k: array for k, array in enumerate(arrays)})


def result(X, h0, W_x, W_h, b, dH):
    T, N, D = X.shape
    H = rnn.rnn_forward(X, h0, W_x, W_h, b)
    dX, dh0, dW_x, dW_h, db = rnn.rnn_backward(X, h0, W_x, W_h, b, dH)
    widened = np.concatenate([X, np.zeros((T, N, W_h.shape[0]))], axis=2)
    lifted = np.vstack([W_x, np.eye(W_h.shape[0])])
    dz = rnn.rnn_backward(widened, h0, lifted, W_h, b, dH)[0][:, :, D:]
    states = [h0, *H]
    later = [rnn.rnn_backward(X[t + 1:], states[t + 1], W_x, W_h, b, dH[t + 1:])[1]
             for t in range(T)]  # what steps t + 2 .. T send back to h_{t+1}
    return {"x": numbered(X), "h": numbered(states, 0), "dH": numbered(dH),
            "dz": Sequence({**numbered(dz), T + 1: np.zeros_like(h0)}),
            "dh": Sequence({0: dh0, **numbered(dH + np.array(later))}),
            "dx": numbered(dX), "dW_x": dW_x, "dW_h": dW_h, "db": db, "T": T}


def clipping_result(X, h0, W_x, W_h, b, grad_x, grad_h, grad_b, ratio=0.5):
    H = rnn.rnn_forward(X[:, :1], h0[:1], W_x, W_h, b)[:, 0]  # one sample
    states = numbered([h0[0], *H], 0)
    grads = [grad_x, grad_h, grad_b]
    g = np.concatenate([grad.ravel() for grad in grads])
    c = ratio * np.sqrt(np.sum(g**2))
    clipped, _ = rnn.clip_by_norm(grads, c)
    return {"h": states, "c": c,
            "\\partial h_t / \\partial h_{t-1}": lambda t: rnn.step_jacobian(
                states[t], W_h),
            "g": g, "\\leftarrow": {"g": np.concatenate([x.ravel() for x in clipped])}}


SHAPES = {"X": "T N D", "h0": "N H", "W_x": "D H", "W_h": "H H", "b": "H",
          "dH": "T N H"}

BOXES = {
    "result": Box(result, shapes=SHAPES,
                  not_claims={"t = T, \\dots, 1": "the order of the steps, in words",
                              "dz_{T+1} = 0": "the convention that starts the "
                              "recursion; the binding gives dz_{T+1} this value"}),
    "clipping-result": Box(
        clipping_result,
        shapes={**SHAPES, "grad_x": "D H", "grad_h": "H H", "grad_b": "H"},
        probes={"ratio": [2.0]},
    ),
}
