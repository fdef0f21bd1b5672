"""Import the generator before anything loads numpy, so its BLAS kernels are pinned
(generator/__init__.py) in the test process as in `python -m generator`."""
import generator  # noqa: F401
