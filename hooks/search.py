"""Search that stays in the reader's language, ranks Chinese by the site's own terms,
previews prose, and costs a page nothing until the reader searches.

The fixes, each for something a reader saw with Material 9.8's search and
mkdocs-static-i18n 1.3:

* **One index per language.** The i18n plugin merges both languages into one
  `search/search_index.json`, so a search on `/zh/` listed English pages too (Material
  has no option for this). After the build, this hook splits that index: the default
  language's entries stay in `search/search_index.json`, each other language's go to
  `<lang>/search/search_index.json` with locations relative to `<lang>/`. Material
  fetches the index from its `base` (the `__config` block of every page), so each page
  of another language gets that language's folder as its `base`; nothing else that this
  site uses (no instant navigation, no versions) reads `base`.
* **Chinese words from the glossary.** Material segments Chinese with jieba at build
  time. jieba's own dictionary cuts 链式法则 into 链式 + 法则, so 链式法则 ranked the
  wrong pages and highlighted one character. This hook writes a jieba user dictionary
  from the first column of the glossary table (`docs/glossary.zh.md`, the site's one
  source of terms) into a temporary file and sets the search plugin's documented
  `jieba_dict_user` option to it, before the plugin loads it.
* **A Chinese query keeps its last word.** Material's worker splits a Chinese query
  into words it finds in the index (`segment` in its search worker), but its loop
  stops one character short: it never tries a word that ends the query, so 链式法则
  became 链式 + 法 and 微调一个元素 lost 元素. The worker copied into the site gets
  that one bound fixed (`<` to `<=`); the build fails if the code it fixes is not
  found exactly once (a new Material version: check whether it is still needed).
* **The index loads when the reader opens search.** Material's bundle fetches the
  whole index (300-400 kB per language) as soon as any page loads, though most readers
  never search: it was the largest part of a cold page. Material already waits for the
  reader to open search before it hands the index to its worker when a site is opened
  from `file://`; two patches of the bundle copied into the site make it wait on every
  protocol: the worker's set-up waits for the search toggle, and search highlighting
  (`search.highlight`, which only needs the index's separator) asks for the index only
  on a page opened from a result, whose address carries `?h=`. Queries typed before the
  index arrives are run once it is ready (Material's own queueing). The build fails if
  either piece of code is not found exactly once. `navigation.instant` stays off (it
  breaks the language switch), so `?h=` can only arrive with a page load.
* **Code blocks are not indexed.** A code block in a preview is noise, and the blocks
  were a quarter of each index. They are dropped from the index entries (`<pre>`, the
  pages' blocks and the notebooks' cells and outputs; a notebook cell's hidden
  plain-text copy is marked `data-search-exclude`); inline code (`keepdims`,
  `np.sum`) stays in the prose. The pages' HTML is left as it is: the downloads hook
  and the copy test find the blocks by their exact markup.
* **Previews show prose.** The index gets each page's text with its TeX (`\\(dX\\)`,
  `\\[ ... \\]`, the notebooks' `$...$`), whatever renders the math on the page. Display
  math is dropped from the index and inline math becomes plain text (`∂L / ∂X`).
  nbconvert's "¶" heading links, its hidden "Copied!" notice, the hidden plain-text copy
  of each code cell and the notebook's download button are marked `data-search-exclude`
  (Material's documented attribute).
"""

import json
import logging
import re
import tempfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.utils import get_relative_url

GLOSSARY = "glossary.zh.md"
HAN = re.compile(r"[\u3400-\u9fff]")
TABLE_ROW = re.compile(r"^\|\s*([^|]+?)\s*\|\s*[^|]+\|", re.M)
CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)

log = logging.getLogger("mkdocs.hooks.search")
_dictionary = tempfile.TemporaryDirectory(prefix="jieba-")


# --- Chinese words from the glossary ----------------------------------------------


def glossary_terms(glossary: Path) -> list[str]:
    """The Chinese terms in the first column of the glossary's tables (header skipped)."""
    if not glossary.is_file():
        raise PluginError(f"hooks/search.py: no glossary at {glossary} (the source of terms)")
    terms = []
    for cell in TABLE_ROW.findall(glossary.read_text(encoding="utf-8")):
        if cell == "中文" or set(cell) <= set("-: "):
            continue
        if HAN.search(cell) and cell not in terms:
            terms.append(cell)
    if not terms:
        raise PluginError(f"hooks/search.py: {glossary} has no table of terms")
    return terms


def search_plugin(config):
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    if plugin is None:
        raise PluginError("hooks/search.py needs Material's search plugin")
    return plugin


@event_priority(100)  # before the search plugin's on_config, which loads the dictionary
def on_config(config):
    plugin = search_plugin(config)
    glossary = Path(config.docs_dir) / GLOSSARY
    if not glossary.is_file():  # a site without the glossary (a test's small project)
        log.info("No %s: jieba keeps its own dictionary", glossary)
        return config
    terms = glossary_terms(glossary)
    path = Path(_dictionary.name) / "glossary.txt"
    # one word a line, no frequency: jieba then gives each the weight to stay whole
    path.write_text("".join(f"{term}\n" for term in terms), encoding="utf-8")
    plugin.config.jieba_dict_user = str(path)
    return config


