"""Einstein resolution (NOTATION.md, "Index notation"): where each implicit sum is bound,
scopes, explicit sums, renaming apart, and the dimension of every index."""
from __future__ import annotations

import pytest
import sympy

from generator.expr import Add, Call, Comp, Delta, Mul, Num, Pow, Sum
from generator.model import Symbol
from generator.parse_index import parse_index
from generator.resolve import Context, assign_dims, resolve
from generator.treeops import unbound, walk

SYMBOLS = {n: Symbol(n, ("n",)) for n in ("v", "w", "x", "y", "z")}
SYMBOLS.update({"q": Symbol("q", ("p",)), "A": Symbol("A", ("m", "n")),
                "B": Symbol("B", ("n", "n")), "a": Symbol("a")})
M1, TWO = Num(sympy.Integer(-1)), Num(sympy.Integer(2))


def c(name: str, *indices: str) -> Comp:
    return Comp(name, indices)


def run(text: str, free: tuple[str, ...] = ()):
    """The resolved tree with dimensions, the indices it leaves unbound, the dimension map and
    the problems found, as the entry checker sees them."""
    ctx = Context(SYMBOLS, ("x",), frozenset(free))
    tree, exposed = resolve(parse_index(text), ctx)
    tree, dims = assign_dims(tree, ctx, {})
    return tree, exposed, dims, ctx.problems


def sums(tree) -> list[Sum]:
    return [n for n in walk(tree) if isinstance(n, Sum)]


# (text, free indices, the resolved tree) -- every sum bound where NOTATION.md says
RESOLVED = [
    # the innermost product term binds: Σ_j A_ij x_j
    ("A[i,j] * x[j]", ("i",), Sum("j", Mul((c("A", "i", "j"), c("x", "j"))), "n")),
    # a parenthesised sum is a factor of the outer product: Σ_j x_j (y_j + z_j)
    ("x[j] * (y[j] + z[j])", (),
     Sum("j", Mul((c("x", "j"), Add((c("y", "j"), c("z", "j"))))), "n")),
    # free indices are never summed, inside function arguments too: elementwise
    ("tanh(w[i] * x[i])", ("i",), Call("tanh", Mul((c("w", "i"), c("x", "i"))))),
    # ... but a bound index in a function argument is summed inside the argument
    ("tanh(w[i] * x[i])", (), Call("tanh", Sum("i", Mul((c("w", "i"), c("x", "i"))), "n"))),
    # one occurrence in the argument, one outside: summed outside, Σ_j exp(x_j) y_j
    ("exp(x[j]) * y[j]", (), Sum("j", Mul((Call("exp", c("x", "j")), c("y", "j"))), "n")),
    # three occurrences are summed once, over the whole product
    ("x[j] * y[j] * z[j]", (), Sum("j", Mul((c("x", "j"), c("y", "j"), c("z", "j"))), "n")),
    ("x[i] * x[i] * x[i] * x[i]", (), Sum("i", Mul((c("x", "i"),) * 4), "n")),
    # an explicit sum binds j: its body is not summed again
    ("sum(j, x[j] * y[j] * z[j])", (),
     Sum("j", Mul((c("x", "j"), c("y", "j"), c("z", "j"))), "n")),
    # softmax: the explicit sum is bound inside the denominator, i stays free
    ("exp(z[i]) / sum(j, exp(z[j]))", ("i",),
     Mul((Call("exp", c("z", "i")), Pow(Sum("j", Call("exp", c("z", "j")), "n"), M1)))),
    # NOTATION.md: `sum(c, w[c] * exp(-v[c]^2))` is elementwise inside exp
    ("sum(c, w[c] * exp(-v[c]^2))", (),
     Sum("c", Mul((c("w", "c"), Call("exp", Mul((M1, Pow(c("v", "c"), TWO)))))), "n")),
    # a power counts its base's indices
    ("x[j]^2 * y[j]", (), Sum("j", Mul((Pow(c("x", "j"), TWO), c("y", "j"))), "n")),
    # a free index is never summed, even when it occurs twice
    ("x[i] * y[i]", ("i",), Mul((c("x", "i"), c("y", "i")))),
    # a bound index is never summed again in the outer scope that repeats it
    ("B[i,j] * B[j,k]", ("i", "k"), Sum("j", Mul((c("B", "i", "j"), c("B", "j", "k"))), "n")),
]


@pytest.mark.parametrize("text, free, tree", RESOLVED, ids=[f"{t} free={f}" for t, f, _ in RESOLVED])
def test_resolution(text, free, tree):
    got, exposed, _, problems = run(text, free)
    assert problems == []
    assert got == tree
    assert exposed == set(free)
    assert unbound(got) == set(free)


# A bound index does not count outside its scope: used once more outside, it is left over
# (the entry checker reports it as "neither free nor summed"), side by side with valid twins.
@pytest.mark.parametrize("text, left_over", [
    ("(x[j] * y[j]) * z[k] * w[k]", set()),
    ("(x[j] * y[j]) * z[j]", {"j"}),
    ("exp(x[j] * y[j]) * z[k] * w[k]", set()),
    ("exp(x[j] * y[j]) * z[j]", {"j"}),
    ("sum(j, x[j]) * y[k] * z[k]", set()),
    ("sum(j, x[j]) * y[j]", {"j"}),
    ("x[j] + y[j]", {"j"}),            # a sum of terms is not a product: nothing summed
    ("x[j]^2", {"j"}),
])
def test_bound_index_does_not_count_outside(text, left_over):
    _, exposed, _, problems = run(text)
    assert problems == []
    assert exposed == left_over


