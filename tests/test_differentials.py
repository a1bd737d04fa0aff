"""The rules of differentials and the trace moves of docs/differentials.md.

`differential` measures the first-order change of a function along given changes of
its inputs (central differences), so each rule is checked against the function itself.
"""

import numpy as np
import pytest
from hypothesis import given

from helpers import dims, normal, seeds
from snippets.differentials import (
    differential,
    gradient_from_differential,
    trace_inner,
    trace_of_product,
)
from snippets.gradcheck import check_gradient

# The rules are exact for products (central differences of a bilinear map have no
# truncation error) and second order in the step for tanh: both far below this.
TOL = dict(rtol=1e-7, atol=1e-9)


@given(m=dims, n=dims, p=dims, seed=seeds)
def test_product_rule(m, n, p, seed):
    A, B = normal(seed, m, n), normal(seed + 1, n, p)
    dA_, dB_ = normal(seed + 2, m, n), normal(seed + 3, n, p)  # the changes
    change = differential(lambda A, B: A @ B, (A, B), (dA_, dB_))
    np.testing.assert_allclose(change, dA_ @ B + A @ dB_, **TOL)


@given(m=dims, n=dims, seed=seeds)
def test_transpose_rule(m, n, seed):
    A, change_of_A = normal(seed, m, n), normal(seed + 1, m, n)
    change = differential(lambda A: A.T, (A,), (change_of_A,))
    np.testing.assert_allclose(change, change_of_A.T, **TOL)


@given(m=dims, n=dims, seed=seeds)
def test_elementwise_product_rule(m, n, seed):
    A, B = normal(seed, m, n), normal(seed + 1, m, n)
    dA_, dB_ = normal(seed + 2, m, n), normal(seed + 3, m, n)
    change = differential(lambda A, B: A * B, (A, B), (dA_, dB_))
    np.testing.assert_allclose(change, dA_ * B + A * dB_, **TOL)


@given(m=dims, n=dims, seed=seeds)
def test_elementwise_function_rule(m, n, seed):
    X, change_of_X = normal(seed, m, n), normal(seed + 1, m, n)
    change = differential(np.tanh, (X,), (change_of_X,))
    np.testing.assert_allclose(change, (1 - np.tanh(X) ** 2) * change_of_X, **TOL)


@given(m=dims, n=dims, seed=seeds)
def test_change_of_the_loss_is_the_trace_of_gradient_and_change(m, n, seed):
    X, change_of_X = normal(seed, m, n), normal(seed + 1, m, n)
    W = normal(seed + 2, m, n)

    def loss(X):
        return np.sum(W * np.sin(X))  # its gradient is W * cos(X)

    change = differential(loss, (X,), (change_of_X,))
    np.testing.assert_allclose(change, trace_inner(W * np.cos(X), change_of_X), **TOL)


@given(m=dims, n=dims, seed=seeds)
def test_trace_of_a_product_is_cyclic(m, n, seed):
    A, B = normal(seed, m, n), normal(seed + 1, n, m)
    np.testing.assert_allclose(trace_of_product(A, B), np.trace(A @ B), **TOL)
    np.testing.assert_allclose(trace_of_product(B, A), np.trace(A @ B), **TOL)


@given(m=dims, n=dims, seed=seeds)
def test_trace_inner_is_the_trace_of_the_transpose_product(m, n, seed):
    P, Q = normal(seed, m, n), normal(seed + 1, m, n)
    np.testing.assert_allclose(trace_inner(P, Q), np.trace(P.T @ Q), **TOL)


@given(m=dims, n=dims, seed=seeds)
def test_an_elementwise_factor_moves_across_the_trace(m, n, seed):
    A, B, C = normal(seed, m, n), normal(seed + 1, m, n), normal(seed + 2, m, n)
    left = np.trace(A.T @ (B * C))
    np.testing.assert_allclose(trace_inner(A * B, C), left, **TOL)


@given(m=dims, n=dims, p=dims, seed=seeds)
def test_matrix_product_gradients_read_off_the_differential(m, n, p, seed):
    A, B, dC = normal(seed, m, n), normal(seed + 1, n, p), normal(seed + 2, m, p)
    # Delta L = tr(dC^T Delta C), with Delta C = Delta A B (A moves) or A Delta B
    dA = gradient_from_differential(lambda change: trace_inner(dC, change @ B), A.shape)
    dB = gradient_from_differential(lambda change: trace_inner(dC, A @ change), B.shape)
    np.testing.assert_allclose(dA, dC @ B.T, **TOL)
    np.testing.assert_allclose(dB, A.T @ dC, **TOL)
    check_gradient(lambda A: np.sum(dC * (A @ B)), A, dA)


@given(m=dims, n=dims, seed=seeds)
def test_elementwise_function_gradient_read_off_the_differential(m, n, seed):
    X, dY = normal(seed, m, n), normal(seed + 1, m, n)
    slope = 1 - np.tanh(X) ** 2
    dX = gradient_from_differential(lambda change: trace_inner(dY, slope * change),
                                    X.shape)
    check_gradient(lambda X: np.sum(dY * np.tanh(X)), X, dX)


def test_a_change_of_the_wrong_shape_is_refused():
    with pytest.raises(ValueError, match=r"input 0 has shape \(2, 3\) but its change"):
        differential(np.tanh, (np.ones((2, 3)),), (np.ones((3, 2)),))


def test_one_change_per_input_is_required():
    with pytest.raises(ValueError, match="got 2 inputs but 1 changes"):
        differential(np.multiply, (np.ones(2), np.ones(2)), (np.ones(2),))


def test_trace_of_product_refuses_shapes_whose_product_is_not_square():
    with pytest.raises(ValueError, match=r"tr\(AB\) needs A of shape \(m, n\)"):
        trace_of_product(np.ones((2, 3)), np.ones((2, 3)))


def test_trace_inner_refuses_two_shapes():
    with pytest.raises(ValueError, match=r"P has shape \(2, 3\) but Q has shape"):
        trace_inner(np.ones((2, 3)), np.ones((3, 2)))
