"""The interactive figures in Chromium: each pick shows the numbers numpy computes.

For every page that shows a "what moves" figure, in both languages, the reader picks
every entry in turn; each time, the outputs that the widget highlights, the numbers it
shows, the gradient it assembles and, for every Δ of the control, the loss's change
must equal what numpy computes here, from the snippets, for that entry. The widget's
script does no arithmetic, so a wrong number can only come from the build's data or
from the script showing the wrong part of it: both fail here.
"""

import re

import numpy as np
import pytest
from playwright.sync_api import sync_playwright

from conftest import ROOT
from hooks.nudge_figures import (
    FIGURES,
    activations,
    bias_columns,
    bias_rows,
    convolution,
    elementwise,
    matrix_product,
    normalization,
    softmax,
)
from hooks.nudge_figures.widget import has_widget
from site_server import launch_chromium, serve, wait_for_page
from snippets.activations import sigmoid, sigmoid_backward
from snippets.bias import (
    linear_columns,
    linear_columns_backward,
    linear_rows,
    linear_rows_backward,
)
from snippets.convolution import conv1d, conv1d_backward
from snippets.elementwise import elementwise_product, elementwise_product_backward
from snippets.softmax import softmax as softmax_rows
from snippets.matrix_product import matmul, matmul_backward
from snippets.normalization import layer_norm, layer_norm_backward

LANGUAGES = ("en", "zh")
DELTAS = (0.01, 0.1, 0.5, 1.0, 2.0)  # what the control offers, smallest first
CJK = re.compile(r"[\u4e00-\u9fff]")
IMAGE = re.compile(r"!\[[^\]]*\]\(figures/([\w-]+)\.svg\)")


def softmax_backward_by_hand(z, dP):
    """dz = p ⊙ (dp − ⟨dp, p⟩) for each row, written out with numpy."""
    P = softmax_rows(z)
    return P * (dP - np.sum(dP * P, axis=1, keepdims=True))


def cases():
    """figure -> (X, forward, dY, dX): the input, the snippet's function, the loss's
    weights on its output and the gradient, computed here from the snippets."""
    mp, ew, act = matrix_product, elementwise, activations
    bc, br, sm, nm = bias_columns, bias_rows, softmax, normalization
    cv = convolution
    return {
        "matrix-product": (mp.A, lambda A: matmul(A, mp.B), mp.dC,
                           matmul_backward(mp.A, mp.B, mp.dC)[0]),
        "elementwise": (ew.A, lambda A: elementwise_product(A, ew.B), ew.dC,
                        elementwise_product_backward(ew.A, ew.B, ew.dC)[0]),
        "activations": (act.Z, sigmoid, act.dA, sigmoid_backward(act.Z, act.dA)),
        "bias-columns": (bc.b, lambda b: linear_columns(bc.W, bc.A, b), bc.dC,
                         linear_columns_backward(bc.W, bc.A, bc.dC)[2]),
        "bias-rows": (br.b, lambda b: linear_rows(br.X, br.W, b), br.dY,
                      linear_rows_backward(br.X, br.W, br.dY)[2]),
        "softmax": (sm.z, softmax_rows, sm.dP, softmax_backward_by_hand(sm.z, sm.dP)),
        "normalization": (nm.X, lambda X: layer_norm(X, nm.gamma, nm.beta), nm.dX_hat,
                          layer_norm_backward(nm.X, nm.gamma, nm.dX_hat)[0]),
        "convolution": (cv.w, lambda w: conv1d(cv.x, w), cv.dy,
                        conv1d_backward(cv.x, cv.w, cv.dy)[1]),
    }


CASES = cases()


def pages_with_figures():
    """page slug -> the interactive figures it shows, read from the English sources."""
    pages = {}
    for path in sorted((ROOT / "docs").glob("*.md")):
        if path.name.endswith(".zh.md"):
            continue
        shown = [name for name in IMAGE.findall(path.read_text(encoding="utf-8"))
                 if has_widget(FIGURES[name])]
        if shown:
            pages[path.stem] = shown
    return pages


PAGES = pages_with_figures()


def value(text):
    """A number as the widget writes it (−0.5, (−2)) back to a float."""
    return float(text.replace("\u2212", "-").strip("()"))


