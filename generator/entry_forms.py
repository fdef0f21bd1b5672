"""The index-notation half of the form checks: `of`, `wrt`, `derivative`/`differential`.

Parses each field with the project's own parsers, resolves Einstein sums and checks ranks,
indices and dimensions against NOTATION.md.
"""
from __future__ import annotations

from typing import Mapping

import sympy

from .canonical import NotLinear, check_linear_in_differential, normal_form
from .derive import DeriveError, from_differential_to_derivative
from .expr import Add, Mul, NotationError, Num, Pow
from .load import Located, plain
from .model import Claim, Entry, Symbol, Variable
from .parse_index import parse_equation, parse_index, parse_variable
from .printing import index_text
from .resolve import Context, assign_dims, resolve
from .powers import differential_as_derivative, integer_problems, uses_powers
from .treeops import all_indices, walk

# A power with a larger exponent (9^9^9, t^99999999) cannot be worked with exactly: the checks
# would run out of time or memory on it. The catalogue's exponents are small numbers.
MAX_EXPONENT = 1000
_HUGE = sympy.Integer(10) ** 100


class _Stop(Exception):
    pass


def _text(value: Located, what: str, problems: list) -> str:
    v = value.value
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        problems.append((value.line, f"{what} must be text"))
        raise _Stop
    if isinstance(v, float) and v - v != 0:        # .nan, .inf: not numbers to compute with
        problems.append((value.line, f"{what} must be a finite number"))
        raise _Stop
    return repr(v) if isinstance(v, float) else str(v)


def _parse(fn, value: Located, what: str, problems: list, *args):
    text = _text(value, what, problems)
    try:
        tree = fn(text, *args)
    except NotationError as e:
        col = f" (column {e.column + 1})" if e.column is not None else ""
        problems.append((value.line, f"{what}: {e.message}{col}"))
        raise _Stop
    big = _large_exponent(tree[-1] if isinstance(tree, tuple) else tree)   # of: the right side
    if big:
        problems.append((value.line, f"{what}: {big}"))
        raise _Stop
    return text, tree


def _constant(e) -> sympy.Expr | None:
    """The value of a subtree made of numbers only (or None), with anything beyond _HUGE
    standing as infinity, so that it is never computed."""
    if isinstance(e, Num):
        return e.value if abs(e.value) <= _HUGE else sympy.oo
    if isinstance(e, (Add, Mul)):
        parts = [_constant(c) for c in (e.terms if isinstance(e, Add) else e.factors)]
        if any(p is None for p in parts):
            return None
        if any(p == sympy.oo for p in parts):
            return sympy.oo
        out = sympy.Add(*parts) if isinstance(e, Add) else sympy.Mul(*parts)
        return out if out.is_finite and abs(out) <= _HUGE else sympy.oo
    if isinstance(e, Pow):
        base, x = _constant(e.base), _constant(e.exp)
        if base is None or x is None:
            return None
        if sympy.oo in (base, x) or abs(x) > MAX_EXPONENT:
            return sympy.oo
        if base == 0 and not x.is_positive:
            return None
        out = base ** x
        return out if out.is_finite and abs(out) <= _HUGE else sympy.oo
    return None


def _large_exponent(tree) -> str:
    """A message if some power's exponent is a number too large to work with."""
    if isinstance(tree, tuple):         # wrt: a name and indices, no powers
        return ""
    for n in walk(tree):
        if isinstance(n, Pow):
            x = _constant(n.exp)
            if x is not None and (x == sympy.oo or abs(x) > MAX_EXPONENT):
                return (f"an exponent larger than {MAX_EXPONENT} (in size) cannot be checked")
    return ""


def _variables(node: Located, symbols: Mapping[str, Symbol], problems: list) -> tuple[Variable, ...]:
    items = node.value if isinstance(node.value, list) else [node]
    if not 1 <= len(items) <= 2:
        problems.append((node.line, "wrt must be one variable or a list of two"))
        raise _Stop
    out = []
    for item in items:
        _, (name, idx) = _parse(parse_variable, item, "wrt", problems)
        sym = symbols.get(name)
        if sym is None:
            problems.append((item.line, f"wrt: undeclared symbol '{name}'"))
        elif sym.function or sym.depends_on or sym.integer:
            problems.append((item.line, f"wrt: '{name}' must be a plain variable"))
        elif len(idx) != sym.rank:
            problems.append((item.line, f"wrt: '{name}' has rank {sym.rank} but is written "
                                        f"with {len(idx)} indices"))
        elif len(set(idx)) != len(idx):
            problems.append((item.line, "wrt: repeated index"))
        out.append(Variable(name, idx))
    if problems:
        raise _Stop
    if len(out) == 2 and set(out[0].indices) & set(out[1].indices):
        problems.append((node.line, "wrt: the two variables need different indices"))
        raise _Stop
    return tuple(out)


def check_forms(f: dict, symbols: Mapping[str, Symbol], functions: frozenset[str], eid: str,
                table: str, path: str, line: int, tags: tuple[str, ...],
                claims: tuple[Claim, ...], of_hint) -> tuple[Entry | None, list]:
    problems: list[tuple[int, str]] = []
    try:
        return _check(f, symbols, functions, eid, table, path, line, tags, claims, of_hint,
                      problems), problems
    except _Stop:
        return None, problems


