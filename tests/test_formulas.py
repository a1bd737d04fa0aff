"""Every formula a reader sees is evaluated and compared with the code.

The math of every result box (`!!! result`) on every page, in both languages, and the
gradients and shapes of every cheat-sheet row, are parsed from their TeX by
tests/notation.py and evaluated with numpy on random float64 arrays whose dimensions
hypothesis draws (1 included). The values of the symbols come from the snippet code
named by the page's binding, `tests/bindings/<snippet module>.py` (CONTRIBUTING.md,
"Binding a result box to its code"). A statement holds when all its sides agree, and
each side has the shape written after it.

A result box nobody binds, an equation that cannot be read, or a symbol that nothing
binds fails; so does a wrong formula (the `test_detects_*` tests change formulas the
same way in both languages and in the cheat sheet, on copies, and watch them caught).
"""

import importlib
import re
from dataclasses import dataclass, field
from itertools import product

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import dims, seeds
from notation import (
    PARSER, Evaluator, FormulaError, canonical, Tree, WithError, formula_shape, free_indices,
    name_of, parse, part, relations_of, settings_of, shape_notes_of, sides_of, sub_name,
)
from test_cheat_sheet import (
    DOCS, FORWARD, GRADIENTS, LANGUAGES, MATH, SHAPES, SHEET, normalized, page_file,
    parse_page, sheet_text, table_rows,
)

#: `dC = \partial L / \partial C`: the site's notation, stated in a box, not a claim.
NOTATION = re.compile(r"^d(\\hat\s*)?\{?([A-Za-z])\}? = \\partial L / \\partial "
                      r"(\\hat\s*)?\{?\2\}?$")
#: How close two sides must be; `+ O(h^p)` adds 10 h^p to it.
TOLERANCE = 1e-9
EXAMPLES = 3  # hypothesis examples per page and language: many formulas each


def is_equation(tex: str) -> bool:
    return "=" in tex or "\\approx" in tex or "\\leftarrow" in tex


# --- What is checked ---------------------------------------------------------------


@dataclass
class Formula:
    """One formula as a reader sees it, and the result box whose binding computes it."""

    source: str  # "matrix-product.md" or "cheat-sheet.md row 1"
    link: str  # the page of the box: "matrix-product.md"
    anchor: str  # the heading of the box: "result"
    tex: str

    @property
    def name(self) -> str:
        return f"{self.source}: \\({normalized(self.tex)}\\)"


def page_texts(language: str) -> dict[str, str]:
    """Every page of a language but the cheat sheet, by link name."""
    texts = {}
    for source in sorted(DOCS.glob("*.md")):
        if source.name.endswith(".zh.md") or source.stem == SHEET:
            continue
        path = page_file(source.name, language)
        if path.is_file():
            texts[source.name] = path.read_text(encoding="utf-8")
    return texts


def box_formulas(link: str, text: str) -> list[Formula]:
    """The equations of every result box of a page."""
    found = []
    for anchor, boxes in parse_page(text).boxes.items():
        for box in boxes:
            for inline, display in MATH.findall(box):
                if is_equation(inline or display):
                    found.append(Formula(link, link, anchor, inline or display))
    return found


def sheet_formulas(sheet: str) -> list[Formula]:
    """The equations of the gradients column of the cheat sheet, each with its box."""
    found = []
    for row in table_rows(sheet):
        if row.target is None:
            continue
        link, anchor = row.target
        for tex in row.math(GRADIENTS):
            if is_equation(tex):
                found.append(Formula(f"{SHEET}.md {row.name}", link, anchor, tex))
    return found


# --- The shapes column: a small vocabulary, the same in both languages ----------------

#: A math or code span of a shapes line, masked while the line's words are read.
SPAN = re.compile(r"\\\((?:(?!\\\)).)+\\\)|`[^`]+`")
HOLE = "\x00{}\x01"
HOLES = re.compile("\x00(\\d+)\x01")
M = "\x00\\d+\x01"  # a masked span, in the patterns below
#: kind -> the phrase in English and in Chinese (CONTRIBUTING.md, "Shapes in the cheat
#: sheet"); `(M)` is the math or code the phrase is about.
PHRASES = {
    "length": rf"(?:length|长度为?)\s*({M})",
    "same": rf"(?:the shape of\s*({M}|its operand)|与\s*({M}|它的操作数)\s*同形)",
    "all": rf"(?:all|都是)\s*({M})",
    "any": r"(any shape|任意形状)",
    "float64": r"(float64)",
    "padded": rf"(?:padded by|两端填充)\s*({M})",
    "invertible": r"(invertible|可逆)",
    "integer": r"(integer labels|整数标签)",
    "one-hot": rf"({M})\s*(?:one-hot|的 one-hot 矩阵)|(one-hot labels|one-hot ids|"
               r"标签的 one-hot 矩阵|id 的 one-hot 行)",
}
#: Words in a shapes line that say which array is meant, for the reader, and state
#: nothing to check (the shape next to them is checked).
REMARKS = {"one sample": "h_t of one sample, as against the batch of the row above",
           "一个样本": "同上"}


