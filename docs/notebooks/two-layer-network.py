# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A two-layer network from scratch
#
# The pages of this guide derive one backward pass at a time. This notebook puts them
# together into a small neural network and trains it, with nothing but the functions of
# the `snippets` package and plain gradient descent. No autograd library is involved:
# every gradient below comes from a formula that the guide derives, and before any
# training step the whole backward pass is checked against central differences.
#
# To run it yourself, you need the `snippets` package that the first code cell imports:
# download [snippets.zip](../../snippets.zip), unzip it in the folder that holds this
# notebook (it gives you the folder `snippets/`), and start Jupyter there. Besides
# Jupyter, the notebook needs only numpy and matplotlib.

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets.activations import tanh, tanh_backward
from snippets.bias import linear_rows, linear_rows_backward
from snippets.gradcheck import check_gradient
from snippets.losses import (
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_backward,
)

# one font for the plots of both language versions of this notebook
plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "DejaVu Sans"]

# %% [markdown]
# ## The data: two interleaving half-moons
#
# Each sample is a point in the plane, and its class says which of two half-moons it
# comes from. The moons hook into each other, so no straight line separates the two
# classes, and a model without a hidden layer, whose boundary is a straight line,
# cannot get them all right. The samples are the rows of `X`, of shape $N \times 2$
# with $N = 200$, and `y` holds the class of each row, 0 or 1.

# %%
rng = np.random.default_rng(0)


def two_moons(n_per_class, noise, rng):
    """Return X (2n, 2), points on two interleaving arcs, and labels y (2n,)."""
    t = rng.uniform(0, np.pi, size=(2, n_per_class))  # angles along each arc
    upper = np.column_stack([np.cos(t[0]), np.sin(t[0])])
    lower = np.column_stack([1 - np.cos(t[1]), 0.5 - np.sin(t[1])])
    X = np.vstack([upper, lower])
    X = X + noise * rng.standard_normal(X.shape)
    y = np.repeat([0, 1], n_per_class)
    return X, y


X, y = two_moons(100, noise=0.15, rng=rng)
print("X:", X.shape, "y:", y.shape, "samples per class:", np.bincount(y))

# %% [markdown]
# ## The network
#
# With the samples as rows, a layer is $XW + b$ (the guide's `linear_rows`), and the
# bias row $b$ is added to every sample. Two layers, with a tanh between them:
#
# $$
# Z_1 = X W_1 + b_1, \qquad H = \tanh(Z_1), \qquad Z_2 = H W_2 + b_2
# $$
#
# $W_1$ is $2 \times 16$ (two features in, sixteen hidden units) and $W_2$ is
# $16 \times 2$: row $n$ of $Z_2$ holds one score per class for sample $n$. The softmax
# turns the scores into probabilities, and the loss is the mean cross-entropy, the
# average of $-\log$ of the probability given to the right class:
#
# $$
# L = -\frac{1}{N} \sum_{n=1}^{N} \log \operatorname{softmax}(Z_2)_{n,\,y_n}
# $$
#
# The backward pass walks the same chain from the end to the start. Each step takes the
# gradient of the loss with respect to its output and returns the gradients with respect
# to its inputs, exactly the functions that the guide derives:
#
# - `softmax_cross_entropy_backward` gives $dZ_2 = (\operatorname{softmax}(Z_2) - Y)/N$,
#   where $Y$ is the one-hot matrix of the labels;
# - `linear_rows_backward` gives $dH = dZ_2 W_2^\top$, $dW_2 = H^\top dZ_2$, and $db_2$,
#   the column sums of $dZ_2$;
# - `tanh_backward` gives $dZ_1 = dH \odot (1 - H \odot H)$;
# - `linear_rows_backward` again gives $dW_1$ and $db_1$.

# %%
def forward(params, X):
    """Return Z1 (before tanh), the hidden layer H and the class scores Z2."""
    W1, b1, W2, b2 = params
    Z1 = linear_rows(X, W1, b1)
    H = tanh(Z1)
    Z2 = linear_rows(H, W2, b2)
    return Z1, H, Z2


def loss(params, X, y):
    """Return the mean cross-entropy of the network on X with labels y."""
    _, _, Z2 = forward(params, X)
    return softmax_cross_entropy(Z2, y)


