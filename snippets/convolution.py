"""Convolution (cross-correlation, as deep-learning libraries define it) and pooling.

See docs/convolution.md. Indices count from 0 on that page, as here. 1-D first, one
channel, written out index by index; then 2-D with channels, stride and padding,
through im2col as a matrix product; then max and average pooling and batch
normalization per channel. Images have shape (N, C, H, W), kernels (F, C, KH, KW).
"""

# --8<-- [start:conv1d]
import numpy as np


def out_size(n, k, stride, pad):
    """Return the number of positions of a window k on n entries padded by pad."""
    if stride < 1 or pad < 0:
        raise ValueError(f"stride must be >= 1 and pad >= 0, got {stride}, {pad}")
    if n + 2 * pad < k:
        raise ValueError(f"the kernel ({k}) is longer than the padded input "
                         f"({n} + 2 * {pad})")
    return (n + 2 * pad - k) // stride + 1


def conv1d(x, w, stride=1, pad=0):
    """Return y (T,) with y[t] = sum_k w[k] * x_padded[t * stride + k]."""
    T = out_size(len(x), len(w), stride, pad)
    xp = np.pad(x, pad)  # pad zeros on both ends
    return np.array([w @ xp[t * stride:t * stride + len(w)] for t in range(T)])


def conv1d_backward(x, w, dy, stride=1, pad=0):
    """Return (dx, dw): every output position that used an entry sends it back."""
    xp = np.pad(x, pad)
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for t in range(len(dy)):
        window = slice(t * stride, t * stride + len(w))
        dw += dy[t] * xp[window]  # w[k] is used at every position t
        dxp[window] += dy[t] * w  # x_padded[t s + k] was used with w[k]
    return dxp[pad:len(xp) - pad], dw
# --8<-- [end:conv1d]


# --8<-- [start:flipped]
def dilate(dy, stride):
    """Return dy with stride - 1 zeros between its entries."""
    out = np.zeros((len(dy) - 1) * stride + 1)
    out[::stride] = dy
    return out


def conv1d_backward_as_convolutions(x, w, dy, stride=1, pad=0):
    """Return (dx, dw): dw correlates x with dy, dx fully convolves dy with w."""
    xp, dyd = np.pad(x, pad), dilate(dy, stride)
    dw = np.correlate(xp[:len(dyd) + len(w) - 1], dyd, mode="valid")
    dxp = np.zeros_like(xp)
    full = np.convolve(dyd, w, mode="full")  # = correlation with the flipped w
    dxp[:len(full)] = full  # entries no window reached keep a zero gradient
    return dxp[pad:len(xp) - pad], dw
# --8<-- [end:flipped]