@pytest.mark.parametrize("text", [
    "x[j] * y[j] + z[j] * w[j]",           # one name summed in two terms
    "(x[j] * y[j]) * (z[j] * w[j])",       # ... in two groups of one product
    "sum(i, x[i]) * sum(i, y[i])",         # two explicit sums over the same name
    "sum(j, x[j]) * sum(j, y[j]) * (v[j] * w[j])",
])
def test_reused_bound_names_are_renamed_apart(text):
    tree, exposed, dims, problems = run(text)
    assert problems == [] and exposed == set()
    names = [s.index for s in sums(tree)]
    assert len(names) == len(set(names)) >= 2
    assert unbound(tree) == set()
    for s in sums(tree):            # each sum's body uses its own name, twice or as sum(i, x[i])
        assert s.index in {i for n in walk(s.body) for i in getattr(n, "indices", ())}
        assert dims[s.index] == "n" and s.dim == "n"


def test_outer_sum_renamed_around_an_inner_one():
    tree, exposed, _, problems = run("(x[j] * y[j]) * z[j] * w[j]")
    assert problems == [] and exposed == set()
    assert isinstance(tree, Sum) and tree.index != "j"
    o = tree.index
    assert tree.body == Mul((Sum("j", Mul((c("x", "j"), c("y", "j"))), "n"), c("z", o), c("w", o)))


@pytest.mark.parametrize("text, dims, problem", [
    # renamed apart, one name may run over two dimensions in two scopes
    ("x[j] * x[j] + q[j] * q[j]", {"n", "p"}, None),
    ("x[j] * q[j]", None, "index 'j' runs over different dimensions: n, p"),
    ("A[i,j] * x[j]", {"n"}, None),
    ("A[j,i] * x[j]", None, "index 'j' runs over different dimensions: m, n"),
])
def test_dimension_of_each_summed_index(text, dims, problem):
    tree, _, _, problems = run(text, ("i",) if "i" in text else ())
    if problem is None:
        assert problems == []
        assert {s.dim for s in sums(tree)} == dims
    else:
        assert problems == [problem]


@pytest.mark.parametrize("text, free, dims, problem", [
    # kron(A, B) of an m x n A and a p x q B is mp x nq: its indices run over products
    ("(kron(A, q))[i,j]", ("i", "j"), {"i": "m*p", "j": "n"}, None),
    ("(kron(B, B))[i,j]", ("i", "j"), {"i": "n**2", "j": "n**2"}, None),    # as SymPy prints n*n
    ("(kron(x, q))[i]", ("i",), {"i": "n*p"}, None),
    ("(kron(A, q))[i,j] * x[j]", ("i",), {"i": "m*p", "j": "n"}, None),
    ("(kron(A, q))[j,i] * x[j]", ("i",), None,
     "index 'j' runs over different dimensions: m*p, n"),
    ("(kron(B, B))[i,j] * x[j]", ("i",), None,
     "index 'j' runs over different dimensions: n, n**2"),
    ("sinm(B)[i,j] * cosm(B)[j,k]", ("i", "k"), {"i": "n", "j": "n", "k": "n"}, None),
    ("sinm(A)[i,j]", ("i", "j"), None, "matrix expression: sinm() of a non-square matrix"),
])
def test_dimensions_of_matrix_function_indices(text, free, dims, problem):
    _, _, got, problems = run(text, free)
    if problem is None:
        assert problems == []
        assert got == dims
    else:
        assert problem in problems


def test_delta_carries_a_dimension():
    tree, _, dims, problems = run("A[i,j] * delta[j,k]", ("i", "k"))
    assert problems == []
    assert dims == {"i": "m", "j": "n", "k": "n"}
    assert tree == Sum("j", Mul((c("A", "i", "j"), Delta("j", "k"))), "n")


@pytest.mark.parametrize("text, free, problem", [
    ("sum(j, x[j])", (), None),
    ("sum(i, x[i])", ("i",), "sum index 'i' is already a free or summed index here"),
    ("sum(j, x[k] * x[k])", (), "sum index 'j' does not occur in its body"),
    ("sum(j, x[j] * sum(j, y[j]))", (), "sum index 'j' is already a free or summed index here"),
])
def test_explicit_sum_problems(text, free, problem):
    _, _, _, problems = run(text, free)
    assert problems == ([] if problem is None else [problem])


@pytest.mark.parametrize("text, problem", [
    ("A[i,j] * x[j]", None),
    ("A[i] * x[i]", "'A' has rank 2 but is written with 1 index"),
    ("C[i,j] * x[j]", "undeclared symbol 'C'"),
    ("a[i] * x[i]", "'a' has rank 0 but is written with 1 index"),
])
def test_leaf_checks(text, problem):
    _, _, _, problems = run(text, ("i",))
    assert problems == ([] if problem is None else [problem])


def test_index_only_in_a_delta_is_reported():
    tree, _, dims, problems = run("x[i] * x[i] * delta[j,j]")
    assert problems or dims.get("j")