@dataclass
class ShapeClaim:
    """One line of the cheat sheet's shapes column, read in the vocabulary.

    `subject` is "symbols" (`\\(A\\), \\(B\\): ...`), "all" (every array of the row) or
    "each gradient" (every dX of the row, with X); `alternatives` are the claims joined
    by "or", each a list of (kind, argument): one of PHRASES, "shape", "qualifier" (a
    case, named in math or words, that the binding's `qualifiers` map) or "remark"."""

    source: str
    link: str
    anchor: str
    line: str
    subject: str
    symbols: list[str]
    alternatives: list[list[tuple[str, str]]]
    names: list[str] = field(default_factory=list)  # the names of the row's formulas

    @property
    def name(self) -> str:
        return f"{self.source}: {self.line}"


def unmask(text: str, spans: list[str]) -> str:
    return HOLES.sub(lambda m: spans[int(m[1])], text)


def tex_of(span: str) -> str:
    """`\\(n\\)` -> `n`; a code span keeps its backticks."""
    return span[2:-2].strip() if span.startswith("\\(") else span


def read_piece(piece: str, spans: list[str]) -> tuple[str, str] | None:
    """One comma-separated piece of a claim: (kind, argument), or None if unreadable."""
    piece = piece.strip()
    if re.fullmatch(M, piece):
        tex = tex_of(unmask(piece, spans))
        return ("shape", tex) if is_shape(tex) else None
    for kind, pattern in PHRASES.items():
        match = re.fullmatch(pattern, piece)
        if match:
            argument = next((g for g in match.groups() if g), "")
            if kind == "one-hot" and not HOLES.search(argument):
                argument = ""  # `one-hot labels`: no labels named
            return kind, tex_of(unmask(argument, spans))
    if piece in REMARKS:
        return "remark", piece
    found = HOLES.findall(piece)
    if found:  # `in \(q\)`, `for one row \(p\)`, `（\(q\) 中）`: a case, named by its math
        return "qualifier", " ".join(normalized(tex_of(spans[int(i)])) for i in found)
    return None


def is_shape(tex: str) -> bool:
    return "\\times" in tex or re.fullmatch(r"\(.*,\)", tex) is not None


def read_claims(rest: str, spans: list[str]) -> list[list[tuple[str, str]]] | None:
    alternatives = []
    for text in re.split(r"\s+or\s+|\s*或\s*", rest):
        pieces = []
        for group in re.findall(r"[(（]([^()（）]*)[)）]", text):  # (layer norm.)
            read = read_piece(group, spans)
            pieces.append(read if read and read[0] == "qualifier"
                          else ("qualifier", normalized(group)))
        text = re.sub(r"\s*[(（][^()（）]*[)）]", "", text)
        text = re.sub(rf"\s+(in\s+{M})", r", \1", text)  # `\(n \times n\) in \(q\)`
        for piece in re.split(r"\s*[,，]\s*", text.strip()):
            read = read_piece(piece, spans) if piece else None
            if read is None:
                return None
            pieces.append(read)
        alternatives.append(pieces)
    return alternatives


def read_shape_line(line: str, previous: list[str] | None):
    """(subject, symbols, alternatives) of one line, or None if it is not vocabulary."""
    spans = []
    masked = SPAN.sub(lambda m: spans.append(m[0]) or HOLE.format(len(spans) - 1), line)
    if previous is not None and (found := re.fullmatch(r"(?:or|或)\s*(.+)", masked)):
        subject, symbols, rest = "symbols", previous, found[1]
    elif found := re.fullmatch(rf"((?:{M}\s*[,、]\s*)*{M})\s*[:：]\s*(.+)", masked):
        subject, rest = "symbols", found[2]
        symbols = [tex_of(spans[int(i)]) for i in HOLES.findall(found[1])]
    elif found := re.fullmatch(r"(?:each gradient:|每个梯度都)\s*(.+)", masked):
        subject, symbols, rest = "each gradient", [], found[1]
    elif found := re.fullmatch(rf"(?:([^:：\x00]+)[:：]\s*)?((?:all|都是)\s*{M})", masked):
        subject, symbols, rest = "all", [], found[2] + (
            f" ({found[1].strip()})" if found[1] else "")  # `element-wise: all ...`
    else:
        return None
    alternatives = read_claims(rest, spans)
    return None if alternatives is None else (subject, symbols, alternatives)


def row_names(row) -> list[str]:
    """The names the row's forward and gradient formulas use (for "all" and "each
    gradient"); a forward formula beyond the grammar contributes none."""
    names = []
    for tex in row.math(FORWARD) + row.math(GRADIENTS):
        try:
            statements = parse(tex)
        except FormulaError:
            continue
        for statement in statements:
            for node in statement.iter_subtrees_topdown():
                if node.data == "name":
                    names.append(name_of(node))
                elif node.data == "subscripted" and isinstance(node.children[0], Tree) \
                        and node.children[0].data == "name":
                    names.append(sub_name(name_of(node.children[0]), str(node.children[1])))
    return list(dict.fromkeys(names))


