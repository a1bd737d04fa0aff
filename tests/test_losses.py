"""Losses over a batch: values, gradients (p - y, over N) and numerical stability."""

import numpy as np
from hypothesis import given

from helpers import dims, normal, seeds
from snippets.gradcheck import check_gradient, check_vjp
from snippets.losses import (
    log_softmax,
    mse,
    mse_backward,
    one_hot,
    sigmoid_binary_cross_entropy,
    sigmoid_binary_cross_entropy_backward,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_backward,
)


def labels(seed, N, K):
    """Return N integer class labels in 0..K-1."""
    return np.random.default_rng(seed).integers(0, K, size=N)


def overflow_raises():
    """Turn overflow, division by zero and nan into errors (underflow to 0 is fine)."""
    return np.errstate(over="raise", divide="raise", invalid="raise")


def bits(seed, N):
    """Return N binary labels as floats 0.0 / 1.0."""
    return labels(seed, N, 2).astype(np.float64)


# Mean squared error


@given(N=dims, K=dims, seed=seeds)
def test_mse_is_half_the_squared_distance_averaged_over_samples(N, K, seed):
    Y_hat, Y = normal(seed, N, K), normal(seed + 1, N, K)
    per_sample = [0.5 * np.sum((Y_hat[i] - Y[i]) ** 2) for i in range(N)]
    np.testing.assert_allclose(mse(Y_hat, Y), np.mean(per_sample))


@given(N=dims, K=dims, seed=seeds)
def test_mse_backward_matches_central_differences(N, K, seed):
    Y_hat, Y = normal(seed, N, K), normal(seed + 1, N, K)
    check_gradient(lambda Y_hat: mse(Y_hat, Y), Y_hat, mse_backward(Y_hat, Y))


def test_mse_of_a_batch_repeated_twice_is_unchanged():
    Y_hat, Y = normal(0, 3, 2), normal(1, 3, 2)
    twice = mse(np.vstack([Y_hat, Y_hat]), np.vstack([Y, Y]))
    np.testing.assert_allclose(twice, mse(Y_hat, Y))


# Softmax


@given(N=dims, K=dims, seed=seeds)
def test_softmax_rows_are_probabilities(N, K, seed):
    P = softmax(normal(seed, N, K))
    assert np.all(P > 0)
    np.testing.assert_allclose(P.sum(axis=1), np.ones(N))


@given(N=dims, K=dims, seed=seeds)
def test_softmax_equals_the_textbook_formula(N, K, seed):
    Z = normal(seed, N, K)
    E = np.exp(Z)
    np.testing.assert_allclose(softmax(Z), E / E.sum(axis=1, keepdims=True))


@given(N=dims, K=dims, seed=seeds)
def test_softmax_ignores_a_constant_added_to_a_row(N, K, seed):
    Z, c = normal(seed, N, K), 100 * normal(seed + 1, N, 1)
    np.testing.assert_allclose(softmax(Z + c), softmax(Z))


def test_softmax_of_huge_logits_is_exact_and_warning_free():
    Z = np.array([[1000.0, 0.0, -1000.0], [1000.0, 1000.0, 1000.0]])
    with overflow_raises():
        P = softmax(Z)
    np.testing.assert_allclose(P, [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]])


@given(N=dims, K=dims, seed=seeds)
def test_log_softmax_is_the_log_of_softmax(N, K, seed):
    Z = normal(seed, N, K)
    np.testing.assert_allclose(log_softmax(Z), np.log(softmax(Z)))


def test_log_softmax_stays_finite_where_softmax_underflows_to_zero():
    Z = np.array([[1000.0, 0.0, -1000.0]])
    with overflow_raises():
        log_P = log_softmax(Z)
    np.testing.assert_allclose(log_P, [[0.0, -1000.0, -2000.0]])


def test_one_hot_puts_a_single_one_in_each_row():
    np.testing.assert_array_equal(
        one_hot(np.array([2, 0]), 3), [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]
    )


# Softmax with cross-entropy


@given(N=dims, K=dims, seed=seeds)
def test_softmax_cross_entropy_is_the_mean_negative_log_probability(N, K, seed):
    Z, y = normal(seed, N, K), labels(seed + 1, N, K)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    expected = -np.mean([np.log(P[i, y[i]]) for i in range(N)])
    np.testing.assert_allclose(softmax_cross_entropy(Z, y), expected)


@given(N=dims, K=dims, seed=seeds)
def test_softmax_cross_entropy_backward_matches_central_differences(N, K, seed):
    Z, y = normal(seed, N, K), labels(seed + 1, N, K)
    dZ = softmax_cross_entropy_backward(Z, y)
    check_gradient(lambda Z: softmax_cross_entropy(Z, y), Z, dZ)


@given(N=dims, K=dims, seed=seeds)
def test_softmax_cross_entropy_backward_is_p_minus_y_over_n(N, K, seed):
    Z, y = normal(seed, N, K), labels(seed + 1, N, K)
    expected = (softmax(Z) - one_hot(y, K)) / N
    np.testing.assert_allclose(softmax_cross_entropy_backward(Z, y), expected)


