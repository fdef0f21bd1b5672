"""The exact level: at small concrete sizes, every component of ∂(of)/∂(wrt) is
differentiated from first principles by SymPy on explicit symbolic arrays (det, inverse and
trace expanded) and compared with the claim.

Derivatives are unconstrained partials: structure assumed of a symbol (symmetric, diagonal)
is imposed on both sides only after differentiating, as NOTATION.md requires.
"""
from __future__ import annotations

import itertools
import time
from dataclasses import dataclass
from typing import Mapping

import sympy

from .expr import (Add, Call, Comp, Delta, Deriv, Differential, Dim, Expr, Integral, MatEntry, MatScalar, MBin,
                   MCall, MD, MExpr, MNeg, MNum, MSym, MT, Mul, Num, Pow, Sum)
from .model import Entry
from .shapes import size_of
from .treeops import walk

MAX_OPS = 4000
BUDGET = 8.0      # CPU seconds: past it the exact level stops and says so (general may still prove)


class OutOfReach(Exception):
    pass


def _away_from_zero(name: str, rule):
    """A SymPy function whose derivative is `rule(x)`, as relu and abs are away from 0."""
    def fdiff(self, argindex=1):
        return rule(self, self.args[0])
    return type(name, (sympy.Function,), {"fdiff": fdiff})


Relu = _away_from_zero("relu", lambda f, x: f / x)
AbsAway = _away_from_zero("abs", lambda f, x: f / x)


def _abstract(name: str, order: int, cache: dict):
    key = (name, order)
    if key not in cache:
        def fdiff(self, argindex=1):
            return _abstract(name, order + 1, cache)(self.args[0])
        cache[key] = type(f"{name}{chr(39) * order}", (sympy.Function,), {"fdiff": fdiff})
    return cache[key]


def _partial(name: str, idx: tuple, nargs: int, cache: dict):
    """g_I as a function of u's components, with ∂g_I/∂u_J a function of its own."""
    key = (name, idx)
    if key not in cache:
        def fdiff(self, argindex=1):
            return _partial(f"D{name}", idx + (argindex - 1,), nargs, cache)(*self.args)
        cache[key] = type(f"{name}_{'_'.join(map(str, idx))}", (sympy.Function,),
                          {"fdiff": fdiff, "nargs": nargs})
    return cache[key]


@dataclass
class Realm:
    """Explicit symbolic arrays for one entry at one size assignment."""
    entry: Entry
    sizes: dict[str, int]

    def __post_init__(self):
        e = self.entry
        self.arrays: dict[str, sympy.Array] = {}
        self.constraint: dict = {}
        self.fns: dict = {}
        self.var_syms = {}
        for v in e.wrt:
            self.var_syms[v.name] = self._symbols(v.name)
        for name in sorted(e.symbols):
            s = e.symbols[name]
            if s.function or s.depends_on or name in self.var_syms:
                continue
            self.arrays[name] = self._symbols(name)
        for name in sorted(self.var_syms):
            self.arrays[name] = self.var_syms[name]
        for name in e.dependency_order():
            s = e.symbols[name]
            shape = self.shape(name)
            inputs = [c for w in s.sources for c in (
                list(sympy.flatten(self.arrays[w])) if self.arrays[w].shape
                else [self.arrays[w][()]])]
            comps = {}
            for idx in itertools.product(*(range(n) for n in shape)):
                if all(w in self.var_syms for w in s.sources):
                    comps[idx] = sympy.Function(f"{name}_{'_'.join(map(str, idx))}")(*inputs)
                else:
                    comps[idx] = _partial(name, idx, len(inputs), self.fns)(*inputs)
            self.arrays[name] = _array(comps, shape)
        self._structure()
        self.var_flat = {n: list(self._flat(a)) for n, a in self.var_syms.items()}

    def shape(self, name: str) -> tuple[int, ...]:
        return tuple(size_of(d, self.sizes) for d in self.entry.symbols[name].shape)

    def _symbols(self, name: str) -> sympy.Array:
        s = self.entry.symbols[name]
        shape = self.shape(name)
        pos = "positive" in s.assume or "positive-definite" in s.assume and not shape
        comps = {idx: sympy.Symbol(f"{name}_{'_'.join(map(str, idx))}" if idx else name,
                                   real=True, positive=pos or None)
                 for idx in itertools.product(*(range(n) for n in shape))}
        return _array(comps, shape)

    def _flat(self, a):
        return [a[()]] if not a.shape else list(sympy.flatten(a.tolist()))

    def _structure(self):
        for name, s in self.entry.symbols.items():
            if s.function or len(s.shape) != 2 or name not in self.arrays:
                continue
            a = self.arrays[name]
            n = a.shape[0]
            if "orthogonal" in s.assume:
                raise OutOfReach(f"'{name}' is orthogonal: no explicit symbolic parametrisation")
            for i in range(n):
                for j in range(n):
                    if i == j:
                        continue
                    if "diagonal" in s.assume:
                        self.constraint[a[i, j]] = 0
                    elif s.symmetric and i > j:
                        self.constraint[a[i, j]] = a[j, i]

    def impose(self, x):
        return x.subs(self.constraint) if self.constraint else x


