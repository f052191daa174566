# The two commands of the README: `make run` and `make test`. Both make the venv if needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP_RUN := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test
# pytest-xdist workers for `make test`: two a core, at most four. The UI tests spend most of
# their time asleep in Textual's 20 ms idle waits (pytest used 65% of two cores with two
# workers), so two workers a core finish in ~110 s where one a core took ~150 s.
# TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= $(shell n=$$(nproc 2>/dev/null || echo 2); n=$$((n * 2)); if [ "$$n" -gt 4 ]; then n=4; fi; echo $$n)

.PHONY: run test lint bench demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@ $(STAMP_RUN)

run: $(STAMP_RUN)
	$(BIN)/linkworker $(ARGS)

# Before the workers start, the bytecode is written once, beside mypy on the other core: src
# compiled, and the test modules' assertion-rewritten code that pytest caches in __pycache__
# (both ignored by git). Otherwise every worker compiled and rewrote all of it itself (most of
# a worker's 7 s of collection), and with PYTHONDONTWRITEBYTECODE set did so on every run.
WARM_BYTECODE = $(BIN)/python -m compileall -q src && PYTHONDONTWRITEBYTECODE= \
	$(BIN)/python -m pytest --collect-only -q -p no:xdist >/dev/null

test: $(STAMP_TEST)
	$(BIN)/ruff check src tests $(wildcard bench)
	( $(WARM_BYTECODE) ) & warm=$$!; $(BIN)/mypy; checked=$$?; wait $$warm; exit $$checked
	$(BIN)/python -m pytest -n $(TEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

lint: $(STAMP_TEST)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/mypy

bench: $(STAMP_TEST)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

demo: $(STAMP_RUN)
	$(BIN)/linkworker demo --db demo.db --people 250 --seed 7 --force

clean:
	rm -rf $(VENV) .mypy_cache .pytest_cache .ruff_cache
