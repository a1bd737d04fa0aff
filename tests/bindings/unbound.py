"""Result boxes that no binding checks yet: known gaps, each with what it still needs.

These pages landed with their snippets and tests (central differences and the
dot-product test) before their formulas could be bound for tests/test_formulas.py.
The formula check skips exactly these boxes and fails on every other unbound box, so
a new page still cannot skip it. The list only shrinks: a test fails when a listed box
gets a binding (delete its line then) or no longer exists.
"""

UNBOUND = {
    ("attention.md", "result"): "masked softmax in the notation; bound in a worktree, "
    "not yet passing",
    ("attention.md", "heads-result"): "W_{o,h} as slice h of a stack under \\sum_h",
    ("convolution.md", "conv1d-result"): "offset indices x_{ts+k}, zero outside",
    ("convolution.md", "conv2d-result"): "\\operatorname{col2im} and im2col matrices",
    ("convolution.md", "pooling-result"): "max and average pooling stated in words",
    ("recurrence.md", "result"): "sums over time steps of subscripted matrices",
    ("recurrence.md", "clipping-result"): "\\leftarrow and \\lVert g \\rVert",
    ("differentials.md", "result"): "first-order rules for changes, \\Delta(AB)",
}
