"""Random inputs for numeric checks, respecting the assumptions a symbol declares.

Everything comes from the caller's np.random.Generator, so a seed fixes every sample.
Generic entries keep away from 0 (relu and abs are differentiated off their kink only), and
matrices that must be regular are built from random orthogonal factors and singular values
in [0.6, 1.6], so their condition number stays far below COND_BOUND.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

COND_BOUND = 10.0
MATRIX_ONLY = frozenset({"symmetric", "invertible", "positive-definite", "orthogonal",
                         "diagonal", "full-column-rank", "full-row-rank", "diagonalizable"})
SQUARE_ONLY = MATRIX_ONLY - {"full-column-rank", "full-row-rank"}
REGULAR = frozenset({"invertible", "full-column-rank", "full-row-rank", "positive-definite",
                     "orthogonal"})
ATTEMPTS = 100


def _generic(rng: np.random.Generator, shape) -> np.ndarray:
    return rng.uniform(0.3, 1.3, shape) * rng.choice([-1.0, 1.0], shape)


def _orthonormal(rng: np.random.Generator, p: int, q: int) -> np.ndarray:
    """p x q (p >= q) with orthonormal columns, Haar distributed (signs fixed by R)."""
    qm, r = np.linalg.qr(rng.standard_normal((p, q)))
    return qm * np.sign(np.diag(r))


def condition_number_ok(a: np.ndarray, bound: float = COND_BOUND) -> bool:
    """True if `a` is finite and, as a matrix, has full rank with condition number <= bound
    (a scalar or vector: finite and not zero)."""
    a = np.asarray(a, dtype=float)
    if not np.all(np.isfinite(a)):
        return False
    if a.ndim < 2:
        return bool(np.any(a != 0))
    s = np.linalg.svd(a, compute_uv=False)
    return bool(s.min() > 0 and s.max() / s.min() <= bound)


def assumption_violations(a: np.ndarray, assume: frozenset[str], tol: float = 1e-10) -> list[str]:
    """The assumptions that `a` fails. Regular ones also need condition <= COND_BOUND; with
    `diagonal`, `positive` is about the diagonal (the other entries are 0)."""
    a = np.asarray(a, dtype=float)
    square = a.ndim == 2 and a.shape[0] == a.shape[1]
    bad = [x for x in sorted(assume & SQUARE_ONLY) if not square]
    checks = {
        "symmetric": lambda: np.allclose(a, a.T, rtol=0, atol=tol),
        "positive-definite": lambda: np.allclose(a, a.T, rtol=0, atol=tol)
        and np.linalg.eigvalsh(a).min() > 0 and condition_number_ok(a),
        "invertible": lambda: condition_number_ok(a),
        "full-column-rank": lambda: a.ndim == 2 and a.shape[0] >= a.shape[1]
        and condition_number_ok(a),
        "full-row-rank": lambda: a.ndim == 2 and a.shape[0] <= a.shape[1]
        and condition_number_ok(a),
        "orthogonal": lambda: np.allclose(a.T @ a, np.eye(len(a)), rtol=0, atol=tol),
        "diagonal": lambda: np.all(a[~np.eye(*a.shape, dtype=bool)] == 0),
        "positive": lambda: np.all(np.diag(a) > 0 if "diagonal" in assume else a > 0),
        "nonzero": lambda: np.any(a != 0),
        "diagonalizable": lambda: _simple_real_spectrum(a),
    }
    for name in sorted(assume):
        if name not in bad and not checks[name]():
            bad.append(name)
    return bad


def _simple_real_spectrum(a: np.ndarray) -> bool:
    """`diagonalizable` (an extension): real, distinct eigenvalues (then a = Q Lambda Q^-1),
    separated by at least 0.1, with an eigenvector matrix Q of condition <= COND_BOUND."""
    if not (np.all(np.isfinite(a)) and a.ndim == 2 and a.shape[0] == a.shape[1]):
        return False
    w, v = np.linalg.eig(a)
    if np.max(np.abs(np.imag(w)), initial=0.0) > 1e-9:
        return False
    w = np.sort(np.real(w))
    return bool(np.all(np.diff(w) >= 0.1) and condition_number_ok(np.real(v), COND_BOUND))


def _diagonalizable(rng: np.random.Generator, p: int, sym: bool) -> np.ndarray:
    """Q Lambda Q^-1 with eigenvalues of distinct magnitudes in [0.6, 1.6] and random signs
    (so well separated and away from 0), and Q = U S V^T with orthogonal U, V and singular
    values in [0.8, 1.25] (Q orthogonal for a symmetric matrix)."""
    mags = np.linspace(0.6, 1.6, p) if p > 1 else np.array([rng.uniform(0.6, 1.6)])
    lam = rng.permutation(mags + rng.uniform(-0.05, 0.05, p)) * rng.choice([-1.0, 1.0], p)
    if sym:
        u = _orthonormal(rng, p, p)
        return (u * lam) @ u.T
    q = (_orthonormal(rng, p, p) * rng.uniform(0.8, 1.25, p)) @ _orthonormal(rng, p, p).T
    return (q * lam) @ np.linalg.inv(q)


def _applicable(shape: tuple[int, ...], assume: frozenset[str]) -> None:
    unknown = assume - MATRIX_ONLY - {"positive", "nonzero"}
    if unknown:
        raise ValueError(f"unknown assumption {sorted(unknown)[0]!r}")
    if assume & MATRIX_ONLY and len(shape) != 2:
        raise ValueError(f"'{sorted(assume & MATRIX_ONLY)[0]}' needs a matrix, not shape {shape}")
    if assume & SQUARE_ONLY and shape[0] != shape[1]:
        raise ValueError(f"'{sorted(assume & SQUARE_ONLY)[0]}' needs a square matrix, not {shape}")
    if "full-column-rank" in assume and shape[0] < shape[1]:
        raise ValueError(f"a {shape[0]}x{shape[1]} matrix cannot have full column rank")
    if "full-row-rank" in assume and shape[0] > shape[1]:
        raise ValueError(f"a {shape[0]}x{shape[1]} matrix cannot have full row rank")
    if {"orthogonal", "positive"} <= assume and not ("diagonal" in assume or shape == (1, 1)):
        raise ValueError("an orthogonal matrix with positive entries must be diagonal")


def draw_symbol(rng: np.random.Generator, shape: tuple[int, ...],
                assume: frozenset[str] = frozenset()) -> np.ndarray:
    """A random array of `shape` (a scalar is 0-d) satisfying every assumption at once."""
    assume = frozenset(assume)
    _applicable(tuple(shape), assume)
    for _ in range(ATTEMPTS):
        a = _matrix(rng, *shape, assume) if len(shape) == 2 else _generic(rng, tuple(shape))
        if "positive" in assume and len(shape) != 2:
            a = np.abs(a)
        a = np.asarray(a, dtype=float)
        if not assumption_violations(a, assume):
            return a
    raise ValueError(f"no sample of shape {shape} satisfying {sorted(assume)}")


def _matrix(rng: np.random.Generator, p: int, q: int, a: frozenset[str]) -> np.ndarray:
    if "full-row-rank" in a and p < q:    # the transpose of a full-column-rank q x p matrix
        return _matrix(rng, q, p, (a - {"full-row-rank"}) | {"full-column-rank"}).T
    pd = "positive-definite" in a
    sym, pos, regular = pd or "symmetric" in a, "positive" in a, bool(a & REGULAR)
    if "diagonalizable" in a and not a & {"positive-definite", "orthogonal", "diagonal",
                                          "positive"}:
        return _diagonalizable(rng, p, sym)
    if "diagonal" in a:
        d = _generic(rng, min(p, q))
        d = np.sign(d) if "orthogonal" in a else d
        d = np.abs(d) if pos or pd else d
        out = np.zeros((p, q))
        out[np.diag_indices(min(p, q))] = d
        return out
    if "orthogonal" in a:
        if pd:                          # the one orthogonal positive-definite matrix
            return np.eye(p)
        u = _orthonormal(rng, p, p)
        if sym:                         # a symmetric orthogonal matrix is U diag(+-1) U^T
            return (u * rng.choice([-1.0, 1.0], p)) @ u.T
        return u
    if pos and regular:
        return _positive_regular(rng, p, q, sym)
    if pos or not regular:
        g = np.abs(_generic(rng, (p, q))) if pos else _generic(rng, (p, q))
        return np.triu(g) + np.triu(g, 1).T if sym else g
    s = rng.uniform(0.6, 1.6, q) * (1.0 if pd else rng.choice([-1.0, 1.0], q))
    u = _orthonormal(rng, p, q)
    return (u * s) @ (u.T if sym else _orthonormal(rng, q, q).T)


def _positive_regular(rng: np.random.Generator, p: int, q: int, sym: bool) -> np.ndarray:
    """Positive entries and well conditioned: alpha 1 1^T + D + small noise on top, whose
    symmetric part has eigenvalues >= 0.8; extra rows (p > q) small and positive."""
    noise = rng.uniform(-0.2, 0.2, (q, q)) / q
    if sym:
        noise = (noise + noise.T) / 2
    top = rng.uniform(0.2, 0.3) * np.ones((q, q)) + np.diag(rng.uniform(1.0, 1.6, q)) + noise
    return np.vstack([top, rng.uniform(0.2, 0.3, (p - q, q))])


@dataclass(frozen=True, eq=False)
class Dependent:
    """A concrete smooth u(x): `base` (satisfying the assumptions) moved by a bounded
    variation W(x) = B sin(C x + d), passed through a map that keeps the structure:
    add, symmetrise, diagonal mask, or a Cayley rotation (on the left, or on both sides)."""
    out_shape: tuple[int, ...]
    in_shape: tuple[int, ...]
    base: np.ndarray
    b: np.ndarray
    c: np.ndarray
    d: np.ndarray
    structure: str                      # 'add' 'sym' 'diag' 'left' 'both'

    def _raw(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        z = self.c @ np.asarray(x, dtype=float).reshape(-1) + self.d
        w = (self.b @ np.sin(z)).reshape(self.out_shape)
        dw = ((self.b * np.cos(z)) @ self.c).reshape(self.out_shape + (-1,))
        return w, dw

    def value(self, x: np.ndarray) -> np.ndarray:
        w, _ = self._raw(x)
        s = self.structure
        if s in ("left", "both"):
            cay = _cayley(w)[0]
            return cay @ self.base @ (cay.T if s == "both" else np.eye(len(cay)))
        if s == "sym":
            w = (w + w.T) / 2
        elif s == "diag":
            w = w * np.eye(*self.out_shape)
        return (self.base + w).reshape(self.out_shape)

    def jacobian(self, x: np.ndarray) -> np.ndarray:
        """du/dx in index order: u's axes, then x's."""
        w, dw = self._raw(x)
        s = self.structure
        if s == "sym":
            dw = (dw + dw.transpose(1, 0, 2)) / 2
        elif s == "diag":
            dw = dw * np.eye(*self.out_shape)[..., None]
        elif s in ("left", "both"):
            cay, inv = _cayley(w)
            ds = (dw - dw.transpose(1, 0, 2)) / 2
            # d Cayley(S) = 2 (I - S)^-1 dS (I - S)^-1
            if s == "left":
                dw = np.einsum("ab,bck,cd->adk", 2 * inv, ds, inv @ self.base)
            else:                       # base symmetric: d(C B C^T) = T + T^T, T = dC B C^T
                t = np.einsum("ab,bck,cd->adk", 2 * inv, ds, inv @ self.base @ cay.T)
                dw = t + t.transpose(1, 0, 2)
        return dw.reshape(self.out_shape + self.in_shape)


def _cayley(w: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(I - S)^-1 (I + S) for S the skew part of w (orthogonal), and (I - S)^-1."""
    s = (w - w.T) / 2
    inv = np.linalg.inv(np.eye(len(w)) - s)
    return inv @ (np.eye(len(w)) + s), inv


