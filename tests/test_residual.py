"""Forks, the residual block, weight tying and dropout: every gradient checked.

The dropout tests draw the mask once, outside the loss: the check then differentiates
one fixed function. One test redraws it inside the loss and watches the check fail.
"""

import numpy as np
import pytest
from hypothesis import given

from helpers import dims, normal, seeds
from snippets.gradcheck import check_gradient, check_vjp
from snippets.residual import (
    dropout,
    dropout_backward,
    dropout_mask,
    fork,
    fork_backward,
    residual_block,
    residual_block_backward,
    tied_backward,
    tied_logits,
)


@given(N=dims, D=dims, P=dims, Q=dims, seed=seeds)
def test_fork_dX_is_the_sum_of_both_uses(N, D, P, Q, seed):
    X, W1, W2 = normal(seed, N, D), normal(seed + 1, D, P), normal(seed + 2, D, Q)
    dY1, dY2 = normal(seed + 3, N, P), normal(seed + 4, N, Q)
    dX = fork_backward(X, W1, W2, dY1, dY2)

    def loss(X):
        Y1, Y2 = fork(X, W1, W2)
        return (dY1 * Y1).sum() + (dY2 * Y2).sum()

    check_gradient(loss, X, dX)


def block(seed, N, D, H):
    return normal(seed, N, D), normal(seed + 1, D, H), normal(seed + 2, H, D)


@given(N=dims, D=dims, H=dims, seed=seeds)
def test_residual_dX_matches_central_differences(N, D, H, seed):
    (X, W1, W2), dY = block(seed, N, D, H), normal(seed + 3, N, D)
    dX, _, _ = residual_block_backward(X, W1, W2, dY)
    check_gradient(lambda X: (dY * residual_block(X, W1, W2)).sum(), X, dX)


@given(N=dims, D=dims, H=dims, seed=seeds)
def test_residual_dW1_dW2_match_central_differences(N, D, H, seed):
    (X, W1, W2), dY = block(seed, N, D, H), normal(seed + 3, N, D)
    _, dW1, dW2 = residual_block_backward(X, W1, W2, dY)
    check_gradient(lambda W1: (dY * residual_block(X, W1, W2)).sum(), W1, dW1)
    check_gradient(lambda W2: (dY * residual_block(X, W1, W2)).sum(), W2, dW2)


@given(N=dims, D=dims, H=dims, seed=seeds)
def test_residual_dX_passes_dot_product_test(N, D, H, seed):
    X, W1, W2 = block(seed, N, D, H)
    check_vjp(
        lambda X: residual_block(X, W1, W2),
        lambda dY: residual_block_backward(X, W1, W2, dY)[0],
        X,
    )


def test_a_dead_branch_passes_dY_through_unchanged():
    # every ReLU of the branch is off: only the skip path is left, and dX = dY
    X, W1, W2 = np.ones((2, 3)), -np.ones((3, 4)), np.ones((4, 3))
    dY = normal(0, 2, 3)
    dX, dW1, dW2 = residual_block_backward(X, W1, W2, dY)
    np.testing.assert_array_equal(dX, dY)
    np.testing.assert_array_equal(dW1, 0.0)


@given(V=dims, D=dims, T=dims, seed=seeds)
def test_tied_dE_adds_the_lookup_and_the_output_layer(V, D, T, seed):
    E, H = normal(seed, V, D), normal(seed + 1, T, D)
    ids = np.random.default_rng(seed + 2).integers(0, V, size=T)
    dX, dZ = normal(seed + 3, T, D), normal(seed + 4, T, V)
    dE = tied_backward(E, ids, H, dX, dZ)

    def loss(E):
        X, Z = tied_logits(E, ids, H)
        return (dX * X).sum() + (dZ * Z).sum()

    check_gradient(loss, E, dE)


@given(N=dims, D=dims, seed=seeds)
def test_dropout_dX_matches_central_differences_with_a_fixed_mask(N, D, seed):
    p = 0.5
    X, dY = normal(seed, N, D), normal(seed + 1, N, D)
    mask = dropout_mask((N, D), p, np.random.default_rng(seed + 2))
    dX = dropout_backward(mask, p, dY)
    check_gradient(lambda X: (dY * dropout(X, mask, p)).sum(), X, dX)
    check_vjp(lambda X: dropout(X, mask, p), lambda dY: dropout_backward(mask, p, dY), X)


def test_a_fresh_mask_at_every_call_fails_the_gradient_check():
    p, rng = 0.5, np.random.default_rng(0)
    X, dY = normal(1, 4, 5), normal(2, 4, 5)
    mask = dropout_mask(X.shape, p, rng)
    dX = dropout_backward(mask, p, dY)
    with pytest.raises(AssertionError, match="gradient check failed"):
        check_gradient(
            lambda X: (dY * dropout(X, dropout_mask(X.shape, p, rng), p)).sum(), X, dX
        )


def test_dropout_keeps_the_mean():
    # the 1 / (1 - p) scale: on average over masks, dropout(X) is X
    p, X = 0.3, np.full((200, 500), 2.0)
    mask = dropout_mask(X.shape, p, np.random.default_rng(0))
    np.testing.assert_allclose(mask.mean(), 1 - p, atol=0.005)
    np.testing.assert_allclose(dropout(X, mask, p).mean(), 2.0, rtol=0.01)


@pytest.mark.parametrize("p", [1.0, -0.1, 1.5])
def test_dropout_rejects_a_probability_outside_0_1(p):
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\)"):
        dropout_mask((2, 2), p, np.random.default_rng(0))
    with pytest.raises(ValueError, match=r"p must be in \[0, 1\)"):
        dropout(np.ones((2, 2)), np.ones((2, 2)), p)


def test_dropout_rejects_a_mask_of_another_shape():
    with pytest.raises(ValueError, match=r"mask has shape \(2, 1\) but X has shape"):
        dropout(np.ones((2, 2)), np.ones((2, 1)), 0.5)
