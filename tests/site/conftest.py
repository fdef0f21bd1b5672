"""A small catalogue for the site's tests, verified once, and the pages built from it."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from generator.catalogue import load_catalogue
from generator.run import verify_all

HOSTILE = ('Hostile <script>alert("x")</script> | *em* _u_ $x$ \\(y\\) {#id} '
           '[l](http://evil.example) & % # ~ ^ \\ `code` end')

CATALOGUE = textwrap.dedent('''\
    table: vector-by-vector
    title: Vector-by-vector <b>test</b> table
    entries:
    - id: t-linear-map
      name: Linear map
      symbols:
        A: {shape: [m, n]}
        x: {shape: [n]}
      of: y[i] = A[i,j] * x[j]
      wrt: x[k]
      derivative: A[i,k]
      matrix: {of: "A @ x", numerator: "A"}
      sources:
      - {ref: wikipedia-matrix-calculus, table: vector-by-vector, row: 3}
      claims:
      - {source: wikipedia-matrix-calculus, layout: numerator, matrix: "A"}
      - {source: wikipedia-matrix-calculus, layout: denominator, matrix: "A.T"}
      - {source: some-notes, layout: denominator, matrix: "A", erratum: true,
         note: "Prints A | not A^T; see *eq. 3* & $x$"}
    - id: t-hostile
      name: %s
      tags: ["log det", "<i>tag</i> | x"]
      note: "A note with <b>HTML</b> | pipes *and* {braces} %% 100"
      symbols:
        A: {shape: [m, n]}
        u: {shape: [n], depends_on: x}
        x: {shape: [n]}
      of: y[i] = A[i,j] * u[j]
      wrt: x[k]
      derivative: A[i,j] * D(u)[j,k]
      sources:
      - {ref: "unknown <ref> | x", note: "a *source* note | with $ and &"}
    ''') % ("'" + HOSTILE.replace("'", "''") + "'")

SCALAR_BY_MATRIX = textwrap.dedent('''\
    table: scalar-by-matrix
    title: Scalar-by-matrix test table
    entries:
    - id: t-log-det
      name: Gradient of the log-determinant
      tags: [log det, determinant]
      symbols:
        X: {shape: [n, n], assume: [invertible]}
      of: y = log(abs(det(X)))
      wrt: X[k,l]
      derivative: inv(X)[l,k]
    - id: t-hessian
      name: Hessian of a quadratic form
      symbols:
        A: {shape: [n, n]}
        x: {shape: [n]}
      of: y = x[i] * A[i,j] * x[j]
      wrt: ["x[k]", "x[l]"]
      derivative: A[k,l] + A[l,k]
    ''')


@pytest.fixture(scope="session")
def hostile() -> str:
    """The name of the entry t-hostile: text that means something to every output format."""
    return HOSTILE


@pytest.fixture(scope="session")
def catalogue_dir(tmp_path_factory) -> Path:
    d = tmp_path_factory.mktemp("identities")
    (d / "vector-by-vector.yaml").write_text(CATALOGUE, encoding="utf-8")
    (d / "scalar-by-matrix.yaml").write_text(SCALAR_BY_MATRIX, encoding="utf-8")
    return d


@pytest.fixture(scope="session")
def results(catalogue_dir):
    entries, problems = load_catalogue([str(catalogue_dir)])
    assert not problems, problems
    out = verify_all(entries, jobs=1)
    assert all(r.passed for r in out), [r.failures for r in out]
    return out
