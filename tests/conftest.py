"""Shared fixtures: reproducible hypothesis runs, one strict build of the site, one browser.

One Chromium for the whole session: Playwright's sync API runs one instance at a time,
so every browser test module shares this one.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

from site_server import INSTALL_HINT, chromium_path, launch_chromium

ROOT = Path(__file__).resolve().parent.parent

settings.register_profile("repro", derandomize=True, max_examples=30, deadline=None)
settings.load_profile("repro")


def mkdocs_build(config: Path, site_dir: Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` in `cwd`; never raise, return the finished run."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--clean",
         "-f", str(config), "-d", str(site_dir)],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
    )


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The whole site, built once per test session with `mkdocs build --strict`."""
    site = tmp_path_factory.mktemp("site")
    run = mkdocs_build(ROOT / "mkdocs.yml", site)
    assert run.returncode == 0, f"mkdocs build --strict failed:\n{run.stderr[-4000:]}"
    return site


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module; skip (or fail) if there is none.

    Per module, not per session: Playwright's sync API keeps an event loop alive while
    it runs, and in-process code that must not see one (mini-racer's promises in
    tests/test_typeset_math.py) or a second Playwright (tests/test_widgets.py) would
    fail beside it.
    """
    missing = None
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing = "Playwright for Python is not installed (uv sync)"
    if not missing and not chromium_path().is_file():
        missing = (
            f"no Chromium at {chromium_path()}: install it with `{INSTALL_HINT}` "
            "(or set CHROMIUM_PATH)"
        )
    if missing:
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"REQUIRE_BROWSER=1 but {missing}")
        pytest.skip(missing)
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()
