"""Bindings: which snippet code computes each symbol of a page's result boxes.

One module per page, named like the page's snippet module: `docs/matrix-product.md`
is bound in `tests/bindings/matrix_product.py`. Each module has a dict `BOXES`, from
the anchor of the heading above a result box to a `Box`. tests/test_formulas.py
evaluates every equation of that box, and of the box's cheat-sheet row, in the
symbols the `Box` provides. CONTRIBUTING.md ("Binding a result box to its code")
shows a complete example.
"""

import inspect
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

GREEK = {"alpha", "beta", "gamma", "mu", "sigma", "varepsilon", "ell", "lambda"}


@dataclass
class Box:
    """How to compute the symbols of one result box from random inputs.

    `compute` is a function whose parameters are the box's inputs. Each input named
    in `shapes` (a parameter name; `gamma` is the symbol `\\gamma`) is drawn as a random float64 array of that shape ("m n" is m x n,
    "n" a vector of length n, "" a scalar); the dimensions are drawn by hypothesis,
    1 included, and are symbols too (`m`, `n_out`). A parameter named `rng` gets a
    seeded numpy generator (for integer labels, say), and the keys of a case of
    `cases` are passed as keyword arguments. `compute` returns the other symbols,
    spelled as on the page (`"dA"`, `"\\hat X"`, `"W_1"`, `"\\sigma'"`), each an
    array, a number or a function.

    A statement must hold in at least one case; a statement written with
    `(\\texttt{axis=1})` only in the cases whose `axis` is 1. `probes` gives fixed
    values of a scalar input at which every statement must hold too, in the same
    case (`{"z": [0.0]}`: relu' at 0).

    `not_claims` maps a formula of the box, as written, to the reason it states
    nothing to check (a definition in words, a condition such as `z = 0`).

    With `every_case`, a statement must hold in every case (those its setting names:
    `(\\texttt{max_pool})` is checked in the cases with that value). `origin` is
    the number of a first entry on the page: 1 (`a_{11}`), or 0 where the page counts
    from 0 (`x_0`); index letters count from it too. `sizes` names dimensions that
    hypothesis draws for `compute` itself (a parameter of that name), with no input
    of that shape (`["K"]`, a window of K x K).

    `qualifiers` maps the case a cheat-sheet shapes line names (`in \\(q\\)`:
    `"q"`, its math; `(batch norm.)`: its words, one key per language) to the keys
    and values of the cases it means (`{"axis": 0}`; a list: any of those values).
    """

    compute: Callable[..., dict]
    shapes: dict[str, str]
    cases: list[dict] = field(default_factory=lambda: [{}])
    probes: dict[str, list] = field(default_factory=dict)
    not_claims: dict[str, str] = field(default_factory=dict)
    every_case: bool = False
    origin: int = 1
    sizes: list[str] = field(default_factory=list)
    qualifiers: dict[str, dict] = field(default_factory=dict)

    def dimensions(self) -> list[str]:
        found = list(self.sizes)
        for shape in self.shapes.values():
            found += [d for d in shape.split() if not d.isdigit() and d not in found]
        return found

    def environments(self, sizes: dict[str, int], seed: int) -> list[tuple[dict, list]]:
        """(case, [symbols, ...]) for each case: drawn at random, then at each probe."""
        return [(case, [symbols for _, symbols in self.draw(sizes, seed, case)])
                for case in self.cases]

    def draw(self, sizes, seed, case):
        """The symbols of one case, from random inputs and then from each probe."""
        variants = [{}] + [{name: value} for name, values in self.probes.items()
                           for value in values]
        return [(case, self.symbols(sizes, seed, {**case, **variant}))
                for variant in variants]

    def symbols(self, sizes: dict[str, int], seed: int, case: dict) -> dict:
        """Every symbol of the box for one case: inputs, sizes and what compute gives."""
        rng = np.random.default_rng(seed)
        inputs = {}
        for name, shape in self.shapes.items():
            dims = [int(d) if d.isdigit() else sizes[d] for d in shape.split()]
            inputs[name] = rng.standard_normal(dims) if dims else float(rng.standard_normal())
        wanted = inspect.signature(self.compute).parameters
        given = dict(inputs)
        for key, value in case.items():  # a case may fix an input: z = 0
            if key in given and value is not None:
                given[key] = value
        arguments = {k: v for k, v in given.items() if k in wanted}
        arguments.update({k: v for k, v in case.items()
                          if k in wanted and k not in given})
        arguments.update({k: sizes[k] for k in self.sizes if k in wanted})
        if "rng" in wanted:
            arguments["rng"] = np.random.default_rng(seed + 1)
        return {**sizes, **{tex_name(k): v for k, v in given.items()},
                **self.compute(**arguments)}


def tex_name(parameter: str) -> str:
    """The symbol of a parameter: `gamma` -> `\\gamma`."""
    return "\\" + parameter if parameter in GREEK else parameter


def ones_like_call(backward):
    """f' from a backward function: f'(z) = backward(z, 1), entry by entry."""
    return lambda Z: backward(Z, np.ones_like(np.asarray(Z, dtype=float)))
