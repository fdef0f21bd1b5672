"""Einstein resolution and index checks: implicit sums become explicit Sum nodes.

NOTATION.md: free indices are never summed; any other index is summed in the innermost
product term (a parenthesised group or a function argument is its own scope) in which it
occurs two or more times. A bound index gets a name unique in the expression, so one map
from index to dimension serves the whole tree.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, fields, is_dataclass
from typing import Mapping

from .expr import (Add, Call, Comp, Delta, Deriv, Differential, Dim, Expr, Integral, MatEntry,
                   MatScalar, MCall, MDim, Mul, Num, Pow, RangeSum, Sum)
from .model import Symbol
from .shapes import ONE, ShapeError, shape_of, symbol_shape
from .treeops import Fresh, all_indices, leaf_indices, rebuild, rename, with_scalar
from .treeops import children as children_of


@dataclass
class Context:
    symbols: Mapping[str, Symbol]
    variables: tuple[str, ...]            # the entry's variable(s), for D(u)
    protected: frozenset[str]             # free indices: never summed
    problems: list[str] = field(default_factory=list)
    dims: dict[str, set[str]] = field(default_factory=dict)
    fresh: Fresh = field(default_factory=Fresh)
    bound: set[str] = field(default_factory=set)
    differential: bool = False            # whether d(X) may occur (a `differential` field)

    def problem(self, message: str) -> None:
        if message not in self.problems:
            self.problems.append(message)

    def check_dimension(self, name: str, where: str) -> None:
        """A dimension written in an expression must be one a symbol has, or a fixed size
        within the limit that shapes have: nothing else gives it a size to sample."""
        if name.isdigit():
            if not 1 <= int(name) <= MAX_FIXED:
                self.problem(f"{where}: a fixed dimension is an integer 1 to {MAX_FIXED}")
        elif name not in {d for s in self.symbols.values() for d in s.shape}:
            self.problem(f"{where}: '{name}' is not a dimension of any declared symbol")


MAX_FIXED = 64          # the largest fixed size of a dimension (as in a symbol's shape)


def resolve(expr: Expr, ctx: Context) -> tuple[Expr, set[str]]:
    """The tree with explicit sums, and the indices it leaves unbound."""
    ctx.fresh.used |= all_indices(expr) | set(ctx.protected)
    out, exposed = _term(expr, ctx, ctx.protected)
    return out, exposed


def _term(e: Expr, ctx: Context, protected: frozenset[str]) -> tuple[Expr, set[str]]:
    factors = e.factors if isinstance(e, Mul) else (e,)
    counts: Counter[str] = Counter()
    new = []
    for f in factors:
        f2, occ = _factor(f, ctx, protected)
        new.append(f2)
        counts += occ
    node: Expr = Mul(tuple(new)) if isinstance(e, Mul) else new[0]
    bind = sorted(i for i, c in counts.items() if c >= 2 and i not in protected)
    for i in bind:
        name = i
        if i in ctx.bound:          # already bound elsewhere in this expression: rename
            name = ctx.fresh(i + "1" if i + "1" not in ctx.fresh.used else "")
            node = rename(node, i, name)
        ctx.bound.add(name)
        node = Sum(name, node)
    return node, {i for i in counts if i not in bind}


def _factor(e: Expr, ctx: Context, protected: frozenset[str]) -> tuple[Expr, Counter[str]]:
    if isinstance(e, (Comp, Deriv, Differential, MatEntry, Delta)):
        _check_leaf(e, ctx)
        return e, Counter(leaf_indices(e))
    if isinstance(e, Dim):
        ctx.check_dimension(e.name, f"dim({e.name})")
        return e, Counter()
    if isinstance(e, Num):
        return e, Counter()
    if isinstance(e, MatScalar):
        _check_matrix_dims(e.arg, ctx)
        try:
            _check_matrix_arg(e.arg, ctx)
        except ShapeError:
            pass
        return e, Counter()
    if isinstance(e, Pow):
        b, cb = _factor(e.base, ctx, protected)
        x, cx = _factor(e.exp, ctx, protected)
        return Pow(b, x), cb + cx
    if isinstance(e, Add):
        terms, exposed = [], set()
        for t in e.terms:
            t2, ex = _term(t, ctx, protected)
            terms.append(t2)
            exposed |= ex
        return Add(tuple(terms)), Counter(exposed)
    if isinstance(e, Mul):
        node, exposed = _term(e, ctx, protected)
        return node, Counter(exposed)
    if isinstance(e, Call):
        sym = ctx.symbols.get(e.func)
        if e.func not in ("exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "relu",
                          "abs", "conj") and not (sym and sym.function):
            ctx.problem(f"unknown function '{e.func}'")
        arg, exposed = _term(e.arg, ctx, protected)
        return Call(e.func, arg, e.order), Counter(exposed)
    if isinstance(e, Sum):
        if e.index in protected:
            ctx.problem(f"sum index '{e.index}' is already a free or summed index here")
            return e, Counter()
        name, body = e.index, e.body
        if name in ctx.bound:
            name = ctx.fresh()
            body = rename(body, e.index, name)
        ctx.bound.add(name)
        body, exposed = _term(body, ctx, protected | {name})
        if name not in exposed:
            ctx.problem(f"sum index '{e.index}' does not occur in its body")
        return Sum(name, body, e.dim), Counter(exposed - {name})
    if isinstance(e, RangeSum):
        # sum(r, lo, hi, body): the body is its own scope, like a function argument; the
        # bounds are integer expressions (checked by powers.integer_problems); inside it the
        # summation variable is an integer scalar (r * ..., c(r))
        outer = ctx.symbols
        if e.var not in outer:
            ctx.symbols = {**outer, e.var: Symbol(e.var, integer=True)}
        try:
            body, exposed = _term(e.body, ctx, protected)
        finally:
            ctx.symbols = outer
        return RangeSum(e.var, e.lo, e.hi, body), Counter(exposed)
    if isinstance(e, Integral):
        # integral(v, lo, hi, body): the body is its own scope; v is a real scalar in it
        if e.var in ctx.symbols:
            ctx.problem(f"integration variable '{e.var}' is already a symbol here")
        outer = ctx.symbols
        ctx.symbols = with_scalar(outer, e.var)
        try:
            body, exposed = _term(e.body, ctx, protected)
        finally:
            ctx.symbols = outer
        return Integral(e.var, e.lo, e.hi, body), Counter(exposed)
    ctx.problem(f"unexpected {type(e).__name__}")
    return e, Counter()


def _check_leaf(e: Expr, ctx: Context) -> None:
    if isinstance(e, Comp):
        sym = ctx.symbols.get(e.name)
        if sym is None:
            ctx.problem(f"undeclared symbol '{e.name}'")
        elif sym.function:
            ctx.problem(f"'{e.name}' is a function and needs an argument")
        elif len(e.indices) != sym.rank:
            ctx.problem(f"'{e.name}' has rank {sym.rank} but is written with "
                        f"{len(e.indices)} ind{'ex' if len(e.indices) == 1 else 'ices'}")
    elif isinstance(e, Deriv):
        _check_deriv(e, ctx)
    elif isinstance(e, Differential):
        sym = ctx.symbols.get(e.name)
        if not ctx.differential:
            ctx.problem(f"d({e.name}) may occur only in a 'differential'")
        elif sym is None or e.name not in ctx.variables:
            ctx.problem(f"d({e.name}) must be the differential of the variable")
        elif len(e.indices) != sym.rank:
            ctx.problem(f"d({e.name}) needs {sym.rank} indices")
    elif isinstance(e, MatEntry):
        _check_matrix_dims(e.arg, ctx)
        try:
            r, c = _check_matrix_arg(e.arg, ctx, e.func)
        except ShapeError:
            return
        want = sum(1 for s in (r, c) if s != ONE)
        if len(e.indices) not in (want, 2) or (len(e.indices) == 2 and want < 2 and r != c):
            ctx.problem(f"a {r}x{c} matrix expression is written with {len(e.indices)} indices")


def deriv_by(e_name: str, by: str, ctx: Context) -> list[str] | None:
    """The variable symbols a derivative D(name, by) is taken by, or None if not allowed."""
    sym = ctx.symbols.get(e_name)
    if sym is None or not sym.depends_on:
        return None
    if sym.inputs:     # U(x, y): D(U, x), D(U, y), D(U, x, y), each variable named
        parts = by.split(",") if by else []
        return parts if parts and all(p in sym.inputs for p in parts) else None
    if not by:
        return [ctx.variables[0]] if sym.depends_on == ctx.variables[0] else None
    parts = by.split(",")
    if parts[0] != sym.depends_on:
        return None
    return parts


def _check_deriv(e: Deriv, ctx: Context) -> None:
    sym = ctx.symbols.get(e.name)
    if sym is None:
        ctx.problem(f"undeclared symbol '{e.name}' in D(...)")
        return
    by = deriv_by(e.name, e.by, ctx)
    if by is None:
        what = e.by or "the variable"
        ctx.problem(f"D({e.name}{', ' + e.by if e.by else ''}): '{e.name}' does not depend "
                    f"directly on {what}")
        return
    want = sym.rank + sum(ctx.symbols[b].rank for b in by if b in ctx.symbols)
    if len(e.indices) != want:
        ctx.problem(f"D({e.name}{', ' + e.by if e.by else ''}) needs {want} indices, "
                    f"not {len(e.indices)}")


def _check_matrix_dims(m, ctx: Context) -> None:
    """The dimensions named in eye(n), ones(n), unvec(v, p, q), commutation(m, n)."""
    stack = [m]
    while stack:
        node = stack.pop()
        if isinstance(node, MCall):
            for a in node.args:
                if isinstance(a, MDim):
                    ctx.check_dimension(a.name, f"{node.func}()")
        for f in fields(node) if is_dataclass(node) else ():
            value = getattr(node, f.name)
            stack += [c for c in (value if isinstance(value, tuple) else (value,))
                      if is_dataclass(c)]


def _check_matrix_arg(m, ctx: Context, func: str = ""):
    def deriv(name: str, by: str):
        sym = ctx.symbols.get(name)
        var = ctx.symbols.get(ctx.variables[0])
        if sym is not None and sym.inputs and by and all(b in sym.inputs for b in by.split(",")):
            return symbol_shape(sym)      # U(x, y): D(U, x) and D(U, x, y) have U's shape
        if by or sym is None or var is None or var.rank != 0 or sym.depends_on != var.name:
            raise ShapeError(f"D({name}) inside a matrix argument needs a scalar variable")
        return symbol_shape(sym)
    try:
        s = shape_of(m, ctx.symbols, deriv)
        if func in ("inv", "adj", "expm", "logm", "sinm", "cosm") and s[0] != s[1]:
            raise ShapeError(f"{func}() of a non-square matrix")
        if func == "pinv":
            return s[1], s[0]
        return s
    except ShapeError as err:
        ctx.problem(f"matrix expression: {err}")
        raise


def assign_dims(e: Expr, ctx: Context, known: Mapping[str, str]) -> tuple[Expr, dict[str, str]]:
    """Give every index its dimension; report an index that runs over two. Returns the tree
    with each Sum's dim filled in, and the map for every index."""
    seen: dict[str, set[str]] = {i: {d} for i, d in known.items()}
    links: list[tuple[str, str]] = []

    def note(i: str, d: str) -> None:
        seen.setdefault(i, set()).add(d)

    def visit(n: Expr, symbols: Mapping[str, Symbol] = ctx.symbols) -> None:
        if isinstance(n, Comp):
            sym = symbols.get(n.name)
            if sym is not None and len(sym.shape) == len(n.indices):
                for i, d in zip(n.indices, sym.shape):
                    note(i, d)
        elif isinstance(n, Differential):
            sym = symbols.get(n.name)
            if sym is not None and len(sym.shape) == len(n.indices):
                for i, d in zip(n.indices, sym.shape):
                    note(i, d)
        elif isinstance(n, Deriv):
            by = deriv_by(n.name, n.by, ctx) or []
            shape = symbols[n.name].shape if n.name in symbols else ()
            for b in by:
                shape += symbols[b].shape if b in symbols else ()
            if len(shape) == len(n.indices):
                for i, d in zip(n.indices, shape):
                    note(i, d)
        elif isinstance(n, MatEntry):
            try:
                r, c = _check_matrix_arg(n.arg, Context(symbols, ctx.variables,
                                                        ctx.protected), n.func)
            except ShapeError:
                return
            sizes = [str(s) for s in (r, c) if s != ONE] if len(n.indices) == 1 else [str(r), str(c)]
            for i, d in zip(n.indices, sizes):
                note(i, d)
        elif isinstance(n, Delta):
            links.append((n.i, n.j))
        if isinstance(n, Integral):
            symbols = with_scalar(symbols, n.var)
        for c in children_of(n):
            visit(c, symbols)

    visit(e)
    for _ in range(len(links) + 1):  # a delta carries a dimension from one index to the other
        for a, b in links:
            union = seen.get(a, set()) | seen.get(b, set())
            seen[a], seen[b] = set(union), set(union)
    out: dict[str, str] = {}
    if not ctx.problems:    # only where nothing else is wrong: it would repeat the cause
        for i in sorted(all_indices(e)):
            if not seen.get(i):
                ctx.problem(f"cannot tell the dimension of index '{i}' (it must index a "
                            "symbol)")
    for i, ds in sorted(seen.items()):
        if len(ds) > 1:
            ctx.problem(f"index '{i}' runs over different dimensions: {', '.join(sorted(ds))}")
        if ds:
            out[i] = sorted(ds)[0]

    def fill(n: Expr) -> Expr:
        if isinstance(n, Sum):
            return Sum(n.index, fill(n.body), out.get(n.index, ""))
        kids = children_of(n)
        return rebuild(n, [fill(k) for k in kids]) if kids else n
    return fill(e), out
