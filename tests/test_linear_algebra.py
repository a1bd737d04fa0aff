"""Inverse, solve, determinant, trace, norms, quadratic form (docs/linear-algebra.md).

The matrices are well conditioned on purpose: A = Q + n I with Q standard normal is
diagonally dominant enough that central differences stay accurate.
"""

import numpy as np
import pytest
from hypothesis import given

from helpers import dims, normal, seeds
from snippets.gradcheck import check_gradient, check_vjp
from snippets.linear_algebra import (
    determinant,
    determinant_backward,
    frobenius_norm,
    frobenius_norm_backward,
    half_squared_norm,
    half_squared_norm_backward,
    inverse,
    inverse_backward,
    inverse_quadratic_form,
    inverse_quadratic_form_backward,
    log_abs_determinant,
    log_abs_determinant_backward,
    solve,
    solve_backward,
    trace,
    trace_backward,
)


def well_conditioned(seed, n):
    """A random n x n matrix far from singular: Q + n I."""
    return normal(seed, n, n) + n * np.eye(n)


def number(seed):
    """A random upstream gradient for a scalar output."""
    return float(normal(seed, 1)[0])


@given(n=dims, seed=seeds)
def test_inverse_matches_central_differences(n, seed):
    A, dY = well_conditioned(seed, n), normal(seed + 1, n, n)
    check_gradient(lambda A: np.sum(dY * inverse(A)), A, inverse_backward(A, dY))


@given(n=dims, seed=seeds)
def test_inverse_passes_dot_product_test(n, seed):
    A = well_conditioned(seed, n)
    check_vjp(inverse, lambda dY: inverse_backward(A, dY), A)


@given(n=dims, k=dims, seed=seeds)
def test_solve_with_a_matrix_matches_central_differences(n, k, seed):
    A, B, dX = well_conditioned(seed, n), normal(seed + 1, n, k), normal(seed + 2, n, k)
    dA, dB = solve_backward(A, B, dX)
    check_gradient(lambda A: np.sum(dX * solve(A, B)), A, dA)
    check_gradient(lambda B: np.sum(dX * solve(A, B)), B, dB)


@given(n=dims, seed=seeds)
def test_solve_with_a_vector_matches_central_differences(n, seed):
    A, b, dx = well_conditioned(seed, n), normal(seed + 1, n), normal(seed + 2, n)
    dA, db = solve_backward(A, b, dx)
    check_gradient(lambda A: np.sum(dx * solve(A, b)), A, dA)
    check_gradient(lambda b: np.sum(dx * solve(A, b)), b, db)


@given(n=dims, k=dims, seed=seeds)
def test_solve_passes_dot_product_test(n, k, seed):
    A, B = well_conditioned(seed, n), normal(seed + 1, n, k)
    check_vjp(lambda A: solve(A, B), lambda dX: solve_backward(A, B, dX)[0], A)
    check_vjp(lambda B: solve(A, B), lambda dX: solve_backward(A, B, dX)[1], B)


@given(n=dims, seed=seeds)
def test_solve_agrees_with_the_inverse(n, seed):
    A, b = well_conditioned(seed, n), normal(seed + 1, n)
    np.testing.assert_allclose(solve(A, b), inverse(A) @ b, rtol=1e-10, atol=1e-12)


@given(n=dims, seed=seeds)
def test_determinant_matches_central_differences(n, seed):
    A, ds = well_conditioned(seed, n), number(seed + 1)
    A[0] *= -1  # a negative determinant too
    check_gradient(lambda A: ds * determinant(A), A, determinant_backward(A, ds))


@given(n=dims, seed=seeds)
def test_log_abs_determinant_matches_central_differences(n, seed):
    A, dg = well_conditioned(seed, n), number(seed + 1)
    A[0] *= -1  # log|det A| also for det A < 0
    grad = log_abs_determinant_backward(A, dg)
    check_gradient(lambda A: dg * log_abs_determinant(A), A, grad)


