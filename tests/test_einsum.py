"""Batched products and einsum: the gradient of any einsum is an einsum, swapped."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import dims, normal, seeds
from snippets.einsum import batched_matmul, batched_matmul_backward, einsum_backward
from snippets.gradcheck import check_gradient, check_vjp
from snippets.matrix_product import matmul_backward

#: Subscripts the tests run: products, batches, sums, transposes, three operands.
SUBSCRIPTS = [
    "ik,kj->ij",  # matrix product
    "sik,skj->sij",  # batched matrix product
    "sik,kj->sij",  # a stack of matrices times one shared matrix
    "i,j->ij",  # outer product
    "ij,j->i",  # matrix times vector
    "i,i->",  # inner product of vectors
    "ij,ij->",  # inner product of matrices
    "ij->i",  # sum over an axis (j is summed away: a broadcast comes back)
    "ij->",  # sum of everything
    "ijk->kij",  # a transpose of three axes
    "ij,jk,kl->il",  # three operands
    "bhqd,bhkd->bhqk",  # attention scores, several heads
    "ij,k->ijk",  # an outer product with a matrix
]


def operands(seed, subscripts, sizes):
    """Random operands for `subscripts`, each index of the length sizes[letter]."""
    inputs = subscripts.split("->")[0].split(",")
    return [normal(seed + k, *[sizes[c] for c in s]) for k, s in enumerate(inputs)]


letters_sizes = st.fixed_dictionaries({c: dims for c in "ijklsbhqd"})


@pytest.mark.parametrize("subscripts", SUBSCRIPTS)
@given(sizes=letters_sizes, seed=seeds)
def test_every_gradient_matches_central_differences(subscripts, sizes, seed):
    ops = operands(seed, subscripts, sizes)
    dY = normal(seed + 99, *np.shape(np.einsum(subscripts, *ops)))
    grads = einsum_backward(subscripts, ops, dY)
    assert len(grads) == len(ops)
    for k in range(len(ops)):

        def loss(x):
            return np.sum(dY * np.einsum(subscripts, *ops[:k], x, *ops[k + 1:]))

        check_gradient(loss, ops[k], grads[k])


@pytest.mark.parametrize("subscripts", SUBSCRIPTS)
@given(sizes=letters_sizes, seed=seeds)
def test_every_gradient_passes_dot_product_test(subscripts, sizes, seed):
    ops = operands(seed, subscripts, sizes)
    for k in range(len(ops)):

        def forward(x):
            return np.einsum(subscripts, *ops[:k], x, *ops[k + 1:])

        def backward(dY):
            return einsum_backward(subscripts, ops, dY)[k]

        check_vjp(forward, backward, ops[k])


@given(m=dims, n=dims, p=dims, seed=seeds)
def test_matrix_product_case_is_dC_BT_and_AT_dC(m, n, p, seed):
    A, B, dC = normal(seed, m, n), normal(seed + 1, n, p), normal(seed + 2, m, p)
    dA, dB = einsum_backward("ik,kj->ij", [A, B], dC)
    np.testing.assert_allclose(dA, dC @ B.T)
    np.testing.assert_allclose(dB, A.T @ dC)


@given(m=dims, p=dims, seed=seeds)
def test_outer_product_case_is_dY_v_and_dYT_u(m, p, seed):
    u, v, dY = normal(seed, m), normal(seed + 1, p), normal(seed + 2, m, p)
    du, dv = einsum_backward("i,j->ij", [u, v], dY)
    np.testing.assert_allclose(du, dY @ v)
    np.testing.assert_allclose(dv, dY.T @ u)


@given(m=dims, n=dims, seed=seeds)
def test_matrix_vector_case_is_an_outer_product_and_AT_dy(m, n, seed):
    A, x, dy = normal(seed, m, n), normal(seed + 1, n), normal(seed + 2, m)
    dA, dx = einsum_backward("ij,j->i", [A, x], dy)
    np.testing.assert_allclose(dA, np.outer(dy, x))
    np.testing.assert_allclose(dx, A.T @ dy)


@given(N=dims, m=dims, n=dims, p=dims, seed=seeds)
def test_batched_dA_matches_central_differences(N, m, n, p, seed):
    A, B, dC = normal(seed, N, m, n), normal(seed + 1, N, n, p), normal(seed + 2, N, m, p)
    dA, _ = batched_matmul_backward(A, B, dC)
    check_gradient(lambda A: np.sum(dC * batched_matmul(A, B)), A, dA)


@given(N=dims, m=dims, n=dims, p=dims, seed=seeds)
def test_batched_dB_matches_central_differences(N, m, n, p, seed):
    A, B, dC = normal(seed, N, m, n), normal(seed + 1, N, n, p), normal(seed + 2, N, m, p)
    _, dB = batched_matmul_backward(A, B, dC)
    check_gradient(lambda B: np.sum(dC * batched_matmul(A, B)), B, dB)


@given(N=dims, m=dims, n=dims, p=dims, seed=seeds)
def test_batched_passes_dot_product_test(N, m, n, p, seed):
    A, B = normal(seed, N, m, n), normal(seed + 1, N, n, p)
    check_vjp(lambda A: batched_matmul(A, B),
              lambda dC: batched_matmul_backward(A, B, dC)[0], A)
    check_vjp(lambda B: batched_matmul(A, B),
              lambda dC: batched_matmul_backward(A, B, dC)[1], B)


@given(N=dims, m=dims, n=dims, p=dims, seed=seeds)
def test_batched_is_matmul_backward_slice_by_slice_and_the_einsum_rule(N, m, n, p, seed):
    A, B, dC = normal(seed, N, m, n), normal(seed + 1, N, n, p), normal(seed + 2, N, m, p)
    dA, dB = batched_matmul_backward(A, B, dC)
    assert dA.shape == A.shape and dB.shape == B.shape
    for s in range(N):
        dA_s, dB_s = matmul_backward(A[s], B[s], dC[s])
        np.testing.assert_allclose(dA[s], dA_s)
        np.testing.assert_allclose(dB[s], dB_s)
    dA_rule, dB_rule = einsum_backward("sik,skj->sij", [A, B], dC)
    np.testing.assert_allclose(dA, dA_rule)
    np.testing.assert_allclose(dB, dB_rule)


@given(N=dims, m=dims, n=dims, p=dims, seed=seeds)
def test_a_shared_matrix_gets_the_sum_over_the_slices(N, m, n, p, seed):
    A, B, dC = normal(seed, N, m, n), normal(seed + 1, n, p), normal(seed + 2, N, m, p)
    _, dB = einsum_backward("sik,kj->sij", [A, B], dC)
    np.testing.assert_allclose(dB, sum(A[s].T @ dC[s] for s in range(N)))


def test_batched_backward_refuses_a_shared_matrix():
    with pytest.raises(ValueError, match=r"B \(3, 4\) must be stacks of N matrices"):
        batched_matmul_backward(np.ones((2, 2, 3)), np.ones((3, 4)), np.ones((2, 2, 4)))


# --- What it does not do, it says ------------------------------------------------

X = np.ones((2, 3))


@pytest.mark.parametrize(
    ("subscripts", "ops", "message"),
    [
        ("...j,jk->...k", [X, X.T], r"'\.\.\.' is not supported"),
        ("ij,jk", [X, X.T], "write the output indices explicitly"),
        ("ii->i", [np.ones((3, 3))], "repeated index in 'ii'"),
        ("ij,jk->ik", [X], "names 2 operands, got 1"),
        ("ijk->i", [X], r"'ijk' names 3 axes but its operand has shape \(2, 3\)"),
    ],
)
def test_what_is_not_supported_is_named(subscripts, ops, message):
    with pytest.raises(ValueError, match=message):
        einsum_backward(subscripts, ops, np.ones(2))
