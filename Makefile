# Quick start: `make demo` runs the training database, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck install clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tui-desk --demo

# The real-terminal tests (tmux, sshd) run after the rest, one at a time: each drives a whole
# program against its own clock, and on two cores two of them at once starve each other.
# The first run starts a throw-away PostgreSQL cluster for the [postgresql] half of tests/store
# and tests/services (tests/pg.py; skipped without PostgreSQL unless TUI_DESK_REQUIRE_PG=1).
test: lint
	$(BIN)/python -m pytest --ignore=tests/terminal
	$(BIN)/python -m pytest tests/terminal -n 1

# ruff, then the type check (pyproject.toml [tool.mypy]): both must report nothing.
lint: $(STAMP)
	$(BIN)/ruff check tui_desk tests bench
	$(BIN)/mypy

typecheck: $(STAMP)
	$(BIN)/mypy

# The benchmarks (README, "Performance"); each part also runs on its own: python bench/<part>.py.
# The first run builds the million-customer database (~1.5 min), cached in bench/results/db.
BENCH_STAMP := $(VENV)/.installed-bench

$(BENCH_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(BENCH_STAMP)

bench: $(BENCH_STAMP)
	$(BIN)/python bench/startup.py
	$(BIN)/python bench/sandbox.py
	$(BIN)/python bench/search.py
	$(BIN)/python bench/registrations.py
	$(BIN)/python bench/counters.py
	$(BIN)/python bench/desk.py
	$(BIN)/python bench/profile_startup.py
	$(BIN)/python bench/summary.py

clean:
	rm -rf $(VENV) build *.egg-info
