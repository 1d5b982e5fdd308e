"""The rules package stays pure, and every example in its docstrings holds."""

from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import tui_desk.rules

RULES_DIR = Path(tui_desk.rules.__file__).parent
MODULES = sorted(m.name for m in pkgutil.iter_modules([str(RULES_DIR)]))
FORBIDDEN = ("textual", "sqlite3", "sqlite_utils", "tui_desk.store", "tui_desk.services",
             "tui_desk.screens", "tui_desk.widgets", "tui_desk.devices")


@pytest.mark.parametrize("name", MODULES)
def test_no_forbidden_imports(name):
    tree = ast.parse((RULES_DIR / f"{name}.py").read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    bad = {m for m in imported for f in FORBIDDEN if m == f or m.startswith(f + ".")}
    assert not bad, f"tui_desk.rules.{name} imports {sorted(bad)}"


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"tui_desk.rules.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


@pytest.mark.parametrize("name", MODULES)
def test_public_functions_have_an_example(name):
    module = importlib.import_module(f"tui_desk.rules.{name}")
    missing = [
        attr for attr, value in vars(module).items()
        if callable(value) and not attr.startswith("_") and not isinstance(value, type)
        and getattr(value, "__module__", "") == module.__name__
        and ">>>" not in (value.__doc__ or "")
    ]
    assert not missing, f"no docstring example: {missing}"
