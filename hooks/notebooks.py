"""Make the notebook pages (mkdocs-jupyter) work with two languages, offline and fast.

Four fixes, each for a problem seen with mkdocs-jupyter 0.26 and mkdocs-static-i18n 1.3:

* **Pages, not raw files.** mkdocs-static-i18n re-creates every file as a plain `File`,
  so a `.py` notebook stops being a documentation page and its source is copied raw to
  `notebooks/x/index.html` (upstream issue ultrabug/mkdocs-static-i18n#198). This hook
  makes `File.is_documentation_page` true for the files that mkdocs-jupyter's `include`
  patterns select, so `x.py` and `x.zh.py` both render and the language switch works.
* **Fast, and never stale.** Executing a notebook takes seconds, and the plugin runs
  them one after the other inside the page loop. Its own cache is keyed by the
  notebook text only (a change in `snippets/` would serve stale results), and each
  language's build evicts the other language's entries, so it never hits. So the
  plugin's cache is off (`mkdocs.yml`) and this hook runs the plugin's converter
  (`mkdocs_jupyter.convert.nb2html`, with the plugin's options) itself: in worker
  processes started as soon as the build knows its files, so that the notebooks of
  both languages run side by side while the build renders the Markdown pages. Results
  are kept in `.cache/notebooks/`, one file per notebook, keyed by the notebook, every
  file in `snippets/`, `uv.lock` and the plugin's options: a `mkdocs serve` rebuild
  re-runs only a notebook whose key changed. With `CI` set (CI services set `CI=true`)
  nothing is read from or written to `.cache/`: every notebook runs.
* **No outside host.** nbconvert's notebook HTML loads MathJax 2 and a mermaid loader
  from a CDN. Both blocks are cut out of each notebook page: the Markdown cells' math
  is typeset at build time like every page's (`hooks/typeset_math.py`). The build
  fails if a CDN address is left, so a changed template cannot slip one through.
* **A download link.** Each notebook page gets a link to the notebook as an `.ipynb`
  file (no outputs), written next to the page, named per language (`x.ipynb`,
  `x.zh.ipynb`). Relative links in its Markdown cells (to `snippets.zip`, say) are made
  absolute with `site_url`, since the downloaded file no longer sits on the site.
* **Alt text.** nbconvert gives every plot the alt text "No description has been
  provided for this image", in English on the Chinese pages too, and its template
  reads no alt text from the notebook. Each plotting cell carries its own in the page's
  language as cell metadata (`# %% alt="..."`), and this hook puts it on the image;
  the build fails if a plot has none.

Kernels start in the build's working directory and import `snippets` from there: build
from the project root, as mkdocs-jupyter itself requires.
"""

import atexit
import hashlib
import json
import logging
import multiprocessing
import os
import re
import tempfile
from html import escape
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path, PurePath
from urllib.parse import urljoin

import jupytext
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs_jupyter import convert
from mkdocs_jupyter.plugin import _get_nb_toc_tokens

log = logging.getLogger("mkdocs.hooks.notebooks")

PLUGIN = "mkdocs-jupyter"
CACHE_DIR = ".cache/notebooks"
#: What the notebooks import besides themselves, relative to the config dir.
CODE_INPUTS = ("snippets", "uv.lock")
#: The plugin's options that `convert.nb2html` takes as they are.
NB2HTML_OPTIONS = (
    "kernel_name", "theme", "allow_errors", "show_input", "no_input", "no_prompt",
    "remove_tag_config", "highlight_extra_classes", "include_requirejs",
    "custom_mathjax_url",
)

MATHJAX_2 = re.compile(
    r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S
)
MERMAID = re.compile(
    r'<script type="module">\s*document\.addEventListener\("DOMContentLoaded", async'
    r".*?<!-- End of mermaid configuration -->",
    re.S,
)
CDN = re.compile(r"https?://cdnjs\.[^\s\"'<>]*")
FIRST_HEADING_END = re.compile(r"</h1>")
KERNEL_DIED = "Kernel died before replying to kernel_info"
NO_ALT = 'alt="No description has been provided for this image"'
MARKDOWN_LINK = re.compile(r"\]\((?![a-z]+:|#|/)([^)\s]+)\)")
ANSI_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
DOWNLOAD = {
    "en": "Download this notebook (.ipynb)",
    "zh": "下载这个笔记本（.ipynb）",
}

