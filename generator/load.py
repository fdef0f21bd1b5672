"""Read identity files safely, keeping the line of every value for error messages.

YAML is composed with PyYAML's safe loader and then converted by hand, so that only plain
scalars, lists and mappings are accepted: no tags that could construct Python objects, no
anchors or aliases (an alias bomb is refused before it can expand), no duplicate keys.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

MAX_BYTES = 1_000_000
MAX_NODES = 200_000
_PLAIN_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "seq",
                                                 "map")}


@dataclass(frozen=True)
class Located:
    """A value read from YAML with the 1-based line it starts on."""
    value: Any
    line: int


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    entry: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.entry or '-'}: {self.message}"


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _convert(node: yaml.Node, seen: set[int], budget: list[int]) -> Located:
    """Turn a composed node into nested Located values (mappings keep Located keys' text)."""
    line = node.start_mark.line + 1
    if id(node) in seen:
        raise _Refused(line, "YAML anchors and aliases are not allowed")
    seen.add(id(node))
    budget[0] -= 1
    if budget[0] < 0:
        raise _Refused(line, "file has too many YAML nodes")
    if node.tag not in _PLAIN_TAGS:
        raise _Refused(line, f"YAML tag {node.tag!r} is not allowed")
    if isinstance(node, yaml.ScalarNode):
        constructor = yaml.constructor.SafeConstructor()
        return Located(constructor.construct_object(node), line)
    if isinstance(node, yaml.SequenceNode):
        return Located([_convert(n, seen, budget) for n in node.value], line)
    out: dict[str, Located] = {}
    for key_node, value_node in node.value:
        key = _convert(key_node, seen, budget)
        if key_node.tag == "tag:yaml.org,2002:merge" or key.value == "<<":
            raise _Refused(key.line, "YAML merge keys are not allowed")
        if not isinstance(key.value, str):
            raise _Refused(key.line, f"key {key.value!r} is not text")
        if key.value in out:
            raise _Refused(key.line, f"duplicate key '{key.value}'")
        out[key.value] = _convert(value_node, seen, budget)
    return Located(out, line)


def _entry_at(text: str, line: int) -> str:
    """The id of the entry that a line falls in, read from the raw text (for syntax errors)."""
    current = ""
    for number, row in enumerate(text.splitlines(), 1):
        if number > line:
            break
        m = re.match(r"\s*-\s+id:\s*['\"]?([^'\"\s#]+)", row)
        if m:
            current = m.group(1)
    return current


def read_file(path: Path) -> tuple[Located | None, list[Problem]]:
    """The file's content as Located values, or the problems that stopped it being read."""
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(shown, 1, "", f"file is {size} bytes; the limit is {MAX_BYTES}")]
        raw = path.read_bytes()
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return None, [Problem(shown, 1, "", f"file is not UTF-8 text ({e.reason})")]
    except OSError as e:
        return None, [Problem(shown, 1, "", f"cannot read file: {e.strerror}")]
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        why = " ".join(str(x) for x in (e.context, e.problem) if x)
        return None, [Problem(shown, line, _entry_at(text, line), f"YAML syntax error: {why}")]
    except yaml.YAMLError as e:
        return None, [Problem(shown, 1, "", f"YAML error: {e}")]
    if node is None:
        return None, [Problem(shown, 1, "", "file is empty")]
    try:
        return _convert(node, set(), [MAX_NODES]), []
    except _Refused as e:
        return None, [Problem(shown, e.line, _entry_at(text, e.line), e.message)]
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as e:
        return None, [Problem(shown, 1, "", f"YAML value error: {e}")]


def identity_files(paths: list[str]) -> Iterator[Path]:
    """The .yaml/.yml files named, or found (sorted) under the folders named."""
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(q for q in p.rglob("*") if q.suffix in (".yaml", ".yml"))
        else:
            yield p


def plain(value: Any) -> Any:
    """Strip Located wrappers (for export and hashing)."""
    if isinstance(value, Located):
        value = value.value
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
