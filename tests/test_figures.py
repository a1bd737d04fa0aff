"""The perturbation figures (hooks/nudge_figures/): right numbers, same bytes, glyphs.

The figures are drawn during the build and never committed, so they cannot go stale;
these tests check that what they show agrees with the snippets' math, that drawing them
twice gives the same bytes, and that a Chinese figure never shows empty boxes.
"""

import re
import subprocess
import sys

import numpy as np
import pytest
from mkdocs.exceptions import PluginError

from conftest import ROOT
from hooks import nudge_figures as figures
from hooks.nudge_figures import fonts
from hooks.nudge_figures.drawing import lines
from hooks.nudge_figures.text import number, products
from hooks.nudge_figures.widget import TEXT as WIDGET_TEXT
from hooks.nudge_figures.widget import widget
from snippets.activations import sigmoid
from snippets.convolution import conv1d
from snippets.softmax import softmax
from snippets.normalization import layer_norm_backward, normalize_backward_steps

LANGUAGES = ("en", "zh")
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
GLYPH_ID = re.compile(r'<path id="([\w-]+)-([0-9a-f]+)"')


def nonzero(X):
    return {tuple(int(n) for n in index) for index in np.argwhere(X != 0)}


# --- What the figures show agrees with the snippets -----------------------------------


def test_matrix_product_nudge_moves_only_row_i_by_row_k_of_B():
    d = figures.matrix_product.data()
    i, k = d["i"], d["k"]
    assert {r for r, _ in nonzero(d["moved"])} == {i}
    np.testing.assert_allclose(d["moved"][i], d["B"][k], rtol=1e-9)


def test_matrix_product_assembled_entry_is_matmul_backwards():
    d = figures.matrix_product.data()
    i, k = d["i"], d["k"]
    assert d["terms"] == list(zip(d["dC"][i], d["B"][k]))  # the two outlined rows
    assert sum(a * b for a, b in d["terms"]) == pytest.approx(d["dA"][i, k], rel=1e-12)
    np.testing.assert_allclose(d["dA"], d["dC"] @ d["B"].T)


def test_elementwise_nudge_moves_one_entry_by_b_ij():
    d = figures.elementwise.data()
    i, j = d["i"], d["j"]
    assert nonzero(d["moved"]) == {(i, j)}
    assert d["moved"][i, j] == pytest.approx(d["B"][i, j], rel=1e-9)


def test_elementwise_assembled_entry_is_the_backwards():
    d = figures.elementwise.data()
    i, j = d["i"], d["j"]
    (b, dc), = d["terms"]
    assert (b, dc) == (d["B"][i, j], d["dC"][i, j])
    assert b * dc == pytest.approx(d["dA"][i, j], rel=1e-12)


def test_activation_nudge_moves_one_entry_by_the_slope():
    d = figures.activations.data()
    i, j = d["i"], d["j"]
    s = sigmoid(d["Z"])
    np.testing.assert_allclose(d["slope"], s * (1 - s), rtol=1e-12)
    assert nonzero(d["moved"]) == {(i, j)}
    assert d["moved"][i, j] == pytest.approx(d["slope"][i, j], rel=1e-7)


def test_activation_assembled_entry_is_the_backwards():
    d = figures.activations.data()
    i, j = d["i"], d["j"]
    (slope, da), = d["terms"]
    assert (slope, da) == (d["slope"][i, j], d["dA"][i, j])
    assert slope * da == pytest.approx(d["dZ"][i, j], rel=1e-12)
    x, y = d["point"]
    assert y == pytest.approx(sigmoid(x))


def test_bias_columns_nudge_moves_a_whole_row_and_db_is_its_sum():
    d = figures.bias_columns.data()
    i = d["i"]
    expected = np.zeros_like(d["dC"])
    expected[i] = 1.0
    np.testing.assert_allclose(d["moved"], expected, rtol=1e-9, atol=0)
    assert sum(d["terms"]) == pytest.approx(d["db"][i, 0], rel=1e-12)


def test_bias_rows_nudge_moves_a_whole_column_and_db_is_its_sum():
    d = figures.bias_rows.data()
    j = d["j"]
    expected = np.zeros_like(d["dY"])
    expected[:, j] = 1.0
    np.testing.assert_allclose(d["moved"], expected, rtol=1e-9, atol=0)
    assert sum(d["terms"]) == pytest.approx(d["db"][j], rel=1e-12)


