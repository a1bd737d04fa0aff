"""The site's math notation, read by a machine: TeX formulas parsed and evaluated.

`parse(tex)` reads a formula as it stands on a page (the text between `\\(` and `\\)`
or `\\[` and `\\]`) into a list of statements, each a chain of sides joined by `=` or
`\\approx`. `Evaluator(env)` computes each side with numpy (or with sympy objects in
arrays of dtype object, for the derivations). The grammar is the one written down in
CONTRIBUTING.md ("The site's math notation"); a formula it cannot read is an error,
never a skip.

The meaning of the notation, in short:

* juxtaposition (with or without `\\,`) is the matrix product, or a scaling when one
  side is a scalar; `\\odot` the element-wise product; `\\cdot` a product of scalars;
* a 1-D array is a column: `dy\\,\\mathbf{1}_n^\\top` is an outer product, and a
  formula's column of length n matches numpy's vector of shape (n,);
* `dX` is one name (the gradient of L with respect to X), `d\\hat X` too; `\\Delta c`
  is one name (the change of c); `\\frac{\\partial L}{\\partial X}` means `dX`;
* a lower-case name with indices is an entry of the upper-case array: `dc_{ij}` is an
  entry of `dC`, `\\hat x_{ij}` of `\\hat X`; letters are index variables, digits are
  1-based positions (`a_{12}`), `:` a whole axis (`dY_{i,:}`), `1:p` the positions 1
  to p (`dY_{:,p+1:p+q}`); a name bound with its
  subscript (`W_1`, `db_2`) is that name;
* free index variables make an index form: the statement is checked entry by entry;
  `\\sum_j`, `\\sum_{i,k}`, `\\sum_{i=1}^{N}` and `\\max_k` run over the range the
  index has where it is used;
* a subscript may be computed (`x_{ts + k}`, `w_{i - ts}`): indices count from the
  page's first entry (1, or 0 where the binding says so); a `Sequence` is numbered as
  the page numbers it (`h_{t-1}`, `dz_{T+1}`), and `W_{o,h}` is slice h of `W_o`;
* `\\Delta(AB)` is the first-order change that the binding's `\\Delta` computes,
  `\\frac{\\partial h_t}{\\partial h_{t-1}}` a Jacobian the binding names, and in
  `g \\leftarrow f(g)` the left side is the value after the update.
"""

import inspect
import re
from dataclasses import dataclass
from functools import lru_cache
from itertools import product

import numpy as np
from lark import Lark, Token, Tree