def make_dependent(rng: np.random.Generator, out_shape: tuple[int, ...],
                   in_shape: tuple[int, ...], assume: frozenset[str] = frozenset()) -> Dependent:
    """A smooth map from in_shape to out_shape with a non-symmetric Jacobian, whose values
    satisfy `assume` everywhere (the variation is bounded, whatever x is)."""
    out_shape, in_shape, assume = tuple(out_shape), tuple(in_shape), frozenset(assume)
    base = draw_symbol(rng, out_shape, assume)
    if "diagonal" in assume:
        structure = "const" if "orthogonal" in assume else "diag"
    elif "orthogonal" in assume:
        structure = "both" if assume & {"symmetric", "positive-definite"} else "left"
    else:
        structure = "sym" if assume & {"symmetric", "positive-definite"} else "add"
    n_raw, n_in = int(np.prod(out_shape)), int(np.prod(in_shape))
    k = n_raw + n_in
    b = rng.standard_normal((n_raw, k))
    # ||W||_F <= ||B||_2 sqrt(k) = eps: entries and singular values of base move by <= eps
    eps = 0.0 if structure == "const" else (1.0 if structure in ("left", "both")
                                            else _margin(base, assume))
    b *= eps / (np.linalg.norm(b, 2) * np.sqrt(k))
    c = rng.standard_normal((k, n_in))
    d = rng.uniform(0, 2 * np.pi, k)
    if structure == "const":
        structure = "add"
    return Dependent(out_shape, in_shape, base, b, c, d, structure)


