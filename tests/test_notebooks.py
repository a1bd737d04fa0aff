"""The notebooks: each runs from top to bottom, and a failing cell fails the build.

Each notebook checks itself (the playground compares every nudge with its gradient, the
two models check every gradient before they train and assert their accuracy); these
tests run them in a real kernel, as the build does, and break the attention model's
gradients to see its check fail. The build's notebook hook (`hooks/notebooks.py`) is
tested here too: its cache key and the CDN loaders it cuts out.
"""

import functools
import html.parser
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import tokenize
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jupytext
import pytest
from markdown import markdown
from mkdocs.exceptions import PluginError
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "docs/notebooks").glob("*.py"))


def execute(path: Path, cwd: Path = ROOT):
    """Run a jupytext notebook in a Python kernel started in `cwd`; return it run."""
    notebook = jupytext.read(path)
    client = NotebookClient(
        notebook, timeout=120, kernel_name="python3",
        resources={"metadata": {"path": cwd}},
    )
    client.execute()
    return notebook


def code_outputs(notebook) -> list:
    return [output for cell in notebook.cells if cell.cell_type == "code"
            for output in cell.outputs]


def printed(notebook) -> str:
    """Everything that the code cells printed."""
    return "".join(o.text for o in code_outputs(notebook) if o.output_type == "stream")


def figures(notebook) -> list:
    """The PNG images that the code cells showed."""
    return [o for o in code_outputs(notebook) if "image/png" in o.get("data", {})]


@functools.cache
def executed(name: str):
    """Each notebook of docs/notebooks/, run once per test session."""
    return execute(ROOT / "docs/notebooks" / name)


@pytest.mark.parametrize("name", [p.name for p in NOTEBOOKS])
def test_notebook_runs_and_draws(name):
    assert figures(executed(name)), f"{name} drew no figure"


@pytest.mark.parametrize(
    ("name", "before", "least"),
    [("two-layer-network.py", "training accuracy ", 95),
     ("two-layer-network.zh.py", "训练集准确率 ", 95),
     ("attention-model.py", "test accuracy ", 99),
     ("attention-model.zh.py", "测试集准确率 ", 99)],
)
def test_the_trained_models_reach_their_accuracy(name, before, least):
    accuracy = float(printed(executed(name)).split(before)[1].split("%")[0])
    assert accuracy >= least, f"{name}: {accuracy}%"


@pytest.mark.parametrize(
    ("correct", "broken", "caught_at"),
    [
        # the weights serve every sequence: forget to add up their gradients
        ("grads[k] += dweight", "grads[k] = dweight", "dWq"),
        # forget the skip path: X's gradient then comes from the attention alone
        ("dX = dR.copy()", "dX = np.zeros_like(dR)", "dE"),
        # E_pos is copied into every sequence: take the first sequence's share only
        ('unbroadcast(dX, params["E_pos"].shape)', "dX[0]", "dE_pos"),
    ],
    ids=["weights-not-summed", "no-skip-path", "position-not-summed"],
)
def test_a_broken_gradient_stops_the_attention_model_at_its_check(
    correct, broken, caught_at, tmp_path
):
    source = (ROOT / "docs/notebooks/attention-model.py").read_text(encoding="utf-8")
    assert source.count(correct) == 1, f"the notebook no longer has {correct!r}"
    copy = tmp_path / "attention-model.py"
    copy.write_text(source.replace(correct, broken), encoding="utf-8")
    notebook = jupytext.read(copy)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": ROOT}})
    with pytest.raises(CellExecutionError, match=f"{caught_at}: gradient check failed"):
        client.execute()
    assert "test accuracy" not in printed(notebook), "it trained on a broken gradient"


def test_a_failing_cell_stops_the_run_and_is_named(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text('# %%\nx = 1\n\n# %%\nraise ValueError("cell two is broken")\n')
    with pytest.raises(CellExecutionError, match="cell two is broken"):
        execute(broken)


# --- twins -----------------------------------------------------------------------


def code_skeleton(path: Path) -> list[list[str]]:
    """The code cells as tokens, without comments and with every string as "STR".

    Twin notebooks share their code; only comments and the text that readers see
    (strings: printed messages, plot labels) are in their own language.
    """
    skeleton = []
    for cell in jupytext.read(path).cells:
        if cell.cell_type != "code":
            continue
        tokens = []
        for tok in tokenize.generate_tokens(io.StringIO(cell.source + "\n").readline):
            if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE):
                continue
            name = tokenize.tok_name[tok.type]
            is_string = name == "STRING" or name.startswith("FSTRING")
            text = "STR" if is_string else tok.string
            if not (text == "STR" and tokens and tokens[-1] == "STR"):
                tokens.append(text)
        skeleton.append(tokens)
    return skeleton


