# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # A small attention model
#
# The layers section of this guide derives the backward pass of attention, of the
# embedding lookup, of layer normalization and of the residual connection, each on its
# own. This notebook puts them together into a small transformer-style model, one
# attention block with two heads, and trains it on a task that cannot be solved without
# attention. Every gradient comes from the guide's backward functions, called as the
# pages show them; there is no autograd library, and before the first training step each
# of the ten parameters is checked against central differences.
#
# To run it yourself, you need the `snippets` package that the first code cell imports:
# download [snippets.zip](../../snippets.zip), unzip it in the folder that holds this
# notebook (it gives you the folder `snippets/`), and start Jupyter there. Besides
# Jupyter, the notebook needs only numpy and matplotlib.

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets.attention import multi_head_attention, multi_head_attention_backward
from snippets.bias import linear_rows, linear_rows_backward
from snippets.gradcheck import check_gradient
from snippets.indexing import embedding, embedding_backward
from snippets.losses import softmax_cross_entropy, softmax_cross_entropy_backward
from snippets.normalization import layer_norm, layer_norm_backward
from snippets.reductions import reshape, reshape_backward, unbroadcast

# one font for the plots of both language versions of this notebook
plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "DejaVu Sans"]

# %% [markdown]
# ## The task: reverse a sequence
#
# Each sample is a sequence of $T = 6$ tokens, integers drawn at random from a
# vocabulary of $V = 8$, and the target is the same sequence backwards: at position
# $t$ the model must output the token found at position $T - 1 - t$, counting from 0.
#
# Every layer of the model except attention works on each position by itself: the
# embedding, the layer normalization and the output layer see one position at a time.
# Without attention, position $t$ knows only its own token, which says nothing about the
# token at position $5 - t$ (with six positions, no position is its own mirror), and
# the best it could do is guess: one token in eight right. Attention is the only way
# for a position to read another.

# %%
T, V = 6, 8  # positions per sequence, tokens in the vocabulary
rng = np.random.default_rng(0)


def reversal_batch(n, rng):
    """Return n random sequences ids (n, T) and their reversals, the targets."""
    ids = rng.integers(0, V, size=(n, T))
    return ids, ids[:, ::-1]


ids, targets = reversal_batch(3, rng)
for seq, target in zip(ids, targets):
    print("input", seq, "-> target", target)

# %% [markdown]
# ## The model
#
# One sequence at a time, with $D = 16$ features per position:
#
# $$
# \begin{aligned}
# X &= E_{\text{ids}} + E_\text{pos} \\
# A_h &= \operatorname{softmax}\Bigl(\frac{Q_h K_h^\top}{\sqrt{d}}\Bigr) V_h \\
# R &= X + A_1 W_{o,1} + A_2 W_{o,2} \\
# Y &= \operatorname{LayerNorm}(R) \\
# Z &= Y W + b
# \end{aligned}
# $$
#
# - $E_{\text{ids}}$ picks row $\text{ids}_t$ of the token table $E$ ($V \times D$) for
#   each position, and $E_\text{pos}$ ($T \times D$) adds a learned vector per position,
#   so that a query can ask for a place, not only for a token.
# - Two heads, $h = 1, 2$, each with $Q_h = X W_{q,h}$, $K_h = X W_{k,h}$ and
#   $V_h = X W_{v,h}$ of width $d = 8$, and its output $A_h$ brought back to $D$
#   features by $W_{o,h}$: the guide's `multi_head_attention`, with the weights of both
#   heads stacked along a first axis.
# - The residual connection adds the block's input $X$ to the attention's output, and
#   layer normalization, with its scale $\gamma$ and shift $\beta$, standardizes each
#   position's 16 features.
# - The output layer $YW + b$ gives each position eight scores, one per token, and the
#   loss is the mean cross-entropy over all positions of all sequences.
#
# The guide's attention functions take one sequence, $T \times D$. For a batch, the
# forward pass calls them once per sequence; the other layers see the batch as one
# matrix with a row for every position of every sequence, $(64 \cdot 6) \times 16$.

# %%
D, heads, d = 16, 2, 8  # features, heads, width of each head
ATTENTION = ["Wq", "Wk", "Wv", "Wo"]
params = {
    "E": rng.standard_normal((V, D)),  # token table
    "E_pos": rng.standard_normal((T, D)),  # one row per position
    "Wq": rng.standard_normal((heads, D, d)) / np.sqrt(D),
    "Wk": rng.standard_normal((heads, D, d)) / np.sqrt(D),
    "Wv": rng.standard_normal((heads, D, d)) / np.sqrt(D),
    "Wo": rng.standard_normal((heads, d, D)) / np.sqrt(heads * d),
    "gamma": np.ones(D),
    "beta": np.zeros(D),
    "W": rng.standard_normal((D, V)) / np.sqrt(D),
    "b": np.zeros(V),
}


