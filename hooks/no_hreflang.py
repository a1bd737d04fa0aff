"""Drop Material's per-page `<link rel="alternate" hreflang>` tags.

With mkdocs-static-i18n they point at the other language's home, and Material's
script turns them into requests for `<page>/sitemap.xml` that end in 404s. The
language switcher links and the hreflang entries in `sitemap.xml` are kept.
"""

import re

HREFLANG_LINK = re.compile(r'\s*<link rel="alternate" href="[^"]*" hreflang="[^"]*">')


def on_post_page(output: str, page, config) -> str:
    return HREFLANG_LINK.sub("", output)


def on_post_template(output: str, template_name: str, config) -> str:
    """The same for static templates such as 404.html."""
    return HREFLANG_LINK.sub("", output)