def test_softmax_nudge_moves_the_whole_row_and_the_moves_sum_to_zero():
    d = figures.softmax.data()
    j, p = d["j"], d["P"]
    assert nonzero(d["moved"][None]) == {(0, k) for k in range(len(p))}
    expected = -p * p[j]
    expected[j] = p[j] * (1 - p[j])  # the column j of diag(p) - p p^T
    np.testing.assert_allclose(d["moved"], expected, rtol=1e-7)
    assert d["moved"][j] > 0 and (np.delete(d["moved"], j) < 0).all()
    assert abs(d["moved"].sum()) < 1e-12
    # what the figure writes, for every logit the reader can pick: the rounded moves
    # add up to 0 as well
    for pick in figures.softmax.PICKS:
        moved = figures.softmax.data(pick)["moved"]
        shown = [round(float(number(m).replace("\u2212", "-")) * 100) for m in moved]
        assert sum(shown) == 0, pick


def test_softmax_assembled_entry_is_p_times_dp_minus_inner_product():
    d = figures.softmax.data()
    j, p, dp = d["j"], d["P"], d["dP"]
    np.testing.assert_allclose(p, softmax(d["z"][None])[0])
    assert d["inner"] == pytest.approx(dp @ p)
    np.testing.assert_allclose(d["dz"], p * (dp - dp @ p), rtol=1e-7)
    # the moves are measured by central differences: equal to first order in the step
    assert sum(a * b for a, b in d["terms"]) == pytest.approx(d["dz"][j], rel=1e-7)


def test_normalization_three_paths_add_up_to_the_move_of_the_row():
    d = figures.normalization.data()
    i = d["i"]
    paths = d["paths"]
    np.testing.assert_allclose(sum(paths.values()), d["moved"], rtol=1e-6, atol=1e-9)
    assert {r for r, _ in nonzero(d["moved"])} == {i}  # the other row stays
    assert nonzero(paths["direct"]) == {(i, d["j"])}
    sigma = d["sigma"][i, 0]
    np.testing.assert_allclose(paths["mean"][i], -1 / (3 * sigma), rtol=1e-7)
    x_hat = d["X_hat"][i]
    expected = -x_hat * x_hat[d["j"]] / (3 * sigma)
    np.testing.assert_allclose(paths["variance"][i], expected, rtol=1e-6)


def test_normalization_assembled_entry_is_the_sum_of_the_three_paths():
    d = figures.normalization.data()
    i, j = d["i"], d["j"]
    gamma = np.ones(d["X"].shape[1])
    dX = layer_norm_backward(d["X"], gamma, d["dX_hat"])[0]
    np.testing.assert_allclose(d["dX"], dX)
    steps = normalize_backward_steps(d["X"], gamma, d["dX_hat"], axis=1)
    assert sum(d["terms"].values()) == pytest.approx(steps[i, j], rel=1e-7)


def test_used_twice_each_path_moves_its_row_or_column_and_the_two_add():
    d = figures.used_twice.data()
    A, i, k = d["A"], d["i"], d["k"]
    m = A.shape[0]
    assert nonzero(d["left"]) <= {(i, j) for j in range(m)}  # row i of C
    assert nonzero(d["right"]) <= {(j, i) for j in range(m)}  # column i of C
    np.testing.assert_allclose(d["left"][i, :], A[:, k], rtol=1e-9)
    np.testing.assert_allclose(d["right"][:, i], A[:, k], rtol=1e-9)
    np.testing.assert_allclose(d["moved"], d["left"] + d["right"], rtol=1e-9)
    assert d["moved"][i, i] == pytest.approx(2 * A[i, k], rel=1e-9)  # c_ii moves twice


def test_used_twice_assembled_entry_is_the_sum_of_the_two_paths():
    d = figures.used_twice.data()
    paths = sum(a * b for a, b in d["left_terms"] + d["right_terms"])
    assert paths == pytest.approx(d["dA"][d["i"], d["k"]], rel=1e-12)
    left = sum(a * b for a, b in d["left_terms"])
    assert left != pytest.approx(paths)  # dC is not symmetric: one path is not enough