def forward(params, ids):
    """Return the scores Z (n*T, V) and what the backward pass needs."""
    X = embedding(params["E"], ids) + params["E_pos"]  # (n, T, D)
    Ws = [params[k] for k in ATTENTION]
    outputs = [multi_head_attention(x, *Ws) for x in X]
    R = X + np.stack([out for out, _ in outputs])  # the residual connection
    P = np.stack([weights for _, weights in outputs])  # (n, heads, T, T)
    R_rows = reshape(R, (-1, D))  # one row per position of every sequence
    Y = layer_norm(R_rows, params["gamma"], params["beta"])
    Z = linear_rows(Y, params["W"], params["b"])
    return Z, {"X": X, "P": P, "R": R, "R_rows": R_rows, "Y": Y}


def loss(params, ids, targets):
    """Return the mean cross-entropy over every position of every sequence."""
    Z, _ = forward(params, ids)
    return softmax_cross_entropy(Z, targets.ravel())


# %% [markdown]
# ## The backward pass
#
# From the loss back to the token table, one function of the guide per step:
#
# - [`softmax_cross_entropy_backward`](../../losses/#softmax-cross-entropy) gives
#   $dZ$, and [`linear_rows_backward`](../../bias/#result) gives $dY$, $dW$ and $db$;
# - [`layer_norm_backward`](../../normalization/#result) gives $dR$, $d\gamma$ and
#   $d\beta$, and [`reshape_backward`](../../reductions/#rearrange) puts $dR$ back into
#   one $T \times D$ slice per sequence;
# - $X$ is used twice, by the skip path and by the attention, so
#   [its gradient is the sum of both](../../residual/#block): $dR$ itself, plus what
#   [`multi_head_attention_backward`](../../attention/#heads-result) returns for each
#   sequence. The weights of the attention serve every sequence of the batch, so their
#   gradients add up over the sequences;
# - [`embedding_backward`](../../indexing/#embedding-result) adds each row of $dX$ to
#   the row of $E$ it was read from (a token used twice receives both), and
#   [`unbroadcast`](../../reductions/#broadcast-result) sums $dX$ over the sequences for
#   $E_\text{pos}$, which was copied into every one of them.

# %%
def gradients(params, ids, targets):
    """Return the scores Z and the loss's gradients, in a dict like params."""
    Z, cache = forward(params, ids)
    dZ = softmax_cross_entropy_backward(Z, targets.ravel())
    dY, dW, db = linear_rows_backward(cache["Y"], params["W"], dZ)
    dR_rows, dgamma, dbeta = layer_norm_backward(
        cache["R_rows"], params["gamma"], dY
    )
    dR = reshape_backward(cache["R"], dR_rows)
    grads = {"W": dW, "b": db, "gamma": dgamma, "beta": dbeta}
    grads.update({k: np.zeros_like(params[k]) for k in ATTENTION})
    dX = dR.copy()  # the skip path passes dR through unchanged
    Ws = [params[k] for k in ATTENTION]
    for i, (x, P) in enumerate(zip(cache["X"], cache["P"])):
        dx, *dweights = multi_head_attention_backward(x, *Ws, P, dR[i])
        dX[i] += dx
        for k, dweight in zip(ATTENTION, dweights):
            grads[k] += dweight
    grads["E"] = embedding_backward(params["E"], ids, dX)
    grads["E_pos"] = unbroadcast(dX, params["E_pos"].shape)
    return Z, grads


# %% [markdown]
# ## Check every gradient before training
#
# A wrong gradient does not crash anything: the model just learns worse, or not at all.
# So each of the ten gradients is compared with central differences first, with
# `snippets.gradcheck.check_gradient`, which nudges every entry of a parameter up and
# down and raises an error when the formula disagrees; the loop adds the name of the
# parameter to it. The check runs on two sequences in which tokens repeat (a gradient
# that forgot the repeats would fail), at a random point `probe` near the starting
# parameters, where $\gamma \ne 1$ and the biases are not zero, so that no mistake can
# hide behind a one or a zero.

# %%
check_ids = np.array([[3, 1, 4, 1, 5, 1], [2, 7, 1, 2, 7, 0]])
check_targets = check_ids[:, ::-1]
probe = {k: p + 0.1 * rng.standard_normal(p.shape) for k, p in params.items()}
_, grads = gradients(probe, check_ids, check_targets)
for name in params:

    def loss_of(value):
        """The loss with `name` set to value, the rest as in probe."""
        return loss({**probe, name: value}, check_ids, check_targets)

    try:
        error = check_gradient(loss_of, probe[name], grads[name])
    except AssertionError as failure:
        raise AssertionError(f"d{name}: {failure}") from None
    print(f"d{name:5s} {str(probe[name].shape):11s} relative error {error:.1e}")