GRAMMAR = r"""
    start: _sep* statement (_sep+ statement)* _sep*
    _sep: COMMA | IMPLIES | LINEBREAK

    statement: given? chain note*
    chain: expr (AMP? rel expr)*
    rel: EQ | APPROX | LEFTARROW
    given: NAME "(" shape ")" "\\to" shape ":"
    note: QUAD "(" shape ")"                         -> shape_note
        | "(" TEXTTT ")"                             -> setting
    shape: dim ("\\times" dim)*
         | dim COMMA
    dim: size+
    size: NUMBER | NAME SUB? | "(" expr ")"

    ?expr: sum
    ?sum: product
        | sum "+" product                            -> add
        | sum "-" product                            -> sub
        | "-" product                                -> neg
    ?product: plain
        | plain bigop                                -> mul
        | bigop
    ?plain: power
        | plain power                                -> mul
        | plain "\\odot" power                       -> hadamard
        | plain "\\cdot" power                       -> mul
        | plain "/" power                            -> div
    bigop: BIGOP SUB? sup? product
    ?power: atom
        | atom sup                                   -> power
        | atom SUB sup?                              -> subscripted
    sup: "^" TOP                                     -> transpose
       | "^" "{" TOP "}"                             -> transpose
       | "^" "{" "-" TOP "}"                         -> inverse_transpose
       | "^" NUMBER                                  -> exponent
       | "^" NAME                                    -> exponent
       | "^" "{" expr "}"                            -> exponent
    ?atom: NUMBER                                    -> number
        | name
        | name "(" args ")"                          -> apply
        | FUNC SUB? PRIME* sup? "(" args ")"         -> call
        | FUNC SUB? PRIME* sup? power                -> call
        | "(" expr ")"
        | "[" expr "]"
        | "\\{" expr "\\}"
        | "{" expr "}"
        | FRAC "{" expr "}" "{" expr "}"             -> frac
        | "\\sqrt" "{" expr "}"                      -> sqrt
        | "\\|" expr "\\|" SUB?                      -> norm
        | "\\lVert" expr "\\rVert" SUB?              -> norm
        | "\\lfloor" expr "\\rfloor"                 -> floor
        | BIGOP "(" args ")"                         -> extremum
        | "\\lvert" expr "\\rvert"                   -> abs
        | "\\langle" expr COMMA expr "\\rangle"      -> inner
        | "\\mathbf{1}" SUB?                         -> ones
        | "\\begin{bmatrix}" rows "\\end{bmatrix}"   -> matrix
        | "\\begin{cases}" cases "\\end{cases}"      -> cases
        | "\\begin{aligned}" start "\\end{aligned}"  -> aligned
    name: NAME PRIME*
    args: expr (COMMA expr)*
    rows: row (LINEBREAK row)*
    row: expr (AMP expr)*
    cases: case (LINEBREAK case)*
    case: expr COMMA AMP? condition
    condition: expr cmp expr
    cmp: GT | LT | LE | GE | NE | EQ

    COMMA: ","
    AMP: "&"
    EQ: "="
    APPROX: "\\approx"
    LEFTARROW: "\\leftarrow"
    GT: ">"
    LT: "<"
    LE: /\\leq?(?![A-Za-z])/
    GE: /\\geq?(?![A-Za-z])/
    NE: /\\neq?(?![A-Za-z])/
    IMPLIES: /\\quad\s*\\Longrightarrow\s*\\quad|\\Longrightarrow|\\implies/
    TOP: "\\top"
    QUAD: "\\quad"
    PRIME: "'"
    LINEBREAK: /\\\\(\[[^\]]*\])?/
    TEXTTT: /\\texttt\{[^}]*\}/
    FRAC: "\\frac" | "\\tfrac" | "\\dfrac"
    BIGOP: "\\sum" | "\\max" | "\\min"
    FUNC: /\\(tanh|log|exp|det|sin|cos|ln)(?![A-Za-z])/
        | /\\(operatorname|mathrm)\{[A-Za-z0-9]+\}/
    SUB: /_\{[^{}]*\}|_\{\\text\{[^{}]*\}\}|_\\text\{[^}]*\}|_\\mathrm\{[^}]*\}|_[A-Za-z0-9]/
    NAME: /(d|\\Delta\s*)?(\\hat\s*\{\s*[A-Za-z]\s*\}|\\hat\s*[A-Za-z]|[A-Za-z]|\\partial|\\(alpha|beta|gamma|varepsilon|epsilon|mu|sigma|ell|lambda|theta|Delta|Phi|varphi)(?![A-Za-z]))/
    NUMBER: /\d+(\.\d+)?/

    %ignore /\s+/
    %ignore /\\[,;!: ]/
    %ignore /\\qquad/
    %ignore /\\(bigl|bigr|Bigl|Bigr|big|Big|biggl|biggr|left|right)(?![A-Za-z])/
"""

PARSER = Lark(GRAMMAR, parser="earley", lexer="basic", ambiguity="resolve",
              start=["start", "shape"])


class FormulaError(Exception):
    """A formula that cannot be read or evaluated, with the reason."""


@lru_cache(maxsize=None)
def parse(tex: str) -> tuple[Tree, ...]:
    """The statements of a formula; raises FormulaError with the place it stops."""
    try:
        tree = PARSER.parse(tex, start="start")
    except Exception as error:  # lark's errors name the column and what it expected
        first = str(error).splitlines()[0]
        raise FormulaError(f"cannot read {tex!r}: {first}") from None
    return tuple(statements(tree))


def statements(tree: Tree):
    """The statements of a parsed formula, `aligned` systems opened up."""
    for statement in tree.children:
        if not (isinstance(statement, Tree) and statement.data == "statement"):
            continue
        sides = sides_of(statement)
        if len(sides) == 1 and sides[0].data == "aligned":
            yield from statements(sides[0].children[0])
        else:
            yield statement


def part(statement: Tree, kind: str) -> list[Tree]:
    return [c for c in statement.children if isinstance(c, Tree) and c.data == kind]


def sides_of(statement: Tree) -> list[Tree]:
    """The expressions a statement says are equal: `a = b = c` -> [a, b, c]."""
    (chain,) = part(statement, "chain")
    return [c for c in chain.children if isinstance(c, Tree) and c.data != "rel"]


def relations_of(statement: Tree) -> list[str]:
    """`EQ` or `APPROX` between each pair of sides."""
    (chain,) = part(statement, "chain")
    return [c.children[0].type for c in chain.children
            if isinstance(c, Tree) and c.data == "rel"]


def settings_of(statement: Tree) -> dict[str, str | None]:
    """`(\\texttt{axis=1})` -> {"axis": "1"}; `(\\texttt{max_pool})` -> {"max_pool": None}."""
    found = {}
    for note in part(statement, "setting"):
        text = str(note.children[0]).removeprefix("\\texttt{").removesuffix("}")
        key, equals, value = text.partition("=")
        found[key.strip()] = value.strip() if equals else None
    return found


def shape_notes_of(statement: Tree) -> list[Tree]:
    """The shapes written after a statement: `\\quad (m \\times n)`."""
    return [note.children[-1] for note in part(statement, "shape_note")]


