# The two commands: `make demo` and `make test`. Both create .venv if missing and
# install qinfo with every extra (`.[all]`) plus what the command itself needs.
# `make test-core` installs the core alone (no extras) into .venv-core and runs the
# tests that need no extra; tests/conftest.py skips the others and says why.
PYTHON    ?= python3
VENV      ?= .venv
VENV_CORE ?= .venv-core
BIN       := $(VENV)/bin
PIP       := $(BIN)/python -m pip
JOBS      ?= 2

.PHONY: demo test test-all test-long test-core docs bench install install-test install-docs clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install -q --upgrade pip

$(VENV_CORE)/bin/python:
	$(PYTHON) -m venv $(VENV_CORE)
	$(VENV_CORE)/bin/python -m pip install -q --upgrade pip

install: $(BIN)/python
	$(PIP) install -q -e ".[all]"

install-test: $(BIN)/python
	$(PIP) install -q -e ".[all,test]"

install-docs: $(BIN)/python
	$(PIP) install -q -e ".[all,test,docs,bench]"

demo: install
	$(BIN)/qinfo reproduce all --quick --out results/quick

test: install-test
	$(BIN)/python -m pytest -n $(JOBS)

test-all: install-test
	$(BIN)/python -m pytest -n $(JOBS) -m "slow or not slow"

# Many more hypothesis examples per property test (tests/conftest.py's "long" profile).
test-long: install-test
	HYPOTHESIS_PROFILE=long $(BIN)/python -m pytest -n $(JOBS)

# The core install alone: a test that needs an extra is skipped (and listed), any other failure fails.
test-core: $(VENV_CORE)/bin/python
	$(VENV_CORE)/bin/python -m pip install -q -e ".[test]"
	$(VENV_CORE)/bin/python -m pytest -n $(JOBS)

docs: install-docs
	$(BIN)/python -m sphinx -W --keep-going -b html docs docs/_build/html

bench: install-docs
	@for f in benchmarks/bench_*.py; do echo "== $$f"; $(BIN)/python $$f || exit 1; done

clean:
	rm -rf docs/_build docs/auto_examples docs/api/generated docs/sg_execution_times.rst results .pytest_cache $(VENV_CORE)
