"""Read identity files safely, keeping the line of every value for error messages.

YAML is parsed with PyYAML's safe parser and built by hand from its events, so that only plain
scalars, lists and mappings are accepted: no tags that could construct Python objects, no
anchors or aliases (an alias bomb is refused before it can expand), no duplicate keys, no
nesting deeper than MAX_YAML_DEPTH and no more than MAX_NODES values.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

MAX_BYTES = 1_000_000
MAX_NODES = 200_000
MAX_YAML_DEPTH = 64     # nested lists and mappings; an entry needs 5
# libyaml's parser where PyYAML has it (a 1 MB file in a fraction of a second, not 10 s); both
# report marks as character offsets, which is all that is read from them
_PARSER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_PLAIN_TAGS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null", "seq",
                                                 "map", "timestamp")}


# Lines as an editor (and `sed -n`, `grep -n`) counts them: PyYAML's marks also count NEL,
# LS and PS (U+0085, U+2028, U+2029) as line breaks, which would shift every later line.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Located:
    """A value read from YAML with the 1-based line it starts on; a mapping's values also
    carry the line of their key (`key_line`), where a problem with the key is reported."""
    value: Any
    line: int
    key_line: int = 0

    @property
    def at(self) -> int:
        """The line to report a problem with this field's name on."""
        return self.key_line or self.line


@dataclass(frozen=True)
class Problem:
    path: str
    line: int
    entry: str
    message: str

    def __str__(self) -> str:
        return (f"{one_line(self.path)}:{self.line}: {shown(self.entry) or '-'}: "
                f"{shown(self.message)}")


def one_line(text: str) -> str:
    """`text` with every character that is not printable (line breaks, controls, invisible
    format characters such as U+200D or U+FEFF) written as an escape, so that a problem is
    always one line and shows what is really in the file."""
    text = str(text)
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else ascii(c)[1:-1] for c in text)


def shown(text: str) -> str:
    """`text` in printable ASCII, anything else written as an escape: a Cyrillic a (U+0430)
    in a name then reads '\\u0430', not as the Latin a it looks like, and a problem prints on
    any terminal. (A path stays as given: it is the user's own, to be opened.)"""
    text = str(text)
    if text.isascii() and text.isprintable():
        return text
    return "".join(c if c.isascii() and c.isprintable() else ascii(c)[1:-1] for c in text)


class _Lines:
    """Editor line numbers of character offsets in a text."""

    def __init__(self, text: str):
        self.starts = [0] + [m.end() for m in _LINE_BREAK.finditer(text)]

    def __call__(self, index: int) -> int:
        return bisect_right(self.starts, index)


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line, self.message = line, message


def _scalar(node: yaml.ScalarNode, line: int, key_line: int) -> Located:
    """A scalar's value (its tag already allowed)."""
    if node.tag.endswith(":timestamp"):
        # a date (a revision's, say) is kept as the text written; its reader checks it
        return Located(node.value, line, key_line)
    constructor = yaml.constructor.SafeConstructor()
    try:
        value = constructor.construct_object(node)
    except Exception as e:   # a tagged value its constructor cannot read (!!int "abc",
        # !!float "x": PyYAML raises whatever its conversion raises): a problem, not a crash
        raise _Refused(line, f"YAML value {node.value!r} is not a valid "
                             f"{node.tag.rpartition(':')[2]} ({type(e).__name__})") from None
    return Located(value, line, key_line)


class _Open:
    """A list or mapping being read: its items so far and, in a mapping, the key read last."""
    __slots__ = ("items", "line", "key_line", "key")

    def __init__(self, items, line: int, key_line: int):
        self.items, self.line, self.key_line, self.key = items, line, key_line, None


