"""Fuzzing everything that reads untrusted text (issue 6, point 5): both parsers, and the form
checks behind `load_catalogue`.

Properties: a parser either returns a tree or raises the project's own NotationError (one
line, with a column inside the text); `load_catalogue` never raises and returns problems that
are each one line `path:line: entry-id: message` with a line inside the file. Nothing may
hang: every case runs under a hypothesis deadline and a hard alarm.

Most input is near-valid, from a grammar (symbols, indices, brackets, operators, functions,
numbers, hostile fragments and confusable Unicode), then mutated, so that the parsers get
deep; some is plain random text. Every test counts the cases it ran, a text drawn twice once;
the last test prints the total and the time and checks that together they are at least
MIN_CASES in under MAX_SECONDS of CPU time (the wall-clock time is printed too, but a busy
machine stretches it).
"""
from __future__ import annotations

import copy
import re
import signal
import time
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalogue import load_catalogue
from generator.expr import RESERVED, NotationError
from generator.lexer import MAX_DEPTH
from generator.parse_index import parse_equation, parse_index, parse_variable
from generator.parse_matrix import parse_matrix

MIN_CASES = 10_000
MAX_SECONDS = 60.0
HARD_LIMIT = 20.0           # seconds for one case: far beyond any deadline, so only a hang rings
FUNCTIONS = frozenset({"f", "g"})
RUNS: dict[str, list] = {}  # test name -> [cases, CPU seconds, wall-clock seconds]
SEEN: dict[str, set] = {}   # test name -> the texts run (a repeated text is not a new case)
# Texts drawn per hypothesis example: drawing an example costs more than parsing a text, so
# several distinct texts per example make the cases cheap without making them alike.
BATCH = 5


def fuzz_settings(cases: int, deadline_ms: int):
    # The deadline is generous (a parse takes well under a millisecond, a file a few) so that
    # a loaded CI machine does not fail it; a slow path (catastrophic backtracking, a huge
    # power worked out) would.
    return settings(max_examples=cases, deadline=timedelta(milliseconds=deadline_ms),
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much],
                    print_blob=True)


class Hang(Exception):
    """Not a NotationError: a case that rings the alarm fails its test."""


@contextmanager
def case(name: str, text: str):
    """One fuzz case: counted if its text is new to the test, and stopped by an alarm if it
    hangs."""
    seen = SEEN.setdefault(name, set())
    if text not in seen:
        seen.add(text)
        RUNS.setdefault(name, [0, 0.0, 0.0])[0] += 1

    def ring(signum, frame):
        raise Hang(f"no answer within {HARD_LIMIT} s")
    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, HARD_LIMIT)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def timed(name: str, run) -> None:
    cpu, wall = time.process_time(), time.perf_counter()
    run()
    record = RUNS.setdefault(name, [0, 0.0, 0.0])
    record[1] += time.process_time() - cpu
    record[2] += time.perf_counter() - wall


# --- the grammar ----------------------------------------------------------------------------

SYMBOLS = ["A", "B", "X", "x", "y", "u", "t", "a", "Sigma", "b1", "f", "g", "z"]
HOSTILE = ["__import__('os')", "x.__class__", "x.__class__.__mro__[1]", "lambda: 1",
           "lambda x: x", "[v for v in x]", "(v for v in x)", "{x: 1}", "eval('1')",
           "os.system('true')", "x if a else y", "a and b", "not a", "x[::-1]", "x[1:2]",
           "'s'", '"s"', "b'x'", "f'{x}'", "#", "$", ";", ":", "`", "\\", "x.T.T", "x..T",
           "x.t", "1e-05", "1E5", "1.", ".5", "007", "0x1F", "1_000", "..."]
CONFUSABLE = ["\u0430", "\u0410", "\u0445", "\u03b1", "\uff41", "\uff21", "a\u200d",
              "\u200bx", "x\u0301", "\u2028", "\u00a0", "\ufeff", "\ud800", "\x00", "\x1b[31m",
              "\u2212", "\u00d7", "\u2202", "\u2211", "\u221a", "\u00bd", "\u00b2", "\u0131",
              "\u017f", "\u212a", "\U0001d431", "\u0660"]
