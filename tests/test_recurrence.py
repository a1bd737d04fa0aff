"""A vanilla RNN: backpropagation through time, its Jacobians, and clipping by norm."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import normal, seeds
from snippets.gradcheck import check_gradient, check_vjp, numerical_gradient
from snippets.recurrence import (
    clip_by_norm,
    jacobian_norms,
    rnn_backward,
    rnn_forward,
    step_jacobian,
)

small = st.integers(min_value=1, max_value=3)
steps = st.integers(min_value=1, max_value=4)


def rnn_case(seed, T, N, D, Hd):
    """Inputs, initial state, weights and an upstream gradient for every state.

    The weights are halved: with standard normal weights, tanh often saturates, the
    gradients become as small as 1e-6, and central differences see mostly rounding.
    """
    return (normal(seed, T, N, D), normal(seed + 1, N, Hd),
            0.5 * normal(seed + 2, D, Hd), 0.5 * normal(seed + 3, Hd, Hd),
            0.5 * normal(seed + 4, Hd), normal(seed + 5, T, N, Hd))


ARGS = ("X", "h0", "Wx", "Wh", "b")


@pytest.mark.parametrize("k", range(5), ids=ARGS)
@given(T=steps, N=small, D=small, Hd=small, seed=seeds)
def test_rnn_gradients_match_central_differences(k, T, N, D, Hd, seed):
    *args, dH = rnn_case(seed, T, N, D, Hd)
    grad = rnn_backward(*args, dH)[k]

    def loss(value):
        return (dH * rnn_forward(*args[:k], value, *args[k + 1:])).sum()

    check_gradient(loss, args[k], grad)


@pytest.mark.parametrize("k", range(5), ids=ARGS)
@given(T=steps, N=small, D=small, Hd=small, seed=seeds)
def test_rnn_gradients_pass_dot_product_test(k, T, N, D, Hd, seed):
    *args, _ = rnn_case(seed, T, N, D, Hd)
    check_vjp(
        lambda value: rnn_forward(*args[:k], value, *args[k + 1:]),
        lambda dH: rnn_backward(*args, dH)[k],
        args[k],
    )


@given(T=steps, N=small, D=small, Hd=small, seed=seeds)
def test_the_shared_weight_gets_the_sum_over_steps(T, N, D, Hd, seed):
    # give every step its own copy of Wh: the gradient of the shared Wh is the sum
    # of the gradients of the copies, each measured by central differences
    X, h0, Wx, Wh, b, dH = rnn_case(seed, T, N, D, Hd)

    def untied_loss(Whs):
        h, total = h0, 0.0
        for t in range(T):
            h = np.tanh(X[t] @ Wx + h @ Whs[t] + b)
            total += (dH[t] * h).sum()
        return total

    copies = numerical_gradient(untied_loss, np.stack([Wh] * T))
    dWh = rnn_backward(X, h0, Wx, Wh, b, dH)[3]
    np.testing.assert_allclose(copies.sum(axis=0), dWh, rtol=1e-6, atol=1e-8)


@given(Hd=small, seed=seeds)
def test_step_jacobian_matches_central_differences(Hd, seed):
    x, h_prev, Wx, Wh, b = (normal(seed, 1, 2), normal(seed + 1, Hd),
                            normal(seed + 2, 2, Hd), normal(seed + 3, Hd, Hd),
                            normal(seed + 4, Hd))
    h = np.tanh(x[0] @ Wx + h_prev @ Wh + b)
    J = step_jacobian(h, Wh)
    for i in range(Hd):  # row i of J is the gradient of h_t[i] for h_{t-1}
        check_gradient(lambda hp: np.tanh(x[0] @ Wx + hp @ Wh + b)[i], h_prev, J[i])


@pytest.mark.parametrize("gain", [0.5, 2.0])
def test_at_the_zero_state_the_jacobian_norm_is_gain_to_the_power_t(gain):
    # tanh' = 1 at 0, so d h_t / d h_0 = (gain Q^T)^t with Q orthogonal
    Q, _ = np.linalg.qr(normal(0, 4, 4))
    H = np.zeros((10, 4))  # X = 0 and h0 = 0 keep every state at 0
    norms = jacobian_norms(H, gain * Q)
    np.testing.assert_allclose(norms, gain ** np.arange(1, 11), rtol=1e-10)


def test_dh0_vanishes_and_explodes_like_the_jacobian_product():
    Q, _ = np.linalg.qr(normal(0, 4, 4))
    X, h0 = np.zeros((20, 1, 3)), np.zeros((1, 4))
    Wx, b = normal(1, 3, 4), np.zeros(4)
    dH = np.zeros((20, 1, 4))
    dH[-1] = normal(2, 1, 4)  # the loss reads the last state only
    for gain in (0.5, 2.0):
        dh0 = rnn_backward(X, h0, Wx, gain * Q, b, dH)[1]
        np.testing.assert_allclose(
            np.linalg.norm(dh0), gain**20 * np.linalg.norm(dH[-1]), rtol=1e-10
        )


def test_clipping_scales_every_gradient_by_one_factor():
    g1, g2 = np.array([3.0, 0.0]), np.array([[0.0], [4.0]])  # joint norm 5
    (c1, c2), norm = clip_by_norm([g1, g2], max_norm=1.0)
    assert norm == 5.0
    np.testing.assert_allclose(c1, g1 / 5)
    np.testing.assert_allclose(c2, g2 / 5)
    np.testing.assert_allclose(np.sqrt((c1**2).sum() + (c2**2).sum()), 1.0)


def test_clipping_leaves_a_small_gradient_alone():
    g = np.array([0.3, -0.4])
    (c,), norm = clip_by_norm([g], max_norm=1.0)
    np.testing.assert_array_equal(c, g)
    np.testing.assert_allclose(norm, 0.5)


@pytest.mark.parametrize("bad", [0.0, -1.0])
def test_clipping_rejects_a_max_norm_that_is_not_positive(bad):
    with pytest.raises(ValueError, match="max_norm must be positive"):
        clip_by_norm([np.ones(2)], bad)
