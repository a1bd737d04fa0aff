"""Search as a reader uses it: in their language, by whole words, with prose previews.

The index files are checked directly (one per language, no TeX, no "Copied!" or "¶"),
and queries are typed into the search box of the built site in headless Chromium:
every result must be in the page's language, every highlighted word a whole word of the
query, and the first result the page that the query names where one does. See
hooks/search.py for what makes each hold.
"""

import importlib.util
import json
import re
from urllib.parse import urljoin, urlparse

import pytest

from conftest import ROOT
from site_pages import language, markdown_sources, notebook_sources, site_path
from site_server import serve

# query: (where it is typed, the words it is made of, the page expected first or None)
QUERIES = {
    "链式法则": ("zh/", ["链式法则"], None),
    "微调一个元素": ("zh/", ["微调", "一个", "元素"], None),
    "转置": ("zh/", ["转置"], None),
    "广播": ("zh/", ["广播"], "zh/bias/"),  # 偏置与广播
    "梯度检验": ("zh/", ["梯度检验"], "zh/gradcheck/"),  # its own page
    "transpose": ("", ["transpose"], None),
    "softmax": ("", ["softmax"], None),
    "keepdims": ("", ["keepdims"], None),
}
#: Twins rank alike: the same query in both languages puts the same page first.
SAME_FIRST = [("转置", "transpose")]
#: Never first: the corrections page quotes the original post, whose sentences repeat
#: the method's words (链式法则 13 times); a page that explains the query ranks above it.
NEVER_FIRST = ["corrections/"]

RESULTS = """() => [...document.querySelectorAll('.md-search-result__item')].map(li => {
  const a = li.querySelector('a');
  return {href: a.href, path: a.pathname, title: (li.querySelector('h1,h2') || a).textContent.trim(),
          marks: [...li.querySelectorAll('mark')].map(m => m.textContent)};
})"""


