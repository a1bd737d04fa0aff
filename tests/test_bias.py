"""A linear layer with a broadcast bias: db sums the upstream gradient over samples.

Samples as columns: C = W A + b, b (n_out, 1), db = dC.sum(axis=1, keepdims=True)
Samples as rows:    Y = X W + b, b (n_out,),   db = dY.sum(axis=0)
"""

import numpy as np
from hypothesis import given

from helpers import dims, normal, seeds
from snippets.bias import (
    linear_columns,
    linear_columns_backward,
    linear_rows,
    linear_rows_backward,
)
from snippets.gradcheck import check_gradient, check_vjp


def columns_case(seed, n_out, n_in, N):
    """Return W, A, b and an upstream gradient dC for C = W A + b."""
    W, A = normal(seed, n_out, n_in), normal(seed + 1, n_in, N)
    b, dC = normal(seed + 2, n_out, 1), normal(seed + 3, n_out, N)
    return W, A, b, dC


def rows_case(seed, n_out, n_in, N):
    """Return X, W, b and an upstream gradient dY for Y = X W + b."""
    X, W = normal(seed, N, n_in), normal(seed + 1, n_in, n_out)
    b, dY = normal(seed + 2, n_out), normal(seed + 3, N, n_out)
    return X, W, b, dY


# Samples as columns: C = W A + b


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_columns_dW_matches_central_differences(n_out, n_in, N, seed):
    W, A, b, dC = columns_case(seed, n_out, n_in, N)
    dW, _, _ = linear_columns_backward(W, A, dC)
    check_gradient(lambda W: (dC * linear_columns(W, A, b)).sum(), W, dW)


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_columns_dA_matches_central_differences(n_out, n_in, N, seed):
    W, A, b, dC = columns_case(seed, n_out, n_in, N)
    _, dA, _ = linear_columns_backward(W, A, dC)
    check_gradient(lambda A: (dC * linear_columns(W, A, b)).sum(), A, dA)


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_columns_db_matches_central_differences(n_out, n_in, N, seed):
    W, A, b, dC = columns_case(seed, n_out, n_in, N)
    _, _, db = linear_columns_backward(W, A, dC)
    check_gradient(lambda b: (dC * linear_columns(W, A, b)).sum(), b, db)


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_columns_dW_passes_dot_product_test(n_out, n_in, N, seed):
    W, A, b, _ = columns_case(seed, n_out, n_in, N)
    check_vjp(
        lambda W: linear_columns(W, A, b),
        lambda dC: linear_columns_backward(W, A, dC)[0],
        W,
    )


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_columns_dA_passes_dot_product_test(n_out, n_in, N, seed):
    W, A, b, _ = columns_case(seed, n_out, n_in, N)
    check_vjp(
        lambda A: linear_columns(W, A, b),
        lambda dC: linear_columns_backward(W, A, dC)[1],
        A,
    )


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_columns_db_passes_dot_product_test(n_out, n_in, N, seed):
    W, A, b, _ = columns_case(seed, n_out, n_in, N)
    check_vjp(
        lambda b: linear_columns(W, A, b),
        lambda dC: linear_columns_backward(W, A, dC)[2],
        b,
    )


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_columns_gradients_have_the_shapes_of_the_inputs(n_out, n_in, N, seed):
    W, A, b, dC = columns_case(seed, n_out, n_in, N)
    dW, dA, db = linear_columns_backward(W, A, dC)
    assert (dW.shape, dA.shape, db.shape) == (W.shape, A.shape, (n_out, 1))


# Samples as rows: Y = X W + b


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_rows_dX_matches_central_differences(n_out, n_in, N, seed):
    X, W, b, dY = rows_case(seed, n_out, n_in, N)
    dX, _, _ = linear_rows_backward(X, W, dY)
    check_gradient(lambda X: (dY * linear_rows(X, W, b)).sum(), X, dX)


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_rows_dW_matches_central_differences(n_out, n_in, N, seed):
    X, W, b, dY = rows_case(seed, n_out, n_in, N)
    _, dW, _ = linear_rows_backward(X, W, dY)
    check_gradient(lambda W: (dY * linear_rows(X, W, b)).sum(), W, dW)


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_rows_db_matches_central_differences(n_out, n_in, N, seed):
    X, W, b, dY = rows_case(seed, n_out, n_in, N)
    _, _, db = linear_rows_backward(X, W, dY)
    check_gradient(lambda b: (dY * linear_rows(X, W, b)).sum(), b, db)


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_rows_dX_passes_dot_product_test(n_out, n_in, N, seed):
    X, W, b, _ = rows_case(seed, n_out, n_in, N)
    check_vjp(
        lambda X: linear_rows(X, W, b),
        lambda dY: linear_rows_backward(X, W, dY)[0],
        X,
    )


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_rows_dW_passes_dot_product_test(n_out, n_in, N, seed):
    X, W, b, _ = rows_case(seed, n_out, n_in, N)
    check_vjp(
        lambda W: linear_rows(X, W, b),
        lambda dY: linear_rows_backward(X, W, dY)[1],
        W,
    )


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_rows_db_passes_dot_product_test(n_out, n_in, N, seed):
    X, W, b, _ = rows_case(seed, n_out, n_in, N)
    check_vjp(
        lambda b: linear_rows(X, W, b),
        lambda dY: linear_rows_backward(X, W, dY)[2],
        b,
    )


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_rows_gradients_have_the_shapes_of_the_inputs(n_out, n_in, N, seed):
    X, W, b, dY = rows_case(seed, n_out, n_in, N)
    dX, dW, db = linear_rows_backward(X, W, dY)
    assert (dX.shape, dW.shape, db.shape) == (X.shape, W.shape, (n_out,))


# The two conventions are one layer, written transposed


@given(n_out=dims, n_in=dims, N=dims, seed=seeds)
def test_rows_and_columns_agree_on_transposed_data(n_out, n_in, N, seed):
    W, A, b, dC = columns_case(seed, n_out, n_in, N)
    # X = A^T, the rows' W is the columns' W^T, b loses its column axis, dY = dC^T
    X, W_rows, b_rows, dY = A.T, W.T, b[:, 0], dC.T
    Y, C = linear_rows(X, W_rows, b_rows), linear_columns(W, A, b)
    np.testing.assert_allclose(Y, C.T)
    dW, dA, db = linear_columns_backward(W, A, dC)
    dX, dW_rows, db_rows = linear_rows_backward(X, W_rows, dY)
    np.testing.assert_allclose(dX, dA.T)
    np.testing.assert_allclose(dW_rows, dW.T)
    np.testing.assert_allclose(db_rows, db[:, 0])