def sheet_shapes(sheet: str) -> tuple[list[ShapeClaim], list[str]]:
    """The shapes column, line by line: claims, and the lines the vocabulary cannot read
    (none: a test says so)."""
    claims, words = [], []
    for row in table_rows(sheet):
        if row.target is None:
            continue
        link, anchor = row.target
        previous = None
        for line in row.cells[SHAPES].split("<br>"):
            read = read_shape_line(line.strip(), previous)
            if read is None:
                words.append(f"{SHEET}.md {row.name}: {line.strip()}")
                continue
            subject, symbols, alternatives = read
            previous = symbols if subject == "symbols" else None
            claims.append(ShapeClaim(f"{SHEET}.md {row.name}", link, anchor, line.strip(),
                                     subject, symbols, alternatives, row_names(row)))
    return claims, words


# --- Bindings ------------------------------------------------------------------------


def binding_module(link: str):
    """`matrix-product.md` -> tests/bindings/matrix_product.py, or None."""
    name = link.removesuffix(".md").replace("-", "_")
    try:
        return importlib.import_module(f"bindings.{name}")
    except ModuleNotFoundError as error:
        if error.name != f"bindings.{name}":
            raise
        return None


def binding(link: str, anchor: str):
    module = binding_module(link)
    return None if module is None else getattr(module, "BOXES", {}).get(anchor)


# --- Evaluating a statement ----------------------------------------------------------


def stated_shape(tree: Tree, env: dict) -> tuple:
    """`m \\times n` -> (m, n); `N,` (written `(N,)`) and a single `n` -> (N, 1);
    `m \\times (p + q)` evaluates the sum."""
    sizes = []
    for dim in tree.children:
        if not isinstance(dim, Tree):
            continue
        size = 1  # `C K_H K_W`: a product of dimensions
        for factor in dim.children:
            token = factor.children[0]
            if isinstance(token, Tree):  # `m \times (p + q)`: a sum of dimensions
                size *= int(Evaluator(env).value(token))
                continue
            if token.type == "NUMBER":
                size *= int(token)
                continue
            sub = factor.children[1] if len(factor.children) > 1 else None
            name = str(token) if sub is None else sub_name(str(token), str(sub))
            if name not in env:
                raise FormulaError(f"the shape names {name}, which is no dimension")
            size *= int(env[name])
        sizes.append(size)
    return (sizes[0], 1) if len(sizes) == 1 else tuple(sizes)


def difference(values: list) -> tuple[float, float]:
    """(largest difference between the sides, what it may be)."""
    allowed = TOLERANCE
    plain = []
    for value in values:
        if isinstance(value, WithError):
            allowed += 10 * value.error + 1e-7  # the error term, and rounding
            value = value.value
        plain.append(np.asarray(value, dtype=float))
    if any(np.ndim(value) == 0 for value in plain):  # x^T A x is 1 x 1: a number
        plain = [value.reshape(()) if formula_shape(value) == (1, 1) else value
                 for value in plain]
    arrays = [value for value in plain if np.ndim(value) > 0]
    if arrays:  # `dz_{T+1} = 0`: the number 0 is the zero array
        plain = [np.zeros_like(arrays[0]) if np.ndim(value) == 0 and value == 0
                 else value for value in plain]
    first, *rest = plain
    worst = 0.0
    for other in rest:
        if formula_shape(first) != formula_shape(other):
            raise FormulaError(f"the sides have shapes {formula_shape(first)} and "
                               f"{formula_shape(other)}")
        gap = np.abs(first.reshape(formula_shape(first)) - other.reshape(
            formula_shape(first)))
        scale = 1 + np.abs(first.reshape(formula_shape(first)))
        if not np.all(np.isfinite(gap)):  # inf - inf, nan: never a match
            return float("inf"), allowed
        worst = max(worst, float(np.max(gap / scale, initial=0.0)))
    return worst, allowed


def statement_failure(statement: Tree, env: dict, origin: int = 1) -> str | None:
    """Why a statement does not hold in these symbols, or None when it does.

    In `g \\leftarrow f(g)` the left side is evaluated in the symbols after the step,
    which the binding gives as `env["\\leftarrow"]`."""
    evaluator = Evaluator(env, origin=origin)
    sides = sides_of(statement)
    evaluators = [evaluator] * len(sides)
    if "LEFTARROW" in relations_of(statement):
        if len(sides) != 2 or "\\leftarrow" not in env:
            return "an assignment needs two sides and the binding's values after it"
        evaluators[0] = Evaluator({**env, **env["\\leftarrow"]}, origin=origin)
    try:
        for given in part(statement, "given"):  # `b\ (1 \times n) \to m \times n:`
            name, shape = str(given.children[0]), given.children[1]
            if name in env and formula_shape(env[name]) != stated_shape(shape, env):
                return f"{name} has shape {np.shape(env[name])}, not the stated one"
        (chain,) = part(statement, "chain")
        free = free_indices(chain, evaluator)
        if free:  # the index form: entry by entry
            worst, allowed = 0.0, TOLERANCE
            for values in product(*free.values()):
                for each in evaluators:
                    each.index = dict(zip(free, values))
                gap, allowed = difference([each.value(side)
                                           for each, side in zip(evaluators, sides)])
                worst = max(worst, gap)
        else:
            values = [each.value(side) for each, side in zip(evaluators, sides)]
            for note in shape_notes_of(statement):
                want = stated_shape(note, env)
                for value in values:
                    if formula_shape(getattr(value, "value", value)) != want:
                        return (f"a side has shape {formula_shape(value)}, the formula "
                                f"states {want}")
            if len(values) < 2:
                return "a statement with one side states nothing"
            worst, allowed = difference(values)
    except FormulaError as error:
        return str(error)
    except (ValueError, TypeError, IndexError, ZeroDivisionError) as error:
        return f"cannot be evaluated: {error}"
    if worst > allowed:
        return f"the sides differ by {worst:.3g} (relative), more than {allowed:.3g}"
    return None


