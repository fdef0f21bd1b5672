"""Free text from YAML is escaped for every output: Markdown/HTML, LaTeX, BibTeX, YAML."""
import html
import json

import markdown
import yaml

from generator.site import escape

HOSTILE = 'a <script>x</script> | *b* _c_ $d$ \\(e\\) {#f} [g](h) & ` ~ ^ # !'


def render(text: str) -> str:
    return markdown.markdown(text, extensions=["tables", "attr_list", "pymdownx.arithmatex"],
                             extension_configs={"pymdownx.arithmatex": {"generic": True}})


def test_markdown_text_renders_literally():
    out = render(f"start {escape.md(HOSTILE)} end")
    assert "<script>" not in out and "<em>" not in out and "<a " not in out
    assert "arithmatex" not in out and "<code>" not in out
    text = html.unescape(out.replace("<p>", "").replace("</p>", ""))
    assert text == f"start {HOSTILE} end"


def test_markdown_text_keeps_a_table_cell_whole():
    out = render(f"| a | b |\n|---|---|\n| {escape.md(HOSTILE)} | two |\n")
    assert out.count("<td>") == 2


def test_newlines_become_spaces():
    assert str(escape.md("one\n\ntwo  three")) == "one two three"


def test_math_in_a_table_cannot_split_the_row():
    cell = escape.math(r"\lvert x \rvert + |y| + \|z\|")
    out = render(f"| a | b |\n|---|---|\n| {cell} | two |\n")
    assert out.count("<td>") == 2 and "arithmatex" in out
    assert "|" not in str(cell)


def test_code_shows_text_literally():
    out = render(f"x {escape.code(HOSTILE)} y")
    assert html.unescape(out).count("<code>") == 1
    assert HOSTILE in html.unescape(out.split("<code>")[1].split("</code>")[0])


def test_fence_outgrows_backticks_inside():
    block = str(escape.fenced("a ```` b\n", "text"))
    assert block.startswith("`````text\n") and block.endswith("\n`````")


def test_latex_and_bibtex_text():
    tex = escape.latex_text("50% {x} <a|b> \\ & # _ ^ ~ $")
    assert tex == (r"50\% \{x\} \textless{}a\textbar{}b\textgreater{} \textbackslash{} \& \# "
                   r"\_ \textasciicircum{} \textasciitilde{} \$")
    bib = escape.bibtex_text("unbalanced } { braces")
    assert bib.count("{") == bib.count("}")


def test_front_matter_values_are_html_in_yaml():
    value = yaml.safe_load(f"title: {escape.yaml_str(HOSTILE)}")["title"]
    assert "<" not in value and '"' not in value and html.unescape(value) == HOSTILE
    assert json.loads(str(escape.yaml_str("x\ny"))) == "x y"
