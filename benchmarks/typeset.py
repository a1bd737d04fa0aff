"""How long each page takes until its math is visible, and how many bytes it loads.

    uv run python benchmarks/typeset.py            # builds the site first (--strict)
    uv run python benchmarks/typeset.py SITE_DIR   # an already built site
    uv run python benchmarks/typeset.py --before OLD_SITE NEW_SITE   # side by side

With `--before`, both sites are measured in one run, page by page, and the table has
both columns and their ratio (new / old). "Math visible" is, for a site that typesets
in the browser, the end of MathJax's first typesetting; for a site whose math arrives
typeset, the moment its fonts are loaded and the page painted (`wait_for_page`).

For every page (from the built sitemap) it loads the page five times cold, each time
in a fresh browser context with the HTTP cache disabled, from a local server, and
prints a table, heaviest page last: the number of equations (MathJax containers), the
median time from navigation start to the end of MathJax's first typesetting, and the
requests and bytes (response bodies) the page loaded until the network went quiet.
Chromium is Debian's (`apt-get install chromium fonts-noto-cjk`) or `CHROMIUM_PATH`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from site_server import (  # noqa: E402  (tests/ is on the path only from here on)
    INSTALL_HINT,
    chromium_path,
    launch_chromium,
    serve,
    sitemap_pages,
)

# Runs before the page's own scripts: as soon as MathJax exists, note the moment its
# startup promise (first typesetting done) resolves, in ms since navigation start.
RECORD_TYPESET_END = """
const poll = setInterval(() => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    clearInterval(poll);
    MathJax.startup.promise.then(() => { window.__typesetEnd = performance.now(); });
  }
}, 1);
// No MathJax on the page: the math is visible once its fonts are loaded and painted.
window.addEventListener("load", () => {
  if (window.MathJax) return;
  clearInterval(poll);
  document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(
    () => { window.__typesetEnd = performance.now(); })));
});
"""


def build(site_dir: Path) -> None:
    """Run `mkdocs build --strict` from the project root into `site_dir`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
    subprocess.run([*command, "-d", str(site_dir)], cwd=ROOT, env=env, check=True)


def cold_load(browser, url: str) -> dict:
    """Load `url` once in a fresh context without cache; return its measurements."""
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    page.add_init_script(RECORD_TYPESET_END)
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(url)
    page.wait_for_function("() => window.__typesetEnd !== undefined", timeout=60_000)
    page.wait_for_load_state("networkidle")
    result = {
        "ms": page.evaluate("window.__typesetEnd"),
        "equations": page.locator("mjx-container").count(),
        "requests": len(finished),
        "bytes": sum(request.sizes()["responseBodySize"] for request in finished),
    }
    context.close()
    return result


def measure(site_dir: Path, runs: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    rows = []
    with serve(site_dir) as base_url, sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for path in sitemap_pages(site_dir):
            loads = [cold_load(browser, base_url + path) for _ in range(runs)]
            rows.append({
                "page": "/" + path,
                "equations": loads[0]["equations"],
                "ms": statistics.median(load["ms"] for load in loads),
                "requests": statistics.median(load["requests"] for load in loads),
                "bytes": statistics.median(load["bytes"] for load in loads),
            })
            print(f"  {rows[-1]['page']}: {rows[-1]['ms']:.0f} ms", file=sys.stderr)
        browser.close()
    return sorted(rows, key=lambda row: row["ms"])


def table(rows: list[dict], runs: int) -> str:
    lines = [
        f"| page | equations | typeset done, ms (median of {runs}) | requests | KiB |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        cells = [
            row["page"],
            str(row["equations"]),
            f"{row['ms']:.0f}",
            f"{row['requests']:.0f}",
            f"{row['bytes'] / 1024:.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def side_by_side(before: list[dict], after: list[dict], runs: int) -> str:
    old = {row["page"]: row for row in before}
    lines = [
        f"| page | math visible, ms (median of {runs}): before | after | ratio "
        "| requests: before | after | KiB: before | after | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in sorted(after, key=lambda r: old.get(r["page"], r)["ms"]):
        was = old.get(row["page"])
        if was is None:
            continue
        cells = [
            row["page"], f"{was['ms']:.0f}", f"{row['ms']:.0f}", f"{row['ms'] / was['ms']:.2f}",
            f"{was['requests']:.0f}", f"{row['requests']:.0f}",
            f"{was['bytes'] / 1024:.0f}", f"{row['bytes'] / 1024:.0f}",
            f"{row['bytes'] / was['bytes']:.2f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "site", nargs="?", type=Path, help="a built site (default: build one)"
    )
    parser.add_argument(
        "--runs", type=int, default=5, help="cold loads per page (default: 5)"
    )
    parser.add_argument(
        "--before", type=Path, help="a site built before (e.g. from main), side by side"
    )
    args = parser.parse_args()
    if not chromium_path().is_file():
        sys.exit(f"No Chromium at {chromium_path()}: {INSTALL_HINT} (or CHROMIUM_PATH)")
    with tempfile.TemporaryDirectory(prefix="site-") as scratch:
        site = args.site
        if site is None:
            site = Path(scratch)
            print(f"Building the site into {site} ...", file=sys.stderr)
            build(site)
        print(f"Loading every page {args.runs} times cold ...", file=sys.stderr)
        if args.before is None:
            print(table(measure(site, args.runs), args.runs))
        else:
            before = measure(args.before, args.runs)
            print(side_by_side(before, measure(site, args.runs), args.runs))


if __name__ == "__main__":
    main()