def gradients(params, X, y):
    """Return (dW1, db1, dW2, db2), the gradients of the loss."""
    W1, b1, W2, b2 = params
    Z1, H, Z2 = forward(params, X)
    dZ2 = softmax_cross_entropy_backward(Z2, y)
    dH, dW2, db2 = linear_rows_backward(H, W2, dZ2)
    dZ1 = tanh_backward(Z1, dH)
    _, dW1, db1 = linear_rows_backward(X, W1, dZ1)  # no use for dX: X is data
    return dW1, db1, dW2, db2


hidden = 16
params = [
    rng.standard_normal((2, hidden)),  # W1
    np.zeros(hidden),  # b1
    rng.standard_normal((hidden, 2)) / np.sqrt(hidden),  # W2
    np.zeros(2),  # b2
]

# %% [markdown]
# ## Check every gradient before training
#
# A wrong gradient does not crash anything: gradient descent just trains worse, or not
# at all, and the mistake hides. So each of the four gradients is compared with central
# differences first, with `snippets.gradcheck.check_gradient`, which nudges every entry
# of a parameter up and down and raises an error if the formula disagrees. The check
# runs at a random point `probe` near the starting parameters, where the biases are not
# zero, so that a mistake in them cannot hide behind a zero.

# %%
probe = [p + 0.1 * rng.standard_normal(p.shape) for p in params]
grads = gradients(probe, X, y)
for k, name in enumerate(["W1", "b1", "W2", "b2"]):

    def loss_of(P):
        """The loss with parameter k set to P, the other three as in probe."""
        return loss(probe[:k] + [P] + probe[k + 1 :], X, y)

    error = check_gradient(loss_of, probe[k], grads[k])
    print(f"d{name}: relative error {error:.1e}")

# %% [markdown]
# ## Train with plain gradient descent
#
# Each step computes the four gradients on the whole data set and moves every parameter
# a small step against its gradient, $W \leftarrow W - \eta\, dW$, with the learning
# rate $\eta = 1$. The cell fails if the network gets less than 95% of the training
# samples right.

# %%
learning_rate = 1.0
steps = 1000
losses = []
for step in range(steps):
    losses.append(loss(params, X, y))
    grads = gradients(params, X, y)
    params = [p - learning_rate * g for p, g in zip(params, grads)]


def predict(params, X):
    """Return the class with the larger score for each row of X."""
    _, _, Z2 = forward(params, X)
    return Z2.argmax(axis=1)


accuracy = np.mean(predict(params, X) == y)
print(f"after {steps} steps: loss {loss(params, X, y):.4f}, "
      f"training accuracy {accuracy:.1%}")
assert accuracy >= 0.95, f"training accuracy {accuracy:.1%} is below 95%"

# %% [markdown]
# The loss, step by step, on a logarithmic axis: a fast fall while the network finds
# the rough shape of the moons, then a slow one while it sharpens the boundary.

# %% alt="The training loss against the gradient descent step, on a logarithmic axis: it falls fast in the first steps, then slowly."
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(losses)
ax.set_yscale("log")
ax.set_xlabel("gradient descent step")
ax.set_ylabel("loss (mean cross-entropy)")
ax.set_title("Training loss")
ax.grid(True, alpha=0.3)
plt.show()

# %% [markdown]
# ## The decision boundary
#
# The background shows, for every point of the plane, the probability that the trained
# network gives to class 1; the black line, where both classes are equally likely, is
# the decision boundary. Its bends are the hidden layer's work: each tanh unit is a soft
# step across a straight line, the second layer adds up the sixteen steps with one set
# of weights per class, and the line where the two class scores are equal is free to
# curve.

# %% alt="The two half-moon classes as circles and squares on the plane, over a background coloured by the probability of class 1; a black curve, the decision boundary, bends between the two moons and separates them."
grid_x, grid_y = np.meshgrid(
    np.linspace(-1.6, 2.6, 300), np.linspace(-1.1, 1.6, 200)
)
grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
probability = softmax(forward(params, grid)[2])[:, 1].reshape(grid_x.shape)

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.contourf(grid_x, grid_y, probability, levels=20, cmap="RdBu_r", alpha=0.5)
ax.contour(grid_x, grid_y, probability, levels=[0.5], colors="black")
for label, marker in [(0, "o"), (1, "s")]:
    ax.scatter(*X[y == label].T, marker=marker, s=18, edgecolors="black",
               linewidths=0.5, label=f"class {label}")
ax.set_xlabel("feature 1")
ax.set_ylabel("feature 2")
ax.set_title(f"Decision boundary, training accuracy {accuracy:.1%}")
ax.legend(loc="lower left")
ax.set_aspect("equal")
plt.show()
