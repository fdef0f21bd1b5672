"""Layout placement and arrangement, against LAYOUTS.md's table."""
import numpy as np
import pytest

from generator.layouts import arrange, placement


@pytest.mark.parametrize("f, v, layout, shape", [
    (0, [0], "numerator", (1, 1)),
    (0, [1], "numerator", (1, 3)), (0, [1], "denominator", (3, 1)), (0, [1], "mixed", (3, 1)),
    (1, [0], "numerator", (2, 1)), (1, [0], "denominator", (1, 2)), (1, [0], "mixed", (2, 1)),
    (1, [1], "numerator", (2, 3)), (1, [1], "denominator", (3, 2)), (1, [1], "mixed", (2, 3)),
    (0, [2], "numerator", (4, 3)), (0, [2], "denominator", (3, 4)), (0, [2], "mixed", (3, 4)),
    (2, [0], "numerator", (2, 5)), (2, [0], "denominator", (5, 2)), (2, [0], "mixed", (2, 5)),
    (2, [2], "numerator", (10, 12)), (2, [2], "denominator", (12, 10)), (2, [2], "mixed", (10, 12)),
    (1, [2], "numerator", (2, 12)), (2, [1], "mixed", (10, 3)),
    (0, [1, 1], "numerator", (3, 3)), (0, [2, 2], "denominator", (12, 12)),
])
def test_shapes(f, v, layout, shape):
    sizes = {(1, 0): (2,), (2, 0): (2, 5), (0, 0): (), (0, 1): (3,), (0, 2): (3, 4)}
    axes = sizes.get((f, 0), ()) if f else ()
    for r in v:
        axes += sizes[(0, r)]
    t = np.arange(int(np.prod(axes)) if axes else 1, dtype=float).reshape(axes)
    assert arrange(t, f, v, layout).shape == shape


def test_vec_is_column_major():
    # T[i,j,k,l] = Y_ij by X_kl; the row of (i, j) is i + m*j (LAYOUTS.md: vec stacks columns)
    t = np.zeros((2, 3, 4, 5))
    t[1, 2, 3, 4] = 1.0
    m = arrange(t, 2, [2], "numerator")
    assert m[1 + 2 * 2, 3 + 4 * 4] == 1.0


def test_second_derivative_of_a_vector_has_no_matrix_form():
    assert placement(1, [1, 1], "numerator") is None