def load_search_hook():
    spec = importlib.util.spec_from_file_location("search_hook", ROOT / "hooks/search.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- The index files ------------------------------------------------------------------


def index_docs(site, lang):
    path = site / ("search" if lang == "en" else f"{lang}/search") / "search_index.json"
    return json.loads(path.read_text(encoding="utf-8"))["docs"]


PROSE_ONLY = re.compile(r"\\[()\[\]]|\\[A-Za-z]{2,}|\$|Copied!|¶")
CODE = re.compile(r"<(pre|code)>.*?</\1>", re.S)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_language_has_its_own_index_of_prose(built_site, lang):
    docs = index_docs(built_site, lang)
    assert docs, f"no {lang} index entries"
    found = []
    for doc in docs:
        text = CODE.sub("", doc["title"] + " " + doc["text"])
        for match in PROSE_ONLY.finditer(text):
            found.append(f"{doc['location']}: ...{text[max(0, match.start() - 30):match.end() + 30]}...")
    assert not found, f"{len(found)} previews with TeX or button text:\n" + "\n".join(found[:10])


INLINE_CODE = re.compile(r"<code>.*?</code>", re.S)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_code_blocks_are_not_indexed(built_site, lang):
    """No code block, notebook cell or its hidden copy: `import numpy as np` starts
    most of them, and the prose only ever quotes it as inline code."""
    found = [
        doc["location"] for doc in index_docs(built_site, lang)
        if "<pre>" in doc["text"] or "import numpy as np" in INLINE_CODE.sub("", doc["text"])
    ]
    assert not found, f"{lang} index entries holding code blocks: {found}"


def test_each_index_holds_the_pages_of_its_language(built_site):
    for lang, prefix in (("en", ""), ("zh", "zh/")):
        indexed = {urlparse(d["location"]).path.split("#")[0] for d in index_docs(built_site, lang)}
        pages = {
            site_path(s).removeprefix(prefix) for s in [*markdown_sources(), *notebook_sources()]
            if language(site_path(s)) == lang
        }
        assert indexed == pages, (
            f"{lang} index: pages missing {sorted(pages - indexed)}, "
            f"pages of the other language or none {sorted(indexed - pages)}"
        )


def test_the_jieba_dictionary_is_the_glossary(tmp_path):
    hook = load_search_hook()
    terms = hook.glossary_terms(ROOT / "docs/glossary.zh.md")
    assert {"链式法则", "梯度检验", "逐元素乘积", "转置", "广播"} <= set(terms)
    assert "中文" not in terms and "softmax" not in terms  # the header, no Han
    with pytest.raises(Exception, match="no glossary"):
        hook.glossary_terms(tmp_path / "missing.md")


def test_tex_becomes_plain_text():
    hook = load_search_hook()
    assert hook.prose(r"<p>so what is \(\partial L / \partial X\)?</p>") == "<p>so what is ∂L / ∂X?</p>"
    assert hook.prose(r"<p>gives \(dA = dC\,B^\top\).</p> \[ dB = A^\top dC \]") == "<p>gives dA = dC Bᵀ.</p>"
    assert hook.prose(r"<p>\(\frac{1}{N}\) and $x^2$</p>") == "<p>(1)/(N) and x2</p>"
    assert hook.prose(r"<p>\(\tfrac13\) of \(d\hat x_k\), \(\sqrt{v}\)</p>") == "<p>(1)/(3) of dx̂k, √(v)</p>"


def test_repeated_entries_are_dropped():
    """`mkdocs serve --dirty` stacked each rebuild's entries: 546, 819, 1622, 3228, 6440."""
    hook = load_search_hook()
    a, b = {"location": "x/", "title": "X", "text": "a"}, {"location": "x/", "title": "X", "text": "b"}
    assert hook.unique([a, b, dict(a), b]) == [a, b]


def test_code_blocks_leave_the_index_inline_code_stays():
    hook = load_search_hook()
    text = "<p>use <code>keepdims=True</code></p> <pre><code>np.sum(x, keepdims=True)\n</code></pre>"
    assert hook.prose(text) == "<p>use <code>keepdims=True</code></p>"


# --- Typed into the search box ----------------------------------------------------------


@pytest.fixture(scope="module")
def searches(browser, built_site):
    """Type every query on its language's home page; {query: its results, in order}."""
    found = {}
    with serve(built_site) as url:
        page = browser.new_page()
        for query, (start, _, _) in QUERIES.items():
            page.goto(urljoin(url, start))
            page.locator(".md-search__input").click()
            # Characters off the US keyboard arrive without key events, as from an
            # input method; Material searches on key-up, so end with a key press.
            page.keyboard.type(query, delay=10)
            page.keyboard.press("End")
            try:
                page.wait_for_selector(".md-search-result__item", timeout=15_000)
                page.wait_for_timeout(300)  # the last query's results, not a partial one
            except Exception:
                pass
            found[query] = [{**r, "path": r["path"].lstrip("/")} for r in page.evaluate(RESULTS)]
        page.close()
    return found


@pytest.mark.parametrize("query", QUERIES)
def test_search(query, searches):
    start, words, first = QUERIES[query]
    results = searches[query]
    assert results, f"{query!r} on /{start} found nothing"
    print(f"\n/{start} {query!r}: first {results[0]['path']} ({results[0]['title']})")
    other = [r["path"] for r in results if r["path"].startswith("zh/") != (start == "zh/")]
    assert not other, f"{query!r} on /{start} lists pages of the other language: {other}"
    for result in results:
        for mark in result["marks"]:
            assert any(mark.lower().startswith(word) for word in words), (
                f"{query!r}: {result['path']} highlights {mark!r}, not a word of the query"
            )
    highlighted = {m.lower() for m in results[0]["marks"]}
    missing = [w for w in words if not any(m.startswith(w) for m in highlighted)]
    assert not missing, f"{query!r}: the first result highlights {highlighted}, not {missing}"
    assert results[0]["path"].removeprefix("zh/") not in NEVER_FIRST, (
        f"{query!r}: first result {results[0]['path']}, a page that only quotes the words"
    )
    if first:
        assert results[0]["path"] == first, (
            f"{query!r}: first result {results[0]['path']}, expected {first}"
        )


@pytest.mark.parametrize(("zh", "en"), SAME_FIRST)
def test_twins_rank_alike(zh, en, searches):
    assert searches[zh][0]["path"] == "zh/" + searches[en][0]["path"]
