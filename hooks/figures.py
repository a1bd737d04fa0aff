"""Add the "what moves" figures to the site as generated files, per language.

Why a hook: the figures are drawn at build time from `snippets/`, so they can never
disagree with the code and no SVG is committed. The drawing itself lives in the package
`hooks/nudge_figures/` (see its docstring); this file is only the MkDocs glue.

Each figure is added as `figures/<name>.svg`, once per language, with labels in that
language: the English build writes `figures/x.svg`, the Chinese build
`zh/figures/x.svg`, so both twins write `![...](figures/x.svg)`. This runs after the
i18n plugin has sorted the files of the language being built.

A page that shows a figure also gets its interactive version: the widget's data (every
number for every entry the reader can pick, in the page's language, as JSON) and the
script `javascripts/nudge-widget.js`, which only displays that data. The static SVG
stays in the page for readers without JavaScript, for print and for search engines.

Drawing the sixteen SVGs takes matplotlib several seconds, in every build and every
`mkdocs serve` rebuild. So each is kept in `.cache/figures/`, keyed by its name, its
language and the content of everything it is drawn from (`hooks/nudge_figures/`,
`snippets/`) and the versions of matplotlib and numpy; with `CI` set nothing is read
or written there, as for the other caches (hooks/notebooks.py, hooks/math_render/).
"""

import hashlib
import os
import re
import sys
from importlib.metadata import version
from pathlib import Path

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

# MkDocs loads a hook by its file path, as a lone module: it cannot import relatively,
# and the project root (for `snippets` and `hooks.nudge_figures`) is not on the path.
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hooks.nudge_figures import FIGURES, render  # noqa: E402
from hooks.nudge_figures.widget import has_widget, widget_json  # noqa: E402

FOLDER = "figures"
SCRIPT = "javascripts/nudge-widget.js"  # in docs/, served from the site
CACHE_DIR = ROOT / ".cache/figures"
DRAWN_FROM = [ROOT / "hooks/nudge_figures", ROOT / "snippets"]


def cache_enabled() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("", "0", "false")


def sources_digest() -> str:
    """What every figure is drawn from: the code's content and the libraries' versions."""
    digest = hashlib.sha256(f"{version('matplotlib')} {version('numpy')}".encode())
    for folder in DRAWN_FROM:
        for path in sorted(folder.rglob("*.py")):
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]


def figure_svg(name: str, lang: str, digest: str) -> bytes:
    """The figure's SVG, from the cache if these sources drew it before."""
    if not cache_enabled():
        return render(name, lang)
    cached = CACHE_DIR / f"{lang}-{name}-{digest}.svg"
    if cached.is_file():
        return cached.read_bytes()
    svg = render(name, lang)
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    for stale in CACHE_DIR.glob(f"{lang}-{name}-*.svg"):
        stale.unlink(missing_ok=True)
    partial = cached.with_name(f"{cached.name}.{os.getpid()}.part")
    partial.write_bytes(svg)
    partial.replace(cached)
    return svg


def language(config):
    """The language being built and the folder its files go to ('' for the default)."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return "en", ""
    lang = i18n.current_language
    return lang, "" if lang == i18n.default_language else f"{lang}/"


@event_priority(-200)  # after the i18n plugin (-100) has picked this language's files
def on_files(files, config):
    lang, prefix = language(config)
    digest = sources_digest()
    for name in FIGURES:
        src_uri = f"{FOLDER}/{name}.svg"
        file = File(src_uri, None, config.site_dir, config.use_directory_urls,
                    dest_uri=prefix + src_uri)
        file.generated_by = "hooks/figures.py"
        file.content_bytes = figure_svg(name, lang, digest)
        files.append(file)
    return files


def shown_figures(html):
    """The names of the figures that a page's HTML shows, in the registry's order."""
    return [name for name in FIGURES if re.search(
        rf'<img [^>]*src="[^"]*{FOLDER}/{re.escape(name)}\.svg"', html)]


def on_post_page(output, page, config):
    """Give each figure of the page its widget: data and script, before </body>.

    After the page is rendered, so that the data stays out of the search index.
    """
    shown = [name for name in shown_figures(output) if has_widget(FIGURES[name])]
    if not shown:
        return output
    lang, _ = language(config)
    data = "".join(
        f'<script type="application/json" class="nudge-data" data-figure="{name}">'
        f"{widget_json(name, FIGURES[name], lang)}</script>"
        for name in shown
    )
    script = f'<script src="{get_relative_url(SCRIPT, page.url)}" defer></script>'
    head, tail = output.rsplit("</body>", 1)
    return head + data + script + "</body>" + tail
