"""The built site, served on 127.0.0.1, and Debian's Chromium driven by Playwright.

The site is built once per session: the generated pages are written into a copy of docs/
(`python -m generator site`, on identities/ or on the files named by $MCR_SITE_IDENTITIES),
then `mkdocs build --strict` builds it into a temporary folder.
Every page opened records console errors, failed requests, error responses and any request
to a host other than 127.0.0.1 (those are refused).
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = ROOT / "tests" / "artifacts"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@dataclass
class Built:
    docs: Path       # the copy of docs/ with freshly generated pages
    site: Path       # the built site
    base_url: str    # where it is served


@pytest.fixture(scope="session")
def built(tmp_path_factory) -> Built:
    tmp = tmp_path_factory.mktemp("browser")
    # Serve first, to know the port: Material's instant navigation follows only links that
    # the sitemap lists, on the host and port of site_url, so the test build uses this one.
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Quiet, directory=str(tmp / "site")))
    base_url = f"http://127.0.0.1:{server.server_address[1]}/"
    shutil.copytree(ROOT / "docs", tmp / "docs")
    shutil.copytree(ROOT / "overrides", tmp / "overrides")
    for name in ("ids.lock", "removed.yaml"):     # the catalogue's date and tombstones
        if (ROOT / name).is_file():
            shutil.copy(ROOT / name, tmp / name)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (tmp / "mkdocs.yml").write_text(config, encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    env.pop("SOURCE_DATE_EPOCH", None)
    paths = os.environ.get("MCR_SITE_IDENTITIES", "").split()   # default: identities/
    gen = subprocess.run([sys.executable, "-m", "generator", "site", "--docs", str(tmp / "docs"),
                          *paths], cwd=ROOT, capture_output=True, text=True, timeout=1200,
                         env=env)
    assert gen.returncode == 0, gen.stdout + gen.stderr
    served = re.sub(r"(?m)^site_url:.*$", f"site_url: {base_url}", config)
    assert served != config
    (tmp / "mkdocs.yml").write_text(served, encoding="utf-8")
    mk = subprocess.run([str(Path(sys.executable).with_name("mkdocs")), "build", "--strict",
                         "-f", str(tmp / "mkdocs.yml"), "-d", str(tmp / "site")],
                        capture_output=True, text=True, timeout=1200, env=env)
    assert mk.returncode == 0, mk.stdout + mk.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Built(tmp / "docs", tmp / "site", base_url)
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="session")
def base_url(built) -> str:
    return built.base_url


@pytest.fixture(scope="session")
def browser():
    if not os.access(CHROMIUM, os.X_OK):
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("MCR_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@dataclass
class Monitor:
    """What went wrong while pages were open."""
    console_errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)

    @property
    def problems(self) -> list[str]:
        return ([f"console: {m}" for m in self.console_errors]
                + [f"failed: {u}" for u in self.failed]
                + [f"foreign host: {u}" for u in self.foreign])


def open_page(browser):
    """A page in a context of its own, with a Monitor as `page.monitor`; requests to any
    host other than 127.0.0.1 are refused and recorded."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    monitor = Monitor()

    def route(r):
        host = urlsplit(r.request.url).hostname
        if r.request.url.startswith(("data:", "blob:")) or host == "127.0.0.1":
            r.continue_()
        else:
            monitor.foreign.append(r.request.url)
            r.abort()
    context.route("**/*", route)
    pg = context.new_page()
    pg.on("console", lambda m: monitor.console_errors.append(f"{pg.url}: {m.text}")
          if m.type == "error" else None)
    pg.on("pageerror", lambda e: monitor.console_errors.append(f"{pg.url}: {e}"))
    # ERR_ABORTED: a request cut short by the test's own next navigation, not a failure.
    pg.on("requestfailed", lambda r: monitor.failed.append(f"{r.url} ({r.failure})")
          if urlsplit(r.url).hostname == "127.0.0.1" and "ERR_ABORTED" not in (r.failure or "")
          else None)
    pg.on("response", lambda r: monitor.failed.append(f"{r.url} (HTTP {r.status})")
          if r.status >= 400 else None)
    pg.monitor = monitor
    return pg


@pytest.fixture
def page(browser, base_url):
    pg = open_page(browser)
    yield pg
    pg.context.close()


@pytest.fixture
def new_page(browser, base_url):
    """Open more monitored pages (each in its own context), closed after the test."""
    opened = []

    def make():
        opened.append(open_page(browser))
        return opened[-1]
    yield make
    for pg in opened:
        pg.context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
