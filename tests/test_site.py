"""The site as a whole: strict build, faults it must reject, offline, dead code."""

import re
import shutil
import subprocess
import sys
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

from conftest import ROOT, mkdocs_build

DOCS = ROOT / "docs"
#: The hosted site's own host, from `site_url` in mkdocs.yml.
SITE_HOST = urlparse(
    re.search(r"^site_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M)[1]
).netloc
#: The repository, which pages may link to (a link loads nothing; see offline_guard).
REPO_URL = re.search(r"^repo_url:\s*(\S+)", (ROOT / "mkdocs.yml").read_text(), re.M)[1]


# --- The build rejects what a reader would trip over --------------------------------

GOOD_PAGE = """# A page { #a-page }

Some math: \\(C = AB\\).

## A section { #a-section }

```{.python notest}
--8<-- "snippets/matrix_product.py:backward"
```
"""

FAULTS = {
    "missing include": (
        '--8<-- "snippets/matrix_product.py:backward"',
        '--8<-- "snippets/matrix_product.py:no_such_section"',
        "no_such_section",
    ),
    "missing snippet file": (
        '--8<-- "snippets/matrix_product.py:backward"',
        '--8<-- "snippets/no_such_module.py"',
        "no_such_module.py",
    ),
    "broken link": (
        "Some math:", "See [nothing](no-such-page.md). Some math:", "no-such-page.md"
    ),
    "broken anchor": (
        "Some math:", "See [nothing](#no-such-anchor). Some math:", "no-such-anchor"
    ),
    # a TeX error fails the build, naming the page, the line and the formula
    "TeX error": (
        "Some math: \\(C = AB\\).",
        "Some math: \\(C = AB\\).\n\nBroken: \\(\\frac{1}{\\).",
        "index.md:5: TeX error (Missing close brace) in formula: \\(\\frac{1}{\\)",
    ),
    "undefined TeX macro": (
        "Some math: \\(C = AB\\).",
        "Some math: \\(C = \\nosuchmacro AB\\).",
        "index.md:3: TeX error (Undefined control sequence \\nosuchmacro)",
    ),
    "external script": (
        "Some math:",
        '<script src="https://cdn.example.com/x.js"></script>\n\nSome math:',
        "cdn.example.com",
    ),
}


class TagsIgnored(yaml.SafeLoader):
    """Read mkdocs.yml for its plain values; MkDocs' own tags (`!relative`) become None."""


TagsIgnored.add_multi_constructor("!", lambda loader, suffix, node: None)

SITE_CONFIG = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), TagsIgnored)
#: What the small project leaves out of the site's config: it has no notebook (the
#: plugin and the hook that runs them) and no figure (the hook draws them all).
LEFT_OUT = {"mkdocs-jupyter", "hooks/notebooks.py", "hooks/figures.py"}


def plugin_name(plugin: str | dict) -> str:
    return plugin if isinstance(plugin, str) else next(iter(plugin))


SMALL_CONFIG = {
    "INHERIT": "mkdocs.yml",
    "nav": ["index.md"],
    "plugins": [p for p in SITE_CONFIG["plugins"] if plugin_name(p) not in LEFT_OUT],
    "hooks": [hook for hook in SITE_CONFIG["hooks"] if hook not in LEFT_OUT],
}


def small_project(tmp_path: Path, page: str) -> Path:
    """Copy the site's config, hooks and snippets around a one-page docs folder, built
    with the site's config less what only notebooks and figures need (`LEFT_OUT`)."""
    for folder in ("hooks", "overrides", "snippets", "docs/stylesheets"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    (tmp_path / "docs/index.md").write_text(page, encoding="utf-8")
    (tmp_path / "docs/index.zh.md").write_text(GOOD_PAGE, encoding="utf-8")
    config = tmp_path / "small.yml"
    config.write_text(yaml.safe_dump(SMALL_CONFIG, allow_unicode=True), encoding="utf-8")
    return config


@pytest.fixture(scope="module")
def small_builds(tmp_path_factory) -> dict[str | None, subprocess.CompletedProcess]:
    """The small project built without a fault (None) and with each fault, two at once:
    each build is one process on one core, and nothing else runs meanwhile."""
    pages = {None: GOOD_PAGE}
    pages |= {fault: GOOD_PAGE.replace(old, new) for fault, (old, new, _) in FAULTS.items()}

    def build(fault):
        folder = tmp_path_factory.mktemp(re.sub(r"\W+", "-", fault or "no fault"))
        config = small_project(folder, pages[fault])
        return fault, mkdocs_build(config, folder / "site", folder)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(build, pages))


def test_small_project_without_a_fault_builds(small_builds):
    run = small_builds[None]
    assert run.returncode == 0, run.stderr[-3000:]


@pytest.mark.parametrize("fault", FAULTS)
def test_strict_build_fails_on(fault, small_builds):
    old, _, named = FAULTS[fault]
    assert old in GOOD_PAGE, f"cannot inject a {fault}: {old!r} is not in the page"
    run = small_builds[fault]
    assert run.returncode != 0, f"the build accepted a {fault}"
    assert named in run.stderr, f"the error does not name {named!r}:\n{run.stderr[-3000:]}"


def test_whole_site_builds_strict_in_both_languages(built_site):
    assert (built_site / "index.html").is_file()
    assert (built_site / "zh/index.html").is_file()


# --- Offline: nothing on the built site points at another host ----------------------

