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

test: $(STAMP_TEST)
	$(BIN)/ruff check src tests $(wildcard bench)
	$(BIN)/mypy
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
