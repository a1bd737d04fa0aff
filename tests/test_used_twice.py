"""A variable used twice: x^T A x, A A^T, X * X and tied weights (docs/used-twice.md)."""

import numpy as np
import pytest
from hypothesis import given

from helpers import dims, normal, seeds
from snippets.gradcheck import check_gradient, check_vjp
from snippets.matrix_product import matmul_backward
from snippets.used_twice import (
    gram,
    gram_backward,
    quadratic_form,
    quadratic_form_backward,
    square,
    square_backward,
    tied,
    tied_backward,
)


def upstream(seed):
    """A random upstream gradient dq for a scalar output: any number, not just 1."""
    return float(normal(seed, 1)[0])


@given(n=dims, seed=seeds)
def test_quadratic_form_dx_matches_central_differences(n, seed):
    x, A, dq = normal(seed, n), normal(seed + 1, n, n), upstream(seed + 2)
    dx, _ = quadratic_form_backward(x, A, dq)
    check_gradient(lambda x: dq * quadratic_form(x, A), x, dx)


@given(n=dims, seed=seeds)
def test_quadratic_form_dA_matches_central_differences(n, seed):
    x, A, dq = normal(seed, n), normal(seed + 1, n, n), upstream(seed + 2)
    _, dA = quadratic_form_backward(x, A, dq)
    check_gradient(lambda A: dq * quadratic_form(x, A), A, dA)


@given(n=dims, seed=seeds)
def test_quadratic_form_of_a_symmetric_matrix_has_dx_twice_A_x(n, seed):
    x, M = normal(seed, n), normal(seed + 1, n, n)
    S = M + M.T
    dx, _ = quadratic_form_backward(x, S, 1.0)
    np.testing.assert_allclose(dx, 2 * S @ x, rtol=1e-12, atol=1e-12)


@given(m=dims, n=dims, seed=seeds)
def test_gram_matches_central_differences(m, n, seed):
    A, dC = normal(seed, m, n), normal(seed + 1, m, m)
    check_gradient(lambda A: np.sum(dC * gram(A)), A, gram_backward(A, dC))


@given(m=dims, n=dims, seed=seeds)
def test_gram_passes_dot_product_test(m, n, seed):
    A = normal(seed, m, n)
    check_vjp(gram, lambda dC: gram_backward(A, dC), A)


@given(m=dims, n=dims, seed=seeds)
def test_gram_gradient_is_the_sum_of_the_two_uses(m, n, seed):
    # Treat C = A A^T as the product of two independent matrices A and B = A^T:
    # the matrix product's own gradients, the second transposed back, add up to dA
    A, dC = normal(seed, m, n), normal(seed + 1, m, m)
    from_left, from_right = matmul_backward(A, A.T, dC)
    np.testing.assert_allclose(gram_backward(A, dC), from_left + from_right.T,
                               rtol=1e-12, atol=1e-12)


@given(m=dims, n=dims, seed=seeds)
def test_square_matches_central_differences(m, n, seed):
    X, dY = normal(seed, m, n), normal(seed + 1, m, n)
    check_gradient(lambda X: np.sum(dY * square(X)), X, square_backward(X, dY))


@given(m=dims, n=dims, seed=seeds)
def test_square_passes_dot_product_test(m, n, seed):
    X = normal(seed, m, n)
    check_vjp(square, lambda dY: square_backward(X, dY), X)


@given(N=dims, n=dims, k=dims, seed=seeds)
def test_tied_dW_matches_central_differences(N, n, k, seed):
    X, W, dY = normal(seed, N, n), normal(seed + 1, n, k), normal(seed + 2, N, n)
    _, dW = tied_backward(X, W, dY)
    check_gradient(lambda W: np.sum(dY * tied(X, W)), W, dW)


@given(N=dims, n=dims, k=dims, seed=seeds)
def test_tied_dX_matches_central_differences(N, n, k, seed):
    X, W, dY = normal(seed, N, n), normal(seed + 1, n, k), normal(seed + 2, N, n)
    dX, _ = tied_backward(X, W, dY)
    check_gradient(lambda X: np.sum(dY * tied(X, W)), X, dX)


@given(N=dims, n=dims, k=dims, seed=seeds)
def test_tied_passes_dot_product_test(N, n, k, seed):
    X, W = normal(seed, N, n), normal(seed + 1, n, k)
    check_vjp(lambda W: tied(X, W), lambda dY: tied_backward(X, W, dY)[1], W)
    check_vjp(lambda X: tied(X, W), lambda dY: tied_backward(X, W, dY)[0], X)


@given(N=dims, n=dims, k=dims, seed=seeds)
def test_one_use_alone_is_not_the_gradient(N, n, k, seed):
    # Either half of dW misses the other path: the check must reject it
    X, W, dY = normal(seed, N, n), normal(seed + 1, n, k), normal(seed + 2, N, n)
    encoder_only = X.T @ (dY @ W)
    with pytest.raises(AssertionError, match="gradient check failed"):
        check_gradient(lambda W: np.sum(dY * tied(X, W)), W, encoder_only)


def test_quadratic_form_refuses_a_non_square_matrix():
    with pytest.raises(ValueError, match=r"needs x of shape \(n,\) and A of shape"):
        quadratic_form(np.ones(2), np.ones((2, 3)))


def test_gram_refuses_a_vector():
    with pytest.raises(ValueError, match=r"A has shape \(3,\); A A\^T needs a matrix"):
        gram(np.ones(3))


def test_tied_refuses_mismatched_shapes():
    with pytest.raises(ValueError, match=r"needs X of shape \(N, n\) and W"):
        tied(np.ones((4, 3)), np.ones((2, 2)))
