"""The bad-input corpus (issue 6, point 3): every case is refused as input, each problem as one
line `path:line: entry-id: message` (entry '-' where no entry is known, as load.py does), exit
status 2, no traceback, and nothing written: neither the docs folder of `site` nor anything in
the working directory changes.

Cases:
- tests/bad_input/*.yaml, one case per file; a folder there is one case made of its files.
  Each states at its end what it must produce, one `# expect: LINE: ENTRY: FRAGMENT` per
  problem: the problems printed must be exactly these (one line each, in any order), so a
  problem found for a wrong reason, at a wrong line or twice fails the case.
- every file of the shared examples/invalid/, with its expectations below;
- a few generated here into tmp_path: a 10 MB file, bytes that are not UTF-8, YAML nested
  100 000 deep, a line separator (U+2028) and CRLF line ends before an error, and so on.

Every case runs in-process through `generator.cli.main` (`verify` and `site --docs`); a
representative subset also runs as `python -m generator ...` subprocesses, started together.
"""
from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main
from generator.lexer import MAX_LENGTH
from generator.load import MAX_BYTES, MAX_NODES

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "bad_input"
SHARED = Path("/work/shared/examples/invalid")
EXPECT = re.compile(r"^# expect: (\d+): (.+?): (.+)$", re.M)
PROBLEM = re.compile(r"^(?P<path>.+?):(?P<line>[1-9][0-9]*): (?P<entry>\S.*?): (?P<message>\S.*)$")
VERIFY_SUMMARY = re.compile(r"^0 verified, 0 failed; (\d+) input problems?$")
SITE_SUMMARY = re.compile(r"^(\d+) input problems?; nothing written$")

# Expectations for the shared examples (that folder is maintained elsewhere; a new file there
# fails test_every_shared_invalid_file_is_in_the_corpus until it is added here).
SHARED_EXPECT = {
    "code-injection.yaml": [
        (10, "bad-python-expression", "of: unexpected character '_' (column 5)"),
        (17, "bad-attribute-access", "of: only .T may follow '.' (column 6)")],
    "duplicate-id.yaml": [(11, "dup-entry", "duplicate id (first at {dir}/duplicate-id.yaml:4)")],
    "index-errors.yaml": [
        (10, "bad-dangling-index", "of: index 'j' is neither free nor summed (free: i)"),
        (10, "bad-dangling-index", "of: index 'k' is neither free nor summed (free: i)"),
        (18, "bad-dimension-mismatch", "of: index 'j' runs over different dimensions: m, n"),
        (25, "bad-unknown-symbol", "of: undeclared symbol 'B'"),
        (32, "bad-wrong-rank", "of: 'x' has rank 1 but is written with 2 indices"),
        (32, "bad-wrong-rank", "of: index 'i' is neither free nor summed"),
        (32, "bad-wrong-rank", "of: index 'j' is neither free nor summed"),
        (42, "bad-free-index-mismatch", "derivative: index 'j' is neither free nor summed"),
        (46, "bad-unknown-assumption", "symbol 'A': unknown assumption 'hermitian-ish'"),
        (51, "bad-missing-wrt", "missing field 'wrt'"),
        (61, "bad-unbalanced", "of: unbalanced parentheses: '(' is never closed")],
    "syntax-error.yaml": [(7, "bad-yaml", "YAML syntax error")],
    "yaml-python-tag.yaml": [
        (1, "-", "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed")],
}

ENTRY = """\
- id: e1
  name: Linear map
  symbols:
    A: {shape: [m, n]}
    x: {shape: [n]}
  of: y[i] = A[i,j] * x[j]
  wrt: x[k]
  derivative: A[i,k]
"""
FILE = "table: vector-by-vector\ntitle: Generated\nentries:\n" + ENTRY   # e1 at line 4, of 9


def _huge(tmp: Path):
    path = tmp / "huge-10mb.yaml"
    with open(path, "wb") as f:           # a valid start, then 10 MB of one comment
        f.write(FILE.encode())
        f.write(b"# " + b"x" * (10 * 1024 * 1024) + b"\n")
    return [path], [(path, 1, "-", f"bytes; the limit is {MAX_BYTES}")]


