"""One 404 page per language, each greeting its readers and linking the homes.

MkDocs renders the static `404.html` once per language build into the same site
folder, so the Chinese build overwrote the English page: every visitor got a Chinese
404 (`lang="zh"`), and its language menu pointed at whatever page was built last.
This hook keeps the default language's page at `/404.html` (what a static host serves
for a missing address), writes each other language's to `<lang>/404.html`, points the
language menu at the two home pages, and gives a Chinese 404 the Chinese search index
(its `base`, as hooks/search.py does for every Chinese page).
"""

import json
import re
from pathlib import Path

LANGUAGE_LINK = re.compile(r'<a href="[^"]*" hreflang="(\w+)" class="md-select__link">')
CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)

_default_page: dict[str, str] = {}


def languages(config) -> tuple[str, list[str]]:
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return config.theme["language"], []
    default = next(lang.locale for lang in i18n.config.languages if lang.default)
    others = [l.locale for l in i18n.config.languages if l.build and l.locale != default]
    return default, others


def home(lang: str, default: str) -> str:
    return "/" if lang == default else f"/{lang}/"


def on_post_template(output: str, template_name: str, config) -> str:
    if template_name != "404.html":
        return output
    default, _ = languages(config)
    lang = config.theme["language"]
    output = LANGUAGE_LINK.sub(
        lambda m: f'<a href="{home(m[1], default)}" hreflang="{m[1]}" class="md-select__link">',
        output,
    )
    if lang == default:
        _default_page["html"] = output
        return output
    match = CONFIG_SCRIPT.search(output)
    if match:
        settings = json.loads(match[2])
        settings["base"] = home(lang, default)
        output = output[: match.start(2)] + json.dumps(settings) + output[match.end(2) :]
    target = Path(config.site_dir) / lang / "404.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(output, encoding="utf-8")
    return _default_page.get("html", output)  # /404.html stays the default language's
