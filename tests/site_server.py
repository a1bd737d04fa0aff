"""Serve a built site on 127.0.0.1 and open it in Debian's Chromium with Playwright.

Shared by `tests/test_browser.py` and `benchmarks/typeset.py`. The browser is the
system's Chromium (`apt-get install chromium fonts-noto-cjk`), or the one that
`CHROMIUM_PATH` names; `playwright install` is never run, since it downloads a browser
build of its own.
"""

import functools
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

INSTALL_HINT = "apt-get install chromium fonts-noto-cjk"

#: Headless, and nothing of Chromium's own that would reach the network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

#: Resolves once the page's fonts are loaded and two frames later, when it is painted.
FONTS_AND_PAINT = """() => document.fonts.ready.then(() => new Promise(resolve =>
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(true)))))"""


def chromium_path() -> Path:
    """The Chromium to drive: `CHROMIUM_PATH`, or Debian's `/usr/bin/chromium`."""
    return Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))


def launch_chromium(playwright):
    """Start one headless Chromium from `chromium_path()`."""
    return playwright.chromium.launch(
        executable_path=str(chromium_path()), args=CHROMIUM_ARGS
    )


class QuietHandler(SimpleHTTPRequestHandler):
    """Serve files like `python -m http.server`, without a log line per request."""

    def log_message(self, format, *args):
        pass


@contextmanager
def serve(site_dir: Path) -> Iterator[str]:
    """Serve `site_dir` on a free port of 127.0.0.1; yield the base URL, ending in /."""
    handler = functools.partial(QuietHandler, directory=str(site_dir))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def sitemap_pages(site_dir: Path) -> list[str]:
    """List the pages of a built site from its sitemap, as paths like `zh/x/`."""
    sitemap = (site_dir / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    return sorted(urlparse(location).path.lstrip("/") for location in locations)


def wait_for_page(page, timeout_ms: float = 30_000) -> None:
    """Wait until `page` shows what a reader sees: loaded, its fonts (MathJax's among
    them: math is typeset at build time) loaded, and painted."""
    page.wait_for_load_state("load", timeout=timeout_ms)
    page.evaluate(FONTS_AND_PAINT)