def _bytes(name: str, data: bytes, *expect):
    def make(tmp: Path):
        path = tmp / name
        path.write_bytes(data)
        return [path], [(path, *e) for e in expect]
    return make


def _text(name: str, text: str, *expect):
    return _bytes(name, text.encode("utf-8"), *expect)


def _missing(tmp: Path):
    path = tmp / "no-such-file.yaml"
    return [path], [(path, 1, "-", "no such file or folder")]


GENERATED = {
    "huge-file-10mb": _huge,
    "not-utf8": _bytes("latin1.yaml", FILE.replace("Linear map", "Caf\xe9").encode("latin-1"),
                       (1, "-", "file is not UTF-8 text")),
    "control-character": _text("control.yaml", FILE.replace("Linear map", "Linear\x01map"),
                               (5, "e1", "YAML error: character '\\x01' (U+0001) is not allowed")),
    "nul-byte": _bytes("nul.yaml", FILE.encode().replace(b"Linear map", b"Linear\x00map"),
                       (5, "e1", "YAML error: character '\\x00' (U+0000) is not allowed")),
    # libyaml stops at its own depth limit, PyYAML's parser at ours: both say "nest"
    "deep-yaml-brackets": _text("deep.yaml", "table: " + "[" * 100_000 + "]" * 100_000 + "\n",
                                (1, "-", "nest")),
    "too-many-yaml-nodes": _text("nodes.yaml", "table: [" + "0," * (MAX_NODES + 10) + "0]\n",
                                 (1, "-", "file has too many YAML nodes")),
    "expression-too-long": _text("long.yaml", FILE.replace(
        "y[i] = A[i,j] * x[j]", "y[i] = A[i,j] * x[j]" + " + A[i,j] * x[j]" * 300),
        (9, "e1", f"of: expression longer than {MAX_LENGTH} characters")),
    # lines as an editor counts them: U+2028 and NEL inside a value are not line breaks, and
    # CRLF is one
    "line-separator": _text("separator.yaml", FILE.replace("Linear map", "'Linear\u2028map\x85'")
                            .replace("A[i,j] * x[j]", "B[i,j] * x[j]"),
                            (9, "e1", "of: undeclared symbol 'B'")),
    "crlf-line-ends": _text("crlf.yaml", FILE.replace("\n", "\r\n")
                            .replace("A[i,j] * x[j]", "B[i,j] * x[j]"),
                            (9, "e1", "of: undeclared symbol 'B'")),
    "cr-line-ends": _text("cr.yaml", FILE.replace("\n", "\r").replace("wrt: x[k]", "wrt: z[k]"),
                          (10, "e1", "wrt: undeclared symbol 'z'")),
    "missing-file": _missing,
}


@dataclass
class Case:
    paths: list[Path]                              # what the command is given
    expect: list[tuple[str, int, str, str]]        # (path shown, line, entry, fragment)


def _expectations(path: Path, shown: str, folder: str) -> list[tuple[str, int, str, str]]:
    return [(shown, int(line), entry, fragment.replace("{dir}", folder))
            for line, entry, fragment in EXPECT.findall(path.read_text(encoding="utf-8"))]


def committed() -> list[str]:
    return sorted(p.stem if p.is_file() else p.name for p in CORPUS.iterdir()
                  if p.suffix == ".yaml" or p.is_dir())


def shared() -> list[str]:
    return sorted(p.name for p in SHARED.glob("*.yaml")) if SHARED.is_dir() else []


def make_case(name: str, tmp: Path) -> Case:
    if name.startswith("shared/"):
        if not SHARED.is_dir():
            pytest.skip("the shared examples are not beside the project")
        path = SHARED / name[7:]
        return Case([path], [(str(path), line, entry, fragment.replace("{dir}", str(SHARED)))
                             for line, entry, fragment in SHARED_EXPECT[path.name]])
    if name in GENERATED:
        paths, expect = GENERATED[name](tmp)
        return Case(paths, [(str(p), line, entry, fragment) for p, line, entry, fragment in expect])
    path = CORPUS / name
    if path.is_dir():
        return Case([path], [e for f in sorted(path.glob("*.yaml"))
                             for e in _expectations(f, str(f), str(path))])
    path = path.with_suffix(".yaml")
    return Case([path], _expectations(path, str(path), str(CORPUS)))


