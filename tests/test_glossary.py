"""One name per idea: the glossary is the single source of the site's terms.

The source is the table in `docs/glossary.zh.md`: for each Chinese term, its English
original, a definition and the near-synonyms the Chinese pages avoid. The English
glossary must list the same pairs; the Chinese pages must use none of the synonyms.
A synonym may only appear right after the term itself, to introduce it as an alias:
"逐元素乘积（也叫哈达玛积）".

A longer variant of a term, the term with a character added (样本按行排列 for the
glossary's 样本按行排), is listed among the synonyms like any other. It is never an
alias: it is reported even right after the term, as in "样本按行排，即样本按行排列".
"""

import re
from pathlib import Path

import pytest

from conftest import ROOT

DOCS = ROOT / "docs"
GLOSSARY_ZH = DOCS / "glossary.zh.md"
GLOSSARY_EN = DOCS / "glossary.md"
#: Chinese pages that are not checked: the glossary names the synonyms on purpose,
#: and the corrections page quotes the original post word for word.
NOT_CHECKED = {"glossary.zh.md", "corrections.zh.md"}
#: How far (in characters) after the term an alias may start: "逐元素乘积（也叫哈达玛积".
ALIAS_REACH = 10

HEADING = re.compile(r"^## .*\{\s*#([\w-]+)\s*\}\s*$")
NONE = "—"


def table_rows(path: Path) -> list[tuple[str, list[str]]]:
    """Return (section anchor, cells) for every body row of every table in `path`."""
    rows, section = [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        heading = HEADING.match(line)
        if heading:
            section = heading[1]
        elif line.startswith("|") and not line.startswith("| ---"):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if cells[0] not in ("中文", "English"):  # skip the header rows
                rows.append((section, cells))
    return rows


def glossary() -> list[dict]:
    """The terms of the Chinese glossary, in order."""
    terms = []
    for section, (zh, en, _definition, avoid) in table_rows(GLOSSARY_ZH):
        synonyms = [] if avoid == NONE else [s.strip() for s in avoid.split("、")]
        terms.append({"section": section, "zh": zh, "en": en, "avoid": synonyms})
    return terms


def chinese_pages() -> list[Path]:
    pages = [*DOCS.rglob("*.zh.md"), *(DOCS / "notebooks").glob("*.zh.py")]
    return sorted(p for p in pages if p.name not in NOT_CHECKED)


def is_longer_variant(synonym: str, term: str) -> bool:
    """True for the term with characters added at its end: 样本按行排列 for 样本按行排."""
    return synonym.startswith(term) and synonym != term


def stray_synonyms(text: str) -> list[tuple[int, str, str]]:
    """Return (line number, synonym, term) for each synonym used outside an alias."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for term in glossary():
            for synonym in term["avoid"]:
                for match in re.finditer(re.escape(synonym), line):
                    before = line[max(0, match.start() - len(term["zh"]) - ALIAS_REACH):
                                  match.start()]
                    alias = term["zh"] in before and not is_longer_variant(synonym, term["zh"])
                    if not alias:
                        found.append((number, synonym, term["zh"]))
    return sorted(found)


def test_the_glossary_has_terms_and_each_chinese_term_once():
    names = [term["zh"] for term in glossary()]
    assert len(names) > 50
    assert len(names) == len(set(names)), "a Chinese term is listed twice"


def test_the_english_glossary_lists_the_same_terms_in_the_same_order():
    english = [(section, en, zh) for section, (en, zh, *_) in table_rows(GLOSSARY_EN)]
    chinese = [(term["section"], term["en"], term["zh"]) for term in glossary()]
    assert english == chinese


def test_no_synonym_to_avoid_hides_inside_a_preferred_term():
    # Otherwise the right term would be reported as the wrong one
    terms = [term["zh"] for term in glossary()]
    clashes = [
        (synonym, term) for entry in glossary() for synonym in entry["avoid"]
        for term in terms if synonym in term
    ]
    assert not clashes


def test_a_stray_synonym_is_found_and_an_introduced_alias_is_not():
    text = "没问题。\n用了按元素乘积。\n逐元素乘积（也叫哈达玛积）是别名。\n单说哈达玛积。"
    assert stray_synonyms(text) == [
        (2, "按元素", "逐元素"), (2, "按元素乘积", "逐元素乘积"), (4, "哈达玛积", "逐元素乘积")
    ]


def test_a_longer_variant_of_a_term_is_found_even_right_after_the_term():
    text = "样本按行排时每行一个样本。\n这里写成了样本按行排列。\n样本按行排，即样本按行排列。"
    assert stray_synonyms(text) == [
        (2, "样本按行排列", "样本按行排"), (3, "样本按行排列", "样本按行排")
    ]


def test_the_glossary_lists_the_longer_variants_of_its_terms():
    # One line of defence against "one idea, two names" is that the variants are listed
    variants = {
        (synonym, term["zh"]) for term in glossary() for synonym in term["avoid"]
        if is_longer_variant(synonym, term["zh"])
    }
    assert {("样本按行排列", "样本按行排"), ("样本按列排列", "样本按列排")} <= variants


def page_id(page: Path) -> str:
    return page.relative_to(DOCS).as_posix()


@pytest.mark.parametrize("page", chinese_pages(), ids=page_id)
def test_chinese_page_uses_no_synonym_to_avoid(page):
    found = stray_synonyms(page.read_text(encoding="utf-8"))
    report = [
        f"{page.relative_to(ROOT)}:{line}: '{synonym}' -> use '{term}'"
        for line, synonym, term in found
    ]
    assert not report, "synonyms docs/glossary.zh.md avoids:\n" + "\n".join(report)


def test_every_chinese_term_is_used_on_some_chinese_page():
    text = "\n".join(page.read_text(encoding="utf-8") for page in chinese_pages())
    unused = [term["zh"] for term in glossary() if term["zh"] not in text]
    assert not unused, f"glossary terms no Chinese page uses: {unused}"