def _array(comps: dict, shape: tuple[int, ...]) -> sympy.Array:
    if not shape:
        return sympy.Array(comps[()])
    return sympy.Array([comps[idx] for idx in itertools.product(*(range(n) for n in shape))], shape)




class Evaluator:
    """Values of index and matrix expressions as SymPy expressions in a Realm."""

    def __init__(self, realm: Realm):
        self.r = realm
        self.dims = {i: self._size(d) for i, d in realm.entry.index_dims.items()}
        self.cache: dict = {}

    def _size(self, d: str) -> int:
        return size_of(d, self.r.sizes)

    def index(self, e: Expr, at: Mapping[str, int]) -> sympy.Expr:
        r = self.r
        if isinstance(e, Num):
            return e.value
        if isinstance(e, Comp):
            return r.arrays[e.name][tuple(at[i] for i in e.indices)]
        if isinstance(e, Delta):
            return sympy.Integer(1 if at[e.i] == at[e.j] else 0)
        if isinstance(e, Dim):
            return sympy.Integer(self._size(e.name))
        if isinstance(e, Add):
            return sympy.Add(*(self.index(t, at) for t in e.terms))
        if isinstance(e, Mul):
            out = sympy.Integer(1)
            for f in e.factors:
                v = self.index(f, at)
                if v == 0:
                    return sympy.Integer(0)
                out *= v
            return out
        if isinstance(e, Pow):
            return self.index(e.base, at) ** self.index(e.exp, at)
        if isinstance(e, Sum):
            return sympy.Add(*(self.index(e.body, {**at, e.index: k})
                               for k in range(self._size(e.dim))))
        if isinstance(e, Call):
            return self.call(e.func, e.order, self.index(e.arg, at))
        if isinstance(e, MatScalar):
            m = self.matrix(e.arg)
            return m.det(method="berkowitz") if e.func == "det" else m.trace()
        if isinstance(e, MatEntry):
            m = self.matrix_function(e.func, e.arg)
            idx = [at[i] for i in e.indices]
            if len(idx) == 1:
                return m[idx[0], 0] if m.shape[1] == 1 else m[0, idx[0]]
            return m[idx[0], idx[1]]
        if isinstance(e, Deriv):
            return self.deriv(e, tuple(at[i] for i in e.indices))
        if isinstance(e, Differential) and e.name in getattr(self, "directions", {}):
            return self.directions[e.name][tuple(at[i] for i in e.indices)]   # a direction dX
        raise OutOfReach(f"{type(e).__name__} at the exact level")

    def call(self, f: str, order: int, x):
        s = self.r.entry.symbols.get(f)
        if s is not None and s.function:
            return _abstract(f, order, self.r.fns)(x)
        table = {"exp": sympy.exp, "log": sympy.log, "sqrt": sympy.sqrt, "sin": sympy.sin,
                 "cos": sympy.cos, "tan": sympy.tan, "tanh": sympy.tanh, "relu": Relu,
                 "abs": AbsAway, "sigmoid": lambda z: 1 / (1 + sympy.exp(-z)),
                 "conj": sympy.conjugate}     # real symbols here: conj is the identity
        return table[f](x)

    def deriv(self, e: Deriv, idx: tuple[int, ...]):
        r = self.r
        s = r.entry.symbols[e.name]
        own = idx[:s.rank]
        comp = r.arrays[e.name][own] if s.rank else r.arrays[e.name][()]
        rest = idx[s.rank:]
        by = e.by.split(",") if e.by else [r.entry.wrt[0].name]
        for b in by:
            rb = r.entry.symbols[b].rank
            k, rest = rest[:rb], rest[rb:]
            target = r.arrays[b][k] if rb else r.arrays[b][()]
            if b in r.var_syms:
                comp = sympy.diff(comp, target)
            else:   # ∂g/∂u for g a function of u's components: the partial in slot k
                flat = r._flat(r.arrays[b])
                slot = flat.index(target)
                comp = comp.fdiff(slot + 1) if hasattr(comp, "fdiff") else sympy.Integer(0)
        return comp

    def matrix_function(self, func: str, arg: MExpr) -> sympy.Matrix:
        key = (func, arg)
        if key not in self.cache:
            m = self.matrix(arg)
            if func == "inv":
                m = m.adjugate() / m.det(method="berkowitz")
            elif func == "adj":
                m = m.adjugate()
            elif func == "pinv" and self._pinv(arg) is not None:
                m = self.matrix(self._pinv(arg))
            elif func:
                raise OutOfReach(f"{func} at the exact level")
            self.cache[key] = m
        return self.cache[key]

    def _pinv(self, arg: MExpr) -> MExpr | None:
        from .derive import pinv_closed_form
        return pinv_closed_form(arg, self.r.entry.symbols)

    def matrix(self, m: MExpr) -> sympy.Matrix:
        r = self.r
        if isinstance(m, MNum):
            return sympy.Matrix([[m.value]])
        if isinstance(m, MSym):
            a = r.arrays[m.name]
            if not a.shape:
                return sympy.Matrix([[a[()]]])
            return sympy.Matrix(a.tolist()) if len(a.shape) == 2 else sympy.Matrix(list(a))
        if isinstance(m, MT):
            return self.matrix(m.arg).T
        if isinstance(m, MNeg):
            return -self.matrix(m.arg)
        if isinstance(m, MD):
            var = r.entry.wrt[0].name
            return self.matrix(MSym(m.name)).diff(r.arrays[var][()])
        if isinstance(m, MBin):
            a, b = self.matrix(m.left), self.matrix(m.right)
            if m.op == "@":
                return a * b
            if a.shape == (1, 1) and b.shape != (1, 1):
                a = sympy.ones(*b.shape) * a[0, 0]
            if b.shape == (1, 1) and a.shape != (1, 1):
                b = sympy.ones(*a.shape) * b[0, 0]
            if m.op == "*":
                return a.multiply_elementwise(b)
            if m.op == "/":
                return a.applyfunc(lambda z: z) .multiply_elementwise(b.applyfunc(lambda z: 1 / z))
            return a + b if m.op == "+" else a - b
        if isinstance(m, MCall):
            f = m.func
            if f in ("inv", "adj"):
                return self.matrix_function(f, m.args[0])
            if f in ("det", "tr"):
                x = self.matrix(m.args[0])
                return sympy.Matrix([[x.det(method="berkowitz") if f == "det" else x.trace()]])
            if f == "pinv" and self._pinv(m.args[0]) is not None:
                return self.matrix(self._pinv(m.args[0]))
            if f == "eye":
                return sympy.eye(self._size(m.args[0].name))
            if f == "ones":
                return sympy.ones(self._size(m.args[0].name), 1)
            if f == "diag":
                x = self.matrix(m.args[0])
                if x.shape[1] == 1:
                    return sympy.diag(*list(x))
                return sympy.Matrix([x[i, i] for i in range(x.shape[0])])
            if f == "kron":
                a, b = self.matrix(m.args[0]), self.matrix(m.args[1])
                return sympy.Matrix(a.rows * b.rows, a.cols * b.cols, lambda i, j:
                                    a[i // b.rows, j // b.cols] * b[i % b.rows, j % b.cols])
            if f == "vec":          # column-major, as NumPy's order="F"
                x = self.matrix(m.args[0])
                return sympy.Matrix([x[i, j] for j in range(x.cols) for i in range(x.rows)])
            if len(m.args) == 1 and f not in ("expm", "logm", "sinm", "cosm", "pinv", "eigval",
                                              "eigvec"):
                x = self.matrix(m.args[0])
                return x.applyfunc(lambda z: self.call(f, m.order, z))
            raise OutOfReach(f"{f} at the exact level")
        raise OutOfReach(f"{type(m).__name__} at the exact level")


def is_zero(x: sympy.Expr) -> bool | None:
    """True if proven zero; None if SymPy cannot tell within its budget."""
    if x == 0:
        return True
    x = sympy.expand(x)
    if x == 0:
        return True
    if sympy.count_ops(x) > MAX_OPS:
        return None
    y = sympy.cancel(sympy.together(x))
    if y == 0:
        return True
    z = sympy.simplify(y)
    return True if z == 0 else None


def _nonzero_somewhere(x: sympy.Expr) -> bool:
    """x evaluated, at 30 digits, at a fixed rational point away from zero (a constant as it
    is): clearly nonzero?"""
    free = sorted(x.free_symbols, key=str)
    if x.atoms(sympy.Function) - x.atoms(sympy.exp, sympy.log, sympy.sin, sympy.cos,
                                                       sympy.tan, sympy.tanh, sympy.sqrt):
        return False         # abstract functions cannot be evaluated at a point
    point = {v: sympy.Rational(3 + 2 * k, 7 + k) for k, v in enumerate(free)}
    try:
        value = complex(x.subs(point).evalf(30))
    except (TypeError, ValueError, ZeroDivisionError):
        return False
    return abs(value) > 1e-12 and value == value


def _unequal(diff: sympy.Expr, where: str) -> tuple[bool | None, str] | None:
    """None if `diff` is proven zero; else (False, why) if it is clearly nonzero somewhere,
    or (None, why) if SymPy cannot decide."""
    if is_zero(diff):
        return None
    if _nonzero_somewhere(diff):
        return False, f"{where} differs (nonzero at a rational point)"
    return None, f"SymPy could not decide {where}"


def exact_sizes(entry: Entry) -> dict[str, int]:
    """Small distinct sizes, the smallest for dimensions of square matrices."""
    square = set()
    for n in walk(entry.of):
        if isinstance(n, (MatScalar, MatEntry)):
            square |= {d for s in entry.symbols.values() for d in s.shape}
    names = sorted({d for s in entry.symbols.values() for d in s.shape if not d.isdigit()},
                   key=lambda d: (d not in square, d))
    out = {d: 2 + k for k, d in enumerate(names)}
    for s in entry.symbols.values():     # a full-column-rank p x q matrix needs p > q
        for rank in ("full-column-rank", "full-row-rank"):   # full-row-rank: p < q
            if rank in s.assume and not any(d.isdigit() for d in s.shape):
                p, q = s.shape if rank == "full-column-rank" else s.shape[::-1]
                if out[p] < out[q]:
                    out[p], out[q] = out[q], out[p]
    return out


def exact_check(entry: Entry, claim: Expr | None = None) -> tuple[bool | None, str, dict]:
    """(True, '', sizes) if every component agrees; (False, why, sizes) if one provably
    differs; (None, why, sizes) if out of reach."""
    sizes = exact_sizes(entry)
    start = time.process_time()   # CPU time: the budget does not shrink under load
    try:
        realm = Realm(entry, sizes)
        ev = Evaluator(realm)
        claim = entry.derivative if claim is None else claim
        if any(isinstance(n, Integral) for x in (entry.of, claim) for n in walk(x)):
            raise OutOfReach("an integral (integral(...)) is out of reach at the exact level")
        free = entry.free
        ranges = [range(ev.dims[i]) for i in free]
        lhs_n = len(entry.lhs_indices)
        values: dict = {}
        total = 1
        for r in ranges:
            total *= len(r)
        for done, idx in enumerate(itertools.product(*ranges)):
            if time.process_time() - start > BUDGET:
                return None, (f"stopped after {BUDGET:g} s of CPU time with {done} of {total} components "
                              "checked"), sizes
            at = dict(zip(free, idx))
            key = idx[:lhs_n]
            if key not in values:
                values[key] = ev.index(entry.of, at)
            y = values[key]
            pos = lhs_n
            for v in entry.wrt:
                rank = entry.symbols[v.name].rank
                comp = idx[pos:pos + rank]
                pos += rank
                target = realm.var_syms[v.name][comp] if rank else realm.var_syms[v.name][()]
                y = sympy.diff(y, target)
            rhs = ev.index(claim, at)
            unequal = _unequal(realm.impose(y) - realm.impose(rhs), f"component {at}")
            if unequal:
                return (*unequal, sizes)
    except OutOfReach as e:
        return None, str(e), sizes
    except (ZeroDivisionError, ValueError, TypeError, NotImplementedError, KeyError) as e:
        return None, f"SymPy: {type(e).__name__}: {e}", sizes
    return True, "", sizes


def exact_check_complex(entry: Entry) -> tuple[bool | None, str, dict]:
    """An entry with complex symbols (an extension) states a differential (entry.derivative,
    with d(X) atoms). Each complex symbol's components are A + iB with A, B real SymPy symbols;
    for every component K of the variable, the partials of every component of `of` by A_K and
    by B_K (the function along E_K and i E_K) are compared with the differential at
    d(X) = E_K and d(X) = i E_K. An R-linear map is determined by these values."""
    sizes = exact_sizes(entry)
    start = time.process_time()
    try:
        if any(isinstance(n, Integral) for x in (entry.of, entry.derivative) for n in walk(x)):
            raise OutOfReach("an integral (integral(...)) is out of reach at the exact level")
        for x in (entry.of, entry.derivative):
            bad = next((n.func for n in walk(x) if isinstance(n, Call) and (
                n.func in ("abs", "relu") or n.func in entry.symbols)), None)
            if bad:    # their SymPy rules here are for a real argument
                raise OutOfReach(f"'{bad}' of a complex argument is out of reach at the exact "
                                 "level")
        realm = Realm(entry, sizes)
        var = entry.wrt[0].name
        vshape = realm.shape(var)
        cells = list(itertools.product(*(range(n) for n in vshape)))
        targets = {k: [(realm.var_syms[var][k], sympy.Integer(1))] for k in cells}
        for name, s in entry.symbols.items():
            if "complex" not in s.assume:
                continue
            shape = realm.shape(name)
            tag = "_".join
            re = {i: sympy.Symbol(f"re_{name}_{tag(map(str, i))}", real=True)
                  for i in itertools.product(*(range(n) for n in shape))}
            im = {i: sympy.Symbol(f"im_{name}_{tag(map(str, i))}", real=True) for i in re}
            realm.arrays[name] = _array({i: re[i] + sympy.I * im[i] for i in re}, shape)
            if name == var:
                targets = {k: [(re[k], sympy.Integer(1)), (im[k], sympy.I)] for k in cells}
        ev = Evaluator(realm)
        lhs = entry.lhs_indices
        ranges = [range(ev.dims[i]) for i in lhs]
        values = {idx: ev.index(entry.of, dict(zip(lhs, idx)))
                  for idx in itertools.product(*ranges)}
        for k in cells:
            for target, unit in targets[k]:
                ev.directions = {var: _array({c: unit if c == k else sympy.Integer(0)
                                              for c in cells}, vshape)}
                for idx, y in values.items():
                    at = dict(zip(lhs, idx))
                    if time.process_time() - start > BUDGET:
                        return None, f"stopped after {BUDGET:g} s of CPU time", sizes
                    where = f"component {at} along {'i ' if unit != 1 else ''}E_{list(k)}"
                    unequal = _unequal(sympy.diff(y, target) - ev.index(entry.derivative, at),
                                       where)
                    if unequal:
                        return (*unequal, sizes)
    except OutOfReach as e:
        return None, str(e), sizes
    except (ZeroDivisionError, ValueError, TypeError, NotImplementedError, KeyError) as e:
        return None, f"SymPy: {type(e).__name__}: {e}", sizes
    return True, "", sizes