# %% [markdown]
# ## Train with plain gradient descent
#
# Each step draws a fresh batch of 64 random sequences, computes the ten gradients and
# moves every parameter against its gradient, $W \leftarrow W - \eta\, dW$, with the
# learning rate $\eta = 1$. Since each batch is new, the loss of a step measures the
# model on sequences it has not trained on yet.

# %%
learning_rate = 1.0
steps = 100
losses, accuracies = [], []
for step in range(steps):
    ids, targets = reversal_batch(64, rng)
    Z, grads = gradients(params, ids, targets)
    losses.append(softmax_cross_entropy(Z, targets.ravel()))
    accuracies.append(np.mean(Z.argmax(axis=1) == targets.ravel()))
    params = {k: p - learning_rate * grads[k] for k, p in params.items()}

# %% [markdown]
# After training, the model reverses 1000 new sequences. The cell fails if it gets
# fewer than 99% of their tokens right.

# %%
test_ids, test_targets = reversal_batch(1000, rng)
Z, cache = forward(params, test_ids)
predictions = Z.argmax(axis=1).reshape(test_ids.shape)
accuracy = np.mean(predictions == test_targets)
whole = np.mean(np.all(predictions == test_targets, axis=1))
test_loss = softmax_cross_entropy(Z, test_targets.ravel())
print(f"after {steps} steps: loss {test_loss:.4f}, "
      f"test accuracy {accuracy:.1%} of the tokens, "
      f"{whole:.1%} of the sequences reversed without a mistake")
for seq, prediction in zip(test_ids[:3], predictions[:3]):
    print("input", seq, "-> output", prediction)
assert accuracy >= 0.99, f"test accuracy {accuracy:.1%} is below 99%"

# %% [markdown]
# The loss on a logarithmic axis, and the share of the tokens that each batch got
# right. Chance is one token in eight.

# %% alt="Left: the training loss against the gradient descent step, on a logarithmic axis; it starts a little above 2, falls steeply between steps 10 and 30 and keeps falling, slowly, after that. Right: the share of the tokens each batch got right; it starts near the dashed line of chance, one in eight, climbs to 1 within the first thirty steps and stays there."
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
left.plot(losses)
left.set_yscale("log")
left.set_xlabel("gradient descent step")
left.set_ylabel("loss (mean cross-entropy)")
left.set_title("Training loss")
right.plot(accuracies)
right.axhline(1 / V, color="gray", linestyle="--", label="chance, 1/8")
right.set_ylim(0, 1.05)
right.set_xlabel("gradient descent step")
right.set_ylabel("tokens right")
right.set_title("Accuracy on each batch")
right.legend(loc="lower right")
for ax in (left, right):
    ax.grid(True, alpha=0.3)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## What the heads learned
#
# Row $t$ of a head's attention weights $P$ holds the weights that the query at
# position $t$ gives to the keys of its sequence: how much of each position it reads.
# Averaged over the 1000 test sequences, the weights of both heads gather on the
# anti-diagonal: position $t$ reads position $5 - t$, whatever the tokens are. The
# queries and keys have learned to match places, through the position vectors
# $E_\text{pos}$, and the values carry the tokens. The cell fails unless each head
# gives, at every position, more than half of its weight to the mirrored position.

# %%
mean_weights = cache["P"].mean(axis=0)  # (heads, T, T): mean over sequences
mirrored = mean_weights[:, np.arange(T), T - 1 - np.arange(T)]  # (heads, T)
print("weight on the mirrored position, per head and position:")
print(mirrored.round(2))
assert np.all(mirrored > 0.5), "a head does not attend to the mirrored position"

# %% alt="Two 6 by 6 heat maps, one per head, of the attention weights averaged over the test sequences: rows are the query positions 0 to 5, columns the key positions. In both maps the cells of the anti-diagonal, from the top right to the bottom left, are dark, with weights close to 1 written in them; every other cell is pale, with a weight near 0."
fig, axes = plt.subplots(1, heads, figsize=(9, 4.2))
for h, ax in enumerate(axes):
    image = ax.imshow(mean_weights[h], cmap="Blues", vmin=0, vmax=1)
    for (t, s), w in np.ndenumerate(mean_weights[h]):
        ax.text(s, t, f"{w:.2f}", ha="center", va="center", fontsize=8,
                color="white" if w > 0.5 else "black")
    ax.set_xticks(range(T))
    ax.set_yticks(range(T))
    ax.set_xlabel("key position")
    ax.set_ylabel("query position")
    ax.set_title(f"Head {h + 1}")
fig.colorbar(image, ax=axes, shrink=0.8, label="mean attention weight")
plt.show()
