"""Activation gradients dZ = f'(Z) * dA, from sigmoid to GELU and softplus."""

import warnings
from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given

from helpers import dims, normal, seeds
from snippets.activations import (
    gelu,
    gelu_backward,
    leaky_relu,
    leaky_relu_backward,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    softplus,
    softplus_backward,
    tanh,
    tanh_backward,
)
from snippets.gradcheck import check_gradient, check_vjp, numerical_gradient

#: ReLU is checked only where |z| >= MARGIN: far from its kink at 0, compared with the
#: step 1e-6 of the central differences, so that no nudge crosses the kink.
MARGIN = 0.1


def away_from_kink(Z):
    """Push every entry of Z at least MARGIN away from 0, keeping its sign."""
    return np.where(Z >= 0, Z + MARGIN, Z - MARGIN)


@given(m=dims, n=dims, seed=seeds)
def test_sigmoid_dZ_matches_central_differences(m, n, seed):
    Z, dA = 3 * normal(seed, m, n), normal(seed + 1, m, n)
    check_gradient(lambda Z: (dA * sigmoid(Z)).sum(), Z, sigmoid_backward(Z, dA))


@given(m=dims, n=dims, seed=seeds)
def test_sigmoid_dZ_passes_dot_product_test(m, n, seed):
    Z = 3 * normal(seed, m, n)
    check_vjp(sigmoid, lambda dA: sigmoid_backward(Z, dA), Z)


@given(m=dims, n=dims, seed=seeds)
def test_tanh_dZ_matches_central_differences(m, n, seed):
    Z, dA = 2 * normal(seed, m, n), normal(seed + 1, m, n)
    check_gradient(lambda Z: (dA * tanh(Z)).sum(), Z, tanh_backward(Z, dA))


@given(m=dims, n=dims, seed=seeds)
def test_tanh_dZ_passes_dot_product_test(m, n, seed):
    Z = 2 * normal(seed, m, n)
    check_vjp(tanh, lambda dA: tanh_backward(Z, dA), Z)


@given(m=dims, n=dims, seed=seeds)
def test_relu_dZ_matches_central_differences_away_from_the_kink(m, n, seed):
    Z, dA = away_from_kink(normal(seed, m, n)), normal(seed + 1, m, n)
    check_gradient(lambda Z: (dA * relu(Z)).sum(), Z, relu_backward(Z, dA))


@given(m=dims, n=dims, seed=seeds)
def test_relu_dZ_passes_dot_product_test_away_from_the_kink(m, n, seed):
    Z = away_from_kink(normal(seed, m, n))
    check_vjp(relu, lambda dA: relu_backward(Z, dA), Z)


@given(m=dims, n=dims, seed=seeds)
def test_gradients_have_the_shape_of_Z(m, n, seed):
    Z, dA = normal(seed, m, n), normal(seed + 1, m, n)
    for backward in (sigmoid_backward, tanh_backward, relu_backward):
        assert backward(Z, dA).shape == Z.shape, backward.__name__


def test_relu_backward_takes_the_subgradient_0_at_the_kink():
    Z, dA = np.zeros((2, 3)), np.ones((2, 3))
    np.testing.assert_array_equal(relu_backward(Z, dA), np.zeros((2, 3)))


def test_central_differences_on_the_kink_give_one_half():
    # Neither 0 nor 1: the reason the ReLU tests keep |z| >= MARGIN.
    numerical = numerical_gradient(lambda Z: relu(Z).sum(), np.zeros((1, 1)))
    np.testing.assert_allclose(numerical, [[0.5]])


def test_sigmoid_matches_its_definition():
    Z = np.linspace(-30, 30, 61).reshape(61, 1)
    np.testing.assert_allclose(sigmoid(Z), 1 / (1 + np.exp(-Z)), rtol=1e-13)


def test_sigmoid_is_symmetric_about_one_half():
    Z = 5 * normal(0, 4, 3)
    np.testing.assert_allclose(sigmoid(-Z), 1 - sigmoid(Z), rtol=1e-12, atol=1e-15)


def test_sigmoid_neither_overflows_nor_warns_for_large_inputs():
    Z = np.array([[-1e308, -1000.0, -800.0, 0.0, 800.0, 1000.0, 1e308]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning "overflow" fails the test
        A = sigmoid(Z)
        dZ = sigmoid_backward(Z, np.ones_like(Z))
    np.testing.assert_array_equal(A, [[0.0, 0.0, 0.0, 0.5, 1.0, 1.0, 1.0]])
    np.testing.assert_array_equal(dZ, [[0.0, 0.0, 0.0, 0.25, 0.0, 0.0, 0.0]])


# --- Leaky ReLU, GELU, softplus -------------------------------------------------------

MORE = {
    "leaky_relu": (leaky_relu, leaky_relu_backward),
    "gelu": (gelu, gelu_backward),
    "softplus": (softplus, softplus_backward),
}


@pytest.mark.parametrize("name", MORE)
@given(m=dims, n=dims, seed=seeds)
def test_more_activations_dZ_matches_central_differences(name, m, n, seed):
    f, f_backward = MORE[name]
    Z, dA = away_from_kink(2 * normal(seed, m, n)), normal(seed + 1, m, n)
    check_gradient(lambda Z: (dA * f(Z)).sum(), Z, f_backward(Z, dA))


@pytest.mark.parametrize("name", MORE)
@given(m=dims, n=dims, seed=seeds)
def test_more_activations_dZ_passes_dot_product_test(name, m, n, seed):
    f, f_backward = MORE[name]
    Z = away_from_kink(2 * normal(seed, m, n))
    check_vjp(f, lambda dA: f_backward(Z, dA), Z)


def test_leaky_relu_takes_alpha_at_the_kink_and_any_alpha():
    Z, dA = np.array([[-2.0, 0.0, 3.0]]), np.ones((1, 3))
    np.testing.assert_array_equal(leaky_relu(Z, alpha=0.1), [[-0.2, 0.0, 3.0]])
    np.testing.assert_array_equal(leaky_relu_backward(Z, dA, alpha=0.1), [[0.1, 0.1, 1]])


def test_gelu_is_exact_not_the_tanh_approximation():
    # z * Phi(z), with Phi from the standard library's normal distribution
    Z = np.linspace(-4, 4, 17)
    exact = [z * NormalDist().cdf(z) for z in Z]
    np.testing.assert_allclose(gelu(Z), exact, rtol=1e-12, atol=1e-15)
    tanh_form = 0.5 * Z * (1 + np.tanh(np.sqrt(2 / np.pi) * (Z + 0.044715 * Z**3)))
    assert np.max(np.abs(gelu(Z) - tanh_form)) > 1e-4


def test_softplus_neither_overflows_nor_warns():
    Z = np.array([[-1000.0, 0.0, 1000.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        np.testing.assert_allclose(softplus(Z), [[0.0, np.log(2), 1000.0]])
        np.testing.assert_allclose(softplus_backward(Z, np.ones_like(Z)),
                                   [[0.0, 0.5, 1.0]])
