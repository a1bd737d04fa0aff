"""Keep only the notebook stylesheet rules that a notebook page can use.

mkdocs-jupyter inlines JupyterLab's whole stylesheet (575 kB: the editor, file browser,
menus, dialogs, widgets) into every notebook page, where a few hundred of its rules
style the cells; it has no option to leave it out. It made each notebook page over
1.4 MB. This hook drops, from the `<style type="text/css">` blocks of a page holding a
notebook (`jupyter-wrapper`), every rule none of whose selectors can match the page:
a selector is kept when every class and id it requires appears in the page's HTML
(what is inside `:not()` and the other functional pseudo-classes is not required).
Rules without classes or ids (`:root` variables, element rules), `@font-face`,
`@keyframes` and the like are kept as they are; `@media` and `@supports` blocks are
pruned inside and dropped when empty. Then every custom property (`--jp-...`, many of
them icons as data URLs) that no kept declaration, no other style on the page and no
`extra_css` file reads is dropped.

Nothing on these pages adds classes at run time (no JupyterLab script is loaded), so
what the HTML holds is what the stylesheet can style. tinycss2 is nbconvert's own
stylesheet parser (through bleach[css]). Parsing the sheet takes a second or more, so
the result is kept in `.cache/notebook-styles/`, keyed by the sheets, the page's class
names and ids, and this hook's code (nothing is kept with `CI` set).
"""

import hashlib
import json
import os
import re
from pathlib import Path

import tinycss2

CACHE_DIR = ".cache/notebook-styles"  # off with CI set, as the other caches
STYLE = re.compile(r'(<style type="text/css">)(.*?)(</style>)', re.S)
FUNCTIONAL_PSEUDO = re.compile(r":(?:not|is|where|has|matches|-\w+-any)\(")
CLASS_OR_ID = re.compile(r"([.#])(-?[_a-zA-Z][\w-]*)")
CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')
ID_ATTR = re.compile(r'\bid="([^"]*)"')
VAR = re.compile(r"var\(\s*(--[\w-]+)")
PRUNED_BLOCKS = {"media", "supports", "layer", "container"}


def page_names(html: str) -> tuple[set[str], set[str]]:
    """The class names and ids that the page's elements carry."""
    classes = {name for value in CLASS_ATTR.findall(html) for name in value.split()}
    return classes, set(ID_ATTR.findall(html))


def required(selector: str) -> list[tuple[str, str]]:
    """The classes and ids an element must carry for `selector` to match it."""
    kept, depth, position = [], 0, 0
    while position < len(selector):
        if depth == 0 and (pseudo := FUNCTIONAL_PSEUDO.match(selector, position)):
            kept.append(" ")
            depth, position = 1, pseudo.end()
            continue
        char = selector[position]
        if depth:
            depth += {"(": 1, ")": -1}.get(char, 0)
        elif char == "[":  # an attribute's value may hold dots: `[src$=".svg"]`
            end = selector.find("]", position)
            position = len(selector) if end < 0 else end
        else:
            kept.append(char)
        position += 1
    return CLASS_OR_ID.findall("".join(kept))


def can_match(prelude: str, classes: set[str], ids: set[str]) -> bool:
    for selector in prelude.split(","):
        names = required(selector)
        if all(name in (classes if kind == "." else ids) for kind, name in names):
            return True
    return False


def kept(rules, classes: set[str], ids: set[str]) -> list:
    """The rules that can match, as ("rule", prelude, declarations), ("block", head,
    children) and ("raw", text) items."""
    items = []
    for rule in rules:
        if rule.type == "qualified-rule":
            prelude = tinycss2.serialize(rule.prelude)
            if can_match(prelude, classes, ids):
                declarations = [d for d in tinycss2.parse_blocks_contents(
                    rule.content, skip_whitespace=True, skip_comments=True)]
                items.append(("rule", prelude, declarations))
        elif rule.type == "at-rule" and rule.lower_at_keyword in PRUNED_BLOCKS and rule.content:
            children = kept(tinycss2.parse_rule_list(rule.content), classes, ids)
            if children:
                head = f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}"
                items.append(("block", head, children))
        elif rule.type not in ("whitespace", "comment"):
            items.append(("raw", rule.serialize()))
    return items