@given(N=dims, K=dims, seed=seeds)
def test_softmax_cross_entropy_gradient_rows_sum_to_zero(N, K, seed):
    Z, y = normal(seed, N, K), labels(seed + 1, N, K)
    row_sums = softmax_cross_entropy_backward(Z, y).sum(axis=1)
    np.testing.assert_allclose(row_sums, np.zeros(N), atol=1e-15)


@given(N=dims, K=dims, seed=seeds)
def test_softmax_cross_entropy_ignores_a_constant_added_to_a_row(N, K, seed):
    Z, y, c = normal(seed, N, K), labels(seed + 1, N, K), 100 * normal(seed + 2, N, 1)
    np.testing.assert_allclose(
        softmax_cross_entropy(Z + c, y), softmax_cross_entropy(Z, y), rtol=1e-12
    )
    np.testing.assert_allclose(
        softmax_cross_entropy_backward(Z + c, y),
        softmax_cross_entropy_backward(Z, y),
        atol=1e-15,
    )


@given(N=dims, seed=seeds)
def test_softmax_cross_entropy_with_one_class_is_zero_with_zero_gradient(N, seed):
    Z, y = normal(seed, N, 1), np.zeros(N, dtype=int)
    assert softmax_cross_entropy(Z, y) == 0.0
    np.testing.assert_array_equal(softmax_cross_entropy_backward(Z, y), np.zeros((N, 1)))


def test_softmax_cross_entropy_of_huge_logits_is_exact_and_warning_free():
    Z = np.array([[1000.0, 0.0, -1000.0]] * 3)
    y = np.array([0, 1, 2])
    with overflow_raises():
        L = softmax_cross_entropy(Z, y)
        dZ = softmax_cross_entropy_backward(Z, y)
    np.testing.assert_allclose(L, (0.0 + 1000.0 + 2000.0) / 3)
    np.testing.assert_allclose(dZ, (np.array([[1.0, 0.0, 0.0]] * 3) - np.eye(3)) / 3)


def test_softmax_cross_entropy_gradient_checks_around_logits_of_1000():
    Z, y = 1000 + normal(0, 4, 3), labels(1, 4, 3)
    dZ = softmax_cross_entropy_backward(Z, y)
    assert np.all(np.isfinite(dZ)), dZ  # check_gradient alone lets nan through
    check_gradient(lambda Z: softmax_cross_entropy(Z, y), Z, dZ, tol=1e-5)


@given(N=dims, K=dims, seed=seeds)
def test_softmax_passes_the_dot_product_test_with_its_jacobian(N, K, seed):
    # d z_j of sum_k dp_k p_k is p_j (dp_j - sum_k dp_k p_k): the softmax VJP per row
    Z = normal(seed, N, K)

    def softmax_vjp(dP):
        P = softmax(Z)
        return P * (dP - np.sum(dP * P, axis=1, keepdims=True))

    check_vjp(softmax, softmax_vjp, Z)


# Sigmoid with binary cross-entropy


@given(N=dims, seed=seeds)
def test_binary_cross_entropy_equals_the_textbook_formula(N, seed):
    z, y = normal(seed, N), bits(seed + 1, N)
    s = 1 / (1 + np.exp(-z))
    expected = -np.mean(y * np.log(s) + (1 - y) * np.log(1 - s))
    np.testing.assert_allclose(sigmoid_binary_cross_entropy(z, y), expected)


@given(N=dims, seed=seeds)
def test_binary_cross_entropy_backward_matches_central_differences(N, seed):
    z, y = normal(seed, N), bits(seed + 1, N)
    dz = sigmoid_binary_cross_entropy_backward(z, y)
    check_gradient(lambda z: sigmoid_binary_cross_entropy(z, y), z, dz)


@given(N=dims, seed=seeds)
def test_binary_cross_entropy_backward_is_sigmoid_minus_y_over_n(N, seed):
    z, y = normal(seed, N), bits(seed + 1, N)
    expected = (1 / (1 + np.exp(-z)) - y) / N
    np.testing.assert_allclose(sigmoid_binary_cross_entropy_backward(z, y), expected)


@given(N=dims, seed=seeds)
def test_binary_cross_entropy_is_softmax_cross_entropy_on_logits_0_and_z(N, seed):
    z, y = normal(seed, N), labels(seed + 1, N, 2)
    Z = np.column_stack([np.zeros(N), z])  # softmax([0, z])[1] = sigmoid(z)
    np.testing.assert_allclose(
        sigmoid_binary_cross_entropy(z, y.astype(np.float64)),
        softmax_cross_entropy(Z, y),
    )
    np.testing.assert_allclose(
        sigmoid_binary_cross_entropy_backward(z, y.astype(np.float64)),
        softmax_cross_entropy_backward(Z, y)[:, 1],
    )


def test_binary_cross_entropy_of_huge_logits_is_exact_and_warning_free():
    z = np.array([1000.0, 1000.0, -1000.0, -1000.0])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    with overflow_raises():
        L = sigmoid_binary_cross_entropy(z, y)
        dz = sigmoid_binary_cross_entropy_backward(z, y)
    np.testing.assert_allclose(L, (0.0 + 1000.0 + 1000.0 + 0.0) / 4)
    np.testing.assert_allclose(dz, np.array([0.0, 1.0, -1.0, 0.0]) / 4)
