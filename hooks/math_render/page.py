"""Find a page's formulas in its HTML, put the typeset markup in their place.

Two kinds of formulas reach the HTML:

- pymdownx.arithmatex (generic mode) wraps each in `<span class="arithmatex">\\(..\\)`
  or `<div class="arithmatex">\\[..\\]` (or a bare `\\begin{env}`);
- a notebook's Markdown cells (`jp-RenderedMarkdown`, from mkdocs-jupyter) keep their
  `$..$`, `$$..$$`, `\\(..\\)`, `\\[..\\]` and `\\begin{env}..\\end{env}` in the text.

Each becomes `<span|div class="arithmatex" data-tex="...">` around MathJax's
`<mjx-container>` (with its assistive MathML); `data-tex` keeps the TeX as written, for
copying. An inline formula and the punctuation right after it (。，、：；） . , ; :) go
into one `<span class="math-nobreak">`, so that the punctuation never starts a line.
The page gets one `<style>`: MathJax's rules for exactly the formulas on it (a
site-wide sheet would pad every subscript), and preloads of the fonts it needs first.
"""

import html
import re
from dataclasses import dataclass

from .renderer import TexError

#: Where the fonts are on the site (hooks/typeset_math.py copies them there).
FONTS_URL = "assets/mathjax/fonts"
#: Fonts a page with math needs at once; the other fonts load when a formula uses them.
PRELOAD = {
    "MathJax_Zero.woff": None,
    "MathJax_Main-Regular.woff": None,
    "MathJax_Math-Italic.woff": "TEX-I",
    "MathJax_Size1-Regular.woff": "TEX-S1",
    "MathJax_Size2-Regular.woff": "TEX-S2",
}
FONT_FILES = "output/chtml/fonts/woff-v2"  # in MathJax's es5 folder
FONT_PLACEHOLDER = "@MATHJAX_FONTS@"

ARITHMATEX = re.compile(r'<(span|div) class="arithmatex">(.*?)</\1>', re.S)
NOTEBOOK_CELL = re.compile(r'<div class="[^"]*\bjp-RenderedMarkdown\b[^"]*"[^>]*>')
DIV_TAG = re.compile(r"<(/?)div\b[^>]*>")
TAG_OR_TEXT = re.compile(r"<[^>]*>|[^<]+")
CODE_TAG = re.compile(r"<(/?)(code|pre)\b", re.I)
# A formula in a Markdown cell's text: `$$` before `$`, and `\$` is no delimiter.
CELL_FORMULA = re.compile(
    r"\$\$(?P<dd>.+?)\$\$|\\\[(?P<bd>.+?)\\\]|\\\((?P<bi>.+?)\\\)"
    r"|(?<![\\$])\$(?P<di>[^$]+?)(?<!\\)\$|(?P<env>\\begin\{([a-z]+\*?)\}.+?\\end\{\6\})",
    re.S,
)
PUNCTUATION = re.compile(r"[。，、：；）.,;:]+")
STYLE_ID = "mathjax-chtml"
#: Our own rules after MathJax's: no line break between a formula and its punctuation,
#: and the size the browser's MathJax chose by matching the text's x-height (measured:
#: 122.8 % on zh pages, 123.7-127.3 % on en pages; liteDOM cannot measure fonts).
EXTRA_RULES = [
    ".math-nobreak {\n  white-space: nowrap;\n}",
    'mjx-container[jax="CHTML"] {\n  font-size: 125%;\n}',
]


@dataclass
class Formula:
    start: int  # where its element or text is in the page HTML
    end: int
    written: str  # as the author wrote it, with delimiters (unescaped)
    tex: str  # what MathJax gets
    display: bool
    tag: str  # "span" or "div"


class PageTexErrors(Exception):
    """Every formula of a page that MathJax rejects: (written TeX, message) pairs."""

    def __init__(self, errors: list[tuple[str, str]]):
        super().__init__(errors)
        self.errors = errors


def split_delimiters(written: str) -> tuple[str, bool]:
    """`\\(x\\)` -> (x, inline), `\\[x\\]` -> (x, display), `\\begin..` -> display."""
    text = written.strip()
    for left, right, display in (("\\(", "\\)", False), ("\\[", "\\]", True),
                                 ("$$", "$$", True), ("$", "$", False)):
        if text.startswith(left) and text.endswith(right) and len(text) >= len(left + right):
            return text[len(left):len(text) - len(right)], display
    return text, True  # an environment written without delimiters


