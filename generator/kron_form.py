"""Vec/Kronecker forms of higher-rank derivatives (LAYOUTS.md: ∂vec Y/∂(vec X)ᵀ).

T[(a1, a2), (b1, b2)], vec-ordered with the first index fastest, is kron(P, Q) for a term
P[a2, b2] Q[a1, b1]; kron(P, Q) @ commutation(p, q) for a term P[a2, b1] Q[a1, b2] (the
pieces cross); and diag(vec(E)) for δ[a1, b1] δ[a2, b2] E[a1, a2].
"""
from __future__ import annotations

from .expr import Add, Delta, Expr, MBin, MCall, MDim, MExpr, MNeg, MT, Mul, Num, Sum
from .to_matrix import NoForm, _contract
from .treeops import rename, unbound


def _terms(e: Expr) -> list[tuple[int, list[str], list[Expr]]]:
    out = []
    for t in (e.terms if isinstance(e, Add) else (e,)):
        dummies = []
        while isinstance(t, Sum):
            dummies.append(t.index)
            t = t.body
        if isinstance(t, Add):
            raise NoForm("a nested sum")
        factors = list(t.factors) if isinstance(t, Mul) else [t]
        sign = 1
        if factors and factors[0] == Num(-1):
            sign, factors = -1, factors[1:]
        factors, dummies = _contract(factors, dummies)
        out.append((sign, dummies, factors))
    return out


def _components(factors: list[Expr], dummies: list[str]) -> list[list[Expr]]:
    groups: list[tuple[set[str], list[Expr]]] = []
    for f in factors:
        ix = unbound(f) & set(dummies)
        joined = [g for g in groups if g[0] & ix]
        merged = (set(ix), [f])
        for g in joined:
            merged[0].update(g[0])
            merged[1][:0] = g[1]
            groups.remove(g)
        groups.append(merged)
    return [g[1] for g in groups]


def _product(parts: list[Expr], dummies: list[str]) -> Expr:
    body: Expr = Mul(tuple(parts)) if len(parts) != 1 else parts[0]
    if not parts:
        body = Num(1)
    for d in dummies:
        if d in unbound(body):
            body = Sum(d, body)
    return body


def _term_form(conv, dummies, factors, rows, cols) -> MExpr:
    a1, a2 = (rows + [None, None])[:2]
    b1, b2 = (cols + [None, None])[:2]
    comps = _components(factors, dummies)
    for q_set, p_set, crossed in (({a1, b1}, {a2, b2}, False), ({a1, b2}, {a2, b1}, True)):
        q, p = [], []
        for comp in comps:
            free = set().union(*(unbound(f) for f in comp)) - set(dummies)
            if free <= q_set - {None}:
                q += comp
            elif free <= p_set - {None}:
                p += comp
            else:
                break
        else:
            qr, qc = (a1, b2) if crossed else (a1, b1)
            pr, pc = (a2, b1) if crossed else (a2, b2)
            qm = conv.convert(_product(q, dummies), qr, qc)
            pm = conv.convert(_product(p, dummies), pr, pc)
            m: MExpr = MCall("kron", (pm, qm))
            if crossed and None not in (b1, b2):   # with a size-one side nothing crosses
                m = MBin("@", m, MCall("commutation", (MDim(conv.dim(b1)), MDim(conv.dim(b2)))))
            return m
    # E[a1,a2] (or E[b1,b2]) times a pattern of deltas: diag(vec(E)) on the matching side;
    # a delta between a row and a column index lets a factor move to either side
    # a rank-one term R[a1,a2] C[b1,b2]: vec(R) @ vec(C).T
    rows_part, cols_part = [], []
    for comp in comps:
        free = set().union(*(unbound(f) for f in comp)) - set(dummies)
        if free <= {a1, a2} - {None}:
            rows_part += comp
        elif free <= {b1, b2} - {None}:
            cols_part += comp
        else:
            break
    else:
        r = conv.convert(_product(rows_part, dummies), a1, a2)
        c = conv.convert(_product(cols_part, dummies), b1, b2)
        rv = MCall("vec", (r,)) if a2 is not None else r
        cv = MCall("vec", (c,)) if b2 is not None else c
        return MBin("@", rv, MT(cv))
    deltas = [f for f in factors if isinstance(f, Delta)]
    rest = [f for f in factors if not isinstance(f, Delta)]
    if deltas and rest:
        for (x1, x2), left in (((a1, a2), True), ((b1, b2), False)):
            side = {x1, x2} - {None}
            moved = [_move(f, deltas, side) for f in rest]
            spans = [k for k, f in enumerate(moved) if _free(f, dummies) == side]
            for elementwise in (spans, list(range(len(rest)))):
                if not elementwise or not all(_free(moved[k], dummies) <= side
                                              for k in elementwise):
                    continue
                others = [f for k, f in enumerate(rest) if k not in elementwise]
                try:
                    pattern = _term_form(conv, dummies, deltas + others, rows, cols)
                except NoForm:
                    continue
                inner = conv.convert(_product([moved[k] for k in elementwise], dummies), x1, x2)
                d = MCall("diag", (MCall("vec", (inner,)) if x2 is not None else inner,))
                return MBin("@", d, pattern) if left else MBin("@", pattern, d)
    raise NoForm("no Kronecker form")


def _free(f: Expr, dummies) -> set[str]:
    return unbound(f) - set(dummies)


def _move(f: Expr, deltas: list[Delta], side: set[str]) -> Expr:
    """f with indices renamed across free-free deltas so that they fall in `side`."""
    for d in deltas:
        for old, new in ((d.i, d.j), (d.j, d.i)):
            if new in side and old not in side and old in unbound(f):
                f = rename(f, old, new)
    return f


def kron_form(conv, e: Expr, rows: list[str], cols: list[str]) -> MExpr:
    out = None
    for sign, dummies, factors in _terms(e):
        m = _term_form(conv, dummies, factors, rows, cols)
        if out is None:
            out = m if sign > 0 else MNeg(m)
        else:
            out = MBin("+" if sign > 0 else "-", out, m)
    if out is None:
        raise NoForm("zero")
    return out