NAMES = st.one_of(st.sampled_from(SYMBOLS), st.sampled_from(sorted(RESERVED)),
                  st.sampled_from(CONFUSABLE),
                  st.sampled_from(["x1", "Ab", "foo", "xT", "T", "e", "E", "nan", "inf", "i",
                                   "k2", "I", "O", "l", "f'", "g''", "x'", "D'", "A1b2", "z9",
                                   "X" * 50, "Print", "os", "self", "None", "True"]))
INDEX = st.one_of(st.sampled_from(["i", "j", "k", "l", "m", "k2", "p", "q"]),
                  st.sampled_from(["I", "1", "ij", "i'", "", " ", "\u0456", "x[i]", "-i"]))
INDICES = st.lists(INDEX, min_size=0, max_size=3).map(lambda ix: "[" + ",".join(ix) + "]")
MAYBE_INDICES = st.one_of(st.just(""), INDICES, INDICES.map(lambda s: s + s))
NUMBER = st.one_of(st.integers(0, 10**30).map(str),
                   st.sampled_from(["0.5", "2.25", "0.0", "1.", "(1/2)", "(-0.5)", "(1/0)",
                                    "(2/4)", "(0/1)", "1/0", "00", "1e-05"]))
DIMENSION = st.sampled_from(["m", "n", "p", "q", "3", "1", "0", "64", "99999999999", "x[i]", "",
                             "-2", "2.5", "dim", "n, m"])
ELEMENTWISE = ["exp", "log", "sqrt", "sin", "cos", "tan", "tanh", "sigmoid", "relu", "abs"]
CALLABLE = ELEMENTWISE + ["f", "f'", "g''", "f'''", "foo", "print", "det", "tr", "inv", "adj",
                          "expm", "pinv", "logm", "kron", "diag", "vec", "eye", "ones", "unvec",
                          "commutation", "sum", "dim", "D", "d", "delta", "x", "mpow"]
PIECES = HOSTILE + CONFUSABLE + list("+-*/^@()[],=.'_ ") + ["**", "//", "==", "\t", "\n"]
GARBAGE = st.sampled_from(PIECES)


def _matrix_leaves():
    return st.one_of(NAMES, NUMBER,
                     st.builds("D({}{})".format, NAMES, st.sampled_from(["", ", x", ", u, x", ","])),
                     st.builds("{}({})".format, st.sampled_from(["eye", "ones", "dim"]), DIMENSION),
                     st.builds("commutation({}, {})".format, DIMENSION, DIMENSION),
                     GARBAGE)


def _matrix_extend(kids):
    return st.one_of(
        st.builds("{} {} {}".format, kids, st.sampled_from(["@", "*", "/", "+", "-", "^", "**",
                                                            "", "@@", "="]), kids),
        st.builds("-{}".format, kids),
        st.builds("({}).T".format, kids),
        st.builds("{}.T".format, kids),
        st.builds("({})".format, kids),
        st.builds("{}({})".format, st.sampled_from(CALLABLE), kids),
        st.builds("{}({}, {})".format, st.sampled_from(CALLABLE), kids, kids),
        st.builds("unvec({}, {}, {})".format, kids, DIMENSION, DIMENSION),
        st.builds("{}{}".format, kids, INDICES),
    )


MATRIX = st.recursive(_matrix_leaves(), _matrix_extend, max_leaves=14)


def _index_leaves():
    return st.one_of(NUMBER, st.builds("{}{}".format, NAMES, MAYBE_INDICES),
                     st.builds("delta{}".format, INDICES),
                     st.builds("dim({})".format, DIMENSION),
                     st.builds("D({}{}){}".format, NAMES,
                               st.sampled_from(["", ", x", ", u", ", x, x", ", 3"]), MAYBE_INDICES),
                     st.builds("d({}){}".format, NAMES, MAYBE_INDICES),
                     st.builds("{}({}){}".format, st.sampled_from(["inv", "adj", "expm", "pinv",
                                                                   "logm", "det", "tr"]),
                               MATRIX, MAYBE_INDICES),
                     st.builds("({}){}".format, MATRIX, INDICES),
                     GARBAGE)


def _index_extend(kids):
    return st.one_of(
        st.builds("{} {} {}".format, kids, st.sampled_from(["+", "-", "*", "/", "^", "^-", "* -",
                                                            "@", "**", "", "="]), kids),
        st.builds("-{}".format, kids),
        st.builds("({})".format, kids),
        st.builds("{}({})".format, st.sampled_from(CALLABLE), kids),
        st.builds("sum({}, {})".format, INDEX, kids),
        st.builds("sum({}, {}, {}, {})".format, INDEX, kids, kids, kids),   # over a range
        st.builds("mpow({}, {}){}".format, MATRIX, kids, MAYBE_INDICES),
        st.builds("{}({}, {})".format, st.sampled_from(CALLABLE), kids, kids),
        st.builds("{}{}".format, kids, st.sampled_from(["'", ".T", "[i]", "^2", "^(1/2)"])),
    )


