"""Every page of the built site, in both languages, as a reader's browser shows it.

One visit per page, and three tests that read what it found: the list comes from the
page sources in `docs/`, so a new page is covered without editing this file, and a
separate test checks it against the built sitemap. Each page is loaded once from a
local server in headless Chromium, in a fresh context, and looked at in light and dark
mode at 1280 px and 390 px.

`test_page_in_the_browser`: its math typeset at build time (no MathJax script, nothing
typeset at load, every formula arrived as `<mjx-container>` with its TeX in `data-tex`
and its assistive MathML, shown with a size and drawn glyphs, its fonts loaded, no TeX
error and no raw TeX left), legible in dark mode (contrast at least 4.5:1), no
punctuation (。，、：；）. , ; :) starting a line after inline math at 1280 px and
390 px; no failed request, no 4xx/5xx and no request to another host; no console error
or uncaught exception; a language switch that leads to its twin page; a copy button on
every code block; the right `<html lang>`.

`test_page_fits_a_phone`: at 390 px no page is wider than the viewport, every equation
that scrolls shows that it does, a table that scrolls keeps its row labels in view, and
Chinese captions are upright. `test_dark_mode_text_contrast` (the home pages, a code
page, the cheat sheet and the notebooks): every text has a contrast of at least 4.5:1
in dark mode at 1280 px.

Search is tried in both languages. A page with a problem leaves a screenshot and its
log in `test-artifacts/browser/<language>/<page>/`.

`test_detects[...]` breaks a copy of the built site on purpose, one fault at a time,
and checks that the same page visit reports the fault: these checks can fail.

Needs Chromium (`apt-get install chromium fonts-noto-cjk`); without it the tests skip,
unless `REQUIRE_BROWSER=1`, which makes them fail instead (as in CI).
"""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from conftest import ROOT
from site_server import FONTS_AND_PAINT, serve, sitemap_pages, wait_for_page

DOCS = ROOT / "docs"
ARTIFACTS = ROOT / "test-artifacts" / "browser"
OTHER_LANGUAGE = {"en": "zh", "zh": "en"}


# --- Which pages there are ------------------------------------------------------------


def site_path(source: Path) -> str:
    """Where a page source in docs/ lands on the site: `x.zh.md` -> `zh/x/`."""
    relative = source.relative_to(DOCS)
    name = relative.name.removesuffix(relative.suffix)
    chinese = name.endswith(".zh")
    name = name.removesuffix(".zh")
    parts = [*relative.parent.parts, *([] if name == "index" else [name])]
    return ("zh/" if chinese else "") + "".join(part + "/" for part in parts)


def source_pages() -> list[str]:
    """The site path of every page source: Markdown pages and notebooks/*.py."""
    sources = [*DOCS.rglob("*.md"), *DOCS.glob("notebooks/*.py")]
    return sorted(site_path(source) for source in sources)


def language(path: str) -> str:
    return "zh" if path.startswith("zh/") else "en"


def twin(path: str) -> str:
    """The same page in the other language: `x/` <-> `zh/x/`."""
    return path.removeprefix("zh/") if language(path) == "zh" else "zh/" + path


def page_id(path: str) -> str:
    """A readable name for a page: `en/index`, `zh/matrix-product`."""
    return f"{language(path)}/{path.removeprefix('zh/').strip('/') or 'index'}"


PAGES = source_pages()


# --- How many formulas a page has -----------------------------------------------------

# One formula in the text of a notebook's Markdown cell, in any delimiters that MathJax
# could be configured for: `$$` before `$`, and an escaped `\$` is no delimiter.
NOTEBOOK_FORMULA = re.compile(
    r"\$\$.+?\$\$|\\\[.+?\\\]|\\\(.+?\\\)|(?<![\\$])\$[^$]+?(?<!\\)\$"
    r"|\\begin\{([a-z]+\*?)\}.+?\\end\{\1\}",
    re.DOTALL,
)


