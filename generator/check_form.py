"""Check entries against the file format (NOTATION.md) and build checked Entry objects.

Validators yield (line, message); `check_entry` gathers every problem of an entry so that
one run reports them all.
"""
from __future__ import annotations

import difflib
import re
from typing import Iterator, Mapping

from .expr import RESERVED, NotationError
from .load import Located, plain
from .model import ASSUMPTIONS, LAYOUTS, Claim, Entry, Symbol
from .entry_forms import check_forms
from .resolve import MAX_FIXED as RESOLVE_MAX_FIXED
from .parse_matrix import parse_matrix
from .revisions import check_revisions
from .sections import check_section

ENTRY_FIELDS = {"id", "name", "tags", "section", "symbols", "of", "wrt", "derivative",
                "differential", "matrix", "claims", "sources", "note", "revisions"}
REQUIRED = ("id", "name", "symbols", "of", "wrt")
SYMBOL_FIELDS = {"shape", "assume", "depends_on", "function", "integer"}
CLAIM_FIELDS = {"source", "layout", "matrix", "erratum", "eq", "table", "row", "note",
                "section", "page"}
SOURCE_FIELDS = {"ref", "table", "row", "eq", "section", "page", "note"}
HINT_FIELDS = {"of", *LAYOUTS}
# Used with fullmatch: `$` alone would also accept a trailing newline ("e1\n" as an id, and
# so as the name of a page).
ID_RE = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
NAME_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*")
DIM_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*|[1-9][0-9]*")
# a fixed size beyond this would make the checks unreasonably slow (one limit for shapes and
# for the sizes written in expressions: resolve.MAX_FIXED)
MAX_FIXED = RESOLVE_MAX_FIXED
SQUARE_ONLY = {"symmetric", "invertible", "positive-definite", "orthogonal", "diagonal",
               "diagonalizable"}


class Invalid(Exception):
    """Raised inside a check to stop checking one part after a problem was reported."""


