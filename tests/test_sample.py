"""Random samples respect their assumptions; dependent maps agree with their Jacobians."""
import numpy as np
import pytest

from generator.sample import (COND_BOUND, assumption_violations, condition_number_ok, draw_symbol,
                              make_dependent, make_scalar_function)

SEEDS = range(40)


def cond(a):
    s = np.linalg.svd(a, compute_uv=False)
    return s.max() / s.min()


def holds(a, assume):
    """The assumptions, checked here independently of sample.assumption_violations."""
    out = []
    for name in assume:
        ok = {
            "symmetric": lambda: np.allclose(a, a.T, atol=1e-12),
            "positive-definite": lambda: np.allclose(a, a.T, atol=1e-12)
            and np.all(np.linalg.eigvalsh(a) > 0),
            "invertible": lambda: cond(a) <= COND_BOUND,
            "full-column-rank": lambda: a.shape[0] >= a.shape[1] and cond(a) <= COND_BOUND,
            "orthogonal": lambda: np.allclose(a @ a.T, np.eye(len(a)), atol=1e-12),
            "diagonal": lambda: np.array_equal(a, np.diag(np.diag(a))),
            "positive": lambda: np.all((np.diag(a) if "diagonal" in assume else a) > 0),
            "nonzero": lambda: np.any(a != 0),
        }[name]()
        if not ok:
            out.append(name)
    return out


CASES = [
    ((), ()), ((), ("positive",)), ((), ("nonzero",)), ((4,), ()), ((4,), ("positive",)),
    ((3, 2), ()), ((3, 3), ("symmetric",)), ((3, 3), ("invertible",)),
    ((4, 4), ("positive-definite",)), ((3, 3), ("orthogonal",)), ((3, 3), ("diagonal",)),
    ((4, 2), ("full-column-rank",)), ((3, 3), ("positive",)), ((2, 3), ("nonzero",)),
    ((3, 3), ("symmetric", "invertible")), ((3, 3), ("diagonal", "positive")),
    ((3, 3), ("diagonal", "invertible")), ((3, 3), ("positive-definite", "positive")),
    ((5, 5), ("positive-definite", "positive")), ((3, 3), ("symmetric", "positive")),
    ((3, 3), ("invertible", "positive")), ((5, 3), ("full-column-rank", "positive")),
    ((3, 3), ("symmetric", "positive", "invertible")), ((3, 3), ("orthogonal", "symmetric")),
    ((3, 3), ("orthogonal", "positive-definite")), ((3, 3), ("orthogonal", "diagonal")),
    ((3, 3), ("orthogonal", "diagonal", "positive")), ((1, 1), ("orthogonal", "positive")),
    ((3, 3), ("positive-definite", "diagonal")), ((3, 3), ("invertible", "full-column-rank")),
    ((2, 2), ("symmetric", "invertible", "nonzero")),
]


@pytest.mark.parametrize("shape, assume", CASES)
def test_draw_respects_assumptions(shape, assume):
    assume = frozenset(assume)
    for seed in SEEDS:
        a = draw_symbol(np.random.default_rng(seed), shape, assume)
        assert a.shape == shape and a.dtype == float
        assert holds(a, assume) == [], (seed, a)
        assert assumption_violations(a, assume) == []
        if not assume - {"positive", "nonzero", "symmetric"}:   # generic entries: off the kink
            assert np.all(np.abs(a) >= 0.3) and np.all(np.abs(a) <= 1.3)


@pytest.mark.parametrize("shape, assume, message", [
    ((3,), ("symmetric",), "needs a matrix"),
    ((), ("positive-definite",), "needs a matrix"),
    ((3, 2), ("invertible",), "square"),
    ((2, 3), ("full-column-rank",), "full column rank"),
    ((3, 3), ("orthogonal", "positive"), "must be diagonal"),
    ((3, 3), ("sparse",), "unknown assumption"),
])
def test_draw_rejects_impossible_requests(shape, assume, message):
    with pytest.raises(ValueError, match=message):
        draw_symbol(np.random.default_rng(0), shape, frozenset(assume))


def test_draw_is_deterministic_and_varied():
    one = draw_symbol(np.random.default_rng(5), (3, 3), frozenset({"invertible"}))
    two = draw_symbol(np.random.default_rng(5), (3, 3), frozenset({"invertible"}))
    np.testing.assert_array_equal(one, two)
    signs = {np.sign(np.linalg.det(draw_symbol(np.random.default_rng(s), (3, 3),
                                               frozenset({"invertible"})))) for s in SEEDS}
    assert signs == {-1.0, 1.0}
    eig_signs = {tuple(np.sign(np.linalg.eigvalsh(draw_symbol(
        np.random.default_rng(s), (3, 3), frozenset({"symmetric", "invertible"}))))) for s in SEEDS}
    assert len(eig_signs) > 2                      # not only definite matrices


