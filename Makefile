# kpibook: `make demo` and `make test` set everything up on a machine with only Python 3.11+.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
# Stamps: reinstall only when the project's metadata changes.
RUNTIME_STAMP := $(VENV)/.installed-runtime
TEST_STAMP    := $(VENV)/.installed-test

.PHONY: demo test lint bench clean distclean

demo: $(RUNTIME_STAMP)
	$(BIN)/kpibook demo --out demo-out

test: $(TEST_STAMP)
	$(BIN)/python -m pytest -q
	$(MAKE) --no-print-directory lint

# The line the codebase holds: one format, lint with complexity and argument limits, types.
lint: $(TEST_STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

bench: $(RUNTIME_STAMP)
	@if [ -f bench/run.py ]; then $(BIN)/python bench/run.py; else echo "bench/run.py not written yet; nothing to run"; fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(RUNTIME_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	@touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $@ $(RUNTIME_STAMP)

clean:
	rm -rf demo-out build dist .pytest_cache .ruff_cache .hypothesis
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -print -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
