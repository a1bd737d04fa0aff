"""The derivations of the four pages of the original post, checked with sympy.

Each display equation (`\\[ ... \\]`) of the nudge arguments on matrix-product.md,
elementwise.md, activations.md and bias.md is read by tests/notation.py and evaluated
on symbolic 2x2 (or 3x2) matrices: `a_{11}` is the sympy symbol a11, `\\Delta` the size
of the nudge. The symbols each section needs are set up below, per heading anchor:
the nudged entry, the change `\\Delta C` it causes, the loss L = sum(dC ⊙ C) whose
gradient is dC (as on the pages' checks), and the gradients as sympy derivatives of
L, so that nothing here repeats a formula of the page. `=` must hold exactly; `\\approx`
to first order in Delta.

A display that states no claim (a picture of a pattern, a definition) is marked on the
page, in both languages, by the line `<!-- not a claim -->` just above it; displays
marked so are counted, not evaluated, and the marks must be the same in both languages.
"""

from functools import lru_cache

import numpy as np
import pytest
import sympy

from notation import Evaluator, FormulaError, parse, relations_of, sides_of
from test_cheat_sheet import DOCS, FENCE, HEADING, page_file

PAGES = ("matrix-product.md", "elementwise.md", "activations.md", "bias.md")
MARK = "<!-- not a claim -->"
DELTA = sympy.Symbol("Delta")


def matrix(letter: str, rows: int, cols: int) -> np.ndarray:
    """Symbols a11, a12, ... in an object array."""
    return np.array([[sympy.Symbol(f"{letter}{i}{j}") for j in range(1, cols + 1)]
                     for i in range(1, rows + 1)], dtype=object)


def column(letter: str, rows: int) -> np.ndarray:
    return np.array([[sympy.Symbol(f"{letter}{i}")] for i in range(1, rows + 1)],
                    dtype=object)


def gradient(L, X: np.ndarray) -> np.ndarray:
    """dL/dX entry by entry."""
    return np.vectorize(lambda x: sympy.diff(L, x), otypes=[object])(X)


def nudge(X: np.ndarray, i: int = 0, j: int = 0) -> np.ndarray:
    """X with Delta added to one entry."""
    Y = X.copy()
    Y[i, j] = Y[i, j] + DELTA
    return Y


def elementwise(f):
    return np.vectorize(f, otypes=[object])


def product_sections(product):
    """nudge-a and nudge-b of a page whose forward pass is C = product(A, B)."""
    A, B, dC = matrix("a", 2, 2), matrix("b", 2, 2), matrix("dc", 2, 2)
    C = product(A, B)
    L = np.sum(dC * C)
    common = {"A": A, "B": B, "C": C, "dC": dC, "\\Delta": DELTA,
              "dA": gradient(L, A), "dB": gradient(L, B)}
    sections = {}
    for anchor, changed in (("nudge-a", product(nudge(A), B)),
                            ("nudge-b", product(A, nudge(B)))):
        delta_C = changed - C
        sections[anchor] = [{**common, "\\Delta C": delta_C,
                             "\\Delta L": np.sum(dC * delta_C)}]
    return sections


def activation_sections():
    t = sympy.Symbol("t")
    sigma = lambda z: 1 / (1 + sympy.exp(-z))  # noqa: E731
    derivative = lambda f: (lambda z: sympy.diff(f(t), t).subs(t, z))  # noqa: E731
    Z, dA = matrix("z", 2, 2), matrix("da", 2, 2)
    A = elementwise(sigma)(Z)
    L = np.sum(dA * A)
    delta_A = elementwise(sigma)(nudge(Z)) - A
    functions = {"\\sigma": elementwise(sigma), "\\sigma'": elementwise(derivative(sigma)),
                 "\\tanh": elementwise(sympy.tanh),
                 "\\tanh'": elementwise(derivative(sympy.tanh)),
                 "\\mathrm{relu}'": elementwise(derivative(lambda z: sympy.Max(0, z)))}
    z = sympy.Symbol("z")
    return {
        "nudge": [{**functions, "Z": Z, "A": A, "dA": dA, "dZ": gradient(L, Z),
                   "\\Delta": DELTA, "\\Delta A": delta_A,
                   "\\Delta L": np.sum(dA * delta_A)}],
        "sigmoid": [{**functions, "z": z}],
        "tanh": [{**functions, "z": z}],
        # relu' is piecewise: checked at points on both sides of the kink
        "relu": [{**functions, "z": sympy.Rational(value)} for value in (-3, 2)],
    }


def bias_sections():
    W, A, b, dC = matrix("w", 3, 2), matrix("a", 2, 2), column("b", 3), matrix("dc", 3, 2)
    C = W @ A + b
    L = np.sum(dC * C)
    delta_C = (W @ A + nudge(b)) - C
    common = {"W": W, "A": A, "b": b, "C": C, "dC": dC, "\\Delta": DELTA,
              "db": gradient(L, b), "\\mathbf{1}": np.ones((2, 1), dtype=object)}
    return {
        "nudge-b": [{**common, "\\Delta C": delta_C, "\\Delta L": np.sum(dC * delta_C)}],
        "why-sum": [common],
        "mean-loss": [],  # one display, the 1/N of a mean loss: a definition
    }


SECTIONS = {
    "matrix-product.md": product_sections(lambda A, B: A @ B),
    "elementwise.md": {"nudge-a": product_sections(lambda A, B: A * B)["nudge-a"]},
    "activations.md": activation_sections(),
    "bias.md": bias_sections(),
}