# --8<-- [start:im2col]
def im2col(X, KH, KW, stride=1, pad=0):
    """Return (cols, OH, OW): cols (N, C*KH*KW, OH*OW), one column per window."""
    N, C, H, W = X.shape
    OH, OW = out_size(H, KH, stride, pad), out_size(W, KW, stride, pad)
    Xp = np.pad(X, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    cols = np.empty((N, C, KH, KW, OH, OW))
    for i in range(KH):  # kernel offset (i, j): the entries every window has there
        for j in range(KW):
            cols[:, :, i, j] = Xp[:, :, i:i + stride * OH:stride,
                                  j:j + stride * OW:stride]
    return cols.reshape(N, C * KH * KW, OH * OW), OH, OW


def col2im(dcols, X_shape, KH, KW, stride=1, pad=0):
    """Return dX: the transpose of im2col, adding where windows overlap."""
    N, C, H, W = X_shape
    OH, OW = out_size(H, KH, stride, pad), out_size(W, KW, stride, pad)
    dcols = dcols.reshape(N, C, KH, KW, OH, OW)
    dXp = np.zeros((N, C, H + 2 * pad, W + 2 * pad))
    for i in range(KH):
        for j in range(KW):
            dXp[:, :, i:i + stride * OH:stride,
                j:j + stride * OW:stride] += dcols[:, :, i, j]
    return dXp[:, :, pad:pad + H, pad:pad + W]
# --8<-- [end:im2col]


# --8<-- [start:conv2d]
def conv2d(X, Wk, b, stride=1, pad=0):
    """Return Y (N, F, OH, OW) = Wk * X + b, as one matrix product per sample."""
    F, C, KH, KW = Wk.shape
    if X.ndim != 4 or X.shape[1] != C:
        raise ValueError(f"X must have shape (N, {C}, H, W), got {X.shape}")
    cols, OH, OW = im2col(X, KH, KW, stride, pad)
    Y = Wk.reshape(F, -1) @ cols + b[:, None]  # (F, C*KH*KW) @ (N, C*KH*KW, OH*OW)
    return Y.reshape(len(X), F, OH, OW)


def conv2d_backward(X, Wk, dY, stride=1, pad=0):
    """Return (dX, dWk, db) for conv2d, through the same matrix product."""
    F, C, KH, KW = Wk.shape
    cols, _, _ = im2col(X, KH, KW, stride, pad)
    dYc = dY.reshape(len(X), F, -1)  # (N, F, OH*OW)
    dWk = np.einsum("nfp,nkp->fk", dYc, cols).reshape(Wk.shape)  # dY cols^T
    db = dY.sum(axis=(0, 2, 3))  # b[f] is added at every position of every sample
    dcols = Wk.reshape(F, -1).T @ dYc  # W^T dY, (N, C*KH*KW, OH*OW)
    dX = col2im(dcols, X.shape, KH, KW, stride, pad)
    return dX, dWk, db
# --8<-- [end:conv2d]


# --8<-- [start:pooling]
def windows(X, K, stride):
    """Return the K*K shifted views of X (N, C, H, W): shape (K*K, N, C, OH, OW)."""
    OH, OW = out_size(X.shape[2], K, stride, 0), out_size(X.shape[3], K, stride, 0)
    return np.stack([X[:, :, i:i + stride * OH:stride, j:j + stride * OW:stride]
                     for i in range(K) for j in range(K)])


def unwindows(dwin, X_shape, K, stride):
    """Return dX: each window's gradient added back where the window sits."""
    dX = np.zeros(X_shape)
    _, _, OH, OW = dwin.shape[1:]
    for n, (i, j) in enumerate((i, j) for i in range(K) for j in range(K)):
        dX[:, :, i:i + stride * OH:stride, j:j + stride * OW:stride] += dwin[n]
    return dX


def max_pool(X, K, stride):
    """Return the max of each K x K window, (N, C, OH, OW)."""
    return windows(X, K, stride).max(axis=0)


def max_pool_backward(X, K, stride, dY):
    """Return dX: each window's dY shared equally by the entries tied for its max."""
    win = windows(X, K, stride)
    winners = win == win.max(axis=0)  # (K*K, N, C, OH, OW), True where the max is
    dwin = winners * dY / winners.sum(axis=0)  # 1/t each for t tied entries
    return unwindows(dwin, X.shape, K, stride)


def avg_pool(X, K, stride):
    """Return the mean of each K x K window, (N, C, OH, OW)."""
    return windows(X, K, stride).mean(axis=0)


def avg_pool_backward(X, K, stride, dY):
    """Return dX: each window's dY spread evenly, 1/K**2 to each of its entries."""
    dwin = np.broadcast_to(dY / K**2, (K * K, *dY.shape))
    return unwindows(dwin, X.shape, K, stride)
# --8<-- [end:pooling]


# --8<-- [start:batch_norm]
from snippets.normalization import batch_norm, batch_norm_backward


def channels_last(X):
    """Return X (N, C, H, W) as rows of C features: shape (N*H*W, C)."""
    return X.transpose(0, 2, 3, 1).reshape(-1, X.shape[1])


def channels_first(R, shape):
    """Return the rows R (N*H*W, C) as an array of shape (N, C, H, W) again."""
    N, C, H, W = shape
    return R.reshape(N, H, W, C).transpose(0, 3, 1, 2)


def batch_norm2d(X, gamma, beta, eps=1e-5):
    """Return batch normalization per channel, over (N, H, W); gamma, beta (C,)."""
    return channels_first(batch_norm(channels_last(X), gamma, beta, eps), X.shape)


def batch_norm2d_backward(X, gamma, dY, eps=1e-5):
    """Return (dX, dgamma, dbeta) for batch_norm2d, by the same reshape."""
    dR, dgamma, dbeta = batch_norm_backward(
        channels_last(X), gamma, channels_last(dY), eps
    )
    return channels_first(dR, X.shape), dgamma, dbeta
# --8<-- [end:batch_norm]