#: (page, anchor, formula, sizes, seed) -> problems, shared by the two languages
VERDICTS: dict[tuple, list[str]] = {}


def formula_problems(formula: Formula, box, environments, sizes) -> list[str]:
    """What is wrong with one formula, in the symbols of its box (after its name)."""
    if normalized(formula.tex) in {normalized(k) for k in box.not_claims}:
        return []
    if NOTATION.match(normalized(formula.tex)):
        return []
    try:
        statements = parse(formula.tex)
    except FormulaError as error:
        return [f": {error}"]
    problems = []
    for statement in statements:
        wanted = settings_of(statement)
        cases = [(case, env) for case, env in environments
                 if all(str(case.get(k)) == v if v is not None  # axis=1
                        else k in map(str, case.values())  # max_pool: a case's value
                        for k, v in wanted.items())]
        if not cases:
            problems.append(f": no case of the binding has {wanted}")
            continue
        failures, held = [], False
        for case, envs in cases:
            failure = next(filter(None, (statement_failure(statement, env, box.origin)
                                         for env in envs)), None)
            if failure is None:
                held = True
                if not box.every_case:
                    break
            else:
                failures.append(failure + (f" (case {case})" if case != {} else ""))
        if failures and (box.every_case or not held):
            shapes = ", ".join(f"{k}={v}" for k, v in sizes.items())
            problems.append(f": {'; '.join(failures)}; sizes {shapes}")
    return problems


def symbol_shapes(symbol: str, env: dict, origin: int = 1) -> list[tuple]:
    """The shapes a symbol of the shapes column has: one, or one per value of its
    indices (`x_t` for every step t, `W_{q,h}` for every head h)."""
    name = canonical(symbol)
    if name in env:
        return [formula_shape(env[name])]
    (statement,) = parse(symbol)
    (chain,) = part(statement, "chain")
    evaluator = Evaluator(env, origin=origin)
    free = free_indices(chain, evaluator)
    shapes = []
    for values in product(*free.values()):
        evaluator.index = dict(zip(free, values))
        shapes.append(formula_shape(evaluator.value(sides_of(statement)[0])))
    return shapes


def read_shape(tex: str) -> Tree:
    """`m \\times n`, `(N,)`, `m \\times (p + q)` as a parsed shape."""
    try:
        return PARSER.parse(re.sub(r"^\((.*,)\)$", r"\1", tex), start="shape")
    except Exception as error:  # noqa: BLE001, lark's message is the report
        raise FormulaError(f"cannot read the shape {tex!r}: "
                           f"{str(error).splitlines()[0]}") from None


def case_filter(box, qualifier: str):
    """The cases a qualifier names, from the binding's `qualifiers`, or an error."""
    wanted = getattr(box, "qualifiers", {}).get(qualifier)
    if wanted is None:
        raise FormulaError(f"the binding names no case for {qualifier!r} (Box(qualifiers=))")
    return lambda case: all(case.get(k) in (v if isinstance(v, list) else [v])
                            for k, v in wanted.items())


def value_of(target: str, env: dict, origin: int):
    """The value a phrase names: math (`X`, `\\mathrm{forward}(x)`) or code (`x`,
    `forward(x)`): a bound name, or what the binding gives under the code, backticks
    included."""
    if target.startswith("`"):
        for key in (target, target.strip("`")):
            if key in env:
                return env[key]
        raise FormulaError(f"nothing binds {target}")
    (statement,) = parse(target)
    return Evaluator(env, origin=origin).value(sides_of(statement)[0])


def length_of(tex: str, env: dict, origin: int) -> int:
    """`n` -> n; `T = \\lfloor (L + 2P - K) / s \\rfloor + 1` -> T, once every side agrees."""
    (statement,) = parse(tex)
    evaluator = Evaluator(env, origin=origin)
    values = [float(evaluator.value(side)) for side in sides_of(statement)]
    if len(set(values)) > 1:
        raise FormulaError(f"{normalized(tex)} is {' = '.join(f'{v:g}' for v in values)}")
    return int(values[0])