INDEX_EXPR = st.recursive(_index_leaves(), _index_extend, max_leaves=14)


def deep(atom: str) -> st.SearchStrategy[str]:
    """Long chains and deep nesting around the depth limits (lexer.MAX_DEPTH)."""
    n = st.integers(0, 3 * MAX_DEPTH)
    return st.one_of(
        n.map(lambda k: "(" * k + atom + ")" * k),
        n.map(lambda k: "-" * k + atom),
        n.map(lambda k: " ^ ".join([atom] * (k + 1))),
        n.map(lambda k: " ^ -".join([atom] * (k + 1))),
        n.map(lambda k: " @ ".join([atom] * (k + 1))),
        n.map(lambda k: " + ".join([atom] * (k + 1))),
        n.map(lambda k: "exp(" * k + atom + ")" * k),
        n.map(lambda k: "inv(" * k + atom + ")" * k),
        n.map(lambda k: "(" * k + atom + ")" * (k - 1)),
        n.map(lambda k: "[" * k + atom + "]" * k),
        n.map(lambda k: atom + ".T" * k),
        n.map(lambda k: atom + "'" * k),
    )


# what a file can hold: no lone surrogate (files are UTF-8; libyaml's dumper refuses one)
IN_FILE = st.sampled_from([g for g in PIECES if g != "\ud800"])


@st.composite
def mutated(draw, base: st.SearchStrategy[str], garbage=GARBAGE) -> str:
    """A text from `base` with up to three local edits: near-valid, but wrong."""
    text = draw(base)
    for _ in range(draw(st.integers(0, 3))):
        pos = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "replace", "repeat"]))
        piece = draw(garbage)
        end = min(len(text), pos + draw(st.integers(1, 4)))
        if edit == "insert":
            text = text[:pos] + piece + text[pos:]
        elif edit == "delete":
            text = text[:pos] + text[end:]
        elif edit == "replace":
            text = text[:pos] + piece + text[end:]
        else:
            text = text[:end] + text[pos:]
    return text


INDEX_TEXT = st.one_of(mutated(INDEX_EXPR), INDEX_EXPR, deep("x[i]"), deep("a"))
MATRIX_TEXT = st.one_of(mutated(MATRIX), MATRIX, deep("A"), deep("x"))
EQUATION_TEXT = st.one_of(
    mutated(st.builds("{}{} = {}".format, NAMES, MAYBE_INDICES, INDEX_EXPR)),
    st.builds("{}{} = {}".format, NAMES, MAYBE_INDICES, INDEX_EXPR),
    st.builds("{} = {}".format, INDEX_EXPR, INDEX_EXPR),
    st.builds("{} = {} = {}".format, NAMES, INDEX_EXPR, INDEX_EXPR),
    deep("x[i]").map(lambda t: "y = " + t))
VARIABLE_TEXT = st.one_of(st.builds("{}{}".format, NAMES, MAYBE_INDICES),
                          mutated(st.builds("{}{}".format, NAMES, MAYBE_INDICES)), INDEX_EXPR)
RANDOM_TEXT = st.one_of(st.text(max_size=60),
                        st.lists(st.one_of(GARBAGE, NAMES, INDICES, NUMBER), max_size=25)
                        .map("".join))


def parses_or_notation_error(parse, text: str, *args):
    """The parser's tree, or None after a well-formed NotationError; anything else escapes."""
    try:
        return parse(text, *args)
    except NotationError as e:
        assert isinstance(e.message, str) and e.message.strip(), repr(e.message)
        assert len(e.message.splitlines()) == 1, repr(e.message)
        assert e.column is None or 0 <= e.column <= len(text), (e.column, len(text))
        return None


# --- the parsers ----------------------------------------------------------------------------

def batches(text):
    return st.lists(text, min_size=BATCH, max_size=BATCH, unique=True)


