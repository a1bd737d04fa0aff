"""Fonts for the figures' text, and a clear error instead of empty boxes.

Text is drawn as glyph outlines, so Chinese labels show on every machine. Chinese needs
the font Noto Sans CJK SC at build time; without it the build stops instead of drawing
empty boxes.
"""

import logging
import re
import warnings
from contextlib import contextmanager
from pathlib import Path

from mkdocs.exceptions import PluginError

LATIN_FONT = "DejaVu Sans"  # ships with matplotlib
CJK_FONT = "Noto Sans CJK SC"  # Debian: fonts-noto-cjk


def rc(lang):
    """Matplotlib settings: deterministic SVG, text as outlines, fonts for `lang`."""
    return {
        "svg.hashsalt": "matrix-gradients",  # fixed ids instead of random ones
        "svg.fonttype": "path",  # glyph outlines: no font needed on the reader's side
        # Each glyph comes from the first family that has it: Latin, Greek and
        # subscripts from DejaVu, Chinese from Noto (fallback works across
        # `font.family` entries, not within `font.sans-serif`).
        "font.family": [LATIN_FONT, CJK_FONT] if lang == "zh" else [LATIN_FONT],
        "font.size": 10,
    }


class _Collect(logging.Handler):
    """Keep the messages that matplotlib logs while a figure is drawn."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())


#: How matplotlib says that it drew a box or picked another font instead of ours:
#: a warning "Glyph ... missing from font(s) ...", or a log message
#: "Font 'default' does not have a glyph for ..." or "findfont: Font family ...".
FONT_TROUBLE = re.compile(r"missing from font|does not have a glyph|findfont")


@contextmanager
def no_missing_glyphs(what):
    """Turn matplotlib's complaints about a missing font or glyph into a PluginError."""
    logs = _Collect()
    logger = logging.getLogger("matplotlib")
    logger.addHandler(logs)
    try:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            yield
    finally:
        logger.removeHandler(logs)
    trouble = [m for m in [str(w.message) for w in seen] + logs.messages
               if FONT_TROUBLE.search(m)]
    if trouble:
        raise PluginError(
            f"The figure {what} would show empty boxes instead of text: {trouble[0]} "
            f"Install the font {CJK_FONT!r} (Debian: apt-get install fonts-noto-cjk)."
        )
    for w in seen:  # other warnings are not ours to swallow
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)


def require_cjk_font():
    """Make sure matplotlib finds the Chinese font, or stop the build saying why."""
    from matplotlib import font_manager
    from matplotlib.font_manager import FontProperties

    wanted = FontProperties(family=CJK_FONT)
    try:
        return font_manager.findfont(wanted, fallback_to_default=False)
    except ValueError:
        pass
    # A font installed after matplotlib cached its list of fonts is not in that list.
    for path in font_manager.findSystemFonts():
        if "CJK" in Path(path).name:
            font_manager.fontManager.addfont(path)
    try:
        return font_manager.findfont(wanted, fallback_to_default=False)
    except ValueError:
        raise PluginError(
            f"The Chinese figures need the font {CJK_FONT!r}, which matplotlib cannot "
            "find; without it every Chinese label would be drawn as an empty box. "
            "Install it (Debian: apt-get install fonts-noto-cjk) and build again."
        ) from None