class FormulaCounter(HTMLParser):
    """Count the formulas that a page's HTML asks MathJax to typeset.

    pymdownx.arithmatex wraps each formula in its own element of class `arithmatex`.
    A notebook's Markdown cell (class `jp-RenderedMarkdown`) keeps the delimiters in
    its text, so its formulas are counted there, outside code.
    """

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
            "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.arithmatex = 0
        self.cells: list[str] = []  # the text of each notebook Markdown cell
        self.open: list[str] = []  # the tags open inside the current cell

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        self.arithmatex += "arithmatex" in classes
        if self.open or "jp-RenderedMarkdown" in classes:
            if not self.open:
                self.cells.append("")
            self.open.append(tag)

    def handle_endtag(self, tag):
        if tag in self.open:
            while self.open.pop() != tag:
                pass

    def handle_data(self, data):
        if self.open and not {"code", "pre"} & set(self.open):
            self.cells[-1] += data

    def formulas(self) -> int:
        in_cells = sum(len(NOTEBOOK_FORMULA.findall(cell)) for cell in self.cells)
        return self.arithmatex + in_cells


def expected_formulas(html: str) -> int:
    counter = FormulaCounter()
    counter.feed(html)
    return counter.formulas()


# --- What a page must look like in the browser ----------------------------------------

# Runs before the page's scripts: notes every formula container added to the document
# after the HTML was parsed, i.e. typeset in the browser (the math comes typeset).
WATCH_TYPESETTING = r"""
window.__typesetAtLoad = 0;
document.addEventListener("DOMContentLoaded", () => {
  // the parsed ones; Material moves some (tables into scroll wrappers): not new
  const parsed = new WeakSet(document.querySelectorAll("mjx-container"));
  new MutationObserver(records => {
    for (const record of records) for (const node of record.addedNodes) {
      if (node.nodeType !== 1) continue;
      const added = [...(node.matches("mjx-container") ? [node] : []),
                     ...node.querySelectorAll("mjx-container")];
      window.__typesetAtLoad += added.filter(c => !parsed.has(c)).length;
    }
  }).observe(document.documentElement, {childList: true, subtree: true});
});
"""

# Everything the checks need from the page once it is painted, in one round trip.
FACTS = r"""() => {
  const article = document.querySelector("article") || document.body;
  const text = article.cloneNode(true);
  text.querySelectorAll("pre, code, mjx-container, script, style")
    .forEach(e => e.remove());
  const cells = [...text.querySelectorAll(".jp-RenderedMarkdown")].map(e => e.textContent);
  // Material's copy button: a button whose clipboard target is the code element.
  const hasCopyButton = code => [
    ...code.parentElement.querySelectorAll("button[data-clipboard-target]")
  ].some(button => document.querySelector(button.dataset.clipboardTarget) === code);
  const codeBlocks = ".md-typeset pre:not(.mermaid) > code";
  const containers = [...document.querySelectorAll("mjx-container")];
  // Shown (not in a closed tab or details): it must have a size and drawn glyphs.
  const shown = containers.filter(c => c.checkVisibility());
  const invisible = shown.filter(c => {
    const box = c.getBoundingClientRect();
    const glyph = c.querySelector("mjx-c");
    const drawn = !glyph || getComputedStyle(glyph, "::before").content !== "none";
    return !(box.width > 0 && box.height > 0 && drawn);
  });
  const mathFonts = [...document.fonts].filter(f => f.family.startsWith("MJXTEX"));
  return {
    lang: document.documentElement.lang,
    containers: containers.length,
    mathjaxScripts: [...document.scripts]
      .filter(s => /mathjax|tex-chtml/i.test(s.src) || /MathJax/.test(s.textContent))
      .map(s => s.src || s.textContent.slice(0, 60)),
    mathjaxGlobal: typeof window.MathJax !== "undefined",
    typesetAtLoad: window.__typesetAtLoad,
    untypeset: [...document.querySelectorAll(".arithmatex")]
      .filter(e => !e.querySelector("mjx-container"))
      .map(e => e.textContent.trim()),
    errorElements: [...document.querySelectorAll("mjx-merror, [data-mjx-error]")]
      .map(e => e.closest("[data-tex]")?.dataset.tex || e.textContent),
    withoutTex: containers.filter(c => !c.closest("[data-tex]")).length,
    withoutMathML: containers.filter(c => !c.querySelector("mjx-assistive-mml math")).length,
    invisible: invisible.map(c => c.closest("[data-tex]")?.dataset.tex || "?"),
    fontsFailed: mathFonts.filter(f => f.status === "error").map(f => f.family),
    fontsLoaded: mathFonts.filter(f => f.status === "loaded").length,
    articleText: text.textContent,
    cellText: cells.join("\n"),
    switchLinks: [...document.querySelectorAll(".md-header .md-select__link[hreflang]")]
      .map(a => [a.hreflang, a.href]),
    codeWithoutCopy: [...document.querySelectorAll(codeBlocks)]
      .filter(code => !hasCopyButton(code))
      .map(code => code.textContent.trim().split("\n")[0]),
  };
}"""

