# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Playground: nudge one entry
#
# Every page of this guide reasons the same way: nudge one entry of an input, watch which
# outputs move, and let the chain rule carry the change on to the loss. Here you do it
# yourself, for each of the four operations. Pick an entry and a nudge size in the next
# cell, run all cells, and compare two numbers for each operation:
#
# - the **actual change** of the loss, from running the forward pass a second time on the
#   nudged input;
# - the **first-order prediction** $\varepsilon \, dX_{ij}$, where $\varepsilon$ is the
#   size of the nudge and $dX$ the gradient that the guide's formula gives.
#
# To run it yourself, you need the `snippets` package that the first code cell imports:
# download [snippets.zip](../../snippets.zip), unzip it in the folder that holds this
# notebook (it gives you the folder `snippets/`), and start Jupyter there. Besides
# Jupyter, the notebook needs only numpy and matplotlib.

# %%
from functools import partial

import matplotlib.pyplot as plt
import numpy as np

from snippets.activations import sigmoid, sigmoid_backward
from snippets.bias import linear_columns, linear_columns_backward
from snippets.elementwise import (
    elementwise_product,
    elementwise_product_backward,
)
from snippets.matrix_product import matmul, matmul_backward

np.set_printoptions(precision=6, suppress=True)
# one font for the plots of both language versions of this notebook
plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "DejaVu Sans"]

# %% [markdown]
# ## Pick the nudge
#
# Three of the four nudged inputs are 2×3 matrices, so `entry` is a (row, column) pair,
# with the row 0 or 1 and the column 0, 1 or 2; the bias has a single column and takes
# the row alone. Change the two values and run the notebook again.

# %%
entry = (0, 1)  # (row, column) of the entry to nudge
eps = 1e-3  # the size of the nudge

# %% [markdown]
# ## One loss for all four operations
#
# The loss only has to be a scalar that depends on every entry of the output $C$. The
# simplest such scalar is a weighted sum, $L = \sum_{i,k} G_{ik} C_{ik}$, with a fixed
# matrix $G$ of random weights. A nudge of $C_{ik}$ changes $L$ at the rate $G_{ik}$,
# so $G$ is the gradient of $L$ with respect to $C$: exactly the upstream gradient $dC$
# that a network would pass back to this operation. The code calls it `dC`.
#
# `compare` nudges one entry of an input `X`, runs the forward pass again, prints how
# every entry of the output moved, and puts the actual change of $L$ next to the
# prediction $\varepsilon \, dX_{ij}$.

# %%
rng = np.random.default_rng(0)


def nudged(X, entry, eps):
    """Return a copy of X with the one entry X[entry] increased by eps."""
    X = X.copy()
    X[entry] += eps
    return X


def loss_change(forward, X, dOut, entry, eps):
    """Return the change of L = sum(dOut * forward(X)) when X[entry] += eps."""
    before = np.sum(dOut * forward(X))
    after = np.sum(dOut * forward(nudged(X, entry, eps)))
    return after - before


def compare(forward, X, dX, dOut, entry, eps):
    """Print how the output and the loss move when X[entry] += eps."""
    print("change of each output entry:")
    print(forward(nudged(X, entry, eps)) - forward(X))
    actual = loss_change(forward, X, dOut, entry, eps)
    predicted = eps * dX[entry]
    print(f"change of L, actual:           {actual:+.12f}")
    print(f"change of L, predicted eps*dX: {predicted:+.12f}")


# %% [markdown]
# ## Matrix product
#
# $C = AB$ with $A$ of shape 2×3 and $B$ of shape 3×4. The entry $A_{ij}$ appears in
# row $i$ of $C$ and nowhere else, multiplied by row $j$ of $B$:
# nudging it by $\varepsilon$ moves $C_{ik}$ by $\varepsilon B_{jk}$ for every $k$.
# Adding up what those moves do to $L$ gives
# $dA_{ij} = \sum_k dC_{ik} B_{jk}$, which is $dA = dC\,B^\top$.

# %%
A = rng.standard_normal((2, 3))
B = rng.standard_normal((3, 4))
dC = rng.standard_normal((2, 4))  # the weights of L, which are also dL/dC
dA, dB = matmul_backward(A, B, dC)
# partial(matmul, B=B) is matmul with B fixed, a function of A alone
cases = {"matrix product": (partial(matmul, B=B), A, dA, dC, entry)}
compare(*cases["matrix product"], eps)

# %% [markdown]
# One row of $C$ moved, the row of the nudged entry. The two changes of $L$ agree to the
# last printed digit: $C$ depends linearly on $A$, so the first-order prediction is
# exact, up to rounding.
#
# ## Element-wise product
#
# $C = A \odot B$, both of shape 2×3. Now $A_{ij}$ meets only $B_{ij}$ and lands only in
# $C_{ij}$, which moves by $\varepsilon B_{ij}$. So $dA_{ij} = dC_{ij} B_{ij}$, that is
# $dA = dC \odot B$.

# %%
B = rng.standard_normal((2, 3))
dC = rng.standard_normal((2, 3))
dA, dB = elementwise_product_backward(A, B, dC)
product = partial(elementwise_product, B=B)
cases["element-wise product"] = (product, A, dA, dC, entry)
compare(*cases["element-wise product"], eps)

