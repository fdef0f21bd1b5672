"""`make bench`: how fast the catalogue is verified, checked, built and typeset on this
machine, each figure beside a reference measured in the same run (so a ratio holds on a
noisy machine) and beside its target (issue: regenerating in CI, fast).

    cold verification   all entries, no cache, all cores: total, per-entry median and
                        maximum, the five slowest; reference: SymPy's own MatrixSymbol.diff
                        on identities of the same kinds (per identity)
    warm check          python -m generator check with everything cached;
                        reference: python -c "import sympy, numpy"
    site build          make site (generate + mkdocs build --strict) with a warm cache;
                        reference: mkdocs build --strict alone
    typeset             every table page in headless Chromium, then the three slowest
                        again: time until every formula is typeset, and the most bytes
                        any of them transfers;
                        reference: the home page, the same way
"""
from __future__ import annotations

import functools
import http.server
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
CHROMIUM = "/usr/bin/chromium"
REPEAT = 5
SLOWEST = 3           # table pages measured REPEAT times: the slowest of one load each


def wall(cmd: list[str], check: bool = True, **kw) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, **kw)
    took = time.perf_counter() - start
    if check and done.returncode:
        raise SystemExit(f"make bench: {' '.join(cmd)} exited {done.returncode}")
    return took


def median_wall(cmd: list[str], n: int = REPEAT, check: bool = True, **kw) -> float:
    return statistics.median(wall(cmd, check, **kw) for _ in range(n))


def line(label: str, value: str, reference: str = "", target: str = "") -> None:
    parts = [f"{label:<34} {value:>12}"]
    if reference:
        parts.append(f"reference {reference}")
    if target:
        parts.append(f"target {target}")
    print("   ".join(parts), flush=True)


def cold_verification() -> None:
    sys.path.insert(0, str(ROOT))
    import generator  # noqa: F401  (pins the BLAS kernels before numpy loads)
    from generator.catalogue import load_catalogue
    from generator.run import verify_all
    os.chdir(ROOT)
    entries, problems = load_catalogue(["identities"])
    assert not problems, problems[:3]
    start = time.perf_counter()
    results = verify_all(entries, 0, use_cache=False)
    total = time.perf_counter() - start
    failed = sum(not r.passed for r in results)
    times = sorted(((r.seconds, r.entry.id) for r in results), reverse=True)
    median = statistics.median(t for t, _ in times)
    ref = sympy_reference()
    print(f"catalogue: {len(entries)} entries, {failed} failed; {os.cpu_count()} cores")
    line("cold verification, total", f"{total:.1f} s", "", "<= 60 s")
    line("  per entry, median", f"{median * 1000:.0f} ms",
         f"{ref * 1000:.0f} ms (SymPy MatrixSymbol.diff, median per identity; "
         f"ratio {median / ref:.1f})")
    line("  per entry, maximum", f"{times[0][0]:.2f} s")
    print("  five slowest: " + ", ".join(f"{i} {t:.2f} s" for t, i in times[:5]))


def sympy_reference() -> float:
    """SymPy's own matrix derivative on identities of the catalogue's common kinds."""
    import sympy
    from sympy import MatrixSymbol, Trace, log, Determinant, Inverse
    n = sympy.Symbol("n")
    X, A, B = MatrixSymbol("X", n, n), MatrixSymbol("A", n, n), MatrixSymbol("B", n, n)
    x, a = MatrixSymbol("x", n, 1), MatrixSymbol("a", n, 1)
    cases = [(A * x, x), (x.T * A * x, x), (a.T * x, x), (Trace(A * X * B), X),
             (Trace(X.T * A * X), X), (log(Determinant(X)), X), (Determinant(X), X),
             (Trace(Inverse(X) * A), X), (a.T * Inverse(X) * a, X), (Trace(X * X * X), X)]
    times = []
    for expr, var in cases:
        sympy.core.cache.clear_cache()      # each identity from cold, as the engine does
        start = time.perf_counter()
        expr.diff(var).doit()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def warm_check() -> None:
    env = {**os.environ}
    env.pop("GITHUB_ACTIONS", None)
    # a failing check (drift, say) still takes its time: timed, and its status said
    status = subprocess.run([PY, "-m", "generator", "check"], cwd=ROOT, env=env,
                            capture_output=True).returncode          # warms the caches
    check = median_wall([PY, "-m", "generator", "check"], env=env, check=False)
    if status:
        print(f"  (python -m generator check exits {status}: run it to see why)")
    ref = median_wall([PY, "-c", "import sympy, numpy"])
    line("warm check", f"{check:.2f} s", f"{ref:.2f} s (import sympy, numpy; "
         f"ratio {check / ref:.2f})", "<= 2x the reference")


