"""The generator of the verified reference of matrix calculus."""
import os as _os

VERSION = "0.1.0"


def _pin_blas_kernels() -> None:
    """Numeric errors are printed in generated pages, so they must not depend on the CPU:
    OpenBLAS and numpy pick kernels per processor (AVX-512 ones round differently), so every
    machine that can runs the same AVX2 code on one thread. Set before numpy loads."""
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            flags = next((line for line in f if line.startswith("flags")), "").split()
    except OSError:
        return
    if "avx2" in flags and "fma" in flags:
        _os.environ.setdefault("OPENBLAS_CORETYPE", "Haswell")
        _os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "X86_V4 AVX512_ICL AVX512_SPR")
    _os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")


_pin_blas_kernels()