def piece_failure(kind: str, argument: str, symbol: str, env: dict, pieces, origin: int):
    """Why one symbol fails one phrase in one set of symbols, or None."""
    if kind in ("qualifier", "remark", "any"):
        return None
    shapes = symbol_shapes(symbol, env, origin)
    value = env.get(canonical(symbol))
    if kind in ("shape", "all"):
        want = stated_shape(read_shape(argument), env)
    elif kind == "length":
        want = (length_of(argument, env, origin), 1)
        padding = [length_of(a, env, origin) for k, a in pieces if k == "padded"]
        if padding:  # `length \(L\), padded by \(P\)`: L + 2P, the ends zero
            want = (want[0] + 2 * padding[0], 1)
    elif kind == "same":
        want = formula_shape(value_of(argument, env, origin))
    elif kind == "padded":
        pad, array = length_of(argument, env, origin), np.asarray(value).ravel()
        if pad and (np.any(array[:pad]) or np.any(array[-pad:])):
            return f"{symbol} has no {pad} zeros at each end"
        return None
    elif kind == "float64":
        return None if np.asarray(value).dtype == np.float64 else \
            f"{symbol} is {np.asarray(value).dtype}, not float64"
    elif kind == "invertible":
        array = np.asarray(value)
        return None if array.ndim == 2 and array.shape[0] == array.shape[1] and \
            np.linalg.matrix_rank(array) == len(array) else f"{symbol} is not invertible"
    elif kind == "integer":
        return None if np.issubdtype(np.asarray(value).dtype, np.integer) else \
            f"{symbol} holds {np.asarray(value).dtype}, not integer labels"
    elif kind == "one-hot":
        array = np.asarray(value)
        rows = array.ndim == 2 and np.all((array == 0) | (array == 1)) and \
            np.all(array.sum(axis=1) == 1)
        if rows and argument:  # `\(y\) one-hot`: row i has its 1 in column y_i
            labels = np.asarray(value_of(argument, env, origin)).astype(int).ravel()
            rows = np.array_equal(array.argmax(axis=1), labels)
        return None if rows else f"{symbol} is not {argument or 'the'} one-hot rows"
    else:
        raise FormulaError(f"no meaning for the phrase {kind}")
    wrong = sorted({shape for shape in shapes if shape != want})
    return f"{symbol} has shape {wrong[0]}, not {want}" if wrong else None


def subjects_of(claim: ShapeClaim, env: dict) -> list[tuple[str, str | None]]:
    """(symbol, operand) pairs a line is about in one set of symbols."""
    if claim.subject == "symbols":
        return [(symbol, None) for symbol in claim.symbols]
    arrays = [n for n in claim.names if isinstance(env.get(n), np.ndarray)
              and env[n].ndim > 0]
    if claim.subject == "all":
        return [(n, None) for n in arrays]
    return [(n, n[1:]) for n in arrays if n.startswith("d") and n[1:] in env]


def alternative_failure(claim: ShapeClaim, pieces, envs: list[dict], origin: int):
    """Why an alternative fails in one case (its random draw and every probe), or None."""
    for env in envs:
        subjects = subjects_of(claim, env)
        if not subjects:
            return f"the row has no array for {claim.subject!r}"
        bad = []
        for symbol, operand in subjects:
            for kind, argument in pieces:
                if kind == "same" and argument in ("its operand", "它的操作数"):
                    kind, argument = "same", operand
                try:
                    failure = piece_failure(kind, argument, symbol, env, pieces, origin)
                except FormulaError as error:
                    failure = f"{symbol}: {error}"
                if failure:
                    bad.append(failure)
        if bad:
            return "; ".join(dict.fromkeys(bad))
    return None


def shape_problems(claim: ShapeClaim, environments, box) -> list[str]:
    """A shapes line holds when each of its alternatives ("or") holds in some case, or,
    with a qualifier, in every case the qualifier names; "all" and "each gradient"
    hold in every case (named), and "any shape" needs cases of three numbers of axes
    that the box checks every one of (`every_case`)."""
    problems = []
    for pieces in claim.alternatives:
        qualifiers = [argument for kind, argument in pieces if kind == "qualifier"]
        try:
            filters = [case_filter(box, q) for q in qualifiers]
        except FormulaError as error:
            problems.append(f"{claim.name}: {error}")
            continue
        chosen = [(case, envs) for case, envs in environments
                  if all(f(case) for f in filters)]
        if not chosen:
            problems.append(f"{claim.name}: {qualifiers} names no case of the binding")
            continue
        every = bool(qualifiers) or claim.subject != "symbols"
        failures = []
        for case, envs in chosen:
            failure = alternative_failure(claim, pieces, envs, box.origin)
            if failure:
                failures.append(failure + (f" (case {case})" if case != {} else ""))
        if any(kind == "any" for kind, _ in pieces):
            ranks = {np.ndim(envs[0].get(canonical(s))) for _, envs in chosen
                     for s in claim.symbols}
            if len(ranks) < 3 or not box.every_case:
                failures.append(f"any shape needs cases of 3 numbers of axes, every one "
                                f"checked (every_case); the binding has {sorted(ranks)}")
                every = True
        if failures and (every or len(failures) == len(chosen)):
            problems.append(f"{claim.name}: {' / '.join(failures)}")
    return problems


