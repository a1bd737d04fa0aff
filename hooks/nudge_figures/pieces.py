"""What a figure's layout is made of: matrices, operators, a curve, and the colors.

A layout is a list of rows `(heading, items, formula)`: a heading above, items drawn
left to right, and below them a formula (a string), several lines (a list of strings)
or nothing (None).
"""

import numpy as np

# Colors: the nudged input in orange, the parts of the gradient in blue; how far an
# output moves is purple (down) to green (up), and white where it does not move.
NUDGED, NUDGED_FILL = "#d95f02", "#fdd0a2"
GRADIENT, GRADIENT_FILL = "#2166ac", "#c6dbef"
GRID, MUTED = "#9e9e9e", "#6b6b6b"


class Matrix:
    """A grid of numbers with a title; some cells filled, some rows or columns boxed."""

    def __init__(self, values, title, *, heat=False, fill=(), boxes=(), pick=""):
        self.values = np.atleast_2d(values)  # a vector of length n is drawn as a row
        self.height, self.width = self.values.shape
        self.shape = f"({self.width},)" if np.ndim(values) == 1 else (
            f"{self.height}×{self.width}")
        self.title = title
        self.heat = heat  # color each cell by its value: white where nothing moved
        self.fill = fill  # [((row, col), edge color, fill color)]
        self.boxes = boxes  # [((row0, col0, row1, col1), color)], inclusive corners
        self.pick = pick  # the reader picks its entries (named pick₁₂) in the widget


class Operator:
    """A symbol (→, ⊙) or a short word between two matrices, maybe labelled above."""

    def __init__(self, symbol, label=""):
        self.symbol, self.label = symbol, label
        self.width, self.height = 1.4, 1


class Curve:
    """A small plot of y(x) with one point and the tangent line there."""

    def __init__(self, x, y, point, slope, title):
        self.x, self.y, self.point, self.slope, self.title = x, y, point, slope, title
        self.width, self.height = 3.6, 2.6


def row_box(row, ncols, color):
    return ((row, 0, row, ncols - 1), color)


def column_box(col, nrows, color):
    return ((0, col, nrows - 1, col), color)


def cell_box(row, col, color):
    return ((row, col, row, col), color)
