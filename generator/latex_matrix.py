"""LaTeX for matrix notation (textbook style), and the pieces shared with the index form.

Output is KaTeX-compatible. Vectors and matrices are bold, scalars italic; a product is
juxtaposition, `*` between two arrays is the Hadamard product. Precedence levels decide
parentheses: an operand is wrapped when its level is below what its position needs.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Mapping

import sympy

from .expr import MBin, MCall, MD, MDim, MExpr, MNeg, MNum, MSym, MT

# Precedence levels, loosest first. SUP: carries a superscript or is a fraction, so it needs
# parentheses before another superscript; ATOM: can take a superscript as it is.
ADD, NEG, OP, MUL, SUP, ATOM = range(1, 7)

GREEK = frozenset(
    "alpha beta gamma delta epsilon varepsilon zeta eta theta vartheta iota kappa lambda mu "
    "nu xi pi varpi rho varrho sigma varsigma tau upsilon phi varphi chi psi omega "
    "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega".split())
# Greek letters that look like Latin ones have no LaTeX command: Latin, as LaTeX prints them.
GREEK_LATIN = {k: (r"\mathrm{%s}" % v, r"\mathbf{%s}" % v) for k, v in dict(
    Alpha="A", Beta="B", Epsilon="E", Zeta="Z", Eta="H", Iota="I", Kappa="K", Mu="M", Nu="N",
    Omicron="O", Rho="P", Tau="T", Chi="X").items()} | {"omicron": ("o", r"\boldsymbol{o}")}
FUNC_TEX = {"exp": r"\exp", "log": r"\log", "sin": r"\sin", "cos": r"\cos", "tan": r"\tan",
            "tanh": r"\tanh", "sigmoid": r"\sigma", "relu": r"\operatorname{relu}",
            "det": r"\det", "tr": r"\operatorname{tr}", "adj": r"\operatorname{adj}",
            "logm": r"\log", "sinm": r"\sin", "cosm": r"\cos", "diag": r"\operatorname{diag}",
            "vec": r"\operatorname{vec}"}
_ESCAPES = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&",
            "#": r"\#", "^": r"\textasciicircum{}", "_": r"\_", "%": r"\%",
            "~": r"\textasciitilde{}"}
_ARITY = {"kron": 2, "unvec": 3, "commutation": 2, "mpow": 2, "sum": 4, "fm": 2, "divdiff": 2}
_NAME = re.compile(r"([A-Za-z]+)([0-9]*)")
_INDEX = re.compile(r"[a-z][0-9]*")


@dataclass(frozen=True)
class SymbolInfo:
    """What rendering needs to know about an entry's names."""
    ranks: Mapping[str, int] = field(default_factory=dict)   # 0 scalar, 1 vector, 2 matrix
    functions: frozenset[str] = frozenset()                   # abstract scalar functions
    variable: str = "x"                                       # the denominator of D(u)
    variable_rank: int = 1
    depends: Mapping[str, str] = field(default_factory=dict)  # dependent symbol -> its argument


def escape_text(s: str) -> str:
    """`s` escaped for use inside `\\text{}`."""
    return "".join(_ESCAPES.get(c, c) for c in s)


def name_tex(name: str, bold: bool = False, indexed: bool = False) -> str:
    """A symbol name: Greek names as Greek letters, trailing digits as a subscript (`b_{1}`)
    unless indices follow, where a subscript would run into them (`\\mathit{b1}_{k}`)."""
    m = _NAME.fullmatch(name)
    if m is None:   # the parser allows only letters and digits; anything else is shown as text
        return (r"\textbf{%s}" if bold else r"\text{%s}") % escape_text(name)
    letters, digits = m.groups()
    base = None
    if letters in GREEK:
        base = r"\boldsymbol{\%s}" % letters if bold else "\\" + letters
    elif letters in GREEK_LATIN:
        base = GREEK_LATIN[letters][bold]
    elif len(letters) == 1:
        base = r"\mathbf{%s}" % letters if bold else letters
    if base is not None and not digits:
        return base
    if base is not None and not indexed:
        return f"{base}_{{{digits}}}"
    return (r"\mathbf{%s}" if bold else r"\mathit{%s}") % name


def indices_tex(indices: tuple[str, ...]) -> str:
    """Subscript text: `ik`, or `i,k_{2}` once an index has digits (else `ik2` is ambiguous)."""
    parts = [(i if len(i) == 1 else f"{i[0]}_{{{i[1:]}}}") if _INDEX.fullmatch(i)
             else r"\text{%s}" % escape_text(i) for i in indices]
    return ("" if all(len(i) == 1 for i in indices) else ",").join(parts)