# --- The whole check, for one page in one language -----------------------------------


def page_problems(link: str, texts: dict[str, str], sheet: str,
                  examples: list[tuple[dict, int]] | None = None, data=None,
                  language: str = "en") -> list[str]:
    """Every problem of the formulas of one page's boxes and their cheat-sheet rows.

    `examples` gives (sizes, seed) pairs; with `data` (hypothesis) they are drawn.
    """
    formulas = box_formulas(link, texts[link])
    formulas += [f for f in sheet_formulas(sheet) if f.link == link]
    if language != "en":  # name the file a reader of that language opens
        for formula in formulas:
            formula.source = formula.source.replace(".md", ".zh.md", 1)
    claims = [c for c in sheet_shapes(sheet)[0] if c.link == link]
    problems = []
    anchors = sorted({f.anchor for f in formulas} | set(parse_page(texts[link]).boxes))
    for anchor in anchors:
        box = binding(link, anchor)
        mine = [f for f in formulas if f.anchor == anchor]
        if box is None:
            for formula in mine:
                problems.append(f"{formula.name}: nothing binds {link}#{anchor}; add it "
                                f"to tests/bindings/ (CONTRIBUTING.md)")
            continue
        draws = [({d: n for d, n in sizes.items() if d in box.dimensions()}, seed)
                 for sizes, seed in examples or []]
        if data is not None:
            draws = [({d: data.draw(dims, label=d) for d in box.dimensions()},
                      data.draw(seeds, label="seed"))]
        for sizes, seed in draws:
            environments = box.environments(sizes, seed)
            for formula in mine:
                key = (link, anchor, formula.tex, tuple(sizes.items()), seed)
                if key not in VERDICTS:  # both languages share most formulas
                    VERDICTS[key] = formula_problems(
                        Formula("", link, anchor, formula.tex), box, environments, sizes)
                problems += [formula.name + problem for problem in VERDICTS[key]]
            for claim in (c for c in claims if c.anchor == anchor):
                problems += shape_problems(claim, environments, box)
    return sorted(set(problems), key=problems.index)


BOUND_PAGES = sorted(link for link, text in page_texts("en").items()
                     if parse_page(text).boxes)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("link", BOUND_PAGES)
@settings(max_examples=EXAMPLES)
@given(data=st.data())
def test_every_formula_of_the_page_holds(link, language, data):
    problems = page_problems(link, page_texts(language), sheet_text(language), data=data,
                             language=language)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_result_box_has_a_binding_and_every_binding_a_box(language):
    texts = page_texts(language)
    boxes = {(link, anchor) for link, text in texts.items()
             for anchor in parse_page(text).boxes}
    bound = set()
    for link in texts:
        module = binding_module(link)
        bound |= {(link, anchor) for anchor in getattr(module, "BOXES", {})}
    unbound = boxes - bound
    assert unbound == set(), f"result boxes nobody binds: {sorted(unbound)}"
    assert bound - boxes == set(), f"bindings of no result box: {sorted(bound - boxes)}"


def test_every_binding_file_mirrors_a_page():
    from conftest import ROOT
    pages = {p.name.removesuffix(".md").replace("-", "_") for p in DOCS.glob("*.md")}
    for path in (ROOT / "tests" / "bindings").glob("*.py"):
        if path.stem != "__init__":
            assert path.stem in pages, f"{path.name} is named after no page"


# --- The checks can fail: wrong formulas, changed in both languages and the sheet ----

