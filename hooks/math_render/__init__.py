"""Math typeset at build time: MathJax 3.2.2 in mini-racer, a cache, and page markup.

`hooks/typeset_math.py` is the MkDocs hook; this package is the rest, one concern a
module:

- `renderer.py`: MathJax (the `django-static-mathjax` wheel) in an embedded V8, one
  formula at a time, with the stylesheet rules each formula needs;
- `formulas.py`: the per-formula cache, keyed by the formula, the renderer's version
  and its options, and the one V8 context of the process (MkDocs re-imports hooks on
  every `mkdocs serve` rebuild; a package in `sys.modules` is imported once);
- `page.py`: finding the formulas in a page's HTML (pymdownx.arithmatex's elements
  and notebook Markdown cells), replacing them, and the page's stylesheet and preloads.
"""

from .formulas import close, typesetter
from .page import FONT_FILES, FONTS_URL, typeset_page
from .renderer import TexError, mathjax_root

__all__ = ["FONT_FILES", "FONTS_URL", "TexError", "close", "mathjax_root",
           "typeset_page", "typesetter"]