def site_build() -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    wall(["make", "-s", "site"], env=env, stderr=subprocess.DEVNULL)       # warm the cache
    build = median_wall(["make", "-s", "site"], 3, env=env, stderr=subprocess.DEVNULL)
    mk = median_wall([str(Path(PY).parent / "mkdocs"), "build", "--strict", "-q", "-d", "site"],
                     3, env=env, stderr=subprocess.DEVNULL)
    line("make site, warm cache", f"{build:.1f} s", f"{mk:.1f} s (mkdocs build alone)",
         "<= 20 s")


def typeset() -> None:
    if not Path(CHROMIUM).exists():
        print(f"typeset: {CHROMIUM} is not installed; not measured")
        return
    from playwright.sync_api import sync_playwright
    site = ROOT / "site"
    # every table page (a table, a section of one, a table's list of sections)
    pages = sorted(p.parent.relative_to(site).as_posix() + "/"
                   for p in site.glob("tables/*/**/index.html"))
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        try:
            # each page once, then the slowest again: the figure is theirs, not a typical one
            screen = {page: _typeset_once(browser, base + page) for page in pages}
            slowest = sorted(pages, key=lambda page: screen[page][0])[-SLOWEST:][::-1]
            runs = {page: [screen[page]] + [_typeset_once(browser, base + page)
                                            for _ in range(REPEAT - 1)] for page in slowest}
            home = [_typeset_once(browser, base) for _ in range(REPEAT)]
        finally:
            browser.close()
            server.shutdown()
    home_ms = statistics.median(t for t, _, _ in home)
    print(f"typeset: {len(pages)} table pages, each loaded once; the {SLOWEST} slowest "
          f"{REPEAT} times (median)")
    for page, big in runs.items():
        ms = statistics.median(t for t, _, _ in big)
        line(f"  {page} ({big[0][2]} formulas)", f"{ms:.0f} ms",
             f"{home_ms:.0f} ms (home page)", "<= 500 ms")
    heaviest = max(pages, key=lambda page: screen[page][1])
    line(f"  transferred, most: {heaviest}", f"{screen[heaviest][1] / 1e6:.2f} MB",
         f"{home[0][1] / 1e6:.2f} MB (home page)", "<= 1.5 MB")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# katex-init.js sets window.mcrTypeset = {start, end} (performance.now(), from navigation
# start) when it has typeset every formula of the page.
_MEASURE = """() => {
  const nav = performance.getEntriesByType('navigation')[0];
  const res = performance.getEntriesByType('resource');
  const bytes = nav.transferSize + res.reduce((s, r) => s + r.transferSize, 0);
  const all = document.querySelectorAll('.arithmatex');
  const done = [...all].filter(e => e.querySelector('.katex')).length;
  return [window.mcrTypeset.end, bytes, all.length, done];
}"""


def _typeset_once(browser, url: str) -> tuple[float, int, int]:
    """(ms until typeset, bytes transferred, formulas), in a fresh context (cold cache)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(url, wait_until="commit")
        page.wait_for_function("window.mcrTypeset !== undefined", timeout=30000)
        page.wait_for_load_state("networkidle")       # the search index and fonts, counted
        end, size, count, done = page.evaluate(_MEASURE)
        if done != count:
            raise SystemExit(f"make bench: {url}: {count - done} formulas not typeset")
        return end, size, count
    finally:
        context.close()


def main() -> int:
    print(f"make bench on {os.uname().nodename}, Python {sys.version.split()[0]}, "
          f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC", flush=True)
    with tempfile.TemporaryDirectory() as cache:
        os.environ["MCR_CACHE"] = str(Path(cache) / "verify")   # cold: an empty cache
        cold_verification()
    os.environ.pop("MCR_CACHE")
    warm_check()
    site_build()
    typeset()
    return 0


if __name__ == "__main__":
    sys.exit(main())