#: Full-width and English punctuation that must not start a line after inline math.
PUNCTUATION = "。，、：；）.,;:"

# Each shown inline formula followed by punctuation that starts the next line.
PUNCTUATION_LINE_STARTS = r"""punctuation => {
  const found = [];
  for (const math of document.querySelectorAll("mjx-container:not([display='true'])")) {
    if (!math.checkVisibility()) continue;
    // the first character after the formula, wherever it is in the DOM
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const wrapper = math.closest(".arithmatex") || math;
    walker.currentNode = wrapper;
    let node = walker.nextNode();
    while (node && (wrapper.contains(node) || node.textContent.length === 0)) {
      node = walker.nextNode();
    }
    if (!node || !punctuation.includes(node.textContent[0])) continue;
    const range = document.createRange();
    range.setStart(node, 0);
    range.setEnd(node, 1);
    const mark = range.getClientRects()[0];
    const box = math.getBoundingClientRect();
    if (mark && mark.top >= box.bottom - 2) {
      found.push((math.closest("[data-tex]")?.dataset.tex || "") + node.textContent[0]);
    }
  }
  return found;
}"""

# The contrast of each shown formula's colour with the background behind it (WCAG).
MATH_CONTRAST = r"""() => {
  const rgb = c => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b]
    .map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4)
    .reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
  const background = element => {
    for (let e = element; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length === 3 || (c.length === 4 && c[3] > 0)) return c;
    }
    return [255, 255, 255];
  };
  const worst = {ratio: Infinity, tex: null};
  for (const math of document.querySelectorAll("mjx-container")) {
    if (!math.checkVisibility()) continue;
    const [a, b] = [lum(rgb(getComputedStyle(math).color)), lum(background(math))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    if (ratio < worst.ratio) Object.assign(worst, {ratio, tex: math.closest("[data-tex]")?.dataset.tex});
  }
  return worst;
}"""

DESKTOP_SIZE = {"width": 1280, "height": 900}
PHONE_SIZE = {"width": 390, "height": 844}

