"""Shared fixtures: reproducible hypothesis runs and one strict build of the site."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

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
