"""Reading identity files: only plain YAML, every value with its line."""
from pathlib import Path

import pytest

from generator.load import MAX_BYTES, read_file


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
