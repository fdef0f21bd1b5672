"""The numeric level: random samples that respect the assumptions, derivatives by
fourth-order central differences, compared with the claim at a stated tolerance.

Constants, the variable, dependent symbols (concrete smooth maps with non-symmetric
Jacobians) and abstract functions are realised from a fixed seed derived from the entry id,
so every run draws the same samples and the record can name them.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Mapping

import numpy as np

from .evaluate import Env, evaluate_index
from .expr import Deriv
from .layouts import arrange
from .model import Entry
from .powers import assignments, expand, instance, integer_names
from .sample import draw_symbol, make_dependent, make_scalar_function
from .shapes import size_of
from .treeops import walk

H = 1e-3
TOLERANCE = {1: 1e-7, 2: 1e-6}     # relative to max(1, largest |T|)
ATTEMPTS = 6


def entry_seed(entry_id: str) -> int:
    return int.from_bytes(hashlib.sha256(entry_id.encode()).digest()[:4], "big")


def size_assignments(entry: Entry) -> list[dict[str, int]]:
    """Three assignments of distinct sizes to the entry's named dimensions."""
    names = sorted({d for s in entry.symbols.values() for d in s.shape if not d.isdigit()})
    base = [2 + i for i in range(len(names))]
    rows = [base, [b + 1 for b in reversed(base)], [b + 2 for b in base[1:] + base[:1]]]
    out = [dict(zip(names, r)) for r in rows]
    tall = [s.shape for s in entry.symbols.values() if "full-column-rank" in s.assume
            and not any(d.isdigit() for d in s.shape)]
    tall += [s.shape[::-1] for s in entry.symbols.values() if "full-row-rank" in s.assume
             and not any(d.isdigit() for d in s.shape)]
    for sizes in out:          # a full-column-rank p x q matrix needs p > q (full-row-rank
        # p < q): swap if not
        for p, q in tall:
            if sizes[p] < sizes[q]:
                sizes[p], sizes[q] = sizes[q], sizes[p]
    return out


def _shape(entry: Entry, name: str, sizes: Mapping[str, int]) -> tuple[int, ...]:
    return tuple(size_of(d, sizes) for d in entry.symbols[name].shape)


@dataclass
class Case:
    """One realisation of an entry's symbols at one size assignment."""
    entry: Entry
    sizes: dict[str, int]
    seed: int
    constants: dict[str, np.ndarray] = field(default_factory=dict)
    dependents: dict = field(default_factory=dict)
    functions: dict = field(default_factory=dict)
    hessians: bool = False
    t_num: np.ndarray | None = None      # the central-difference derivative, once computed
    exponents: dict = field(default_factory=dict)  # integer symbols' values (powers.instance)

    def env(self, point: Mapping[str, np.ndarray]) -> Env:
        e = self.entry
        values = dict(self.constants)
        values.update(point)
        derivs: dict[tuple[str, str], np.ndarray] = {}
        var = e.wrt[0].name
        for name in e.dependency_order():
            w = e.symbols[name].depends_on
            dep = self.dependents[name]
            ins = e.symbols[name].inputs
            if ins:       # U(x, y): realised as a function of the vector (x, y)
                at = np.array([float(values[v]) for v in ins])
                values[name] = dep.value(at)
                jac = dep.jacobian(at)
                for a, v in enumerate(ins):
                    derivs[(name, v)] = jac[..., a]
                if self.hessians:
                    hess = _fd_jacobian(dep.jacobian, at)
                    for a, v in enumerate(ins):
                        for b, u in enumerate(ins):
                            derivs[(name, f"{v},{u}")] = hess[..., a, b]
                continue
            values[name] = dep.value(values[w])
            jac = dep.jacobian(values[w])
            derivs[(name, w)] = jac
            if w == var:
                derivs[(name, "")] = jac
                if self.hessians:
                    derivs[(name, f"{var},{var}")] = _fd_jacobian(dep.jacobian, values[w])
            elif (w, "") in derivs:
                rw = e.symbols[w].rank
                derivs[(name, "")] = np.tensordot(jac, derivs[(w, "")], axes=rw)
        dims = {k: v for k, v in self.sizes.items()}
        inner = {}
        if e.symbols[var].rank == 0:     # D(U) inside a matrix argument has the shape of U
            for (name, by), t in derivs.items():
                if (by == "" or e.symbols[name].inputs) and t.ndim <= 2:
                    inner[(name, by)] = t.reshape(t.shape + (1,) * (2 - t.ndim))
        return Env(values=values, derivs=derivs, functions=self.functions, dims=dims,
                   deriv_matrices=inner)

    def deriv_matrices(self, env: Env, layout: str) -> dict:
        e = self.entry
        out = {}
        for (name, by), t in env.derivs.items():
            f_rank = e.symbols[name].rank
            wrt = by.split(",") if by else [e.wrt[0].name]
            m = arrange(t, f_rank, [e.symbols[w].rank for w in wrt], layout)
            if m is not None:
                out[(name, by)] = m
        return out


