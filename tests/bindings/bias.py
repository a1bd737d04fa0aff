"""docs/bias.md: a linear layer in both layouts, by snippets/bias.py."""

from bindings import Box
from snippets.bias import (
    linear_columns, linear_columns_backward, linear_rows, linear_rows_backward,
)


def columns(W, A, b, dC):
    dW, dA, db = linear_columns_backward(W, A, dC)
    return {"C": linear_columns(W, A, b), "dW": dW, "dA": dA, "db": db}


def rows(X, W, b, dY):
    dX, dW, db = linear_rows_backward(X, W, dY)
    return {"Y": linear_rows(X, W, b), "dX": dX, "dW": dW, "db": db}


def layer(layout, W, A, b_column, dC, X, V, b_vector, dY):
    """The box's table has a column per layout, both with W and b: one case each."""
    if layout == "columns":
        return {"W": W, "A": A, "b": b_column, "dC": dC, **columns(W, A, b_column, dC)}
    return {"X": X, "W": V, "b": b_vector, "dY": dY, **rows(X, V, b_vector, dY)}


BOXES = {
    "result": Box(
        layer,
        shapes={"W": "n_out n_in", "A": "n_in N", "b_column": "n_out 1",
                "dC": "n_out N", "X": "N n_in", "V": "n_in n_out",
                "b_vector": "n_out", "dY": "N n_out"},
        cases=[{"layout": "columns"}, {"layout": "rows"}],
    ),
}
