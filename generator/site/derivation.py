"""The derivation of an entry in index notation, step by step, and how each layout's matrix
form follows from the index form. Every formula comes from the engine: the function as
declared, its derivative before and after simplification, the declared claim."""
from __future__ import annotations

from dataclasses import dataclass

from ..derive import DeriveError, differentiate
from ..expr import Call, Delta, Deriv, Expr, Sum
from ..latex import SymbolInfo, comp_tex, index_latex
from ..latex_matrix import indices_tex, name_tex
from ..model import Entry
from ..parse_index import parse_equation, parse_index
from ..treeops import walk
from .arrangement import Arrangement

@dataclass(frozen=True)
class Step:
    title: str
    latex: str          # a display formula
    note: str = ""      # the site's own words (Markdown, no YAML text)


def partial_index(entry: Entry) -> str:
    """∂y_i/∂x_k (or ∂²y/∂x_k∂x_l) in index notation."""
    top = comp_tex(entry.lhs, entry.lhs_indices)
    bottom = " ".join(rf"\partial {comp_tex(v.name, v.indices)}" for v in entry.wrt)
    order = f"^{{{len(entry.wrt)}}}" if len(entry.wrt) > 1 else ""
    return rf"\frac{{\partial{order} {top}}}{{{bottom}}}"


def partial_matrix(entry: Entry, top: str | None = None) -> str:
    """∂y/∂x with bold arrays; `top` replaces the function's name (∂(Ax)/∂x)."""
    f = top or name_tex(entry.lhs, bold=entry.function_rank > 0)
    parts = []
    for n, v in enumerate(entry.wrt):
        rank = entry.symbols[v.name].rank
        parts.append(rf"\partial {name_tex(v.name, bold=rank > 0)}"
                     + (r"^\top" if n and rank else ""))
    order = f"^{{{len(entry.wrt)}}}" if len(entry.wrt) > 1 else ""
    return rf"\frac{{\partial{order} {f}}}{{{' '.join(parts)}}}"


def declared_rhs(entry: Entry) -> Expr:
    """The right side of `of` as written (Einstein sums implicit, unlike entry.of)."""
    return parse_equation(entry.of_text, entry.functions())[2]


def function_index(entry: Entry, info: SymbolInfo, rhs: Expr) -> str:
    """The function as declared: y_i = A_ij x_j."""
    return f"{comp_tex(entry.lhs, entry.lhs_indices)} = {index_latex(rhs, info)}"


def _summed(tree: Expr) -> list[str]:
    return sorted({n.index for n in walk(tree) if isinstance(n, Sum)})


def _rules(raw: Expr) -> str:
    nodes = list(walk(raw))
    said = ["each factor is differentiated in turn (product rule)"]
    if any(isinstance(n, Delta) for n in nodes):
        said.append(r"a component of the variable gives a Kronecker delta, "
                    r"\(\partial x_{j}/\partial x_{k} = \delta_{jk}\)")
    if any(isinstance(n, Deriv) for n in nodes):
        said.append("a symbol that depends on the variable keeps its own derivative as a "
                    "factor (chain rule)")
    if any(isinstance(n, Call) for n in nodes):
        said.append("a function applied to an argument contributes its derivative times the "
                    "argument's (chain rule)")
    text = "; ".join(said)
    return text[0].upper() + text[1:] + "."


def steps(entry: Entry, info: SymbolInfo, function: str, derived_text: str,
          derivative_latex: str, general: str, exact: str) -> list[Step]:
    """The derivation: the function (`function`, its LaTeX), the engine's derivative before
    and after simplification, and the declared form with how it was proved."""
    lhs = partial_index(entry)
    summed = _summed(entry.of)
    out = [Step("The function", function,
                ("Einstein convention: summed over " + ", ".join(rf"\({indices_tex((i,))}\)"
                                                                 for i in summed) + ".")
                if summed else "")]
    if entry.declared_as == "differential":
        diff = parse_index(str(entry.raw["differential"]), entry.functions())
        out.append(Step("The declared differential",
                        rf"\mathrm{{d}}{comp_tex(entry.lhs, entry.lhs_indices)} = "
                        + index_latex(diff, info),
                        "The derivative is read off as the coefficient of the differential of "
                        "the variable."))
    try:
        raw = entry.of
        for v in entry.wrt:
            raw = differentiate(raw, v, entry.symbols)
        out.append(Step("Differentiate", f"{lhs} = {index_latex(raw, info)}", _rules(raw)))
    except DeriveError as e:
        out.append(Step("Differentiate", lhs, f"The engine cannot derive this one in index "
                                              f"notation ({type(e).__name__})."))
    if derived_text:
        derived = parse_index(derived_text, entry.functions())
        out.append(Step("Simplify", f"{lhs} = {index_latex(derived, info)}",
                        "Kronecker deltas are contracted, sums renamed and like terms "
                        "collected: the engine's derived form."))
    if general == "passed":
        why = ("It has the same canonical form as the derived one, so it holds for every "
               "size (general level).")
    elif exact == "passed":
        why = ("The symbolic comparison is not conclusive for every size; it is proved "
               "exactly at the sizes of the exact level, and numerically below.")
    else:
        why = "It is proved numerically (see the verification record)."
    out.append(Step("The declared form", f"{lhs} = {derivative_latex}", why))
    return out


def entry_formula(entry: Entry, a: Arrangement, derivative_latex: str) -> str:
    """[∂y/∂x]_{ki} = ∂y_i/∂x_k = A_ik for one layout's arrangement."""
    def group(ix: tuple[str, ...]) -> str:
        return indices_tex(ix) if len(ix) <= 1 else f"({indices_tex(ix)})"
    where = ",".join(g for g in (group(a.rows), group(a.cols)) if g)
    head = rf"\left[{partial_matrix(entry)}\right]_{{{where}}}" if where else \
        partial_matrix(entry)
    return rf"{head} = {partial_index(entry)} = {derivative_latex}"


def has_inner_derivative(entry: Entry) -> bool:
    return any(isinstance(n, Deriv) for n in walk(entry.derivative))