# --- Names -----------------------------------------------------------------------------


def canonical(name: str) -> str:
    """One spelling per name: `\\hat{X}` and `\\hat X` are `\\hat X`; spaces collapsed."""
    name = re.sub(r"\\hat\s*\{\s*([A-Za-z])\s*\}", r"\\hat \1", name)
    name = re.sub(r"\\hat\s*([A-Za-z])", r"\\hat \1", name)
    name = re.sub(r"\\Delta\s*([A-Za-z])", r"\\Delta \1", name)
    return name.strip()


def capitalized(name: str) -> str:
    """The array an entry belongs to: `dc` -> `dC`, `\\hat x` -> `\\hat X`."""
    return name[:-1] + name[-1].upper()


def sub_items(sub: str) -> list[str]:
    """`_{ik}` -> [i, k]; `_{i, y_i}` -> [i, y_i]; `_\\text{in}` -> [\\text{in}]."""
    body = sub[1:]
    if body.startswith("\\"):
        return [body]
    body = body.strip("{}").strip()
    if "," in body:
        return [" ".join(item.split()) for item in body.split(",")]
    if any(c in body for c in "=_\\+-"):  # \text{in}, i=1, y_i, ts + k, t-1: one item
        return [" ".join(body.split())]
    return list(body.replace(" ", ""))


def letters_of(item: str) -> list[str]:
    """The index letters an item may use: `i` -> [i]; `ts + k` -> [t, s, k]."""
    if item.startswith("\\") or "_" in item or "=" in item or ":" in item:
        return []
    return re.findall(r"[A-Za-z]", item)


def sub_name(base: str, sub: str) -> str:
    """A subscripted name as bindings spell it: `W_1`, `n_\\text{in}`, `dZ_2`."""
    body = sub[1:]
    if body.startswith("{") and body.endswith("}"):
        body = body[1:-1].strip()
    if body.startswith("\\text") or body.startswith("\\mathrm"):
        body = body.split("{", 1)[1].rstrip("}")
    return f"{base}_{body}"


def name_of(tree) -> str:
    """The canonical name of a `name` node, primes included: `f'`, `\\sigma'`."""
    token, *primes = tree.children
    return canonical(str(token)) + "'" * len(primes)


# --- Values ----------------------------------------------------------------------------


class Sequence(dict):
    """Arrays numbered as the page numbers them: `h_0, h_1, ..., h_T` is
    `Sequence({0: h0, 1: h1, ...})`. A subscript is the number itself (`h_{t-1}`,
    `dz_{T+1}`), and an index runs over the numbers that every use of it has."""


@dataclass(frozen=True)
class ZeroOutside:
    """An array whose entries outside its range are 0, as a box says in words
    (`w_{i - ts}` is zero when i - ts falls outside 0, ..., K - 1)."""

    array: np.ndarray


class Flat(np.ndarray):
    """An array of any shape whose one subscript counts its entries in the order
    `np.ndindex` walks them (`x_k`, `dx_k` for a matrix x, as a box on arrays of any
    shape writes them); as a whole it is the array."""

    def __new__(cls, array):
        return np.asarray(array).view(cls)


def is_indexable(value) -> bool:
    return isinstance(value, (Sequence, ZeroOutside)) or np.ndim(value) > 0


@dataclass(frozen=True)
class Ones:
    """`\\mathbf{1}` without a length: a column (or row) as long as its neighbour needs."""

    row: bool = False

    def sized(self, n, dtype=float):
        return np.ones((1, n) if self.row else (n, 1), dtype=dtype)


def is_reciprocal(tree) -> bool:
    """`\\frac{1}{x}`: a factor that divides what follows, broadcast like numpy."""
    return (isinstance(tree, Tree) and tree.data == "frac"
            and isinstance(tree.children[1], Tree) and tree.children[1].data == "number"
            and str(tree.children[1].children[0]) == "1")


@dataclass(frozen=True)
class WithError:
    """A value known up to an error term: `x + O(h^2)`."""

    value: object
    error: float


@dataclass(frozen=True)
class BigO:
    """`O(h^p)`: a side that stands for an error of at most a multiple of h^p."""

    size: float


def is_scalar(value) -> bool:
    return not isinstance(value, (np.ndarray, Ones)) or value.ndim == 0


def formula_shape(value) -> tuple:
    """The shape a formula means: a vector of length n is the column n x 1."""
    shape = np.shape(value.array if isinstance(value, ZeroOutside) else value)
    return (shape[0], 1) if len(shape) == 1 else tuple(shape)