def _unknown(fields: Mapping[str, Located], allowed: set[str], what: str) -> Iterator[tuple[int, str]]:
    for key, value in fields.items():
        if key not in allowed:
            close = difflib.get_close_matches(key, sorted(allowed), n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            yield value.at, f"unknown {what} field {key!r}{hint}"


def _text(value: Located, what: str) -> str:
    v = value.value
    if isinstance(v, bool) or not isinstance(v, (str, int, float)):
        raise Invalid(f"{what} must be text, not {type(v).__name__}")
    if isinstance(v, float):
        if v != v or v in (float("inf"), float("-inf")):
            raise Invalid(f"{what} must be a finite number")
        v = repr(v)
    return str(v)


def check_symbols(node: Located) -> tuple[dict[str, Symbol], list[tuple[int, str]]]:
    problems: list[tuple[int, str]] = []
    out: dict[str, Symbol] = {}
    if not isinstance(node.value, dict):
        return out, [(node.line, "symbols must be a mapping of name to options")]
    for name, spec in node.value.items():
        line = spec.at
        if not NAME_RE.fullmatch(name):
            problems.append((line, f"symbol name {name!r} is not a letter followed by letters "
                                   "or digits (ASCII)"))
            continue
        if name in RESERVED:
            problems.append((line, f"symbol name '{name}' is reserved"))
            continue
        opts = spec.value if spec.value is not None else {}
        if not isinstance(opts, dict):
            problems.append((line, f"symbol '{name}': options must be a mapping"))
            continue
        problems += [(ln, f"symbol '{name}': {m}") for ln, m in _unknown(opts, SYMBOL_FIELDS,
                                                                         "symbol")]
        shape, assume, dep, fn = (), frozenset(), "", False
        if "shape" in opts:
            raw = opts["shape"].value
            if not isinstance(raw, list) or len(raw) > 2:
                problems.append((line, f"symbol '{name}': shape must be a list of at most two "
                                       "dimensions"))
            else:
                dims = [str(d.value) for d in raw]
                bad = [plain(r) for d, r in zip(dims, raw)
                       if not isinstance(r.value, (str, int)) or isinstance(r.value, bool)
                       or not DIM_RE.fullmatch(d) or d in RESERVED
                       or (d.isdigit() and int(d) > MAX_FIXED)]
                if bad:
                    shown = bad[0] if isinstance(bad[0], str) else str(bad[0])
                    problems.append((line, f"symbol '{name}': bad dimension {shown!r} (a name "
                                           f"that is not reserved, or an integer 1 to {MAX_FIXED})"))
                shape = tuple(dims)
        if "assume" in opts:
            raw = opts["assume"].value
            items = [plain(a) for a in raw] if isinstance(raw, list) else [raw]
            if not isinstance(raw, (list, str)):
                problems.append((opts["assume"].line, f"symbol '{name}': assume must be a list "
                                 f"of assumptions ({', '.join(ASSUMPTIONS)})"))
                items = []
            for a in items:
                if not isinstance(a, str) or a not in ASSUMPTIONS:
                    close = difflib.get_close_matches(str(a), ASSUMPTIONS, n=1)
                    problems.append((opts["assume"].line, f"symbol '{name}': unknown assumption "
                                     f"{a!r}" + (f" (did you mean '{close[0]}'?)" if close else "")))
                elif a in SQUARE_ONLY and (len(shape) != 2 or shape[0] != shape[1]):
                    problems.append((opts["assume"].line, f"symbol '{name}': '{a}' needs a "
                                     "square matrix"))
                elif a in ("full-column-rank", "full-row-rank") and len(shape) != 2:
                    problems.append((opts["assume"].line, f"symbol '{name}': '{a}' needs a matrix"))
            assume = frozenset(a for a in items if isinstance(a, str) and a in ASSUMPTIONS)
        inputs: tuple[str, ...] = ()
        if "depends_on" in opts:
            dep = opts["depends_on"].value
            if isinstance(dep, list):     # depends_on: [x, y]: two or more scalar variables
                names = [d.value for d in dep]
                if len(names) < 2 or len(set(map(str, names))) != len(names) or not all(
                        isinstance(d, str) and NAME_RE.fullmatch(d) for d in names):
                    problems.append((line, f"symbol '{name}': depends_on must name a symbol "
                                           "or list two or more different symbols"))
                    dep = ""
                else:
                    dep, inputs = names[0], tuple(names)
            elif not isinstance(dep, str) or not NAME_RE.fullmatch(dep):
                problems.append((line, f"symbol '{name}': depends_on must name a symbol"))
                dep = ""
        if "function" in opts:
            if opts["function"].value != "scalar":
                problems.append((line, f"symbol '{name}': function must be 'scalar'"))
            fn = True
            # NOTATION.md: an abstract f: R -> R, used only as f(...); a shape, assumptions or
            # a dependence would be silently ignored by the checks (or break them)
            extra = [k for k in ("shape", "assume", "depends_on") if k in opts]
            if extra:
                problems.append((line, f"symbol '{name}': a function (f: R -> R) takes no "
                                       f"'{extra[0]}'"))
        integer = False
        if "integer" in opts:
            if opts["integer"].value != "positive":
                problems.append((line, f"symbol '{name}': integer must be 'positive'"))
            integer = True
            # an exponent of mpow or a bound of sum(r, lo, hi, ...): a positive integer scalar
            extra = [k for k in ("shape", "assume", "depends_on", "function") if k in opts
                     and not (k == "shape" and opts[k].value == [])]
            if extra:
                problems.append((line, f"symbol '{name}': an integer (n = 1, 2, 3, ...) takes "
                                       f"no '{extra[0]}'"))
                shape = ()
        if "complex" in assume and (len(assume) > 1 or dep):
            # a complex-valued constant or variable (an extension): its samples are X + iY
            # with X, Y drawn freely, so no other assumption and no dependence goes with it
            problems.append((opts["assume"].line, f"symbol '{name}': 'complex' takes no other "
                                                  "assumption and no depends_on"))
        out[name] = Symbol(name, shape, assume, dep, fn, integer, inputs)
    lines = {name: spec.at for name, spec in node.value.items()}
    dims = {d for s in out.values() for d in s.shape}
    for s in out.values():
        if s.integer and s.name in dims:
            problems.append((lines[s.name], f"symbol '{s.name}': an integer symbol cannot also "
                                            "be a dimension name"))
    for s in out.values():
        for w in s.inputs:
            v = out.get(w)
            if v is None or v.shape or v.sources or v.function or v.integer:
                problems.append((lines[s.name], f"symbol '{s.name}' depends on a list: each of "
                                                f"its variables must be a declared plain scalar "
                                                f"('{w}' is not)"))
                break
        if s.depends_on:
            seen, cur = {s.name}, s.depends_on
            while cur:
                if cur in out and out[cur].function:
                    problems.append((lines[s.name], f"symbol '{s.name}' depends on '{cur}', "
                                                    "which is a function"))
                    break
                if cur not in out:
                    problems.append((lines[s.name], f"symbol '{s.name}' depends on undeclared "
                                                f"'{cur}'"))
                    break
                if cur in seen:
                    problems.append((lines[s.name], f"symbol '{s.name}': depends_on forms a cycle"))
                    break
                seen.add(cur)
                cur = out[cur].depends_on
    return out, problems


def check_sources(node: Located) -> Iterator[tuple[int, str]]:
    if not isinstance(node.value, list):
        yield node.line, "sources must be a list"
        return
    for item in node.value:
        if not isinstance(item.value, dict):
            yield item.line, "a source must be a mapping with 'ref'"
            continue
        yield from _unknown(item.value, SOURCE_FIELDS, "source")
        if not isinstance(item.value.get("ref", Located(None, 0)).value, str):
            yield item.line, "a source needs 'ref' (text)"


def check_claims(node: Located, functions: frozenset[str]) -> tuple[list[Claim], list[tuple[int, str]]]:
    out, problems = [], []
    if not isinstance(node.value, list):
        return out, [(node.line, "claims must be a list")]
    for item in node.value:
        if not isinstance(item.value, dict):
            problems.append((item.line, "a claim must be a mapping"))
            continue
        c = item.value
        problems += list(_unknown(c, CLAIM_FIELDS, "claim"))
        missing = [k for k in ("source", "layout", "matrix") if k not in c]
        if missing:
            problems.append((item.line, f"claim lacks {', '.join(missing)}"))
            continue
        layout = c["layout"].value
        if not isinstance(layout, str) or layout not in LAYOUTS:
            problems.append((c["layout"].line, f"claim layout {plain(c['layout'])!r} is not one "
                                               f"of {', '.join(LAYOUTS)}"))
            continue
        source = c["source"].value
        if isinstance(source, bool) or not isinstance(source, (str, int)) or not str(source).strip():
            problems.append((c["source"].line, "a claim's source must be text"))
            continue
        erratum = c["erratum"].value if "erratum" in c else False
        if not isinstance(erratum, bool):
            problems.append((c["erratum"].line, "erratum must be true or false"))
            continue
        try:
            text = _text(c["matrix"], "claim matrix")
            form = parse_matrix(text, functions)
        except Invalid as e:
            problems.append((c["matrix"].line, str(e)))
            continue
        except NotationError as e:
            problems.append((c["matrix"].line, f"claim matrix: {_where(e)}"))
            continue
        out.append(Claim(str(c["source"].value), layout, text, form, erratum, item.line,
                         plain(item)))
    return out, problems


def check_hints(node: Located, functions: frozenset[str]):
    hints, of_hint, problems = [], None, []
    if not isinstance(node.value, dict):
        return hints, of_hint, [(node.line, "matrix must be a mapping")]
    problems += list(_unknown(node.value, HINT_FIELDS, "matrix hint"))
    for key, value in node.value.items():
        if key not in HINT_FIELDS:
            continue
        try:
            text = _text(value, f"matrix hint '{key}'")
            form = parse_matrix(text, functions)
        except Invalid as e:
            problems.append((value.line, str(e)))
            continue
        except NotationError as e:
            problems.append((value.line, f"matrix hint '{key}': {_where(e)}"))
            continue
        if key == "of":
            of_hint = (text, form)
        else:
            hints.append(Claim("hint", key, text, form, False, value.line, {}, hint=True))
    return hints, of_hint, problems


def _where(e: NotationError) -> str:
    return e.message + (f" (column {e.column + 1})" if e.column is not None else "")


def check_entry(node: Located, table: str, path: str) -> tuple[Entry | None, list[tuple[int, str]], str]:
    """The checked entry (or None) with every problem found, and the entry's id for messages."""
    if not isinstance(node.value, dict):
        return None, [(node.line, "an entry must be a mapping")], ""
    f: dict[str, Located] = node.value
    eid = f["id"].value if "id" in f and isinstance(f["id"].value, str) else ""
    problems: list[tuple[int, str]] = list(_unknown(f, ENTRY_FIELDS, "entry"))
    for key in REQUIRED:
        if key not in f:
            problems.append((node.line, f"missing field '{key}'"))
    if "derivative" in f and "differential" in f:
        problems.append((f["differential"].line, "give 'derivative' or 'differential', not both"))
    elif "derivative" not in f and "differential" not in f:
        problems.append((node.line, "missing field 'derivative' (or 'differential')"))
    if eid and (not ID_RE.fullmatch(eid) or len(eid) > 80):
        problems.append((f["id"].line, f"id {eid!r} must be lowercase letters, digits and "
                                       "single hyphens (at most 80 characters)"))
        eid = eid[:80]          # shown as written (Problem escapes what is not printable)
    elif "id" in f and not eid:
        problems.append((f["id"].line, "id must be text"))
    if "name" in f and (not isinstance(f["name"].value, str) or not f["name"].value.strip()):
        problems.append((f["name"].line, "name must be non-empty text"))
    if "section" in f:
        problems += [(f["section"].line, m) for m in check_section(f["section"].value)]
    tags: tuple[str, ...] = ()
    if "tags" in f:
        raw = f["tags"].value
        if not isinstance(raw, list) or not all(isinstance(t.value, str) for t in raw):
            problems.append((f["tags"].line, "tags must be a list of text"))
        else:
            tags = tuple(t.value for t in raw)
    if "revisions" in f:
        problems += [(f["revisions"].at, m) for m in check_revisions(plain(f["revisions"]))]
    symbols, sp = check_symbols(f["symbols"]) if "symbols" in f else ({}, [])
    problems += sp
    if "sources" in f:
        problems += list(check_sources(f["sources"]))
    functions = frozenset(n for n, s in symbols.items() if s.function)
    claims, hints, of_hint = [], [], None
    if "claims" in f:
        claims, cp = check_claims(f["claims"], functions)
        problems += cp
    if "matrix" in f:
        hints, of_hint, hp = check_hints(f["matrix"], functions)
        problems += hp
    if problems or any(k not in f for k in REQUIRED):
        return None, problems, eid
    entry, fp = check_forms(f, symbols, functions, eid, table, path, node.line, tags,
                            tuple(hints) + tuple(claims), of_hint)
    return entry, problems + fp, eid