ALL = committed() + [f"shared/{n}" for n in SHARED_EXPECT] + sorted(GENERATED)


def snapshot(*roots: Path) -> dict[str, str]:
    """Every path under the roots (hidden ones too), with a digest of each file's bytes."""
    out = {}
    for root in roots:
        for dirpath, dirs, files in os.walk(root):
            out[dirpath] = "dir"
            for f in files:
                p = Path(dirpath, f)
                out[str(p)] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "?"
    return out


def workspace(tmp: Path) -> tuple[Path, Path]:
    """A working directory holding mkdocs.yml and a docs/ folder with the pages of a
    previous build (what `site` must leave alone)."""
    work = tmp / "work"
    docs = work / "docs"
    (docs / "entries").mkdir(parents=True)
    (docs / "tables").mkdir()
    (work / "mkdocs.yml").write_text("site_name: Previous\n")
    (docs / "index.md").write_text("# Hand-written\n")
    (docs / "entries" / "e1.md").write_text("<!-- generated by python -m generator site -->\n")
    (docs / "tables" / "vector-by-vector.md").write_text("previous table\n")
    return work, docs


def check_problems(case: Case, lines: list[str], summary: re.Pattern) -> None:
    """`lines` are the problem lines and a summary; together exactly the case's problems."""
    assert lines, "nothing printed"
    *problems, last = lines
    m = summary.match(last)
    assert m and int(m.group(1)) == len(problems), last
    for line in problems:
        m = PROBLEM.match(line)
        assert m, f"not path:line: entry: message: {line!r}"
        # printable ASCII after the path: a confusable character shows as an escape
        assert line.isprintable() and (m["entry"] + m["message"]).isascii(), repr(line)
    left = list(problems)
    for path, number, entry, fragment in case.expect:
        prefix = f"{path}:{number}: {entry}: "
        hits = [p for p in left if p.startswith(prefix) and fragment in p[len(prefix):]]
        assert hits, f"expected {prefix}...{fragment}... among\n" + "\n".join(problems)
        left.remove(hits[0])
    assert not left, "problems not expected:\n" + "\n".join(left)


def test_the_corpus_is_large_enough():
    assert len(ALL) >= 60
    # and every committed case states what it must produce
    for name in committed():
        assert make_case(name, Path("/nonexistent")).expect, name


def test_every_shared_invalid_file_is_in_the_corpus():
    if not SHARED.is_dir():
        pytest.skip("the shared examples are not beside the project")
    assert shared() == sorted(SHARED_EXPECT)