def _check(f, symbols, functions, eid, table, path, line, tags, claims, of_hint, problems):
    of_text, (lhs, lhs_idx, of_expr) = _parse(parse_equation, f["of"], "of", problems, functions)
    if lhs in symbols:
        problems.append((f["of"].line, f"of: the left side '{lhs}' is also a declared symbol"))
    if len(set(lhs_idx)) != len(lhs_idx) or len(lhs_idx) > 2:
        problems.append((f["of"].line, "of: the left side needs at most two distinct indices"))
    wrt = _variables(f["wrt"], symbols, problems)
    var_names = tuple(v.name for v in wrt)
    if set(lhs_idx) & {i for v in wrt for i in v.indices}:
        problems.append((f["wrt"].line, "wrt: the variable's indices must differ from the "
                                        "left side's"))
    if problems:
        raise _Stop

    ctx = Context(symbols, var_names, frozenset(lhs_idx))
    of_res, exposed = resolve(of_expr, ctx)
    for i in sorted(exposed - set(lhs_idx)):
        ctx.problem(f"index '{i}' is neither free nor summed (free: {', '.join(lhs_idx) or 'none'})")
    for i in lhs_idx:
        if i not in exposed:
            ctx.problem(f"free index '{i}' of the left side does not occur on the right side")
    of_res, of_dims = assign_dims(of_res, ctx, {})
    problems += [(f["of"].line, f"of: {m}") for m in ctx.problems]
    problems += [(f["of"].line, f"of: {m}") for m in integer_problems(of_expr, symbols)]
    if problems:
        raise _Stop

    unknown = [i for i in lhs_idx if i not in of_dims]
    if unknown:
        problems.append((f["of"].line, f"of: cannot tell the dimension of free index "
                                       f"'{unknown[0]}' (it must index a symbol)"))
        raise _Stop
    dims = {i: of_dims[i] for i in lhs_idx}
    for v in wrt:
        dims.update(zip(v.indices, symbols[v.name].shape))
    free = lhs_idx + tuple(i for v in wrt for i in v.indices)
    declared_as = "derivative" if "derivative" in f else "differential"
    node = f[declared_as]
    if any("complex" in s.assume for s in symbols.values()) and (
            declared_as != "differential" or len(wrt) != 1
            or any(s.depends_on or s.function for s in symbols.values())):
        # complex symbols (an extension): the differential, an R-linear map, is the claim
        problems.append((node.line, "with a complex symbol, state a 'differential' by one "
                                    "variable, without dependent symbols or functions"))
        raise _Stop
    parsed_text, parsed = _parse(parse_index, node, declared_as, problems, functions)
    expect = free if declared_as == "derivative" else lhs_idx
    ctx = Context(symbols, var_names, frozenset(expect),
                  differential=declared_as == "differential")
    res, exposed = resolve(parsed, ctx)
    for i in sorted(exposed - set(expect)):
        ctx.problem(f"index '{i}' is neither free nor summed (free: {', '.join(expect) or 'none'})")
    res, all_dims = assign_dims(res, ctx, {i: dims[i] for i in expect})
    problems += [(node.line, f"{declared_as}: {m}") for m in ctx.problems]
    problems += [(node.line, f"{declared_as}: {m}") for m in integer_problems(parsed, symbols)]
    if problems:
        raise _Stop
    text, display = parsed_text, parsed
    if declared_as == "differential" and uses_powers(res):
        # mpow and range sums are out of reach of the normal form: d(X)[a,b] is read as
        # delta[a,k] * delta[b,l] directly (linearity is then checked by the numeric level)
        if len(wrt) != 1 or set(wrt[0].indices) & all_indices(res):
            problems.append((node.line, "differential: with mpow or sum(r, lo, hi, ...), one "
                                        "variable whose indices do not occur in the "
                                        "differential"))
            raise _Stop
        res, display = (differential_as_derivative(t, wrt[0]) for t in (res, parsed))
        text = index_text(display)
    elif declared_as == "differential" and any("complex" in s.assume for s in symbols.values()):
        try:    # kept as a differential (d(X) atoms): see verify._verify_complex
            check_linear_in_differential(normal_form(res, lhs_idx, symbols), wrt[0].name)
        except NotLinear as e:
            problems.append((node.line, f"differential: {e}"))
            raise _Stop
    elif declared_as == "differential":
        if len(wrt) != 1:
            problems.append((node.line, "differential: one variable only"))
            raise _Stop
        try:
            res = from_differential_to_derivative(res, wrt[0], symbols, dims, lhs_idx)
        except DeriveError as e:
            problems.append((node.line, f"differential: {e}"))
            raise _Stop
        text, display = index_text(res.display), res.display
        res = res.expr
    return Entry(id=eid, name=f["name"].value, table=table, path=path, line=line,
                 symbols=symbols, lhs=lhs, lhs_indices=lhs_idx, of=of_res, of_text=of_text,
                 wrt=wrt, derivative=res, derivative_text=text, derivative_display=display,
                 declared_as=declared_as,
                 index_dims=dims, of_hint=of_hint, claims=claims,
                 sources=tuple(plain(s) for s in f["sources"].value)
                 if "sources" in f and isinstance(f["sources"].value, list) else (),
                 tags=tags, raw=plain(Located(f, line)), lines={k: v.line for k, v in f.items()})
