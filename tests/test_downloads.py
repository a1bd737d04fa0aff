"""What a reader copies runs, from what the built site lets them download, with numpy alone.

For every page in both languages, every Python block is taken from the *built* page
(the code its copy button copies) and run in an empty temporary folder that holds only
what that page links for download: `snippets.zip`, unzipped. Beside it is an
interpreter that sees the standard library, numpy and nothing else but pytest, which
the gradient-checking pages use to show an error (no site-packages, no project
folder). A `continuation` block runs after the block before it, as a reader
would run them. The notebooks run likewise from their own `.ipynb` download, with
numpy and matplotlib. One interpreter per page, so the whole check takes seconds.
"""

import json
import re
import subprocess
import sys
import zipfile
from concurrent.futures import ThreadPoolExecutor
from functools import cache
from importlib import metadata
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest
from packaging.requirements import Requirement

from conftest import ROOT
from site_pages import (
    language,
    markdown_sources,
    notebook_sources,
    page_id,
    python_blocks,
    python_fences,
    site_path,
    text_of,
)

SITE = "http://site.invalid/"
NOTE = re.compile(r'<p class="snippets-download"[^>]*>(.*?)</p>', re.S)
HREF = re.compile(r'<a [^>]*href="([^"]+)"')
NOTEBOOK_DOWNLOAD = re.compile(r'<p class="notebook-download"[^>]*><a [^>]*href="([^"]+)"')
IMPORTS_SNIPPETS = re.compile(r"^\s*(?:from|import)\s+snippets\b", re.M)

#: Runs the blocks it reads from stdin, each in a fresh namespace (or the previous
#: block's, for a continuation), and prints one JSON report: the error of each block.
RUNNER = r"""
import json, os, sys, traceback
sys.path.append(sys.argv[1])  # the folder that holds only numpy (and what it needs)
blocks = json.load(sys.stdin)
errors, namespace = [], None
for block in blocks:
    if not (block["continues"] and namespace is not None):
        namespace = {"__name__": "__main__"}
    try:
        exec(compile(block["code"], block["name"], "exec"), namespace)
        errors.append(None)
    except BaseException:
        errors.append(traceback.format_exc(limit=-3))
found = {}
for name in ("snippets", "matplotlib", "pytest", "hypothesis"):
    module = sys.modules.get(name)
    found[name] = getattr(module, "__file__", None) if module else None
print(json.dumps({"errors": errors, "modules": found}))
"""


#: What a copied block may need besides the standard library: numpy, and pytest, which
#: the gradient-checking pages use to show an error being raised.
ALLOWED = ("numpy", "pytest")


def with_requirements(names) -> set[str]:
    """The distributions `names` need to import, themselves included."""
    found, todo = set(), list(names)
    while todo:
        name = todo.pop().lower()
        if name in found:
            continue
        found.add(name)
        for line in metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                todo.append(requirement.name)
    return found