def sub(tex: str, indices: tuple[str, ...]) -> str:
    return f"{tex}_{{{indices_tex(indices)}}}" if indices else tex


def dim_tex(name: str) -> str:
    return name if name.isdigit() else name_tex(name)


def paren(tex: str) -> str:
    """Parentheses that grow around fractions and sums."""
    if "\\frac" in tex or "\\sum" in tex:
        return rf"\left({tex}\right)"
    return f"({tex})"


def number_tex(v: sympy.Expr) -> tuple[str, int]:
    v = sympy.sympify(v)
    if v.is_Integer:
        return str(v), NEG if v < 0 else ATOM
    if v.is_Rational:
        sign = "-" if v < 0 else ""
        return rf"{sign}\frac{{{abs(v.p)}}}{{{v.q}}}", NEG if v < 0 else SUP
    if v.is_Add:
        return sympy.latex(v), ADD
    return sympy.latex(v), NEG if v.could_extract_minus_sign() else SUP


def primes(order: int) -> str:
    return "'" * order if order < 4 else f"^{{({order})}}"


def apply_tex(func: str, arg: str, order: int = 0) -> str:
    """An elementwise, matrix or abstract function applied to an argument's LaTeX."""
    if func == "sqrt":
        return rf"\sqrt{{{arg}}}"
    if func == "conj":           # the complex conjugate (an extension)
        return rf"\overline{{{arg}}}"
    if func == "abs":
        if "\\frac" in arg or "\\sum" in arg:
            return rf"\left\lvert {arg}\right\rvert"
        return rf"\lvert {arg}\rvert"
    head = FUNC_TEX[func] if func in FUNC_TEX and not order else name_tex(func) + primes(order)
    return head + paren(arg)


# --- which operands are certainly scalars or certainly arrays --------------------------------
# A shape axis is '1', 'N' (a named or integer size above 1) or '?' (unknown).

def _axis(d: MExpr) -> str:
    return "1" if isinstance(d, MDim) and d.name == "1" else "N"


def _both(a: str, b: str) -> str:
    return "N" if "N" in (a, b) else "1" if a == b == "1" else "?"


def _shape(m: MExpr, info: SymbolInfo) -> tuple[str, str]:
    if isinstance(m, (MNum, MDim)):
        return "1", "1"
    if isinstance(m, MSym):
        return {0: ("1", "1"), 1: ("N", "1"), 2: ("N", "N")}.get(info.ranks.get(m.name, -1),
                                                                 ("?", "?"))
    if isinstance(m, MNeg):
        return _shape(m.arg, info)
    if isinstance(m, MT):
        r, c = _shape(m.arg, info)
        return c, r
    if isinstance(m, MD):
        ranks = (info.ranks.get(m.name, -1),
                 info.ranks.get(m.by, -1) if m.by else info.variable_rank)
        return ("1", "1") if ranks == (0, 0) else ("N", "N") if min(ranks) > 0 else ("?", "?")
    if isinstance(m, MBin):
        a, b = _shape(m.left, info), _shape(m.right, info)
        return (a[0], b[1]) if m.op == "@" else (_both(a[0], b[0]), _both(a[1], b[1]))
    return _call_shape(m, info)


def _call_shape(m: MCall, info: SymbolInfo) -> tuple[str, str]:
    f, args = m.func, m.args
    if len(args) != _ARITY.get(f, 1):
        return "?", "?"
    if f in ("det", "tr"):
        return "1", "1"
    if f in ("eye", "commutation"):
        d = "1" if all(_axis(a) == "1" for a in args) else "N"
        return d, d
    if f == "ones":
        return _axis(args[0]), "1"
    if f == "unvec":
        return _axis(args[1]), _axis(args[2])
    if f == "sum":
        return _shape(args[3], info)
    s = [_shape(a, info) for a in args]
    if f in ("fm", "divdiff"):      # spectral (an extension): args[0] names a function
        return s[1] if f == "fm" else (s[1][0], s[1][0])
    if f == "eigval":
        return s[0][0], "1"
    if f == "kron":
        return _both(s[0][0], s[1][0]), _both(s[0][1], s[1][1])
    if f == "pinv":
        return s[0][1], s[0][0]
    if f == "vec":
        return ("1" if s[0] == ("1", "1") else "N" if "N" in s[0] else "?"), "1"
    if f == "diag":
        return {("N", "1"): ("N", "N"), ("1", "N"): ("N", "N"), ("N", "N"): ("N", "1"),
                ("1", "1"): ("1", "1")}.get(s[0], ("?", "?"))
    return s[0]    # elementwise, abstract, inv, adj, expm, logm, sinm, cosm keep the shape