def _compose(text: str, lines: _Lines) -> Located | None:
    """The one document of `text` as Located values (None if there is none), built from the
    parser's events without recursion: nesting, size, aliases and tags are refused where they
    are met, before anything is built from them. (PyYAML's own composer recurses, so a few
    hundred nested brackets ended in a RecursionError.)"""
    resolver = yaml.resolver.Resolver()
    stack: list[_Open] = []
    root: Located | None = None
    documents, budget = 0, MAX_NODES
    for event in yaml.parse(text, Loader=_PARSER):
        if isinstance(event, yaml.DocumentStartEvent):
            documents += 1
            if documents > 1:
                raise _Refused(lines(event.start_mark.index),
                               "YAML syntax error: more than one document in the file")
            continue
        if isinstance(event, yaml.CollectionEndEvent):
            done = stack.pop()
            value = Located(done.items, done.line, done.key_line)
        elif isinstance(event, yaml.NodeEvent):
            line = lines(event.start_mark.index)
            if isinstance(event, yaml.AliasEvent):
                raise _Refused(line, "YAML anchors and aliases are not allowed")
            budget -= 1
            if budget < 0:
                raise _Refused(line, "file has too many YAML nodes")
            parent = stack[-1] if stack else None
            in_map = parent is not None and isinstance(parent.items, dict)
            as_key = in_map and parent.key is None
            key_line = parent.key.line if in_map and not as_key else 0
            kind = (yaml.ScalarNode if isinstance(event, yaml.ScalarEvent) else
                    yaml.SequenceNode if isinstance(event, yaml.SequenceStartEvent) else
                    yaml.MappingNode)
            tag = event.tag
            if tag is None or tag == "!":
                tag = resolver.resolve(kind, getattr(event, "value", None), event.implicit)
            if tag == "tag:yaml.org,2002:merge" or (as_key and getattr(event, "value", "") == "<<"):
                raise _Refused(line, "YAML merge keys are not allowed")
            if tag not in _PLAIN_TAGS:
                raise _Refused(line, f"YAML tag {tag!r} is not allowed")
            if kind is not yaml.ScalarNode:
                if as_key:
                    raise _Refused(line, "key is a list or a mapping, not text")
                if len(stack) >= MAX_YAML_DEPTH:
                    raise _Refused(line, f"YAML nested deeper than {MAX_YAML_DEPTH} levels")
                stack.append(_Open([] if kind is yaml.SequenceNode else {}, line, key_line))
                continue
            value = _scalar(yaml.ScalarNode(tag, event.value, event.start_mark, event.end_mark,
                                            event.style), line, key_line)
        else:
            continue                    # the start and end of the stream, a document's end
        if not stack:
            root = value
        elif isinstance(stack[-1].items, list):
            stack[-1].items.append(value)
        elif stack[-1].key is None:
            if not isinstance(value.value, str):
                raise _Refused(value.line, f"key {plain(value)!r} is not text")
            if value.value in stack[-1].items:
                raise _Refused(value.line, f"duplicate key {value.value!r}")
            stack[-1].key = value
        else:
            stack[-1].items[stack[-1].key.value] = value
            stack[-1].key = None
    return root


def _entry_at(text: str, line: int) -> str:
    """The id of the entry that a line falls in, read from the raw text (for syntax errors)."""
    current = ""
    for number, row in enumerate(_LINE_BREAK.split(text), 1):
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
    lines = _Lines(text)
    try:
        root = _compose(text, lines)
    except _Refused as e:
        return None, [Problem(shown, e.line, _entry_at(text, e.line), e.message)]
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = lines(mark.index) if mark else 1
        why = " ".join(" ".join(str(x).split()) for x in (e.context, e.problem) if x)
        return None, [Problem(shown, line, _entry_at(text, line), f"YAML syntax error: {why}")]
    except yaml.reader.ReaderError as e:
        # a character YAML does not allow (a control character, say): at its own line;
        # libyaml counts this position in bytes of UTF-8
        position = e.position
        if _PARSER is not yaml.SafeLoader:
            position = len(text.encode("utf-8")[:position].decode("utf-8", "ignore"))
        line = lines(position)
        what = (f"character {chr(e.character)!r} (U+{e.character:04X})"
                if isinstance(e.character, int) else f"byte {e.character!r}")
        return None, [Problem(shown, line, _entry_at(text, line),
                              f"YAML error: {what} is not allowed: {e.reason}")]
    except yaml.YAMLError as e:
        return None, [Problem(shown, 1, "", f"YAML error: {' '.join(str(e).split())}")]
    if root is None:
        return None, [Problem(shown, 1, "", "file is empty")]
    return root, []


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
