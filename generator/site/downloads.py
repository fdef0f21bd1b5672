"""The downloadable files: the catalogue as JSON (the export, byte for byte), LaTeX tables
per layout (booktabs, for \\input) and a BibTeX file with one record per identity."""
from __future__ import annotations

import json
from typing import Any, Sequence

from ..model import LAYOUTS
from .cite import SiteInfo, bibtex
from .entry_view import EntryView, Table
from .escape import latex_text

JSON_NAME = "catalogue.json"
BIB_NAME = "matrix-calculus.bib"


def tex_name(layout: str) -> str:
    return f"matrix-calculus-{layout}.tex"


def catalogue_text(catalogue: dict[str, Any]) -> str:
    """What `python -m generator export --format json` prints."""
    return json.dumps(catalogue, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def _condition_tex(view: EntryView) -> str:
    return "; ".join(f"${tex}$ {latex_text(words)}".rstrip() for tex, words in view.conditions)


def latex_table(layout: str, tables: Sequence[Table], banner: str) -> str:
    """One booktabs longtable per catalogue table (its header repeated on every page), in
    `layout`."""
    out = [f"% {banner}",
           f"% The identities of the catalogue in {layout} layout, one longtable per table.",
           r"% Needs \usepackage{booktabs,longtable,amsmath,amssymb}; then \input{"
           + tex_name(layout) + "}.",
           ""]
    for t in tables:
        title = latex_text(t.title)
        out += [f"% {title} ({t.table})",
                r"\begin{longtable}{@{}p{0.3\linewidth}p{0.2\linewidth}ll@{}}",
                r"\toprule",
                rf"\multicolumn{{4}}{{@{{}}l}}{{\textbf{{{title}}}}} \\",
                r"\midrule",
                rf"Identity & Condition & Expression & {layout.capitalize()} layout \\",
                r"\midrule", r"\endhead"]
        for v in t.entries:
            form = v.layouts[layout].latex
            result = f"${form}$" if form else "(no matrix form)"
            out.append(rf"{latex_text(v.name)} (\texttt{{{v.id}}}) & {_condition_tex(v)} & "
                       rf"${v.expression}$ & {result} \\")
        out += [r"\bottomrule", r"\end{longtable}", ""]
    return "\n".join(out)


def bibliography(views: Sequence[EntryView], site: SiteInfo, banner: str) -> str:
    head = f"% {banner}\n% One record per identity; cite an entry by its key mcr-<entry id>.\n\n"
    return head + "\n".join(bibtex(site, v.id, v.name) for v in sorted(views, key=lambda v: v.id))


def download_files(catalogue: dict[str, Any], tables: Sequence[Table], site: SiteInfo,
                   banner: str) -> dict[str, str]:
    """File name (under downloads/) -> text."""
    views = [v for t in tables for v in t.entries]
    files = {JSON_NAME: catalogue_text(catalogue), BIB_NAME: bibliography(views, site, banner)}
    for layout in LAYOUTS:
        files[tex_name(layout)] = latex_table(layout, tables, banner)
    return files
