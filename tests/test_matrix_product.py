"""The matrix product's gradients: dA = dC B^T and dB = A^T dC."""

from hypothesis import given

from helpers import dims, normal, seeds
from snippets.gradcheck import check_gradient, check_vjp
from snippets.matrix_product import matmul, matmul_backward


@given(m=dims, n=dims, p=dims, seed=seeds)
def test_dA_matches_central_differences(m, n, p, seed):
    A, B, dC = normal(seed, m, n), normal(seed + 1, n, p), normal(seed + 2, m, p)
    dA, _ = matmul_backward(A, B, dC)
    check_gradient(lambda A: (dC * matmul(A, B)).sum(), A, dA)


@given(m=dims, n=dims, p=dims, seed=seeds)
def test_dB_matches_central_differences(m, n, p, seed):
    A, B, dC = normal(seed, m, n), normal(seed + 1, n, p), normal(seed + 2, m, p)
    _, dB = matmul_backward(A, B, dC)
    check_gradient(lambda B: (dC * matmul(A, B)).sum(), B, dB)


@given(m=dims, n=dims, p=dims, seed=seeds)
def test_dA_passes_dot_product_test(m, n, p, seed):
    A, B = normal(seed, m, n), normal(seed + 1, n, p)
    check_vjp(lambda A: matmul(A, B), lambda dC: matmul_backward(A, B, dC)[0], A)


@given(m=dims, n=dims, p=dims, seed=seeds)
def test_dB_passes_dot_product_test(m, n, p, seed):
    A, B = normal(seed, m, n), normal(seed + 1, n, p)
    check_vjp(lambda B: matmul(A, B), lambda dC: matmul_backward(A, B, dC)[1], B)


@given(m=dims, n=dims, p=dims, seed=seeds)
def test_gradients_have_the_shapes_of_the_inputs(m, n, p, seed):
    A, B, dC = normal(seed, m, n), normal(seed + 1, n, p), normal(seed + 2, m, p)
    dA, dB = matmul_backward(A, B, dC)
    assert dA.shape == A.shape and dB.shape == B.shape
