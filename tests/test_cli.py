"""`python -m generator verify / export / derive` as a user runs them: exit codes 0/1/2, the
summary line, one line per problem, never a traceback, hostile input creating no file, the
JSON export's required fields (NOTATION.md, Export) and the calculator's forms.

Every command runs in a fresh empty working directory; all of them are started at once (one
module fixture) so that the slow start of Python and SymPy overlaps.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from generator.catalogue import load_catalogue

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = Path("/work/shared/examples")
VALID, WRONG, INVALID = (EXAMPLES / d for d in ("valid", "wrong", "invalid"))
INVALID_FILES = sorted(INVALID.glob("*.yaml"))
HOSTILE = ["code-injection.yaml", "yaml-python-tag.yaml"]
DELTA_ONLY = """\
table: scalar-by-vector
title: An index whose dimension nothing fixes
entries:
- id: delta-trace
  name: trace of a delta whose size is unknown
  symbols:
    x: {shape: [n]}
  of: y = x[i] * x[i] * delta[j,j]
  wrt: x[k]
  derivative: 2 * dim(n) * x[k]
"""
HUGE_EYE = """\
table: scalar-by-vector
title: A claim that asks for an enormous identity matrix
entries:
- id: huge-eye
  name: squared norm
  symbols:
    x: {shape: [n]}
  of: y = x[i] * x[i]
  wrt: x[k]
  derivative: 2 * x[k]
  claims:
  - {source: s, layout: numerator, matrix: "eye(99999999)"}