class Evaluator:
    """Computes the sides of statements in an environment of named values.

    `env` maps canonical names to arrays, scalars or functions; `\\tanh`, `\\exp`,
    `\\log`, `\\det`, `\\sqrt`, `\\operatorname{tr}` and `\\operatorname{diag}` are
    numpy's unless the environment binds them.
    """

    BUILTINS = {
        "\\tanh": np.tanh, "\\exp": np.exp, "\\log": np.log, "\\ln": np.log,
        "\\sin": np.sin, "\\cos": np.cos, "\\det": lambda X: np.linalg.det(X),
        "\\operatorname{tr}": np.trace,
        "\\operatorname{diag}": lambda X: (np.diagflat(X)  # a vector: 1-D, row or column
                                          if np.ndim(X) == 1 or 1 in np.shape(X)
                                          else np.diag(X).reshape(-1, 1)),
    }

    def __init__(self, env: dict, exact: bool = False, origin: int = 1):
        self.env = {canonical(key): value for key, value in env.items()}
        self.exact = exact  # sympy entries: no numpy ufuncs, exact e
        self.origin = origin  # the number of the first entry: a_{11}, or x_0
        self.index = {}  # index letter -> its value, counted from the origin

    # -- names ------------------------------------------------------------------------

    def lookup(self, name: str):
        if name in self.index:  # an index inside a subscript: x_{ts + k}
            return self.index[name]
        if name in self.env:
            return self.env[name]
        if name.startswith("\\partial"):
            raise FormulaError(f"{name} outside a fraction")
        if name == "e":
            import sympy
            return sympy.E if self.exact else np.e
        raise FormulaError(f"nothing binds {name}")

    def has(self, name: str) -> bool:
        return name in self.env

    def array_for(self, name: str):
        """The array an indexed name refers to: itself, or its upper-case array."""
        for candidate in (name, capitalized(name)):  # z_{ij} is an entry of Z
            if candidate in self.env and is_indexable(self.env[candidate]):
                return candidate, self.env[candidate]
        raise FormulaError(f"nothing binds {name} or {capitalized(name)}")

    def resolve(self, name: str, items: list[str]):
        """(label, array, the items that index it): `W_{o,h}` is slice h of `W_o`."""
        for k in range(len(items) - 1, 0, -1):
            label = f"{name}_{','.join(items[:k])}"
            if label in self.env and is_indexable(self.env[label]):
                return label, self.env[label], items[k:]
        label, array = self.array_for(name)
        return label, array, items

    # -- indices ----------------------------------------------------------------------

    def number(self, item: str) -> int:
        """The number a subscript item names: `12`, an index, or `ts + k`, `T+1`."""
        if item.isdigit():
            return int(item)
        if item in self.index:
            return self.index[item]
        if len(item) == 1:
            raise FormulaError(f"index {item} is not bound")
        value = self.value(parse_index(item))
        if not float(value).is_integer():
            raise FormulaError(f"index {item} = {value} is not a whole number")
        return int(value)

    def position(self, item: str):
        """One subscript item as a numpy index: number, `:`, range, entry."""
        if item == ":":
            return slice(None)
        if ":" in item:  # 1-based and inclusive: 1:p is the first p positions
            start, stop = (self.dim(end) for end in item.split(":"))
            return slice(start - 1, stop)
        if "_" in item:  # an entry used as an index: p_{i, y_i}, 0-based labels
            value = self.value(parse_index(item))
            return int(np.asarray(value).item())
        return self.number(item) - self.origin

    def entry(self, name: str, sub: str):
        label, array, items = self.resolve(name, sub_items(sub))
        if isinstance(array, Sequence):  # h_{t-1}: the array numbered t - 1
            number = self.number(items[0])
            if number not in array:
                raise FormulaError(f"{name}{sub}: no {label} numbered {number}, only "
                                   f"{min(array)} to {max(array)}")
            array, items = array[number], items[1:]
            if not items:
                return array
        positions = tuple(self.position(item) for item in items)
        if isinstance(array, Flat):
            array = np.asarray(array).reshape(-1)
        if isinstance(array, ZeroOutside):
            array = np.asarray(array.array)
            if any(isinstance(p, int) and not 0 <= p < n
                   for p, n in zip(positions, array.shape)):
                return 0.0
        return take(np.asarray(array), positions, stack=is_stack(label))

    # -- evaluation -------------------------------------------------------------------

    def value(self, tree):
        if isinstance(tree, Token):
            raise FormulaError(f"unexpected {tree}")
        method = getattr(self, "_" + tree.data, None)
        if method is None:
            raise FormulaError(f"no meaning for {tree.data}")
        return method(*tree.children)

    def _number(self, token):
        return float(token) if "." in token else int(token)

    def _name(self, token, *primes):
        name = canonical(str(token)) + "'" * len(primes)
        return self.lookup(name)

    def _subscripted(self, base, sub, sup=None):
        value = self.subscripted(base, str(sub))
        return value if sup is None else self.raise_to(value, sup)

    def subscripted(self, base, sub):
        if isinstance(base, Tree) and base.data == "name":
            name = name_of(base)
            full = sub_name(name, sub)
            if self.has(full):
                return self.env[full]
            if name in ("I", "\\mathbf{I}") and not self.has(name):
                return np.eye(self.dim(sub_items(sub)[0]))
            return self.entry(name, sub)
        raise FormulaError(f"a subscript on {base}")

    def dim(self, item):
        return int(self.value(parse_index(item)))

    def _ones(self, sub=None):
        if sub is None:  # a length from its neighbour, or the one a binding gives
            return self.env.get("\\mathbf{1}", Ones())
        return np.ones((self.dim(sub_items(str(sub))[0]), 1))

    def _power(self, base, sup):
        return self.raise_to(self.value(base), sup)

    def raise_to(self, value, sup):
        if sup.data == "transpose":  # a vector's transpose is a row
            if isinstance(value, Ones):
                return Ones(row=not value.row)
            return value.reshape(1, -1) if np.ndim(value) == 1 else value.T
        if sup.data == "inverse_transpose":
            return np.linalg.inv(value).T
        exponent = self.value(sup.children[0]) if isinstance(sup.children[0], Tree) \
            else int(sup.children[0]) if str(sup.children[0]).isdigit() \
            else self.lookup(canonical(str(sup.children[0])))
        if is_scalar(value):
            return value ** exponent
        if exponent == -1:
            return np.linalg.inv(value)
        return np.linalg.matrix_power(value, int(exponent))

    def _add(self, a, b):
        x, y = self.value(a), self.value(b)
        if isinstance(y, BigO):  # `\frac{\partial L}{\partial x_k} + O(h^2)`
            return WithError(x, y.size)
        return combine(x, y, np.add)

    def _sub(self, a, b):
        return combine(self.value(a), self.value(b), np.subtract, "-")

    def _neg(self, a):
        return -self.value(a)

    def _mul(self, a, b):
        if isinstance(a, Tree) and a.data == "name":  # f(Z) read as f times (Z)
            label = name_of(a)
            if label == "O" and not self.has("O"):
                return BigO(float(np.max(np.abs(self.value(b)))))
            if callable(self.env.get(label)):
                return self.env[label](self.value(b))
        x = self.value(a)
        if is_reciprocal(a) and not is_scalar(x):  # \frac{1}{\sigma}(...): per group
            y = self.value(b)
            result = np.asarray(y) * x
            if result.shape != np.shape(y):
                raise FormulaError(f"1/x of shape {np.shape(x)} on shape {np.shape(y)}")
            return result
        return multiply(x, self.value(b))

    def _hadamard(self, a, b):
        return combine(self.value(a), self.value(b), np.multiply, "\\odot")

    def _div(self, a, b):
        return self.value(a) / self.value(b)

    def _frac(self, _, top, bottom):
        if is_partial(bottom) and is_loss(top):  # \frac{\partial L}{\partial X} is dX
            return self.value(gradient_of(top, bottom))
        if is_partial(bottom):  # a Jacobian, which the binding names
            return self.jacobian(top, bottom)
        return self.value(top) / self.value(bottom)

    def jacobian(self, top, bottom):
        """`\\frac{\\partial h_t}{\\partial h_{t-1}}`: the binding's value under the key
        `\\partial h_t / \\partial h_{t-1}`, or its function of the indices (t)."""
        key = f"\\partial {spelled(top)} / \\partial {spelled(bottom)}"
        if key not in self.env:
            raise FormulaError(f"nothing binds the Jacobian {key}")
        value = self.env[key]
        if callable(value):
            wanted = inspect.signature(value).parameters
            missing = [k for k in wanted if k not in self.index]
            if missing:
                raise FormulaError(f"{key} needs the indices {missing}")
            return value(**{k: self.index[k] for k in wanted})
        return value

    def _floor(self, a):
        return np.floor(self.value(a))

    def _extremum(self, op, args):
        values = [self.value(arg) for arg in args.children if isinstance(arg, Tree)]
        return (np.minimum if str(op) == "\\min" else np.maximum).reduce(
            np.broadcast_arrays(*values))

    def _sqrt(self, a):
        value = self.value(a)
        if self.exact:
            import sympy
            return sympy.sqrt(value)
        return np.sqrt(value)

    def _norm(self, a, sub=None):
        return np.sqrt(np.sum(np.square(self.value(a))))

    def _abs(self, a):
        return abs(self.value(a))

    def _inner(self, a, _, b):
        x, y = self.value(a), self.value(b)
        if formula_shape(x) != formula_shape(y):
            raise FormulaError(f"\\langle\\rangle of shapes {np.shape(x)}, {np.shape(y)}")
        return np.sum(np.asarray(x) * np.asarray(y))

    def _apply(self, name, args):
        """`f(x)`: a call when f is a function, else a product (W(A + b))."""
        label = name_of(name)
        if label == "\\Delta" and len(args.children) == 1:  # \Delta(AB): the change
            return self.change(args.children[0])
        if label.startswith("\\Delta ") and not self.has(label) \
                and callable(self.env.get(label.removeprefix("\\Delta "))):
            inner = Tree("apply", [Tree("name", [Token("NAME", label[7:])]), args])
            return self.change(inner)  # \Delta f(X): the change of f(X)
        values = [self.value(arg) for arg in args.children if isinstance(arg, Tree)]
        if label == "O" and not self.has("O"):
            return BigO(float(np.max(np.abs(values[0]))))
        target = self.lookup(label)
        if callable(target):
            return target(*values)
        if len(values) != 1:
            raise FormulaError(f"{label} is not a function")
        return multiply(target, values[0])

    def change(self, tree):
        """The first-order change of an expression when every symbol X for which the
        binding gives `\\Delta X` moves by it, computed by the binding's `\\Delta`
        (a function of (f, inputs, changes), such as the page's `differential`)."""
        if not callable(self.env.get("\\Delta")):
            raise FormulaError("nothing binds \\Delta, the change of an expression")
        names = [name for name in self.env if self.has(f"\\Delta {name}")]

        def f(*values):
            inner = Evaluator({**self.env, **dict(zip(names, values))}, self.exact,
                              self.origin)
            inner.index = dict(self.index)
            return inner.value(tree)

        return self.env["\\Delta"](f, [self.env[n] for n in names],
                                    [self.env[f"\\Delta {n}"] for n in names])

    def _call(self, func, *rest):
        rest = list(rest)
        sub = rest.pop(0) if rest and isinstance(rest[0], Token) and rest[0].type == "SUB" \
            else None
        primes = 0
        while rest and isinstance(rest[0], Token) and rest[0].type == "PRIME":
            rest.pop(0)
            primes += 1
        sup = rest.pop(0) if len(rest) == 2 else None
        argument = rest[0]
        label = str(func) + "'" * primes
        if sub is not None:
            raise FormulaError(f"a subscript on {label}")
        if self.has(label):
            function = self.env[label]
        elif label in self.BUILTINS and not self.exact:
            function = self.BUILTINS[label]
        elif self.exact and label in ("\\tanh", "\\log", "\\exp"):
            import sympy
            function = {"\\tanh": sympy.tanh, "\\log": sympy.log,
                        "\\exp": sympy.exp}[label]
            function = np.vectorize(function, otypes=[object])
        else:
            raise FormulaError(f"nothing binds {label}")
        if isinstance(argument, Tree) and argument.data == "args":
            values = [self.value(arg) for arg in argument.children
                      if isinstance(arg, Tree)]
        else:
            values = [self.value(argument)]
        result = function(*values)
        return result if sup is None else self.raise_to(result, sup)

    def _bigop(self, op, *rest):
        rest = list(rest)
        sub = str(rest.pop(0)) if rest and isinstance(rest[0], Token) else None
        sup = rest.pop(0) if len(rest) == 2 else None
        body = rest[0]
        if sub is None:
            raise FormulaError(f"{op} needs its index: {op}_j")
        items = sub_items(sub)
        ranges = []
        for item in items:
            if "=" in item:  # \sum_{i=1}^{N}: i runs from 1 to N
                variable, start = (part.strip() for part in item.split("="))
                stop = self.value(sup.children[0]) if sup is not None else None
                if stop is None:
                    raise FormulaError(f"{op}_{{{item}}} needs an upper bound")
                ranges.append((variable, range(int(start), int(stop) + 1)))
            else:
                ranges.append((item, index_values(body, item, self)))
        terms = []
        saved = dict(self.index)
        for values in product(*(r for _, r in ranges)):
            self.index.update({v: k for (v, _), k in zip(ranges, values)})
            terms.append(self.value(body))
        self.index = saved
        if not terms:
            raise FormulaError(f"{op} over an empty range")
        if str(op) == "\\sum":
            total = terms[0]
            for term in terms[1:]:
                total = total + term
            return total
        return max(terms) if str(op) == "\\max" else min(terms)

    def _matrix(self, rows):
        entries = [[self.value(cell) for cell in row.children if isinstance(cell, Tree)]
                   for row in rows.children if isinstance(row, Tree)]
        if not self.exact and not all(is_scalar(e) for row in entries for e in row):
            return np.block(entries)  # a block matrix: [A  B] joins A and B side by side
        return np.array([[np.asarray(e).item() if np.ndim(e) else e for e in row]
                         for row in entries], dtype=object if self.exact else float)

    def _cases(self, cases):
        for case in cases.children:
            if not isinstance(case, Tree):
                continue
            result, condition = [c for c in case.children if isinstance(c, Tree)]
            left, op, right = condition.children
            a, b = self.value(left), self.value(right)
            holds = {"GT": a > b, "LT": a < b, "LE": a <= b, "GE": a >= b,
                     "EQ": a == b, "NE": a != b}[op.children[0].type]
            if not is_scalar(holds):
                raise FormulaError("cases on arrays: write them entry by entry")
            if holds:
                return self.value(result)
        raise FormulaError("no case of the cases applies")

    def _aligned(self, body):
        raise FormulaError("an aligned system inside an expression")


