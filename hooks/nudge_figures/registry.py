"""Every figure of the site: its name (the file `figures/<name>.svg`) and its module.

A figure module has `TEXT` (its labels, one dict per language) and `layout(lang, pick)`
(the rows to draw); with `DEFAULT`, `PICKS` and `chain(pick)` it also gets its
interactive version (widget.py), which names entries from 1 (a₁₂), or from `START`
when the module sets it (0 on a page that counts as numpy does). Adding a figure is
adding its module and one line here (CONTRIBUTING.md, "Adding a figure").
"""

from . import (
    activations,
    bias_columns,
    bias_rows,
    convolution,
    elementwise,
    matrix_product,
    normalization,
    softmax,
    used_twice,
)

FIGURES = {
    "matrix-product": matrix_product,
    "elementwise": elementwise,
    "activations": activations,
    "bias-columns": bias_columns,
    "bias-rows": bias_rows,
    "softmax": softmax,
    "normalization": normalization,
    "used-twice": used_twice,
    "convolution": convolution,
}
