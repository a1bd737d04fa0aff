"""How the built pages fit a reader's screen, in headless Chromium.

At 390 px (a phone) no page is wider than the viewport, every equation that scrolls
shows that it does, and a table that scrolls keeps its row labels in view. Chinese
captions are upright. The copy button leaves the end of a code line readable. In dark
mode every text has a contrast of at least 4.5:1. The 404 page greets each language,
and the language switch keeps the reader's place (the URL fragment).
"""

from urllib.parse import urljoin

import pytest

from site_pages import markdown_sources, notebook_sources, page_id, site_path
from site_server import serve, wait_for_page

PAGES = sorted(site_path(s) for s in [*markdown_sources(), *notebook_sources()])

PHONE = r"""async () => {
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
CONTRAST = r"""() => {
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


@pytest.fixture(scope="module")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    yield context.new_page()
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("path", PAGES, ids=page_id)
def test_page_fits_a_phone(path, phone, site_url):
    phone.goto(urljoin(site_url, path))
    wait_for_page(phone)
    problems = phone.evaluate(PHONE)
    assert not problems, f"{path} at 390 px:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("path", ["gradcheck/", "zh/gradcheck/"])
def test_copy_button_leaves_the_line_end_readable(path, desktop, site_url):
    desktop.goto(urljoin(site_url, path))
    overlaps = desktop.evaluate(r"""() => {
      const found = [];
      for (const code of document.querySelectorAll(".md-typeset pre > code")) {
        const button = code.parentElement.querySelector(".md-clipboard, button[data-clipboard-target]");
        if (!button) continue;
        const b = button.getBoundingClientRect();
        const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
        for (let node; (node = walker.nextNode());) {
          for (let i = 0; i < node.length; i++) {
            if (!node.data[i].trim()) continue;
            const range = document.createRange();
            range.setStart(node, i); range.setEnd(node, i + 1);
            const r = range.getBoundingClientRect();
            if (r.right > b.left && r.left < b.right && r.bottom > b.top && r.top < b.bottom)
              found.push(code.textContent.split("\n")[0].slice(-40));
          }
        }
      }
      return [...new Set(found)];
    }""")
    assert not overlaps, f"{path}: the copy button covers text of: {overlaps}"


DARK_PAGES = ["", "zh/", "gradcheck/", "zh/cheat-sheet/",
              *[p for p in PAGES if "notebooks/" in p]]


@pytest.mark.parametrize("path", DARK_PAGES, ids=page_id)
def test_dark_mode_text_contrast(path, browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.goto(urljoin(site_url, path))
    wait_for_page(page)
    scheme = page.evaluate("document.body.dataset.mdColorScheme")
    low = page.evaluate(CONTRAST)
    context.close()
    assert scheme == "slate", f"dark mode not applied ({scheme})"
    assert not low, f"{path}: {len(low)} text(s) below 4.5:1 in dark mode:\n  " + "\n  ".join(low[:15])


@pytest.mark.parametrize(("lang", "path", "title", "home"), [
    ("en", "404.html", "Page not found", "/"),
    ("zh", "zh/404.html", "页面不存在", "/zh/"),
])
def test_404_greets_its_language(lang, path, title, home, desktop, site_url):
    desktop.goto(urljoin(site_url, path))
    facts = desktop.evaluate("""() => ({
      lang: document.documentElement.lang,
      h1: document.querySelector("article h1").textContent,
      links: [...document.querySelectorAll("article a")].map(a => a.getAttribute("href")),
      switch: [...document.querySelectorAll(".md-select__link[hreflang]")]
        .map(a => [a.hreflang, a.getAttribute("href")]),
    })""")
    assert facts["lang"] == lang
    assert title in facts["h1"]
    assert home in facts["links"]
    assert dict(facts["switch"]) == {"en": "/", "zh": "/zh/"}, facts["switch"]


@pytest.mark.parametrize(("start", "target"), [
    ("bias/#result", "zh/bias/#result"),
    ("zh/matrix-product/#result", "matrix-product/#result"),
])
def test_language_switch_keeps_the_fragment(start, target, desktop, site_url):
    desktop.goto(urljoin(site_url, start))
    other = "zh" if not start.startswith("zh/") else "en"
    with desktop.expect_navigation():
        desktop.evaluate(
            f"document.querySelector('.md-select__link[hreflang={other}]').click()"
        )
    assert desktop.url == urljoin(site_url, target)
