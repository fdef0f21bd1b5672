"""Numeric values of resolved index-notation trees and of matrix-notation trees (NOTATION.md).

An index expression evaluates to a labelled array: an array with one index name per axis.
Products are single np.einsum calls over the union of their factors' labels (a Mul never
sums; only Sum nodes do), so nothing loops over components. Matrix notation evaluates to
2-D arrays with NumPy semantics, vectors as n x 1 columns and scalars as 1 x 1.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Callable, Mapping

import numpy as np

from .expr import (Add, Call, Comp, Delta, Deriv, Differential, Dim, Expr, Integral, MatEntry,
                   MatScalar, MBin, MCall, MD, MDim, MExpr, MNeg, MNum, MSym, MT, Mul, Num, Pow,
                   Sum)
from .treeops import children

Labelled = tuple[np.ndarray, tuple[str, ...]]

ELEMENTWISE: dict[str, Callable[[np.ndarray], np.ndarray]] = {
    "exp": np.exp, "log": np.log, "sqrt": np.sqrt, "sin": np.sin, "cos": np.cos,
    "tan": np.tan, "tanh": np.tanh, "abs": np.abs,
    "sigmoid": lambda z: 0.5 * (1.0 + np.tanh(0.5 * z)),   # no overflow for large |z|
    "relu": lambda z: np.maximum(z, 0.0),
    "conj": np.conj,      # the identity on real values (complex symbols: see numeric.py)
}


def _real_or_complex(value) -> np.ndarray:
    """float, unless the value is complex (a complex symbol's sample, see numeric.py)."""
    arr = np.asarray(value)
    return arr if np.iscomplexobj(arr) else arr.astype(float)


@dataclass(frozen=True)
class Env:
    """Everything a numeric evaluation reads (see the module docstring of numeric.py)."""
    values: Mapping[str, np.ndarray]
    derivs: Mapping[tuple[str, str], np.ndarray] = field(default_factory=dict)
    functions: Mapping[str, tuple[Callable, ...]] = field(default_factory=dict)
    dims: Mapping[str, int] = field(default_factory=dict)
    deriv_matrices: Mapping[tuple[str, str], np.ndarray] = field(default_factory=dict)

    def size(self, dim: str) -> int:
        """The size of a dimension name, or of an integer written as text."""
        from .shapes import size_of
        try:
            return size_of(dim, self.dims)
        except (KeyError, ValueError):
            raise ValueError(f"no size for dimension '{dim}'") from None


# --- index notation -------------------------------------------------------------------------

def evaluate_index(expr: Expr, env: Env, order: tuple[str, ...],
                   sizes: Mapping[str, int] | None = None) -> np.ndarray:
    """The value of `expr` with axes the free indices in `order`; an index of `order` that
    the expression lacks is broadcast (its size from `sizes` or from the tree)."""
    cache: dict = {}
    known = _infer_sizes(expr, env, cache)
    known.update(sizes or {})
    with np.errstate(all="ignore"):     # nan/inf are values here; callers test finiteness
        arr, labels = _ev(expr, env, known, cache)
    extra = [i for i in labels if i not in order]
    if extra:
        raise ValueError(f"free ind{'ex' if len(extra) == 1 else 'ices'} {', '.join(extra)} "
                         f"not among the requested ({', '.join(order) or 'none'})")
    for i, n in zip(labels, arr.shape):
        if sizes and i in sizes and sizes[i] != n:
            raise ValueError(f"index '{i}' has size {n}, but {sizes[i]} was given")
    missing = [i for i in order if i not in labels]
    for i in missing:
        if i not in known:
            raise ValueError(f"no size for free index '{i}'")
    arr = arr.reshape(arr.shape + (1,) * len(missing))
    labels += tuple(missing)
    arr = np.transpose(arr, [labels.index(i) for i in order])
    shape = tuple(known[i] if i in missing else n for i, n in zip(order, arr.shape))
    return np.array(np.broadcast_to(arr, shape), dtype=complex if np.iscomplexobj(arr) else float)


def _infer_sizes(expr: Expr, env: Env, cache: dict) -> dict[str, int]:
    """Index sizes read off the leaves and Sum dims; a delta passes a size across."""
    out: dict[str, int] = {}
    links = []
    for n in _outside_integrals(expr):
        shape: tuple[int, ...] = ()
        if isinstance(n, Comp) and n.name in env.values:
            shape = np.shape(env.values[n.name])
        elif isinstance(n, Deriv) and (n.name, n.by) in env.derivs:
            shape = np.shape(env.derivs[(n.name, n.by)])
        elif isinstance(n, MatEntry):
            shape = np.shape(_entry(n, env, cache))
        elif isinstance(n, Sum) and n.dim:
            out.setdefault(n.index, env.size(n.dim))
        elif isinstance(n, Delta):
            links.append((n.i, n.j))
        idx = n.indices if isinstance(n, (Comp, Deriv, MatEntry)) else ()
        if len(shape) == len(idx):
            for i, s in zip(idx, shape):
                out.setdefault(i, int(s))
    for _ in links:
        for a, b in links:
            if a in out:
                out.setdefault(b, out[a])
            elif b in out:
                out[a] = out[b]
    return out


def _outside_integrals(e: Expr):
    """The nodes of the tree, not entering integrals (their bodies need their variable)."""
    yield e
    if not isinstance(e, Integral):
        for c in children(e):
            yield from _outside_integrals(c)


QUADRATURE_NODES = 48


@lru_cache(maxsize=None)
def quadrature(lo: float, hi: float, nodes: int = QUADRATURE_NODES) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights for an integral from lo to hi (hi may be inf): Gauss-Legendre on
    [lo, hi]; on [lo, inf) after z = lo + t/(1 - t), t in [0, 1), dz = dt/(1 - t)^2, which
    turns an integrand decaying like z^-2 (such as (x + z)^-2) into a smooth one on [0, 1]."""
    t, w = np.polynomial.legendre.leggauss(nodes)
    if np.isfinite(hi):
        return lo + (hi - lo) * (t + 1) / 2, w * (hi - lo) / 2
    t, w = (t + 1) / 2, w / 2
    return lo + t / (1 - t), w / (1 - t) ** 2


def _integral(e: Integral, env: Env, sizes: Mapping[str, int]) -> Labelled:
    """The integral by quadrature: the body evaluated at each node, with the variable bound
    to the node (a fresh cache each time: matrix arguments contain the variable)."""
    zs, ws = quadrature(float(e.lo.value), float(e.hi.value))
    total, labels = None, ()
    for z, w in zip(zs, ws):
        inner = replace(env, values={**env.values, e.var: np.array(float(z))})
        cache: dict = {}
        known = _infer_sizes(e.body, inner, cache)
        known.update(sizes)
        arr, lab = _ev(e.body, inner, known, cache)
        if total is None:
            total, labels = w * arr, lab
        else:
            total = total + w * np.transpose(arr, [lab.index(i) for i in labels])
    return total, labels


def _ev(e: Expr, env: Env, sizes: Mapping[str, int], cache: dict) -> Labelled:
    if isinstance(e, Num):
        return np.array(float(e.value)), ()
    if isinstance(e, Dim):
        return np.array(float(env.size(e.name))), ()
    if isinstance(e, Comp):
        if e.name not in env.values:
            raise ValueError(f"no value for symbol '{e.name}'")
        return _leaf(env.values[e.name], e.indices, f"symbol '{e.name}'")
    if isinstance(e, Deriv):
        if (e.name, e.by) not in env.derivs:
            raise ValueError(f"no derivative D({e.name}{', ' + e.by if e.by else ''})")
        return _leaf(env.derivs[(e.name, e.by)], e.indices, f"D({e.name})")
    if isinstance(e, MatEntry):
        return _leaf(_entry(e, env, cache), e.indices, "a matrix expression")
    if isinstance(e, MatScalar):
        if e.func not in ("det", "tr"):
            raise ValueError(f"'{e.func}' is not a scalar-valued matrix function")
        return _matrix_function(e.func, _mat(e.arg, env)).reshape(()), ()
    if isinstance(e, Delta):
        if e.i not in sizes and e.j not in sizes:
            raise ValueError(f"no size for the indices of delta[{e.i},{e.j}]")
        n = sizes.get(e.i, sizes.get(e.j))
        return (np.ones(n), (e.i,)) if e.i == e.j else (np.eye(n), (e.i, e.j))
    if isinstance(e, Add):
        parts, union = _align([_ev(t, env, sizes, cache) for t in e.terms])
        return _checked(lambda: sum(parts[1:], parts[0]), "a sum of terms", union), union
    if isinstance(e, Mul):
        return _product([_ev(f, env, sizes, cache) for f in e.factors])
    if isinstance(e, Pow):
        (b, x), union = _align([_ev(e.base, env, sizes, cache), _ev(e.exp, env, sizes, cache)])
        return _checked(lambda: np.power(b, x), "a power", union), union
    if isinstance(e, Call):
        arr, labels = _ev(e.arg, env, sizes, cache)
        return _apply(e.func, e.order, arr, env), labels
    if isinstance(e, Sum):
        inner = dict(sizes)
        if e.dim:
            inner[e.index] = env.size(e.dim)
        arr, labels = _ev(e.body, env, inner, cache)
        if e.index in labels:
            k = labels.index(e.index)
            return arr.sum(axis=k), labels[:k] + labels[k + 1:]
        if e.index not in inner:
            raise ValueError(f"no size for sum index '{e.index}'")
        return arr * inner[e.index], labels   # a body constant along the index
    if isinstance(e, Integral):
        return _integral(e, env, sizes)
    if isinstance(e, Differential) and f"d({e.name})" in env.values:   # a direction dX
        return _leaf(env.values[f"d({e.name})"], e.indices, f"d({e.name})")
    if isinstance(e, Differential):
        raise ValueError(f"d({e.name}) has no value: convert the differential first")
    raise ValueError(f"cannot evaluate {type(e).__name__}")


def _leaf(value, indices: tuple[str, ...], what: str) -> Labelled:
    arr = _real_or_complex(value)
    if arr.ndim != len(indices):
        raise ValueError(f"{what} has {arr.ndim} axes but is written with {len(indices)} "
                         f"ind{'ex' if len(indices) == 1 else 'ices'}")
    unique = tuple(dict.fromkeys(indices))
    if len(unique) < len(indices):      # A[i,i]: einsum takes the diagonal
        ids = {i: n for n, i in enumerate(unique)}
        arr = np.einsum(arr, [ids[i] for i in indices], list(range(len(unique))))
    return arr, unique


def _entry(e: MatEntry, env: Env, cache: dict) -> np.ndarray:
    """The matrix of a MatEntry, cut to as many axes as it has indices."""
    key = (e.func, e.arg)
    if key not in cache:
        with np.errstate(all="ignore"):
            cache[key] = _matrix_function(e.func, _mat(e.arg, env))
    m = cache[key]
    if len(e.indices) == 2:
        return m
    if len(e.indices) == 1 and 1 in m.shape:
        return m[:, 0] if m.shape[1] == 1 else m[0, :]
    if not e.indices and m.shape == (1, 1):
        return m.reshape(())
    raise ValueError(f"a {m.shape[0]}x{m.shape[1]} matrix expression is written with "
                     f"{len(e.indices)} indices")


def _align(parts: list[Labelled]) -> tuple[list[np.ndarray], tuple[str, ...]]:
    """The arrays reshaped to broadcast over the union of their labels."""
    union = tuple(dict.fromkeys(i for _, labels in parts for i in labels))
    out = []
    for arr, labels in parts:
        arr = np.transpose(arr, [labels.index(i) for i in union if i in labels])
        it = iter(arr.shape)
        out.append(arr.reshape([next(it) if i in labels else 1 for i in union]))
    return out, union


def _product(parts: list[Labelled]) -> Labelled:
    union = tuple(dict.fromkeys(i for _, labels in parts for i in labels))
    ids = {i: n for n, i in enumerate(union)}
    args: list = []
    for arr, labels in parts:
        args += [arr, [ids[i] for i in labels]]
    if not parts:
        return np.array(1.0), ()
    return _checked(lambda: np.einsum(*args, list(range(len(union)))), "a product", union), union


def _checked(compute: Callable[[], np.ndarray], what: str, labels) -> np.ndarray:
    try:
        return compute()
    except ValueError as err:
        raise ValueError(f"index sizes disagree in {what} over ({', '.join(labels)}): {err}") from None


def _apply(func: str, order: int, arr: np.ndarray, env: Env) -> np.ndarray:
    if func in env.functions:
        fs = env.functions[func]
        if order >= len(fs):
            raise ValueError(f"no derivative of order {order} for function '{func}'")
        return np.asarray(fs[order](arr), dtype=float)
    if func not in ELEMENTWISE:
        raise ValueError(f"unknown function '{func}'")
    if order:
        raise ValueError(f"'{func}' is not an abstract function; write its derivative out")
    return ELEMENTWISE[func](arr)


# --- matrix notation ------------------------------------------------------------------------

def evaluate_matrix(mexpr: MExpr, env: Env) -> np.ndarray:
    """The value of a matrix-notation expression as a 2-D array."""
    with np.errstate(all="ignore"):
        return _mat(mexpr, env)


def _as_2d(value, what: str) -> np.ndarray:
    arr = _real_or_complex(value)
    if arr.ndim > 2:
        raise ValueError(f"{what} has {arr.ndim} axes; matrix notation needs at most 2")
    return arr.reshape((1, 1)) if arr.ndim == 0 else (arr.reshape(-1, 1) if arr.ndim == 1 else arr)


def _mat(e: MExpr, env: Env) -> np.ndarray:
    if isinstance(e, MSym):
        if e.name not in env.values:
            raise ValueError(f"no value for symbol '{e.name}'")
        return _as_2d(env.values[e.name], f"symbol '{e.name}'")
    if isinstance(e, MNum):
        return np.array([[float(e.value)]])
    if isinstance(e, MDim):
        return np.array([[float(env.size(e.name))]])
    if isinstance(e, MNeg):
        return -_mat(e.arg, env)
    if isinstance(e, MT):
        return _mat(e.arg, env).T
    if isinstance(e, MD):
        if (e.name, e.by) not in env.deriv_matrices:
            raise ValueError(f"no matrix for D({e.name}{', ' + e.by if e.by else ''})")
        return _as_2d(env.deriv_matrices[(e.name, e.by)], f"D({e.name})")
    if isinstance(e, MBin):
        a, b = _mat(e.left, env), _mat(e.right, env)
        if e.op == "@":
            if a.shape[1] != b.shape[0]:
                raise ValueError(f"'@' of shapes {_show(a)} and {_show(b)}")
            return a @ b
        ops = {"*": np.multiply, "/": np.divide, "+": np.add, "-": np.subtract}
        if e.op not in ops:
            raise ValueError(f"unknown operator '{e.op}'")
        try:
            np.broadcast_shapes(a.shape, b.shape)
        except ValueError:
            raise ValueError(f"'{e.op}' of shapes {_show(a)} and {_show(b)}") from None
        return ops[e.op](a, b)
    if isinstance(e, MCall):
        return _mcall(e, env)
    raise ValueError(f"cannot evaluate {type(e).__name__}")


def _show(a: np.ndarray) -> str:
    return f"{a.shape[0]}x{a.shape[1]}"


def _mcall(e: MCall, env: Env) -> np.ndarray:
    f, args = e.func, e.args
    arity = {"kron": 2, "unvec": 3, "commutation": 2, "fm": 2, "divdiff": 2}.get(f, 1)
    if len(args) != arity:
        raise ValueError(f"{f}() takes {arity} argument{'s' if arity > 1 else ''}, not {len(args)}")
    if f in ("eye", "ones", "commutation"):
        n = [_size_arg(a, env, f) for a in args]
        if f == "eye":
            return np.eye(n[0])
        return np.ones((n[0], 1)) if f == "ones" else commutation(n[0], n[1])
    if f == "unvec":
        v = _mat(args[0], env)
        p, q = _size_arg(args[1], env, f), _size_arg(args[2], env, f)
        if v.shape != (p * q, 1):
            raise ValueError(f"unvec(v, {p}, {q}) needs a column of length {p * q}, not {_show(v)}")
        return v.reshape((p, q), order="F")
    if f in ("fm", "eigval", "eigvec", "divdiff"):
        return _spectral(f, args, env)
    xs = [_mat(a, env) for a in args]
    x = xs[0]
    if f == "kron":
        return np.kron(x, xs[1])
    if f == "vec":
        return x.reshape((-1, 1), order="F")
    if f == "diag":
        if x.shape[1] == 1:
            return np.diag(x[:, 0])
        if x.shape[0] == x.shape[1]:
            return np.diag(x).reshape(-1, 1).copy()
        raise ValueError(f"diag() of a {_show(x)} matrix")
    if f in ("det", "tr", "inv", "adj", "expm", "logm", "sinm", "cosm", "pinv"):
        return _matrix_function(f, x)
    return _apply(f, e.order, x, env)


def eig_real(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The eigenvalues (ascending) and eigenvectors (columns, in that order) of a square matrix
    with a real spectrum (numpy.linalg.eig); complex eigenvalues are refused."""
    if m.ndim != 2 or m.shape[0] != m.shape[1]:
        raise ValueError(f"a spectral function of a non-square {_show(m)} matrix")
    w, v = np.linalg.eig(m)
    if np.max(np.abs(np.imag(w)), initial=0.0) > 1e-9 * max(1.0, float(np.max(np.abs(w)))):
        raise ValueError("a spectral function of a matrix with complex eigenvalues")
    order = np.argsort(np.real(w))
    return np.real(w)[order], np.real(v)[:, order]


def _spectral(f: str, args: tuple, env: Env) -> np.ndarray:
    """fm(f, M) = Q f(Lambda) Q^-1, eigval(M), eigvec(M) = Q, and divdiff(f, v), the matrix of
    first divided differences f^[1](v_p, v_q) (f'(v_p) where v_p = v_q), with the realised
    scalar function f and its derivative."""
    x = _mat(args[-1], env)
    if f in ("eigval", "eigvec"):
        w, v = eig_real(x)
        return w.reshape(-1, 1) if f == "eigval" else v
    name = args[0].name if isinstance(args[0], MSym) else ""
    if name not in env.functions or len(env.functions[name]) < 2:
        raise ValueError(f"{f}() needs a declared scalar function, not '{name}'")
    g, g1 = env.functions[name][0], env.functions[name][1]
    if f == "fm":
        w, v = eig_real(x)
        return (v * np.asarray(g(w), dtype=float)) @ np.linalg.inv(v)
    if x.ndim != 2 or x.shape[1] != 1:
        raise ValueError(f"divdiff() of a {_show(x)} matrix, not a column")
    a, b = np.meshgrid(x[:, 0], x[:, 0], indexing="ij")
    near = np.abs(a - b) <= 1e-7 * (1.0 + np.abs(a))
    step = np.where(near, 1.0, a - b)
    slope = (np.asarray(g(a), dtype=float) - np.asarray(g(b), dtype=float)) / step
    return np.where(near, np.asarray(g1((a + b) / 2), dtype=float), slope)


def _size_arg(a: MExpr, env: Env, f: str) -> int:
    if isinstance(a, MDim):
        return env.size(a.name)
    if isinstance(a, MNum) and a.value.is_Integer and a.value > 0:
        return int(a.value)
    raise ValueError(f"{f}() takes dimensions")


def _matrix_function(func: str, m: np.ndarray) -> np.ndarray:
    """func ('' for none) of a 2-D array; det and tr give 1 x 1."""
    if func == "":
        return m
    if func == "pinv":
        return np.linalg.pinv(m)
    if m.shape[0] != m.shape[1]:
        raise ValueError(f"{func}() of a non-square {_show(m)} matrix")
    if func == "det":
        return np.array([[np.linalg.det(m)]])
    if func == "tr":
        return np.array([[np.trace(m)]])
    if func == "inv":
        return np.linalg.inv(m)
    if func == "adj":
        return np.linalg.det(m) * np.linalg.inv(m)
    if func == "expm":
        return expm(m)
    if func == "logm":
        return logm(m)
    if func == "sinm":
        return sinm(m)
    if func == "cosm":
        return cosm(m)
    raise ValueError(f"unknown matrix function '{func}'")


def commutation(m: int, n: int) -> np.ndarray:
    """The mn x mn matrix K with K vec(A) = vec(A.T) for an m x n A (vec column-major)."""
    k = np.zeros((m * n, m * n))
    i, j = np.meshgrid(np.arange(m), np.arange(n), indexing="ij")
    k[(j + i * n).ravel(), (i + j * m).ravel()] = 1.0
    return k


def expm(a: np.ndarray) -> np.ndarray:
    """exp(A) by scaling and squaring around a Taylor series on a matrix of norm <= 1/2
    (real, or complex for sinm and cosm)."""
    a = np.asarray(a)
    a = a.astype(complex if np.iscomplexobj(a) else float)
    norm = np.linalg.norm(a, 1)
    s = int(np.ceil(np.log2(norm / 0.5))) if norm > 0.5 else 0
    x = a / 2.0 ** s
    term = out = np.eye(len(a))
    for k in range(1, 30):      # ||x||^k / k! is below 1e-17 well before k = 20
        term = term @ x / k
        out = out + term
        if np.linalg.norm(term, 1) <= 1e-18 * np.linalg.norm(out, 1):
            break
    for _ in range(s):
        out = out @ out
    return out


def sinm(a: np.ndarray) -> np.ndarray:
    """The matrix sine, sin A = Im e^{iA} for a real A (the power series sum (-1)^k A^(2k+1)
    / (2k+1)!)."""
    return expm(1j * np.asarray(a, dtype=float)).imag


def cosm(a: np.ndarray) -> np.ndarray:
    """The matrix cosine, cos A = Re e^{iA} for a real A (the power series sum (-1)^k A^(2k)
    / (2k)!)."""
    return expm(1j * np.asarray(a, dtype=float)).real


def logm(a: np.ndarray) -> np.ndarray:
    """The principal log by inverse scaling and squaring: square roots until near I, then
    log X = 2 artanh((X - I)(X + I)^-1), whose series converges fast there."""
    a = np.asarray(a, dtype=float)
    ev = np.linalg.eigvals(a)
    scale = max(1.0, float(np.max(np.abs(ev)))) if len(ev) else 1.0
    if np.any((np.abs(ev.imag) <= 1e-12 * scale) & (ev.real <= 1e-12 * scale)):
        raise ValueError("logm() of a matrix with an eigenvalue on the closed negative real axis")
    eye = np.eye(len(a))
    x, s = a, 0
    while np.linalg.norm(x - eye, 1) > 0.25:
        if s > 60:
            raise ValueError("logm(): the square roots do not approach the identity")
        x, s = _sqrtm(x), s + 1
    z = (x - eye) @ np.linalg.inv(x + eye)
    z2, term, out = z @ z, z, z
    for k in range(1, 60):
        term = term @ z2
        out = out + term / (2 * k + 1)
        if np.linalg.norm(term, 1) <= 1e-18:
            break
    return 2.0 ** (s + 1) * out


def _sqrtm(a: np.ndarray) -> np.ndarray:
    """The principal square root by the Denman-Beavers iteration (quadratic convergence)."""
    y, z = a, np.eye(len(a))
    for _ in range(100):
        y_next, z = (y + np.linalg.inv(z)) / 2, (z + np.linalg.inv(y)) / 2
        done = np.linalg.norm(y_next - y, 1) <= 1e-13 * np.linalg.norm(y_next, 1)
        y = y_next
        if done:
            return y
    raise ValueError("sqrtm(): the Denman-Beavers iteration did not converge")


__all__ = ["Env", "evaluate_index", "evaluate_matrix", "expm", "logm", "sinm", "cosm",
           "commutation", "ELEMENTWISE"]
