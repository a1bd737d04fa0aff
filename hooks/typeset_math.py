"""Typeset every formula at build time, so that readers' browsers typeset nothing.

Before, each page loaded MathJax (1.1 MB of script) and typeset its formulas in the
reader's browser, seconds after the page appeared. Now MathJax 3.2.2 (the same files,
from the `django-static-mathjax` wheel) runs inside the build, in an embedded V8
(`mini-racer`, no node or npm), and each page arrives with its formulas as CommonHTML,
its own MathJax stylesheet and font preloads; no MathJax script is on any page. Screen
readers get MathJax's assistive MathML; `data-tex` keeps each formula's TeX.

- A TeX error fails the build, naming the page, the line and the formula.
- Formulas are cached (`.cache/math/`, keyed by the formula, MathJax's version and the
  options): a `mkdocs serve` rebuild renders only what changed.
- The fonts are copied from the wheel to `assets/mathjax/fonts/`.
- This runs in `on_post_page`, after the search plugin took the page's text, so the
  search index is as before.

The work is in the package `hooks/math_render/`; this module is the MkDocs glue.
"""

import sys
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parent))  # a hook cannot import relatively
import math_render  # noqa: E402
from math_render.page import PageTexErrors, source_line  # noqa: E402


def project_root(config) -> Path:
    return Path(config.config_file_path).parent


def on_files(files: Files, config) -> Files:
    fonts = math_render.mathjax_root() / math_render.FONT_FILES
    for font in sorted(fonts.glob("*.woff")):
        files.append(File.generated(
            config, f"{math_render.FONTS_URL}/{font.name}", abs_src_path=str(font)
        ))
    return files


def on_post_page(output: str, page, config) -> str:
    typesetter = math_render.typesetter(project_root(config))
    fonts_url = get_relative_url(math_render.FONTS_URL, page.url or ".")
    try:
        output, _ = math_render.typeset_page(output, typesetter, fonts_url)
    except PageTexErrors as failed:
        source = Path(page.file.abs_src_path).read_text(encoding="utf-8")
        lines = []
        for written, message in failed.errors:
            line = source_line(source, written)
            where = f"{page.file.src_uri}:{line}" if line else page.file.src_uri
            lines.append(f"{where}: TeX error ({message}) in formula: {written.strip()}")
        raise PluginError("\n".join(lines)) from None
    return output


def on_post_build(config) -> None:
    math_render.typesetter(project_root(config)).save()


def on_shutdown() -> None:
    math_render.close()
