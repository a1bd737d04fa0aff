"""docs/normalization.md: layer and batch normalization, by snippets/normalization.py.

One case per layer: layer normalization takes its means and sigma over each row
(axis 1), batch normalization over each column (axis 0). The mean of the box is that
mean, broadcast back over the group. d\\hat X comes from the element-wise product's
backward function (Y = gamma ⊙ \\hat X + beta), \\hat X and sigma from the forward
formulas on the page.
"""

import numpy as np

from bindings import Box
from snippets.elementwise import elementwise_product_backward
from snippets.normalization import normalize, normalize_backward

EPS = 1e-5  # the default of normalize and normalize_backward


def result(X, gamma, beta, dY, axis):
    mu = X.mean(axis=axis, keepdims=True)
    sigma = np.sqrt(X.var(axis=axis, keepdims=True) + EPS)
    X_hat = (X - mu) / sigma
    # Y = G ⊙ \hat X + beta, G being gamma copied into every row: d\hat X = G ⊙ dY
    _, dX_hat = elementwise_product_backward(np.broadcast_to(gamma, X.shape), X_hat, dY)
    dX, dgamma, dbeta = normalize_backward(X, gamma, dY, axis)
    return {
        "Y": normalize(X, gamma, beta, axis), "\\hat X": X_hat, "\\sigma": sigma,
        "\\mu": mu, "\\varepsilon": EPS,
        "d\\hat X": dX_hat, "dX": dX, "d\\gamma": dgamma, "d\\beta": dbeta,
        "\\operatorname{mean}": lambda M: np.broadcast_to(
            np.mean(M, axis=axis, keepdims=True), np.shape(M)),
    }


BOXES = {
    "result": Box(
        result, shapes={"X": "N D", "gamma": "D", "beta": "D", "dY": "N D"},
        cases=[{"axis": 1}, {"axis": 0}],
        qualifiers={"layer norm.": {"axis": 1}, "层归一化": {"axis": 1},
                    "batch norm.": {"axis": 0}, "批量归一化": {"axis": 0}},
    ),
}