@cache
def numpy_only(folder: Path) -> Path:
    """A folder that holds numpy and pytest (with what they need) as links, nothing else."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in sorted(with_requirements(ALLOWED)):
        dist = metadata.distribution(name)
        tops = {Path(str(f)).parts[0] for f in dist.files or []}
        for top in sorted(tops):
            source = Path(dist.locate_file(top))
            if top.endswith((".dist-info", ".pth")) or top == ".." or not source.exists():
                continue
            if not (folder / top).exists():
                (folder / top).symlink_to(source)
    return folder


def run_blocks(blocks: list[dict], cwd: Path, packages: Path | None) -> dict:
    """Run `blocks` in `cwd` with the standard library and `packages` (None: the venv)."""
    if packages is None:  # the venv's packages, but neither the project nor PYTHONPATH
        command = [sys.executable, "-E", "-c", RUNNER, str(cwd)]
    else:
        command = [sys.executable, "-S", "-E", "-c", RUNNER, str(packages)]
    run = subprocess.run(
        command, cwd=cwd, input=json.dumps(blocks), capture_output=True, text=True,
        timeout=300, env={"MPLBACKEND": "Agg", "PATH": "/usr/bin:/bin"},
    )
    assert run.returncode == 0, f"the runner itself failed:\n{run.stderr[-3000:]}"
    return json.loads(run.stdout.splitlines()[-1])


def download(site: Path, page: str, href: str) -> Path:
    """The built file that a link on `page` points to (a link that leads nowhere fails)."""
    target = urlparse(urljoin(SITE + page, href)).path.lstrip("/")
    path = site / target
    assert path.is_file(), f"{page}: the link {href} leads to nothing ({target})"
    return path


def downloads_of(site: Path, page: str, page_html: str, folder: Path) -> list[str]:
    """Put in `folder` what the page offers for download; return the links followed."""
    folder.mkdir(parents=True)
    followed = []
    for note in NOTE.findall(page_html):
        for href in HREF.findall(note):
            if href.endswith(".zip"):
                with zipfile.ZipFile(download(site, page, href)) as archive:
                    archive.extractall(folder)
                followed.append(href)
    return followed


MARKDOWN_PAGES = {site_path(source): source for source in markdown_sources()}
NOTEBOOK_PAGES = {site_path(source): source for source in notebook_sources()}


def page_blocks(site: Path, page: str) -> list[dict]:
    """The page's Python blocks as the built site shows them, with their kind from docs/."""
    page_html = (site / page / "index.html").read_text(encoding="utf-8")
    codes = python_blocks(page_html)
    kinds = python_fences(MARKDOWN_PAGES[page])
    assert len(codes) == len(kinds), (
        f"{page}: {len(codes)} Python blocks on the built page, {len(kinds)} in "
        f"{MARKDOWN_PAGES[page].relative_to(ROOT)}"
    )
    return [
        {"name": f"{page_id(page)} block {n}", "code": code,
         "continues": "continuation" in kind}
        for n, (code, kind) in enumerate(zip(codes, kinds), 1)
    ]


@pytest.fixture(scope="module")
def copy_runs(built_site, tmp_path_factory):
    """Every Markdown page's blocks, run from its downloads: {page: (blocks, report)}."""
    root = tmp_path_factory.mktemp("copied")
    packages = numpy_only(root / "numpy-only")

    def run(page):
        page_html = (built_site / page / "index.html").read_text(encoding="utf-8")
        blocks = page_blocks(built_site, page)
        folder = root / page_id(page).replace("/", "-")
        downloads_of(built_site, page, page_html, folder)
        report = run_blocks(blocks, folder, packages) if blocks else {"errors": []}
        return page, (blocks, report, folder)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, sorted(MARKDOWN_PAGES)))


def test_the_runner_sees_numpy_and_pytest_and_nothing_else(tmp_path):
    packages = numpy_only(tmp_path / "numpy-only")
    blocks = [
        {"name": "numpy", "code": "import numpy as np; np.ones(2) @ np.ones(2)",
         "continues": False},
        {"name": "matplotlib", "code": "import matplotlib", "continues": False},
        {"name": "snippets", "code": "import snippets", "continues": False},
        {"name": "pytest", "code": "import pytest", "continues": False},
        {"name": "a", "code": "x = 1", "continues": False},
        {"name": "b", "code": "assert x == 1", "continues": True},
        {"name": "c", "code": "x", "continues": False},
    ]
    errors = run_blocks(blocks, tmp_path, packages)["errors"]
    assert errors[0] is None, errors[0]
    assert "No module named 'matplotlib'" in errors[1]
    assert "No module named 'snippets'" in errors[2]
    assert errors[3] is None, errors[3]
    assert errors[4] is None and errors[5] is None, errors[5]
    assert "NameError" in errors[6]


@pytest.mark.parametrize("page", sorted(MARKDOWN_PAGES), ids=page_id)
def test_copied_blocks_run_from_the_downloads(page, copy_runs):
    blocks, report, folder = copy_runs[page]
    failed = [
        f"\n--- {block['name']}:\n{block['code'][:300]}\n{error}"
        for block, error in zip(blocks, report["errors"]) if error
    ]
    assert not failed, f"{len(failed)} block(s) fail when copied into {folder}:" + "".join(
        failed
    )
    if snippets := report.get("modules", {}).get("snippets"):
        assert Path(snippets).is_relative_to(folder), f"snippets came from {snippets}"


def test_copy_counts_per_language(copy_runs):
    """Both languages run the same number of blocks, and most of the site's blocks."""
    counts = {"en": 0, "zh": 0}
    importing = {"en": 0, "zh": 0}
    for page, (blocks, _, _) in copy_runs.items():
        counts[language(page)] += len(blocks)
        importing[language(page)] += sum(
            bool(IMPORTS_SNIPPETS.search(block["code"])) for block in blocks
        )
    print(f"\nblocks run from the downloads: {counts}; of them import snippets: {importing}")
    assert counts["en"] == counts["zh"] > 0, counts
    assert importing["en"] == importing["zh"] > 0, importing