def kind(m: MExpr, info: SymbolInfo) -> str | None:
    """'scalar' or 'array' when certain, else None."""
    s = _shape(m, info)
    if s == ("1", "1"):
        return "scalar"
    if "N" in s:
        return "array"
    if isinstance(m, MD):      # not scalar when either side is an array, whatever the layout
        v = info.ranks.get(m.by, 0) if m.by else info.variable_rank
        return "array" if max(info.ranks.get(m.name, 0), v) > 0 else None
    if isinstance(m, (MNeg, MT)) or (isinstance(m, MCall) and len(m.args) == 1):
        return kind(m.args[0] if isinstance(m, MCall) else m.arg, info)
    if isinstance(m, MBin) and m.op != "@":
        kinds = (kind(m.left, info), kind(m.right, info))
        return "array" if "array" in kinds else None
    return None


# --- rendering -------------------------------------------------------------------------------

def matrix_latex(m: MExpr, info: SymbolInfo) -> str:
    """Matrix notation `m` as textbook LaTeX."""
    return _m(m, info)[0]


def matrix_tex(m: MExpr, info: SymbolInfo) -> tuple[str, int]:
    """LaTeX of `m` and its precedence level."""
    return _m(m, info)


def _wrap(m: MExpr, info: SymbolInfo, need: int) -> str:
    tex, p = _m(m, info)
    return paren(tex) if p < need else tex


def _m(m: MExpr, info: SymbolInfo) -> tuple[str, int]:
    if isinstance(m, MNum):
        return number_tex(m.value)
    if isinstance(m, MDim):
        return dim_tex(m.name), ATOM
    if isinstance(m, MSym):
        return name_tex(m.name, bold=info.ranks.get(m.name, 0) > 0), ATOM
    if isinstance(m, MNeg):
        return "-" + _wrap(m.arg, info, MUL), NEG
    if isinstance(m, MT):
        if isinstance(m.arg, MCall) and m.arg.func == "inv":
            return _wrap(m.arg.args[0], info, ATOM) + r"^{-\top}", SUP
        return _wrap(m.arg, info, ATOM) + r"^\top", SUP
    if isinstance(m, MD):
        return md_tex(m.name, m.by, info), SUP
    if isinstance(m, MBin):
        return _bin(m, info)
    return _call(m, info)


def md_tex(name: str, by: str, info: SymbolInfo) -> str:
    """D(name) or D(name, by) as a fraction of bold (array) or italic (scalar) names."""
    top = name_tex(name, bold=info.ranks.get(name, 0) > 0)
    bys = by.split(",") if by else [info.variable]
    parts = []
    for n, b in enumerate(bys):     # D(f, x, x) is the Hessian ∂²f/∂x∂xᵀ
        rank = info.variable_rank if b == info.variable else info.ranks.get(b, 0)
        t = name_tex(b, bold=rank > 0) + (r"^\top" if n and rank else "")
        parts.append(rf"\partial {t}")
    order = f"^{{{len(bys)}}}" if len(bys) > 1 else ""
    return rf"\frac{{\partial{order} {top}}}{{{' '.join(parts)}}}"


def _bin(m: MBin, info: SymbolInfo) -> tuple[str, int]:
    op, right = m.op, m.right
    if op in ("+", "-"):
        flip = "-" if op == "+" else "+"
        if isinstance(right, MNeg):        # a + -b reads as a - b
            op, right = flip, right.arg
        elif isinstance(right, MNum) and right.value.is_negative:
            op, right = flip, MNum(-right.value)
        rt = _wrap(right, info, ADD if op == "+" else OP)
        if rt.startswith("-"):
            rt = paren(rt)
        return f"{_m(m.left, info)[0]} {op} {rt}", ADD
    if op not in ("*", "@", "/"):
        raise ValueError(f"unknown operator '{op}'")
    if op == "/":
        return rf"\frac{{{_m(m.left, info)[0]}}}{{{_m(right, info)[0]}}}", SUP
    if op == "*" and kind(m.left, info) == kind(right, info) == "array":
        return _chain(m, info, r"\odot"), OP
    left = m.left
    if op == "*" and ((kind(right, info) == "scalar" and kind(left, info) != "scalar")
                      or (isinstance(right, MNum) and not isinstance(left, MNum))):
        left, right = right, left          # scalars first, as textbooks print them
    if op == "*" and isinstance(left, MNum) and left.value == 0:
        return r"\mathbf{0}", ATOM        # 0 * ones(...) is how the notation writes a zero array
    if op == "*" and isinstance(left, MNum) and left.value in (1, -1):
        return ("-" + _wrap(right, info, MUL), NEG) if left.value < 0 else _m(right, info)
    return _juxtapose(left, right, info), MUL


