"""Check hand-written gradients numerically: copy this file into your own project.

Two checks, both in float64:

* `check_gradient` compares a gradient with central differences of a scalar loss,
  nudging one entry at a time, exactly as the pages reason.
* `check_vjp` is the dot-product test of a backward function: for random directions
  `v` and `dy`, the number `<dy, J v>` must equal `<backward(dy), v>`.

`forward_difference_gradient` at the end is not used by the checks: it is there to
compare error orders (docs/gradcheck.md).
"""

# --8<-- [start:validation]
import numpy as np


def _require_float64(name, x):
    """Reject anything but a float64 ndarray, naming the problem."""
    if not isinstance(x, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(x).__name__}")
    if x.dtype != np.float64:
        raise TypeError(
            f"{name} has dtype {x.dtype}; gradient checks need float64 "
            f"(use {name}.astype(np.float64))"
        )


def _scalar(value):
    """Return the loss value as a float, or say why it is not a scalar."""
    if np.ndim(value) != 0:
        raise ValueError(
            "the loss must return a scalar, got an array of shape "
            f"{np.shape(value)}; reduce it first, e.g. with .sum()"
        )
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"the loss returned {value}; it must be finite")
    return value
# --8<-- [end:validation]


# --8<-- [start:relative_error]
def relative_error(a, b):
    """Return ||a - b|| / (||a|| + ||b||), or 0.0 when both are zero."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return 0.0 if scale == 0 else float(np.linalg.norm(a - b) / scale)
# --8<-- [end:relative_error]


# --8<-- [start:numerical_gradient]
def numerical_gradient(f, x, eps=1e-6):
    """Central differences of the scalar f at x: nudge each entry by +-eps."""
    _require_float64("x", x)
    _scalar(f(x.copy()))
    x = x.copy()
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        up = _scalar(f(x))
        x[i] = saved - eps
        down = _scalar(f(x))
        x[i] = saved
        grad[i] = (up - down) / (2 * eps)
    return grad
# --8<-- [end:numerical_gradient]


# --8<-- [start:check_gradient]
def check_gradient(f, x, grad, eps=1e-6, tol=1e-6):
    """Assert grad is the gradient of the scalar f at x; return the error."""
    _require_float64("x", x)
    _require_float64("grad", grad)
    if grad.shape != x.shape:
        raise ValueError(
            f"grad has shape {grad.shape} but x has shape {x.shape}; "
            "the gradient of a scalar has the shape of the variable"
        )
    if not np.all(np.isfinite(grad)):
        raise ValueError("grad contains NaN or infinity")
    numerical = numerical_gradient(f, x, eps)
    error = relative_error(grad, numerical)
    if not error <= tol:
        worst = np.unravel_index(np.argmax(np.abs(grad - numerical)), x.shape)
        raise AssertionError(
            f"gradient check failed: relative error {error:.2e} "
            f"> tol {tol:.0e}; worst entry {tuple(map(int, worst))}: "
            f"given {grad[worst]:.6g}, "
            f"central difference {numerical[worst]:.6g}"
        )
    return error
# --8<-- [end:check_gradient]


# --8<-- [start:check_vjp]
def check_vjp(forward, backward, x, trials=3, eps=1e-6, tol=1e-6, seed=20220414):
    """Dot-product test: <dy, J v> == <backward(dy), v> for random v, dy."""
    # The directions have a seed of their own: drawn with seed 0, they would repeat
    # the data of a caller who also used seed 0, and test only that one direction.
    _require_float64("x", x)
    y = np.asarray(forward(x.copy()))
    _require_float64("forward(x)", y)
    rng = np.random.default_rng(seed)
    worst = 0.0
    for _ in range(trials):
        v = rng.standard_normal(x.shape)
        dy = rng.standard_normal(y.shape)
        jv = (forward(x + eps * v) - forward(x - eps * v)) / (2 * eps)
        dx = np.asarray(backward(dy))
        if dx.shape != x.shape:
            raise ValueError(
                f"backward returned shape {dx.shape} but x has shape {x.shape}"
            )
        lhs, rhs = float(np.sum(dy * jv)), float(np.sum(dx * v))
        error = relative_error(lhs, rhs)
        if not error <= tol:  # also catches NaN
            raise AssertionError(
                f"dot-product test failed: <dy, J v> = {lhs:.6g} but "
                f"<backward(dy), v> = {rhs:.6g} "
                f"(relative error {error:.2e} > {tol:.0e})"
            )
        worst = max(worst, error)
    return worst
# --8<-- [end:check_vjp]


# --8<-- [start:forward_difference]
def forward_difference_gradient(f, x, eps=1e-6):
    """Forward differences of the scalar f at x, for comparison: error O(eps)."""
    _require_float64("x", x)
    x = x.copy()
    base = _scalar(f(x))
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        saved = x[i]
        x[i] = saved + eps
        grad[i] = (_scalar(f(x)) - base) / eps
        x[i] = saved
    return grad
# --8<-- [end:forward_difference]
