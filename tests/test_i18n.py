"""Twin pages: every page exists in both languages and shows the same math and code.

Only prose, alt text and the text of code comments may differ between twins. The
notebook twins are compared in tests/test_notebooks.py.
"""

import io
import re
import tokenize
from pathlib import Path

import pytest

from conftest import ROOT

DOCS = ROOT / "docs"

HEADING = re.compile(r"^(#{1,6}) .*?(?:\{\s*#([\w-]+)\s*\})?\s*$", re.MULTILINE)
INCLUDE = re.compile(r'^\s*--8<-- "[^"]+"', re.MULTILINE)
DISPLAY_MATH = re.compile(r"\\\[(.*?)\\\]", re.DOTALL)
FENCED = re.compile(r"^([ \t]*)(```+)([^\n]*)\n(.*?)^\1\2[ \t]*$", re.DOTALL | re.MULTILINE)
IMAGE = re.compile(r"!\[[^\]]*\]\(([^)\s]+)")


def english_pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if not p.name.endswith(".zh.md"))


def chinese_twin(page: Path) -> Path:
    return page.with_name(page.name.removesuffix(page.suffix) + ".zh" + page.suffix)


def without_code(text: str) -> str:
    return FENCED.sub("", text)


def anchors(text: str) -> list[str | None]:
    return [match[2] for match in HEADING.finditer(without_code(text))]


def display_math(text: str) -> list[str]:
    return [
        "\n".join(line.strip() for line in formula.strip().splitlines())
        for formula in DISPLAY_MATH.findall(without_code(text))
    ]


def strip_comments(code: str) -> str:
    """Python code without its comments; other code as it is."""
    try:
        tokens = [
            tok for tok in tokenize.generate_tokens(io.StringIO(code).readline)
            if tok.type != tokenize.COMMENT
        ]
        return tokenize.untokenize(tokens)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return code


def normalized(code: str) -> str:
    return "\n".join(line.rstrip() for line in strip_comments(code).splitlines())


def code_blocks(text: str) -> list[tuple[str, str]]:
    return [(info.strip(), normalized(body)) for _, _, info, body in FENCED.findall(text)]


def twin_pairs():
    return [pytest.param(p, chinese_twin(p), id=p.relative_to(DOCS).as_posix())
            for p in english_pages()]


def test_every_chinese_page_has_an_english_twin():
    orphans = [
        p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.zh.md")
        if not p.with_name(p.name.replace(".zh.md", ".md")).exists()
    ]
    assert not orphans


@pytest.mark.parametrize(("english", "chinese"), twin_pairs())
def test_twin_exists(english, chinese):
    assert chinese.is_file(), f"{english.name} has no Chinese twin {chinese.name}"


@pytest.mark.parametrize(("english", "chinese"), twin_pairs())
def test_every_heading_has_an_explicit_anchor(english, chinese):
    for page in (english, chinese):
        missing = [a for a in anchors(page.read_text(encoding="utf-8")) if a is None]
        assert not missing, f"{page.name}: a heading has no {{ #anchor }}"


PARTS = {
    "heading anchors": anchors,
    "includes": lambda text: INCLUDE.findall(text),
    "display math": display_math,
    "code blocks": code_blocks,
    "images": lambda text: IMAGE.findall(text),
}


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize(("english", "chinese"), twin_pairs())
def test_twins_share(part, english, chinese):
    extract = PARTS[part]
    ours = extract(english.read_text(encoding="utf-8"))
    theirs = extract(chinese.read_text(encoding="utf-8"))
    assert ours == theirs, f"{english.name} and {chinese.name} differ in {part}"