def _fd_jacobian(jac, x: np.ndarray) -> np.ndarray:
    """Second derivative of a realised map from its exact Jacobian, by central differences."""
    x = np.asarray(x, dtype=float)
    out = np.zeros(jac(x).shape + x.shape)
    for k in np.ndindex(*x.shape):
        e = np.zeros_like(x)
        e[k] = H
        out[(...,) + k] = (-jac(x + 2 * e) + 8 * jac(x + e) - 8 * jac(x - e) + jac(x - 2 * e)) / (12 * H)
    return out


def make_case(entry: Entry, sizes: dict[str, int], seed: int) -> Case:
    rng = np.random.default_rng(seed)
    case = Case(entry, sizes, seed)
    case.hessians = any(isinstance(n, Deriv) and "," in n.by for n in walk(entry.derivative))
    for name in sorted(entry.symbols):
        s = entry.symbols[name]
        if s.function:
            case.functions[name] = make_scalar_function(rng)
        elif s.depends_on:
            case.dependents[name] = make_dependent(
                rng, _shape(entry, name, sizes),
                (len(s.inputs),) if s.inputs else _shape(entry, s.depends_on, sizes), s.assume)
        else:
            case.constants[name] = draw_symbol(rng, _shape(entry, name, sizes), s.assume)
    return case


def index_sizes(entry: Entry, sizes: Mapping[str, int]) -> dict[str, int]:
    return {i: size_of(d, sizes) for i, d in entry.index_dims.items()}


def function_value(case: Case, point: Mapping[str, np.ndarray]) -> np.ndarray:
    e = case.entry
    return evaluate_index(e.of, case.env(point), e.lhs_indices, index_sizes(e, case.sizes))


def numeric_derivative(case: Case) -> np.ndarray:
    """T[I, K] by fourth-order central differences (twice for a second derivative)."""
    e = case.entry
    base = {v.name: case.constants[v.name] for v in e.wrt}

    def d(point, var: str, f):
        x = point[var]
        out = None
        for k in np.ndindex(*x.shape) if x.ndim else [()]:
            vals = []
            for step in (2, 1, -1, -2):
                p = dict(point)
                xx = np.array(x, dtype=float)
                xx[k] += step * H
                p[var] = xx
                vals.append(f(p))
            g = (-vals[0] + 8 * vals[1] - 8 * vals[2] + vals[3]) / (12 * H)
            if out is None:
                out = np.zeros(np.shape(g) + x.shape)
            out[(...,) + tuple(k)] = g
        return out

    first = lambda p: function_value(case, p)
    if len(e.wrt) == 1:
        return d(base, e.wrt[0].name, first)
    return d(base, e.wrt[1].name, lambda p: d(p, e.wrt[0].name, first))


def claim_value(case: Case, expr=None) -> np.ndarray:
    e = case.entry
    if expr is not None and case.exponents:     # a form with mpow: expanded at this case's n
        expr = expand(expr, case.exponents, e.symbols)
    env = case.env({v.name: case.constants[v.name] for v in e.wrt})
    return evaluate_index(expr if expr is not None else e.derivative, env, e.free,
                          index_sizes(e, case.sizes))


def relative_error(a: np.ndarray, b: np.ndarray) -> float:
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        return float("inf")
    scale = max(1.0, float(np.max(np.abs(b))) if b.size else 1.0)
    return float(np.max(np.abs(a - b))) / scale if a.size else 0.0


@dataclass(frozen=True)
class NumericRun:
    passed: bool
    tolerance: float
    samples: tuple[dict, ...]          # sizes, seed, error for each assignment
    worst: dict | None                 # the failing (or worst) sample
    note: str = ""


def numeric_check(entry: Entry) -> tuple[NumericRun, list[Case]]:
    """Compare the claim with central differences at three size assignments (and, for an
    entry with integer symbols, at each exponent of powers.EXPONENTS: see powers.instance).
    An entry with complex symbols: numeric_check_complex, and no cases (no tensor T)."""
    if is_complex(entry):
        return numeric_check_complex(entry), []
    if integer_names(entry.symbols):
        samples, cases, worst = [], [], None
        for values in assignments(entry.symbols):
            run, more = numeric_check(instance(entry, values))
            for c in more:
                c.exponents = dict(values)
            samples += [dict(r, sizes={**r["sizes"], **values}) for r in run.samples]
            cases += more
            if run.worst is not None and (worst is None or not run.passed
                                          or run.worst["error"] > worst["error"]):
                worst = dict(run.worst, sizes={**run.worst["sizes"], **values})
            if not run.passed:
                return NumericRun(False, run.tolerance, tuple(samples), worst, run.note), cases
        return NumericRun(True, TOLERANCE[len(entry.wrt)], tuple(samples), worst), cases
    tol = TOLERANCE[len(entry.wrt)]
    samples, cases, worst = [], [], None
    for n, sizes in enumerate(size_assignments(entry)):
        for attempt in range(ATTEMPTS):
            seed = entry_seed(entry.id) + 1000 * n + attempt
            with np.errstate(all="ignore"):
                try:
                    case = make_case(entry, sizes, seed)
                    t_num = numeric_derivative(case)
                    t_claim = np.broadcast_to(claim_value(case), t_num.shape)
                except (ValueError, FloatingPointError, np.linalg.LinAlgError):
                    continue
            if np.all(np.isfinite(t_num)) and np.all(np.isfinite(t_claim)):
                break
        else:
            return NumericRun(False, tol, tuple(samples), None,
                              f"no sample in the domain at sizes {sizes}"), cases
        case.t_num = t_num
        err = relative_error(t_claim, t_num)
        rec = {"sizes": sizes, "seed": seed, "error": err}
        samples.append(rec)
        cases.append(case)
        if worst is None or err > worst["error"]:
            worst = dict(rec, index=_worst_index(t_claim, t_num, entry.free))
        if err > tol:
            return NumericRun(False, tol, tuple(samples), worst), cases
    return NumericRun(True, tol, tuple(samples), worst), cases


