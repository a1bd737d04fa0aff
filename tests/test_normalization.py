"""Layer and batch normalization: dX, dgamma and dbeta, compact and step by step.

Most tests use eps = 0.1 instead of the usual 1e-5. The formulas hold for every eps,
but with a group of two entries and a tiny eps the normalized output hardly depends
on X (two numbers standardize to -1 and +1 whatever they are), so dX is of the order
of eps and central differences would measure mostly rounding error. A larger eps
keeps every path of the chain rule large enough to be seen; one test also runs the
default eps on a fixed, wider shape.
"""

import numpy as np
import pytest
from hypothesis import given

from helpers import dims, normal, seeds
from snippets.gradcheck import check_gradient, check_vjp
from snippets.normalization import (
    batch_norm,
    batch_norm_backward,
    layer_norm,
    layer_norm_backward,
    normalize_backward,
    normalize_backward_steps,
)

EPS = 0.1
NORMS = {
    "layer_norm": (layer_norm, layer_norm_backward),
    "batch_norm": (batch_norm, batch_norm_backward),
}
AXIS = {"layer_norm": 1, "batch_norm": 0}


def arrays(seed, N, D):
    """Return X (N, D), gamma (D,), beta (D,) and an upstream gradient dY (N, D).

    The dot-product tests below draw their directions with seed + 4, never with the
    seed of X: a direction equal to X would probe layer normalization along the one
    direction (scaling a row) that it almost ignores.
    """
    return (
        normal(seed, N, D),
        normal(seed + 1, D),
        normal(seed + 2, D),
        normal(seed + 3, N, D),
    )


@pytest.mark.parametrize("name", NORMS)
@given(N=dims, D=dims, seed=seeds)
def test_forward_standardizes_the_right_axis(name, N, D, seed):
    forward, _ = NORMS[name]
    X = normal(seed, N, D)
    Y = forward(X, np.ones(D), np.zeros(D), eps=EPS)
    axis = AXIS[name]
    var = X.var(axis=axis, keepdims=True)
    np.testing.assert_allclose(Y.mean(axis=axis), 0.0, atol=1e-12)
    np.testing.assert_allclose(Y.var(axis=axis, keepdims=True), var / (var + EPS))


@pytest.mark.parametrize("name", NORMS)
@given(N=dims, D=dims, seed=seeds)
def test_dX_matches_central_differences(name, N, D, seed):
    forward, backward = NORMS[name]
    X, gamma, beta, dY = arrays(seed, N, D)
    dX, _, _ = backward(X, gamma, dY, eps=EPS)
    check_gradient(lambda X: (dY * forward(X, gamma, beta, eps=EPS)).sum(), X, dX)


@pytest.mark.parametrize("name", NORMS)
@given(N=dims, D=dims, seed=seeds)
def test_dgamma_matches_central_differences(name, N, D, seed):
    forward, backward = NORMS[name]
    X, gamma, beta, dY = arrays(seed, N, D)
    _, dgamma, _ = backward(X, gamma, dY, eps=EPS)
    check_gradient(lambda g: (dY * forward(X, g, beta, eps=EPS)).sum(), gamma, dgamma)


@pytest.mark.parametrize("name", NORMS)
@given(N=dims, D=dims, seed=seeds)
def test_dbeta_matches_central_differences(name, N, D, seed):
    forward, backward = NORMS[name]
    X, gamma, beta, dY = arrays(seed, N, D)
    _, _, dbeta = backward(X, gamma, dY, eps=EPS)
    check_gradient(lambda b: (dY * forward(X, gamma, b, eps=EPS)).sum(), beta, dbeta)


@pytest.mark.parametrize("name", NORMS)
@given(N=dims, D=dims, seed=seeds)
def test_dX_passes_dot_product_test(name, N, D, seed):
    forward, backward = NORMS[name]
    X, gamma, beta, _ = arrays(seed, N, D)
    check_vjp(
        lambda X: forward(X, gamma, beta, eps=EPS),
        lambda dY: backward(X, gamma, dY, eps=EPS)[0],
        X,
        seed=seed + 4,
    )


