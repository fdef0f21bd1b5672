"""The graph step of `to_matrix`: one product of factors, with its summed indices, as a
chain of matrix products, scalars uᵀMv and traces, diag(v) and outer products."""
from __future__ import annotations

from dataclasses import dataclass, field

import sympy

from .expr import Expr, MBin, MCall, MDim, MExpr, MNum, MT
from .treeops import unbound


@dataclass
class Graph:
    edges: list[tuple[MExpr, str, str]] = field(default_factory=list)   # M with rows a, cols b
    vectors: dict[str, list[MExpr]] = field(default_factory=dict)       # columns on a node
    scalars: list[MExpr] = field(default_factory=list)

    def degree(self, node: str) -> int:
        return sum((a == node) + (b == node) for _, a, b in self.edges)


def _had(vs: list[MExpr]) -> MExpr:
    out = vs[0]
    for v in vs[1:]:
        out = MBin("*", out, v)
    return out


def _matmul(parts: list[MExpr]) -> MExpr:
    out = parts[0]
    for p in parts[1:]:
        out = MBin("@", out, p)
    return out


def assemble(conv, factors: list[Expr], dummies: set[str], r, c) -> MExpr:
    from .to_matrix import NoForm
    g = Graph()
    for f in factors:
        ix = sorted(unbound(f))
        if len(ix) == 0:
            g.scalars.append(conv.convert(f, None, None))
        elif len(ix) == 1:
            g.vectors.setdefault(ix[0], []).append(conv.convert(f, ix[0], None))
        elif len(ix) == 2:
            a, b = ix
            g.edges.append((conv.convert(f, a, b), a, b))
        else:
            raise NoForm("a factor with more than two indices")
    nodes = set(g.vectors) | {a for _, a, _ in g.edges} | {b for _, _, b in g.edges}
    for n in nodes:
        if g.degree(n) > 2:
            raise NoForm(f"index {n} joins more than two matrices")
    comps = _components(g, nodes)
    col_r = col_c = both = None
    for comp in comps:
        has_r, has_c = r in comp, c in comp
        if has_r and has_c:
            both = _path(conv, g, comp, r, c)
        elif has_r:
            col_r = _path(conv, g, comp, r, None)
        elif has_c:
            col_c = _path(conv, g, comp, c, None)
        else:
            g.scalars.append(_closed(conv, g, comp))
    if both is not None:
        m = both
    elif col_r is not None and col_c is not None:
        m = MBin("@", col_r, MT(col_c))
    elif col_r is not None:
        m = col_r
    elif col_c is not None:
        m = MT(col_c)
    else:
        m = None
    nums = [s for s in g.scalars if isinstance(s, MNum)]
    others = [s for s in g.scalars if not isinstance(s, MNum)]
    out = None
    for s in nums + others + ([m] if m is not None else []):
        out = s if out is None else MBin("*", out, s)
    return out if out is not None else MNum(sympy.Integer(1))


def _components(g: Graph, nodes: set[str]) -> list[set[str]]:
    parent = {n: n for n in nodes}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x
    for _, a, b in g.edges:
        parent[find(a)] = find(b)
    groups: dict[str, set[str]] = {}
    for n in nodes:
        groups.setdefault(find(n), set()).add(n)
    return sorted(groups.values(), key=lambda s: sorted(s))


def _walk(g: Graph, comp: set[str], start: str) -> tuple[list[str], list[MExpr]]:
    """Nodes and oriented matrices along the path (or cycle) from start."""
    nodes, mats, used = [start], [], set()
    cur = start
    while True:
        step = None
        for k, (m, a, b) in enumerate(g.edges):
            if k in used or cur not in (a, b):
                continue
            step = (k, m if a == cur else MT(m), b if a == cur else a)
            break
        if step is None:
            return nodes, mats
        k, m, nxt = step
        used.add(k)
        mats.append(m)
        if nxt == start:
            return nodes, mats
        nodes.append(nxt)
        cur = nxt


def _chain(g: Graph, nodes: list[str], mats: list[MExpr], free_ends: tuple[bool, bool]) -> list[MExpr]:
    parts: list[MExpr] = []
    for k, n in enumerate(nodes):
        vs = g.vectors.get(n, [])
        end = k in (0, len(nodes) - 1)
        if vs and (not end or free_ends[0 if k == 0 else 1]):
            parts.append(MCall("diag", (_had(vs),)))
        if k < len(mats):
            parts.append(mats[k])
    return parts


def _end_vector(conv, g: Graph, node: str) -> MExpr:
    vs = g.vectors.get(node, [])
    return _had(vs) if vs else MCall("ones", (MDim(conv.dim(node)),))


def _path(conv, g: Graph, comp: set[str], start: str, stop: str | None) -> MExpr:
    from .to_matrix import NoForm
    if g.degree(start) > 1:
        raise NoForm("a free index inside a chain")
    nodes, mats = _walk(g, comp, start)
    if len(nodes) != len(comp):
        raise NoForm("not a path")
    if stop is not None:
        if nodes[-1] != stop:
            raise NoForm("free indices are not the ends of one path")
        parts = _chain(g, nodes, mats, (True, True))
        return _matmul(parts)
    if not mats:                       # a node with vectors only: their Hadamard product
        return _had(g.vectors[start])
    parts = _chain(g, nodes, mats, (True, False))
    return _matmul(parts + [_end_vector(conv, g, nodes[-1])])


def _closed(conv, g: Graph, comp: set[str]) -> MExpr:
    from .to_matrix import NoForm
    ends = [n for n in comp if g.degree(n) <= 1]
    if not ends:                       # a cycle: a trace
        start = sorted(comp)[0]
        nodes, mats = _walk(g, comp, start)
        parts = _chain(g, nodes + [start], mats, (True, False))
        return MCall("tr", (_matmul(parts),))
    start = sorted(ends)[0]
    nodes, mats = _walk(g, comp, start)
    if not mats:
        vs = g.vectors[start]
        if len(vs) == 1:
            v = vs[0]
            if isinstance(v, MCall) and v.func == "diag":
                return MCall("tr", v.args)
            return MBin("@", MT(MCall("ones", (MDim(conv.dim(start)),))), v)
        return MBin("@", MT(vs[0]), _had(vs[1:]))
    parts = _chain(g, nodes, mats, (False, False))
    return _matmul([MT(_end_vector(conv, g, nodes[0]))] + parts + [_end_vector(conv, g, nodes[-1])])


__all__ = ["assemble", "MNum"]
