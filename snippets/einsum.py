"""Batched matrix products and einsum, and their gradients (docs/einsum.md).

Every einsum is a sum of products, one factor from each operand. Its gradient with
respect to one operand is another einsum: swap that operand with the output's
gradient, and swap their index strings.
"""

# --8<-- [start:batched]
import numpy as np


def batched_matmul(A, B):
    """Return C with C[s] = A[s] @ B[s], for A (N, m, n) and B (N, n, p)."""
    return A @ B  # numpy's @ multiplies the last two axes, batch by batch


def batched_matmul_backward(A, B, dC):
    """Return (dA, dB): dA[s] = dC[s] @ B[s].T and dB[s] = A[s].T @ dC[s]."""
    if A.ndim != 3 or B.ndim != 3 or A.shape[0] != B.shape[0]:
        raise ValueError(
            f"A {A.shape} and B {B.shape} must be stacks of N matrices, (N, m, n) "
            "and (N, n, p); for a B shared by all slices use einsum_backward"
        )
    dA = dC @ np.swapaxes(B, -1, -2)  # (N, m, p) @ (N, p, n) -> (N, m, n)
    dB = np.swapaxes(A, -1, -2) @ dC  # (N, n, m) @ (N, m, p) -> (N, n, p)
    return dA, dB
# --8<-- [end:batched]


# --8<-- [start:einsum]
def parse_subscripts(subscripts, operands):
    """Return (inputs, output) of "ij,jk->ik"; reject what einsum_backward can't do."""
    if "..." in subscripts:
        raise ValueError("'...' is not supported: name every axis with a letter")
    if "->" not in subscripts:
        raise ValueError(
            f"{subscripts!r} has no '->': write the output indices explicitly"
        )
    left, output = subscripts.replace(" ", "").split("->")
    inputs = left.split(",")
    if len(inputs) != len(operands):
        raise ValueError(
            f"{subscripts!r} names {len(inputs)} operands, got {len(operands)}"
        )
    for letters, x in zip(inputs, operands):
        if len(set(letters)) != len(letters):
            raise ValueError(
                f"repeated index in {letters!r} (a diagonal or a trace) is not "
                "supported: its gradient is not an einsum"
            )
        if len(letters) != np.ndim(x):
            raise ValueError(
                f"{letters!r} names {len(letters)} axes but its operand has shape "
                f"{np.shape(x)}"
            )
    return inputs, output


def einsum_backward(subscripts, operands, dY):
    """Return the gradients of Y = np.einsum(subscripts, *operands), one per operand."""
    inputs, output = parse_subscripts(subscripts, operands)
    sizes = {}
    for letters, x in zip(inputs, operands):
        sizes.update(zip(letters, np.shape(x)))
    grads = []
    for k, (letters, x) in enumerate(zip(inputs, operands)):
        # operand k and the output trade places: dY comes in, dX_k comes out
        others = [s for j, s in enumerate(inputs) if j != k]
        arrays = [dY] + [op for j, op in enumerate(operands) if j != k]
        # an index that only operand k has was summed away; it comes back as a
        # broadcast, which is a product with ones along that index
        alone = [c for c in letters if c not in output + "".join(others)]
        if alone:
            others.append("".join(alone))
            arrays.append(np.ones([sizes[c] for c in alone]))
        swapped = ",".join([output, *others]) + "->" + letters
        grads.append(np.einsum(swapped, *arrays))
    return grads
# --8<-- [end:einsum]
