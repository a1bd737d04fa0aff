"""Softmax as a layer: dZ = P * (dP - <dP, P>) along any axis, and J = diag(p) - p p^T."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import dims, normal, seeds
from snippets.gradcheck import check_gradient, check_vjp
from snippets.losses import one_hot, softmax_cross_entropy_backward
from snippets.losses import softmax as softmax_rows
from snippets.softmax import softmax, softmax_backward, softmax_jacobian

#: A shape of one to three axes, each of length 1 to 5.
shapes = st.lists(dims, min_size=1, max_size=3).map(tuple)


@st.composite
def shape_and_axis(draw):
    """A shape and one of the axes softmax accepts: every index, negative, or None."""
    shape = draw(shapes)
    ndim = len(shape)
    axis = draw(st.one_of(st.integers(-ndim, ndim - 1), st.none()))
    return shape, axis


@given(case=shape_and_axis(), seed=seeds)
def test_dZ_matches_central_differences(case, seed):
    shape, axis = case
    Z, dP = normal(seed, *shape), normal(seed + 1, *shape)
    dZ = softmax_backward(softmax(Z, axis), dP, axis)
    check_gradient(lambda Z: np.sum(dP * softmax(Z, axis)), Z, dZ)


@given(case=shape_and_axis(), seed=seeds)
def test_dZ_passes_dot_product_test(case, seed):
    shape, axis = case
    Z = normal(seed, *shape)
    P = softmax(Z, axis)
    check_vjp(lambda Z: softmax(Z, axis), lambda dP: softmax_backward(P, dP, axis), Z)


@given(case=shape_and_axis(), seed=seeds)
def test_probabilities_are_positive_and_sum_to_one_along_the_axis(case, seed):
    shape, axis = case
    P = softmax(normal(seed, *shape), axis)
    assert np.all(P > 0)
    np.testing.assert_allclose(P.sum(axis=axis), 1.0)


@given(case=shape_and_axis(), seed=seeds)
def test_dZ_sums_to_zero_along_the_axis(case, seed):
    # softmax ignores a constant added along the axis, so the gradient has no part
    # along (1, ..., 1)
    shape, axis = case
    Z, dP = normal(seed, *shape), normal(seed + 1, *shape)
    dZ = softmax_backward(softmax(Z, axis), dP, axis)
    np.testing.assert_allclose(dZ.sum(axis=axis), 0.0, atol=1e-12)


@given(N=dims, K=dims, seed=seeds)
def test_axis_0_is_axis_1_of_the_transpose(N, K, seed):
    Z, dP = normal(seed, N, K), normal(seed + 1, N, K)
    np.testing.assert_allclose(softmax(Z, 0), softmax(Z.T, 1).T)
    dZ = softmax_backward(softmax(Z, 0), dP, 0)
    np.testing.assert_allclose(dZ, softmax_backward(softmax(Z.T), dP.T).T)


@given(K=dims, seed=seeds)
def test_jacobian_matches_central_differences_row_by_row(K, seed):
    z = normal(seed, K)
    J = softmax_jacobian(softmax(z))
    assert J.shape == (K, K)
    for k in range(K):  # row k: how p_k moves when each z_j is nudged
        check_gradient(lambda z: softmax(z)[k], z, J[k].copy())


@given(K=dims, seed=seeds)
def test_jacobian_is_symmetric_and_its_rows_sum_to_zero(K, seed):
    J = softmax_jacobian(softmax(normal(seed, K)))
    np.testing.assert_allclose(J, J.T)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=1e-15)


@given(N=dims, K=dims, seed=seeds)
def test_backward_is_the_jacobian_transposed_times_dp_row_by_row(N, K, seed):
    P, dP = softmax(normal(seed, N, K)), normal(seed + 1, N, K)
    dZ = softmax_backward(P, dP)
    for i in range(N):
        np.testing.assert_allclose(dZ[i], softmax_jacobian(P[i]).T @ dP[i], atol=1e-14)


@given(N=dims, K=dims, seed=seeds)
def test_with_cross_entropy_upstream_it_gives_p_minus_y(N, K, seed):
    Z = normal(seed, N, K)
    y = np.random.default_rng(seed + 1).integers(0, K, size=N)
    P = softmax(Z)
    dP = -one_hot(y, K) / (N * P)  # the gradient of -mean log p_{i, y_i} for P
    expected = softmax_cross_entropy_backward(Z, y)
    np.testing.assert_allclose(softmax_backward(P, dP), expected, atol=1e-14)


@given(N=dims, K=dims, seed=seeds)
def test_rows_agree_with_the_losses_page(N, K, seed):
    Z = normal(seed, N, K)
    np.testing.assert_allclose(softmax(Z), softmax_rows(Z))


def test_large_logits_do_not_overflow():
    Z = np.array([[1000.0, 0.0, -1000.0], [-1000.0, -1000.0, -1000.0]])
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        P = softmax(Z)
        dZ = softmax_backward(P, np.ones_like(P))
    np.testing.assert_allclose(P, [[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]])
    np.testing.assert_allclose(dZ, 0.0, atol=1e-15)  # dP constant along each row


def test_mismatched_shapes_are_named():
    message = r"P has shape \(2, 3\) but dP has shape \(3, 2\)"
    with pytest.raises(ValueError, match=message):
        softmax_backward(np.full((2, 3), 1 / 3), np.ones((3, 2)))


def test_jacobian_wants_one_row():
    with pytest.raises(ValueError, match=r"one row of shape \(K,\), got shape \(2, 3\)"):
        softmax_jacobian(np.full((2, 3), 1 / 3))


def test_an_axis_that_does_not_exist_is_named():
    with pytest.raises(np.exceptions.AxisError, match="axis 2 is out of bounds"):
        softmax(np.zeros((2, 3)), axis=2)