@given(n=dims, seed=seeds)
def test_log_abs_determinant_is_log_of_abs_det(n, seed):
    A = well_conditioned(seed, n)
    A[0] *= -1
    expected = np.log(abs(determinant(A)))
    np.testing.assert_allclose(log_abs_determinant(A), expected, rtol=1e-10)


@given(n=dims, seed=seeds)
def test_trace_matches_central_differences(n, seed):
    A, dt = normal(seed, n, n), number(seed + 1)
    check_gradient(lambda A: dt * trace(A), A, trace_backward(A, dt))


@given(m=dims, n=dims, seed=seeds)
def test_frobenius_norm_matches_central_differences(m, n, seed):
    X, dr = normal(seed, m, n), number(seed + 1)
    check_gradient(lambda X: dr * frobenius_norm(X), X, frobenius_norm_backward(X, dr))


@given(n=dims, seed=seeds)
def test_vector_norm_matches_central_differences(n, seed):
    x, dr = normal(seed, n), number(seed + 1)
    np.testing.assert_allclose(frobenius_norm(x), np.linalg.norm(x), rtol=1e-12)
    check_gradient(lambda x: dr * frobenius_norm(x), x, frobenius_norm_backward(x, dr))


@given(m=dims, n=dims, seed=seeds)
def test_frobenius_norm_is_numpys_fro_norm(m, n, seed):
    X = normal(seed, m, n)
    np.testing.assert_allclose(frobenius_norm(X), np.linalg.norm(X, "fro"), rtol=1e-12)


@given(m=dims, n=dims, seed=seeds)
def test_half_squared_norm_matches_central_differences(m, n, seed):
    X, dr = normal(seed, m, n), number(seed + 1)
    grad = half_squared_norm_backward(X, dr)
    check_gradient(lambda X: dr * half_squared_norm(X), X, grad)


@given(n=dims, seed=seeds)
def test_inverse_quadratic_form_matches_central_differences(n, seed):
    x, A, dq = normal(seed, n), well_conditioned(seed + 1, n), number(seed + 2)
    dx, dA = inverse_quadratic_form_backward(x, A, dq)
    check_gradient(lambda x: dq * inverse_quadratic_form(x, A), x, dx)
    check_gradient(lambda A: dq * inverse_quadratic_form(x, A), A, dA)


# --- Bad input gets an error that names the problem ----------------------------------

SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])  # row 2 = 2 * row 1


@pytest.mark.parametrize("function", [inverse, log_abs_determinant])
def test_a_singular_matrix_is_refused(function):
    with pytest.raises(ValueError, match="A is singular or nearly so"):
        function(SINGULAR)


def test_solve_refuses_a_singular_matrix():
    with pytest.raises(ValueError, match="A is singular or nearly so"):
        solve(SINGULAR, np.ones(2))


def test_determinant_of_a_singular_matrix_is_zero_but_its_backward_refuses():
    assert determinant(SINGULAR) == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ValueError, match="A is singular or nearly so"):
        determinant_backward(SINGULAR, 1.0)


@pytest.mark.parametrize("function", [inverse, determinant, log_abs_determinant, trace])
def test_a_non_square_matrix_is_refused(function):
    with pytest.raises(ValueError, match=r"A has shape \(2, 3\); it must be square"):
        function(np.ones((2, 3)))


def test_a_vector_is_not_a_square_matrix():
    with pytest.raises(ValueError, match=r"A has shape \(3,\); it must be square"):
        inverse(np.ones(3))


def test_solve_refuses_a_right_hand_side_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"B has shape \(3,\) .* B must have 2 rows"):
        solve(np.eye(2), np.ones(3))


def test_inverse_quadratic_form_refuses_x_of_the_wrong_length():
    with pytest.raises(ValueError, match="x must be a vector of length 2"):
        inverse_quadratic_form(np.ones(3), np.eye(2))


def test_the_norm_has_no_gradient_at_zero():
    with pytest.raises(ValueError, match="X is all zeros"):
        frobenius_norm_backward(np.zeros((2, 2)), 1.0)
