"""Convolution (1-D and 2-D, stride and padding), pooling and per-channel batch norm.

Shapes, strides and paddings are drawn by hypothesis; the kernel is never longer than
the padded input. Every backward pass is checked by central differences and by the
dot-product test; the 1-D gradients are also computed a second way, as a correlation
(dw) and a full convolution with the flipped kernel (dx).
"""

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from helpers import dims, normal, seeds
from snippets.convolution import (
    avg_pool,
    avg_pool_backward,
    batch_norm2d,
    batch_norm2d_backward,
    conv1d,
    conv1d_backward,
    conv1d_backward_as_convolutions,
    conv2d,
    conv2d_backward,
    im2col,
    max_pool,
    max_pool_backward,
)
from snippets.gradcheck import check_gradient, check_vjp

strides = st.integers(min_value=1, max_value=3)
pads = st.integers(min_value=0, max_value=2)
kernels = st.integers(min_value=1, max_value=3)


# --- 1-D ------------------------------------------------------------------------------


@given(L=st.integers(1, 8), K=kernels, stride=strides, pad=pads, seed=seeds)
def test_conv1d_gradients_match_central_differences(L, K, stride, pad, seed):
    assume(L + 2 * pad >= K)
    x, w = normal(seed, L), normal(seed + 1, K)
    dy = normal(seed + 2, len(conv1d(x, w, stride, pad)))
    dx, dw = conv1d_backward(x, w, dy, stride, pad)
    check_gradient(lambda x: dy @ conv1d(x, w, stride, pad), x, dx)
    check_gradient(lambda w: dy @ conv1d(x, w, stride, pad), w, dw)


@given(L=st.integers(1, 8), K=kernels, stride=strides, pad=pads, seed=seeds)
def test_conv1d_backward_is_a_correlation_and_a_full_convolution(L, K, stride, pad, seed):
    assume(L + 2 * pad >= K)
    x, w = normal(seed, L), normal(seed + 1, K)
    dy = normal(seed + 2, len(conv1d(x, w, stride, pad)))
    dx, dw = conv1d_backward(x, w, dy, stride, pad)
    dx2, dw2 = conv1d_backward_as_convolutions(x, w, dy, stride, pad)
    np.testing.assert_allclose(dx2, dx, atol=1e-12)
    np.testing.assert_allclose(dw2, dw, atol=1e-12)


def test_conv1d_is_a_cross_correlation_not_a_flipped_convolution():
    x, w = np.array([1.0, 2.0, 3.0, 4.0]), np.array([1.0, 0.0, -1.0])
    np.testing.assert_array_equal(conv1d(x, w), np.correlate(x, w, mode="valid"))
    np.testing.assert_array_equal(conv1d(x, w), [-2.0, -2.0])


def test_a_kernel_longer_than_the_padded_input_is_refused():
    with pytest.raises(ValueError, match="longer than the padded input"):
        conv1d(np.ones(2), np.ones(5), pad=1)
    with pytest.raises(ValueError, match="stride must be >= 1"):
        conv1d(np.ones(4), np.ones(2), stride=0)


# --- 2-D ------------------------------------------------------------------------------


def conv_case(seed, N, C, F, H, W, K, stride, pad):
    X, Wk, b = normal(seed, N, C, H, W), normal(seed + 1, F, C, K, K), normal(seed + 2, F)
    dY = normal(seed + 3, *conv2d(X, Wk, b, stride, pad).shape)
    return X, Wk, b, dY


conv_shapes = dict(N=st.integers(1, 2), C=st.integers(1, 2), F=st.integers(1, 2),
                   H=st.integers(1, 5), W=st.integers(1, 5), K=kernels,
                   stride=strides, pad=pads, seed=seeds)


@given(**conv_shapes)
def test_conv2d_gradients_match_central_differences(N, C, F, H, W, K, stride, pad, seed):
    assume(min(H, W) + 2 * pad >= K)
    X, Wk, b, dY = conv_case(seed, N, C, F, H, W, K, stride, pad)
    dX, dWk, db = conv2d_backward(X, Wk, dY, stride, pad)
    check_gradient(lambda X: (dY * conv2d(X, Wk, b, stride, pad)).sum(), X, dX)
    check_gradient(lambda Wk: (dY * conv2d(X, Wk, b, stride, pad)).sum(), Wk, dWk)
    check_gradient(lambda b: (dY * conv2d(X, Wk, b, stride, pad)).sum(), b, db)


@given(**conv_shapes)
def test_conv2d_dX_passes_dot_product_test(N, C, F, H, W, K, stride, pad, seed):
    assume(min(H, W) + 2 * pad >= K)
    X, Wk, b, _ = conv_case(seed, N, C, F, H, W, K, stride, pad)
    check_vjp(lambda X: conv2d(X, Wk, b, stride, pad),
              lambda dY: conv2d_backward(X, Wk, dY, stride, pad)[0], X)