def test_a_page_that_imports_snippets_links_the_package(copy_runs, built_site):
    for page, (blocks, _, _) in copy_runs.items():
        page_html = (built_site / page / "index.html").read_text(encoding="utf-8")
        imports = any(IMPORTS_SNIPPETS.search(block["code"]) for block in blocks)
        notes = NOTE.findall(page_html)
        assert bool(notes) == imports, (
            f"{page}: its blocks {'import' if imports else 'do not import'} snippets, "
            f"but it has {len(notes)} download note(s)"
        )


def test_the_downloads_are_the_package_itself(built_site):
    """The zip and each module's address serve exactly the files in snippets/."""
    sources = {path.name: path.read_bytes() for path in (ROOT / "snippets").glob("*.py")}
    with zipfile.ZipFile(built_site / "snippets.zip") as archive:
        zipped = {
            Path(name).name: archive.read(name)
            for name in archive.namelist() if name.startswith("snippets/")
        }
        assert set(archive.namelist()) - {f"snippets/{n}" for n in zipped} == {"LICENSE"}
        assert archive.read("LICENSE") == (ROOT / "LICENSE").read_bytes()
    assert zipped == sources
    served = {path.name: path.read_bytes() for path in (built_site / "snippets").glob("*")}
    assert served == sources


def test_module_links_lead_to_the_modules_the_page_imports(copy_runs, built_site):
    for page in copy_runs:
        page_html = (built_site / page / "index.html").read_text(encoding="utf-8")
        for note in NOTE.findall(page_html):
            modules = [href for href in HREF.findall(note) if href.endswith(".py")]
            assert modules, f"{page}: the note names no module: {text_of(note)}"
            for href in modules:
                path = download(built_site, page, href)
                assert path.read_bytes() == (ROOT / "snippets" / path.name).read_bytes()
                assert f"snippets.{path.stem}" in page_html or path.stem in page_html


# --- Notebooks: run from their own download -------------------------------------------


@pytest.mark.parametrize("page", sorted(NOTEBOOK_PAGES), ids=page_id)
def test_notebook_runs_from_its_downloads(page, built_site, tmp_path):
    page_html = (built_site / page / "index.html").read_text(encoding="utf-8")
    links = NOTEBOOK_DOWNLOAD.findall(page_html)
    assert len(links) == 1, f"{page}: {len(links)} notebook download links"
    folder = tmp_path / "reader"
    followed = downloads_of(built_site, page, page_html, folder)
    assert followed, f"{page}: the notebook imports snippets but links no snippets.zip"
    notebook_file = download(built_site, page, links[0])
    notebook = json.loads(notebook_file.read_text(encoding="utf-8"))
    first_markdown = next(c for c in notebook["cells"] if c["cell_type"] == "markdown")
    text = "".join(first_markdown["source"])
    assert "snippets.zip" in text, f"{page}: the first Markdown cell does not say where"
    for url in re.findall(r"\]\(([^)]+snippets\.zip)\)", text):
        assert url.startswith(("http://", "https://")), (
            f"{page}: the downloaded notebook links snippets.zip as {url!r}, which "
            "leads nowhere outside the site"
        )
        assert urlparse(url).path == "/snippets.zip", url
    blocks = [
        {"name": f"{notebook_file.name} cell {n}", "code": "".join(cell["source"]),
         "continues": True}
        for n, cell in enumerate(notebook["cells"], 1) if cell["cell_type"] == "code"
    ]
    report = run_blocks(blocks, folder, packages=None)
    failed = [f"\n--- {b['name']}:\n{e}" for b, e in zip(blocks, report["errors"]) if e]
    assert not failed, "".join(failed)
    assert Path(report["modules"]["snippets"]).is_relative_to(folder)


def test_notebook_downloads_have_one_name_per_language(built_site):
    names = {}
    for page in NOTEBOOK_PAGES:
        page_html = (built_site / page / "index.html").read_text(encoding="utf-8")
        (href,) = NOTEBOOK_DOWNLOAD.findall(page_html)
        names[page] = Path(href).name
    assert len(set(names.values())) == len(names), names