def moves(forward, X, index, h=1e-6):
    """How forward(X) moves per unit nudge of X[index], by a central difference."""
    E = np.zeros_like(X)
    E[index] = h
    return np.atleast_2d((forward(X + E) - forward(X - E)) / (2 * h))


#: Pick the entry `cell` as a click does, then read what the widget shows, once per Δ
#: of the control (set as the range input's value, with the input event it fires).
PICK_AND_READ = """([root, cell]) => {
  const matrix = (m) => ({
    title: m.getAttribute('data-title'),
    cells: [...m.querySelectorAll('tr')].map((tr) => [...tr.children].map((td) => ({
      text: td.textContent, moves: td.getAttribute('data-moves'),
      pressed: td.querySelector('button')?.getAttribute('aria-pressed') ?? null,
    }))),
  });
  root.querySelector(`button[data-cell="${cell}"]`).click();
  const rows = [...root.querySelectorAll('.nudge-row')];
  const heat = rows[0].querySelector('.nudge-matrix[data-heat]');
  const last = [...rows[rows.length - 1].querySelectorAll('.nudge-matrix')].pop();
  const pick = root.querySelector('.nudge-matrix button').closest('.nudge-matrix');
  const get = (name) => root.querySelector(`[data-nudge="${name}"]`).textContent;
  const range = root.querySelector('input[type=range]');
  const deltas = [];
  for (let k = Number(range.min); k <= Number(range.max); k++) {
    range.value = String(k);
    range.dispatchEvent(new Event('input'));
    deltas.push({delta: range.getAttribute('aria-valuetext'), actual: get('actual'),
                 predicted: get('predicted'), gap: get('gap')});
  }
  return {moved: matrix(heat), gradient: matrix(last), pick: matrix(pick),
          grad: get('grad'), deltas: deltas};
}"""


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def site(built_site):
    with serve(built_site) as base:
        yield base


def open_page(browser, site, slug, lang, width=1280, dark=False):
    context = browser.new_context(viewport={"width": width, "height": 900},
                                  color_scheme="dark" if dark else "light")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    prefix = "" if lang == "en" else f"{lang}/"
    page.goto(f"{site}{prefix}{slug}/")
    wait_for_page(page)
    return context, page, errors


def test_the_known_pages_show_figures():
    assert {"matrix-product", "elementwise", "activations", "bias", "softmax",
            "normalization", "convolution"} <= set(PAGES)
    with_widget = {name for name, module in FIGURES.items() if has_widget(module)}
    assert with_widget == set(CASES), "a figure's widget has no case here, or none"


#: Each language on its own screen: English on a desktop, Chinese on a phone, dark.
SCREENS = {"en": (1280, False), "zh": (390, True)}


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("slug", PAGES)
def test_every_pick_and_every_delta_shows_what_numpy_computes(browser, site, slug,
                                                              lang):
    width, dark = SCREENS[lang]
    context, page, errors = open_page(browser, site, slug, lang, width, dark)
    try:
        figures = page.locator("figure.nudge-replaced")
        widgets = page.locator(".nudge-widget")
        assert figures.count() == widgets.count() == len(PAGES[slug])
        for k in range(figures.count()):
            # the static SVG stays in the page, with its alt text, hidden on screen
            assert not figures.nth(k).is_visible()
            assert figures.nth(k).locator("img").get_attribute("alt")
            assert widgets.nth(k).is_visible()
            box = widgets.nth(k).evaluate(
                "(w) => [w.scrollWidth, w.clientWidth, w.getBoundingClientRect().right]"
            )
            assert box[0] <= box[1] and box[2] <= width, f"too wide: {box}"
        for name in PAGES[slug]:
            check_widget(page, name, lang)
        page.emulate_media(media="print")  # on paper, the static figure again
        assert figures.first.is_visible() and not widgets.first.is_visible()
        assert not errors, errors
    finally:
        context.close()


