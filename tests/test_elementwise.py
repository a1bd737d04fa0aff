"""The element-wise product's gradients: dA = B * dC and dB = A * dC."""

import numpy as np
import pytest
from hypothesis import given

from helpers import dims, normal, seeds
from snippets.elementwise import elementwise_product, elementwise_product_backward
from snippets.gradcheck import check_gradient, check_vjp


@given(m=dims, n=dims, seed=seeds)
def test_dA_matches_central_differences(m, n, seed):
    A, B, dC = normal(seed, m, n), normal(seed + 1, m, n), normal(seed + 2, m, n)
    dA, _ = elementwise_product_backward(A, B, dC)
    check_gradient(lambda A: (dC * elementwise_product(A, B)).sum(), A, dA)


@given(m=dims, n=dims, seed=seeds)
def test_dB_matches_central_differences(m, n, seed):
    A, B, dC = normal(seed, m, n), normal(seed + 1, m, n), normal(seed + 2, m, n)
    _, dB = elementwise_product_backward(A, B, dC)
    check_gradient(lambda B: (dC * elementwise_product(A, B)).sum(), B, dB)


@given(m=dims, n=dims, seed=seeds)
def test_dA_passes_dot_product_test(m, n, seed):
    A, B = normal(seed, m, n), normal(seed + 1, m, n)
    check_vjp(
        lambda A: elementwise_product(A, B),
        lambda dC: elementwise_product_backward(A, B, dC)[0],
        A,
    )


@given(m=dims, n=dims, seed=seeds)
def test_dB_passes_dot_product_test(m, n, seed):
    A, B = normal(seed, m, n), normal(seed + 1, m, n)
    check_vjp(
        lambda B: elementwise_product(A, B),
        lambda dC: elementwise_product_backward(A, B, dC)[1],
        B,
    )


@given(m=dims, n=dims, seed=seeds)
def test_gradients_have_the_shapes_of_the_inputs(m, n, seed):
    A, B, dC = normal(seed, m, n), normal(seed + 1, m, n), normal(seed + 2, m, n)
    dA, dB = elementwise_product_backward(A, B, dC)
    assert dA.shape == A.shape and dB.shape == B.shape


def test_forward_multiplies_entry_by_entry_not_as_matrices():
    A = np.array([[1.0, 2.0], [3.0, 4.0]])
    B = np.array([[5.0, 6.0], [7.0, 8.0]])
    np.testing.assert_array_equal(elementwise_product(A, B), [[5, 12], [21, 32]])


def test_forward_rejects_matrices_of_different_shapes():
    with pytest.raises(ValueError, match="same shape|one shape"):
        elementwise_product(np.ones((2, 3)), np.ones((1, 3)))
