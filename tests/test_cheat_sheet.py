"""The cheat sheet against the pages it summarizes: it cannot drift from them.

`docs/cheat-sheet.md` and `docs/cheat-sheet.zh.md` each hold one hand-written table,
one row per result of the site:

    | operation | forward | gradients | shapes | code |

The operation links to the result on its page (`matrix-product.md#result`: the heading
above the page's `!!! result` box), and the code column links to the heading under
which the page includes each snippet section, shown as `x.py:section` for the section
of `snippets/x.py` (the column's header names the folder, which keeps the table narrow).

Why written by hand and tested, rather than generated at build time from the result
boxes: the boxes are prose with formulas, each shaped for its page (one holds a table,
one an aligned system, one three derivatives), so a generated row could only repeat a
whole box. A cheat sheet needs the short form: what goes in, what comes out, which
shapes. A person picks that form; this test makes sure it stays a faithful copy:

1. every formula in the gradients and shapes columns appears, character for character
   (up to white space and the `&` of aligned equations), in the math of the result box
   the row links to, and every inline code there in that box's code;
2. every formula in the forward column appears in the math of the linked page (some
   pages state the forward pass above the box), its inline code in the page's code;
3. every result box on the site is linked by a row, and every row links to a box, so a
   new result without a row fails, and so does a row whose result was removed;
4. every code link names a section that exists in `snippets/` and that the linked page
   includes under the linked heading;
5. the English and Chinese tables have the same rows: same links, same formulas and
   same code, cell by cell; only the prose differs.

A shape is checked like any formula: `n \times p` must appear in the box. That catches
a changed or removed shape, not a shape given to the wrong array in the table; the
shapes column is short enough to read against the box.

Each rule checks each language against that language's pages. A change to a result
box therefore fails here until the cheat sheet is updated in both languages. The
`test_detects_*` tests break a copy of a page on purpose and watch the checks report it.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import ROOT

DOCS = ROOT / "docs"
SNIPPETS = "snippets"
SHEET = "cheat-sheet"
LANGUAGES = ("en", "zh")
COLUMNS = 5
OPERATION, FORWARD, GRADIENTS, SHAPES, CODE_COLUMN = range(COLUMNS)

HEADING = re.compile(r"^#{1,6} .*?\{\s*#([\w-]+)\s*\}\s*$")
FENCE = re.compile(r"^\s*(```+|~~~+)")
RESULT = re.compile(r"^!!! result\b")
INCLUDE = re.compile(r'--8<-- "([^":]+):([\w-]+)"')
SECTION = re.compile(r"--8<-- \[start:([\w-]+)\]")
MATH = re.compile(r"\\\((.+?)\\\)|\\\[(.+?)\\\]", re.DOTALL)
CODE = re.compile(r"`([^`\n]+)`")
PAGE_LINK = re.compile(r"\]\(([\w./-]+\.md)#([\w-]+)\)")
LINK_TEXT = re.compile(r"\[([^\]]*)\]")
CODE_LINK = re.compile(r"\[`([\w./-]+\.py):([\w-]+)`\]\(([\w./-]+\.md)#([\w-]+)\)")


# --- Reading a page -------------------------------------------------------------------


def normalized(formula: str) -> str:
    """A formula with its white space collapsed and the alignment marks `&` dropped."""
    return " ".join(formula.replace("&", " ").split())


def math_of(text: str) -> list[str]:
    return [normalized(inline or display) for inline, display in MATH.findall(text)]


def code_of(text: str) -> list[str]:
    return [code.strip() for code in CODE.findall(text)]


@dataclass
class Page:
    """What the cheat sheet needs of a page: result boxes, prose, included sections."""

    boxes: dict[str, list[str]] = field(default_factory=dict)  # heading anchor -> boxes
    prose: list[str] = field(default_factory=list)  # lines outside code blocks
    includes: dict[str, set[tuple[str, str]]] = field(default_factory=dict)

    @property
    def math(self) -> list[str]:
        return math_of("\n".join(self.prose))

    @property
    def code(self) -> list[str]:
        return code_of("\n".join(self.prose))


def parse_page(text: str) -> Page:
    """Read a page line by line, keeping track of the heading each line falls under."""
    page, anchor, fence, box = Page(), "", None, None
    for line in text.splitlines():
        if box is not None:  # a result box runs on while its lines are indented
            if not line.strip() or line.startswith("    "):
                box.append(line)
                continue
            page.boxes.setdefault(anchor, []).append("\n".join(box))
            page.prose.extend(box)
            box = None
        if fence:  # in a code block only the include lines matter
            closing = FENCE.match(line)
            if closing and closing[1].startswith(fence):
                fence = None
            elif include := INCLUDE.search(line):
                page.includes.setdefault(anchor, set()).add(include.groups())
        elif opening := FENCE.match(line):
            fence = opening[1]
        elif heading := HEADING.match(line):
            anchor = heading[1]
        elif RESULT.match(line):
            box = []
        else:
            page.prose.append(line)
    if box is not None:
        page.boxes.setdefault(anchor, []).append("\n".join(box))
        page.prose.extend(box)
    return page


def page_file(link: str, language: str) -> Path:
    """The source of a linked page in a language: `x.md` in Chinese is `x.zh.md`."""
    if language == "en":
        return DOCS / link
    return DOCS / link.replace(".md", ".zh.md")


def site_pages(language: str) -> dict[str, Page]:
    """Every page of one language, by the name a link uses (`matrix-product.md`)."""
    pages = {}
    for source in sorted(DOCS.glob("*.md")):
        if source.name.endswith(".zh.md") or source.stem == SHEET:
            continue
        path = page_file(source.name, language)
        if path.is_file():
            pages[source.name] = parse_page(path.read_text(encoding="utf-8"))
    return pages


# --- Reading the cheat sheet ----------------------------------------------------------


def split_cells(line: str) -> list[str]:
    """The cells of a table row; a `|` inside math or code does not split."""
    cells, cell, i = [], "", 0
    body = line.strip().removeprefix("|").removesuffix("|")
    while i < len(body):
        span = MATH.match(body, i) or CODE.match(body, i)
        if span:
            cell += span[0]
            i = span.end()
        elif body[i] == "|":
            cells.append(cell.strip())
            cell, i = "", i + 1
        else:
            cell += body[i]
            i += 1
    return [*cells, cell.strip()]


@dataclass
class Row:
    """One line of the table, as the checks see it."""

    number: int
    cells: list[str]

    @property
    def name(self) -> str:
        text = LINK_TEXT.match(self.cells[OPERATION])
        return f"row {self.number} ({text[1] if text else self.cells[OPERATION]})"

    @property
    def target(self) -> tuple[str, str] | None:
        link = PAGE_LINK.search(self.cells[OPERATION])
        return (link[1], link[2]) if link else None

    def math(self, column: int) -> list[str]:
        return math_of(self.cells[column])

    def code(self, column: int) -> list[str]:
        return code_of(CODE_LINK.sub("", self.cells[column]))

    @property
    def code_links(self) -> list[tuple[str, str, str, str]]:
        return CODE_LINK.findall(self.cells[CODE_COLUMN])


def table_rows(text: str) -> list[Row]:
    """The rows of the one table of the cheat sheet, header and rule left out."""
    lines = [line for line in text.splitlines() if line.startswith("|")]
    return [Row(number, split_cells(line)) for number, line in enumerate(lines[2:], 1)]


def sheet_text(language: str) -> str:
    path = page_file(f"{SHEET}.md", language)
    return path.read_text(encoding="utf-8")


# --- The checks: each returns the problems it finds, so that a fault can be shown -----


def missing(fragments: list[str], haystack: list[str]) -> list[str]:
    return [f for f in fragments if not any(f in hay for hay in haystack)]


def row_problems(row: Row, pages: dict[str, Page]) -> list[str]:
    """Everything in one row that its page does not back up."""
    if len(row.cells) != COLUMNS:
        return [f"{row.name}: has {len(row.cells)} cells, not {COLUMNS}"]
    if row.target is None:
        return [f"{row.name}: the operation does not link to `page.md#anchor`"]
    link, anchor = row.target
    page = pages.get(link)
    if page is None:
        return [f"{row.name}: links to {link}, which is not a page"]
    boxes = page.boxes.get(anchor, [])
    if len(boxes) != 1:
        return [f"{row.name}: {link}#{anchor} is not the heading of one result box"]
    box = boxes[0]
    problems = []
    for column in (FORWARD, GRADIENTS):
        if not row.math(column) and not row.code(column):
            problems.append(f"{row.name}: column {column + 1} has no formula or code")
    for formula in missing(row.math(FORWARD), page.math):
        problems.append(f"{row.name}: forward \\({formula}\\) is not on {link}")
    for code in missing(row.code(FORWARD), page.code):
        problems.append(f"{row.name}: forward `{code}` is not on {link}")
    for column in (GRADIENTS, SHAPES):
        for formula in missing(row.math(column), math_of(box)):
            problems.append(f"{row.name}: \\({formula}\\) is not in {link}#{anchor}")
        for code in missing(row.code(column), code_of(box)):
            problems.append(f"{row.name}: `{code}` is not in {link}#{anchor}")
    if not row.code_links:
        problems.append(f"{row.name}: no link to a snippet section")
    for module, section, code_page, code_anchor in row.code_links:
        module = f"{SNIPPETS}/{module}"
        snippet = ROOT / module
        if not snippet.is_file() or section not in SECTION.findall(snippet.read_text()):
            problems.append(f"{row.name}: {module} has no section {section}")
        if code_page != link:
            problems.append(f"{row.name}: {module}:{section} links to another page")
        elif (module, section) not in page.includes.get(code_anchor, set()):
            problems.append(
                f"{row.name}: {link} does not include {module}:{section} under "
                f"#{code_anchor}"
            )
    return problems


def table_problems(rows: list[Row], pages: dict[str, Page]) -> list[str]:
    """Problems of every row, then every result box on the site that no row links to."""
    problems = [problem for row in rows for problem in row_problems(row, pages)]
    linked = {row.target for row in rows}
    for link, page in pages.items():
        for anchor, boxes in page.boxes.items():
            if len(boxes) > 1:
                problems.append(f"{link}#{anchor}: {len(boxes)} result boxes under one "
                                f"heading; give each its own heading")
            if (link, anchor) not in linked:
                problems.append(f"{link}#{anchor}: a result box with no row")
    return problems


def row_content(row: Row) -> tuple:
    """What both languages share: links, then formulas and code, column by column."""
    columns = (FORWARD, GRADIENTS, SHAPES)
    return (row.target, row.code_links,
            *[(row.math(column), row.code(column)) for column in columns])


# --- The tests ------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_table_has_rows_of_five_columns(language):
    rows = table_rows(sheet_text(language))
    assert rows, "the cheat sheet has no table"
    assert all(len(row.cells) == COLUMNS for row in rows)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_row_agrees_with_its_page_and_every_result_has_a_row(language):
    problems = table_problems(table_rows(sheet_text(language)), site_pages(language))
    assert not problems, "\n".join(problems)


def test_both_languages_have_the_same_rows():
    english = [row_content(row) for row in table_rows(sheet_text("en"))]
    chinese = [row_content(row) for row in table_rows(sheet_text("zh"))]
    assert len(english) == len(chinese), "the two tables have different numbers of rows"
    for number, (ours, theirs) in enumerate(zip(english, chinese), 1):
        assert ours == theirs, f"row {number} differs between the languages"


# --- The checks can fail: break a copy of a page, watch the problem reported ---------

FAULTS = {
    "a changed gradient": (
        "matrix-product.md", r"dA = dC\,B^\top", r"dA = B^\top dC",
        r"dA = dC\,B^\top\) is not in matrix-product.md#result",
    ),
    "a changed forward pass": (
        "matrix-product.md", r"\(C = AB\)", r"\(C = BA\)", "forward \\(C = AB\\)",
    ),
    "a changed shape": (
        "matrix-product.md", r"n \times p", r"n \times q",
        r"\(n \times p\) is not in matrix-product.md#result",
    ),
    "a new result without a row": (
        "matrix-product.md", "## Code { #code }",
        '## More { #more }\n\n!!! result "Result"\n\n    \\[ x = 1 \\]\n\n'
        "## Code { #code }",
        "matrix-product.md#more: a result box with no row",
    ),
    "a renamed result heading": (
        "matrix-product.md", "## Result { #result }", "## Result { #the-result }",
        "matrix-product.md#result is not the heading of one result box",
    ),
    "a section no longer included": (
        "matrix-product.md", '--8<-- "snippets/matrix_product.py:backward"', "",
        "does not include snippets/matrix_product.py:backward under #code",
    ),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_detects(fault):
    link, old, new, reported = FAULTS[fault]
    text = page_file(link, "en").read_text(encoding="utf-8")
    assert old in text, f"the fault {fault!r} no longer applies to {link}"
    rows, pages = table_rows(sheet_text("en")), site_pages("en")
    before = table_problems(rows, pages)
    pages[link] = parse_page(text.replace(old, new))
    found = [item for item in table_problems(rows, pages) if item not in before]
    assert any(reported in item for item in found), found


def test_detects_a_row_that_differs_between_the_languages():
    rows = table_rows(sheet_text("zh"))
    rows[0].cells[2] = rows[0].cells[2].replace("^\\top", "^T", 1)
    assert row_content(rows[0]) != row_content(table_rows(sheet_text("en"))[0])