# --- previews show prose -------------------------------------------------------------

EXCLUDE = [
    '<div class="clipboard-copy-txt"',  # a code cell's hidden copy, as plain text
    '<a class="anchor-link"',  # nbconvert's "¶" after each heading
    '<div class="zeroclipboard-container"',  # mkdocs-jupyter's copy button, "Copied!"
    '<p class="notebook-download"',  # hooks/notebooks.py's download button
]


def on_page_content(html: str, page, config, files) -> str:
    for start in EXCLUDE:
        html = html.replace(start, start + " data-search-exclude")
    return html


SYMBOLS = {
    "operatorname": "", "mathrm": "", "mathbf": "", "text": "", "lvert": "|",
    "rvert": "|", "lVert": "‖", "rVert": "‖", "log": "log ", "det": "det ",
    "partial": "∂", "top": "ᵀ", "odot": "⊙", "cdot": "·", "times": "×", "sum": "Σ",
    "prod": "Π", "Delta": "Δ", "delta": "δ", "varepsilon": "ε", "epsilon": "ε",
    "sigma": "σ", "eta": "η", "mu": "μ", "lambda": "λ", "gamma": "γ", "beta": "β",
    "alpha": "α", "theta": "θ", "ldots": "…", "dots": "…", "cdots": "…",
    "leftarrow": "←", "rightarrow": "→", "to": "→", "approx": "≈", "le": "≤",
    "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "langle": "⟨",
    "rangle": "⟩", "infty": "∞", "in": "∈", "mid": "|", "lvert": "|", "rvert": "|",
    "quad": " ", "qquad": " ", "max": "max", "min": "min",
}
DISPLAY = re.compile(r"\\\[.*?\\\]|\$\$.*?\$\$|\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S)
INLINE = re.compile(r"\\\((.*?)\\\)|(?<![\\$])\$([^$]+?)(?<!\\)\$", re.S)
ARGUMENT = r"(?:\{([^{}]*)\}|(\w))"  # `{x_k}` or a lone `3`, as in `\tfrac13`
FRAC = re.compile(rf"\\[dt]?frac\s*{ARGUMENT}\s*{ARGUMENT}")
ACCENT = re.compile(rf"\\(hat|bar|tilde|sqrt)\s*{ARGUMENT}")
COMBINING = {"hat": "\u0302", "bar": "\u0304", "tilde": "\u0303"}
COMMAND = re.compile(r"\\([A-Za-z]+)\s*")


def tex_to_text(tex: str) -> str:
    """Plain text for a short inline formula: `\\partial L / \\partial X` -> `∂L / ∂X`."""
    text = tex.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")
    text = re.sub(r"\^\s*\{?\\top\}?", "ᵀ", text)
    for _ in range(3):  # nested fractions, innermost first
        text = FRAC.sub(lambda m: f"({m[1] or m[2]})/({m[3] or m[4]})", text)
    text = ACCENT.sub(lambda m: f"√({m[2] or m[3]})" if m[1] == "sqrt"
                      else (m[2] or m[3]) + COMBINING[m[1]], text)
    text = re.sub(r"\\(?:left|right|big|Big|bigg|Bigg)\b", "", text)
    text = re.sub(r"\\[,;:! ]", " ", text)
    text = COMMAND.sub(lambda m: SYMBOLS.get(m[1], "" if len(m[1]) > 12 else m[1]), text)
    text = re.sub(r"[{}]", "", text).replace("\\", "")
    text = re.sub(r"[_^]", "", text)
    text = re.sub(r"\s+", " ", text).strip()
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


CODE_BLOCK = re.compile(r"<pre>.*?</pre>", re.S)


def prose(text: str) -> str:
    """An index entry's text without code blocks or TeX: display math dropped, inline
    math as text."""
    text = CODE_BLOCK.sub(" ", text)
    text = DISPLAY.sub(" ", text)
    text = INLINE.sub(lambda m: tex_to_text(m[1] if m[1] is not None else m[2]), text)
    # TeX whose delimiters did not survive (a formula cut by a table's cell): as text
    text = re.sub(r"\\[()\[\]]", " ", text)
    text = COMMAND.sub(lambda m: SYMBOLS.get(m[1], ""), text)
    text = re.sub(r"<p>\s*</p>", "", text)
    return re.sub(r"[ \t]{2,}", " ", text).strip()


# --- one index per language ------------------------------------------------------------


def languages(config) -> tuple[str, list[str]]:
    """The default language and the others, from the i18n plugin's configuration."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return config.theme["language"], []
    locales = [lang.locale for lang in i18n.config.languages if lang.build]
    default = next(lang.locale for lang in i18n.config.languages if lang.default)
    return default, [locale for locale in locales if locale != default]


def page_language(url: str, others: list[str]) -> str | None:
    return next((lang for lang in others if url.startswith(f"{lang}/")), None)


def on_post_page(output: str, page, config) -> str:
    """Point a page of another language at that language's folder, where its index is."""
    _, others = languages(config)
    lang = page_language(page.url, others)
    if lang is None:
        return output
    match = CONFIG_SCRIPT.search(output)
    if match is None:
        raise PluginError(f"{page.file.src_uri}: no __config script (has Material changed?)")
    settings = json.loads(match[2])
    settings["base"] = get_relative_url(f"{lang}/", page.url)
    return output[: match.start(2)] + json.dumps(settings) + output[match.end(2) :]


SEGMENT_BOUND = "for(let o=s+1;o<t.length;o++)t.slice(s,o)in e"


def one_file(folder: Path, pattern: str) -> Path:
    found = sorted(folder.glob(pattern))
    if len(found) != 1:
        raise PluginError(f"hooks/search.py: expected one {folder}/{pattern}, found {found}")
    return found[0]


def fix_segmenter(site: Path) -> None:
    """Let the worker's query segmenter try words that end the query."""
    worker = one_file(site / "assets/javascripts/workers", "search.*.min.js")
    code = worker.read_text(encoding="utf-8")
    fixed = SEGMENT_BOUND.replace("o<t.length", "o<=t.length")
    if code.count(fixed) == 1:
        return  # fixed by an earlier language's build
    if code.count(SEGMENT_BOUND) != 1:
        raise PluginError(
            f"hooks/search.py: the query segmenter in {worker.name} has changed; "
            "check whether Material still stops one character short, then update this hook"
        )
    worker.write_text(code.replace(SEGMENT_BOUND, fixed), encoding="utf-8")


# --- the index loads when the reader opens search ------------------------------------

NAME = r"[\w$]+"  # a (minified) JavaScript name
PATCHED = "/*hooks/search.py: on demand*/"
ON_DEMAND = [
    # setupSearchWorker: `merge(of(location.protocol !== "file:"), watchToggle("search"))
    # .pipe(first(active => active), switchMap(() => index$))` sends the index to the
    # worker at once, except from file://; make it wait for the toggle everywhere.
    (
        "the search worker's set-up",
        re.compile(rf'({NAME}\({NAME}\()location\.protocol!=="file:"(\),{NAME}\("search"\)\))'),
        rf"\1{PATCHED}false\2",
    ),
    # mountSearchHighlight: `combineLatest([index$, location$.pipe(..., filter(url =>
    # !!url.searchParams.get("h")))])` subscribes to index$ (and so fetches it) on every
    # page; subscribe only where the address has `h`, else to a promise that never ends.
    (
        "search highlighting",
        re.compile(rf'({NAME}\(\[)({NAME})(,{NAME}\.pipe\({NAME}\({NAME}\(\)\),{NAME}\(({NAME})'
                   rf'=>!!\4\.searchParams\.get\("h"\)\)\)\]\))'),
        rf'\1{PATCHED}(new URLSearchParams(location.search).has("h")?\2:new Promise(()=>{{}}))\3',
    ),
]


def load_index_on_demand(site: Path) -> None:
    """Patch Material's bundle so that a page fetches the index only when searched."""
    bundle = one_file(site / "assets/javascripts", "bundle.*.min.js")
    code = bundle.read_text(encoding="utf-8")
    if code.count(PATCHED) == len(ON_DEMAND):
        return  # patched by an earlier language's build
    for what, pattern, replacement in ON_DEMAND:
        code, count = pattern.subn(replacement, code)
        if count != 1:
            raise PluginError(
                f"hooks/search.py: {what} in {bundle.name} has changed ({count} matches); "
                "check how Material loads the search index now, then update this hook"
            )
    bundle.write_text(code, encoding="utf-8")


def unique(docs: list[dict]) -> list[dict]:
    """The entries without repeats. Under `mkdocs serve --dirty` the i18n plugin stacks
    each rebuild's entries onto Material's kept index, which doubles it every rebuild."""
    seen = set()
    kept = []
    for doc in docs:
        key = json.dumps(doc, sort_keys=True, ensure_ascii=False)
        if key not in seen:
            seen.add(key)
            kept.append(doc)
    return kept


@event_priority(-200)  # after the i18n plugin (-100) has written the merged index
def on_post_build(config):
    fix_segmenter(Path(config.site_dir))
    load_index_on_demand(Path(config.site_dir))
    index_file = Path(config.site_dir) / "search" / "search_index.json"
    if not index_file.is_file():
        return
    index = json.loads(index_file.read_text(encoding="utf-8"))
    default, others = languages(config)
    split: dict[str, list] = {default: [], **{lang: [] for lang in others}}
    for doc in unique(index["docs"]):
        doc["title"], doc["text"] = prose(doc["title"]), prose(doc["text"])
        lang = page_language(doc["location"], others)
        if lang is not None:
            doc["location"] = doc["location"].removeprefix(f"{lang}/")
        split[lang or default].append(doc)
    for lang, docs in split.items():
        folder = index_file.parent if lang == default else Path(config.site_dir) / lang / "search"
        folder.mkdir(parents=True, exist_ok=True)
        data = {"config": index["config"], "docs": docs}
        (folder / "search_index.json").write_text(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )
