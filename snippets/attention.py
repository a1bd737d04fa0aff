"""Scaled dot-product attention and several heads, with their gradients.

See docs/attention.md. One sequence has T positions. Queries Q (T, d) and keys
K (T, d) give the scores S = Q K^T / sqrt(d) (T, T); P = softmax(S) row by row holds,
in row i, the weights that query i gives to the T keys; the output is Y = P V for the
values V (T, d_v). Leading axes (samples, heads) are carried along: Q (..., T, d).
"""

# --8<-- [start:forward]
import numpy as np

from snippets.einsum import einsum_backward
from snippets.softmax import softmax, softmax_backward


def causal_mask(T):
    """Return the (T, T) mask that lets query i see the keys j <= i only."""
    return np.tril(np.ones((T, T), dtype=bool))  # True: seen, False: masked


def attention(Q, K, V, mask=None):
    """Return (Y, P): Y = softmax(Q K^T / sqrt(d)) V; mask False hides a key."""
    d = Q.shape[-1]
    if K.shape[-1] != d or K.shape[-2] != V.shape[-2]:
        raise ValueError(
            f"Q {Q.shape}, K {K.shape}, V {V.shape}: Q and K need the same last "
            "axis d, K and V the same number of positions"
        )
    S = Q @ np.swapaxes(K, -1, -2) / np.sqrt(d)  # (..., T, T) scores
    if mask is not None:
        if not np.all(np.any(mask, axis=-1)):
            raise ValueError("the mask hides every key from some query")
        S = np.where(mask, S, -np.inf)  # exp(-inf) = 0: a weight of exactly 0
    P = softmax(S, axis=-1)  # each query's weights over the keys sum to 1
    return P @ V, P
# --8<-- [end:forward]


# --8<-- [start:backward]
def attention_backward(Q, K, V, P, dY):
    """Return (dQ, dK, dV) from dY, with P the weights that attention returned."""
    d = Q.shape[-1]
    # Y = P V, a matrix product: dP = dY V^T, dV = P^T dY
    dP = dY @ np.swapaxes(V, -1, -2)
    dV = np.swapaxes(P, -1, -2) @ dY
    # P = softmax(S) along each row; a masked entry has p = 0, so its ds is 0
    dS = softmax_backward(P, dP, axis=-1)
    # S = Q K^T / sqrt(d): dQ = dS K / sqrt(d) and dK = dS^T Q / sqrt(d)
    dQ = dS @ K / np.sqrt(d)
    dK = np.swapaxes(dS, -1, -2) @ Q / np.sqrt(d)
    return dQ, dK, dV
# --8<-- [end:backward]


# --8<-- [start:heads]
def multi_head_attention(X, Wq, Wk, Wv, Wo, mask=None):
    """Return (Z, P) for X (T, D), H heads: Wq, Wk, Wv (H, D, d) and Wo (H, d, F)."""
    Q = np.einsum("tD,hDe->hte", X, Wq)  # (H, T, d): one projection per head
    K = np.einsum("tD,hDe->hte", X, Wk)
    V = np.einsum("tD,hDe->hte", X, Wv)
    Y, P = attention(Q, K, V, mask)  # batched over the H heads
    Z = np.einsum("hte,heF->tF", Y, Wo)  # each head's share, summed over the heads
    return Z, P


def multi_head_attention_backward(X, Wq, Wk, Wv, Wo, P, dZ):
    """Return (dX, dWq, dWk, dWv, dWo) from dZ, with P from multi_head_attention."""
    Q = np.einsum("tD,hDe->hte", X, Wq)  # recomputed from X, not stored
    K = np.einsum("tD,hDe->hte", X, Wk)
    V = np.einsum("tD,hDe->hte", X, Wv)
    Y = P @ V
    dY, dWo = einsum_backward("hte,heF->tF", [Y, Wo], dZ)
    dQ, dK, dV = attention_backward(Q, K, V, P, dY)
    dXq, dWq = einsum_backward("tD,hDe->hte", [X, Wq], dQ)
    dXk, dWk = einsum_backward("tD,hDe->hte", [X, Wk], dK)
    dXv, dWv = einsum_backward("tD,hDe->hte", [X, Wv], dV)
    dX = dXq + dXk + dXv  # X feeds three projections: their gradients add up
    return dX, dWq, dWk, dWv, dWo
# --8<-- [end:heads]
