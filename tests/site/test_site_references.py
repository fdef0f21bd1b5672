"""references.yaml: which reference uses which layout, read with yaml.safe_load."""
import pytest

from generator.site.references import describe, load_references

LAYOUT_OF = {
    "wikipedia-matrix-calculus": {"numerator", "denominator", "mixed"},
    "matrix-cookbook-2012": {"mixed"},
    "magnus-neudecker-2019": {"numerator"},
    "minka-2000": {"numerator"},
    "parr-howard-2018": {"numerator"},
    "cs224n-gradient-notes": {"numerator", "mixed"},
    "dattorro-appendix-d": {"denominator"},
    "mml-book-2020": {"numerator", "mixed"},
    "matrixcalculus-org": {"mixed"},
}


def test_the_references_and_their_layouts():
    refs = load_references()
    for ref, layouts in LAYOUT_OF.items():
        assert set(refs[ref].layout) == layouts, ref
        assert refs[ref].usage and refs[ref].title


def test_an_unknown_reference_is_shown_by_its_id():
    assert describe("no-such-ref", load_references()).short == "no-such-ref"


@pytest.mark.parametrize("text, message", [
    ("references:\n- {ref: a, short: A, title: T, layout: [sideways]}\n", "unknown layout"),
    ("references:\n- {ref: a, short: A}\n", "needs ref, short and title"),
    ("references:\n- {ref: a, short: A, title: T, colour: red}\n", "unknown field"),
    ("references:\n- {ref: a, short: A, title: T}\n- {ref: a, short: B, title: U}\n",
     "duplicate"),
    ("references:\n- {ref: a, short: A, title: T, url: 'javascript:alert(1)'}\n", "url"),
    ("references: !!python/object/apply:os.system ['true']\n", "could not determine"),
])
def test_a_malformed_file_is_refused(tmp_path, text, message):
    p = tmp_path / "references.yaml"
    p.write_text(text)
    with pytest.raises(Exception, match=message):
        load_references(p)
