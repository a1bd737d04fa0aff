"""MathJax 3.2.2 in an embedded V8 (mini-racer): TeX in, CommonHTML with MathML out.

The MathJax files are the ones the `django-static-mathjax` wheel ships (the same
version and components the site loaded in the browser before), evaluated in
`py_mini_racer.MiniRacer`, so rendering needs neither node nor npm.
"""

import json
from importlib.metadata import version
from importlib.util import find_spec
from pathlib import Path

from mkdocs.exceptions import PluginError

HERE = Path(__file__).parent

#: The site's TeX options (they were docs/javascripts/mathjax.js before). `noundefined`
#: is left out so that an unknown macro is an error rather than red text.
TEX_OPTIONS = {
    "processEscapes": True,
    "processEnvironments": True,
    "tags": "none",
    "packages": {"[-]": ["noundefined"]},
}
#: Stands for the fonts' folder in the stylesheet; each page gets its relative path.
FONT_URL = "@MATHJAX_FONTS@"
CHTML_OPTIONS = {"fontURL": FONT_URL}
#: The component files that MathJax's loader asks for, relative to its es5 folder.
COMPONENTS = (
    "adaptors/liteDOM.js",
    "input/tex.js",
    "output/chtml.js",
    "a11y/assistive-mml.js",
    "output/chtml/fonts/tex.js",
)
EXTENSIONS = "input/tex/extensions"  # loaded on demand (autoload), as in the browser


class TexError(Exception):
    """A formula that MathJax rejects; the message is MathJax's."""


def mathjax_root() -> Path:
    """MathJax's `es5` folder inside the installed django-static-mathjax."""
    spec = find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise PluginError(
            "MathJax is not installed: add 'django-static-mathjax' to the docs "
            "dependencies (not the unrelated 'mathjax' package)."
        )
    root = Path(next(iter(spec.submodule_search_locations))) / "static/mathjax/es5"
    if not (root / "node-main.js").is_file():
        raise PluginError(
            f"No MathJax 3 files under {root}: the installed 'mathjax' module is not "
            "django-static-mathjax."
        )
    return root


def renderer_version() -> str:
    """Everything that changes the markup: MathJax's and mini-racer's versions, the
    options, and this renderer's JavaScript."""
    scripts = "".join((HERE / name).read_text(encoding="utf-8") for name in ("render.js", "api.js"))
    return json.dumps([
        version("django-static-mathjax"),
        version("mini-racer"),
        TEX_OPTIONS,
        CHTML_OPTIONS,
        scripts,
    ])


class Renderer:
    """One V8 context with MathJax loaded; `close()` it (mini-racer may hang at exit
    otherwise)."""

    def __init__(self):
        from py_mini_racer import MiniRacer

        root = mathjax_root()
        files = [*COMPONENTS, *(
            p.relative_to(root).as_posix() for p in sorted((root / EXTENSIONS).rglob("*.js"))
        )]
        sources = {f"/mathjax/{name}": (root / name).read_text(encoding="utf-8") for name in files}
        options = {"tex": TEX_OPTIONS, "chtml": CHTML_OPTIONS}
        self._js = MiniRacer()
        self._js.eval(f"var __sources = {json.dumps(sources)};")
        self._js.eval(f"var __options = {json.dumps(options)};")
        self._js.eval((HERE / "render.js").read_text(encoding="utf-8"))
        self._js.eval((root / "node-main.js").read_text(encoding="utf-8"))
        self._js.eval("exports.init({})").get(timeout=60)
        self._js.eval((HERE / "api.js").read_text(encoding="utf-8"))
        self.base_rules: list[str] = json.loads(self._js.eval("JSON.stringify(baseRules())"))

    def typeset(self, tex: str, display: bool) -> dict:
        """Return {"html": the mjx-container, "rules": its own stylesheet rules}."""
        call = f"typeset({json.dumps(tex)}, {json.dumps(display)})"
        result = json.loads(self._js.eval(call).get(timeout=60))
        if "error" in result:
            raise TexError(result["error"])
        return result

    def typeset_together(self, formulas: list[tuple[str, bool]]) -> list[str]:
        """The stylesheet rules of these formulas typeset in one document."""
        call = f"typesetTogether({json.dumps(formulas)})"
        return json.loads(self._js.eval(call).get(timeout=60))

    def close(self) -> None:
        self._js.close()
