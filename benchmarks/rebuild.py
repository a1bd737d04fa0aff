"""How long `mkdocs serve` takes to show an edit of one page, and a cold `mkdocs build`.

    uv run python benchmarks/rebuild.py                  # serve: 3 edits, the median
    uv run python benchmarks/rebuild.py --dirty          # the same with `serve --dirty`
    uv run python benchmarks/rebuild.py --build 3        # also 3 `mkdocs build` runs
    uv run python benchmarks/rebuild.py --project DIR    # another checkout (its .venv)

Serve: starts `mkdocs serve` on a free port of 127.0.0.1, waits for its first build,
then `--edits` times appends an HTML comment with a new number to the page (default
`docs/matrix-product.md`) and measures the time from the write until the served page
holds that comment, polling every 50 ms; the page is restored at the end, whatever
happens. Build: `mkdocs build --strict` into a temporary folder, with the project's
caches (`.cache/`) as they are, or emptied first with `--cold` (the cache is moved
aside and put back). The project's own `.venv` runs MkDocs.
"""

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def python(project: Path) -> str:
    return str(project / ".venv/bin/python")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def wait_for(url: str, holds: str, timeout: float) -> float:
    """Seconds until the page at `url` contains `holds`."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        body = fetch(url)
        if body is not None and holds in body:
            return time.perf_counter() - start
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not show {holds!r} within {timeout:.0f} s")


def page_url(base: str, page: Path, project: Path) -> str:
    relative = page.relative_to(project / "docs").with_suffix("")
    name = relative.as_posix().removesuffix("/index")
    return f"{base}{'' if name == 'index' else name + '/'}"


def serve_edits(project: Path, page: Path, edits: int, dirty: bool) -> list[float]:
    port = free_port()
    base = f"http://127.0.0.1:{port}/"
    command = [python(project), "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    if dirty:
        command.append("--dirty")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    log = tempfile.TemporaryFile()
    server = subprocess.Popen(command, cwd=project, env=env, stdout=log, stderr=log)
    original = page.read_text(encoding="utf-8")
    url = page_url(base, page, project)
    times = []
    try:
        wait_for(url, "</html>", timeout=600)
        for number in range(1, edits + 1):
            marker = f"<!-- rebuild probe {number} {time.time_ns()} -->"
            page.write_text(f"{original}\n{marker}\n", encoding="utf-8")
            times.append(wait_for(url, marker, timeout=600))
            print(f"  edit {number}: {times[-1]:.2f} s", file=sys.stderr)
            time.sleep(1)  # let the server settle before the next edit
    finally:
        page.write_text(original, encoding="utf-8")
        server.terminate()
        server.wait(timeout=60)
        if server.returncode not in (0, -15):
            log.seek(0)
            print(log.read().decode()[-3000:], file=sys.stderr)
    return times


def build_once(project: Path, cold: bool) -> float:
    cache = project / ".cache"
    aside = project / ".cache-aside-for-benchmark"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    with tempfile.TemporaryDirectory(prefix="site-") as site:
        if cold and cache.exists():
            cache.rename(aside)
        try:
            start = time.perf_counter()
            subprocess.run(
                [python(project), "-m", "mkdocs", "build", "--strict", "-q", "-d", site],
                cwd=project, env=env, check=True, capture_output=True,
            )
            return time.perf_counter() - start
        finally:
            if cold:
                shutil.rmtree(cache, ignore_errors=True)
                if aside.exists():
                    aside.rename(cache)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="the checkout to measure")
    parser.add_argument("--page", default="docs/matrix-product.md", help="the page to edit")
    parser.add_argument("--edits", type=int, default=3, help="edits while serving (0: none)")
    parser.add_argument("--dirty", action="store_true", help="serve with --dirty")
    parser.add_argument("--build", type=int, default=0, help="mkdocs build runs")
    parser.add_argument("--cold", action="store_true", help="builds start without .cache/")
    args = parser.parse_args()
    project = args.project.resolve()
    if args.edits:
        times = serve_edits(project, project / args.page, args.edits, args.dirty)
        flag = " --dirty" if args.dirty else ""
        print(f"mkdocs serve{flag}, {args.page} edited {len(times)} times: median "
              f"{statistics.median(times):.2f} s ({', '.join(f'{t:.2f}' for t in times)})")
    if args.build:
        times = [build_once(project, args.cold) for _ in range(args.build)]
        kind = "cold (no .cache/)" if args.cold else "with .cache/"
        print(f"mkdocs build --strict, {kind}: median {statistics.median(times):.1f} s "
              f"({', '.join(f'{t:.1f}' for t in times)})")


if __name__ == "__main__":
    main()