# At 390 px (a phone): no page wider than the viewport, every equation that scrolls
# shows that it does, a table that scrolls keeps its row labels in view; Chinese
# captions are upright.
FITS_A_PHONE = r"""async () => {
  const problems = [];
  const width = window.innerWidth;
  if (document.documentElement.scrollWidth > width)
    problems.push(`page is ${document.documentElement.scrollWidth} px wide in a ${width} px viewport`);
  for (const box of document.querySelectorAll("div.arithmatex")) {
    if (box.scrollWidth <= box.clientWidth + 1) continue;
    const style = getComputedStyle(box);
    const hinted = ["auto", "scroll"].includes(style.overflowX)
      && style.backgroundImage.includes("radial-gradient")
      && style.backgroundAttachment.includes("local");
    if (!hinted) problems.push(`equation scrolls without a hint: ${box.textContent.trim().slice(0, 60)}`);
  }
  for (const wrap of document.querySelectorAll(".md-typeset__scrollwrap")) {
    if (wrap.scrollWidth <= wrap.clientWidth + 1) continue;
    // halfway across: at the far end a label wider than the last columns may leave
    wrap.scrollLeft = (wrap.scrollWidth - wrap.clientWidth) / 2;
    await new Promise(requestAnimationFrame);
    const left = wrap.getBoundingClientRect().left;
    for (const row of wrap.querySelectorAll("tr")) {
      const label = row.firstElementChild;
      // at the left edge of the scrolled wrapper, give or take its padding (0.8rem)
      const at = label && label.getBoundingClientRect().left - left;
      if (label && (at < -1 || at > 16)) {
        problems.push(`scrolled table hides its row label: ${label.textContent.trim().slice(0, 40)}`);
        break;
      }
    }
    wrap.scrollLeft = 0;
  }
  // Chinese has no italic: a slanted caption is a synthetic oblique of CJK glyphs
  if (document.documentElement.lang === "zh")
    for (const caption of document.querySelectorAll("figcaption"))
      if (getComputedStyle(caption).fontStyle !== "normal")
        problems.push(`slanted caption: ${caption.textContent.trim().slice(0, 40)}`);
  return problems;
}"""

# Every element with its own visible text, in dark mode: its contrast with the first
# opaque background behind it (WCAG relative luminance).
TEXT_CONTRAST = r"""() => {
  const rgba = s => (s.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = c => { c /= 255; return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = el => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0.5)) return c;
    }
    return [255, 255, 255];
  };
  const low = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || el.closest("mjx-container, svg, script, style")) continue;
    const style = getComputedStyle(el);
    const box = el.getBoundingClientRect();
    if (style.visibility !== "visible" || +style.opacity === 0 || !box.width || !box.height
        || el.closest("[hidden], .md-search, .md-tooltip, .md-tooltip2")) continue;
    const fg = rgba(style.color), bg = background(el);
    const a = fg.length > 3 ? fg[3] : 1;
    const mixed = fg.slice(0, 3).map((c, i) => a * c + (1 - a) * bg[i]);
    const [l1, l2] = [lum(mixed), lum(bg)].sort((x, y) => y - x);
    const ratio = (l1 + 0.05) / (l2 + 0.05);
    if (ratio < 4.5) low.push(`${ratio.toFixed(2)}:1 ${el.tagName.toLowerCase()}.${el.className} "${el.textContent.trim().slice(0, 40)}"`);
  }
  return [...new Set(low)];
}"""

# Resolves when the colour transitions that the switch to dark mode started are over.
TRANSITIONS_DONE = r"""() => Promise.all(document.getAnimations()
  .filter(animation => animation instanceof CSSTransition)
  .map(animation => animation.finished.catch(() => null))).then(() => true)"""

RAW_TEX = re.compile(r"\$\$|\\\[|\\\(")


def is_local(url: str, base_url: str) -> bool:
    parsed = urlparse(url)
    local = parsed.netloc == urlparse(base_url).netloc
    return local or parsed.scheme in ("data", "blob", "about")


