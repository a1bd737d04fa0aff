"""How long each page takes until its math is visible, and how many bytes it loads.

    uv run python benchmarks/typeset.py            # builds the site first (--strict)
    uv run python benchmarks/typeset.py SITE_DIR   # an already built site
    uv run python benchmarks/typeset.py --before OLD_SITE NEW_SITE   # side by side

With `--before`, both sites are served at once and each page is loaded from them in
turn, old, new, old, new, ... (`--runs` times each), so that a busy machine slows both
alike; the table has both columns, their medians and the ratio (new / old). "Math
visible" is, for a site that typesets in the browser, the end of MathJax's first
typesetting; for a site whose math arrives typeset, the moment its fonts are loaded and
the page painted (`wait_for_page`).

Every load is cold: a fresh browser context (empty HTTP cache), from a local server
that counts the bytes it sends (`tests/page_weight.py`: every response body, what
scripts and workers fetch included, uncompressed), until the network is quiet. The
table lists every page of the sitemap, the slowest (before) last, with the number of
formulas (MathJax containers), the median time from navigation start to math visible,
the requests and the KiB served. Chromium is Debian's (`apt-get install chromium
fonts-noto-cjk`) or `CHROMIUM_PATH`.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from page_weight import LIMIT, counting_server  # noqa: E402  (tests/ is on the path now)
from site_server import INSTALL_HINT, chromium_path, launch_chromium, sitemap_pages  # noqa: E402

# Runs before the page's own scripts: as soon as MathJax exists, note the moment its
# startup promise (first typesetting done) resolves, in ms since navigation start.
RECORD_MATH_VISIBLE = """
const poll = setInterval(() => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    clearInterval(poll);
    MathJax.startup.promise.then(() => { window.__mathVisible = performance.now(); });
  }
}, 1);
// No MathJax on the page: the math is visible once its fonts are loaded and painted.
window.addEventListener("load", () => {
  if (window.MathJax) return;
  clearInterval(poll);
  document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(
    () => { window.__mathVisible = performance.now(); })));
});
"""


def build(site_dir: Path) -> None:
    """Run `mkdocs build --strict` from the project root into `site_dir`."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-q"]
    subprocess.run([*command, "-d", str(site_dir)], cwd=ROOT, env=env, check=True)


def cold_load(browser, base_url: str, served, path: str) -> dict:
    """Load `base_url + path` once in a fresh context; return its measurements."""
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(RECORD_MATH_VISIBLE)
    served.take()
    page.goto(base_url + path)
    page.wait_for_function("() => window.__mathVisible !== undefined", timeout=60_000)
    page.wait_for_load_state("networkidle")
    result = {
        "ms": page.evaluate("window.__mathVisible"),
        "equations": page.locator("mjx-container").count(),
    }
    context.close()
    responses = served.take()
    return {**result, "requests": len(responses), "bytes": sum(size for _, size in responses)}


def summary(loads: list[dict]) -> dict:
    return {
        "equations": loads[0]["equations"],
        **{key: statistics.median(load[key] for load in loads)
           for key in ("ms", "requests", "bytes")},
    }


def measure(sites: list[Path], runs: int, only: list[str] | None = None) -> list[dict]:
    """For each page the sites share (or each of `only`): the median measurements per
    site, loading the page from each site in turn, `runs` rounds."""
    from playwright.sync_api import sync_playwright

    pages = sorted(set.intersection(*(set(sitemap_pages(site)) for site in sites)))
    if only:
        pages = [page for page in pages if page in only]
    rows = []
    with ExitStack() as stack, sync_playwright() as playwright:
        servers = [stack.enter_context(counting_server(site)) for site in sites]
        browser = launch_chromium(playwright)
        for path in pages:
            loads: list[list[dict]] = [[] for _ in sites]
            for _ in range(runs):
                for (url, served), site_loads in zip(servers, loads):
                    site_loads.append(cold_load(browser, url, served, path))
            row = {"page": "/" + path, "sites": [summary(site_loads) for site_loads in loads]}
            rows.append(row)
            print(f"  {row['page']}: " + " / ".join(
                f"{s['ms']:.0f} ms {s['bytes'] / 1024:.0f} KiB" for s in row["sites"]
            ), file=sys.stderr)
        browser.close()
    return rows


