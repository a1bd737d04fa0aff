"""Serve the `snippets` package from the site, and link it from every page that imports it.

The Check blocks and many demo blocks on the pages start with `from snippets.x import
...`: copied alone they stop with `ModuleNotFoundError`. So the site offers the package
itself, built from the same files the pages include and the tests check (never a
committed copy):

* `snippets.zip` at the site's root: the folder `snippets/`, to unzip where you run
  the code;
* `snippets/<module>.py`: each module at its own stable address;
* `LICENSE.txt`: the project's LICENSE (also in the zip), which the footer links.

Every page (Markdown or notebook) whose code imports `snippets` gets a short note, in
its language, with the zip and the modules it imports: before its first such block,
or under a notebook's download button. The note is left out of the search index.
"""

import html
import re
import zipfile
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

PACKAGE = "snippets"
ZIP_NAME = f"{PACKAGE}.zip"
#: A fixed time stamp for every member: the same sources give the same zip, byte for byte.
ZIP_TIME = (2020, 1, 1, 0, 0, 0)

CODE = re.compile(r"<(?:code|pre)\b[^>]*>(.*?)</(?:code|pre)>", re.S)
TAG = re.compile(r"<[^>]+>")
IMPORT = re.compile(rf"^\s*(?:from|import)\s+{PACKAGE}(?:\.(\w+))?", re.M)
PYTHON_BLOCK = re.compile(r'<div class="language-python highlight">.*?</code></pre></div>', re.S)
NOTEBOOK_DOWNLOAD = re.compile(r'<p class="notebook-download"[^>]*>.*?</p>', re.S)

NOTE = {
    "en": (
        "The code on this page imports <code>snippets</code>, the site's tested "
        'package: download <a href="{zip}" download>{zip_name}</a> and unzip it in '
        "the folder where you run the code (it holds the folder "
        "<code>snippets/</code>); with numpy installed, every block then runs as "
        "copied. The modules used here, one file each: {modules}."
    ),
    "zh": (
        "本页的代码导入了本站经过测试的 <code>snippets</code> 包：下载 "
        '<a href="{zip}" download>{zip_name}</a>，解压到运行代码的文件夹里（压缩包里'
        "就是 <code>snippets/</code> 文件夹），装好 numpy，每个代码块复制下来就能运行。"
        "本页用到的模块，每个一个文件：{modules}。"
    ),
}
SEPARATOR = {"en": ", ", "zh": "、"}


def package_dir(config) -> Path:
    """The `snippets/` folder beside mkdocs.yml; a clear error if it is missing."""
    folder = Path(config.config_file_path).parent / PACKAGE
    if not (folder / "__init__.py").is_file():
        raise PluginError(f"hooks/downloads.py: no package at {folder} (no __init__.py)")
    return folder


def modules(config) -> list[Path]:
    """The package's modules, `__init__.py` first."""
    return sorted(package_dir(config).glob("*.py"), key=lambda p: (p.stem != "__init__", p.name))


def imported_modules(page_html: str) -> list[str] | None:
    """The `snippets` modules that the page's code imports; None if it imports none."""
    found: list[str] = []
    imports = False
    for code in CODE.findall(page_html):
        for match in IMPORT.finditer(html.unescape(TAG.sub("", code))):
            imports = True
            if match[1] and match[1] not in found:
                found.append(match[1])
    return found if imports else None


def note(page, names: list[str], config) -> str:
    """The paragraph that links the package, in the page's language."""
    lang = getattr(page.file, "locale", None) or config.theme["language"]
    known = {path.stem for path in modules(config)}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise PluginError(
            f"{page.file.src_uri} imports {', '.join(f'snippets.{n}' for n in unknown)}, "
            f"which is not a module of {PACKAGE}/"
        )
    links = SEPARATOR.get(lang, ", ").join(
        f'<a href="{get_relative_url(f"{PACKAGE}/{name}.py", page.url)}">'
        f"<code>{name}.py</code></a>"
        for name in names
    )
    text = NOTE.get(lang, NOTE["en"]).format(
        zip=get_relative_url(ZIP_NAME, page.url), zip_name=ZIP_NAME, modules=links
    )
    return f'<p class="snippets-download" data-search-exclude>{text}</p>\n'


def on_page_content(page_html: str, page, config, files) -> str:
    names = imported_modules(page_html)
    if names is None:
        return page_html
    paragraph = note(page, names, config)
    if download := NOTEBOOK_DOWNLOAD.search(page_html):
        return page_html[: download.end()] + "\n" + paragraph + page_html[download.end() :]
    for block in PYTHON_BLOCK.finditer(page_html):
        if imported_modules(block[0]) is not None:
            return page_html[: block.start()] + paragraph + page_html[block.start() :]
    return paragraph + page_html  # the import sits in a block of another form


def on_post_build(config) -> None:
    """Write the zip and the modules into the site (once per language build: same bytes)."""
    site = Path(config.site_dir)
    (site / PACKAGE).mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(site / ZIP_NAME, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in modules(config):
            member = zipfile.ZipInfo(f"{PACKAGE}/{path.name}", ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(member, path.read_bytes())
            (site / PACKAGE / path.name).write_bytes(path.read_bytes())
        license_file = Path(config.config_file_path).parent / "LICENSE"
        if license_file.is_file():  # tests/test_downloads.py checks that it is there
            archive.writestr(zipfile.ZipInfo("LICENSE", ZIP_TIME), license_file.read_bytes())
    if license_file.is_file():
        (site / "LICENSE.txt").write_bytes(license_file.read_bytes())  # the footer links it