def _chain(m: MExpr, info: SymbolInfo, symbol: str) -> str:
    """Operands of an associative operator (⊙ or ⊗): a chain of the same needs no brackets."""
    def operand(x: MExpr) -> str:
        if isinstance(x, MBin) and symbol == r"\odot" and x.op == "*" \
                and kind(x.left, info) == kind(x.right, info) == "array":
            return _chain(x, info, symbol)
        if isinstance(x, MCall) and symbol == r"\otimes" and x.func == "kron":
            return _chain(x, info, symbol)
        return _wrap(x, info, SUP)
    a, b = (m.left, m.right) if isinstance(m, MBin) else m.args
    return f"{operand(a)} {symbol} {operand(b)}"


def _juxtapose(a: MExpr, b: MExpr, info: SymbolInfo) -> str:
    lt, lp = _m(a, info)
    if lp < MUL and lp != NEG:    # a leading minus may stay: (-A)B = -(AB)
        lt = paren(lt)
    rt = _wrap(b, info, MUL)
    if rt[:1].isdigit():
        rt = rf"\cdot {rt}" if lt[-1:].isdigit() else paren(rt)
    elif re.search(r"\\[A-Za-z]+$", lt) and rt[:1].isalpha():
        rt = " " + rt              # keep `\alpha x` from reading as `\alphax`
    return lt + (" " if rt.startswith("\\cdot") else "") + rt


def range_sum_tex(var: str, lo: str, hi: str, body: str, level: int) -> str:
    """\\sum_{r=lo}^{hi} body, the body bracketed unless it binds tighter than a product."""
    if level < MUL or body.startswith("-"):
        body = paren(body)
    return rf"\sum_{{{var}={lo}}}^{{{hi}}} {body}"


def _call(m: MCall, info: SymbolInfo) -> tuple[str, int]:
    f, args = m.func, m.args
    arity = _ARITY.get(f, 1)
    if len(args) != arity:
        raise ValueError(f"{f} takes {arity} argument(s), got {len(args)}")
    a = args[0]
    if f == "inv":
        if isinstance(a, MT):
            return _wrap(a.arg, info, ATOM) + r"^{-\top}", SUP
        return _wrap(a, info, ATOM) + "^{-1}", SUP
    if f == "pinv":
        return _wrap(a, info, ATOM) + "^{+}", SUP
    if f == "expm":
        return f"e^{{{_m(a, info)[0]}}}", SUP
    if f == "kron":
        return _chain(m, info, r"\otimes"), OP
    if f == "mpow":
        return _wrap(a, info, ATOM) + f"^{{{_m(args[1], info)[0]}}}", SUP
    if f == "fm":           # f(X), applied spectrally (an extension)
        return apply_tex(a.name, _m(args[1], info)[0]), ATOM
    if f == "divdiff":      # the matrix of first divided differences f^[1](v_p, v_q)
        return name_tex(a.name) + "^{[1]}" + paren(_m(args[1], info)[0]), ATOM
    if f in ("eigval", "eigvec"):
        return rf"\operatorname{{{f}}}" + paren(_m(a, info)[0]), ATOM
    if f == "sum":
        return range_sum_tex(a.name, _m(args[1], info)[0], _m(args[2], info)[0],
                             *_m(args[3], info)), MUL
    if f == "eye":
        return rf"\mathbf{{I}}_{{{dim_tex(a.name)}}}", ATOM
    if f == "ones":
        return rf"\mathbf{{1}}_{{{dim_tex(a.name)}}}", ATOM
    if f == "commutation":
        return rf"\mathbf{{K}}_{{{dim_tex(a.name)},{dim_tex(args[1].name)}}}", ATOM
    if f == "unvec":
        p, q = dim_tex(args[1].name), dim_tex(args[2].name)
        return rf"\operatorname{{unvec}}_{{{p}\times {q}}}" + paren(_m(a, info)[0]), ATOM
    return apply_tex(f, _m(a, info)[0], m.order), ATOM