def is_complex(entry: Entry) -> bool:
    """Whether the entry declares a complex symbol (an extension: see numeric_check_complex)."""
    return any("complex" in s.assume for s in entry.symbols.values())


def numeric_check_complex(entry: Entry) -> NumericRun:
    """An entry with complex symbols states a differential (entry.derivative, with d(X)
    atoms): the R-linear map dX -> dY. Complex symbols are sampled as A + iB (A, B drawn like
    a real symbol), and the map is compared with fourth-order central differences of `of`
    along every direction E_K and i E_K (an R-linear map is determined by them)."""
    tol = TOLERANCE[1]
    var = entry.wrt[0].name
    samples, worst = [], None
    for n, sizes in enumerate(size_assignments(entry)):
        seed = entry_seed(entry.id) + 1000 * n
        rng = np.random.default_rng(seed)
        values = {}
        for name in sorted(entry.symbols):
            s = entry.symbols[name]
            real = draw_symbol(rng, _shape(entry, name, sizes), s.assume - {"complex"})
            values[name] = real + 1j * draw_symbol(rng, real.shape, s.assume - {"complex"}) \
                if "complex" in s.assume else real
        isz = index_sizes(entry, sizes)
        env = lambda v: Env(values=v, dims=dict(sizes))
        f = lambda v: evaluate_index(entry.of, env(v), entry.lhs_indices, isz)
        x = values[var]
        err = 0.0
        with np.errstate(all="ignore"):
            for k in np.ndindex(*np.shape(x)) if np.ndim(x) else [()]:
                for unit in ((1.0, 1j) if "complex" in entry.symbols[var].assume else (1.0,)):
                    h = np.zeros(np.shape(x), dtype=complex)
                    h[k] = unit
                    try:
                        vals = [f({**values, var: x + step * H * h}) for step in (2, 1, -1, -2)]
                        fd = (-vals[0] + 8 * vals[1] - 8 * vals[2] + vals[3]) / (12 * H)
                        claimed = evaluate_index(entry.derivative,
                                                 env({**values, f"d({var})": h}),
                                                 entry.lhs_indices, isz)
                    except (ValueError, FloatingPointError, np.linalg.LinAlgError):
                        err = float("inf")
                        continue
                    if np.shape(claimed) != np.shape(fd) or not np.all(np.isfinite(fd)):
                        err = float("inf")
                        continue
                    scale = max(1.0, float(np.max(np.abs(fd))) if fd.size else 1.0)
                    err = max(err, float(np.max(np.abs(claimed - fd))) / scale if fd.size else 0.0)
        rec = {"sizes": sizes, "seed": seed, "error": err}
        samples.append(rec)
        if worst is None or err > worst["error"]:
            worst = dict(rec)
        if not err <= tol:
            return NumericRun(False, tol, tuple(samples), worst, "the differential differs "
                              "from central differences along E_K or i E_K")
    return NumericRun(True, tol, tuple(samples), worst, "complex samples A + iB; the "
                      "differential checked along E_K and i E_K")


def claim_error(case: Case, expr) -> float:
    """The relative error of another index form against this case's numeric derivative
    (infinite where it cannot be evaluated): the comparison numeric_check makes."""
    with np.errstate(all="ignore"):
        try:
            t = np.broadcast_to(claim_value(case, expr), case.t_num.shape)
        except (ValueError, FloatingPointError, np.linalg.LinAlgError):
            return float("inf")
    return relative_error(t, case.t_num) if np.all(np.isfinite(t)) else float("inf")


def _worst_index(a, b, names) -> dict:
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if not a.size:
        return {}
    k = np.unravel_index(int(np.argmax(np.abs(a - b))), a.shape)
    return {"at": dict(zip(names, (int(i) for i in k))), "claimed": float(a[k]),
            "numeric": float(b[k])}


__all__ = ["numeric_check", "make_case", "Case", "claim_value", "claim_error",
           "relative_error", "size_assignments", "entry_seed", "TOLERANCE"]