@given(**conv_shapes)
def test_conv2d_matches_the_index_form(N, C, F, H, W, K, stride, pad, seed):
    # y[n,f,p,q] = sum_{c,i,j} w[f,c,i,j] x_padded[n,c,p s + i,q s + j] + b[f]
    assume(min(H, W) + 2 * pad >= K)
    X, Wk, b, _ = conv_case(seed, N, C, F, H, W, K, stride, pad)
    Y = conv2d(X, Wk, b, stride, pad)
    Xp = np.pad(X, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    for n, f, p, q in np.ndindex(Y.shape):
        patch = Xp[n, :, p * stride:p * stride + K, q * stride:q * stride + K]
        np.testing.assert_allclose(Y[n, f, p, q], (Wk[f] * patch).sum() + b[f])


def test_im2col_puts_one_window_in_each_column():
    X = np.arange(9.0).reshape(1, 1, 3, 3)
    cols, OH, OW = im2col(X, 2, 2)
    assert (OH, OW) == (2, 2)
    np.testing.assert_array_equal(cols[0, :, 0], [0, 1, 3, 4])  # top-left window
    np.testing.assert_array_equal(cols[0, :, 3], [4, 5, 7, 8])  # bottom-right


def test_conv2d_refuses_the_wrong_number_of_channels():
    with pytest.raises(ValueError, match=r"X must have shape \(N, 3, H, W\)"):
        conv2d(np.zeros((1, 2, 4, 4)), np.zeros((1, 3, 2, 2)), np.zeros(1))


# --- Pooling --------------------------------------------------------------------------


pool_shapes = dict(N=st.integers(1, 2), C=st.integers(1, 2), H=st.integers(1, 5),
                   W=st.integers(1, 5), K=st.integers(1, 3), stride=strides, seed=seeds)


@given(**pool_shapes)
def test_max_pool_dX_matches_central_differences(N, C, H, W, K, stride, seed):
    assume(min(H, W) >= K)
    X = normal(seed, N, C, H, W)  # continuous draws: no ties, no kinks
    dY = normal(seed + 1, *max_pool(X, K, stride).shape)
    dX = max_pool_backward(X, K, stride, dY)
    check_gradient(lambda X: (dY * max_pool(X, K, stride)).sum(), X, dX)


@given(**pool_shapes)
def test_avg_pool_dX_matches_central_differences_and_dot_product(N, C, H, W, K, stride,
                                                                  seed):
    assume(min(H, W) >= K)
    X = normal(seed, N, C, H, W)
    dY = normal(seed + 1, *avg_pool(X, K, stride).shape)
    dX = avg_pool_backward(X, K, stride, dY)
    check_gradient(lambda X: (dY * avg_pool(X, K, stride)).sum(), X, dX)
    check_vjp(lambda X: avg_pool(X, K, stride),
              lambda dY: avg_pool_backward(X, K, stride, dY), X)


def test_max_pool_shares_dY_among_tied_entries():
    X = np.array([[[[1.0, 3.0], [3.0, 0.0]]]])  # two entries tie for the max
    dX = max_pool_backward(X, 2, 2, np.array([[[[1.0]]]]))
    np.testing.assert_array_equal(dX, [[[[0.0, 0.5], [0.5, 0.0]]]])


# --- Batch normalization per channel --------------------------------------------------


@given(N=st.integers(1, 3), C=st.integers(1, 3), H=st.integers(1, 3),
       W=st.integers(1, 3), seed=seeds)
def test_batch_norm2d_gradients_match_central_differences(N, C, H, W, seed):
    assume(N * H * W >= 2)  # a group of one entry gives X_hat = 0 (normalization page)
    X, gamma, beta = normal(seed, N, C, H, W), normal(seed + 1, C), normal(seed + 2, C)
    dY, eps = normal(seed + 3, N, C, H, W), 0.1
    dX, dgamma, dbeta = batch_norm2d_backward(X, gamma, dY, eps)
    check_gradient(lambda X: (dY * batch_norm2d(X, gamma, beta, eps)).sum(), X, dX)
    check_gradient(lambda g: (dY * batch_norm2d(X, g, beta, eps)).sum(), gamma, dgamma)
    check_gradient(lambda b: (dY * batch_norm2d(X, gamma, b, eps)).sum(), beta, dbeta)


@given(N=st.integers(1, 3), C=st.integers(1, 3), H=dims, W=dims, seed=seeds)
def test_batch_norm2d_normalizes_each_channel_over_N_H_W(N, C, H, W, seed):
    X = normal(seed, N, C, H, W)
    Y = batch_norm2d(X, np.ones(C), np.zeros(C))
    np.testing.assert_allclose(Y.mean(axis=(0, 2, 3)), 0.0, atol=1e-10)