#: name: (page, the formula as written, the wrong one, a part of the message)
WRONG = {
    "dB = dC A^T": ("matrix-product.md", r"dB = A^\top dC", r"dB = dC\,A^\top",
                    r"\(dB = dC\,A^\top\): product of shapes"),
    "da_ik summed against b_jk": (
        "matrix-product.md", r"da_{ik} = \sum_j dc_{ij}\,b_{kj}",
        r"da_{ik} = \sum_j dc_{ij}\,b_{jk}", "runs over different lengths"),
    "dA = dC B without the transpose, on square shapes": (
        "matrix-product.md", r"dA = dC\,B^\top", r"dA = dC\,B", "the sides differ by"),
    "sigma' without the 1 -": (
        "activations.md", r"\sigma'(z) = \sigma(z)\bigl(1 - \sigma(z)\bigr)",
        r"\sigma'(z) = \sigma(z)\bigl(1 + \sigma(z)\bigr)", "the sides differ by"),
    "db = 1^T dY, a row": ("bias.md", r"db = dY^\top \mathbf{1}",
                           r"db = \mathbf{1}^\top dY", "the sides have shapes"),
    "a softmax gradient without 1/N": (
        "losses.md", r"dZ = \frac{1}{N}\,(P - Y)", r"dZ = (P - Y)", "the sides differ by"),
    "a mean of the wrong length": (
        "reductions.md", r"dX = \frac{1}{n}\,dy\,\mathbf{1}_n^\top",
        r"dX = \frac{1}{m}\,dy\,\mathbf{1}_n^\top", "the sides differ by"),
    "batch norm's dgamma without x hat": (
        "normalization.md", r"d\gamma = \sum_{i=1}^{N} dY_{i,:} \odot \hat X_{i,:}",
        r"d\gamma = \sum_{i=1}^{N} dY_{i,:}", "the sides differ by"),
    "relu' = 1 at 0": (
        "activations.md", r"0, & z \le 0 \end{cases}", r"0, & z < 0 \end{cases}",
        "no case of the cases applies"),
    "a wrong stated shape": (
        "elementwise.md", r"dB = A \odot dC \quad (m \times n)",
        r"dB = A \odot dC \quad (n \times m)", "the formula states"),
    "attention's weights without the mask (caught by the causal probe)": (
        "attention.md", r"P = \operatorname{softmax}(S + M)", r"P = \operatorname{softmax}(S)",
        r"\(P = \operatorname{softmax}(S)\): the sides differ by"),
    "a head's dV sent back through W_q": (
        "attention.md", r"dV_h\,W_{v,h}^\top\bigr)", r"dV_h\,W_{q,h}^\top\bigr)",
        "the sides differ by"),
    "conv1d's dx with the kernel flipped": (
        "convolution.md", r"dx_i = \sum_{t} dy_t\,w_{i - ts}",
        r"dx_i = \sum_{t} dy_t\,w_{ts - i}", "the sides differ by"),
    "conv2d's dw with the offsets swapped": (
        "convolution.md", r"x_{n,c,ps+i,qs+j}", r"x_{n,c,ps+j,qs+i}", r"dw_{fcij} ="),
    "average pooling by 1/K": (
        "convolution.md", r"a_{pqij} = \frac{1}{K^2}", r"a_{pqij} = \frac{1}{K}",
        "(case {'pool': 'avg_pool'})"),
    "max pooling that ignores ties (caught by the ties probe)": (
        "convolution.md", r"1 / t_{pq}, & x", r"1, & x", "the sides differ by"),
    "dW_h from h_t, one step late": (
        "recurrence.md", r"\sum_{t} h_{t-1}^\top dz_t", r"\sum_{t} h_t^\top dz_t",
        "the sides differ by"),
    "db as a row": (
        "recurrence.md", r"\sum_{t} dz_t^\top \mathbf{1}", r"\sum_{t} \mathbf{1}^\top dz_t",
        "the sides have shapes"),
    "the step Jacobian's factors swapped": (
        "recurrence.md", r"\operatorname{diag}(1 - h_t \odot h_t)\,W_h^\top",
        r"W_h^\top\,\operatorname{diag}(1 - h_t \odot h_t)", "the sides differ by"),
    "clipping that never shrinks": (
        "recurrence.md", r"g \leftarrow \min\Bigl(", r"g \leftarrow \max\Bigl(",
        "the sides differ by"),
    "the change of a product without A dB": (
        "differentials.md", r"\Delta(AB) = \Delta A\,B + A\,\Delta B",
        r"\Delta(AB) = \Delta A\,B", "the sides differ by"),
}

#: sizes where neighbouring dimensions differ, and all dimensions equal 2
FIXED_EXAMPLES = [
    ({"m": 2, "n": 3, "p": 4, "N": 3, "K": 4, "D": 2, "H": 3, "n_in": 2, "n_out": 4,
      "T": 3, "d": 2, "d_v": 4, "heads": 2, "F": 3, "L": 5, "C": 2, "W": 4, "K_H": 3,
      "K_W": 2, "k": 2, "q": 3, "V": 3, "P": 2, "Q": 3}, 7),
    ({"m": 2, "n": 2, "p": 2, "N": 2, "K": 2, "D": 2, "H": 2, "n_in": 2, "n_out": 2,
      "T": 2, "d": 2, "d_v": 2, "heads": 2, "F": 2, "L": 2, "C": 2, "W": 2, "K_H": 2,
      "K_W": 2, "k": 2, "q": 2, "V": 2, "P": 2, "Q": 2}, 8),
]


def broken_copies(link: str, old: str, new: str) -> dict[str, tuple[dict, str]]:
    """The pages and cheat sheet of both languages with one formula changed."""
    copies = {}
    for language in LANGUAGES:
        texts, sheet = page_texts(language), sheet_text(language)
        squash = lambda text: text.replace(old, new)  # noqa: E731
        assert old in texts[link], f"{old} is not on {link} ({language})"
        texts[link] = squash(texts[link])
        copies[language] = (texts, squash(sheet.replace(
            normalized(old), normalized(new))))
    return copies