"""
DERIVE_AX = ["derive", "--symbols", "A: m,n; x: n", "--of", "y[i] = A[i,j] * x[j]", "--wrt", "x[k]"]


def commands(tmp: Path) -> dict[str, list[str]]:
    (tmp / "delta-only.yaml").write_text(DELTA_ONLY)
    (tmp / "huge-eye.yaml").write_text(HUGE_EYE)
    out = {
        "verify valid": ["verify", str(VALID)],
        "verify wrong": ["verify", str(WRONG)],
        "verify missing": ["verify", "no-such-file.yaml"],
        "verify delta-only": ["verify", str(tmp / "delta-only.yaml")],
        "verify huge-eye": ["verify", str(tmp / "huge-eye.yaml")],
        "export valid": ["export", "--format", "json", str(VALID)],
        "export wrong": ["export", "--format", "json", str(WRONG)],
        "derive": DERIVE_AX,
        "derive undeclared": ["derive", "--symbols", "A: m,n; x: n", "--of",
                              "y[i] = B[i,j] * x[j]", "--wrt", "x[k]"],
        "derive out of reach": ["derive", "--symbols", "X: n,n", "--of", "Y[i,j] = sinm(X)[i,j]",
                                "--wrt", "X[k,l]"],
        "no command": [],
    }
    for f in INVALID_FILES:
        out[f"verify invalid/{f.name}"] = ["verify", str(f)]
    for name in HOSTILE:
        out[f"export invalid/{name}"] = ["export", "--format", "json", str(INVALID / name)]
    return out


@dataclass
class Run:
    code: int
    out: str
    err: str
    before: list[str]
    after: list[str]

    @property
    def text(self) -> str:
        return self.out + self.err


def listing(d: Path) -> list[str]:
    return sorted(str(p.relative_to(d)) for p in d.rglob("*"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    tmp = tmp_path_factory.mktemp("cli")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    started = {}
    for name, args in commands(tmp).items():
        cwd = tmp_path_factory.mktemp("cwd")
        before = listing(cwd)
        p = subprocess.Popen([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        started[name] = (p, cwd, before)
    out = {}
    for name, (p, cwd, before) in started.items():
        try:
            stdout, stderr = p.communicate(timeout=300)
        except subprocess.TimeoutExpired:
            p.kill()
            stdout, stderr = p.communicate()
        out[name] = Run(p.returncode, stdout, stderr, before, listing(cwd))
    return out


def ids_in(path: Path) -> list[str]:
    return re.findall(r"^- id: (\S+)", path.read_text(), re.M)


def problem_lines(text: str) -> list[str]:
    return [ln for ln in text.splitlines() if not re.match(r"^\d+ verified, \d+ failed", ln)]


def valid_count() -> int:
    return sum(len(ids_in(f)) for f in VALID.glob("*.yaml"))


# --- exit codes, never a traceback ---------------------------------------------------------

@pytest.mark.parametrize("name, code", [
    ("verify valid", 0),
    ("verify wrong", 1),
    ("verify missing", 2),
    ("export valid", 0),
    ("export wrong", 1),
    ("derive", 0),
    ("derive undeclared", 2),
    ("derive out of reach", 1),
    ("no command", 2),
    *[(f"verify invalid/{f.name}", 2) for f in INVALID_FILES],
    *[(f"export invalid/{name}", 2) for name in HOSTILE],
])
def test_exit_code_and_no_traceback(runs, name, code):
    r = runs[name]
    assert "Traceback" not in r.text, r.text[-2000:]
    assert r.code == code, r.text[-2000:]


def test_index_without_a_dimension_is_an_input_error(runs):
    r = runs["verify delta-only"]
    assert "Traceback" not in r.text
    assert r.code == 2 and re.search(r"delta-only\.yaml:\d+: delta-trace: ", r.out)


def test_huge_claim_is_refused_as_a_claim(runs):
    r = runs["verify huge-eye"]
    assert "Traceback" not in r.text and "defect of the generator" not in r.text
    assert r.code == 1 and "huge-eye: claim of s" in r.out


# --- verify ----------------------------------------------------------------------------------

def test_verify_valid_summary(runs):
    r = runs["verify valid"]
    assert r.out.splitlines() == [f"{valid_count()} verified, 0 failed"]


def test_verify_wrong_one_line_per_failure(runs):
    r = runs["verify wrong"]
    lines = r.out.splitlines()
    ids = [i for f in sorted(WRONG.glob("*.yaml")) for i in ids_in(f)]
    assert lines[-1] == f"0 verified, {len(ids)} failed"
    problems = problem_lines(r.out)
    named = []
    for ln in problems:
        m = re.match(r"^(/\S+\.yaml):(\d+): ([a-z0-9-]+): (.+)$", ln)
        assert m, ln
        named.append(m.group(3))
    assert sorted(named) == sorted(ids)          # each wrong entry named once


def test_verify_wrong_names_the_failed_check(runs):
    out = runs["verify wrong"].out
    assert re.search(r": wrong-hint: matrix hint numerator: 'A.T' does not hold", out)
    assert re.search(r": wrong-erratum-that-holds: claim of example-note .* is marked erratum "
                     r"but holds", out)
    assert re.search(r": wrong-transposed-jacobian: numeric level failed at sizes", out)


@pytest.mark.parametrize("path", INVALID_FILES, ids=[f.name for f in INVALID_FILES])
def test_invalid_file_refused_naming_the_file_and_each_entry(runs, path):
    r = runs[f"verify invalid/{path.name}"]
    assert r.code == 2 and "Traceback" not in r.text
    lines = problem_lines(r.out)
    assert lines and all(ln.startswith(f"{path}:") for ln in lines)
    for eid in ids_in(path):
        assert re.search(rf"^{re.escape(str(path))}:\d+: {re.escape(eid)}: ", r.out, re.M), eid
    # one line per problem: exactly the loader's problems, in its words
    _, problems = load_catalogue([str(path)])
    assert lines == [str(p) for p in problems]
    summary = r.out.splitlines()[-1]
    assert summary.startswith("0 verified, 0 failed") and f"{len(problems)} input problem" in summary


@pytest.mark.parametrize("name", [*[f"verify invalid/{f}" for f in HOSTILE],
                                  *[f"export invalid/{f}" for f in HOSTILE]])
def test_hostile_file_creates_no_file(runs, name):
    r = runs[name]
    assert r.before == [] and r.after == []
    assert r.code == 2


def test_no_file_after_refused_input(runs):
    # verifying valid files may write the results cache (.cache/verify, generator/cache.py);
    # input that is refused, and the calculator, write nothing
    for name, r in runs.items():
        if "invalid" in name or name.startswith("derive") or name in ("verify missing",
                                                                      "no command"):
            assert r.after == r.before == [], name
    assert not list(EXAMPLES.rglob("pwned*"))


def test_missing_path_is_one_problem(runs):
    assert problem_lines(runs["verify missing"].out) == [
        "no-such-file.yaml:1: -: no such file or folder"]


def test_missing_path_is_reported(runs):
    r = runs["verify missing"]
    assert r.code == 2
    assert "no-such-file.yaml:1: -: no such file or folder" in r.out.splitlines()


# --- export ----------------------------------------------------------------------------------

KIND = re.compile(r"^(scalar|vector|matrix)(-by-(scalar|vector|matrix)){1,2}$")
REQUIRED = {"id", "table", "name", "kind", "symbols", "of", "wrt", "derivative", "layouts",
            "sources", "claims"}


def declared(folder: Path) -> dict[str, tuple[str, dict]]:
    out = {}
    for f in sorted(folder.glob("*.yaml")):
        doc = yaml.safe_load(f.read_text())
        for e in doc["entries"]:
            out[e["id"]] = (doc["table"], e)
    return out


@pytest.fixture(scope="module")
def exported(runs):
    r = runs["export valid"]
    assert r.code == 0, r.err[-2000:]
    return json.loads(r.out)


def test_export_is_one_object_with_every_entry(exported):
    assert isinstance(exported, dict) and isinstance(exported["entries"], list)
    assert sorted(e["id"] for e in exported["entries"]) == sorted(declared(VALID))


def test_export_entry_fields(exported):
    source = declared(VALID)
    for e in exported["entries"]:
        assert REQUIRED <= set(e), e["id"]
        table, raw = source[e["id"]]
        assert e["table"] == table and e["name"] == raw["name"]
        assert KIND.match(e["kind"]), e["kind"]
        assert e["symbols"] == raw["symbols"]
        assert e["of"] == raw["of"] and e["wrt"] == raw["wrt"]
        assert e["derivative"] == raw.get("derivative", e["derivative"])
        assert isinstance(e["derivative"], str) and e["derivative"]
        assert e["sources"] == raw.get("sources", [])
        claims = raw.get("claims", [])
        assert len(e["claims"]) == len(claims)
        for got, want in zip(e["claims"], claims):
            assert isinstance(got["holds"], bool)
            assert {k: v for k, v in got.items() if k != "holds"} == want
            assert got["holds"] is not want.get("erratum", False)   # valid: errata fail
        assert set(e["layouts"]) == {"numerator", "denominator", "mixed"}
        for form in e["layouts"].values():
            assert form is None or (isinstance(form["latex"], str) and isinstance(form["matrix"], str)
                                    and form["latex"] and form["matrix"])


@pytest.mark.parametrize("eid, kind, derivative, layouts", [
    ("ex-vv-linear-map", "vector-by-vector", "A[i,k]", ("A", "A.T", "A")),
    ("ex-sv-quadratic-form-hessian", "scalar-by-vector-by-vector", "A[k,l] + A[l,k]",
     ("A + A.T", "A + A.T", "A + A.T")),
    ("ex-sm-trace-ax", "scalar-by-matrix", "A[l,k]", ("A", "A.T", "A.T")),
    # declared as a differential: the derivative is the one derived from it
    ("ex-mm-inverse-differential", "matrix-by-matrix", "-inv(X)[i,k] * inv(X)[l,j]",
     ("-kron(inv(X).T, inv(X))", "-kron(inv(X), inv(X).T)", "-kron(inv(X).T, inv(X))")),
])
def test_export_forms(exported, eid, kind, derivative, layouts):
    (e,) = [x for x in exported["entries"] if x["id"] == eid]
    assert e["kind"] == kind and e["derivative"] == derivative
    assert tuple(e["layouts"][k]["matrix"] for k in ("numerator", "denominator", "mixed")) == layouts


def test_export_of_wrong_entries_still_prints_json_with_holds(runs):
    r = runs["export wrong"]
    assert r.code == 1
    entries = {e["id"]: e for e in json.loads(r.out)["entries"]}
    assert [c["holds"] for c in entries["wrong-unmarked-claim"]["claims"]] == [False]
    assert [c["holds"] for c in entries["wrong-erratum-that-holds"]["claims"]] == [True]
    assert "wrong-hint" in r.err


@pytest.mark.parametrize("name", HOSTILE)
def test_export_of_invalid_input_prints_no_json(runs, name):
    r = runs[f"export invalid/{name}"]
    assert r.code == 2 and r.out == ""
    assert r.err and all(ln.startswith(str(INVALID / name) + ":") for ln in r.err.splitlines())
    for eid in ids_in(INVALID / name):
        assert f": {eid}: " in r.err


# --- derive ----------------------------------------------------------------------------------

def test_derive_linear_map(runs):
    r = runs["derive"]
    lines = r.out.splitlines()
    assert "kind: vector-by-vector" in lines
    assert "derivative (index notation): A[i,k]" in lines
    for layout, form in (("numerator", "A"), ("denominator", "A.T"), ("mixed", "A")):
        assert any(ln.startswith(f"{layout}: {form} ") for ln in lines), (layout, r.out)
    assert re.search(r"^verification: general passed; exact passed .*numeric passed", r.out, re.M)


@pytest.mark.parametrize("name, message", [
    ("derive undeclared", "<command line>:1: calculator: of: undeclared symbol 'B'"),
    ("derive out of reach", "<command line>:1: calculator: cannot derive: sinm has no "
                            "index-form derivative rule"),
])
def test_derive_problems(runs, name, message):
    assert runs[name].out.startswith(message)


def test_an_empty_folder_is_an_input_error(tmp_path, capsys):
    from generator.cli import main as cli_main
    assert cli_main(["verify", str(tmp_path)]) == 2
    assert f"{tmp_path}:1: -: no identity files" in capsys.readouterr().out


def test_export_survives_an_ascii_only_console(tmp_path):
    import os
    import subprocess
    import sys
    path = tmp_path / "t.yaml"
    path.write_text("table: t\nentries:\n- id: u-name\n  name: Dérivée ≤ naïve\n"
                    "  tags: [x]\n  symbols: {a: {}, x: {shape: [n]}}\n  of: y[i] = a * x[i]\n"
                    "  wrt: x[k]\n  derivative: a * delta[i,k]\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "generator", "export", str(path)],
                       capture_output=True, env={**os.environ, "PYTHONIOENCODING": "ascii"},
                       cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert b"Traceback" not in r.stderr and b"D\\xe9riv\\xe9e" in r.stdout