def parse_index(item: str) -> Tree:
    """A subscript item such as `y_i` or `n`, parsed as an expression."""
    (statement,) = parse(item)
    return statement.children[-1].children[0]


def is_stack(name: str) -> bool:
    """`A_s`, `dC_s`, `W_{o,h}`: an upper-case name with fewer indices than axes is a
    stack of matrices, and its indices pick along the first axes (slice s of A)."""
    return name.split("_")[0][-1].isupper()


def take(array, positions, stack=False):
    """Index an array; axes of length 1 that the subscript leaves out are dropped
    (a column x_i), but an array of 3 or more axes keeps them (dX_k, a slice of a
    stack), and so does a stack (`A_s`), whose indices pick the leading axes."""
    array = np.asarray(array)
    while not stack and len(positions) < array.ndim <= 2 and 1 in array.shape:
        array = array.reshape([n for i, n in enumerate(array.shape)
                               if i != array.shape.index(1)])
    if any(isinstance(p, int) and p < 0 for p in positions):  # numpy would wrap
        raise FormulaError(f"index {positions} before the first entry of shape "
                           f"{array.shape}")
    try:
        result = array[positions]
    except IndexError:
        raise FormulaError(f"index {positions} out of range for shape {array.shape}") \
            from None
    return result


def combine(a, b, op, sign="+"):
    """`+`, `-`, `\\odot`: same shapes, or a copy along axes of length 1 as numpy does
    it (`WA + b` with b a column, `XW + b` with b a vector), giving the larger shape."""
    if isinstance(a, Ones) or isinstance(b, Ones):
        raise FormulaError("\\mathbf{1} added to something: write its length")
    if is_scalar(a) or is_scalar(b):
        return op(a, b)
    if formula_shape(a) == formula_shape(b):
        shape = np.shape(a) if np.ndim(a) >= np.ndim(b) else np.shape(b)
        return op(np.reshape(a, shape), np.reshape(b, shape))
    try:
        result = op(a, b)
    except ValueError:
        result = None
    if result is None or np.shape(result) not in (np.shape(a), np.shape(b)):
        raise FormulaError(f"{sign} of shapes {np.shape(a)} and {np.shape(b)}")
    return result