def _margin(base: np.ndarray, assume: frozenset[str]) -> float:
    """A quarter of the distance to the nearest violation: the smallest singular value of a
    matrix that must stay regular; the smallest nonzero |entry| where signs matter (positive
    entries, and generic ones, which keep off the kink of relu and abs)."""
    m = 1.0
    if assume & REGULAR:
        m = float(np.linalg.svd(base, compute_uv=False).min())
    if ("positive" in assume or not assume & REGULAR) and np.any(base != 0):
        m = min(m, float(np.min(np.abs(base[base != 0]))))
    return 0.25 * m


def make_scalar_function(rng: np.random.Generator) -> tuple[Callable, Callable, Callable, Callable]:
    """f(z) = a sin(b z + c) + e z^2 with random a, b, c, e, and f', f'', f''' (vectorised)."""
    a = rng.uniform(0.5, 1.5) * rng.choice([-1.0, 1.0])
    b = rng.uniform(0.5, 1.5)
    c = rng.uniform(0, 2 * np.pi)
    e = rng.uniform(0.1, 0.5) * rng.choice([-1.0, 1.0])
    return (lambda z: a * np.sin(b * np.asarray(z) + c) + e * np.asarray(z) ** 2,
            lambda z: a * b * np.cos(b * np.asarray(z) + c) + 2 * e * np.asarray(z),
            lambda z: -a * b ** 2 * np.sin(b * np.asarray(z) + c) + 2 * e + 0 * np.asarray(z),
            lambda z: -a * b ** 3 * np.cos(b * np.asarray(z) + c))


__all__ = ["draw_symbol", "condition_number_ok", "assumption_violations", "make_dependent",
           "make_scalar_function", "Dependent", "COND_BOUND"]
