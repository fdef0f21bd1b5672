# Build infrastructure of the verified reference of matrix calculus (GNU make).
# Every target bootstraps .venv from requirements.lock on first use, and again whenever
# requirements.lock or pyproject.toml changes.

PYTHON ?= python3
VENV := .venv
VENV_PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
CHECK_EXAMPLES := ../shared/tools/check-examples

.PHONY: venv .venv test check verify site linkcheck bench clean distclean

venv .venv: $(STAMP)

$(STAMP): requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV_PY) -m pip install --progress-bar off -r requirements.lock
	$(VENV_PY) -m pip install --progress-bar off --no-deps -e .
	touch $@

# The shared examples and the catalogue first, then the test suite, so that pytest's
# summary is the last line of the run.
test: $(STAMP)
	@if [ -e $(CHECK_EXAMPLES) ]; then \
	  echo "PYTHON=$(VENV_PY) $(CHECK_EXAMPLES)"; \
	  PYTHON=$(CURDIR)/$(VENV_PY) $(VENV_PY) $(CHECK_EXAMPLES); \
	else \
	  echo "$(CHECK_EXAMPLES) not found: shared examples not checked"; \
	fi
	$(VENV_PY) -m generator check
	$(VENV_PY) -m pytest -q

check: $(STAMP)
	$(VENV_PY) -m generator check

verify: $(STAMP)
	$(VENV_PY) -m generator verify

site: $(STAMP)
	$(VENV_PY) -m generator site && NO_MKDOCS_2_WARNING=1 $(VENV)/bin/mkdocs build --strict -d site

# Every link and asset of the built site resolves, offline (run after `make site`).
linkcheck: $(STAMP)
	@test -f site/index.html || { echo "make linkcheck: build the site first (make site)" >&2; exit 1; }
	$(VENV)/bin/linkchecker --no-status -f .ci/linkcheckerrc site/index.html

bench: $(STAMP)
	@test -f bench/run.py || { echo "make bench: bench/run.py is missing; no benchmark to run" >&2; exit 1; }
	$(VENV_PY) bench/run.py

clean:
	rm -rf site build .pytest_cache .hypothesis tests/artifacts .cache *.egg-info
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
