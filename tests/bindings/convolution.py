"""docs/convolution.md: 1-D and 2-D convolution, pooling and batch normalization per
channel, by snippets/convolution.py. The page counts from 0 (`x_0`), so does the box.

conv1d and conv2d hold at stride 1 without padding and at the probes, stride 2 and
padding 1; pooling at a stride drawn from 1 to K, for max and average pooling both
(every case), on random inputs and on whole numbers (the probe ties, for windows
with several maxima). 1-D: x in the formulas is the
padded input, as the box says, and dx its gradient, from conv1d_backward on the
padded input; a kernel longer than the padded input is cut to its length. 2-D: the
im2col formulas are for one sample (the first), the entry formula for the batch,
with x the padded input; K_H and K_W are cut likewise. Pooling: per sample and
channel (one of each, at random); the share a of window (p, q) at offset (i, j) is
what max_pool_backward or avg_pool_backward sends there from a dy of 1 at (p, q),
and t_{pq} counts the entries equal to the window's max.
"""

import numpy as np

from bindings import Box
from notation import ZeroOutside
from snippets import convolution as cv


def conv1d_result(x, w, rng, s=1, P=0):
    w = w[:len(x) + 2 * P]  # no longer than the padded input
    y = cv.conv1d(x, w, s, P)
    dy = rng.standard_normal(len(y))
    xp = np.pad(x, P)
    _, dw = cv.conv1d_backward(x, w, dy, s, P)
    dx, _ = cv.conv1d_backward(xp, w, dy, s, 0)  # the gradient of every padded entry
    return {"x": xp, "w": ZeroOutside(w), "K": len(w), "s": s, "P": P, "T": len(y),
            "y": y, "dy": dy, "dw": dw, "dx": dx}


def conv2d_result(X, Wk, b, rng, s=1, P=0):
    N, C, H, W = X.shape
    Wk = Wk[:, :, :H + 2 * P, :W + 2 * P]
    F, _, KH, KW = Wk.shape
    Y = cv.conv2d(X, Wk, b, s, P)
    dY = rng.standard_normal(Y.shape)
    dX, dWk, db = cv.conv2d_backward(X, Wk, dY, s, P)
    one = X[:1]  # the first sample
    cols, OH, OW = cv.im2col(one, KH, KW, s, P)
    dX1, dWk1, db1 = cv.conv2d_backward(one, Wk, dY[:1], s, P)
    return {
        "K_H": KH, "K_W": KW, "O_H": OH, "O_W": OW, "s": s,
        "X_col": cols[0], "W_col": Wk.reshape(F, -1), "b": b,
        "Y": Y[0].reshape(F, -1), "dY": dY[0].reshape(F, -1),
        "dW_col": dWk1.reshape(F, -1), "db": db1,
        "dX_col": Wk.reshape(F, -1).T @ dY[0].reshape(F, -1),
        "\\operatorname{col2im}": lambda dcols: cv.col2im(dcols[None], one.shape, KH, KW,
                                                         s, P),
        "dX": dX1, "X": X,
        "x": np.pad(X, ((0, 0), (0, 0), (P, P), (P, P))), "dy": dY, "dw": dWk,
    }


BOXES = {
    "conv1d-result": Box(conv1d_result, shapes={"x": "L", "w": "K"}, origin=0,
                         probes={"s": [2], "P": [1]}),
    "conv2d-result": Box(conv2d_result, shapes={"X": "N C H W", "Wk": "F C K_H K_W",
                                                "b": "F"},
                         origin=0, probes={"s": [2], "P": [1]}),
}


def pooling_result(X, gamma, beta, K, rng, pool, ties=False):
    """One sample and channel at random; the batch norm part over the whole batch.
    The image is H + K - 1 by W + K - 1, so that a K x K window fits; stride 1 to K."""
    N, C, H, W = X.shape
    image = rng.standard_normal((N, C, H + K - 1, W + K - 1))
    if ties:  # whole numbers: windows with several maxima
        image = np.round(image)
    s = int(rng.integers(1, K + 1))
    forward, backward = {"max_pool": (cv.max_pool, cv.max_pool_backward),
                         "avg_pool": (cv.avg_pool, cv.avg_pool_backward)}[pool]
    X = image
    Y = forward(X, K, s)
    dY = rng.standard_normal(Y.shape)
    dX = backward(X, K, s, dY)
    n, c = int(rng.integers(len(X))), int(rng.integers(X.shape[1]))
    OH, OW = Y.shape[2:]
    shares = np.zeros((OH, OW, K, K))
    for p, q in np.ndindex(OH, OW):
        unit = np.zeros(Y.shape)
        unit[n, c, p, q] = 1.0
        sent = backward(X, K, s, unit)[n, c]
        shares[p, q] = sent[p * s:p * s + K, q * s:q * s + K]
    window_max = cv.windows(X, K, s).max(axis=0)
    t = (cv.windows(X, K, s) == window_max).sum(axis=0)[n, c]
    return {"s": s, "H": X.shape[2], "W": X.shape[3], "O_H": OH, "O_W": OW, "X": X, "Y": Y, "dY": dY, "dX": dX, "x": X[n, c],
            "y": Y[n, c], "dy": dY[n, c], "dx": dX[n, c], "a": ZeroOutside(shares),
            "t": t, **batch_norm_symbols(X, gamma, rng.standard_normal(X.shape))}


def batch_norm_symbols(X, gamma, dY, eps=1e-5):
    """R, its normalization and the gradients, as the normalization page names them."""
    R = cv.channels_last(X)
    sigma = np.sqrt(R.var(axis=0, keepdims=True) + eps)
    dX, _, _ = cv.batch_norm2d_backward(X, gamma, dY, eps)
    return {"R": R, "\\hat R": (R - R.mean(axis=0, keepdims=True)) / sigma,
            "\\sigma": sigma, "d\\hat R": cv.channels_last(dY) * gamma,
            "dR": cv.channels_last(dX),
            "\\operatorname{mean}": lambda M: np.broadcast_to(
                np.mean(M, axis=0, keepdims=True), np.shape(M))}


BOXES["pooling-result"] = Box(
    pooling_result,
    shapes={"X": "N C H W", "gamma": "C", "beta": "C"}, sizes=["K"],
    cases=[{"pool": "max_pool"}, {"pool": "avg_pool"}], every_case=True, origin=0,
    probes={"ties": [True]},
)