def declarations(items):
    for item in items:
        if item[0] == "rule":
            yield from (d for d in item[2] if d.type == "declaration")
        elif item[0] == "block":
            yield from declarations(item[2])


def used_variables(items, elsewhere: str) -> set[str]:
    """Custom properties that a kept declaration (or `elsewhere`) reads, transitively."""
    values: dict[str, list[str]] = {}
    used = set(VAR.findall(elsewhere))
    for declaration in declarations(items):
        value = tinycss2.serialize(declaration.value)
        if declaration.name.startswith("--"):
            values.setdefault(declaration.name, []).append(value)
        else:
            used.update(VAR.findall(value))
    todo = list(used)
    while todo:
        for value in values.get(todo.pop(), []):
            for name in VAR.findall(value):
                if name not in used:
                    used.add(name)
                    todo.append(name)
    return used


def serialize(items, used: set[str]) -> str:
    out = []
    for item in items:
        if item[0] == "raw":
            out.append(item[1])
        elif item[0] == "block":
            inner = serialize(item[2], used)
            if inner:
                out.append(f"{item[1]}{{{inner}}}")
        else:
            body = ";".join(
                d.serialize() for d in item[2]
                if d.type == "declaration" and (not d.name.startswith("--") or d.name in used)
            )
            if body:
                out.append(f"{item[1].strip()}{{{body}}}")
    return "\n".join(out)


def prune_stylesheets(sheets: list[str], html: str, elsewhere: str = "") -> list[str]:
    """`sheets` without the rules that cannot match any element of `html`, and without
    the custom properties that nothing left in them (nor `elsewhere`) reads."""
    classes, ids = page_names(html)
    items = [kept(tinycss2.parse_stylesheet(css), classes, ids) for css in sheets]
    used = used_variables([item for sheet in items for item in sheet], elsewhere)
    return [serialize(sheet, used) for sheet in items]


def site_css(config) -> str:
    """The site's own stylesheets (extra_css), which may read a notebook variable."""
    docs = Path(config.docs_dir)
    return "".join((docs / path).read_text(encoding="utf-8")
                   for path in config.extra_css if (docs / path).is_file())


def cache_enabled() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("", "0", "false")


def cache_key(sheets: list[str], html: str, elsewhere: str) -> str:
    """Everything the pruned sheets depend on: the sheets, the names the page carries,
    the variables read elsewhere, and this hook's code."""
    classes, ids = page_names(html)
    parts = [Path(__file__).read_text(encoding="utf-8"), *sheets, " ".join(sorted(classes)),
             " ".join(sorted(ids)), " ".join(sorted(set(VAR.findall(elsewhere))))]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def pruned_sheets(sheets: list[str], html: str, elsewhere: str, cache: Path | None) -> list[str]:
    """prune_stylesheets, from the cache when the same page was pruned before (parsing
    the 575 kB sheet takes a second or more, every build)."""
    if cache is None:
        return prune_stylesheets(sheets, html, elsewhere)
    entry = cache / f"{cache_key(sheets, html, elsewhere)[:32]}.json"
    if entry.is_file():
        return json.loads(entry.read_text(encoding="utf-8"))
    pruned = prune_stylesheets(sheets, html, elsewhere)
    cache.mkdir(parents=True, exist_ok=True)
    partial = entry.with_name(f"{entry.name}.{os.getpid()}.part")
    partial.write_text(json.dumps(pruned), encoding="utf-8")
    partial.replace(entry)
    return pruned


def on_post_page(output: str, page, config) -> str:
    if 'class="jupyter-wrapper"' not in output:
        return output
    sheets = [match[2] for match in STYLE.finditer(output)]
    elsewhere = STYLE.sub("", output) + site_css(config)
    cache = Path(config.config_file_path).parent / CACHE_DIR if cache_enabled() else None
    pruned = iter(pruned_sheets(sheets, output, elsewhere, cache))
    return STYLE.sub(lambda match: match[1] + next(pruned) + match[3], output)