@pytest.mark.parametrize("name", NORMS)
@given(N=dims, D=dims, seed=seeds)
def test_dgamma_passes_dot_product_test(name, N, D, seed):
    forward, backward = NORMS[name]
    X, gamma, beta, _ = arrays(seed, N, D)
    check_vjp(
        lambda g: forward(X, g, beta, eps=EPS),
        lambda dY: backward(X, gamma, dY, eps=EPS)[1],
        gamma,
        seed=seed + 4,
    )


@pytest.mark.parametrize("name", NORMS)
@given(N=dims, D=dims, seed=seeds)
def test_dbeta_passes_dot_product_test(name, N, D, seed):
    forward, backward = NORMS[name]
    X, gamma, beta, _ = arrays(seed, N, D)
    check_vjp(
        lambda b: forward(X, gamma, b, eps=EPS),
        lambda dY: backward(X, gamma, dY, eps=EPS)[2],
        beta,
        seed=seed + 4,
    )


@pytest.mark.parametrize("axis", [0, 1])
@given(N=dims, D=dims, seed=seeds)
def test_step_by_step_backward_agrees_with_compact_form(axis, N, D, seed):
    X, gamma, _, dY = arrays(seed, N, D)
    dX, _, _ = normalize_backward(X, gamma, dY, axis, eps=EPS)
    steps = normalize_backward_steps(X, gamma, dY, axis, eps=EPS)
    np.testing.assert_allclose(steps, dX, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", NORMS)
@given(N=dims, D=dims, seed=seeds)
def test_step_by_step_dX_matches_central_differences(name, N, D, seed):
    forward, _ = NORMS[name]
    X, gamma, beta, dY = arrays(seed, N, D)
    dX = normalize_backward_steps(X, gamma, dY, AXIS[name], eps=EPS)
    check_gradient(lambda X: (dY * forward(X, gamma, beta, eps=EPS)).sum(), X, dX)


@pytest.mark.parametrize("name", NORMS)
def test_default_eps_on_a_fixed_shape(name):
    forward, backward = NORMS[name]
    X, gamma, beta, dY = arrays(0, 6, 5)
    dX, dgamma, dbeta = backward(X, gamma, dY)
    check_gradient(lambda X: (dY * forward(X, gamma, beta)).sum(), X, dX)
    check_gradient(lambda g: (dY * forward(X, g, beta)).sum(), gamma, dgamma)
    check_gradient(lambda b: (dY * forward(X, gamma, b)).sum(), beta, dbeta)


@pytest.mark.parametrize("name, N, D", [("layer_norm", 4, 1), ("batch_norm", 1, 4)])
def test_groups_of_one_entry_give_zero_dX(name, N, D):
    # a group of one entry: X_hat = 0 whatever X is, so nothing flows back to X
    forward, backward = NORMS[name]
    X, gamma, beta, dY = arrays(1, N, D)
    dX, _, _ = backward(X, gamma, dY)
    steps = normalize_backward_steps(X, gamma, dY, AXIS[name])
    np.testing.assert_array_equal(dX, 0.0)
    np.testing.assert_array_equal(steps, 0.0)
    check_gradient(lambda X: (dY * forward(X, gamma, beta)).sum(), X, dX)


@given(N=dims, D=dims, seed=seeds)
def test_layer_norm_is_batch_norm_of_the_transpose(N, D, seed):
    X, _, _, dY = arrays(seed, N, D)
    ones_D, ones_N = np.ones(D), np.ones(N)
    np.testing.assert_allclose(
        layer_norm(X, ones_D, 0.0), batch_norm(X.T, ones_N, 0.0).T, atol=1e-12
    )
    dX_layer, _, _ = layer_norm_backward(X, ones_D, dY)
    dX_batch, _, _ = batch_norm_backward(X.T, ones_N, dY.T)
    np.testing.assert_allclose(dX_layer, dX_batch.T, atol=1e-12)


@pytest.mark.parametrize("name", NORMS)
@given(N=dims, D=dims, seed=seeds)
def test_gradients_have_the_shapes_of_the_inputs(name, N, D, seed):
    _, backward = NORMS[name]
    X, gamma, _, dY = arrays(seed, N, D)
    dX, dgamma, dbeta = backward(X, gamma, dY)
    assert dX.shape == (N, D) and dgamma.shape == (D,) and dbeta.shape == (D,)
