"""Sum, mean, max, transpose, reshape and broadcasting: their gradients route dY back."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import dims, normal, seeds
from snippets.gradcheck import check_gradient, check_vjp, numerical_gradient
from snippets.reductions import (
    max_axis,
    max_axis_backward,
    mean_axis,
    mean_axis_backward,
    reshape,
    reshape_backward,
    sum_axis,
    sum_axis_backward,
    transpose,
    transpose_backward,
    unbroadcast,
)

#: A shape of one to three axes, each of length 1 to 5.
shapes = st.lists(dims, min_size=1, max_size=3).map(tuple)


def upstream(seed, X, forward):
    """Return a random upstream gradient with the shape of forward(X)."""
    return normal(seed, *np.shape(forward(X)))


# Sum and mean along an axis


@given(shape=shapes, keepdims=st.booleans(), seed=seeds, data=st.data())
def test_sum_backward_matches_central_differences(shape, keepdims, seed, data):
    axis = data.draw(st.integers(0, len(shape) - 1))
    X = normal(seed, *shape)
    dY = upstream(seed + 1, X, lambda X: sum_axis(X, axis, keepdims))
    dX = sum_axis_backward(X, dY, axis, keepdims)
    check_gradient(lambda X: np.sum(dY * sum_axis(X, axis, keepdims)), X, dX)


@given(shape=shapes, keepdims=st.booleans(), seed=seeds, data=st.data())
def test_sum_backward_passes_the_dot_product_test(shape, keepdims, seed, data):
    axis = data.draw(st.integers(0, len(shape) - 1))
    X = normal(seed, *shape)
    check_vjp(
        lambda X: sum_axis(X, axis, keepdims),
        lambda dY: sum_axis_backward(X, dY, axis, keepdims),
        X,
    )


def test_sum_backward_copies_each_row_gradient_along_its_row_even_when_square():
    # Broadcasting dY of shape (3,) against (3, 3) directly would fill columns instead.
    X, dY = normal(0, 3, 3), np.array([1.0, 2.0, 3.0])
    dX = sum_axis_backward(X, dY, axis=1)
    np.testing.assert_array_equal(dX, [[1.0] * 3, [2.0] * 3, [3.0] * 3])


@given(shape=shapes, keepdims=st.booleans(), seed=seeds, data=st.data())
def test_mean_backward_matches_central_differences(shape, keepdims, seed, data):
    axis = data.draw(st.integers(0, len(shape) - 1))
    X = normal(seed, *shape)
    dY = upstream(seed + 1, X, lambda X: mean_axis(X, axis, keepdims))
    dX = mean_axis_backward(X, dY, axis, keepdims)
    check_gradient(lambda X: np.sum(dY * mean_axis(X, axis, keepdims)), X, dX)


@given(shape=shapes, keepdims=st.booleans(), seed=seeds, data=st.data())
def test_mean_backward_passes_the_dot_product_test(shape, keepdims, seed, data):
    axis = data.draw(st.integers(0, len(shape) - 1))
    X = normal(seed, *shape)
    check_vjp(
        lambda X: mean_axis(X, axis, keepdims),
        lambda dY: mean_axis_backward(X, dY, axis, keepdims),
        X,
    )


def test_mean_backward_divides_by_the_length_of_the_reduced_axis():
    X, dY = normal(0, 2, 4), np.array([4.0, 8.0])
    np.testing.assert_array_equal(mean_axis_backward(X, dY, axis=1), [[1.0] * 4, [2.0] * 4])


# Max along an axis


@given(shape=shapes, keepdims=st.booleans(), seed=seeds, data=st.data())
def test_max_backward_matches_central_differences_without_ties(shape, keepdims, seed, data):
    axis = data.draw(st.integers(0, len(shape) - 1))
    X = normal(seed, *shape)  # continuous draws: ties have probability zero
    dY = upstream(seed + 1, X, lambda X: max_axis(X, axis, keepdims))
    dX = max_axis_backward(X, dY, axis, keepdims)
    check_gradient(lambda X: np.sum(dY * max_axis(X, axis, keepdims)), X, dX)


@given(shape=shapes, keepdims=st.booleans(), seed=seeds, data=st.data())
def test_max_backward_passes_the_dot_product_test_without_ties(shape, keepdims, seed, data):
    axis = data.draw(st.integers(0, len(shape) - 1))
    X = normal(seed, *shape)
    check_vjp(
        lambda X: max_axis(X, axis, keepdims),
        lambda dY: max_axis_backward(X, dY, axis, keepdims),
        X,
    )


def test_max_backward_sends_everything_to_the_single_maximum():
    X = np.array([[1.0, 5.0, 2.0], [7.0, 0.0, 3.0]])
    dX = max_axis_backward(X, np.array([10.0, 20.0]), axis=1)
    np.testing.assert_array_equal(dX, [[0.0, 10.0, 0.0], [20.0, 0.0, 0.0]])


def test_max_backward_splits_evenly_among_tied_maxima():
    X = np.array([[3.0, 1.0, 3.0], [2.0, 2.0, 2.0], [0.0, 4.0, 1.0]])
    dX = max_axis_backward(X, np.array([6.0, 3.0, 5.0]), axis=1)
    np.testing.assert_array_equal(dX, [[3.0, 0.0, 3.0], [1.0, 1.0, 1.0], [0.0, 5.0, 0.0]])


def test_max_backward_splits_ties_along_axis_0_and_with_keepdims():
    X = np.array([[3.0, 1.0], [3.0, 2.0]])
    dX = max_axis_backward(X, np.array([[4.0, 6.0]]), axis=0, keepdims=True)
    np.testing.assert_array_equal(dX, [[2.0, 0.0], [2.0, 6.0]])


@given(seed=seeds)
def test_max_tie_split_is_a_subgradient(seed):
    # At x = (1, 1, 1, 0) the max moves, to first order, by the largest tied step.
    x = np.array([[1.0, 1.0, 1.0, 0.0]])
    g = max_axis_backward(x, np.array([1.0]), axis=1)
    v = normal(seed, 1, 4)
    t = 1e-8
    one_sided = (max_axis(x + t * v, axis=1)[0] - max_axis(x, axis=1)[0]) / t
    np.testing.assert_allclose(one_sided, v[0, :3].max(), atol=1e-6)
    assert np.sum(g * v) <= one_sided + 1e-6  # g . v never exceeds the true rate


def test_central_differences_at_a_tie_are_not_a_gradient():
    x = np.array([1.0, 1.0, 1.0])
    numerical = numerical_gradient(lambda x: x.max(), x)
    np.testing.assert_allclose(numerical, [0.5, 0.5, 0.5])
    # Moving all three by t moves the max by t, so a gradient must sum to 1, not 1.5.
    np.testing.assert_allclose(numerical.sum(), 1.5)
    split = max_axis_backward(x[None, :], np.array([1.0]), axis=1)
    np.testing.assert_allclose(split.sum(), 1.0)


# Transpose and reshape


@st.composite
def transpose_axes(draw, ndim):
    """Draw what np.transpose accepts for ndim axes: None, or a permutation in which
    each axis may be written as its negative alias (-1 for the last axis)."""
    if draw(st.booleans()):
        return None
    permutation = draw(st.permutations(range(ndim)))
    return tuple(a - ndim if draw(st.booleans()) else a for a in permutation)


@given(shape=st.lists(dims, min_size=1, max_size=4).map(tuple), seed=seeds, data=st.data())
def test_transpose_backward_passes_the_dot_product_test(shape, seed, data):
    axes = data.draw(transpose_axes(len(shape)))
    X = normal(seed, *shape)
    check_vjp(lambda X: transpose(X, axes), lambda dY: transpose_backward(dY, axes), X)


@given(shape=st.lists(dims, min_size=1, max_size=3).map(tuple), seed=seeds, data=st.data())
def test_transpose_backward_matches_central_differences(shape, seed, data):
    axes = data.draw(transpose_axes(len(shape)))
    X = normal(seed, *shape)
    dY = upstream(seed + 1, X, lambda X: transpose(X, axes))
    dX = transpose_backward(dY, axes)
    check_gradient(lambda X: np.sum(dY * transpose(X, axes)), X, dX)


def test_transpose_backward_reads_negative_axes_as_numpy_does():
    # np.transpose reads -1 as the last axis: (-1, 0) is (1, 0) for a matrix
    X = normal(0, 2, 3)
    dY = normal(1, *transpose(X, (-1, 0)).shape)  # 3 x 2
    dX = transpose_backward(dY, (-1, 0))
    assert dX.shape == X.shape
    np.testing.assert_array_equal(dX, dY.T)


def test_transpose_backward_rejects_axes_that_are_not_a_permutation():
    dY = normal(0, 3, 2)
    for axes in [(0, 0), (0,), (0, 1, 2), (0, 2), (0, -3), (1, -1)]:
        with pytest.raises(ValueError, match="not a permutation"):
            transpose_backward(dY, axes)


@given(m=dims, n=dims, seed=seeds)
def test_transpose_backward_of_a_matrix_is_the_transpose(m, n, seed):
    X, dY = normal(seed, m, n), normal(seed + 1, n, m)
    np.testing.assert_array_equal(transpose_backward(dY), dY.T)
    check_gradient(lambda X: np.sum(dY * transpose(X)), X, transpose_backward(dY))


@given(a=dims, b=dims, c=dims, seed=seeds, data=st.data())
def test_reshape_backward_passes_the_dot_product_test(a, b, c, seed, data):
    new_shape = data.draw(st.sampled_from([(a * b * c,), (c, a * b), (b, c, a), (-1, 1)]))
    X = normal(seed, a, b, c)
    check_vjp(lambda X: reshape(X, new_shape), lambda dY: reshape_backward(X, dY), X)


def test_reshape_backward_is_not_a_transpose():
    X = np.arange(6.0).reshape(2, 3)
    dY = np.arange(6.0).reshape(3, 2)
    np.testing.assert_array_equal(reshape_backward(X, dY), [[0, 1, 2], [3, 4, 5]])
    assert not np.array_equal(reshape_backward(X, dY), dY.T)


# Broadcasting


@st.composite
def broadcast_pairs(draw):
    """Draw (shape, out): shape broadcasts to out, with dropped and stretched axes."""
    out = tuple(draw(st.lists(dims, min_size=1, max_size=4)))
    kept = draw(st.integers(0, len(out)))  # trailing axes that X keeps
    shape = tuple(n if draw(st.booleans()) else 1 for n in out[len(out) - kept :])
    return shape, out


@given(pair=broadcast_pairs(), seed=seeds)
def test_unbroadcast_returns_the_shape_asked_for(pair, seed):
    shape, out = pair
    dX = unbroadcast(normal(seed, *out), shape)
    assert isinstance(dX, np.ndarray) and dX.shape == shape


@given(pair=broadcast_pairs(), seed=seeds)
def test_unbroadcast_is_the_gradient_of_broadcasting(pair, seed):
    shape, out = pair
    X, dY = normal(seed, *shape), normal(seed + 1, *out)
    dX = unbroadcast(dY, shape)
    check_gradient(lambda X: np.sum(dY * np.broadcast_to(X, out)), X, dX)


@given(pair=broadcast_pairs(), seed=seeds)
def test_unbroadcast_passes_the_dot_product_test(pair, seed):
    shape, out = pair
    X = normal(seed, *shape)
    check_vjp(lambda X: np.broadcast_to(X, out), lambda dY: unbroadcast(dY, shape), X)


@given(N=dims, n_out=dims, seed=seeds)
def test_unbroadcast_of_a_bias_is_a_sum_over_samples(N, n_out, seed):
    dY = normal(seed, N, n_out)
    np.testing.assert_allclose(unbroadcast(dY, (n_out,)), dY.sum(axis=0))  # rows
    np.testing.assert_allclose(
        unbroadcast(dY.T, (n_out, 1)), dY.T.sum(axis=1, keepdims=True)  # columns
    )


def test_unbroadcast_sums_a_stretched_middle_axis():
    dY = np.ones((2, 5, 3))
    np.testing.assert_array_equal(unbroadcast(dY, (2, 1, 3)), np.full((2, 1, 3), 5.0))
    np.testing.assert_array_equal(unbroadcast(dY, (1, 3)), np.full((1, 3), 10.0))
    np.testing.assert_array_equal(unbroadcast(dY, ()), np.array(30.0))
