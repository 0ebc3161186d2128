# The two commands: `make demo` and `make test`. Both create .venv if missing.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
JOBS   ?= 2

.PHONY: demo test test-all docs bench install install-test install-docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

install: $(BIN)/python
	$(PIP) install -q -e .

install-test: $(BIN)/python
	$(PIP) install -q -e ".[test]"

install-docs: $(BIN)/python
	$(PIP) install -q -e ".[test,docs,bench]"

demo: install
	$(BIN)/qinfo reproduce all --quick --out results/quick

test: install-test
	$(BIN)/python -m pytest -n $(JOBS)

test-all: install-test
	$(BIN)/python -m pytest -n $(JOBS) -m "slow or not slow"

docs: install-docs
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

bench: install-docs
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf docs/_build docs/auto_examples docs/api/generated docs/sg_execution_times.rst results .pytest_cache
