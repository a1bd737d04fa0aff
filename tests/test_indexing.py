"""Indexing: embedding lookup, gather, concatenate, split, stack and slice.

Every backward pass is checked by central differences and the dot-product test, on
random shapes with dimensions of size 1 and on every axis, negative ones included.
Indices are drawn with repeats on purpose: a repeated index is where a wrong scatter
loses gradient.
"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import dims, normal, seeds
from snippets.gradcheck import check_gradient, check_vjp
from snippets.indexing import (
    concatenate_backward,
    embedding,
    embedding_backward,
    gather,
    gather_backward,
    slice_backward,
    split_backward,
    stack_backward,
)

#: every axis of a 3-D array, written both ways
axes = st.integers(min_value=-3, max_value=2)


def ids_for(seed, V, *shape):
    """Integer ids in [0, V), drawn with repeats."""
    return np.random.default_rng(seed).integers(0, V, size=shape)


# --- Embedding ------------------------------------------------------------------------


@given(V=dims, D=dims, T=dims, seed=seeds)
def test_embedding_dW_matches_central_differences(V, D, T, seed):
    W, ids, dY = normal(seed, V, D), ids_for(seed + 1, V, T), normal(seed + 2, T, D)
    dW = embedding_backward(W, ids, dY)
    check_gradient(lambda W: (dY * embedding(W, ids)).sum(), W, dW)


@given(V=dims, D=dims, B=dims, T=dims, seed=seeds)
def test_embedding_of_a_batch_of_sequences_passes_dot_product_test(V, D, B, T, seed):
    W, ids = normal(seed, V, D), ids_for(seed + 1, V, B, T)  # ids (B, T) -> Y (B, T, D)
    check_vjp(lambda W: embedding(W, ids), lambda dY: embedding_backward(W, ids, dY), W)


@given(V=dims, D=dims, T=dims, seed=seeds)
def test_embedding_is_a_product_with_one_hot_rows(V, D, T, seed):
    # the result box: Y = S W and dW = S^T dY, with S the one-hot rows of ids
    W, ids, dY = normal(seed, V, D), ids_for(seed + 1, V, T), normal(seed + 2, T, D)
    S = np.eye(V)[ids]
    np.testing.assert_allclose(embedding(W, ids), S @ W)
    np.testing.assert_allclose(embedding_backward(W, ids, dY), S.T @ dY, atol=1e-12)


def test_a_buffered_scatter_loses_the_gradient_of_a_repeated_id():
    W, dY = np.zeros((3, 2)), np.ones((3, 2))
    ids = np.array([2, 0, 2])  # row 2 is read twice
    wrong = np.zeros_like(W)
    wrong[ids] += dY  # numpy writes row 2 twice, the second write wins
    np.testing.assert_array_equal(wrong[2], [1.0, 1.0])
    np.testing.assert_array_equal(embedding_backward(W, ids, dY)[2], [2.0, 2.0])


@pytest.mark.parametrize("bad", [[0, 3], [-1, 0]])
def test_embedding_rejects_ids_out_of_range(bad):
    with pytest.raises(IndexError, match=r"out of range: ids must lie in \[0, 3\)"):
        embedding(np.zeros((3, 2)), np.array(bad))
    with pytest.raises(IndexError, match="out of range"):
        embedding_backward(np.zeros((3, 2)), np.array(bad), np.zeros((2, 2)))


def test_embedding_rejects_ids_that_are_not_integers():
    with pytest.raises(TypeError, match="ids must be integers, got dtype float64"):
        embedding(np.zeros((3, 2)), np.array([0.0, 1.0]))
    with pytest.raises(TypeError, match="ids must be integers"):
        embedding_backward(np.zeros((3, 2)), np.array([0.0]), np.zeros((1, 2)))


# --- Gather along any axis ------------------------------------------------------------


@given(shape=st.tuples(dims, dims, dims), k=dims, axis=axes, seed=seeds)
def test_gather_dX_matches_central_differences(shape, k, axis, seed):
    X, idx = normal(seed, *shape), ids_for(seed + 1, shape[axis], k)
    dY = normal(seed + 2, *gather(X, idx, axis).shape)
    dX = gather_backward(X, idx, axis, dY)
    check_gradient(lambda X: (dY * gather(X, idx, axis)).sum(), X, dX)


@given(shape=st.tuples(dims, dims, dims), k=dims, axis=axes, seed=seeds)
def test_gather_dX_passes_dot_product_test(shape, k, axis, seed):
    X, idx = normal(seed, *shape), ids_for(seed + 1, shape[axis], k)
    check_vjp(
        lambda X: gather(X, idx, axis), lambda dY: gather_backward(X, idx, axis, dY), X
    )


def test_gather_rejects_an_index_out_of_range():
    with pytest.raises(IndexError, match=r"ids must lie in \[0, 4\)"):
        gather(np.zeros((2, 4)), np.array([4]), axis=-1)


# --- Concatenate, split, stack, slice -------------------------------------------------


@given(shape=st.tuples(dims, dims, dims), sizes=st.lists(dims, min_size=1, max_size=3),
       axis=axes, seed=seeds)
def test_concatenate_gradients_match_central_differences(shape, sizes, axis, seed):
    pieces = []
    for i, size in enumerate(sizes):
        piece_shape = list(shape)
        piece_shape[axis] = size
        pieces.append(normal(seed + i, *piece_shape))
    dY = normal(seed + 9, *np.concatenate(pieces, axis=axis).shape)
    dXs = concatenate_backward(pieces, axis, dY)
    for i, (piece, dX) in enumerate(zip(pieces, dXs)):
        def loss(X):
            return (dY * np.concatenate([*pieces[:i], X, *pieces[i + 1:]], axis)).sum()
        check_gradient(loss, piece, dX)


@given(shape=st.tuples(dims, dims, dims), parts=st.sampled_from([1, 2, 3]),
       axis=axes, seed=seeds)
def test_split_dX_matches_central_differences(shape, parts, axis, seed):
    shape = list(shape)
    shape[axis] *= parts  # so that np.split cuts it into equal parts
    X = normal(seed, *shape)
    pieces = np.split(X, parts, axis=axis)
    dYs = [normal(seed + 1 + i, *piece.shape) for i, piece in enumerate(pieces)]

    def loss(X):
        return sum((dY * Y).sum() for dY, Y in zip(dYs, np.split(X, parts, axis=axis)))

    check_gradient(loss, X, split_backward(dYs, axis))


@given(shape=st.tuples(dims, dims), n=dims, axis=axes, seed=seeds)
def test_stack_gradients_match_central_differences(shape, n, axis, seed):
    Xs = [normal(seed + i, *shape) for i in range(n)]
    dY = normal(seed + 9, *np.stack(Xs, axis=axis).shape)
    dXs = stack_backward(dY, axis)
    assert len(dXs) == n
    for i, (X, dX) in enumerate(zip(Xs, dXs)):
        def loss(X):
            return (dY * np.stack([*Xs[:i], X, *Xs[i + 1:]], axis=axis)).sum()
        check_gradient(loss, X, dX)


@given(m=dims, n=dims, start=st.integers(-5, 4), step=st.integers(1, 3), seed=seeds)
def test_slice_dX_matches_central_differences(m, n, start, step, seed):
    X = normal(seed, m, n)
    key = (slice(start, None, step), -1)  # some rows, the last column
    dY = normal(seed + 1, *X[key].shape)
    check_gradient(lambda X: (dY * X[key]).sum(), X, slice_backward(X, key, dY))


def test_slice_backward_rejects_an_index_array():
    with pytest.raises(TypeError, match="use gather_backward"):
        slice_backward(np.zeros((3, 2)), np.array([0, 0]), np.zeros((2, 2)))
