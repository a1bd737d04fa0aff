"""Fail the build when a page would load anything from another host.

Readers use this site offline and from networks that cannot reach common CDNs, so
every script, stylesheet, font, image and link must stay on the site itself. This
catches a re-enabled Google font, a CDN script from a plugin, or a pasted external
link, at build time and with the page and URL named.
"""

import re

from mkdocs.exceptions import PluginError

EXTERNAL_ATTR = re.compile(r"""\b(?:src|href|srcset|action|data)\s*=\s*["']\s*((?:https?:)?//[^"']+)""")
EXTERNAL_CSS_URL = re.compile(r"""url\(\s*["']?((?:https?:)?//[^)"']+)""")
# The canonical link names the site's own address; it is metadata and loads nothing.
CANONICAL = re.compile(r'<link rel="canonical" href="[^"]*">')


def external_references(html: str) -> list[str]:
    """Return every http(s) or protocol-relative URL that the HTML references."""
    html = CANONICAL.sub("", html)
    return EXTERNAL_ATTR.findall(html) + EXTERNAL_CSS_URL.findall(html)


def on_post_page(output: str, page, config) -> str:
    found = external_references(output)
    # A plain link to the project's repository (header, edit link) loads nothing
    if config.repo_url:
        repo = config.repo_url.rstrip("/") + "/"
        linked = set(re.findall(r'<a [^>]*href="([^"]+)"', output))
        found = [url for url in found if not (url in linked and (url + "/").startswith(repo))]
    if found:
        listed = "\n  ".join(sorted(set(found)))
        raise PluginError(
            f"{page.file.src_uri} references another host; this site must work "
            f"offline:\n  {listed}"
        )
    return output
