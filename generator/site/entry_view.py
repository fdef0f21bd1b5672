"""Everything a page shows about one verified entry, computed once from the engine's record
(the Result) and its JSON export; templates only place it."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ..export import symbol_info
from ..expr import Call, Comp, MatScalar
from ..latex import index_latex
from ..latex_matrix import SUP, matrix_latex, matrix_tex, name_tex, paren
from ..model import LAYOUTS, Entry
from ..revisions import Revision, revisions_of
from ..sections import grouped, section_of, slug
from ..treeops import all_indices, walk
from ..verify import Result
from .arrangement import Arrangement, entry_arrangements, symbol_shape_text
from .derivation import (Step, declared_rhs, entry_formula, function_index,
                         has_inner_derivative, partial_index, partial_matrix, steps)

ASSUME_WORDS = {"positive-definite": "positive definite",
                "full-column-rank": "of full column rank",
                "full-row-rank": "of full row rank",
                "diagonalizable": "diagonalizable with real, distinct eigenvalues"}
RANK_WORDS = ("scalar", "vector", "matrix")


@dataclass(frozen=True)
class LayoutView:
    layout: str
    latex: str | None              # the matrix form, None where the layout has none
    matrix: str | None             # the same in matrix notation (as exported)
    origin: str                    # hint | carried hint | derived | none
    arrangement: Arrangement | None
    formula: str = ""              # [∂y/∂x]_{rc} = ∂y_i/∂x_k = T


@dataclass(frozen=True)
class ClaimView:
    source: str
    layout: str
    printed: str                   # LaTeX of what the source prints
    holds: bool
    erratum: bool
    note: str                      # YAML text: escape where shown
    where: str                     # eq / table / row / section / page, as text
    correct: str | None            # LaTeX of the verified form in the claim's layout
    evidence: str                  # the check's finding, in the generator's words


@dataclass
class EntryView:
    id: str
    name: str
    table: str
    table_title: str
    kind: str
    tags: list[str]
    note: str
    path: str
    line: int
    data: dict[str, Any]           # the entry's JSON export
    statement: str                 # ∂y_i/∂x_k = T, LaTeX
    function: str                  # y_i = ..., LaTeX
    function_matrix: str | None    # y = A x, LaTeX, when the entry gives the matrix form
    expression: str                # ∂(A x)/∂x, LaTeX, for the table's Expression column
    conditions: list[tuple[str, str]]   # (LaTeX of the symbol, words) pairs
    symbols: list[tuple[str, str, str]]  # (LaTeX, shape, role)
    layouts: dict[str, LayoutView]
    derivation: list[Step]
    inner_derivative: bool
    claims: list[ClaimView]
    sources: list[dict[str, Any]] = field(default_factory=list)
    revisions: list[Revision] = field(default_factory=list)
    section: str = ""              # the section's title, "" in a table without sections

    @property
    def table_page(self) -> str:
        """The page under tables/ that shows this entry's row, without `.md`."""
        return f"{self.table}/{slug(self.section)}" if self.section else self.table

    @property
    def verification(self) -> dict[str, Any]:
        return self.data["verification"]

    @property
    def largest_error(self) -> float:
        return max((s["error"] for s in self.verification["numeric"]["samples"]), default=0.0)

    @property
    def status_text(self) -> str:
        v = self.verification
        return (f"verified: general {v['general']['status']}, exact {v['exact']['status']}, "
                f"numeric {v['numeric']['status']}")


@dataclass(frozen=True)
class Section:
    """One page of a table divided into sections."""
    title: str
    page: str                      # under tables/, without `.md`: deep-learning/losses
    path: str                      # the identity file of its first entry
    entries: list[EntryView]


@dataclass(frozen=True)
class Table:
    """One table of the catalogue: its entries in the order of their file."""
    table: str
    title: str
    path: str
    entries: list[EntryView]

    @property
    def sections(self) -> list[Section]:
        """Its sections in order of first appearance; none for a table of one page."""
        return [Section(title, views[0].table_page, views[0].path, views)
                for title, views in grouped(self.entries, lambda v: v.section).items()
                if title]

    @property
    def page(self) -> str:
        """Its own page under tables/, without `.md`: the table, or its list of sections."""
        return f"{self.table}/index" if self.sections else self.table


def _where(raw: dict[str, Any]) -> str:
    keys = ("table", "row", "eq", "section", "page")
    return ", ".join(f"{k} {raw[k]}" for k in keys if raw.get(k) not in (None, ""))


