"""The shapes the site prints agree with LAYOUTS.md, kind by kind."""
import xml.etree.ElementTree as ET

import pytest

from generator.site.arrangement import size_text
from generator.site.diagrams import KINDS, all_diagrams

KIND = {k.name: k for k in KINDS}

# LAYOUTS.md: x, y columns of length n, m; X is p x q; Y is m x n.
EXPECTED = {
    "scalar-by-scalar": ("1 × 1", "1 × 1", "1 × 1"),
    "scalar-by-vector": ("1 × n", "n × 1", "n × 1"),
    "vector-by-scalar": ("m × 1", "1 × m", "m × 1"),
    "vector-by-vector": ("m × n", "n × m", "m × n"),
    "scalar-by-matrix": ("q × p", "p × q", "p × q"),
    "matrix-by-scalar": ("m × n", "n × m", "m × n"),
    "vector-by-matrix": ("m × pq", "pq × m", "m × pq"),
    "matrix-by-vector": ("mn × n", "n × mn", "mn × n"),
    "matrix-by-matrix": ("mn × pq", "pq × mn", "mn × pq"),
    "scalar-by-vector-by-vector": ("n × n", "n × n", "n × n"),
    "scalar-by-matrix-by-matrix": ("pq × pq", "pq × pq", "pq × pq"),
}


@pytest.mark.parametrize("kind", sorted(EXPECTED))
def test_shapes_follow_the_layout_table(kind):
    arr = KIND[kind].arrangements()
    assert tuple(arr[layout].shape for layout in ("numerator", "denominator", "mixed")) \
        == EXPECTED[kind]


def test_denominator_is_the_transpose_of_numerator():
    for kind in KINDS:
        arr = kind.arrangements()
        num, den = arr["numerator"], arr["denominator"]
        if kind.second:
            assert num.rows == den.rows and num.cols == den.cols
        else:
            assert (num.rows, num.cols) == (den.cols, den.rows)


def test_size_text():
    assert size_text(()) == "1" and size_text(("p", "q")) == "pq"
    assert size_text(("2", "3")) == "6" and size_text(("p", "q2")) == "p·q2"


def test_every_kind_has_a_self_contained_diagram_in_every_layout():
    files = all_diagrams()
    assert len(files) == len(KINDS) * 3
    for name, text in files.items():
        root = ET.fromstring(text)
        assert root.tag == "{http://www.w3.org/2000/svg}svg", name
        assert root.find("{http://www.w3.org/2000/svg}title") is not None
        body = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert "http" not in body and "url(" not in body and "@import" not in body, name
        assert "font-family=\"sans-serif\"" in text