@pytest.mark.parametrize("name, parse, text, cases, extra", [
    ("parse_index", parse_index, INDEX_TEXT, 5000, (FUNCTIONS,)),
    ("parse_equation", parse_equation, EQUATION_TEXT, 2500, (FUNCTIONS,)),
    ("parse_variable", lambda t: parse_variable(t), VARIABLE_TEXT, 1500, ()),
    ("parse_matrix", parse_matrix, MATRIX_TEXT, 5000, (FUNCTIONS,)),
])
def test_parser_raises_only_notation_errors(name, parse, text, cases, extra):
    @fuzz_settings(cases // BATCH, deadline_ms=2000 * BATCH)
    @given(batches(text))
    def prop(texts):
        for t in texts:
            with case(name, t):
                parses_or_notation_error(parse, t, *extra)
    timed(name, prop)


def test_random_text_in_every_parser():
    @fuzz_settings(1500 // BATCH, deadline_ms=2000 * BATCH)
    @given(batches(RANDOM_TEXT))
    def prop(texts):
        for t in texts:
            with case("random text", t):
                for parse, extra in ((parse_index, (FUNCTIONS,)),
                                     (parse_equation, (FUNCTIONS,)),
                                     (lambda s: parse_variable(s), ()),
                                     (parse_matrix, (FUNCTIONS,))):
                    parses_or_notation_error(parse, t, *extra)
    timed("random text", prop)


# --- the form checks ------------------------------------------------------------------------

# Near-valid entries: symbols declared as the catalogue declares them, expressions over those
# symbols and the usual indices, so that most parse and the checks of ranks, indices,
# dimensions, D(...) and differentials run (and fail in every way) on them.
DECLARED = {"A": {"shape": ["m", "n"]}, "B": {"shape": ["n", "n"], "assume": ["symmetric"]},
            "X": {"shape": ["n", "n"], "assume": ["invertible"]}, "x": {"shape": ["n"]},
            "v": {"shape": [3]}, "t": {}, "u": {"shape": ["n"], "depends_on": "x"},
            "s": {"depends_on": "t"}, "f": {"function": "scalar"}}
TERMS = ["A[i,j]", "A[i,k]", "A[j,i]", "B[k,l]", "B[i,i]", "X[k,l]", "X[i,j]", "x[i]", "x[j]",
         "x[k]", "x[l]", "v[i]", "t", "s", "u[j]", "D(u)[j,k]", "D(u)[i,k]", "D(s)", "f(x[i])",
         "f'(t)", "f''(x[j] * x[j])", "inv(X)[i,j]", "inv(X)[l,k]", "adj(X)[i,k]", "det(X)",
         "tr(A.T @ A)", "(A @ x)[i]", "(x.T @ B @ x)[i]", "(eye(n))[i,k]", "(ones(m))[i]",
         "delta[i,k]", "delta[k,l]", "dim(n)", "dim(3)", "dim(q)", "d(x)[k]", "d(X)[k,l]",
         "d(X)[i,j]", "sum(j, x[j])", "sum(i, A[i,j] * x[j])", "2", "0.5", "(1/2)", "(-3)", "0",
         "mpow(X, 2)[i,j]", "mpow(X, t)[k,l]", "sum(r, 0, 2, x[i])", "sum(r, 1, n, t^r)"]
NEAR_EXPR = st.recursive(
    st.sampled_from(TERMS),
    lambda kids: st.one_of(
        st.builds("{} {} {}".format, kids, st.sampled_from(["+", "-", "*", "/", "*", "*"]),
                  kids),
        st.builds("{}^{}".format, kids, st.sampled_from(["2", "3", "(1/2)", "-1", "t",
                                                         "1001", "9^9"])),
        st.builds(str.format, st.sampled_from(["exp({})", "log({})", "tanh({})", "f({})",
                                               "sqrt({})", "abs({})", "sum(j, {})", "-({})",
                                               "({})"]), kids)),
    max_leaves=6)
NEAR_MATRIX = st.one_of(
    st.sampled_from(["A", "A.T", "2 * x.T", "inv(X)", "inv(X).T", "D(u)", "eye(n)", "A @ x",
                     "x.T @ B", "kron(A, X)", "det(X) * inv(X)", "f'(x)", "D(q)", "B @ B @",
                     "diag(x)", "vec(A)", "unvec(x, n, 1)", "commutation(m, n)", "ones(3)"]),
    mutated(st.sampled_from(["A.T @ x", "inv(X) @ D(u)"]), IN_FILE))
LEFT = st.sampled_from(["y", "y[i]", "Y[i,j]", "y[i,j]", "y[k]", "A[i,j]", "Y[i,j,k]", "y[i,i]"])
WRT_NEAR = st.sampled_from(["x[k]", "X[k,l]", "t", "A[k,l]", "x[i]", "u[k]", "x", "X[k]",
                            ["x[k]", "x[l]"], ["t", "t"], ["x[k]", "x[k]"], ["X[k,l]", "x[p]"]])
ASSUME = st.one_of(st.sampled_from(["symmetric", "invertible", "positive-definite", "orthogonal",
                                    "diagonal", "full-column-rank", "positive", "nonzero"]),
                   st.sampled_from(["symetric", "hermitian", "", None, 3, ["x"], {"a": 1}]))


@st.composite
def near_entry(draw) -> dict:
    names = draw(st.lists(st.sampled_from(sorted(DECLARED)), min_size=1, max_size=5,
                          unique=True))
    symbols = {n: dict(DECLARED[n]) for n in names}
    e = {"id": draw(st.sampled_from(["e1", "e2", "e-3"])), "name": "Near",
         "symbols": symbols, "of": draw(st.builds("{} = {}".format, LEFT, NEAR_EXPR)),
         "wrt": draw(WRT_NEAR)}
    e[draw(st.sampled_from(["derivative", "derivative", "differential"]))] = draw(NEAR_EXPR)
    if draw(st.integers(0, 3)) == 0:
        e["matrix"] = {draw(st.sampled_from(["of", "numerator", "mixed"])): draw(NEAR_MATRIX)}
    if draw(st.integers(0, 3)) == 0:      # one field made wrong by a local edit
        key = draw(st.sampled_from(["of", "wrt", "derivative", "differential"]))
        if isinstance(e.get(key), str):
            e[key] = draw(mutated(st.just(e[key]), IN_FILE))
    return e


# The catalogue's own entries, each as written or with one thing changed: real expressions
# that parse and resolve, so that the deepest checks (a differential read off as a
# derivative, D(...) of dependent symbols, matrix functions) run on near misses of them.
ROOT = Path(__file__).resolve().parent.parent
REAL = [e for f in sorted((ROOT / "identities").glob("*.yaml"))
        for e in (yaml.safe_load(f.read_text(encoding="utf-8")) or {}).get("entries") or []
        if isinstance(e, dict)] or [{"id": "e1", "name": "Linear map",
                                     "symbols": {"A": {"shape": ["m", "n"]}, "x": {"shape": ["n"]}},
                                     "of": "y[i] = A[i,j] * x[j]", "wrt": "x[k]",
                                     "derivative": "A[i,k]"}]
FIELDS = ("of", "wrt", "derivative", "differential")


# Strategies are built once, not at every draw: building one (and checking it) costs more
# than drawing from it.
REAL_ST = st.sampled_from(REAL)
CHANGE_ST = st.sampled_from(["none", "edit", "edit", "replace", "shape", "drop-symbol",
                             "swap-kind", "typo", "assume", "hint"])


@st.composite
def real_entry(draw) -> dict:
    e = copy.deepcopy(draw(REAL_ST))
    change = draw(CHANGE_ST)
    present = [k for k in FIELDS if isinstance(e.get(k), str)]
    symbols = e.get("symbols") if isinstance(e.get("symbols"), dict) else {}
    if change == "edit" and present:
        key = draw(st.sampled_from(present))
        e[key] = draw(mutated(st.just(e[key]), IN_FILE))
    elif change == "replace" and present:
        e[draw(st.sampled_from(present))] = draw(NEAR_EXPR)
    elif change == "shape" and symbols:
        name = draw(st.sampled_from(sorted(symbols)))
        symbols[name] = dict(symbols[name] or {}, shape=draw(st.sampled_from(
            [[], ["n"], ["m"], ["n", "n"], ["m", "n"], ["n", "m"], [2], ["q", "q"]])))
    elif change == "drop-symbol" and symbols:
        symbols.pop(draw(st.sampled_from(sorted(symbols))))
    elif change == "swap-kind":
        for a, b in (("derivative", "differential"), ("differential", "derivative")):
            if a in e:
                e[b] = e.pop(a)
                break
    elif change == "typo":
        key = draw(st.sampled_from(sorted(e)))
        e[key + draw(st.sampled_from(["s", "_", "\u200b"]))] = e.pop(key)
    elif change == "assume" and symbols:
        name = draw(st.sampled_from(sorted(symbols)))
        symbols[name] = dict(symbols[name] or {}, assume=[draw(ASSUME)])
    elif change == "hint":
        e["matrix"] = {draw(st.sampled_from(["of", "numerator", "denominator"])): draw(NEAR_MATRIX)}
    return e


# Entries with wrong types, missing and unknown fields, hostile ids and symbol names.
SHAPES = st.one_of(st.sampled_from([[], ["n"], ["m", "n"], ["n", "n"], ["3"], [2, 3], ["p"]]),
                   st.sampled_from([["m", "n", "p"], [0], [-1], [65], ["x[i]"], ["dim"], "n",
                                    None, [True], [1.5], [["n"]], [{"a": 1}], ["\u0430"]]))
JUNK = st.sampled_from([0, 1, 2.5, -3, True, None, [1], {"a": 1}, float("nan"), float("inf"),
                        "", " ", "__import__('os')", "x.__class__", "lambda: 1", "\u0430[i]"])


@st.composite
def symbol_options(draw):
    opts: dict = {}
    if draw(st.booleans()):
        opts["shape"] = draw(SHAPES)
    if draw(st.integers(0, 3)) == 0:
        opts["assume"] = draw(st.one_of(st.lists(ASSUME, max_size=2), ASSUME))
    if draw(st.integers(0, 3)) == 0:
        opts["depends_on"] = draw(st.sampled_from(SYMBOLS + [["x"], 1]))
    if draw(st.integers(0, 5)) == 0:
        opts["function"] = draw(st.sampled_from(["scalar", "vector", True]))
    if draw(st.integers(0, 9)) == 0:
        opts[draw(st.sampled_from(["shap", "assumes", "depends", "\u0455hape"]))] = "n"
    return opts


@st.composite
def entry(draw):
    e: dict = {}
    e["id"] = draw(st.sampled_from(["e1", "e-2", "../../x", "/etc/passwd", "a b", "A", "", 12,
                                    None, "x\ny", "e1\n", "e\u0430", "e\u200d1", "-e", "e--1"]))
    e["name"] = draw(st.sampled_from(["An entry", "", " ", 3, None, ["n"]]))
    e["symbols"] = draw(st.one_of(
        # (no lone surrogate: a file cannot hold one, libyaml's dumper refuses it)
        st.dictionaries(st.sampled_from(SYMBOLS + [c for c in CONFUSABLE if c != "\ud800"]
                                        + ["x\n", "exp", "1x", ""]),
                        symbol_options(), max_size=3),
        st.sampled_from([None, [], "x", {"x": None}, {"x": [1]}])))
    e["of"] = draw(st.one_of(st.builds("{} = {}".format, LEFT, NEAR_EXPR), NEAR_EXPR, JUNK))
    e["wrt"] = draw(st.one_of(WRT_NEAR, st.sampled_from([[], ["x[k]", "x[l]", "t"], None, 3,
                                                         {"x": "k"}, [["x[k]"]]])))
    kind = draw(st.sampled_from(["derivative", "differential", "both", "neither"]))
    if kind in ("derivative", "both"):
        e["derivative"] = draw(st.one_of(NEAR_EXPR, JUNK))
    if kind in ("differential", "both"):
        e["differential"] = draw(st.one_of(NEAR_EXPR, JUNK))
    if draw(st.integers(0, 3)) == 0:
        e["claims"] = draw(st.one_of(st.lists(st.fixed_dictionaries(
            {"source": st.sampled_from(["s", 3, None]),
             "layout": st.sampled_from(["numerator", "denominator", "mixed", "numerater", 1]),
             "matrix": st.one_of(NEAR_MATRIX, JUNK)},
            optional={"erratum": st.sampled_from([True, False, "yes"]),
                      "sorce": st.just("typo")}), max_size=2), st.sampled_from(["x", None])))
    if draw(st.integers(0, 3)) == 0:
        e["matrix"] = draw(st.one_of(st.dictionaries(
            st.sampled_from(["of", "numerator", "denominator", "mixed", "numerater"]),
            st.one_of(NEAR_MATRIX, JUNK), max_size=3), st.sampled_from(["A", None, [1]])))
    if draw(st.integers(0, 4)) == 0:
        e["sources"] = draw(st.sampled_from([[{"ref": "r"}], [{"rev": "r"}], ["r"], "r", None]))
    if draw(st.integers(0, 4)) == 0:
        e["tags"] = draw(st.sampled_from([["a"], "a", [1], None]))
    if draw(st.integers(0, 5)) == 0:
        e[draw(st.sampled_from(["derivitive", "nmae", "symbol", "wrt ", "Of", "\u0456d"]))] = "x"
    for key in draw(st.lists(st.sampled_from(sorted(e)), max_size=2)):
        e.pop(key, None)                  # missing fields
    return e


DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


TABLE_ST = st.sampled_from(["vector-by-vector", "vector-by-vector", "vector-by-vector",
                           "Bad Table", 3, None])
ENTRIES_ST = st.one_of(st.lists(real_entry(), min_size=1, max_size=3),
                       st.lists(real_entry(), min_size=1, max_size=3),
                       st.lists(near_entry(), min_size=1, max_size=2),
                       st.lists(entry(), min_size=1, max_size=2),
                       st.sampled_from([[], None, "x", [None], [[1]]]))


@st.composite
def catalogue_text(draw) -> tuple[str, bool]:
    """YAML text, and whether it is block style as dumped (each field on the line it starts)."""
    doc: dict = {"table": draw(TABLE_ST), "title": "Fuzz", "entries": draw(ENTRIES_ST)}
    if draw(st.integers(0, 5)) == 0:
        doc[draw(st.sampled_from(["titel", "entry", "\u0442able"]))] = "x"
    block = draw(st.booleans())
    text = yaml.dump(doc, Dumper=DUMPER, allow_unicode=draw(st.booleans()), sort_keys=False,
                     default_flow_style=False if block else None, width=10**6)
    if draw(st.integers(0, 4)) == 0:      # and sometimes broken YAML, or YAML features refused
        block = False
        piece = draw(st.sampled_from(["{", "[", "]", ":", "- ", "\t", "&a ", "*a", "!!python/none ",
                                      "!!binary ", "<<: ", "? ", "'", '"', "\\", "\x01", "%YAML 1.1\n",
                                      "---\n", "...\n", "\ufeff", "\u2028", "\x85"]))
        pos = draw(st.integers(0, len(text)))
        text = text[:pos] + piece + text[pos:]
    return text, block


LINE = re.compile(r"^(?P<path>.+?):(?P<line>[1-9][0-9]*): (?P<entry>.+?): (?P<message>\S.*)$")


def test_form_checks_return_problems_never_raise(tmp_path):
    path = tmp_path / "fuzz.yaml"

    @fuzz_settings(800, deadline_ms=5000)
    @given(catalogue_text())
    def prop(case_text):
        text, block = case_text
        with case("load_catalogue", text):
            path.write_text(text, encoding="utf-8", errors="surrogatepass")
            entries, problems = load_catalogue([str(path)])
            rows = re.split(r"\r\n|\r|\n", text)     # lines as an editor counts them
            for p in problems:
                shown = str(p)
                assert len(shown.splitlines()) == 1 and shown.isprintable(), repr(shown)
                m = LINE.match(shown)
                assert m and m["path"] == str(path) and 1 <= p.line <= len(rows), shown
                assert (m["entry"] + m["message"]).isascii(), shown
                field = p.message.partition(":")[0]
                if block and field in ("of", "derivative", "differential"):
                    # a problem in a field is reported on the line the field is written on
                    assert rows[p.line - 1].lstrip().startswith(field + ":"), (shown, rows)
            if problems:
                assert all(e.id not in {p.entry for p in problems} for e in entries)
    timed("load_catalogue", prop)


def test_zz_cases_and_time(capsys):
    # Runs last in this module (pytest keeps file order): the totals of the tests above.
    wanted = {"parse_index", "parse_equation", "parse_variable", "parse_matrix", "random text",
              "load_catalogue"}
    if not wanted <= RUNS.keys():
        pytest.skip("only part of the fuzz tests ran; the totals need them all")
    cases = sum(n for n, _, _ in RUNS.values())
    cpu = sum(c for _, c, _ in RUNS.values())
    wall = sum(w for _, _, w in RUNS.values())
    with capsys.disabled():
        print(f"\nfuzz: {cases} cases in {cpu:.1f} s of CPU time ({wall:.1f} s wall-clock): "
              + ", ".join(f"{k} {n} in {c:.1f} s" for k, (n, c, _) in sorted(RUNS.items())))
    assert cases >= MIN_CASES
    assert cpu < MAX_SECONDS
