"""The two-layer network: every gradient of the backward pass, stage by stage.

Central differences check each parameter, the input X and each intermediate (Z1, H1,
Z2) against the loss of the network; the dot-product test checks each stage's
backward function at the inputs the network gives it. Both activations are run.
"""

import numpy as np
import pytest
from hypothesis import given

from helpers import dims, normal, seeds
from snippets.activations import relu, relu_backward, tanh, tanh_backward
from snippets.bias import linear_rows, linear_rows_backward
from snippets.gradcheck import check_gradient, check_vjp
from snippets.losses import softmax_cross_entropy, softmax_cross_entropy_backward
from snippets.network import init_params, network_backward, network_forward

ACTIVATIONS = {"relu": (relu, relu_backward), "tanh": (tanh, tanh_backward)}
PARAMS = ["W1", "b1", "W2", "b2"]


def problem(seed, N, D, H, K, activation):
    """Return params, X, y, the cache of the forward pass and all the gradients."""
    params = init_params(D, H, K, seed=seed)
    params["b1"] = normal(seed + 1, H)  # nonzero biases, so that b1 and b2 matter
    params["b2"] = normal(seed + 2, K)
    X = normal(seed + 3, N, D)
    y = np.random.default_rng(seed + 4).integers(0, K, size=N)
    _, cache = network_forward(params, X, y, activation)
    return params, X, y, cache, network_backward(params, cache)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@pytest.mark.parametrize("name", PARAMS)
@given(N=dims, D=dims, H=dims, K=dims, seed=seeds)
def test_parameter_gradient_matches_central_differences(activation, name, N, D, H, K,
                                                        seed):
    params, X, y, _, grads = problem(seed, N, D, H, K, activation)

    def loss(P):
        return network_forward({**params, name: P}, X, y, activation)[0]

    check_gradient(loss, params[name], grads[name])


@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(N=dims, D=dims, H=dims, K=dims, seed=seeds)
def test_dX_matches_central_differences(activation, N, D, H, K, seed):
    params, X, y, _, grads = problem(seed, N, D, H, K, activation)
    def loss(X):
        return network_forward(params, X, y, activation)[0]

    check_gradient(loss, X, grads["X"])


@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(N=dims, D=dims, H=dims, K=dims, seed=seeds)
def test_intermediate_gradients_match_central_differences(activation, N, D, H, K,
                                                          seed):
    params, _, y, cache, grads = problem(seed, N, D, H, K, activation)
    f, _ = ACTIVATIONS[activation]
    W2, b2 = params["W2"], params["b2"]

    def loss_from_Z2(Z2):
        return softmax_cross_entropy(Z2, y)

    def loss_from_H1(H1):
        return loss_from_Z2(linear_rows(H1, W2, b2))

    def loss_from_Z1(Z1):
        return loss_from_H1(f(Z1))

    check_gradient(loss_from_Z2, cache["Z2"], grads["Z2"])
    check_gradient(loss_from_H1, cache["H1"], grads["H1"])
    check_gradient(loss_from_Z1, cache["Z1"], grads["Z1"])


@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(N=dims, D=dims, H=dims, K=dims, seed=seeds)
def test_each_stage_passes_dot_product_test(activation, N, D, H, K, seed):
    params, X, y, cache, _ = problem(seed, N, D, H, K, activation)
    f, f_backward = ACTIVATIONS[activation]
    W1, b1, W2, b2 = (params[name] for name in PARAMS)
    Z1, H1, Z2 = cache["Z1"], cache["H1"], cache["Z2"]
    s = seed + 5  # directions independent of the data
    # the loss: a scalar output, so its upstream gradient is a number
    check_vjp(
        lambda Z2: np.asarray(softmax_cross_entropy(Z2, y)),
        lambda dL: dL * softmax_cross_entropy_backward(Z2, y),
        Z2, seed=s,
    )
    # the second linear layer, with respect to each of its three inputs
    check_vjp(lambda H1: linear_rows(H1, W2, b2),
              lambda dZ2: linear_rows_backward(H1, W2, dZ2)[0], H1, seed=s)
    check_vjp(lambda W2: linear_rows(H1, W2, b2),
              lambda dZ2: linear_rows_backward(H1, W2, dZ2)[1], W2, seed=s)
    check_vjp(lambda b2: linear_rows(H1, W2, b2),
              lambda dZ2: linear_rows_backward(H1, W2, dZ2)[2], b2, seed=s)
    # the activation
    check_vjp(f, lambda dH1: f_backward(Z1, dH1), Z1, seed=s)
    # the first linear layer
    check_vjp(lambda X: linear_rows(X, W1, b1),
              lambda dZ1: linear_rows_backward(X, W1, dZ1)[0], X, seed=s)
    check_vjp(lambda W1: linear_rows(X, W1, b1),
              lambda dZ1: linear_rows_backward(X, W1, dZ1)[1], W1, seed=s)
    check_vjp(lambda b1: linear_rows(X, W1, b1),
              lambda dZ1: linear_rows_backward(X, W1, dZ1)[2], b1, seed=s)


@pytest.mark.parametrize("activation", ACTIVATIONS)
@given(N=dims, D=dims, H=dims, K=dims, seed=seeds)
def test_every_gradient_has_the_shape_of_its_array(activation, N, D, H, K, seed):
    params, X, _, cache, grads = problem(seed, N, D, H, K, activation)
    arrays = {**params, "X": X, "Z1": cache["Z1"], "H1": cache["H1"], "Z2": cache["Z2"]}
    assert grads.keys() == arrays.keys()
    for name, array in arrays.items():
        assert grads[name].shape == array.shape, name


def test_dW2_is_H1_transposed_times_dZ2():
    params, _, _, cache, grads = problem(0, 4, 3, 5, 2, "relu")
    np.testing.assert_allclose(grads["W2"], cache["H1"].T @ grads["Z2"])
    np.testing.assert_allclose(grads["W1"], cache["X"].T @ grads["Z1"])


def test_one_class_gives_zero_gradients():
    # with K = 1 the softmax is always 1 and the loss is always 0
    params, _, _, _, grads = problem(0, 4, 3, 5, 1, "tanh")
    for name in PARAMS:
        np.testing.assert_array_equal(grads[name], 0.0)


def test_init_params_shapes_and_scale():
    params = init_params(400, 300, 7, seed=1)
    assert params["W1"].shape == (400, 300) and params["b1"].shape == (300,)
    assert params["W2"].shape == (300, 7) and params["b2"].shape == (7,)
    # entries of variance 1/fan_in keep X @ W1 at the scale of X
    np.testing.assert_allclose(params["W1"].var() * 400, 1.0, rtol=0.02)
    np.testing.assert_array_equal(params["b1"], 0.0)
