"""What a cold load of a page fetches, counted by the server that sends it.

Shared by `tests/test_page_weight.py` (no cold page over 1 MiB) and
`benchmarks/typeset.py`. The bytes are counted where they leave the server, one entry
per response with the length of its body, so that nothing the browser fetches escapes
the count: documents, stylesheets, scripts, fonts, images, and what scripts and web
workers request (the search index, lunr's language files). The files are sent as they
are on disk (no compression), so the count is what an uncompressed static host sends.

"Cold" means a fresh browser context (an empty HTTP cache) and the page left alone
until it is loaded, its fonts are loaded, it is painted and the network is quiet.
"""

import functools
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlparse

from site_server import QuietHandler, wait_for_page

#: 1 MiB: the ceiling for a cold page (issue 14), in bytes of response bodies.
LIMIT = 1_048_576

KINDS = {
    ".html": "html", "/": "html", ".css": "css", ".js": "js", ".woff": "fonts",
    ".woff2": "fonts", ".ttf": "fonts", ".svg": "images", ".png": "images",
    ".jpg": "images", ".webp": "images", ".ico": "images",
}


def kind(path: str) -> str:
    """html, css, js, fonts, images, search index or other, from a request's path."""
    if path.endswith("search_index.json"):
        return "search index"
    return next((name for suffix, name in KINDS.items() if path.endswith(suffix)), "other")


@dataclass
class Served:
    """Every response the server sent, as (path, body bytes), in order."""

    responses: list[tuple[str, int]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def take(self) -> list[tuple[str, int]]:
        with self.lock:
            taken, self.responses = self.responses, []
        return taken


class CountingHandler(QuietHandler):
    """Serve files like `python -m http.server`; note each response's body length."""

    served: Served

    def send_header(self, keyword, value):
        if keyword.lower() == "content-length" and self.command == "GET":
            with self.served.lock:
                self.served.responses.append((unquote(urlparse(self.path).path), int(value)))
        super().send_header(keyword, value)


@contextmanager
def counting_server(site_dir: Path) -> Iterator[tuple[str, Served]]:
    """Serve `site_dir` on 127.0.0.1; yield (base URL ending in /, what it served)."""
    served = Served()
    handler = functools.partial(
        type("Handler", (CountingHandler,), {"served": served}), directory=str(site_dir)
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/", served
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


@dataclass
class Load:
    url: str
    responses: list[tuple[str, int]]

    @property
    def total(self) -> int:
        return sum(size for _, size in self.responses)

    def by_kind(self) -> Counter:
        counts = Counter()
        for path, size in self.responses:
            counts[kind(path)] += size
        return counts

    def heaviest(self, n: int = 3) -> list[tuple[str, int]]:
        return sorted(self.responses, key=lambda response: -response[1])[:n]


def cold_load(browser, base_url: str, served: Served, path: str, viewport=None) -> Load:
    """Load `base_url + path` cold; return every response the server sent for it."""
    context = browser.new_context(**({"viewport": viewport} if viewport else {}))
    page = context.new_page()
    served.take()
    try:
        page.goto(base_url + path)
        wait_for_page(page)
        page.wait_for_load_state("networkidle")
    finally:
        context.close()
    return Load(base_url + path, served.take())