def multiply(a, b):
    """Juxtaposition: a scaling if one side is a scalar, else the matrix product."""
    if isinstance(a, Ones) and isinstance(b, Ones):
        if a.row or not b.row:
            raise FormulaError("\\mathbf{1} times \\mathbf{1}: write their lengths")
        return OnesOuter()
    if isinstance(a, OnesOuter):
        a = np.ones((np.shape(b)[0],) * 2)
    if isinstance(b, OnesOuter):
        b = np.ones((np.shape(a)[1],) * 2)
    if isinstance(a, Ones):
        if is_scalar(b):
            raise FormulaError("\\mathbf{1} times a scalar: write its length")
        a = a.sized(1 if not a.row else np.shape(b)[0], np.asarray(b).dtype)
    if isinstance(b, Ones):
        if is_scalar(a):
            raise FormulaError("a scalar times \\mathbf{1}: write its length")
        b = b.sized(np.shape(a)[1] if not b.row else 1, np.asarray(a).dtype)
    if isinstance(a, BigO) or isinstance(b, BigO):
        raise FormulaError("O(...) inside a product")
    if is_scalar(a) or is_scalar(b):
        return a * b
    if np.ndim(a) == 1:  # a vector on the left is a column: dy 1^T
        a = np.reshape(a, (-1, 1))
    if np.shape(a)[-1] != np.shape(b)[0]:
        raise FormulaError(f"product of shapes {np.shape(a)} and {np.shape(b)}")
    return a @ b