ENGLISH = [p for p in NOTEBOOKS if not p.name.endswith(".zh.py")]


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_twin_notebooks_share_their_code(english):
    chinese = english.with_name(english.stem + ".zh.py")
    assert chinese.is_file(), f"{english.name} has no Chinese twin"
    assert code_skeleton(english) == code_skeleton(chinese)


DISPLAY_MATH = re.compile(r"\$\$(.*?)\$\$", re.DOTALL)


def display_math(path: Path) -> list[str]:
    """The display formulas ($$ ... $$) of a notebook's Markdown cells, line by line."""
    return [
        "\n".join(line.strip() for line in formula.strip().splitlines())
        for cell in jupytext.read(path).cells if cell.cell_type == "markdown"
        for formula in DISPLAY_MATH.findall(cell.source)
    ]


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_twin_notebooks_share_their_display_math(english):
    chinese = english.with_name(english.stem + ".zh.py")
    assert display_math(english) == display_math(chinese)


ALT = re.compile(r'^# %%.*\balt="([^"]*)"', re.MULTILINE)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("english", ENGLISH, ids=lambda p: p.name)
def test_twin_notebooks_describe_their_plots_each_in_its_language(english):
    chinese = english.with_name(english.stem + ".zh.py")
    ours = ALT.findall(english.read_text(encoding="utf-8"))
    theirs = ALT.findall(chinese.read_text(encoding="utf-8"))
    assert len(ours) == len(theirs), "the twins describe a different number of plots"
    assert not any(CJK.search(alt) for alt in ours), f"{english.name}: Chinese alt text"
    assert all(CJK.search(alt) for alt in theirs), f"{chinese.name}: alt text not Chinese"


class Links(html.parser.HTMLParser):
    """The targets of the links (a href) in some HTML."""

    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a" and dict(attrs).get("href"):
            self.hrefs.append(dict(attrs)["href"])


def markdown_links(path: Path) -> list[str]:
    """The relative links of a notebook's Markdown cells, as rendered."""
    links = Links()
    for cell in jupytext.read(path).cells:
        if cell.cell_type == "markdown":
            links.feed(markdown(cell.source))
    return [href for href in links.hrefs if not urlsplit(href).scheme]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_links_reach_a_page_and_anchor_of_their_language(path):
    """MkDocs checks the links of Markdown pages only; these are a notebook's."""
    zh = path.name.endswith(".zh.py")
    here = ("/zh/" if zh else "/") + f"notebooks/{path.name.split('.')[0]}/"
    for href in markdown_links(path):
        target = urlsplit(urljoin(here, href))
        if target.path.endswith(".zip"):
            assert target.path == "/snippets.zip", f"{path.name}: {href} -> {target.path}"
            continue
        slug = target.path.removeprefix("/zh/" if zh else "/").strip("/")
        page = ROOT / "docs" / (slug + (".zh.md" if zh else ".md"))
        assert page.is_file(), f"{path.name}: {href} -> {target.path}, no {page.name}"
        if target.fragment:
            text = page.read_text(encoding="utf-8")
            assert re.search(r"\{\s*#" + re.escape(target.fragment) + r"\s*\}", text), (
                f"{path.name}: {href}: {page.name} has no anchor #{target.fragment}"
            )


def test_every_chinese_notebook_has_an_english_twin():
    chinese = [p for p in NOTEBOOKS if p.name.endswith(".zh.py")]
    assert ENGLISH and len(chinese) == len(ENGLISH)
    for path in chinese:
        assert path.with_name(path.name.replace(".zh.py", ".py")).is_file(), path.name


# --- the build --------------------------------------------------------------------


def project_copy(tmp_path: Path) -> Path:
    """Copy the project without caches, builds and the virtual environment."""
    ignore = shutil.ignore_patterns(
        ".git", ".venv", ".cache", "site", "__pycache__", ".pytest_cache",
        ".hypothesis", "test-artifacts", "*.ipynb",
    )
    copy = tmp_path / "project"
    shutil.copytree(ROOT, copy, ignore=ignore)
    return copy


def test_a_failing_notebook_cell_fails_the_build(tmp_path):
    copy = project_copy(tmp_path)
    notebook = copy / "docs/notebooks/playground.py"
    notebook.write_text(
        notebook.read_text(encoding="utf-8")
        + '\n# %%\nraise RuntimeError("this cell is broken on purpose")\n',
        encoding="utf-8",
    )
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "CI": "true"}
    run = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict",
         "-d", str(tmp_path / "site")],
        cwd=copy, env=env, capture_output=True, text=True, timeout=600,
    )
    assert run.returncode != 0
    assert "this cell is broken on purpose" in run.stderr, run.stderr[-3000:]
    assert "playground.py" in run.stderr