def table(rows: list[dict], runs: int) -> str:
    lines = [
        f"| page | formulas | math visible, ms (median of {runs}) | requests | KiB |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for row in sorted(rows, key=lambda r: r["sites"][0]["ms"]):
        [site] = row["sites"]
        lines.append(f"| {row['page']} | {site['equations']} | {site['ms']:.0f} "
                     f"| {site['requests']:.0f} | {site['bytes'] / 1024:.0f} |")
    heaviest = max(rows, key=lambda r: r["sites"][0]["bytes"])
    lines.append(f"\nheaviest: {heaviest['page']} {heaviest['sites'][0]['bytes']:,.0f} bytes; "
                 f"pages over {LIMIT:,} bytes: "
                 f"{sum(r['sites'][0]['bytes'] > LIMIT for r in rows)} of {len(rows)}")
    return "\n".join(lines)


def side_by_side(rows: list[dict], runs: int) -> str:
    lines = [
        f"| page | formulas | math visible, ms (median of {runs}, interleaved): before "
        "| after | ratio | requests: before | after | KiB: before | after | ratio |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in sorted(rows, key=lambda r: r["sites"][0]["ms"]):
        old, new = row["sites"]
        lines.append("| " + " | ".join([
            row["page"], str(new["equations"]),
            f"{old['ms']:.0f}", f"{new['ms']:.0f}", f"{new['ms'] / old['ms']:.2f}",
            f"{old['requests']:.0f}", f"{new['requests']:.0f}",
            f"{old['bytes'] / 1024:.0f}", f"{new['bytes'] / 1024:.0f}",
            f"{new['bytes'] / old['bytes']:.2f}",
        ]) + " |")
    ms_ratios = [r["sites"][1]["ms"] / r["sites"][0]["ms"] for r in rows]
    byte_ratios = [r["sites"][1]["bytes"] / r["sites"][0]["bytes"] for r in rows]
    for name, index in (("before", 0), ("after", 1)):
        heaviest = max(rows, key=lambda r: r["sites"][index]["bytes"])
        over = sum(r["sites"][index]["bytes"] > LIMIT for r in rows)
        lines.append(f"\n{name}: heaviest {heaviest['page']} "
                     f"{heaviest['sites'][index]['bytes']:,.0f} bytes; "
                     f"{over} of {len(rows)} pages over {LIMIT:,} bytes")
    lines.append(f"median ratio after/before over {len(rows)} pages: math visible "
                 f"{statistics.median(ms_ratios):.2f}, bytes {statistics.median(byte_ratios):.2f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", nargs="?", type=Path, help="a built site (default: build one)")
    parser.add_argument("--runs", type=int, default=5, help="cold loads per page and site (default: 5)")
    parser.add_argument("--before", type=Path, help="a site built before (e.g. from main), side by side")
    parser.add_argument("--pages", nargs="*", help="only these pages (paths like zh/bias/)")
    args = parser.parse_args()
    if not chromium_path().is_file():
        sys.exit(f"No Chromium at {chromium_path()}: {INSTALL_HINT} (or CHROMIUM_PATH)")
    with tempfile.TemporaryDirectory(prefix="site-") as scratch:
        site = args.site
        if site is None:
            site = Path(scratch)
            print(f"Building the site into {site} ...", file=sys.stderr)
            build(site)
        sites = [site] if args.before is None else [args.before, site]
        print(f"Loading every page {args.runs} times cold from each site ...", file=sys.stderr)
        rows = measure(sites, args.runs, args.pages)
        print(table(rows, args.runs) if args.before is None else side_by_side(rows, args.runs))


if __name__ == "__main__":
    main()
