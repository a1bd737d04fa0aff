"""The build-time math renderer (hooks/math_render), without building the site."""

import sys

import pytest

from conftest import ROOT

sys.path.insert(0, str(ROOT / "hooks"))
from math_render.formulas import Typesetter  # noqa: E402
from math_render.page import PageTexErrors, typeset_page  # noqa: E402


@pytest.fixture(scope="module")
def typesetter():
    typesetter = Typesetter(None)
    yield typesetter
    typesetter.close()


PAGE = (
    "<html><head></head><body>"
    '<p>Inline <span class="arithmatex">\\(\\{x_1\\}\\)</span>。Then '
    '<span class="arithmatex">\\(N\\)</span> samples.</p>'
    '<div class="arithmatex">\\[ dW = X^\\top \\delta \\]</div>'
    '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown"><p>cell $a_{ij}$ and '
    "<code>$not math$</code> and $$\\sum_i a_i$$</p></div>"
    "</body></html>"
)


def test_every_formula_is_replaced_and_carries_its_tex(typesetter):
    html, count = typeset_page(PAGE, typesetter, "../fonts")
    assert count == 5  # three from arithmatex, two from the notebook cell
    assert html.count("<mjx-container") == 5
    assert html.count("<mjx-assistive-mml") == 5
    assert 'data-tex="\\(\\{x_1\\}\\)"' in html and 'data-tex="$a_{ij}$"' in html
    assert "<code>$not math$</code>" in html  # code stays as written


def test_punctuation_after_inline_math_is_kept_with_it(typesetter):
    html, _ = typeset_page(PAGE, typesetter, "../fonts")
    assert html.count('<span class="math-nobreak">') == 1  # \(\{x_1\}\)。 (N is not)
    assert "</span>。</span>Then" in html


def test_page_stylesheet_holds_every_rule_of_its_formulas(typesetter):
    """The union of each formula's own rules is what MathJax makes for them together."""
    html, _ = typeset_page(PAGE, typesetter, "../fonts")
    css = html.split('<style id="mathjax-chtml">')[1].split("</style>")[0]
    rules = {rule.strip() for rule in css.split("\n\n") if rule.strip()}
    together = typesetter.renderer.typeset_together(
        [("\\{x_1\\}", False), ("N", False), ("dW = X^\\top \\delta", True),
         ("a_{ij}", False), ("\\sum_i a_i", True)]
    )
    expected = {rule.replace("@MATHJAX_FONTS@", "../fonts") for rule in together}
    assert expected <= rules  # the page also has the no-break rule
    assert 'content: "{";' in css  # a glyph rule holding a brace survives the split


def test_tex_errors_name_every_broken_formula(typesetter):
    page = PAGE.replace("\\(N\\)", "\\(\\frac{1}{\\)").replace("$a_{ij}$", "$\\nosuch$")
    with pytest.raises(PageTexErrors) as failed:
        typeset_page(page, typesetter, "../fonts")
    assert [written for written, _ in failed.value.errors] == ["\\(\\frac{1}{\\)", "$\\nosuch$"]
    assert "Missing close brace" in failed.value.errors[0][1]


def test_cache_renders_each_formula_once(typesetter):
    typeset_page(PAGE, typesetter, "../fonts")
    before = typesetter.rendered
    typeset_page(PAGE, typesetter, "../fonts")
    assert typesetter.rendered == before
    assert typesetter.key("x", False) != typesetter.key("x", True)