def check_widget(page, name, lang):
    X, forward, dY, dX = CASES[name]
    root = page.locator(f'.nudge-widget[data-figure="{name}"]')
    assert root.count() == 1, f"no widget for {name}"
    title = root.locator(".nudge-title").text_content()
    assert bool(CJK.search(title)) == (lang == "zh"), title
    buttons = root.locator(".nudge-matrix button")
    cells = [tuple(int(n) for n in buttons.nth(k).get_attribute("data-cell").split(","))
             for k in range(buttons.count())]
    assert sorted(cells) == sorted(np.ndindex(np.atleast_2d(X).shape))
    handle = root.element_handle()
    for cell in cells:
        shown = page.evaluate(PICK_AND_READ, [handle, f"{cell[0]},{cell[1]}"])
        index = cell if X.ndim == 2 else (cell[1],)
        where = f"{name} ({lang}), nudging {cell}"
        # the picked entry is marked for screen readers too
        pressed = {(r, c) for r, row in enumerate(shown["pick"]["cells"])
                   for c, td in enumerate(row) if td["pressed"] == "true"}
        assert pressed == {cell}, where
        # which outputs move, in which direction, and by how much
        expected = moves(forward, X, index)
        seen = shown["moved"]["cells"]
        assert np.shape(seen)[:2] == expected.shape, where
        for (r, c), rate in np.ndenumerate(expected):
            td = seen[r][c]
            kind = "up" if rate > 1e-9 else "down" if rate < -1e-9 else "still"
            assert td["moves"] == kind, f"{where}: output {(r, c)}"
            assert value(td["text"]) == pytest.approx(rate, abs=0.005 + 1e-6), where
        # the assembled gradient entry and the whole gradient
        assert value(shown["grad"].rsplit("=", 1)[1]) == pytest.approx(
            dX[index], abs=0.005 + 1e-9), where
        grid = np.array([[value(td["text"]) for td in row]
                         for row in shown["gradient"]["cells"]])
        np.testing.assert_allclose(grid, np.atleast_2d(dX), atol=0.005 + 1e-9,
                                   err_msg=where)
        # the Δ control: the loss's actual change beside the first-order prediction
        assert len(shown["deltas"]) == len(DELTAS), where
        tolerance = 0.5e-5 + 1e-9
        for delta, row in zip(DELTAS, shown["deltas"]):
            assert value(row["delta"].split("=")[1]) == delta
            E = np.zeros_like(X)
            E[index] = delta
            actual = np.sum(dY * (forward(X + E) - forward(X)))
            predicted = dX[index] * delta
            at = f"{where}, Δ = {delta}"
            assert value(row["actual"]) == pytest.approx(actual, abs=tolerance), at
            assert value(row["predicted"]) == pytest.approx(predicted,
                                                            abs=tolerance), at
            assert value(row["gap"]) == pytest.approx(actual - predicted,
                                                      abs=tolerance), at


def test_keyboard_picks_an_entry_and_moves_delta_and_focus_is_visible(browser, site):
    context, page, _ = open_page(browser, site, "matrix-product", "en")
    try:
        root = page.locator('.nudge-widget[data-figure="matrix-product"]')
        root.locator('button[data-cell="0,0"]').focus()
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowRight")
        focused = page.evaluate("document.activeElement.getAttribute('data-cell')")
        assert focused == "1,1"
        page.keyboard.press("Enter")
        pressed = root.locator('button[aria-pressed="true"]')
        assert pressed.get_attribute("data-cell") == "1,1"
        # the pick re-draws the figure and keeps the focus on the picked entry
        focused = page.evaluate("document.activeElement.getAttribute('data-cell')")
        assert focused == "1,1"
        outline = page.evaluate(
            "getComputedStyle(document.activeElement).outlineStyle")
        assert outline not in ("", "none")
        live = root.locator("[aria-live]").text_content()
        assert "a₂₂" in live and "da₂₂" in live, live
        page.keyboard.press("ArrowLeft")
        page.keyboard.press("Space")  # a button: Space picks as well
        pressed = root.locator('button[aria-pressed="true"]')
        assert pressed.get_attribute("data-cell") == "1,0"
        slider = root.locator("input[type=range]")
        slider.focus()
        shown = []
        for key in ("Home", "ArrowRight", "End"):
            page.keyboard.press(key)
            shown.append(slider.get_attribute("aria-valuetext"))
        assert shown == ["Δ = 0.01", "Δ = 0.1", "Δ = 2"]
        assert root.locator("output").text_content() == "Δ = 2"
    finally:
        context.close()
