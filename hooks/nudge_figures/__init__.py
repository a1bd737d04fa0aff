"""The "what moves" figures of the topic pages, drawn at build time from `snippets/`.

Each figure shows, for one nudged input entry, which output entries move and by how
much, and how one entry of the gradient is assembled. Every number in it is computed
at build time by the functions of `snippets/`, so a figure cannot disagree with the
code, and no SVG is committed, so none can go stale. `hooks/figures.py` is the MkDocs
hook that adds them to the site; this package is everything else, one concern a module:

- `registry.py`: the figure names (the file is `figures/<name>.svg`) and their modules;
- one module per figure (`matrix_product.py`, ...): its numbers from the snippets
  (`data()`), its labels in both languages (`TEXT`), and its layout (`layout(lang)`);
- `pieces.py`: what a layout is made of (matrices, operators, a curve) and its colors;
- `text.py`: numbers and entry names as a reader writes them, and the shared words;
- `nudging.py`: how outputs move per unit nudge, measured by a central difference;
- `drawing.py`: the layout drawn with matplotlib, as reproducible SVG bytes;
- `widget.py`: the interactive version's data, every pick and every Δ, as JSON;
- `fonts.py`: the fonts per language, and a clear error instead of empty boxes.

CONTRIBUTING.md ("Adding a figure") says how to add one.
"""

from .drawing import render
from .registry import FIGURES
from .text import LANGUAGES

__all__ = ["FIGURES", "LANGUAGES", "render"]
