"""Measurement models: ``name = expression`` parsed through an AST allowlist, then built in sympy.

User expressions are data (DESIGN.md rule 3): the text is parsed by :mod:`ast` and every node is
checked against an allowlist before a sympy expression is *constructed* node by node. Neither
``eval`` nor ``sympify`` ever sees the raw text. ``^`` means power, like ``**``.
"""

from __future__ import annotations

import ast
import keyword
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

import sympy

from jiliang.errors import InvalidInput

MAX_EXPRESSION_CHARS = 5_000
MAX_EXPRESSION_NODES = 1_000
MAX_EXPRESSION_DEPTH = 40
MAX_OUTPUTS = 20

_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")

FUNCTIONS: dict[str, tuple[int, Callable[..., sympy.Expr]]] = {
    "sqrt": (1, sympy.sqrt),
    "exp": (1, sympy.exp),
    "log": (1, sympy.log),
    "log10": (1, lambda x: sympy.log(x, 10)),
    "sin": (1, sympy.sin),
    "cos": (1, sympy.cos),
    "tan": (1, sympy.tan),
    "asin": (1, sympy.asin),
    "acos": (1, sympy.acos),
    "atan": (1, sympy.atan),
    "atan2": (2, sympy.atan2),
    "abs": (1, sympy.Abs),
    "sinh": (1, sympy.sinh),
    "cosh": (1, sympy.cosh),
    "tanh": (1, sympy.tanh),
}
BUILTIN_CONSTANTS: dict[str, sympy.Expr] = {"pi": sympy.pi, "e": sympy.E}

_BINOPS: dict[type, Callable[[sympy.Expr, sympy.Expr], sympy.Expr]] = {
    ast.Add: lambda a, b: a + b,
    ast.Sub: lambda a, b: a - b,
    ast.Mult: lambda a, b: a * b,
    ast.Div: lambda a, b: a / b,
    ast.Pow: lambda a, b: a**b,
}


@dataclass(frozen=True)
class Model:
    """One or more output equations over named input quantities.

    ``outputs`` maps each output name to its sympy expression in the input symbols (earlier
    outputs referenced by later equations are already substituted); ``inputs`` lists the input
    names in order of first appearance.
    """

    outputs: tuple[tuple[str, sympy.Expr], ...]
    inputs: tuple[str, ...]
    symbols: tuple[sympy.Symbol, ...]

    @property
    def output_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.outputs)


def symbol(name: str) -> sympy.Symbol:
    """The sympy symbol of a quantity. The leading ``_`` keeps generated code (lambdify) from ever
    confusing a quantity with a module or function name, since user names start with a letter."""
    return sympy.Symbol(f"_{name}", real=True)


def valid_name(name: str) -> bool:
    """A quantity name: a letter, then letters, digits or ``_`` (no dunder, no keyword)."""
    return bool(_NAME.match(name)) and not keyword.iskeyword(name) and name not in FUNCTIONS


def parse_model(
    equations: str | Sequence[str],
    constants: Mapping[str, float] | None = None,
    *,
    field: str = "model",
) -> Model:
    """Parse ``name = expression`` equations (a string or a list) into a :class:`Model`.

    Every name that is not a function, a built-in constant (``pi``, ``e``), a given constant
    or an earlier output becomes an input quantity. The result is immutable, so parses are
    cached by the model text (:func:`_parse`); the web page, the API and batches re-use them.
    """
    texts = (equations,) if isinstance(equations, str) else tuple(equations)
    consts = tuple(sorted((constants or {}).items()))
    # only hashable text is cached; anything else gets its error from the uncached parse
    cacheable = all(isinstance(t, str) for t in texts) and all(type(v) in (int, float) for _, v in consts)
    parse = _parse if cacheable else _parse.__wrapped__
    return parse(texts, isinstance(equations, str), consts, field)


@lru_cache(maxsize=256)
def _parse(
    texts: tuple[str, ...], single: bool, constants: tuple[tuple[str, float], ...], field: str
) -> Model:
    if not texts:
        raise InvalidInput(field, "at least one equation is required")
    if len(texts) > MAX_OUTPUTS:
        raise InvalidInput(field, f"at most {MAX_OUTPUTS} output equations are allowed")
    consts = {k: sympy.Float(v) for k, v in constants}
    builder = _Builder(consts)
    outputs: list[tuple[str, sympy.Expr]] = []
    for i, text in enumerate(texts):
        where = field if single else f"{field}[{i}]"
        name, expr = builder.equation(text, where)
        if name in builder.defined or name in consts or name in builder.symbols:
            raise InvalidInput(where, f"{name!r} is defined twice or is already used as an input")
        builder.defined[name] = expr
        outputs.append((name, expr))
    inputs = tuple(builder.symbols)
    return Model(tuple(outputs), inputs, tuple(builder.symbols[n] for n in inputs))