class OnesOuter:
    """`\\mathbf{1}\\mathbf{1}^\\top`: a square of ones as large as its neighbour needs."""


def is_partial(tree) -> bool:
    return (isinstance(tree, Tree) and tree.data in ("mul", "subscripted")
            and any(isinstance(t, Token) and str(t) == "\\partial"
                    for t in tree.iter_subtrees_topdown() for t in t.children))


def gradient_of(top, bottom) -> Tree:
    """`\\frac{\\partial L}{\\partial X}` read as the site's `dX`, or `dx_k` for `x_k`."""
    loss = top.children[-1] if top.data == "mul" else None
    if loss is None or not isinstance(loss, Tree) or loss.data != "name" \
            or name_of(loss) != "L":
        raise FormulaError("only \\partial L / \\partial X is read, as dX")
    variable = bottom.children[-1]
    if variable.data == "name":
        return Tree("name", [Token("NAME", "d" + name_of(variable))])
    if variable.data == "subscripted":
        base, sub = variable.children[:2]
        return Tree("subscripted", [Tree("name", [Token("NAME", "d" + name_of(base))]),
                                    sub])
    raise FormulaError("\\partial L / \\partial of something that is not a name")


def is_loss(tree) -> bool:
    """`\\partial L`: the numerator of a gradient."""
    return (isinstance(tree, Tree) and tree.data == "mul"
            and isinstance(tree.children[-1], Tree) and tree.children[-1].data == "name"
            and name_of(tree.children[-1]) == "L")