def test_convolution_nudge_of_a_weight_moves_every_output_by_its_window_of_x():
    cv = figures.convolution
    T = len(conv1d(cv.x, cv.w))
    for pick in cv.PICKS:
        d = cv.data(pick)
        k = d["k"]
        assert nonzero(d["moved"][None]) == {(0, t) for t in range(T)}, pick
        np.testing.assert_allclose(d["moved"], d["x"][k:k + T], rtol=1e-9)  # x_{t+k}
        assert d["window"] == (k, k + T - 1)


def test_convolution_assembled_entry_is_the_correlation_of_x_with_dy():
    cv = figures.convolution
    for pick in cv.PICKS:
        d = cv.data(pick)
        np.testing.assert_allclose(d["dw"], np.correlate(d["x"], d["dy"], "valid"))
        assert sum(a * b for a, b in d["terms"]) == pytest.approx(d["dw"][d["k"]],
                                                                  rel=1e-9)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_convolution_names_entries_from_0_as_its_page_does(lang):
    """The page writes w₀, x₀ … x₃: the figure and its widget name them the same."""
    cv = figures.convolution
    data = widget("convolution", cv, lang)
    for k, pick in enumerate(cv.PICKS):
        text = figure_text("convolution", lang, pick)
        window = ("、" if lang == "zh" else ", ").join(f"x{'₀₁₂₃'[k + t]}"
                                                      for t in range(3))
        assert f"dw{'₀₁'[k]} = " in text and window in text, text
        assert data["picks"][k]["grad"].startswith(f"dw{'₀₁'[k]} = ")
        label = WIDGET_TEXT[lang]["pick_position"].format(
            entry=f"w{'₀₁'[k]}", i=k, v=number(cv.w[k]))  # its position, from 0
        assert data["picks"][k]["label"] == label


@pytest.mark.parametrize(
    ("data", "upstream", "gradient", "index"),
    [
        (figures.matrix_product.data, "dC", "dA", ("i", "k")),
        (figures.elementwise.data, "dC", "dA", ("i", "j")),
        (figures.activations.data, "dA", "dZ", ("i", "j")),
        (figures.normalization.data, "dX_hat", "dX", ("i", "j")),
        (figures.used_twice.data, "dC", "dA", ("i", "k")),
        (figures.convolution.data, "dy", "dw", ("k",)),
    ],
)
def test_chain_rule_joins_the_two_rows_of_a_figure(data, upstream, gradient, index):
    """The moves of the top row, weighted by the upstream gradient, sum to the entry
    that the bottom row assembles: the nudge argument and the code agree."""
    d = data()
    entry = tuple(d[name] for name in index)
    weighted = np.sum(d[upstream] * d["moved"])
    assert weighted == pytest.approx(d[gradient][entry], rel=1e-7)


def test_numbers_are_written_as_a_reader_writes_them():
    assert number(2.0) == "2"
    assert number(0.5) == "0.5"
    assert number(-1.25) == "\u22121.25"
    assert number(-1e-12) == "0"
    assert number(-2.0, term=True) == "(\u22122)"
    assert products([(1.0, 1.0), (-2.0, 3.0)]) == "1 · 1 + (\u22122) · 3"


# --- Stable bytes, real glyphs --------------------------------------------------------


@pytest.fixture(scope="module")
def svgs():
    return {(name, lang): figures.render(name, lang)
            for name in figures.FIGURES for lang in LANGUAGES}


def test_a_figure_is_the_same_bytes_every_time(svgs):
    assert figures.render("activations", "zh") == svgs["activations", "zh"]


def test_a_figure_is_the_same_bytes_in_another_process(svgs, tmp_path):
    """Loaded as MkDocs loads a hook (by its path, from elsewhere), the hook file finds
    its package and draws the same bytes."""
    code = (
        "import importlib.util, sys\n"
        f"path = {str(ROOT / 'hooks/figures.py')!r}\n"
        "spec = importlib.util.spec_from_file_location('hooks/figures.py', path)\n"
        "f = importlib.util.module_from_spec(spec); spec.loader.exec_module(f)\n"
        "sys.stdout.buffer.write(f.render('matrix-product', 'zh'))\n"
    )
    run = subprocess.run([sys.executable, "-c", code], cwd=tmp_path,
                         capture_output=True, timeout=120)
    assert run.returncode == 0, run.stderr.decode()[-2000:]
    assert run.stdout == svgs["matrix-product", "zh"]


