"""Escaping of free text (names, notes, conditions from YAML) for every output format.

Markdown: HTML-escaped, and every character that Markdown or its extensions read as syntax
(emphasis, links, code, attribute lists, table pipes, math delimiters) written as a numeric
character reference, so the text shows literally. LaTeX and BibTeX: the special characters
as commands. Math (our own LaTeX) is kept raw but made safe inside Markdown tables.
"""
from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

from ..latex import escape_text

# Characters that start Markdown syntax anywhere in a line (\ ` * _ [ ] { } | $ ~ ^ ! # :),
# plus the HTML specials. `:` and `#` matter only at a line start, but cost nothing here.
_MD_CHARS = set("\\`*_[]{}|$~^!#<>&\"'")
_SPACE = re.compile(r"\s+")


def oneline(text: object) -> str:
    """Any YAML scalar as text on one line: runs of white space become one space."""
    return _SPACE.sub(" ", str(text)).strip()


def md(text: object) -> Markup:
    """`text` as inline Markdown that renders literally (safe in a table cell too)."""
    return Markup("".join(f"&#{ord(c)};" if c in _MD_CHARS else c for c in oneline(text)))


def code(text: object) -> Markup:
    """Inline code that shows `text` literally, in a table cell too."""
    return Markup("<code>") + md(text) + Markup("</code>")


def table_math(tex: str) -> str:
    """LaTeX that cannot end a Markdown table cell: `|` as `\\vert`, `\\|` as `\\Vert`."""
    return tex.replace("\\|", "\\Vert{}").replace("|", "\\vert{}")


def math(tex: str | None) -> Markup:
    """Inline math for arithmatex (generic): `\\( ... \\)`, usable inside tables."""
    if not tex:
        return Markup("&mdash;")
    return Markup("\\(" + table_math(tex) + "\\)")


def display_math(tex: str) -> Markup:
    """A display-math block; the caller leaves a blank line before and after."""
    return Markup("$$\n" + tex + "\n$$")


def yaml_str(text: object) -> Markup:
    """A front-matter value (title, description): themes print these into the page's HTML
    unescaped, so the text is HTML-escaped, then quoted as YAML (a JSON string is a valid
    YAML double-quoted scalar)."""
    return Markup(json.dumps(html.escape(oneline(text))))


def fenced(text: str, lang: str = "text") -> Markup:
    """A fenced code block whose fence is longer than any run of backticks in `text`."""
    runs = [len(r) for r in re.findall(r"`+", text)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return Markup(f"{fence}{lang}\n{text.rstrip()}\n{fence}")


# Beyond generator.latex's text escapes: characters that OT1-encoded text prints wrongly.
_LATEX_MORE = {"<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}"}


def latex_text(text: object) -> str:
    """Text for a LaTeX document (outside math)."""
    return "".join(_LATEX_MORE.get(c, c) for c in escape_text(oneline(text)))


def bibtex_text(text: object) -> str:
    """A BibTeX field value, to go inside braces: LaTeX-escaped, so braces stay balanced."""
    return latex_text(text)