# %% [markdown]
# A single output entry moved. Again a linear operation, again an exact prediction.
#
# ## Activation function
#
# $Y = \sigma(Z)$, the sigmoid applied to each entry of $Z$ (shape 2×3). Nudging
# $Z_{ij}$ moves only $Y_{ij}$, by about $\varepsilon\,\sigma'(Z_{ij})$, so
# $dZ = dY \odot \sigma'(Z)$.

# %%
Z = rng.standard_normal((2, 3))
dY = rng.standard_normal((2, 3))
dZ = sigmoid_backward(Z, dY)
cases["activation (sigmoid)"] = (sigmoid, Z, dZ, dY, entry)
compare(*cases["activation (sigmoid)"], eps)

# %% [markdown]
# This time the two changes of $L$ differ a little (with the nudge above, from the
# fourth significant digit on). The sigmoid bends, and the gradient only describes its
# tangent line. The gap is of order $\varepsilon^2$: make `eps` ten times smaller and the
# gap itself shrinks about a hundredfold, while the gap relative to the prediction,
# which the next section plots, shrinks tenfold.
#
# ## Bias
#
# $C = WA + b$ with the samples as the columns of $A$, as in the original post: $W$ is
# 2×3, $A$ is 3×4 (four samples), and the bias $b$ of shape 2×1 is added to each of the
# four columns. The bias has one entry per output row, so the nudge goes to $b_i$, where
# $i$ is the row of `entry`. Every copy of $b_i$ moves with it, so the whole row $i$ of
# $C$ moves by $\varepsilon$, and $db_i = \sum_k dC_{ik}$: the gradient of the bias adds
# up $dC$ along each row.

# %%
W = rng.standard_normal((2, 3))
A_samples = rng.standard_normal((3, 4))
b = rng.standard_normal((2, 1))
dC = rng.standard_normal((2, 4))
dW, dA_samples, db = linear_columns_backward(W, A_samples, dC)
bias_entry = (entry[0], 0)  # b has a single column
layer = partial(linear_columns, W, A_samples)  # a function of b alone
cases["bias"] = (layer, b, db, dC, bias_entry)
compare(*cases["bias"], eps)

# %% [markdown]
# ## How good is the first-order prediction?
#
# Now the nudge size itself varies, from $10^{-10}$ to $10^{-1}$, and the plot shows the
# gap between the actual change of $L$ and the prediction, relative to the prediction.

# %% alt="A log-log plot of the relative gap between the actual change of the loss and the first-order prediction, against the nudge size, one line per operation: the sigmoid's line falls with the nudge and turns back up below about 1e-7; the lines of the three linear operations rise as the nudge shrinks, from rounding alone, with some points on the bottom edge where the prediction is exact."
sizes = np.logspace(-10, -1, 46)

fig, ax = plt.subplots(figsize=(7, 4.2))
for name, (forward, X, dX, dOut, at) in cases.items():
    predicted = sizes * dX[at]
    actual = np.array([loss_change(forward, X, dOut, at, h) for h in sizes])
    gaps = np.abs(actual - predicted) / np.abs(predicted)
    # a log axis has no room for 0: exact predictions go on the bottom edge
    ax.loglog(sizes, np.maximum(gaps, 1e-17), marker=".", label=name)
ax.set_xlabel("nudge size ε")
ax.set_ylabel("|actual − predicted| / |predicted|")
ax.set_title("Change of the loss: actual vs first-order prediction")
ax.grid(True, alpha=0.3)
ax.legend()
plt.show()

# %% [markdown]
# Read the plot from right to left, from big nudges to small ones:
#
# - The sigmoid's line falls in step with $\varepsilon$: the gap
#   $\tfrac12 \sigma''(z)\,\varepsilon^2$ divided by the prediction
#   $\varepsilon\,\sigma'(z)$ is proportional to $\varepsilon$.
# - The other three operations, linear or affine, have no curvature to miss. Their gap
#   is pure rounding:
#   each of the two losses carries a relative rounding error of about $10^{-16}$, and
#   dividing that by a smaller and smaller prediction makes the relative gap grow as
#   $\varepsilon$ shrinks (points on the bottom edge are exact to the last bit).
# - Below about $10^{-7}$, rounding takes over for the sigmoid as well, and its line
#   turns back up. The most accurate nudge sits where the two effects meet. This is
#   why a gradient check such as `snippets.gradcheck.check_gradient` compares with
#   central differences: their error shrinks like $\varepsilon^2$ instead of
#   $\varepsilon$, so a nudge near $10^{-6}$ leaves both errors small.
#
# ## Every entry at once
#
# The last cell repeats the comparison for every entry of every input, with a nudge of
# $10^{-6}$, and fails if a prediction is off. If you change a formula in `snippets/`,
# this cell tells you which operation and which entry disagree.

# %%
for name, (forward, X, dX, dOut, _) in cases.items():
    for at in np.ndindex(X.shape):
        actual = loss_change(forward, X, dOut, at, 1e-6)
        predicted = 1e-6 * dX[at]
        assert abs(actual - predicted) <= 1e-4 * abs(predicted) + 1e-14, (
            f"{name}: entry {at} moves L by {actual:.3e}, "
            f"the gradient predicts {predicted:.3e}"
        )
print("For all four operations, every entry's nudge matches its gradient.")
