"""Random arrays for the math tests: shapes and seeds drawn by hypothesis."""

import numpy as np
from hypothesis import strategies as st

#: A dimension of a random matrix; 1 is included on purpose.
dims = st.integers(min_value=1, max_value=5)
#: A seed for numpy's generator, drawn by hypothesis so that a failure replays.
seeds = st.integers(min_value=0, max_value=2**32 - 4)


def normal(seed, *shape):
    """Return a float64 array of standard normal draws from a seeded generator."""
    return np.random.default_rng(seed).standard_normal(shape)
