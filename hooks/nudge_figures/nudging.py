"""How the outputs of a snippet function move when one input entry is nudged."""

import numpy as np

NUDGE = 1e-4  # the step of the central difference that measures how outputs move


def unit_nudge(f, X, index):
    """Return how f(X) moves per unit nudge of X[index], by a central difference.

    Entries of f(X) that do not depend on X[index] come out exactly 0, since both
    evaluations compute them from the same numbers.
    """
    E = np.zeros_like(X)
    E[index] = NUDGE
    return (f(X + E) - f(X - E)) / (2 * NUDGE)