def _expression(entry: Entry, info, rhs) -> str:
    """∂(A x)/∂x from the matrix hint of the function, or from an index-free function."""
    inner: tuple[str, int] | None = None
    if entry.of_hint is not None:
        inner = matrix_tex(entry.of_hint[1], info)
    elif not all_indices(rhs):
        atom = isinstance(rhs, (Call, Comp, MatScalar))
        inner = index_latex(rhs, info), SUP if atom else 0
    if inner is None:
        return partial_matrix(entry)
    tex, prec = inner            # ∂ det(X)/∂X, ∂ Aᵀ/∂X, but ∂(A x)/∂x and ∂(a/b)/∂x
    bare = prec >= SUP and "\\frac" not in tex
    return partial_matrix(entry, tex if bare else paren(tex))


def _conditions(entry: Entry, info) -> list[tuple[str, str]]:
    out = []
    for name, s in entry.symbols.items():
        tex = name_tex(name, bold=s.rank > 0)
        if s.function:
            out.append((tex + r"\colon \mathbb{R} \to \mathbb{R}", "differentiable"))
        if s.sources:
            args = ", ".join(name_tex(a, bold=entry.symbols[a].rank > 0) for a in s.sources)
            out.append((f"{tex} = {tex}({args})", ""))
        if s.assume:
            out.append((tex, ", ".join(ASSUME_WORDS.get(a, a) for a in sorted(s.assume))))
    kinks = sorted({n.func for n in walk(entry.of) if isinstance(n, Call)} & {"abs", "relu"})
    if kinks:
        out.append((r"\operatorname{" + "}, \\operatorname{".join(kinks) + "}",
                    "differentiated away from 0"))
    return out


def _symbols(entry: Entry) -> list[tuple[str, str, str]]:
    variables = {v.name for v in entry.wrt}
    out = []
    for name, s in entry.symbols.items():
        tex = name_tex(name, bold=s.rank > 0)
        if s.function:
            out.append((tex, "function", "a differentiable function of one real variable"))
            continue
        if s.integer:
            out.append((tex, "integer", "a positive integer (checked at 1, 2, 3, 4)"))
            continue
        role = ("the variable" if variables == {name} else "a variable" if name in variables
                else f"a function of {' and '.join(s.sources)}" if s.sources else "constant")
        out.append((tex, symbol_shape_text(s.shape), f"{RANK_WORDS[s.rank]}, {role}"))
    return out


def _claims(r: Result, info, data: dict[str, Any]) -> list[ClaimView]:
    """The sources' claims (not the entry's own hints); a claim without a location of its
    own is placed where the entry's source of the same reference is."""
    located = {s["ref"]: _where(s) for s in reversed(data["sources"])}
    out = []
    for c, chk in r.claims:
        if c.hint:
            continue
        form = data["layouts"].get(c.layout)
        evidence = chk.note or f"largest relative error {chk.error:.3g} against the index form"
        out.append(ClaimView(c.source, c.layout, matrix_latex(c.form, info), chk.holds,
                             c.erratum, str(c.raw.get("note") or ""),
                             _where(dict(c.raw)) or located.get(c.source, ""),
                             form["latex"] if form else None, evidence))
    return out


def entry_view(r: Result, data: dict[str, Any], table_title: str) -> EntryView:
    e = r.entry
    info = symbol_info(e)
    arr = entry_arrangements(e)
    layouts = {}
    for layout in LAYOUTS:
        lf, a = data["layouts"][layout], arr[layout]
        layouts[layout] = LayoutView(
            layout, lf["latex"] if lf else None, lf["matrix"] if lf else None,
            lf["origin"] if lf else "none", a,
            entry_formula(e, a, data["derivative_latex"]) if a else "")
    v = data["verification"]
    rhs = declared_rhs(e)
    function = function_index(e, info, rhs)
    return EntryView(
        id=e.id, name=e.name, table=e.table, table_title=table_title, kind=e.kind,
        tags=list(e.tags), note=str(e.raw.get("note") or ""), path=e.path, line=e.line,
        data=data, statement=f"{partial_index(e)} = {data['derivative_latex']}",
        function=function,
        function_matrix=(f"{name_tex(e.lhs, bold=e.function_rank > 0)} = "
                         f"{matrix_latex(e.of_hint[1], info)}" if e.of_hint else None),
        expression=_expression(e, info, rhs), conditions=_conditions(e, info),
        symbols=_symbols(e), layouts=layouts,
        derivation=steps(e, info, function, r.derived_text, data["derivative_latex"],
                         v["general"]["status"], v["exact"]["status"]),
        inner_derivative=has_inner_derivative(e), claims=_claims(r, info, data),
        sources=[{**s, "where": _where(s)} for s in data["sources"]],
        revisions=list(revisions_of(e.raw)), section=section_of(e) or "")
