"""How the built pages fit a reader's screen, in headless Chromium: what one page shows.

The copy button leaves the end of a code line readable. The 404 page greets each
language, and the language switch keeps the reader's place (the URL fragment).

What every page shows is checked on the one visit that tests/test_browser.py makes
to each page: that it fits a 390 px phone (`test_page_fits_a_phone`) and that its text
is legible in dark mode (`test_dark_mode_text_contrast`).
"""

from urllib.parse import urljoin

import pytest

from site_server import serve


@pytest.fixture(scope="module")
def site_url(built_site):
    with serve(built_site) as url:
        yield url


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


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
