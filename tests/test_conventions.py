"""Layouts and batch conventions: the same derivatives, laid out three ways."""

import numpy as np
import pytest
from hypothesis import given

from helpers import dims, normal, seeds
from snippets.conventions import (
    jacobian,
    matvec,
    matvec_backward,
    matvec_jacobian,
    vjp,
    weight_grad_columns,
    weight_grad_rows,
)
from snippets.gradcheck import check_gradient, check_vjp


@given(m=dims, n=dims, seed=seeds)
def test_numerical_jacobian_of_a_matvec_is_A(m, n, seed):
    A, x = normal(seed, m, n), normal(seed + 1, n)
    J = jacobian(lambda x: matvec(A, x), x)
    assert J.shape == (m, n)
    np.testing.assert_allclose(J, A, atol=1e-8)


@given(m=dims, n=dims, seed=seeds)
def test_numerator_layout_is_the_measured_jacobian(m, n, seed):
    A, x = normal(seed, m, n), normal(seed + 1, n)
    J = jacobian(lambda x: matvec(A, x), x)
    np.testing.assert_allclose(matvec_jacobian(A, "numerator"), J, atol=1e-8)


@given(m=dims, n=dims, seed=seeds)
def test_denominator_layout_is_the_transpose_of_numerator_layout(m, n, seed):
    A = normal(seed, m, n)
    denominator = matvec_jacobian(A, "denominator")
    assert denominator.shape == (n, m)
    np.testing.assert_array_equal(denominator, matvec_jacobian(A, "numerator").T)


def test_an_unknown_layout_is_rejected_by_name():
    with pytest.raises(ValueError, match="layout must be .* got 'mixed'"):
        matvec_jacobian(np.eye(2), "mixed")


@given(m=dims, n=dims, seed=seeds)
def test_matvec_backward_matches_central_differences(m, n, seed):
    A, x, dy = normal(seed, m, n), normal(seed + 1, n), normal(seed + 2, m)
    check_gradient(lambda x: dy @ matvec(A, x), x, matvec_backward(A, dy))


@given(m=dims, n=dims, seed=seeds)
def test_matvec_backward_passes_the_dot_product_test(m, n, seed):
    A, x = normal(seed, m, n), normal(seed + 1, n)
    check_vjp(lambda x: matvec(A, x), lambda dy: matvec_backward(A, dy), x)


@given(m=dims, n=dims, seed=seeds)
def test_vjp_through_the_jacobian_is_the_gradient_shaped_result(m, n, seed):
    A, x, dy = normal(seed, m, n), normal(seed + 1, n), normal(seed + 2, m)
    J = jacobian(lambda x: matvec(A, x), x)
    dx = vjp(J, dy, x.shape)
    assert dx.shape == x.shape
    np.testing.assert_allclose(dx, matvec_backward(A, dy), atol=1e-8)


@given(m=dims, n=dims, N=dims, seed=seeds)
def test_vjp_of_a_flattened_jacobian_gives_a_matrix_gradient(m, n, N, seed):
    W, A, dZ = normal(seed, m, n), normal(seed + 1, n, N), normal(seed + 2, m, N)
    J = jacobian(lambda W: W @ A, W)  # (m * N, m * n): both sides flattened
    np.testing.assert_allclose(vjp(J, dZ, W.shape), dZ @ A.T, atol=1e-8)


@given(n_in=dims, n_out=dims, N=dims, seed=seeds)
def test_weight_grad_columns_matches_central_differences(n_in, n_out, N, seed):
    W, A = normal(seed, n_out, n_in), normal(seed + 1, n_in, N)
    dZ = normal(seed + 2, n_out, N)
    check_gradient(lambda W: (dZ * (W @ A)).sum(), W, weight_grad_columns(A, dZ))


@given(n_in=dims, n_out=dims, N=dims, seed=seeds)
def test_weight_grad_rows_matches_central_differences(n_in, n_out, N, seed):
    X, W = normal(seed, N, n_in), normal(seed + 1, n_in, n_out)
    dY = normal(seed + 2, N, n_out)
    check_gradient(lambda W: (dY * (X @ W)).sum(), W, weight_grad_rows(X, dY))


@given(n_in=dims, n_out=dims, N=dims, seed=seeds)
def test_weight_grads_pass_the_dot_product_test(n_in, n_out, N, seed):
    A, X = normal(seed, n_in, N), normal(seed + 1, N, n_in)
    W_cols, W_rows = normal(seed + 2, n_out, n_in), normal(seed + 3, n_in, n_out)
    check_vjp(lambda W: W @ A, lambda dZ: weight_grad_columns(A, dZ), W_cols)
    check_vjp(lambda W: X @ W, lambda dY: weight_grad_rows(X, dY), W_rows)


@given(n_in=dims, n_out=dims, N=dims, seed=seeds)
def test_the_batch_conventions_give_transposed_weight_gradients(n_in, n_out, N, seed):
    A, dZ = normal(seed, n_in, N), normal(seed + 1, n_out, N)
    # The same batch with samples as rows: X = A.T, and so dY = dZ.T
    dW_rows, dW_cols = weight_grad_rows(A.T, dZ.T), weight_grad_columns(A, dZ)
    np.testing.assert_allclose(dW_rows, dW_cols.T)
