"""`simplify.simplify`: the engine's simplified derived forms, as printed (display tree) and as
evaluated (resolved tree). The display form must re-read, under the Einstein convention, as
the same tensor; sources are named as in test_derive."""
from __future__ import annotations

import pytest

from generator.canonical import equal
from generator.derive import differentiate
from generator.model import Symbol, Variable
from generator.parse_index import parse_index
from generator.printing import index_text
from generator.resolve import Context, assign_dims, resolve
from generator.simplify import simplify
from generator.treeops import unbound

SYMBOLS = {n: Symbol(n, ("n",)) for n in ("w", "x", "y", "z")}
SYMBOLS.update({
    "c": Symbol("c"), "A": Symbol("A", ("n", "n")),
    "S": Symbol("S", ("n", "n"), frozenset({"symmetric"})),
    "X": Symbol("X", ("n", "n"), frozenset({"invertible"})),
})
DIMS = {"i": "n", "j": "n", "k": "n", "l": "n"}


def tree(text: str, free: tuple[str, ...], dims=DIMS):
    ctx = Context(SYMBOLS, ("x", "X"), frozenset(free))
    t, exposed = resolve(parse_index(text), ctx)
    t, _ = assign_dims(t, ctx, {i: dims[i] for i in free})
    assert ctx.problems == [] and exposed <= set(free), (text, ctx.problems)
    return t


# (what, free, symmetric, expression, its simplified display)
SIMPLIFIED = [
    ("like terms add", ("k",), (), "x[k] + x[k]", "2 * x[k]"),
    ("like terms cancel", ("k",), (), "x[k] - x[k]", "0"),
    ("delta contraction", ("i", "k"), (), "A[i,j] * delta[j,k]", "A[i,k]"),
    ("delta contraction on a vector", ("k",), (), "x[i] * delta[i,k]", "x[k]"),
    ("a quotient cancels", ("k",), (), "c * x[k] / c", "x[k]"),
    ("a sum over an unused index", ("k",), (), "sum(j, x[j] / x[j]) * x[k]", "x[k] * dim(n)"),
    ("renamed dummies cancel", (), (), "x[i] * y[i] * z[j] * w[j] - z[i] * w[i] * x[j] * y[j]", "0"),
]


@pytest.mark.parametrize("what, free, symmetric, text, shown", SIMPLIFIED,
                         ids=[row[0] for row in SIMPLIFIED])
def test_simplified_display(what, free, symmetric, text, shown):
    resolved, display = simplify(tree(text, free), free, SYMBOLS, frozenset(symmetric))
    assert index_text(display) == shown
    assert equal(resolved, tree(text, free), free, SYMBOLS, frozenset(symmetric))


# (source, variable, free, symmetric, function, the engine's derivative as printed or None when
#  the printed form has dummy names, checked by re-reading instead)
DERIVED = [
    ("Wikipedia scalar-by-matrix row 8 / Cookbook eq. 70", Variable("X", ("k", "l")), ("k", "l"),
     (), "w[i] * X[i,j] * y[j]", "w[k] * y[l]"),
    ("Wikipedia scalar-by-matrix row 27 / Cookbook eq. 49", Variable("X", ("k", "l")), ("k", "l"),
     (), "det(X)", "det(X) * inv(X)[l,k]"),
    ("Wikipedia scalar-by-matrix row 28 / Cookbook eq. 57", Variable("X", ("k", "l")), ("k", "l"),
     (), "log(abs(det(X)))", "inv(X)[l,k]"),
    ("Cookbook eq. 60", Variable("X", ("k", "l")), ("i", "j", "k", "l"),
     (), "inv(X)[i,j]", "-inv(X)[i,k] * inv(X)[l,j]"),
    ("Wikipedia scalar-by-matrix row 23 (n = 2) / Cookbook eq. 106", Variable("X", ("k", "l")),
     ("k", "l"), (), "tr(X @ X)", "2 * X[l,k]"),
    ("Wikipedia vector-by-vector row 3", Variable("x", ("k",)), ("i", "k"), (),
     "A[i,j] * x[j]", "A[i,k]"),
    ("Wikipedia scalar-by-vector row 16", Variable("x", ("k",)), ("k",), (),
     "x[i] * x[i]", "2 * x[k]"),
    ("Wikipedia scalar-by-vector row 12 / Cookbook eq. 81", Variable("x", ("k",)), ("k",), (),
     "x[i] * A[i,j] * x[j]", None),
    ("Wikipedia scalar-by-vector row 13", Variable("x", ("k",)), ("k",), ("S",),
     "x[i] * S[i,j] * x[j]", None),
    ("Wikipedia scalar-by-matrix row 21 / Cookbook eq. 101", Variable("X", ("k", "l")),
     ("k", "l"), (), "tr(A @ X @ A)", None),
    ("Wikipedia 'Softmax function'", Variable("x", ("k",)), ("i", "k"), (),
     "exp(x[i]) / sum(j, exp(x[j]))", None),
    ("Wikipedia scalar-by-vector row 20", Variable("x", ("k",)), ("k",), (),
     "sqrt(x[i] * x[i])", None),
]


@pytest.mark.parametrize("source, var, free, symmetric, text, shown", DERIVED,
                         ids=[row.values[0] if hasattr(row, "marks") else row[0]
                              for row in DERIVED])
def test_derived_form(source, var, free, symmetric, text, shown):
    sym = frozenset(symmetric)
    of_free = tuple(i for i in free if i not in var.indices)
    d = differentiate(tree(text, of_free), var, SYMBOLS)
    resolved, display = simplify(d, free, SYMBOLS, sym)
    assert equal(resolved, d, free, SYMBOLS, sym), source
    assert unbound(resolved) <= set(free)
    printed = index_text(display)
    if shown is not None:
        assert printed == shown, source
    # the printed form, read back under the Einstein convention, is the same tensor
    assert equal(tree(printed, free), d, free, SYMBOLS, sym), (source, printed)


def test_symmetric_quadratic_form_merges_its_two_terms():
    # Wikipedia scalar-by-vector row 13: with S symmetric the two terms of row 12 are one
    free = ("k",)
    d = differentiate(tree("x[i] * S[i,j] * x[j]", ()), Variable("x", ("k",)), SYMBOLS)
    general = index_text(simplify(d, free, SYMBOLS)[1])
    symmetric = index_text(simplify(d, free, SYMBOLS, frozenset({"S"}))[1])
    assert " + " in general and " + " not in symmetric and symmetric.startswith("2 * ")