def check_page(page, base_url: str, path: str, dark_text: bool = False):
    """Load one page of the site in `page`, once, and check everything a visit shows.

    Returns (problems by kind, log of the visit). The kinds: "page" (math, requests,
    console, language switch, copy buttons, `<html lang>`, math contrast in dark mode,
    punctuation after math at 1280 px and 390 px), "phone" (the page fits a 390 px
    viewport) and, if `dark_text`, "dark text" (every text's contrast in dark mode at
    1280 px). A kind that could not be checked holds why, so it can never pass empty.
    Requests to other hosts are recorded and aborted, so nothing leaves this machine.
    """
    problems: list[str] = []
    log: list[str] = []
    url = urljoin(base_url, path)
    lang = language(path)

    def on_request(request):
        if not is_local(request.url, base_url):
            problems.append(f"request to another host: {request.url}")

    def on_response(response):
        log.append(f"{response.status} {response.url}")
        if response.status >= 400:
            problems.append(f"HTTP {response.status}: {response.url}")

    def on_request_failed(request):
        log.append(f"FAILED {request.url}: {request.failure}")
        problems.append(f"request failed: {request.url} ({request.failure})")

    def on_console(message):
        log.append(f"console.{message.type}: {message.text}")
        if message.type == "error":
            problems.append(f"console error: {message.text}")

    def on_page_error(error):
        log.append(f"uncaught: {error}")
        problems.append(f"uncaught error in the page: {error}")

    def only_local(route):
        if is_local(route.request.url, base_url):
            route.continue_()
        else:
            route.abort("blockedbyclient")

    page.context.route("**/*", only_local)
    page.add_init_script(WATCH_TYPESETTING)
    page.on("request", on_request)
    page.on("response", on_response)
    page.on("requestfailed", on_request_failed)
    page.on("console", on_console)
    page.on("pageerror", on_page_error)

    phone = scheme = low_contrast = None
    try:
        html = page.goto(url).text()
        wait_for_page(page)
        page.wait_for_load_state("networkidle")  # late requests: fonts, search index
        facts = page.evaluate(FACTS)
        line_starts = {"1280 px": page.evaluate(PUNCTUATION_LINE_STARTS, PUNCTUATION)}
        page.set_viewport_size(PHONE_SIZE)
        page.evaluate(FONTS_AND_PAINT)
        line_starts["390 px"] = page.evaluate(PUNCTUATION_LINE_STARTS, PUNCTUATION)
        phone = page.evaluate(FITS_A_PHONE)
        page.emulate_media(color_scheme="dark")  # Material's palette follows the system
        page.wait_for_function(
            "() => document.body.getAttribute('data-md-color-scheme') === 'slate'",
            timeout=15_000,
        )
        dark = page.evaluate(MATH_CONTRAST)
        if dark_text:
            page.set_viewport_size(DESKTOP_SIZE)
            page.evaluate(FONTS_AND_PAINT)
            page.evaluate(TRANSITIONS_DONE)  # colours mid-transition are neither scheme's
            scheme = page.evaluate("document.body.dataset.mdColorScheme")
            low_contrast = page.evaluate(TEXT_CONTRAST)
    except Exception as error:  # a page that never finishes loading is one problem
        unfinished = f"page did not finish loading: {error}"
        problems.append(unfinished)
        by_kind = {"page": list(dict.fromkeys(problems)),
                   "phone": phone if phone is not None else [unfinished]}
        if dark_text:
            by_kind["dark text"] = [unfinished]
        return by_kind, log

    if facts["lang"] != lang:
        problems.append(f'<html lang="{facts["lang"]}">, expected "{lang}"')

    # Math arrives typeset: no MathJax in the page, nothing typeset after parsing
    for script in facts["mathjaxScripts"]:
        problems.append(f"MathJax script on the page: {script}")
    if facts["mathjaxGlobal"] and not facts["mathjaxScripts"]:
        problems.append("MathJax script on the page: window.MathJax is defined")
    if facts["typesetAtLoad"]:
        problems.append(f"{facts['typesetAtLoad']} formula(s) typeset at load")
    formulas = expected_formulas(html)
    served = html.count("<mjx-container")
    if not (facts["containers"] == served == formulas):
        problems.append(
            f"{formulas} formulas in the HTML, {served} arrived typeset, "
            f"{facts['containers']} in the page"
        )
    for tex in facts["untypeset"]:
        problems.append(f"formula not typeset: {tex[:120]}")
    for tex in facts["errorElements"]:
        problems.append(f"TeX error in formula: {tex[:120]}")
    if facts["withoutTex"] or facts["withoutMathML"]:
        problems.append(
            f"formulas without data-tex: {facts['withoutTex']}, "
            f"without assistive MathML: {facts['withoutMathML']}"
        )
    for tex in facts["invisible"]:
        problems.append(f"math not visible (no size or no glyphs): {tex[:120]}")
    for family in facts["fontsFailed"]:
        problems.append(f"math font failed to load: {family}")
    if facts["containers"] and not facts["fontsLoaded"]:
        problems.append("no math font loaded on a page with math")
    if dark["tex"] is not None and dark["ratio"] < 4.5:
        problems.append(
            f"dark mode: math contrast {dark['ratio']:.1f}:1 (< 4.5:1): {dark['tex'][:80]}"
        )
    for width, starts in line_starts.items():
        for tex in starts:
            problems.append(f"punctuation starts a line after math at {width}: {tex[-60:]}")
    text = facts["articleText"]
    for match in RAW_TEX.finditer(text):
        around = " ".join(text[max(0, match.start() - 40) : match.end() + 40].split())
        problems.append(f"raw TeX {match.group()!r} in the text: ...{around}...")
    for match in NOTEBOOK_FORMULA.finditer(facts["cellText"]):
        problems.append(f"raw TeX in a notebook cell: {match.group()[:80]}")

    links = dict(facts["switchLinks"])
    other = urljoin(base_url, twin(path))
    for hreflang, expected in {lang: url, OTHER_LANGUAGE[lang]: other}.items():
        if links.get(hreflang) != expected:
            problems.append(
                f"language switch to {hreflang!r} links to {links.get(hreflang)}, "
                f"expected {expected}"
            )
    if (status := page.context.request.get(other).status) != 200:
        problems.append(f"the twin page {other} answers HTTP {status}")

    for first_line in facts["codeWithoutCopy"]:
        problems.append(f"code block without a copy button: {first_line[:80]}")

    by_kind = {"page": list(dict.fromkeys(problems)), "phone": phone}  # each once, in order
    if dark_text:
        by_kind["dark text"] = (
            [f"dark mode not applied ({scheme})"] if scheme != "slate" else []
        ) + low_contrast
    return by_kind, log