def spelled(tree) -> str:
    """`\\partial h_{t-1}` -> `h_{t-1}`: the variable of a partial, as written."""
    variable = tree.children[-1] if tree.data == "mul" else tree
    if variable.data == "name":
        return name_of(variable)
    if variable.data == "subscripted":
        return name_of(variable.children[0]) + str(variable.children[1])
    raise FormulaError("\\partial of something that is not a name")


def shape_for(evaluator, name, array, items):
    """The axes that indices pick in an array, as `take` sees them."""
    shape = np.shape(array.array if isinstance(array, ZeroOutside) else array)
    if isinstance(array, Flat):
        shape = (array.size,)
    while not is_stack(name) and len(items) < len(shape) <= 2 and 1 in shape:
        shape = tuple(n for i, n in enumerate(shape) if i != shape.index(1))
    return shape


def index_values(tree, variable, evaluator) -> list[int]:
    """The values an index takes, from the arrays it indexes, counted from the
    evaluator's origin: the length of each axis it indexes alone (the same
    everywhere), narrowed to the numbers every Sequence it numbers has (`h_{t-1}`)."""
    lengths, allowed = {}, None
    for node in tree.iter_subtrees():
        if node.data != "subscripted":
            continue
        base, sub = node.children[:2]
        if not (isinstance(base, Tree) and base.data == "name"):
            continue
        name = name_of(base)
        if evaluator.has(sub_name(name, str(sub))):
            continue
        try:
            label, array, items = evaluator.resolve(name, sub_items(str(sub)))
        except FormulaError:
            continue
        if isinstance(array, Sequence):
            item = items[0]
            if variable in letters_of(item):
                offset = offset_of(evaluator, item, variable)
                numbers = {k - offset for k in array}
                allowed = numbers if allowed is None else allowed & numbers
            items = items[1:]
            array = next(iter(array.values()))
        if variable not in items:
            continue
        lengths[f"{name}{sub}"] = shape_for(evaluator, label, array, items)[
            items.index(variable)]
    if len(set(lengths.values())) > 1:
        spans = ", ".join(f"{n} in {where}" for where, n in lengths.items())
        raise FormulaError(f"index {variable} runs over different lengths: {spans}")
    if lengths:
        values = set(range(evaluator.origin, evaluator.origin + next(iter(
            lengths.values()))))
        allowed = values if allowed is None else allowed & values
    if allowed is None:
        raise FormulaError(f"index {variable} indexes nothing")
    return sorted(allowed)


def offset_of(evaluator, item, variable) -> int:
    """`t-1` -> -1: how far an item is from the index it uses."""
    saved = dict(evaluator.index)
    evaluator.index[variable] = 0
    try:
        return evaluator.number(item)
    finally:
        evaluator.index = saved


def free_indices(tree, evaluator) -> dict[str, list[int]]:
    """Index letters a statement uses without a sum over them, with their values."""
    letters = []
    for letter in walk_unbound(tree, frozenset(), evaluator):
        if letter not in letters and not evaluator.has(letter) \
                and letter not in evaluator.index:
            letters.append(letter)
    return {letter: index_values(tree, letter, evaluator) for letter in letters}


def walk_unbound(tree, bound, evaluator):
    """The index letters of each entry in a tree, less the indices of its sums; a
    subscript that is part of a bound name (`W_x`, the `q` of `W_{q,h}`) is none."""
    if not isinstance(tree, Tree):
        return
    if tree.data == "bigop":
        sub = next((c for c in tree.children if isinstance(c, Token) and c.type == "SUB"),
                   None)
        if sub is not None:
            bound = bound | {item.split("=")[0].strip() for item in sub_items(str(sub))}
    if tree.data == "subscripted":
        base, sub = tree.children[:2]
        if isinstance(base, Tree) and base.data == "name" \
                and not evaluator.has(sub_name(name_of(base), str(sub))):
            try:
                _, _, items = evaluator.resolve(name_of(base), sub_items(str(sub)))
            except FormulaError:
                items = sub_items(str(sub))
            for item in items:
                yield from (letter for letter in letters_of(item) if letter not in bound)
    for child in tree.children:
        yield from walk_unbound(child, bound, evaluator)
