"""A vanilla RNN through time, the product of its Jacobians, and gradient clipping.

See docs/recurrence.md. Samples are rows: X has shape (T, N, D), T steps of a batch
of N inputs of D features; the states H have shape (T, N, Hd). The same weights
Wx (D, Hd), Wh (Hd, Hd) and b (Hd,) are used at every step.
"""

# --8<-- [start:forward]
import numpy as np


def rnn_forward(X, h0, Wx, Wh, b):
    """Return the states H (T, N, Hd), h_t = tanh(x_t Wx + h_{t-1} Wh + b)."""
    H, h = [], h0
    for x in X:  # one step per entry of the first axis
        h = np.tanh(x @ Wx + h @ Wh + b)
        H.append(h)
    return np.array(H)
# --8<-- [end:forward]


# --8<-- [start:backward]
def rnn_backward(X, h0, Wx, Wh, b, dH):
    """Return (dX, dh0, dWx, dWh, db) from dH (T, N, Hd), the gradient for H."""
    H = rnn_forward(X, h0, Wx, Wh, b)
    dX = np.zeros_like(X)
    dWx, dWh, db = np.zeros_like(Wx), np.zeros_like(Wh), np.zeros_like(b)
    dh_next = np.zeros_like(h0)  # what step t + 1 sends back to h_t
    for t in reversed(range(len(X))):
        h_prev = H[t - 1] if t > 0 else h0
        dh = dH[t] + dh_next  # h_t is used by the loss and by the next step
        dz = (1 - H[t] ** 2) * dh  # back through tanh
        dWx += X[t].T @ dz  # the shared weights: one term per step
        dWh += h_prev.T @ dz
        db += dz.sum(axis=0)
        dX[t] = dz @ Wx.T
        dh_next = dz @ Wh.T
    return dX, dh_next, dWx, dWh, db
# --8<-- [end:backward]


# --8<-- [start:jacobians]
def step_jacobian(h, Wh):
    """Return d h_t / d h_{t-1} (Hd, Hd) for one sample whose new state is h."""
    return np.diag(1 - h**2) @ Wh.T  # row i: how h_t[i] moves with each h_{t-1}[j]


def jacobian_norms(H, Wh):
    """Return the spectral norms of d h_t / d h_0, t = 1..T, for one sample's H."""
    J, norms = np.eye(Wh.shape[0]), []
    for h in H:
        J = step_jacobian(h, Wh) @ J  # chain rule: the newest step on the left
        norms.append(np.linalg.norm(J, 2))
    return np.array(norms)
# --8<-- [end:jacobians]


# --8<-- [start:clip]
def clip_by_norm(grads, max_norm):
    """Return (clipped grads, norm): all scaled by one factor if norm > max_norm."""
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    norm = np.sqrt(sum(np.sum(g**2) for g in grads))  # one norm for all of them
    scale = min(1.0, max_norm / norm) if norm > 0 else 1.0
    return [g * scale for g in grads], norm
# --8<-- [end:clip]