class _Builder:
    """Walks an allowlisted AST and constructs the sympy expression."""

    def __init__(self, constants: Mapping[str, sympy.Expr]) -> None:
        self.constants = constants
        self.defined: dict[str, sympy.Expr] = {}
        self.symbols: dict[str, sympy.Symbol] = {}

    def equation(self, text: object, where: str) -> tuple[str, sympy.Expr]:
        if not isinstance(text, str):
            raise InvalidInput(where, "an equation must be a string 'name = expression'")
        if len(text) > MAX_EXPRESSION_CHARS:
            raise InvalidInput(where, f"the equation is longer than {MAX_EXPRESSION_CHARS} characters")
        lhs, sep, rhs = text.partition("=")
        name = lhs.strip()
        if not sep or not rhs.strip() or rhs.lstrip().startswith("="):
            raise InvalidInput(where, "an equation must read 'name = expression'")
        if not valid_name(name) or name in BUILTIN_CONSTANTS:
            raise InvalidInput(where, f"{name!r} is not a valid output name")
        try:
            # ``^`` must bind like ``**`` (Python's ``^`` binds looser than ``+``)
            tree = ast.parse(rhs.strip().replace("^", "**"), mode="eval")
        except SyntaxError as exc:
            raise InvalidInput(where, f"syntax error in the expression: {exc.msg}") from None
        except (RecursionError, MemoryError, ValueError):
            raise InvalidInput(where, "the expression is nested too deeply to parse") from None
        nodes = sum(1 for _ in ast.walk(tree))
        if nodes > MAX_EXPRESSION_NODES:
            raise InvalidInput(
                where, f"the expression is too complex ({nodes} > {MAX_EXPRESSION_NODES} nodes)"
            )
        return name, self.node(tree.body, where, 0)

    def node(self, node: ast.AST, where: str, depth: int) -> sympy.Expr:
        if depth > MAX_EXPRESSION_DEPTH:
            raise InvalidInput(where, f"the expression is nested deeper than {MAX_EXPRESSION_DEPTH}")
        if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
            left = self.node(node.left, where, depth + 1)
            is_pow = isinstance(node.op, ast.Pow)
            right = self._exponent(node.right) if is_pow else None
            if right is None:
                right = self.node(node.right, where, depth + 1)
            return _BINOPS[type(node.op)](left, right)
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
            operand = self.node(node.operand, where, depth + 1)
            return -operand if isinstance(node.op, ast.USub) else operand
        if isinstance(node, ast.Constant) and type(node.value) in (int, float):
            return sympy.Float(node.value)
        if isinstance(node, ast.Name):
            return self.name(node.id, where)
        if isinstance(node, ast.Call):
            return self.call(node, where, depth)
        raise InvalidInput(where, f"{_describe(node)} is not allowed in a measurement model")

    def _exponent(self, node: ast.AST) -> sympy.Expr | None:
        """Small integer exponents stay exact so that derivatives of x^2 stay polynomial."""
        sign = 1
        if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
            sign, node = -1, node.operand
        if isinstance(node, ast.Constant) and type(node.value) is int and abs(node.value) <= 64:
            return sympy.Integer(sign * node.value)
        return None

    def name(self, ident: str, where: str) -> sympy.Expr:
        if ident in self.constants:
            return self.constants[ident]
        if ident in self.defined:
            return self.defined[ident]
        if ident in BUILTIN_CONSTANTS:
            return BUILTIN_CONSTANTS[ident]
        if not valid_name(ident):
            raise InvalidInput(where, f"{ident!r} is not an allowed name")
        if ident not in self.symbols:
            self.symbols[ident] = symbol(ident)
        return self.symbols[ident]

    def call(self, node: ast.Call, where: str, depth: int) -> sympy.Expr:
        if not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS:
            raise InvalidInput(where, f"{_describe(node.func)} is not an allowed function")
        arity, fn = FUNCTIONS[node.func.id]
        if node.keywords or len(node.args) != arity:
            raise InvalidInput(where, f"{node.func.id}() takes {arity} positional argument(s)")
        return fn(*(self.node(a, where, depth + 1) for a in node.args))


def _describe(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return repr(node.id)
    if isinstance(node, ast.Attribute):
        return f"attribute access '.{node.attr}'"
    if isinstance(node, ast.Constant):
        return f"the literal {node.value!r}"
    return f"'{type(node).__name__}'"