# --- the hook ---------------------------------------------------------------------


def load_hook():
    path = ROOT / "hooks/notebooks.py"
    spec = importlib.util.spec_from_file_location("notebooks_hook", path)
    hook = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hook)
    return hook


def test_cache_key_changes_with_snippets_notebook_and_options(tmp_path):
    hook = load_hook()
    (tmp_path / "snippets").mkdir()
    (tmp_path / "snippets/bias.py").write_text("b = 1\n")
    (tmp_path / "uv.lock").write_text("lock\n")
    notebook = tmp_path / "nb.py"
    notebook.write_text("# %%\nx = 1\n")
    options = {"execute": True}
    key = hook.cache_key(notebook, tmp_path, options)
    assert hook.cache_key(notebook, tmp_path, options) == key

    (tmp_path / "snippets/bias.py").write_text("b = 2\n")
    key_after_snippet = hook.cache_key(notebook, tmp_path, options)
    (tmp_path / "snippets/new.py").write_text("")
    key_after_new_file = hook.cache_key(notebook, tmp_path, options)
    notebook.write_text("# %%\nx = 2\n")
    key_after_notebook = hook.cache_key(notebook, tmp_path, options)
    key_after_options = hook.cache_key(notebook, tmp_path, {"execute": False})
    keys = [key, key_after_snippet, key_after_new_file, key_after_notebook,
            key_after_options]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize(
    ("value", "enabled"), [(None, True), ("", True), ("false", True), ("true", False),
                           ("1", False)]
)
def test_cache_is_off_on_ci(monkeypatch, value, enabled):
    hook = load_hook()
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert hook.cache_enabled() is enabled


class FakeFile:
    src_uri = "notebooks/x.py"
    dest_uri = "notebooks/x/index.html"
    abs_src_path = "/docs/notebooks/x.py"
    locale = "zh"


class FakePage:
    file = FakeFile()


def test_cdn_loaders_are_cut_out_and_a_download_link_added(tmp_path):
    from mkdocs_jupyter import convert

    hook = load_hook()
    hook._patterns[:] = ["notebooks/*.py"]
    notebook = tmp_path / "x.py"
    notebook.write_text("# %% [markdown]\n# Some math: $x^2$\n\n# %%\nx = 1\n")
    html = convert.nb2html(str(notebook), execute=False)
    assert "cdnjs" in html  # nbconvert's template: MathJax 2 and mermaid from a CDN
    page = hook.on_page_content(html, FakePage(), None, None)
    assert "cdnjs" not in page and "MathJax.Hub" not in page and "mermaid" not in page
    link = '<a class="md-button" href="x.zh.ipynb" download>下载这个笔记本（.ipynb）</a>'
    assert link in page
    assert "$x^2$" in page


def test_a_cdn_address_left_behind_fails_the_build():
    hook = load_hook()
    hook._patterns[:] = ["notebooks/*.py"]
    html = '<script src="https://cdnjs.cloudflare.com/ajax/libs/other.js"></script>'
    with pytest.raises(PluginError, match="cdnjs.cloudflare.com/ajax/libs/other.js"):
        hook.on_page_content(html, FakePage(), None, None)


class DiesAtStart:
    """A job whose kernel died before it ran a cell, as jupyter_client reports it."""

    def __init__(self, message):
        self.message = message

    def result(self):
        raise RuntimeError(self.message)


def test_a_kernel_that_dies_at_start_gets_one_more_try(tmp_path, monkeypatch):
    hook = load_hook()
    notebook = tmp_path / "x.py"
    notebook.write_text("# %% [markdown]\n# # Title\n\n# %%\nx = 1\n")
    file = FakeFile()
    file.abs_src_path = str(notebook)
    entry = tmp_path / "entry.json"
    hook._jobs[entry] = DiesAtStart(hook.KERNEL_DIED)
    hook._calls[entry] = (str(notebook), {"execute": False})
    calls = []
    monkeypatch.setattr(hook.convert, "nb2html", lambda *a, **k: calls.append(a) or "ok")
    assert hook.finish(entry, file, toc_depth=2)["content"] == "ok"
    assert calls == [(str(notebook),)]


def test_any_other_failure_fails_the_build_at_once(tmp_path, monkeypatch):
    hook = load_hook()
    entry = tmp_path / "entry.json"
    hook._jobs[entry] = DiesAtStart("CellExecutionError: ZeroDivisionError")
    hook._calls[entry] = ("x.py", {"execute": True})
    monkeypatch.setattr(hook.convert, "nb2html", pytest.fail)
    with pytest.raises(PluginError, match="x.py failed to run:\nCellExecution"):
        hook.finish(entry, FakeFile(), toc_depth=2)
