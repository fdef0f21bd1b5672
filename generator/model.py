"""The checked form of a catalogue entry: what `check_form` produces and later stages read."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from .expr import Expr, MExpr

LAYOUTS = ("numerator", "denominator", "mixed")
ASSUMPTIONS = ("symmetric", "invertible", "positive-definite", "orthogonal", "diagonal",
               "full-column-rank", "positive", "nonzero", "complex",   # complex: an extension
               "diagonalizable",   # an extension: real, simple spectrum (spectral functions)
               "full-row-rank")    # an extension: q x p, q <= p, rank q (pinv's closed form)
RANK_NAMES = ("scalar", "vector", "matrix")


@dataclass(frozen=True)
class Symbol:
    name: str
    shape: tuple[str, ...] = ()          # dimension names, or integers written as text
    assume: frozenset[str] = frozenset()
    depends_on: str = ""                  # the symbol it is a function of ('' = constant)
    function: bool = False                # an abstract scalar function f: R -> R
    integer: bool = False                 # `integer: positive`: an exponent n = 1, 2, 3, ...
    # `depends_on: [x, y]` (an extension): a function of two or more scalar variables, each
    # differentiated apart (D(U, x), D(U, y), D(U, x, y)); depends_on is then the first
    inputs: tuple[str, ...] = ()

    @property
    def sources(self) -> tuple[str, ...]:
        """The symbols this one is a function of (none for a constant)."""
        return self.inputs or ((self.depends_on,) if self.depends_on else ())

    @property
    def rank(self) -> int:
        return len(self.shape)

    @property
    def symmetric(self) -> bool:
        return bool(self.assume & {"symmetric", "positive-definite"}) or (
            "diagonal" in self.assume)


@dataclass(frozen=True)
class Claim:
    """A form that a source (or the entry's own `matrix:` hint) prints, in one layout."""
    source: str
    layout: str
    text: str
    form: MExpr
    erratum: bool
    line: int
    raw: Mapping[str, Any] = field(default_factory=dict)
    hint: bool = False                    # a `matrix:` hint rather than a source's claim


@dataclass(frozen=True)
class Variable:
    name: str
    indices: tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    """One identity, parsed and resolved (every Einstein sum an explicit Sum node)."""
    id: str
    name: str
    table: str
    path: str
    line: int
    symbols: Mapping[str, Symbol]
    lhs: str                              # the function's name on the left of `of`
    lhs_indices: tuple[str, ...]
    of: Expr
    of_text: str
    wrt: tuple[Variable, ...]             # one variable, or two for a second derivative
    derivative: Expr                      # the claim T[I, K], resolved
    derivative_text: str                  # as declared (or as converted from `differential`)
    derivative_display: Expr              # as written: Einstein sums implicit, for LaTeX
    declared_as: str                      # 'derivative' or 'differential'
    index_dims: Mapping[str, str]         # the dimension of every free index
    of_hint: tuple[str, MExpr] | None
    claims: tuple[Claim, ...]             # hints first, then the sources' claims
    sources: tuple[Mapping[str, Any], ...]
    tags: tuple[str, ...]
    raw: Mapping[str, Any]
    lines: Mapping[str, int]

    @property
    def free(self) -> tuple[str, ...]:
        """T's indices in order: the function's, then each variable's."""
        out = self.lhs_indices
        for v in self.wrt:
            out += v.indices
        return out

    @property
    def function_rank(self) -> int:
        return len(self.lhs_indices)

    @property
    def kind(self) -> str:
        """`<function>-by-<variable>` (NOTATION.md, Export)."""
        parts = [RANK_NAMES[self.function_rank]]
        parts += [RANK_NAMES[self.symbols[v.name].rank] for v in self.wrt]
        return "-by-".join(parts)

    def dims_of(self, indices: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.index_dims[i] for i in indices)

    @property
    def variable(self) -> Symbol:
        return self.symbols[self.wrt[0].name]

    def dependency_order(self) -> list[str]:
        """Dependent symbols, each after the symbol it depends on."""
        deps = {n: s.depends_on for n, s in self.symbols.items() if s.depends_on}
        out: list[str] = []
        while len(out) < len(deps):
            for n, w in sorted(deps.items()):
                if n not in out and (w not in deps or w in out):
                    out.append(n)
        return out

    def functions(self) -> frozenset[str]:
        return frozenset(n for n, s in self.symbols.items() if s.function)