class ReferenceCollector(HTMLParser):
    """Collect every URL an HTML page would load or link to."""

    ATTRIBUTES = {"src", "href", "srcset", "data", "action", "poster"}

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "canonical":
            return  # names the page's own address on the hosted site; loads nothing
        href = attrs.get("href") or ""
        if tag == "a" and (href == REPO_URL or href.startswith(REPO_URL + "/")):
            return  # a link to the repository (edit this page); the reader follows it
        for name, value in attrs.items():
            if name in self.ATTRIBUTES and value:
                self.urls += [part.split()[0] for part in value.split(",") if part.strip()]
            if name == "style" and value:
                self.urls += css_urls(value)


def css_urls(css: str) -> list[str]:
    return re.findall(r"""url\(\s*["']?([^)"']+)""", css)


def other_hosts(urls) -> set[str]:
    hosts = {urlparse(url).netloc for url in urls if urlparse(url).netloc}
    return hosts - {SITE_HOST}


def test_built_pages_reference_no_other_host(built_site):
    offenders = {}
    for page in built_site.rglob("*.html"):
        collector = ReferenceCollector()
        collector.feed(page.read_text(encoding="utf-8"))
        if hosts := other_hosts(collector.urls):
            offenders[str(page.relative_to(built_site))] = sorted(hosts)
    assert not offenders, f"pages that reference other hosts: {offenders}"


def test_built_stylesheets_load_nothing_from_another_host(built_site):
    offenders = {}
    for sheet in built_site.rglob("*.css"):
        if hosts := other_hosts(css_urls(sheet.read_text(encoding="utf-8"))):
            offenders[str(sheet.relative_to(built_site))] = sorted(hosts)
    assert not offenders, f"stylesheets that load from other hosts: {offenders}"


def test_math_fonts_are_served_by_the_site_and_no_mathjax_script(built_site):
    fonts = list((built_site / "assets/mathjax/fonts").glob("*.woff"))
    assert len(fonts) == 23, f"MathJax's CommonHTML fonts missing from the site: {fonts}"
    assert not list(built_site.rglob("tex-chtml*.js")), "MathJax's script is still served"
    with_math = 0
    for page in built_site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        assert "MathJax.startup" not in html and "tex-chtml" not in html, page
        if "<mjx-container" in html:
            with_math += 1
            assert html.count('<style id="mathjax-chtml">') == 1, f"{page}: one stylesheet"
            assert 'rel="preload"' in html and "MathJax_Main-Regular.woff" in html, page
    assert with_math >= 30, f"only {with_math} pages carry typeset math"


def test_pages_carry_no_hreflang_links_that_make_browsers_fetch_sitemaps(built_site):
    with_links = [
        str(page.relative_to(built_site)) for page in built_site.rglob("*.html")
        if re.search(r'<link rel="alternate" href="[^"]*" hreflang=', page.read_text())
    ]
    assert not with_links, f"hooks/no_hreflang.py left hreflang links in {with_links}"


def test_sitemap_uses_the_site_url(built_site):
    sitemap = (built_site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    assert locations and all(loc.startswith(f"https://{SITE_HOST}/") for loc in locations)


def test_404_page_speaks_both_languages(built_site):
    page = (built_site / "404.html").read_text(encoding="utf-8")
    assert "Page not found" in page and "页面不存在" in page


# --- Every Python block on every page runs -------------------------------------------

FENCE = re.compile(r"^[ \t>]*(```+|~~~+)[ \t]*(\{[^}\n]*\}|[\w.+-]+)?", re.MULTILINE)


def runnable_blocks(text: str) -> int:
    """Count the opening fences of Python blocks not marked notest, wherever they are."""
    count, inside = 0, None
    for match in FENCE.finditer(text):
        fence, info = match.group(1), (match.group(2) or "").strip("{}")
        if inside:
            if fence.startswith(inside) and not info:
                inside = None
            continue
        inside = fence
        words = info.replace(".", " ").split()
        count += bool(words) and words[0] == "python" and "notest" not in words
    return count


def test_every_python_block_of_every_page_is_collected():
    """A block the collector silently misses (indented in a tab, say) fails here."""
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "docs"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    collected = Counter(
        line.split("::")[0] for line in run.stdout.splitlines() if "::" in line
    )
    expected = {
        str(page.relative_to(ROOT)): n
        for page in sorted(DOCS.rglob("*.md"))
        if (n := runnable_blocks(page.read_text(encoding="utf-8")))
    }
    assert dict(collected) == expected
    assert sum(expected.values()) > 0


# --- Every snippet section is shown on some page --------------------------------------

SECTION = re.compile(r"--8<-- \[start:([\w-]+)\]")
INCLUDE = re.compile(r'--8<-- "([^"]+?)(?::([\w-]+))?"')


def test_every_snippet_section_is_included_by_a_page():
    included = set()
    for page in DOCS.rglob("*.md"):
        for path, section in INCLUDE.findall(page.read_text(encoding="utf-8")):
            included.add((path, section))
    dead = []
    for module in sorted((ROOT / "snippets").glob("*.py")):
        path = module.relative_to(ROOT).as_posix()
        for section in SECTION.findall(module.read_text(encoding="utf-8")):
            if (path, section) not in included and (path, "") not in included:
                dead.append(f"{path}:{section}")
    assert not dead, f"snippet sections no page includes: {dead}"


def test_snippet_lines_fit_in_88_characters():
    long = [
        f"{module.name}:{number}"
        for module in (ROOT / "snippets").glob("*.py")
        for number, line in enumerate(module.read_text(encoding="utf-8").splitlines(), 1)
        if len(line) > 88
    ]
    assert not long, f"lines longer than 88 characters: {long}"


# --- The two commands -----------------------------------------------------------------

def test_readme_gives_the_two_commands_and_ci_runs_the_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "uv run mkdocs serve" in readme and "uv run pytest" in readme
    assert re.search(r"^uv run pytest\b", (ROOT / ".ci/run").read_text(), re.MULTILINE)
