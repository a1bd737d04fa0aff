"""docs/attention.md: scaled dot-product attention and several heads, by
snippets/attention.py.

Every statement holds without a mask and, as the boxes say, with the causal mask
(a probe): M is 0, or -inf above the diagonal, and P comes from the snippet run
with its causal_mask. In the heads box the stacks hold one slice per head (W_q is
H x D x d, W_{q,h} its slice h); dY_h and the per-head dQ_h, dK_h, dV_h come from
the functions the snippet's multi_head_attention_backward is built of, the
attention result above applied to each head.
"""

import numpy as np

from bindings import Box
from snippets import attention as att
from snippets.einsum import einsum_backward
from snippets.matrix_product import matmul_backward
from snippets.softmax import softmax, softmax_backward


def mask_for(T, causal):
    """M of the box, from its words: 0, or -inf above the diagonal."""
    return np.triu(np.full((T, T), -np.inf), k=1) if causal else np.zeros((T, T))


def result(Q, K, V, dY, causal=False):
    T, d = Q.shape
    Y, P = att.attention(Q, K, V, att.causal_mask(T) if causal else None)
    dQ, dK, dV = att.attention_backward(Q, K, V, P, dY)
    dP, _ = matmul_backward(P, V, dY)  # Y = P V: the gradients the snippet passes on
    return {"S": Q @ K.T / np.sqrt(d), "M": mask_for(T, causal), "P": P, "Y": Y,
            "dP": dP, "dS": softmax_backward(P, dP), "dQ": dQ, "dK": dK, "dV": dV,
            "\\operatorname{softmax}": softmax}


def heads_result(X, W_q, W_k, W_v, W_o, dZ, causal=False):
    mask = att.causal_mask(X.shape[0]) if causal else None
    Z, P = att.multi_head_attention(X, W_q, W_k, W_v, W_o, mask)
    dX, dW_q, dW_k, dW_v, dW_o = att.multi_head_attention_backward(
        X, W_q, W_k, W_v, W_o, P, dZ)
    Q, K, V = (np.einsum("tD,hDe->hte", X, W) for W in (W_q, W_k, W_v))
    Y = P @ V
    dY, _ = einsum_backward("hte,heF->tF", [Y, W_o], dZ)
    dQ, dK, dV = att.attention_backward(Q, K, V, P, dY)
    return {"W_q": W_q, "W_k": W_k, "W_v": W_v, "W_o": W_o, "Y": Y, "Z": Z, "dY": dY,
            "dQ": dQ, "dK": dK, "dV": dV, "dX": dX, "dW_q": dW_q, "dW_k": dW_k,
            "dW_v": dW_v, "dW_o": dW_o}


BOXES = {
    "result": Box(result, shapes={"Q": "T d", "K": "T d", "V": "T d_v", "dY": "T d_v"},
                  probes={"causal": [True]}),
    "heads-result": Box(
        heads_result,
        shapes={"X": "T D", "W_q": "heads D d", "W_k": "heads D d", "W_v": "heads D d",
                "W_o": "heads d F", "dZ": "T F"},
        probes={"causal": [True]},
    ),
}
