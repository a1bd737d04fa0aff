"""The pages of the site, listed from their sources in docs/, and what a built page holds.

Shared by the tests of downloads, search and layout: a page added to docs/ is covered
without editing them.
"""

import html
import re
from pathlib import Path

from conftest import ROOT

DOCS = ROOT / "docs"


def site_path(source: Path) -> str:
    """Where a page source in docs/ lands on the site: `x.zh.md` -> `zh/x/`."""
    relative = source.relative_to(DOCS)
    name = relative.name.removesuffix(relative.suffix)
    chinese = name.endswith(".zh")
    name = name.removesuffix(".zh")
    parts = [*relative.parent.parts, *([] if name == "index" else [name])]
    return ("zh/" if chinese else "") + "".join(part + "/" for part in parts)


def markdown_sources() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


def notebook_sources() -> list[Path]:
    return sorted(DOCS.glob("notebooks/*.py"))


def language(path: str) -> str:
    return "zh" if path.startswith("zh/") else "en"


def page_id(path: str) -> str:
    """A readable name for a page: `en/index`, `zh/matrix-product`."""
    return f"{language(path)}/{path.removeprefix('zh/').strip('/') or 'index'}"


#: An opening code fence and its info string, at any indentation.
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<ticks>`{3,})(?P<info>[^`\n]*)$", re.M)


def python_fences(source: Path) -> list[str]:
    """The info string of each Python fence of a Markdown page, in order.

    `python`, `{.python notest}`, `{.python continuation}`: the kind of block that
    pytest-markdown-docs sees, one entry per block the built page shows.
    """
    kinds = []
    text = source.read_text(encoding="utf-8")
    position = 0
    while match := FENCE.search(text, position):
        ticks = match["ticks"]
        close = re.compile(rf"^[ \t]*{ticks}[ \t]*$", re.M)
        end = close.search(text, match.end())
        position = end.end() if end else len(text)
        info = match["info"].strip()
        if re.match(r"^(python|py)\b|^\{\s*\.python\b", info):
            kinds.append(info)
    return kinds


PYTHON_BLOCK = re.compile(
    r'<div class="language-python highlight"><pre>.*?<code>(.*?)</code></pre></div>', re.S
)
TAG = re.compile(r"<[^>]+>")


def text_of(fragment: str) -> str:
    """The text of an HTML fragment, as the browser's textContent gives it."""
    return html.unescape(TAG.sub("", fragment))


def python_blocks(page_html: str) -> list[str]:
    """The code of each Python block of a built Markdown page: what its copy button copies."""
    return [text_of(code) for code in PYTHON_BLOCK.findall(page_html)]