def save_artifacts(page, name: str, log: list[str]) -> Path:
    """Save a screenshot of `page` and the log under test-artifacts/; return the folder."""
    folder = ARTIFACTS / name
    folder.mkdir(parents=True, exist_ok=True)
    try:
        page.screenshot(path=folder / "screenshot.png", full_page=True)
    except Exception as error:
        log.append(f"no screenshot: {error}")
    (folder / "console.log").write_text("\n".join(log) + "\n", encoding="utf-8")
    return folder


def report(page, name: str, problems: list[str], log: list[str]) -> str:
    """Save a screenshot and the log under test-artifacts/; return a failure message."""
    folder = save_artifacts(page, name, log)
    listed = "".join(f"\n  {problem}" for problem in problems)
    return f"{name}: {len(problems)} problem(s); screenshot and log in {folder}{listed}"


# --- Fixtures: one browser per module, one server per session, one visit per page -----


# `browser`: one headless Chromium per module, in tests/conftest.py


@pytest.fixture(scope="session")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture
def page(browser):
    """A fresh context (empty cache, no storage) and one page in it."""
    context = browser.new_context(viewport=DESKTOP_SIZE)
    yield context.new_page()
    context.close()


#: The pages whose every text is checked for contrast in dark mode too.
DARK_TEXT_PAGES = ["", "zh/", "gradcheck/", "zh/cheat-sheet/",
                   *[path for path in PAGES if "notebooks/" in path]]


@pytest.fixture(scope="module")
def visit(browser, site_url):
    """`visit(path)`: the problems of one page by kind, from one visit in a fresh context.

    Each page is loaded once, on first use, by whichever of its tests comes first; a
    page with a problem of any kind leaves its screenshot and log under test-artifacts/,
    named in "artifacts".
    """
    done = {}

    def visit(path: str) -> dict:
        if path not in done:
            name = page_id(path)
            shutil.rmtree(ARTIFACTS / name, ignore_errors=True)
            context = browser.new_context(viewport=DESKTOP_SIZE)
            page = context.new_page()
            problems, log = check_page(page, site_url, path, path in DARK_TEXT_PAGES)
            if any(problems.values()):
                problems["artifacts"] = save_artifacts(page, name, log)
            context.close()
            done[path] = problems
        return done[path]

    return visit


