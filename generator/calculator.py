"""`python -m generator derive`: derive one derivative, verify it, lay it out in every layout."""
from __future__ import annotations

from .check_form import check_entry
from .derive import DeriveError
from .export import symbol_info
from .latex import index_latex, matrix_latex
from .layouts import LAYOUTS
from .load import Located
from .printing import index_text
from .verify import derive_entry, verify_entry


def _located(value) -> Located:
    if isinstance(value, dict):
        return Located({k: _located(v) for k, v in value.items()}, 1)
    if isinstance(value, list):
        return Located([_located(v) for v in value], 1)
    return Located(value, 1)


def _entry(symbols: dict, of: str, wrt: list[str], derivative: str):
    raw = {"id": "calculator", "name": "calculator", "symbols": symbols, "of": of,
           "wrt": wrt if len(wrt) > 1 else wrt[0], "derivative": derivative}
    return check_entry(_located(raw), "calculator", "<command line>")


def run_calculator(symbols: dict, of: str, wrt: list[str]) -> int:
    entry, problems, _ = _entry(symbols, of, wrt, "0")
    if entry is None:
        for _, msg in problems:
            print(f"<command line>:1: calculator: {msg}")
        return 2
    try:
        _, display = derive_entry(entry)
    except DeriveError as e:
        print(f"<command line>:1: calculator: cannot derive: {e}")
        return 1
    text = index_text(display)
    entry, problems, _ = _entry(symbols, of, wrt, text)
    if entry is None:
        for _, msg in problems:
            print(f"<command line>:1: calculator: derived form does not re-read: {msg}")
        return 1
    r = verify_entry(entry, exact_always=True)   # one entry: every level is worth its time
    info = symbol_info(entry)
    print(f"kind: {entry.kind}")
    print(f"derivative (index notation): {text}")
    print(f"  LaTeX: {index_latex(entry.derivative_display, info)}")
    for layout in LAYOUTS:
        lf = r.layouts[layout]
        if lf.form is None:
            print(f"{layout}: no matrix form")
            continue
        print(f"{layout}: {lf.text}    [verified numerically, largest relative error "
              f"{lf.check.error:.2g}]")
        print(f"  LaTeX: {matrix_latex(lf.form, info)}")
    n = r.numeric
    print(f"verification: general {r.general.status}; exact {r.exact.status}"
          f"{' at ' + str(r.exact.sizes) if r.exact.sizes else ''}; numeric "
          f"{'passed' if n.passed else 'failed'} ({len(n.samples)} samples, tolerance "
          f"{n.tolerance:g})")
    for msg in r.failures:
        print(f"problem: {msg}")
    return 0 if r.passed else 1