_patterns: list[str] = []
_jobs: dict[Path, Future] = {}  # entry file -> the notebook's HTML, being made
_calls: dict[Path, tuple] = {}  # entry file -> the arguments of its nb2html call
_scratch = tempfile.TemporaryDirectory(prefix="notebooks-")  # entries when cache is off
_pool: ProcessPoolExecutor | None = None


# --- pages, not raw files -------------------------------------------------------


def is_notebook(file: File) -> bool:
    """Tell whether mkdocs-jupyter's `include` patterns select this file."""
    src = file.abs_src_path
    return src is not None and any(PurePath(src).match(p) for p in _patterns)


_plain_is_documentation_page = File.is_documentation_page


def _is_documentation_page(self: File) -> bool:
    return _plain_is_documentation_page(self) or is_notebook(self)


def on_config(config):
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        raise PluginError(f"hooks/notebooks.py needs the plugin '{PLUGIN}'")
    options = plugin.config
    if not options["execute"] or options["allow_errors"] or options["cache"]:
        raise PluginError(
            f"'{PLUGIN}' must have execute: true (every notebook runs in the build), "
            "allow_errors: false (a failing cell fails the build) and cache: false "
            "(this hook caches instead, keyed by snippets/ too)"
        )
    _patterns[:] = options["include"]
    File.is_documentation_page = _is_documentation_page
    return config


# --- fast, and never stale --------------------------------------------------------


def cache_enabled() -> bool:
    """The cache is off on CI (CI=true) and whenever CI is set to anything but false."""
    return os.environ.get("CI", "").strip().lower() in ("", "0", "false")


def cache_key(notebook: Path, root: Path, options) -> str:
    """Hash the notebook, the code it imports, the lock file and the options."""
    hasher = hashlib.sha256()
    hasher.update(notebook.read_bytes())
    for name in CODE_INPUTS:
        path = root / name
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                hasher.update(file.relative_to(root).as_posix().encode())
                hasher.update(file.read_bytes())
    hasher.update(repr(sorted(options.items())).encode())
    return hasher.hexdigest()


def entry_path(file: File, config) -> Path:
    """Where the rendered notebook is kept: named after the notebook and its key."""
    root = Path(config.config_file_path).parent
    key = cache_key(Path(file.abs_src_path), root, config.plugins[PLUGIN].config)
    folder = root / CACHE_DIR if cache_enabled() else Path(_scratch.name)
    return folder / f"{file.src_uri.replace('/', '__')}-{key[:20]}.json"


def pool() -> ProcessPoolExecutor:
    """Worker processes forked from a server that has imported nbconvert once."""
    global _pool
    if _pool is None:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["mkdocs_jupyter.convert"])
        _pool = ProcessPoolExecutor(max_workers=os.cpu_count() or 2, mp_context=context)
        atexit.register(_pool.shutdown)  # before the interpreter tears the module down
    return _pool


def start(file: File, config) -> Path:
    """Start running the notebook unless it is done or under way; return its entry."""
    entry = entry_path(file, config)
    if entry in _jobs or entry.is_file():
        return entry
    options = config.plugins[PLUGIN].config
    source = file.abs_src_path
    # as mkdocs-jupyter 0.26's on_pre_page calls it
    execute = options["execute"] and not any(
        PurePath(source).match(p) for p in options["execute_ignore"]
    )
    kwargs = {name: options[name] for name in NB2HTML_OPTIONS}
    kwargs["execute"] = execute
    _calls[entry] = (source, kwargs)
    _jobs[entry] = pool().submit(convert.nb2html, source, **kwargs)
    return entry


def on_files(files, config):
    notebooks = [file for file in files if is_notebook(file)]
    # the default language's first (no `.zh` before `.py`): its build needs them first
    notebooks.sort(key=lambda f: (len(PurePath(f.src_uri).suffixes), f.src_uri))
    for file in notebooks:
        start(file, config)
    return files