def arithmatex_formulas(page_html: str) -> list[Formula]:
    found = []
    for match in ARITHMATEX.finditer(page_html):
        written = html.unescape(match.group(2))
        tex, display = split_delimiters(written)
        found.append(Formula(match.start(), match.end(), written, tex, display, match.group(1)))
    return found


def cell_end(page_html: str, start: int) -> int:
    """The end of the `<div>` that opens at `start`."""
    depth = 0
    for match in DIV_TAG.finditer(page_html, start):
        depth += -1 if match.group(1) else 1
        if depth == 0:
            return match.end()
    return len(page_html)


def notebook_formulas(page_html: str) -> list[Formula]:
    found = []
    position = 0
    while cell := NOTEBOOK_CELL.search(page_html, position):
        end = cell_end(page_html, cell.start())
        in_code = 0
        for token in TAG_OR_TEXT.finditer(page_html, cell.end(), end):
            text = token.group()
            if text.startswith("<"):
                if tag := CODE_TAG.match(text):
                    in_code = max(0, in_code + (-1 if tag.group(1) else 1))
                continue
            if in_code:
                continue
            for match in CELL_FORMULA.finditer(text):
                written = html.unescape(match.group())
                tex, display = split_delimiters(written)
                found.append(Formula(token.start() + match.start(), token.start() + match.end(),
                                     written, tex, display, "span"))
        position = end
    return found


def source_line(source: str, written: str) -> int | None:
    """The line of the page source where a formula is written (1-based), if found."""
    tex, _ = split_delimiters(written)
    for probe in (written, tex, *tex.strip().splitlines()[:1]):
        probe = probe.strip()
        if probe and (index := source.find(probe)) >= 0:
            return source.count("\n", 0, index) + 1
    return None


def element(formula: Formula, markup: str) -> str:
    tex = html.escape(formula.written, quote=True)
    return f'<{formula.tag} class="arithmatex" data-tex="{tex}">{markup}</{formula.tag}>'


def stylesheet(base: list[str], used: list[list[str]], fonts_url: str) -> str:
    """Every rule once: the page-wide rules, then each formula's (glyphs last, as in
    MathJax's own sheet)."""
    seen = set(base)
    shapes, glyphs = [], []
    for rules in used:
        for rule in rules:
            if rule not in seen:
                seen.add(rule)
                (glyphs if rule.startswith("mjx-c.mjx-c") else shapes).append(rule)
    css = "\n\n".join([*base, *shapes, *glyphs, *EXTRA_RULES])
    return css.replace(FONT_PLACEHOLDER, fonts_url)


def preloads(page_html: str, fonts_url: str) -> str:
    links = []
    for font, needed_class in PRELOAD.items():
        if needed_class is None or needed_class in page_html:
            links.append(
                f'<link rel="preload" href="{fonts_url}/{font}" as="font" '
                f'type="font/woff" crossorigin>'
            )
    return "".join(links)


def typeset_page(page_html: str, typesetter, fonts_url: str) -> tuple[str, int]:
    """Replace every formula of the page; return (new HTML, number of formulas).

    Raises PageTexErrors naming every formula MathJax rejects."""
    formulas = sorted(arithmatex_formulas(page_html) + notebook_formulas(page_html),
                      key=lambda f: f.start)
    if not formulas:
        return page_html, 0
    errors, rendered = [], []
    for formula in formulas:
        try:
            rendered.append(typesetter.formula(formula.tex, formula.display))
        except TexError as error:
            errors.append((formula.written, str(error)))
    if errors:
        raise PageTexErrors(errors)
    pieces, position = [], 0
    for formula, result in zip(formulas, rendered):
        pieces.append(page_html[position:formula.start])
        position = formula.end
        markup = element(formula, result["html"])
        punctuation = PUNCTUATION.match(page_html, position)
        if not formula.display and punctuation:
            markup = f'<span class="math-nobreak">{markup}{punctuation.group()}</span>'
            position = punctuation.end()
        pieces.append(markup)
    pieces.append(page_html[position:])
    new_html = "".join(pieces)
    css = stylesheet(typesetter.base_rules(), [r["rules"] for r in rendered], fonts_url)
    head = preloads(new_html, fonts_url) + f'<style id="{STYLE_ID}">\n{css}\n</style>'
    new_html = new_html.replace("</head>", head + "</head>", 1)
    return new_html, len(formulas)