@pytest.mark.parametrize("a, ok", [
    (np.eye(3), True), (np.diag([1.0, 20.0]), False), (np.diag([1.0, 0.0]), False),
    (np.ones((3, 2)), False), (np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), True),
    (np.array(0.0), False), (np.array(2.0), True), (np.zeros(3), False),
    (np.array([[np.nan]]), False), (np.array([1.0, np.inf]), False),
])
def test_condition_number_ok(a, ok):
    assert condition_number_ok(a) is ok


def fd_jacobian(f, x, h=1e-5):
    x = np.asarray(x, dtype=float)
    out = np.zeros(np.shape(f(x)) + x.shape)
    for k in np.ndindex(*x.shape):
        e = np.zeros_like(x)
        e[k] = h
        out[(...,) + k] = (f(x + e) - f(x - e)) / (2 * h)
    return out


DEP_CASES = [
    ((), (), ()), ((3,), (3,), ()), ((2,), (4,), ("positive",)), ((), (3,), ("positive",)),
    ((3, 3), (), ("invertible",)), ((2, 3), (), ()), ((3, 3), (2, 2), ("symmetric",)),
    ((3, 3), (3,), ("positive-definite",)), ((3, 3), (), ("orthogonal",)),
    ((3, 3), (2,), ("orthogonal", "symmetric")), ((3, 3), (), ("diagonal", "positive")),
    ((3, 3), (2,), ("diagonal", "orthogonal")), ((4, 2), (3,), ("full-column-rank",)),
    ((3, 3), (), ("positive-definite", "positive")), ((3, 3), (2, 2), ("invertible", "positive")),
    ((3, 3), (), ("orthogonal", "positive-definite")), ((), (2, 2), ("nonzero",)),
]


@pytest.mark.parametrize("out_shape, in_shape, assume", DEP_CASES)
def test_dependent_jacobian_and_assumptions(out_shape, in_shape, assume):
    assume = frozenset(assume)
    for seed in range(6):
        rng = np.random.default_rng(seed)
        dep = make_dependent(rng, out_shape, in_shape, assume)
        for scale in (1.0, 5.0):
            x = rng.uniform(-scale, scale, in_shape)
            u = dep.value(x)
            assert u.shape == out_shape
            assert holds(u, assume) == [], (seed, u)
            jac = dep.jacobian(x)
            assert jac.shape == out_shape + in_shape
            np.testing.assert_allclose(jac, fd_jacobian(dep.value, x), atol=1e-8, rtol=1e-6)


def test_dependent_jacobian_is_not_symmetric_and_not_zero():
    for seed in range(10):
        rng = np.random.default_rng(seed)
        dep = make_dependent(rng, (4,), (4,), frozenset())
        jac = dep.jacobian(rng.uniform(-1, 1, 4))
        assert np.abs(jac - jac.T).max() > 1e-3 and np.abs(jac).max() > 1e-2
        sym = make_dependent(rng, (3, 3), (), frozenset({"symmetric"}))
        assert np.abs(sym.jacobian(np.array(0.3))).max() > 1e-3


def test_dependent_is_deterministic():
    a = make_dependent(np.random.default_rng(3), (2, 2), (2,), frozenset({"invertible"}))
    b = make_dependent(np.random.default_rng(3), (2, 2), (2,), frozenset({"invertible"}))
    x = np.array([0.4, -0.9])
    np.testing.assert_array_equal(a.value(x), b.value(x))
    np.testing.assert_array_equal(a.jacobian(x), b.jacobian(x))


@pytest.mark.parametrize("seed", range(10))
def test_scalar_function_derivatives(seed):
    fs = make_scalar_function(np.random.default_rng(seed))
    z = np.linspace(-2, 2, 7)
    for k in range(3):
        h = 1e-5
        np.testing.assert_allclose(fs[k + 1](z), (fs[k](z + h) - fs[k](z - h)) / (2 * h),
                                   atol=1e-8)
    assert all(np.shape(f(z)) == z.shape for f in fs)
    assert all(np.shape(f(np.array(0.5))) == () for f in fs)
    assert np.abs(fs[1](z)).max() > 0.1
