"""Numbers and entry names as a reader writes them, and words shared by figures.

All text is plain Unicode (a₁₂, Δ, σ′, ⊙, Bᵀ), never matplotlib's $math$: its
renderer has no font fallback, so Chinese next to it would come out as boxes, and
parsing it would triple the time the figures take.
"""

from mkdocs.exceptions import PluginError

LANGUAGES = ("en", "zh")

#: Words that more than one figure uses, per language.
SHARED = {
    "en": {
        "samples_columns": "samples →",
        "samples_rows": "samples ↓",
        "broadcast": "broadcast",
        "sum_rows": "sum each row",
        "sum_columns": "sum each column",
    },
    "zh": {
        "samples_columns": "样本 →",
        "samples_rows": "样本 ↓",
        "broadcast": "广播",
        "sum_rows": "每行求和",
        "sum_columns": "每列求和",
    },
}


def labels(text, lang):
    """The labels of one figure in `lang` (its `TEXT` and the shared words)."""
    if lang not in text or lang not in SHARED:
        raise PluginError(
            f"The figures have no labels in {lang!r}: add them to the figure's TEXT "
            "and to SHARED in hooks/nudge_figures/text.py."
        )
    return {**SHARED[lang], **text[lang]}


def number(value, term=False):
    """Write a number as a reader does: 2, 0.5, −1.25; a negative term as (−2)."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    if term and text.startswith("-"):
        text = f"({text})"
    return text.replace("-", "\u2212")


def products(terms):
    """'1 · 1 + (−2) · 3', from pairs of factors."""
    return " + ".join(f"{number(a, True)} · {number(b, True)}" for a, b in terms)


SUBSCRIPTS = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def entry(name, *indices, start=1):
    """The name of an entry with 0-based indices, as a reader writes it: a₁₂.

    `start` is the number the page gives the first entry: 1 on most pages (a₁₂ is
    row 1, column 2), 0 on pages that count as numpy does (w₀).
    """
    return name + "".join(str(n + start) for n in indices).translate(SUBSCRIPTS)
