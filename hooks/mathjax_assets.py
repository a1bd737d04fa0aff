"""Serve MathJax 3 from this site instead of a CDN.

Many readers cannot reach public CDNs, and `mkdocs serve` must work with no network.
The MathJax files come from the `django-static-mathjax` wheel on PyPI (it does not need
Django); this hook adds the subset that TeX input with CommonHTML output needs to the
site as generated files under `assets/mathjax/`.
"""

from importlib.util import find_spec
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files

TARGET = "assets/mathjax"
SUBSET = (
    "tex-chtml.js",
    "input/tex/extensions",
    "output/chtml/fonts/woff-v2",
    "ui",
    "a11y",
    "sre",
)


def mathjax_root() -> Path:
    """Return MathJax's `es5` folder inside the installed django-static-mathjax."""
    spec = find_spec("mathjax")
    if spec is None or not spec.submodule_search_locations:
        raise PluginError(
            "MathJax is not installed: add 'django-static-mathjax' to the docs "
            "dependencies (not the unrelated 'mathjax' package)."
        )
    root = Path(next(iter(spec.submodule_search_locations))) / "static/mathjax/es5"
    if not (root / "tex-chtml.js").is_file():
        raise PluginError(
            f"No MathJax 3 files under {root}: the installed 'mathjax' module is not "
            "django-static-mathjax."
        )
    return root


def asset_paths(root: Path) -> list[Path]:
    """List every file of the MathJax subset, relative to `root`."""
    paths = []
    for entry in SUBSET:
        path = root / entry
        if path.is_file():
            paths.append(path.relative_to(root))
        elif path.is_dir():
            paths += [p.relative_to(root) for p in sorted(path.rglob("*")) if p.is_file()]
        else:
            raise PluginError(f"MathJax file or folder missing: {path}")
    return paths


def on_files(files: Files, config) -> Files:
    root = mathjax_root()
    for rel in asset_paths(root):
        files.append(
            File.generated(
                config, f"{TARGET}/{rel.as_posix()}", abs_src_path=str(root / rel)
            )
        )
    return files