@pytest.mark.parametrize("name", ALL)
def test_refused_in_process(name, tmp_path, capsys, monkeypatch):
    case = make_case(name, tmp_path)
    work, docs = workspace(tmp_path)
    args = [str(p) for p in case.paths]
    before = snapshot(tmp_path, *[p for p in case.paths if p.exists()])
    monkeypatch.chdir(work)

    assert main(["verify", *args]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and err == ""
    check_problems(case, out.splitlines(), VERIFY_SUMMARY)

    assert main(["site", "--docs", str(docs), *args]) == 2
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err and out == ""
    check_problems(case, err.splitlines(), SITE_SUMMARY)

    assert snapshot(tmp_path, *[p for p in case.paths if p.exists()]) == before


# One or more cases of each kind, run as a user runs them.
SUBPROCESS = ["yaml-unclosed-flow-mapping", "yaml-alias-bomb", "yaml-python-object-apply",
              "type-derivative-nan", "unknown-field-derivitive", "missing-name-and-of",
              "duplicate-id-across-files", "undeclared-symbol-in-of", "rank-wrt",
              "index-dangling", "dimension-summed-over-two", "unknown-function",
              "unknown-assumption", "nested-parentheses", "python-import", "python-lambda",
              "python-comprehension", "id-path-traversal", "confusable-cyrillic-symbol",
              "confusable-zero-width-joiner", "several-problems", "huge-file-10mb",
              "deep-yaml-brackets", "line-separator", "not-utf8"] + \
             [f"shared/{n}" for n in SHARED_EXPECT]
SITE_SUBPROCESS = ["yaml-python-object-apply", "python-import", "several-problems",
                   "shared/code-injection.yaml"]
# and with an output that takes ASCII only (a Windows console, PYTHONIOENCODING=ascii)
ASCII_SUBPROCESS = ["confusable-cyrillic-symbol", "confusable-greek-in-id", "not-utf8"]


@dataclass
class Run:
    case: Case
    code: int
    out: str
    err: str
    before: dict
    after: dict


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Run]:
    """Every subprocess at once (the start of Python and SymPy overlaps), each in a fresh
    working directory with a previous docs/."""
    started = {}
    for command, names in (("verify", SUBPROCESS), ("site", SITE_SUBPROCESS),
                           ("ascii", ASCII_SUBPROCESS)):
        for name in names:
            if name.startswith("shared/") and not SHARED.is_dir():
                continue
            tmp = tmp_path_factory.mktemp("case")
            case = make_case(name, tmp)
            work, docs = workspace(tmp)
            args = [str(p) for p in case.paths]
            argv = ["site", "--docs", str(docs), *args] if command == "site" else ["verify", *args]
            before = snapshot(tmp, *[p for p in case.paths if p.exists()])
            env = {**os.environ, "PYTHONPATH": str(ROOT)}
            if command == "ascii":
                env["PYTHONIOENCODING"] = "ascii"
            proc = subprocess.Popen([sys.executable, "-m", "generator", *argv], cwd=work, env=env,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            started[f"{command} {name}"] = (proc, case, tmp, before)
    out = {}
    for key, (proc, case, tmp, before) in started.items():
        stdout, stderr = proc.communicate(timeout=600)
        out[key] = Run(case, proc.returncode, stdout, stderr, before,
                       snapshot(tmp, *[p for p in case.paths if p.exists()]))
    return out


@pytest.mark.parametrize("name", SUBPROCESS + [f"ascii {n}" for n in ASCII_SUBPROCESS])
def test_refused_by_the_command(runs, name):
    key = name if name.startswith("ascii ") else f"verify {name}"
    if key not in runs:
        pytest.skip("the shared examples are not beside the project")
    r = runs[key]
    assert "Traceback" not in r.out + r.err, r.err[-2000:]
    assert r.code == 2 and r.err == "", r.err[-2000:]
    check_problems(r.case, r.out.splitlines(), VERIFY_SUMMARY)
    assert r.after == r.before


@pytest.mark.parametrize("name", SITE_SUBPROCESS)
def test_site_writes_nothing(runs, name):
    if f"site {name}" not in runs:
        pytest.skip("the shared examples are not beside the project")
    r = runs[f"site {name}"]
    assert "Traceback" not in r.out + r.err, r.err[-2000:]
    assert r.code == 2 and r.out == ""
    check_problems(r.case, r.err.splitlines(), SITE_SUMMARY)
    assert r.after == r.before
    assert not list(ROOT.glob("pwned*"))


def test_several_files_with_several_problems_in_one_run(tmp_path, capsys, monkeypatch):
    # Every problem of every file, in one run: a file with problems in several entries and at
    # file level, two more files, and a folder whose two files share an id. The entry e1 of
    # several-problems.yaml comes first, so the other files' e1 are duplicates of it too.
    names = ["several-problems", "index-dangling", "confusable-zero-width-in-field-name",
             "duplicate-id-across-files"]
    cases = [make_case(n, tmp_path) for n in names]
    first = f"{cases[0].paths[0]}:5"
    duplicates = [(str(c.paths[0]), 5, "e1", f"duplicate id (first at {first})")
                  for c in cases[1:3]]
    monkeypatch.chdir(tmp_path)
    assert main(["verify", *[str(p) for c in cases for p in c.paths]]) == 2
    out = capsys.readouterr().out
    check_problems(Case([], [e for c in cases for e in c.expect] + duplicates),
                   out.splitlines(), VERIFY_SUMMARY)
    assert len(out.splitlines()) == 6 + 2 + 2 + 1 + 2 + 1
