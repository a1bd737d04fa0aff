"""Attention: dQ, dK, dV through the softmax and two matrix products; masks; heads."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import dims, normal, seeds
from snippets.attention import (
    attention,
    attention_backward,
    causal_mask,
    multi_head_attention,
    multi_head_attention_backward,
)
from snippets.gradcheck import check_gradient, check_vjp
from snippets.softmax import softmax

masked = st.booleans()  # with the causal mask or without


def qkv(seed, lead, T, d, dv):
    """Random queries, keys (lead + (T, d)) and values (lead + (T, dv))."""
    return (normal(seed, *lead, T, d), normal(seed + 1, *lead, T, d),
            normal(seed + 2, *lead, T, dv))


leads = st.sampled_from([(), (2,), (2, 1)])  # no leading axis, heads, samples x heads


@given(lead=leads, T=dims, d=dims, dv=dims, causal=masked, seed=seeds)
def test_dQ_dK_dV_match_central_differences(lead, T, d, dv, causal, seed):
    Q, K, V = qkv(seed, lead, T, d, dv)
    mask = causal_mask(T) if causal else None
    Y, P = attention(Q, K, V, mask)
    dY = normal(seed + 3, *Y.shape)
    dQ, dK, dV = attention_backward(Q, K, V, P, dY)
    check_gradient(lambda Q: np.sum(dY * attention(Q, K, V, mask)[0]), Q, dQ)
    check_gradient(lambda K: np.sum(dY * attention(Q, K, V, mask)[0]), K, dK)
    check_gradient(lambda V: np.sum(dY * attention(Q, K, V, mask)[0]), V, dV)


@given(lead=leads, T=dims, d=dims, dv=dims, causal=masked, seed=seeds)
def test_dQ_dK_dV_pass_dot_product_test(lead, T, d, dv, causal, seed):
    Q, K, V = qkv(seed, lead, T, d, dv)
    mask = causal_mask(T) if causal else None
    _, P = attention(Q, K, V, mask)
    check_vjp(lambda Q: attention(Q, K, V, mask)[0],
              lambda dY: attention_backward(Q, K, V, P, dY)[0], Q)
    check_vjp(lambda K: attention(Q, K, V, mask)[0],
              lambda dY: attention_backward(Q, K, V, P, dY)[1], K)
    check_vjp(lambda V: attention(Q, K, V, mask)[0],
              lambda dY: attention_backward(Q, K, V, P, dY)[2], V)


@given(T=dims, d=dims, dv=dims, seed=seeds)
def test_forward_is_softmax_of_scaled_scores_times_values(T, d, dv, seed):
    Q, K, V = qkv(seed, (), T, d, dv)
    Y, P = attention(Q, K, V)
    np.testing.assert_allclose(P, softmax(Q @ K.T / np.sqrt(d)))
    np.testing.assert_allclose(Y, P @ V)


@given(T=dims, d=dims, dv=dims, seed=seeds)
def test_masked_weights_and_their_score_gradients_are_exactly_zero(T, d, dv, seed):
    Q, K, V = qkv(seed, (), T, d, dv)
    mask = causal_mask(T)
    Y, P = attention(Q, K, V, mask)
    assert np.all(P[~mask] == 0.0)
    np.testing.assert_allclose(P.sum(axis=-1), 1.0)
    # the gradient of the scores, from the backward pass's own steps
    dY = normal(seed + 3, T, dv)
    dP = dY @ V.T
    dS = P * (dP - np.sum(dP * P, axis=-1, keepdims=True))
    assert np.all(dS[~mask] == 0.0)


@given(T=st.integers(2, 5), d=dims, dv=dims, seed=seeds)
def test_with_a_causal_mask_no_gradient_flows_from_the_past_to_the_future(T, d, dv,
                                                                          seed):
    # a loss on the outputs of positions 0..t-1 cannot depend on anything at t..T-1
    Q, K, V = qkv(seed, (), T, d, dv)
    _, P = attention(Q, K, V, causal_mask(T))
    t = T // 2
    dY = normal(seed + 3, T, dv)
    dY[t:] = 0.0
    dQ, dK, dV = attention_backward(Q, K, V, P, dY)
    assert np.all(dQ[t:] == 0.0) and np.all(dK[t:] == 0.0) and np.all(dV[t:] == 0.0)


@given(T=dims, d=dims, dv=dims, seed=seeds)
def test_a_future_key_does_not_move_the_output_at_all(T, d, dv, seed):
    Q, K, V = qkv(seed, (), T, d, dv)
    Y, _ = attention(Q, K, V, causal_mask(T))
    K2, V2 = K.copy(), V.copy()
    K2[-1] += 5.0  # the last position is in the future of every other one
    V2[-1] -= 5.0
    Y2, _ = attention(Q, K2, V2, causal_mask(T))
    np.testing.assert_array_equal(Y2[:-1], Y[:-1])


# --- Several heads ---------------------------------------------------------------

head_counts = st.integers(1, 3)


def heads(seed, T, D, H, d, F):
    """X (T, D) and the weights of H heads: Wq, Wk, Wv (H, D, d), Wo (H, d, F).

    The weights are scaled by 1/sqrt(D) as at initialization: with larger scores the
    softmax saturates, its gradients shrink towards rounding error, and a gradient
    check compares rounding errors.
    """
    Wq, Wk, Wv = (normal(seed + k, H, D, d) / np.sqrt(D) for k in (1, 2, 3))
    return normal(seed, T, D), Wq, Wk, Wv, normal(seed + 4, H, d, F)


@given(T=dims, D=dims, H=head_counts, d=dims, F=dims, causal=masked, seed=seeds)
def test_every_gradient_of_several_heads_matches_central_differences(
    T, D, H, d, F, causal, seed
):
    params = list(heads(seed, T, D, H, d, F))
    mask = causal_mask(T) if causal else None
    Z, P = multi_head_attention(*params, mask)
    dZ = normal(seed + 5, *Z.shape)
    grads = multi_head_attention_backward(*params, P, dZ)
    for k in range(5):  # X, Wq, Wk, Wv, Wo

        def loss(x):
            args = params[:k] + [x] + params[k + 1:]
            return np.sum(dZ * multi_head_attention(*args, mask)[0])

        check_gradient(loss, params[k], grads[k])


@given(T=dims, D=dims, H=head_counts, d=dims, F=dims, seed=seeds)
def test_several_heads_are_one_attention_per_head_concatenated(T, D, H, d, F, seed):
    X, Wq, Wk, Wv, Wo = heads(seed, T, D, H, d, F)
    Z, _ = multi_head_attention(X, Wq, Wk, Wv, Wo)
    per_head = [attention(X @ Wq[h], X @ Wk[h], X @ Wv[h])[0] for h in range(H)]
    concatenated = np.concatenate(per_head, axis=1)  # (T, H d)
    np.testing.assert_allclose(Z, concatenated @ Wo.reshape(H * d, F), atol=1e-12)


# --- Bad input is named ----------------------------------------------------------


def test_a_mask_that_hides_every_key_from_a_query_is_refused():
    Q = K = V = np.ones((2, 3))
    mask = np.array([[True, False], [False, False]])
    with pytest.raises(ValueError, match="hides every key from some query"):
        attention(Q, K, V, mask)


def test_mismatched_queries_and_keys_are_named():
    with pytest.raises(ValueError, match=r"Q \(2, 3\), K \(2, 4\), V \(2, 4\)"):
        attention(np.ones((2, 3)), np.ones((2, 4)), np.ones((2, 4)))
