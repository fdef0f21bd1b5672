"""Form checks through `load_catalogue`: one invalid case per problem class, each with its
valid twin, and every problem reported as exactly `path:line: entry-id: message`.

Every case edits BASE (whose line numbers are shown beside it) so that the expected line of
each problem can be read off the text. The twin is the closest entry that is valid.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from generator.catalogue import load_catalogue

BASE = """\
table: vector-by-vector
title: Form checks
entries:
- id: e1
  name: Linear map
  symbols:
    A: {shape: [m, n]}
    x: {shape: [n]}
  of: y[i] = A[i,j] * x[j]
  wrt: x[k]
  derivative: A[i,k]
"""
# line 1 table, 2 title, 3 entries, 4 "- id: e1", 5 name, 6 symbols, 7 A, 8 x, 9 of, 10 wrt,
# 11 derivative; lines added at the end start at 12.

A_LINE = "    A: {shape: [m, n]}\n"
X_LINE = "    x: {shape: [n]}\n"
OF_LINE = "  of: y[i] = A[i,j] * x[j]\n"
WRT_LINE = "  wrt: x[k]\n"
DER_LINE = "  derivative: A[i,k]\n"


def edit(text: str, edits) -> str:
    for old, new in edits:
        assert old in text, f"test set-up: {old!r} not in the text"
        text = text.replace(old, new)
    return text


def append(lines: str):
    return [(DER_LINE, DER_LINE + lines)]


def claim(body: str):
    return append("  claims:\n  - {" + body + "}\n")        # the claim is on line 13


def load(tmp_path: Path, text: str, name: str = "entries.yaml"):
    path = tmp_path / name
    path.write_text(text)
    entries, problems = load_catalogue([str(path)])
    return path, entries, problems


def lines(path: Path, expected) -> list[str]:
    return sorted(f"{path}:{line}: {entry or '-'}: {message}" for line, entry, message in expected)


# (problem class, edits for the valid twin, edits for the invalid case, expected problems as
#  (line, entry id, message))
CASES = [
    ("unknown-field-typo", [],
     [("  derivative:", "  derivitive:")],
     [(11, "e1", "unknown entry field 'derivitive' (did you mean 'derivative'?)"),
      (4, "e1", "missing field 'derivative' (or 'differential')")]),
    ("unknown-symbol-field-typo", [],
     [(A_LINE, "    A: {shap: [m, n]}\n")],
     [(7, "e1", "symbol 'A': unknown symbol field 'shap' (did you mean 'shape'?)")]),
    ("missing-of", [],
     [(OF_LINE, "")],
     [(4, "e1", "missing field 'of'")]),
    ("missing-name-and-wrt", [],
     [("  name: Linear map\n", ""), (WRT_LINE, "")],
     [(4, "e1", "missing field 'name'"), (4, "e1", "missing field 'wrt'")]),
    ("missing-derivative", [(DER_LINE, "  differential: A[i,k] * d(x)[k]\n")],
     [(DER_LINE, "")],
     [(4, "e1", "missing field 'derivative' (or 'differential')")]),
    ("name-not-text", [("name: Linear map", "name: '3'")],
     [("name: Linear map", "name: 3")],
     [(5, "e1", "name must be non-empty text")]),
    ("symbols-not-a-mapping", [],
     [("  symbols:\n" + A_LINE + X_LINE, "  symbols: [A, x]\n")],
     [(6, "e1", "symbols must be a mapping of name to options")]),
    ("shape-not-a-list", [],
     [(A_LINE, "    A: {shape: m}\n")],
     [(7, "e1", "symbol 'A': shape must be a list of at most two dimensions")]),
    ("shape-of-rank-three", [],
     [(A_LINE, "    A: {shape: [m, n, p]}\n")],
     [(7, "e1", "symbol 'A': shape must be a list of at most two dimensions")]),
    ("of-not-text", [],
     [(OF_LINE, "  of: [1, 2]\n")],
     [(9, "e1", "of must be text")]),
    # NOTATION.md: a YAML number such as `derivative: 0` counts as an expression; a bool not
    ("derivative-a-bool", [(DER_LINE, "  derivative: 0\n")],
     [(DER_LINE, "  derivative: true\n")],
     [(11, "e1", "derivative must be text")]),
    ("id-double-hyphen", [("id: e1", "id: linear-map")],
     [("id: e1", "id: linear--map")],
     [(4, "linear--map", "id 'linear--map' must be lowercase letters, digits and single hyphens "
                         "(at most 80 characters)")]),
    ("id-too-long", [("id: e1", "id: " + "a" * 80)],
     [("id: e1", "id: " + "a" * 81)],
     [(4, "a" * 80, f"id '{'a' * 81}' must be lowercase letters, digits and single hyphens "
                    "(at most 80 characters)")]),
    ("id-not-text", [("id: e1", "id: '12'")],
     [("id: e1", "id: 12")],
     [(4, "entry at line 4", "id must be text")]),
    ("reserved-symbol-delta", [("A:", "Delta:"), ("A[", "Delta[")],
     [("A:", "delta:"), ("A[", "delta[")],
     [(7, "e1", "symbol name 'delta' is reserved")]),
    ("reserved-symbol-exp", [("A:", "E:"), ("A[", "E[")],
     [("A:", "exp:"), ("A[", "exp[")],
     [(7, "e1", "symbol name 'exp' is reserved")]),
    ("unknown-assumption", [(A_LINE, "    A: {shape: [n, n], assume: [symmetric]}\n")],
     [(A_LINE, "    A: {shape: [n, n], assume: [symetric]}\n")],
     [(7, "e1", "symbol 'A': unknown assumption 'symetric' (did you mean 'symmetric'?)")]),
    ("assumption-on-non-square-matrix", [(A_LINE, "    A: {shape: [n, n], assume: [invertible]}\n")],
     [(A_LINE, "    A: {shape: [m, n], assume: [invertible]}\n")],
     [(7, "e1", "symbol 'A': 'invertible' needs a square matrix")]),
    ("assumption-on-vector", [(X_LINE, "    x: {shape: [n], assume: [nonzero]}\n")],
     [(X_LINE, "    x: {shape: [n], assume: [symmetric]}\n")],
     [(8, "e1", "symbol 'x': 'symmetric' needs a square matrix")]),
    pytest.param(
        "depends-on-cycle",
        [(X_LINE, X_LINE + "    u: {shape: [n], depends_on: x}\n    v: {shape: [n], depends_on: u}\n")],
        [(X_LINE, X_LINE + "    u: {shape: [n], depends_on: v}\n    v: {shape: [n], depends_on: u}\n")],
        [(9, "e1", "symbol 'u': depends_on forms a cycle"),
         (10, "e1", "symbol 'v': depends_on forms a cycle")]),
    pytest.param(
        "depends-on-undeclared",
        [(X_LINE, X_LINE + "    u: {shape: [n], depends_on: x}\n")],
        [(X_LINE, X_LINE + "    u: {shape: [n], depends_on: z}\n")],
        [(9, "e1", "symbol 'u' depends on undeclared 'z'")]),
    ("undeclared-symbol", [],
     [(OF_LINE, "  of: y[i] = B[i,j] * x[j]\n")],
     [(9, "e1", "of: undeclared symbol 'B'")]),
    ("wrong-rank", [],
     [(OF_LINE, "  of: y[i] = A[i] * x[i]\n")],
     [(9, "e1", "of: 'A' has rank 2 but is written with 1 index")]),
    ("index-neither-free-nor-summed", [],
     [(OF_LINE, "  of: y[i] = A[i,j] * x[p]\n")],
     [(9, "e1", "of: index 'j' is neither free nor summed (free: i)"),
      (9, "e1", "of: index 'p' is neither free nor summed (free: i)")]),
    ("left-side-index-missing-on-the-right", [],
     [(OF_LINE, "  of: y[i,p] = A[i,j] * x[j]\n")],
     [(9, "e1", "of: free index 'p' of the left side does not occur on the right side")]),
    ("derivative-free-index-not-expected", [],
     [(DER_LINE, "  derivative: A[i,j]\n")],
     [(11, "e1", "derivative: index 'j' is neither free nor summed (free: i, k)")]),
    ("summed-index-over-two-dimensions", [],
     [(X_LINE, "    x: {shape: [m]}\n")],
     [(9, "e1", "of: index 'j' runs over different dimensions: m, n")]),
    ("unknown-function",
     [(OF_LINE, "  of: y[i] = A[i,j] * exp(x[j])\n"), (DER_LINE, "  derivative: A[i,k] * exp(x[k])\n")],
     [(OF_LINE, "  of: y[i] = A[i,j] * foo(x[j])\n")],
     [(9, "e1", "of: unknown function 'foo' (column 17)")]),
    ("both-derivative-and-differential", [(DER_LINE, "  differential: A[i,k] * d(x)[k]\n")],
     append("  differential: A[i,k] * d(x)[k]\n"),
     [(12, "e1", "give 'derivative' or 'differential', not both")]),
    ("differential-not-linear", [(DER_LINE, "  differential: A[i,k] * d(x)[k]\n")],
     [(DER_LINE, "  differential: A[i,k] * d(x)[k] * d(x)[k]\n")],
     [(11, "e1", "differential: the differential is not linear in d(x)")]),
    ("wrt-undeclared", [],
     [(WRT_LINE, "  wrt: z[k]\n")],
     [(10, "e1", "wrt: undeclared symbol 'z'")]),
    ("wrt-dependent", [(X_LINE, X_LINE + "    u: {shape: [n], depends_on: x}\n")],
     [(X_LINE, X_LINE + "    u: {shape: [n], depends_on: x}\n"), (WRT_LINE, "  wrt: u[k]\n")],
     [(11, "e1", "wrt: 'u' must be a plain variable")]),
    ("wrt-wrong-rank", [],
     [(WRT_LINE, "  wrt: x[k,l]\n")],
     [(10, "e1", "wrt: 'x' has rank 1 but is written with 2 indices")]),
    ("claim-layout", claim('source: s, layout: numerator, matrix: "A"'),
     claim('source: s, layout: numerater, matrix: "A"'),
     [(13, "e1", "claim layout 'numerater' is not one of numerator, denominator, mixed")]),
    ("claim-without-matrix", claim('source: s, layout: numerator, matrix: "A"'),
     claim("source: s, layout: numerator"),
     [(13, "e1", "claim lacks matrix")]),
    ("claim-matrix-unparsable", claim('source: s, layout: numerator, matrix: "A"'),
     claim('source: s, layout: numerator, matrix: "A @@ x"'),
     [(13, "e1", "claim matrix: unexpected '@' (column 4)")]),
    ("claim-erratum-not-bool", claim('source: s, layout: numerator, matrix: "A.T", erratum: true'),
     claim('source: s, layout: numerator, matrix: "A.T", erratum: "yes"'),
     [(13, "e1", "erratum must be true or false")]),
    ("hint-field-typo", append('  matrix: {numerator: "A"}\n'),
     append('  matrix: {numerater: "A"}\n'),
     [(12, "e1", "unknown matrix hint field 'numerater' (did you mean 'numerator'?)")]),
    ("file-field-typo", [],
     [("title: Form checks", "titel: Form checks")],
     [(2, "", "unknown file field 'titel'")]),
    # found by the bad-input corpus and the fuzzers (issue 6): each used to pass the checks
    # and fail later, or to print a problem over two lines
    ("id-with-trailing-newline", [],
     [("id: e1", 'id: "e1\\n"')],
     [(4, "e1\\n", "id 'e1\\n' must be lowercase letters, digits and single hyphens "
                   "(at most 80 characters)")]),
    ("field-name-with-newline", [],
     [(DER_LINE, DER_LINE + '  "no\\nte": x\n')],
     [(12, "e1", "unknown entry field 'no\\nte' (did you mean 'note'?)")]),
    ("derivative-nan", [(DER_LINE, "  derivative: 0.5\n")],
     [(DER_LINE, "  derivative: .nan\n")],
     [(11, "e1", "derivative must be a finite number")]),
    ("differential-outside-a-differential", [(DER_LINE, "  differential: A[i,k] * d(x)[k]\n")],
     [(DER_LINE, "  derivative: A[i,k] * d(x)[k]\n")],
     [(11, "e1", "derivative: d(x) may occur only in a 'differential'")]),
    ("dim-of-an-unknown-dimension",
     [(OF_LINE, "  of: y[i] = A[i,j] * x[j] / dim(n)\n"), (DER_LINE, "  derivative: A[i,k] / dim(n)\n")],
     [(OF_LINE, "  of: y[i] = A[i,j] * x[j] / dim(q)\n"), (DER_LINE, "  derivative: A[i,k] / dim(q)\n")],
     [(9, "e1", "of: dim(q): 'q' is not a dimension of any declared symbol")]),
    ("eye-beyond-the-fixed-sizes",
     [(OF_LINE, "  of: y[i] = (A @ eye(n) @ x)[i]\n")],
     [(OF_LINE, "  of: y[i] = (A @ eye(65) @ x)[i]\n"),
      (X_LINE, "    x: {shape: [65]}\n"), (A_LINE, "    A: {shape: [m, 65]}\n")],
     [(7, "e1", "symbol 'A': bad dimension '65' (a name that is not reserved, or an integer 1 "
                "to 64)"),
      (8, "e1", "symbol 'x': bad dimension '65' (a name that is not reserved, or an integer 1 "
                "to 64)")]),
    ("huge-exponent",
     [(OF_LINE, "  of: y[i] = A[i,j] * x[j]^1000\n"), (DER_LINE, "  derivative: A[i,k] * 1000 * x[k]^999\n")],
     [(OF_LINE, "  of: y[i] = A[i,j] * x[j]^1001\n")],
     [(9, "e1", "of: an exponent larger than 1000 (in size) cannot be checked")]),
    ("function-with-a-shape", [(X_LINE, X_LINE + "    f: {function: scalar}\n")],
     [(X_LINE, X_LINE + "    f: {function: scalar, shape: [n]}\n")],
     [(9, "e1", "symbol 'f': a function (f: R -> R) takes no 'shape'")]),
    ("depends-on-a-function",
     [(X_LINE, X_LINE + "    f: {function: scalar}\n    u: {depends_on: x}\n")],
     [(X_LINE, X_LINE + "    f: {function: scalar}\n    u: {depends_on: f}\n")],
     [(10, "e1", "symbol 'u' depends on 'f', which is a function")]),
    ("claim-source-not-text", claim('source: s, layout: numerator, matrix: "A"'),
     claim('source: [s], layout: numerator, matrix: "A"'),
     [(13, "e1", "a claim's source must be text")]),
    ("claim-layout-a-list", claim('source: s, layout: numerator, matrix: "A"'),
     claim('source: s, layout: [numerator], matrix: "A"'),
     [(13, "e1", "claim layout ['numerator'] is not one of numerator, denominator, mixed")]),
]


def _name(case) -> str:
    return case.values[0] if hasattr(case, "values") else case[0]


@pytest.mark.parametrize("what, twin, bad, expected", CASES, ids=[_name(c) for c in CASES])
def test_problem_class(tmp_path, what, twin, bad, expected):
    path, entries, problems = load(tmp_path, edit(BASE, twin), "twin.yaml")
    assert problems == [] and [e.id for e in entries] != []

    path, entries, problems = load(tmp_path, edit(BASE, bad), "bad.yaml")
    assert sorted(str(p) for p in problems) == lines(path, expected)
    if what != "file-field-typo":          # a file-level problem leaves the entry itself valid
        assert entries == []


@pytest.mark.parametrize("cycle, message", [
    (True, "symbol '{0}': depends_on forms a cycle"),
    (False, "symbol '{0}' depends on undeclared 'z'"),
])
def test_depends_on_problems_are_reported_for_the_entry(tmp_path, cycle, message):
    # the lines are in the xfail cases above; this checks that the problem is found at all
    extra = ("    u: {shape: [n], depends_on: v}\n    v: {shape: [n], depends_on: u}\n" if cycle
             else "    u: {shape: [n], depends_on: z}\n")
    path, entries, problems = load(tmp_path, edit(BASE, [(X_LINE, X_LINE + extra)]))
    assert entries == []
    assert {(p.entry, p.message) for p in problems} == (
        {("e1", message.format("u")), ("e1", message.format("v"))} if cycle
        else {("e1", message.format("u"))})
    assert all(6 <= p.line <= 10 for p in problems)          # inside the symbols block


def test_each_entry_is_named_in_its_own_problems(tmp_path):
    second = edit(BASE, [("id: e1", "id: e2"), (OF_LINE, "  of: y[i] = B[i,j] * x[j]\n")])
    text = edit(BASE, [(DER_LINE, "  derivative: A[i,j]\n")]) + second.split("entries:\n")[1]
    path, entries, problems = load(tmp_path, text)
    assert sorted(map(str, problems)) == lines(path, [
        (11, "e1", "derivative: index 'j' is neither free nor summed (free: i, k)"),
        (17, "e2", "of: undeclared symbol 'B'"),
    ])
    assert entries == []


@pytest.mark.parametrize("second_id, duplicate", [("e2", False), ("e1", True)])
def test_duplicate_ids_across_two_files(tmp_path, second_id, duplicate):
    a, _, problems_a = load(tmp_path, BASE, "a.yaml")
    assert problems_a == []
    b = tmp_path / "b.yaml"
    b.write_text(edit(BASE, [("id: e1", f"id: {second_id}")]))
    entries, problems = load_catalogue([str(a), str(b)])
    if duplicate:
        assert [str(p) for p in problems] == [f"{b}:4: e1: duplicate id (first at {a}:4)"]
        assert entries == []
    else:
        assert problems == [] and sorted(e.id for e in entries) == ["e1", "e2"]


def test_duplicate_ids_found_in_a_folder(tmp_path):
    (tmp_path / "a.yaml").write_text(BASE)
    (tmp_path / "b.yaml").write_text(BASE)
    entries, problems = load_catalogue([str(tmp_path)])
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'b.yaml'}:4: e1: duplicate id (first at {tmp_path / 'a.yaml'}:4)"]
    assert entries == []


def test_checked_entry_keeps_what_later_stages_read(tmp_path):
    _, (entry,), problems = load(tmp_path, BASE)
    assert problems == []
    assert (entry.id, entry.name, entry.table, entry.line) == ("e1", "Linear map",
                                                               "vector-by-vector", 4)
    assert entry.lhs == "y" and entry.lhs_indices == ("i",) and entry.free == ("i", "k")
    assert dict(entry.index_dims) == {"i": "m", "k": "n"}
    assert entry.kind == "vector-by-vector" and entry.declared_as == "derivative"
    assert entry.derivative_text == "A[i,k]"
