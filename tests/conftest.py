"""Reproducible hypothesis runs: the same examples on every machine."""

from hypothesis import settings

settings.register_profile("repro", derandomize=True, max_examples=30, deadline=None)
settings.load_profile("repro")
