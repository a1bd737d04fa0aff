"""The checker itself: it accepts right gradients, rejects wrong ones and bad input."""

import numpy as np
import pytest

from helpers import normal
from snippets.gradcheck import (
    check_gradient,
    check_vjp,
    forward_difference_gradient,
    numerical_gradient,
    relative_error,
)


def test_numerical_gradient_of_a_quadratic_is_exact_to_rounding():
    x = normal(0, 3, 2)
    np.testing.assert_allclose(numerical_gradient(lambda x: (x**2).sum(), x), 2 * x)


def test_numerical_gradient_leaves_its_input_unchanged():
    x = normal(1, 2, 3)
    before = x.copy()
    numerical_gradient(lambda x: np.sin(x).sum(), x)
    np.testing.assert_array_equal(x, before)


def test_relative_error_is_zero_for_equal_arrays_and_for_two_zeros():
    assert relative_error([1.0, 2.0], [1.0, 2.0]) == 0.0
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_check_gradient_accepts_the_right_gradient():
    A, B, dC = normal(2, 3, 4), normal(3, 4, 2), normal(4, 3, 2)
    error = check_gradient(lambda A: (dC * (A @ B)).sum(), A, dC @ B.T)
    assert error < 1e-8


def test_check_gradient_rejects_a_missing_transpose():
    A, B, dC = normal(2, 3, 3), normal(3, 3, 3), normal(4, 3, 3)
    with pytest.raises(AssertionError, match="gradient check failed"):
        check_gradient(lambda A: (dC * (A @ B)).sum(), A, dC @ B)


def test_check_vjp_accepts_the_right_backward():
    A, B = normal(5, 2, 4), normal(6, 4, 3)
    assert check_vjp(lambda A: A @ B, lambda dC: dC @ B.T, A) < 1e-8


def test_check_vjp_rejects_a_wrong_backward_of_the_right_shape():
    A, B = normal(5, 3, 3), normal(6, 3, 3)
    with pytest.raises(AssertionError, match="dot-product test failed"):
        check_vjp(lambda A: A @ B, lambda dC: dC @ B, A)


def test_a_non_scalar_loss_is_rejected_by_name():
    x = normal(7, 2, 2)
    with pytest.raises(ValueError, match="must return a scalar.*shape \\(2, 2\\)"):
        check_gradient(lambda x: x * 2, x, 2 * np.ones_like(x))


def test_an_integer_array_is_rejected_by_name():
    x = np.arange(4).reshape(2, 2)
    with pytest.raises(TypeError, match="x has dtype int64.*float64"):
        check_gradient(lambda x: x.sum(), x, np.ones((2, 2)))


def test_a_float32_array_is_rejected_by_name():
    x = normal(8, 2, 2).astype(np.float32)
    with pytest.raises(TypeError, match="x has dtype float32.*float64"):
        numerical_gradient(lambda x: x.sum(), x)


def test_a_list_is_rejected_by_name():
    with pytest.raises(TypeError, match="x must be a numpy array, got list"):
        numerical_gradient(lambda x: sum(x), [1.0, 2.0])


def test_a_gradient_of_the_wrong_shape_is_rejected_by_name():
    A, B, dC = normal(2, 3, 4), normal(3, 4, 2), normal(4, 3, 2)
    with pytest.raises(ValueError, match="grad has shape \\(4, 3\\) but x has shape"):
        check_gradient(lambda A: (dC * (A @ B)).sum(), A, (dC @ B.T).T)


def test_a_backward_of_the_wrong_shape_is_rejected_by_name():
    A, B = normal(5, 2, 4), normal(6, 4, 3)
    with pytest.raises(ValueError, match="backward returned shape \\(4, 2\\)"):
        check_vjp(lambda A: A @ B, lambda dC: (dC @ B.T).T, A)


def test_a_non_finite_loss_is_rejected_by_name():
    x = np.array([1.0, -1.0])
    with np.errstate(invalid="ignore"), pytest.raises(ValueError, match="returned nan"):
        numerical_gradient(lambda x: np.log(x).sum(), x)


def test_forward_differences_of_a_quadratic_are_off_by_the_step():
    # ((x + h)**2 - x**2) / h = 2x + h: the O(h) error, exactly
    x, h = normal(9, 3, 2), 1e-3
    grad = forward_difference_gradient(lambda x: (x**2).sum(), x, h)
    np.testing.assert_allclose(grad, 2 * x + h, rtol=1e-9, atol=1e-9)


def test_forward_differences_reject_float32_by_name():
    x = normal(10, 2, 2).astype(np.float32)
    with pytest.raises(TypeError, match="x has dtype float32.*float64"):
        forward_difference_gradient(lambda x: x.sum(), x)


def test_a_nan_gradient_is_rejected_by_name():
    x = normal(9, 3)
    with pytest.raises(ValueError, match="grad contains NaN"):
        check_gradient(lambda x: x.sum(), x, np.full(3, np.nan))


def test_a_backward_that_returns_nan_fails_the_dot_product_test():
    x = normal(10, 2, 3)
    with pytest.raises(AssertionError, match="dot-product test failed"):
        check_vjp(lambda x: 2 * x, lambda dy: np.full(dy.shape, np.nan), x)
