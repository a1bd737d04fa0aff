"""One renderer per process and a per-formula cache on disk.

The cache maps sha256(renderer version, display flag, TeX) to the formula's markup and
stylesheet rules, in `.cache/math/formulas.json` under the project: a rebuild renders
only formulas it has not seen. With `CI` set (as CI services do) nothing is read from
or written to disk, the same rule as hooks/notebooks.py; within one build each formula
is still rendered once.
"""

import hashlib
import json
import os
from pathlib import Path

from .renderer import Renderer, renderer_version

CACHE_FILE = ".cache/math/formulas.json"


def cache_enabled() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("", "0", "false")


class Typesetter:
    """Formulas in, markup out, each formula rendered once per cache."""

    def __init__(self, cache_file: Path | None):
        self.cache_file = cache_file
        self.version = renderer_version()
        self.entries: dict[str, dict] = {}
        self.changed = False
        self.rendered = 0  # formulas rendered by MathJax (not from the cache)
        self._renderer: Renderer | None = None
        if cache_file is not None and cache_file.is_file():
            try:
                self.entries = json.loads(cache_file.read_text(encoding="utf-8"))
            except ValueError:  # a damaged cache is rebuilt, not trusted
                self.entries = {}

    @property
    def renderer(self) -> Renderer:
        if self._renderer is None:
            self._renderer = Renderer()
        return self._renderer

    def key(self, tex: str, display: bool) -> str:
        text = json.dumps([self.version, display, tex])
        return hashlib.sha256(text.encode()).hexdigest()

    def formula(self, tex: str, display: bool) -> dict:
        """{"html", "rules"} for one formula; raises TexError for invalid TeX."""
        key = self.key(tex, display)
        if key not in self.entries:
            self.entries[key] = self.renderer.typeset(tex, display)
            self.changed = True
            self.rendered += 1
        return self.entries[key]

    def base_rules(self) -> list[str]:
        key = self.key("", False) + "-base"
        if key not in self.entries:
            self.entries[key] = {"rules": self.renderer.base_rules}
            self.changed = True
        return self.entries[key]["rules"]

    def save(self) -> None:
        """Write the cache, whole or not at all (another build may write it too)."""
        if self.cache_file is None or not self.changed:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        partial = self.cache_file.with_name(f"{self.cache_file.name}.{os.getpid()}.part")
        partial.write_text(json.dumps(self.entries), encoding="utf-8")
        partial.replace(self.cache_file)
        self.changed = False

    def close(self) -> None:
        if self._renderer is not None:
            self._renderer.close()
            self._renderer = None


_typesetter: Typesetter | None = None


def typesetter(project_root: Path) -> Typesetter:
    """The process's typesetter (kept across `mkdocs serve` rebuilds)."""
    global _typesetter
    if _typesetter is None:
        cache = project_root / CACHE_FILE if cache_enabled() else None
        _typesetter = Typesetter(cache)
    return _typesetter


def close() -> None:
    """Close the V8 context: mini-racer 0.14 can hang at exit otherwise."""
    global _typesetter
    if _typesetter is not None:
        _typesetter.close()
        _typesetter = None