# --- The pages ------------------------------------------------------------------------


def test_page_list_matches_the_sitemap(built_site):
    built = sitemap_pages(built_site)
    assert PAGES, "no page sources found in docs/"
    assert built == PAGES, (
        f"pages only in docs/: {sorted(set(PAGES) - set(built))}; "
        f"only in the sitemap: {sorted(set(built) - set(PAGES))}"
    )


def test_every_page_has_a_twin():
    missing = [twin(path) for path in PAGES if twin(path) not in PAGES]
    assert not missing, f"pages without a twin in the other language: {missing}"


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_page_in_the_browser(path, visit):
    problems = visit(path)
    if found := problems["page"]:
        listed = "".join(f"\n  {problem}" for problem in found)
        pytest.fail(
            f"{page_id(path)}: {len(found)} problem(s); screenshot and log in "
            f"{problems['artifacts']}{listed}",
            pytrace=False,
        )


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_page_fits_a_phone(path, visit):
    problems = visit(path)
    assert not problems["phone"], (
        f"{path} at 390 px (screenshot in {problems['artifacts']}):\n  "
        + "\n  ".join(problems["phone"])
    )


@pytest.mark.parametrize("path", DARK_TEXT_PAGES, ids=page_id)
def test_dark_mode_text_contrast(path, visit):
    problems = visit(path)
    low = problems["dark text"]
    assert not low, (
        f"{path}: {len(low)} text(s) below 4.5:1 in dark mode "
        f"(screenshot in {problems['artifacts']}):\n  " + "\n  ".join(low[:15])
    )


SEARCHES = {
    "en": ("", "matrix product", "matrix-product/"),
    "zh": ("zh/", "矩阵乘法", "zh/matrix-product/"),
}


@pytest.mark.parametrize("lang", SEARCHES)
def test_search_finds_the_matrix_product_page(lang, page, site_url):
    start, query, expected = SEARCHES[lang]
    shutil.rmtree(ARTIFACTS / f"search-{lang}", ignore_errors=True)
    page.goto(urljoin(site_url, start))
    page.locator(".md-search__input").click()
    # Characters off the US keyboard arrive as text without key events, as from an
    # input method; Material searches on key-up, so end the input with a key press.
    page.keyboard.type(query, delay=20)
    page.keyboard.press("End")
    target = urljoin(site_url, expected)
    # Result links carry the query (`?h=...`) and maybe an anchor: compare the page.
    listed = (
        "target => [...document.querySelectorAll('.md-search-result__link')]"
        ".some(a => a.origin + a.pathname === target)"
    )
    try:
        page.wait_for_function(listed, arg=target, timeout=15_000)
    except Exception:
        results = page.eval_on_selector_all(
            ".md-search-result__link", "links => links.map(a => a.href)"
        )
        message = f"searching {query!r} did not list {target}; results: {results}"
        pytest.fail(report(page, f"search-{lang}", [message], []), pytrace=False)


# --- The checks can fail: the same page check on a broken copy of the site ------------

STYLE = '<style id="mathjax-chtml">'

