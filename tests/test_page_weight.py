"""No cold page over 1 MiB, measured in Chromium by the bytes the server sends.

Every page of both languages (and both 404 pages) is loaded cold, in a fresh browser
context, until it is painted and the network is quiet; `tests/page_weight.py` counts
each response's body where it leaves the server. The search index (300-400 kB a
language) is not part of a cold load: it loads when the reader opens search, which is
checked here too; that search still finds what it should is tests/test_search.py's
job. The last test shows that the count sees a resource a page fetches by script.
"""

import shutil

import pytest

from page_weight import LIMIT, cold_load, counting_server
from site_pages import markdown_sources, notebook_sources, site_path

PAGES = sorted({site_path(s) for s in [*markdown_sources(), *notebook_sources()]}) + [
    "404.html", "zh/404.html",
]


def kib(size: int) -> str:
    return f"{size / 1024:,.0f} KiB"


@pytest.fixture(scope="module")
def cold_loads(browser, built_site):
    """{page: its cold Load}, every page once."""
    with counting_server(built_site) as (url, served):
        return {path: cold_load(browser, url, served, path) for path in PAGES}


def test_no_cold_page_over_one_mebibyte(cold_loads):
    loads = sorted(cold_loads.values(), key=lambda load: -load.total)
    table = "\n".join(
        f"  {kib(load.total):>10}  {load.url.split('/', 3)[3] or '/'}  "
        + ", ".join(f"{k} {kib(v)}" for k, v in load.by_kind().most_common())
        for load in loads[:5]
    )
    print(f"\nheaviest cold pages (limit {kib(LIMIT)}):\n{table}")
    over = [load for load in loads if load.total > LIMIT]
    assert not over, "cold pages over 1 MiB:\n" + "\n".join(
        f"  {load.url}: {load.total:,} bytes; heaviest: "
        + ", ".join(f"{path} {kib(size)}" for path, size in load.heaviest())
        for load in over
    )


def test_every_page_was_loaded(cold_loads):
    """Each load fetched its page (a 404 page's body is counted with its 404 status)."""
    for path, load in cold_loads.items():
        assert load.responses, f"{path}: the server sent nothing"
        assert load.by_kind()["html"] > 0, f"{path}: no HTML counted"


def test_search_index_loads_when_search_opens(browser, built_site):
    with counting_server(built_site) as (url, served):
        for start, index in (("", "/search/search_index.json"),
                             ("zh/", "/zh/search/search_index.json")):
            context = browser.new_context()
            page = context.new_page()
            served.take()
            page.goto(url + start)
            page.wait_for_load_state("networkidle")
            fetched = [path for path, _ in served.take()]
            assert not [p for p in fetched if p.endswith("search_index.json")], (
                f"/{start} fetched the search index on load: {fetched}"
            )
            with page.expect_response(lambda response: response.url.endswith(index)):
                page.locator(".md-search__input").click()
            page.wait_for_load_state("networkidle")
            assert [p for p, _ in served.take() if p.endswith("search_index.json")] == [index]
            context.close()


def test_the_count_sees_what_a_script_fetches(browser, built_site, tmp_path):
    """A page that fetches a 1 MiB file by script (as Material fetched the index) is
    counted over the limit, with that file named."""
    site = tmp_path / "site"
    shutil.copytree(built_site / "zh", site / "zh")
    shutil.copytree(built_site / "assets", site / "assets")
    (site / "big.json").write_bytes(b" " * LIMIT)
    page_file = site / "zh/index.html"
    page_file.write_text(page_file.read_text(encoding="utf-8").replace(
        "</body>", '<script>fetch("../big.json")</script></body>', 1
    ), encoding="utf-8")
    with counting_server(site) as (url, served):
        load = cold_load(browser, url, served, "zh/")
    assert load.total > LIMIT and ("/big.json", LIMIT) in load.responses, load.heaviest()


# --- hooks/notebook_styles.py: the notebook stylesheet keeps what the page can use ---


def load_notebook_styles():
    import importlib.util

    from conftest import ROOT

    spec = importlib.util.spec_from_file_location("notebook_styles", ROOT / "hooks/notebook_styles.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_notebook_stylesheet_keeps_the_rules_the_page_can_match():
    hook = load_notebook_styles()
    html = '<div class="jp-Cell jp-CodeCell" id="cell-1"><pre>x</pre></div>'
    css = (
        ":root{--used: red; --unused: url(data:image/svg+xml,big); --via: var(--used)}"
        ".jp-Cell:not(.jp-mod-noOutputs) pre{color: var(--via)}"
        ".jp-FileBrowser .jp-Cell{color: var(--unused)}"
        "#cell-1, .jp-Dialog{margin: 0}"
        '[src$=".svg"].jp-CodeCell{border: 0}'
        "@media print{.jp-Toolbar{display: none} .jp-Cell{break-inside: avoid}}"
        "@media screen{.jp-Menu{color: blue}}"
        "@keyframes spin{to{transform: rotate(1turn)}}"
    )
    [pruned] = hook.prune_stylesheets([css], html)
    assert ".jp-Cell:not(.jp-mod-noOutputs) pre" in pruned  # :not() is not required
    assert "#cell-1, .jp-Dialog" in pruned  # one selector of the list matches
    assert '[src$=".svg"].jp-CodeCell' in pruned  # a dot inside an attribute is no class
    assert ".jp-FileBrowser" not in pruned and ".jp-Toolbar" not in pruned
    assert "@media print" in pruned and "@media screen" not in pruned
    assert "@keyframes spin" in pruned
    assert "--used" in pruned and "--via" in pruned and "--unused" not in pruned
    [kept] = hook.prune_stylesheets([css], html, elsewhere="a{color: var(--unused)}")
    assert "--unused" in kept  # read by another stylesheet of the site