def finish(entry: Path, file: File, toc_depth: int) -> dict:
    """Wait for the notebook's HTML and keep it; fail the build if a cell failed."""
    job = _jobs.pop(entry, None)
    if job is None:
        log.info("Notebook from cache: %s", file.src_uri)
        return json.loads(entry.read_text(encoding="utf-8"))
    source, kwargs = _calls.pop(entry)
    try:
        try:
            content = job.result()
        except RuntimeError as error:
            # Kernels started side by side can race for their TCP ports, and one then
            # dies before it runs a cell; that is worth one more try, a cell error not.
            if KERNEL_DIED not in str(error):
                raise
            log.info("The kernel for %s died at start; once more", file.src_uri)
            content = convert.nb2html(source, **kwargs)
    except Exception as error:  # a later `mkdocs serve` rebuild tries again
        message = ANSI_COLOUR.sub("", str(error))  # the traceback, without colours
        failed = f"Notebook {file.src_uri} failed to run:\n{message}"
        raise PluginError(failed) from error
    toc, title = _get_nb_toc_tokens(file.abs_src_path, toc_depth)
    rendered = {"content": content, "toc": toc, "title": title}
    entry.parent.mkdir(parents=True, exist_ok=True)
    # a complete entry or none, even if the build stops or another build writes it
    partial = entry.with_name(f"{entry.name}.{os.getpid()}.part")
    partial.write_text(json.dumps(rendered), encoding="utf-8")
    partial.replace(entry)
    for old in entry.parent.glob(entry.name.rsplit("-", 1)[0] + "-*.json"):
        if old != entry:  # one entry per notebook
            old.unlink(missing_ok=True)
    log.info("Notebook executed: %s", file.src_uri)
    return rendered


@event_priority(-50)  # after mkdocs-jupyter's on_pre_page, whose `render` this replaces
def on_pre_page(page: Page, config, files):
    if not is_notebook(page.file):
        return page
    entry = start(page.file, config)  # started in on_files, unless it changed since
    options = config.plugins[PLUGIN].config

    def render(config, files):
        rendered = finish(entry, page.file, options["toc_depth"])
        page.content, page.toc = rendered["content"], get_toc(rendered["toc"])
        if rendered["title"] is not None and not options["ignore_h1_titles"]:
            page.title = rendered["title"]

    page.render = render  # instead of mkdocs-jupyter's, which would run it again
    return page


# --- no outside host, a download link ---------------------------------------------


def download_name(page: Page) -> str:
    """Name the downloadable notebook after its source: `x.ipynb`, `x.zh.ipynb`.

    Each language's file has its own name, so both can sit in one downloads folder.
    """
    locale = getattr(page.file, "locale", "en")
    suffix = "" if locale == "en" else f".{locale}"
    return f"{Path(page.file.dest_uri).parent.name}{suffix}.ipynb"


def with_alt_texts(html: str, page: Page) -> str:
    """Give each plot the `alt` metadata of its cell, in order; fail if one has none."""
    missing = html.count(NO_ALT)
    if not missing:
        return html
    notebook = jupytext.read(page.file.abs_src_path)
    alts = [cell.metadata["alt"] for cell in notebook.cells if "alt" in cell.metadata]
    if len(alts) != missing:
        raise PluginError(
            f"{page.file.src_uri}: {missing} plot(s) but {len(alts)} cell(s) with an "
            'alt text: give each plotting cell one, as `# %% alt="what the plot shows"`'
        )
    for alt in alts:
        html = html.replace(NO_ALT, f'alt="{escape(alt, quote=True)}"', 1)
    return html


def on_page_content(html: str, page: Page, config, files) -> str:
    if not is_notebook(page.file):
        return html
    html = MERMAID.sub("", MATHJAX_2.sub("", html))
    left = sorted(set(CDN.findall(html)))
    if left:
        raise PluginError(
            f"{page.file.src_uri}: the notebook HTML still loads from a CDN "
            f"(has nbconvert's template changed?):\n  " + "\n  ".join(left)
        )
    html = with_alt_texts(html, page)
    label = DOWNLOAD.get(getattr(page.file, "locale", "en"), DOWNLOAD["en"])
    href = download_name(page)
    link = (
        f'<p class="notebook-download">'
        f'<a class="md-button" href="{href}" download>{label}</a></p>'
    )
    # right under the notebook's title, or first if it has none
    if FIRST_HEADING_END.search(html):
        return FIRST_HEADING_END.sub("</h1>\n" + link, html, count=1)
    return link + html


def on_post_page(output: str, page: Page, config) -> str:
    if is_notebook(page.file):
        notebook = jupytext.read(page.file.abs_src_path)
        here = urljoin(config.site_url or "", page.url)
        for cell in notebook.cells:
            if cell.cell_type == "markdown":
                cell.source = MARKDOWN_LINK.sub(
                    lambda link: f"]({urljoin(here, link[1])})", cell.source
                )
        target = Path(page.file.abs_dest_path).parent / download_name(page)
        target.parent.mkdir(parents=True, exist_ok=True)
        jupytext.write(notebook, target, fmt="ipynb")
    return output
