# Quick start: `make demo` runs the training database, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/tui-desk --demo

test: $(STAMP)
	$(BIN)/ruff check tui_desk tests
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check tui_desk tests

clean:
	rm -rf $(VENV) build *.egg-info