def test_svg_has_no_date_and_no_random_ids(svgs):
    svg = svgs["matrix-product", "en"].decode()
    assert "<dc:date>" not in svg
    assert "matplotlib.org" not in svg  # no "Creator" line naming a version


def figure_text(name, lang, *pick):
    """Every label that a figure writes, from its layout (for `pick`, or its default)."""
    texts = []
    for heading, items, formula in figures.FIGURES[name].layout(lang, *pick):
        texts += [heading, *lines(formula)]
        for item in items:
            texts += [getattr(item, "title", ""), getattr(item, "label", ""),
                      getattr(item, "symbol", "")]
    return "".join(texts)


@pytest.mark.parametrize("name", figures.FIGURES)
def test_chinese_labels_are_drawn_with_cjk_glyphs_and_no_box(name, svgs):
    svg = svgs[name, "zh"].decode()
    glyphs = set(GLYPH_ID.findall(svg))
    cjk_glyphs = {glyph for font, glyph in glyphs if font.startswith("NotoSansCJK")}
    assert len(cjk_glyphs) == len(set(CJK.findall(figure_text(name, "zh"))))
    assert not [font for font, glyph in glyphs if glyph == "0"], "a .notdef box"


@pytest.mark.parametrize("name", figures.FIGURES)
def test_english_figures_have_no_chinese(name, svgs):
    assert not CJK.findall(figure_text(name, "en"))
    assert "NotoSansCJK" not in svgs[name, "en"].decode()


@pytest.mark.parametrize("name", figures.FIGURES)
def test_labels_differ_by_language(name, svgs):
    assert svgs[name, "en"] != svgs[name, "zh"]


# --- A missing font stops the build with a clear message ------------------------------


def test_missing_cjk_font_fails_with_a_clear_message(monkeypatch):
    monkeypatch.setattr(fonts, "CJK_FONT", "No Such CJK Font")
    with pytest.raises(PluginError, match="fonts-noto-cjk"):
        figures.render("matrix-product", "zh")


def test_boxes_are_an_error_even_past_the_font_check(monkeypatch):
    """Should the font check pass wrongly, the drawing itself still refuses boxes."""
    monkeypatch.setattr(fonts, "require_cjk_font", lambda: None)
    monkeypatch.setattr(fonts, "CJK_FONT", "No Such CJK Font")
    with pytest.raises(PluginError, match="empty boxes"):
        figures.render("bias-columns", "zh")


def test_english_figures_need_no_cjk_font(monkeypatch):
    monkeypatch.setattr(fonts, "CJK_FONT", "No Such CJK Font")
    assert figures.render("elementwise", "en").startswith(b"<?xml")


# --- The build ships exactly what the generator draws ---------------------------------

IMAGE = re.compile(r"!\[[^\]]*\]\(figures/([\w-]+)\.svg\)")


def test_every_figure_a_page_shows_is_drawn_by_the_hook():
    shown = {name for page in (ROOT / "docs").rglob("*.md")
             for name in IMAGE.findall(page.read_text(encoding="utf-8"))}
    assert shown, "no page shows a figure"
    assert shown <= set(figures.FIGURES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_built_site_has_the_figures_of_each_language(lang, built_site, svgs):
    folder = built_site / ("" if lang == "en" else lang) / "figures"
    for name in figures.FIGURES:
        assert (folder / f"{name}.svg").read_bytes() == svgs[name, lang]


def test_chinese_page_shows_the_chinese_figure(built_site):
    html = (built_site / "zh/matrix-product/index.html").read_text(encoding="utf-8")
    assert 'src="../figures/matrix-product.svg"' in html
    assert (built_site / "zh/figures/matrix-product.svg").is_file()


# --- Every figure of the registry is complete ---------------------------------------


@pytest.mark.parametrize("name", figures.FIGURES)
def test_every_figure_has_its_labels_in_every_language(name):
    text = figures.FIGURES[name].TEXT
    assert set(text) == set(LANGUAGES)
    assert len({frozenset(text[lang]) for lang in LANGUAGES}) == 1, "keys differ"
