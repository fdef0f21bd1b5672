"""Reading identity files: only plain YAML, every value with its line."""
from pathlib import Path

import pytest

from generator.load import MAX_BYTES, MAX_YAML_DEPTH, Problem, read_file


def write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "f.yaml"
    p.write_text(text)
    return p


@pytest.mark.parametrize("text, message", [
    ("table: t\nentries: []\n", None),
    ("table: !!python/object/apply:os.system ['echo x']\n", "YAML tag"),
    ("a: &x [1]\nb: *x\n", "aliases"),
    ("a: 1\na: 2\n", "duplicate key"),
    ("a: [1\n", "YAML syntax error"),
    ("", "empty"),
    ("<<: {a: 1}\n", "merge"),
    # nesting: the deepest allowed, one more, and far more (PyYAML's composer recursed)
    ("a: " + "[" * (MAX_YAML_DEPTH - 1) + "]" * (MAX_YAML_DEPTH - 1) + "\n", None),
    ("a: " + "[" * MAX_YAML_DEPTH + "]" * MAX_YAML_DEPTH + "\n", "nested deeper"),
    ("a: " + "[" * 100_000 + "]" * 100_000 + "\n", "nest"),
    # a value its tag cannot read: PyYAML's constructors raise ValueError and the like
    ("a: !!float x\n", "not a valid float"),
    ("a: !!int x\n", "not a valid int"),
    ("? [a]\n: 1\n", "not text"),
    ("a: 1\n---\nb: 2\n", "more than one document"),
])
def test_read_file(tmp_path, text, message):
    root, problems = read_file(write(tmp_path, text))
    if message is None:
        assert root is not None and not problems
    else:
        assert root is None and len(problems) == 1 and message in problems[0].message


def test_lines_are_kept(tmp_path):
    root, _ = read_file(write(tmp_path, "table: t\nentries:\n- id: a\n  name: b\n"))
    entry = root.value["entries"].value[0]
    assert entry.line == 3 and entry.value["name"].line == 4


@pytest.mark.parametrize("text, line", [
    ("a: 1\nb: 2\nc: [\n", 4),                         # the end of the text
    ("a: 'x\u2028y\x85z'\nb: 2\nc: [\n", 4),           # LS and NEL are no line breaks
    ("a: 1\r\nb: 2\r\nc: [\r\n", 4),                   # CRLF is one
    ("a: 1\rb: 2\rc: [\r", 4),                          # and so is a lone CR
    ("a: \u00e9\u00e9\nb: \x01\n", 2),                 # a character YAML refuses
    ("a: 1\nb: 2\nb: 3\n", 3),
])
def test_problem_lines_are_editor_lines(tmp_path, text, line):
    p = tmp_path / "f.yaml"
    p.write_bytes(text.encode("utf-8"))
    _, problems = read_file(p)
    assert [x.line for x in problems] == [line]


def test_key_lines_are_kept(tmp_path):
    root, _ = read_file(write(tmp_path, "a:\n  b: 1\nc:\n- 2\n"))
    assert (root.value["a"].line, root.value["a"].at) == (2, 1)
    assert (root.value["c"].line, root.value["c"].at) == (4, 3)


@pytest.mark.parametrize("entry, message, shown", [
    ("e1", "ok", "f:1: e1: ok"),
    ("e1\n", "id 'e1\\n' x", "f:1: e1\\n: id 'e1\\n' x"),
    ("", "a\nb\u200dc\ufeff", "f:1: -: a\\nb\\u200dc\\ufeff"),
    # a confusable letter shows as what it is: Cyrillic a, not Latin a
    ("\u0430", "symbol name '\u0430'", "f:1: \\u0430: symbol name '\\u0430'"),
])
def test_a_problem_is_one_printable_line(entry, message, shown):
    # what is not printable is written as an escape: one line, showing what is in the file
    assert str(Problem("f", 1, entry, message)) == shown


def test_syntax_error_names_the_entry(tmp_path):
    text = "entries:\n- id: first\n  name: x\n- id: broken\n  symbols: {x: [\n  of: y\n"
    _, problems = read_file(write(tmp_path, text))
    assert problems[0].entry == "broken"


def test_alias_bomb_is_refused_quickly(tmp_path):
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{k}: &a{k} [" + ", ".join([f"*a{k-1}"] * 9) + "]" for k in range(1, 10)]
    _, problems = read_file(write(tmp_path, "\n".join(lines) + "\n"))
    assert "aliases" in problems[0].message


def test_large_file_is_refused(tmp_path):
    p = write(tmp_path, "a: " + "x" * (MAX_BYTES + 10) + "\n")
    _, problems = read_file(p)
    assert "limit" in problems[0].message