FAULTS = {
    # name: (page, HTML to replace (first occurrence), replacement, regex reported)
    "mathjax-script": (
        "matrix-product/",
        "</body>",
        "<script>window.MathJax = {tex: {}};</script></body>",
        r"MathJax script on the page",
    ),
    "typeset-at-load": (
        "zh/matrix-product/",
        "</body>",
        "<script>document.addEventListener('DOMContentLoaded', () => document"
        ".querySelector('article').append(document.createElement('mjx-container')))"
        "</script></body>",
        r"1 formula\(s\) typeset at load",
    ),
    "raw-tex-left": (
        "matrix-product/",
        "</article>",
        '<p><span class="arithmatex">\\(\\frac{1}{2}\\)</span></p></article>',
        r"formula not typeset: \\\(\\frac\{1\}\{2\}\\\)",
    ),
    "raw-tex-in-notebook-cell": (
        "notebooks/playground/",
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" '
        'data-mime-type="text/markdown">',
        '<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown jp-MarkdownOutput" '
        'data-mime-type="text/markdown"><p>left raw: $x_1$</p>',
        r"raw TeX in a notebook cell: \$x_1\$",
    ),
    "tex-error-element": (
        "zh/matrix-product/",
        "</article>",
        '<p><span class="arithmatex" data-tex="\\(\\nosuchmacro\\)"><mjx-container>'
        '<mjx-merror data-mjx-error="Undefined control sequence \\nosuchmacro">'
        '</mjx-merror></mjx-container></span></p></article>',
        r"TeX error in formula: \\\(\\nosuchmacro\\\)",
    ),
    "no-stylesheet": (
        "matrix-product/", STYLE, '<style id="mathjax-chtml" media="print">',
        r"math not visible \(no size or no glyphs\)",
    ),
    "missing-font": (
        "zh/matrix-product/",
        "MathJax_Math-Italic.woff\") format",
        "MathJax_No-Such.woff\") format",
        r"math font failed to load: MJXTEX-I",
    ),
    "dark-mode-illegible": (
        "matrix-product/",
        "</head>",
        '<style>[data-md-color-scheme="slate"] mjx-container { color: #303030 }'
        "</style></head>",
        r"dark mode: math contrast 1\.\d:1",
    ),
    "punctuation-starts-a-line": (
        "zh/conventions/",
        "</head>",
        "<style>.math-nobreak { white-space: normal !important }</style></head>",
        r"punctuation starts a line after math at 390 px",
    ),
    "external-script": (
        "zh/matrix-product/",
        "</head>",
        '<script src="https://cdn.example.com/tex-chtml.js"></script></head>',
        r"request to another host: https://cdn\.example\.com/tex-chtml\.js",
    ),
    "wrong-language-switch": (
        "zh/matrix-product/",
        'href="../../matrix-product/" hreflang="en"',
        'href="../../" hreflang="en"',
        r"language switch to 'en' links to http://[\d.:]+/, expected",
    ),
    "missing-file": (
        "matrix-product/",
        "</article>",
        '<img src="../assets/images/no-such-figure.png"></article>',
        r"HTTP 404: \S+/assets/images/no-such-figure\.png",
    ),
    "console-error": (
        "zh/",
        "</body>",
        '<script>console.error("injected")</script></body>',
        r"console error: injected",
    ),
    "uncaught-error": (
        "",
        "</body>",
        "<script>noSuchFunction()</script></body>",
        r"uncaught error in the page: .*noSuchFunction",
    ),
    "wrong-html-lang": (
        "zh/", '<html lang="zh"', '<html lang="en"', r'<html lang="en">, expected "zh"'
    ),
    "no-copy-button": (
        "matrix-product/",
        "<pre>",
        '<pre class="no-copy">',
        r"code block without a copy button: import numpy",
    ),
    "too-wide-for-a-phone": (
        "zh/glossary/",
        "</article>",
        '<p style="width: 600px">wide</p></article>',
        r"page is \d+ px wide in a 390 px viewport",
    ),
    "dark-mode-text-illegible": (
        "gradcheck/",
        "</head>",
        '<style>[data-md-color-scheme="slate"] .md-typeset p { color: #303030 }'
        "</style></head>",
        r"^1\.\d\d:1 p\. ",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_detects(fault, page, built_site, tmp_path):
    path, old, new, expected = FAULTS[fault]
    broken = tmp_path / "site"
    shutil.copytree(built_site, broken)
    html_file = broken / path / "index.html"
    html = html_file.read_text(encoding="utf-8")
    assert old in html, f"cannot inject {fault}: {old!r} is not in {path}"
    html_file.write_text(html.replace(old, new, 1), encoding="utf-8")
    with serve(broken) as url:
        by_kind, _ = check_page(page, url, path, path in DARK_TEXT_PAGES)
    problems = [problem for kind in by_kind.values() for problem in kind]
    assert any(re.search(expected, problem) for problem in problems), (
        f"{fault} in {path} was not reported as {expected!r}; reported: {problems}"
    )