def displays(text: str) -> list[tuple[str, str, bool]]:
    """(heading anchor, formula, marked as no claim) for each display of a page."""
    found, anchor, fence, lines, marked, previous = [], "", None, None, False, ""
    for line in text.splitlines():
        if lines is not None:
            if line.strip().endswith("\\]"):
                lines.append(line.strip()[:-2])
                found.append((anchor, "\n".join(lines), marked))
                lines = None
            else:
                lines.append(line)
            continue
        if fence:
            if (closing := FENCE.match(line)) and closing[1].startswith(fence):
                fence = None
        elif opening := FENCE.match(line):
            fence = opening[1]
        elif heading := HEADING.match(line):
            anchor = heading[1]
        elif line.strip().startswith("\\["):
            marked = previous.strip() == MARK
            rest = line.strip()[2:]
            if rest.endswith("\\]"):
                found.append((anchor, rest[:-2], marked))
            else:
                lines = [rest]
        if line.strip():
            previous = line
    return found


def vanishes(value) -> bool:
    """Zero as a formula: expanded, or simplified once tanh is written with exp."""
    value = sympy.expand(value)
    if value == 0:
        return True
    value = value.rewrite(sympy.exp)
    return sympy.cancel(sympy.expand(value)) == 0 or sympy.simplify(value) == 0


def is_zero(value, relation: str) -> bool:
    """`=`: exactly 0; `\\approx`: 0 and with no term of first order in Delta."""
    value = sympy.sympify(value)
    if relation == "APPROX":
        return (vanishes(value.subs(DELTA, 0))
                and vanishes(sympy.diff(value, DELTA).subs(DELTA, 0)))
    return vanishes(value)


def equation_problems(formula: str, env: dict) -> list[str]:
    """What does not hold in one display, in one section's symbols."""
    problems = []
    evaluator = Evaluator(env, exact=True)
    for statement in parse(formula):
        sides = sides_of(statement)
        if len(sides) < 2:
            problems.append("a display with no equation: mark it as no claim")
            continue
        values = [np.asarray(evaluator.value(side), dtype=object) for side in sides]
        for relation, left, right in zip(relations_of(statement), values, values[1:]):
            if left.shape != right.shape and left.size == right.size == 1:
                left, right = left.reshape(()), right.reshape(())
            if left.shape != right.shape:
                problems.append(f"sides of shapes {left.shape} and {right.shape}")
                continue
            bad = [str(entry) for entry in np.asarray(left - right, dtype=object).ravel()
                   if not is_zero(entry, relation)]
            if bad:
                problems.append(f"the sides differ by {bad[0]}")
    return problems


@lru_cache(maxsize=None)
def checked_equation(link: str, anchor: str, number: int, formula: str) -> tuple:
    """The problems of one display in one set of symbols; both languages share them."""
    try:
        return tuple(equation_problems(formula, SECTIONS[link][anchor][number]))
    except FormulaError as error:
        return (str(error),)


def derivation_problems(link: str, text: str) -> tuple[list[str], int, int]:
    """(problems, displays checked, displays marked as no claim) for one page."""
    problems, checked, marked = [], 0, 0
    for anchor, formula, no_claim in displays(text):
        if anchor not in SECTIONS[link]:
            continue
        if no_claim:
            marked += 1
            continue
        checked += 1
        shown = " ".join(formula.split())
        if not SECTIONS[link][anchor]:
            problems.append(f"{link}#{anchor}: \\[{shown}\\]: no symbols for this section")
        for number, env in enumerate(SECTIONS[link][anchor]):
            found = checked_equation(link, anchor, number, formula)
            problems += [f"{link}#{anchor}: \\[{shown}\\]: {p}" for p in found]
    return problems, checked, marked


def derivation_displays(link: str, text: str) -> list:
    return [d for d in displays(text) if d[0] in SECTIONS[link]]


@pytest.mark.parametrize("language", ("en", "zh"))
@pytest.mark.parametrize("link", PAGES)
def test_every_display_of_the_derivation_holds(link, language):
    text = page_file(link, language).read_text(encoding="utf-8")
    problems, checked, _ = derivation_problems(link, text)
    assert checked, f"{link}: no display of a derivation found"
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("link", PAGES)
def test_both_languages_mark_the_same_displays(link):
    marks = [[marked for _, _, marked in derivation_displays(
        link, page_file(link, language).read_text(encoding="utf-8"))]
        for language in ("en", "zh")]
    assert marks[0] == marks[1], f"{link}: the two languages mark different displays"


def test_every_section_with_symbols_exists():
    for link, sections in SECTIONS.items():
        text = (DOCS / link).read_text(encoding="utf-8")
        anchors = {anchor for anchor, _, _ in displays(text)}
        assert set(sections) <= anchors, f"{link}: no displays under {set(sections) - anchors}"


BROKEN = {
    # a wrong index in the nudge, as in the original post's typos
    "matrix-product.md": (r"\Delta c_{12} = b_{12}\,\Delta", r"\Delta c_{12} = b_{21}\,\Delta"),
    # the transpose left out of the row of dA
    "activations.md": (r"= \sigma(z)\,\bigl(1 - \sigma(z)\bigr)",
                       r"= \sigma(z)\,\bigl(1 + \sigma(z)\bigr)"),
    "bias.md": (r"db_1 = dc_{11} + dc_{12}", r"db_1 = dc_{11} + dc_{21}"),
    "elementwise.md": (r"da_{11} = b_{11}\,dc_{11}", r"da_{11} = a_{11}\,dc_{11}"),
}


@pytest.mark.parametrize("link", BROKEN)
def test_detects_a_wrong_step(link):
    old, new = BROKEN[link]
    text = (DOCS / link).read_text(encoding="utf-8")
    assert old in text, f"{old} is not on {link}"
    problems, _, _ = derivation_problems(link, text.replace(old, new))
    assert any("the sides differ by" in p for p in problems), problems