@pytest.mark.parametrize("wrong", WRONG)
def test_detects(wrong):
    link, old, new, reported = WRONG[wrong]
    for language, (texts, sheet) in broken_copies(link, old, new).items():
        examples = [({d: s for d, s in sizes.items()}, seed)
                    for sizes, seed in FIXED_EXAMPLES]
        problems = page_problems(link, texts, sheet, examples, language=language)
        assert any(reported in p for p in problems), (language, problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_shape_line_is_read(language):
    _, words = sheet_shapes(sheet_text(language))
    assert words == [], ("shape lines beyond the vocabulary (CONTRIBUTING.md, \"Shapes in "
                         "the cheat sheet\"):\n" + "\n".join(words))


#: name: (page, the shape in both cheat sheets, the wrong one, a part of the message)
WRONG_SHAPES = {
    "a join as wide as p + p": ("indexing.md", r"m \times (p + q)", r"m \times (p + p)",
                                "has shape (2, 7), not (2, 8)"),
    "T without one padding": (
        "convolution.md", r"\lfloor (L + 2P - K) / s \rfloor + 1",
        r"\lfloor (L + P - K) / s \rfloor + 1", "T = \\lfloor (L + P - K) / s \\rfloor + 1 is"),
    "B of tr(AB) as m x n": ("differentials.md", r"\(n \times m\)", r"\(m \times n\)",
                             "B has shape (3, 2), not (2, 3) (case {'form': 'trace'})"),
    "batch norm's sigma as a column": (
        "normalization.md", r"1 \times D\)", r"D \times 1\)", "(case {'axis': 0})"),
    "dy of the shape of x": ("gradcheck.md", "`forward(x)`", "`x`", "dy has shape"),
    "a line beyond the vocabulary": ("einsum.md", "each gradient:", "every gradient:",
                                     "beyond the vocabulary"),
}


@pytest.mark.parametrize("wrong", WRONG_SHAPES)
def test_detects_a_wrong_shape_line(wrong):
    link, old, new, reported = WRONG_SHAPES[wrong]
    for language in LANGUAGES:
        texts, sheet = page_texts(language), sheet_text(language)
        if new.endswith(":"):  # the English line: the Chinese one has its own words
            sheet = sheet.replace("每个梯度都", "各梯度都")
        assert sheet.count(old) == 1 or language == "zh" and new.endswith(":"), old
        sheet = sheet.replace(old, new)
        problems = page_problems(link, texts, sheet, FIXED_EXAMPLES[:1], language=language)
        problems += [f"{w}: beyond the vocabulary" for w in sheet_shapes(sheet)[1]]
        assert any(reported in p for p in problems), (language, problems)


def test_detects_a_result_box_nobody_binds():
    texts = page_texts("en")
    texts["matrix-product.md"] += '\n## More { #more }\n\n!!! result "Result"\n\n' \
                                  '    \\[ dA = 2\\,dC \\]\n'
    problems = page_problems("matrix-product.md", texts, sheet_text("en"),
                             FIXED_EXAMPLES[:1])
    assert any("nothing binds matrix-product.md#more" in p for p in problems), problems


def test_detects_a_formula_beyond_the_grammar():
    texts = page_texts("en")
    old = r"dB = A^\top dC"
    texts["matrix-product.md"] = texts["matrix-product.md"].replace(
        old, r"dB = A^\top \star dC")
    problems = page_problems("matrix-product.md", texts, sheet_text("en"),
                             FIXED_EXAMPLES[:1])
    assert any("cannot read" in p for p in problems), problems


def test_detects_a_symbol_nothing_binds():
    texts = page_texts("en")
    texts["matrix-product.md"] = texts["matrix-product.md"].replace(
        r"dB = A^\top dC", r"dB = A^\top dQ")
    problems = page_problems("matrix-product.md", texts, sheet_text("en"),
                             FIXED_EXAMPLES[:1])
    assert any("nothing binds dQ" in p for p in problems), problems


# --- How much is checked: `uv run python tests/test_formulas.py` ---------------------


def census(language: str = "en") -> list[tuple]:
    """Per page: (page, box formulas, of them claims, sheet formulas, sheet shape lines,
    of them shape claims). Every claim is evaluated by the tests above."""
    texts, sheet = page_texts(language), sheet_text(language)
    claims, words = sheet_shapes(sheet)
    rows = []
    for link in BOUND_PAGES:
        mine = box_formulas(link, texts[link])
        skipped = [f for f in mine if NOTATION.match(normalized(f.tex)) or normalized(
            f.tex) in {normalized(k) for k in getattr(binding(link, f.anchor),
                                                       "not_claims", {})}]
        lines = [c for c in claims if c.link == link]
        prose = [w for w in words if any(f"({link}#" in r.cells[0] and w.startswith(
            f"{SHEET}.md {r.name}") for r in table_rows(sheet))]
        rows.append((link, len(mine), len(mine) - len(skipped),
                     len([f for f in sheet_formulas(sheet) if f.link == link]),
                     len(lines) + len(prose), len(lines)))
    return rows


if __name__ == "__main__":
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # snippets/, as pytest has it
    for language in LANGUAGES:
        print(language, "page, box formulas, claims, sheet formulas, shape lines, claims")
        for row in census(language):
            print("  ", *row)
        print("   shape lines in words:", *sheet_shapes(sheet_text(language))[1],
              sep="\n     ")
