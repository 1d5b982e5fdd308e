"""The layers of docs/architecture.md, checked on the source (no import of the modules).

- only ``screens/`` and ``widgets/`` (and ``app.py``) import textual;
- ``rules/`` is pure: no database, no devices, no network, no services;
- dependencies point downward: screens → services → store → rules;
- only ``store/`` holds SQL, and only ``store/`` imports a database driver (``sqlite3``,
  sqlite-utils, ``psycopg``);
- ``devices/`` are drivers: bytes to a printer, a file, a PDF; they import no textual, no
  services, no screens or widgets, no store (what to print and what to record is a service's job);
- ``config`` sits under everything that reads it: it may use ``errors``, ``rules``, ``models``
  and the devices' address parsers (``devices/`` never imports config), nothing that reads the
  configuration itself (store, services, screens, widgets, app, cli);
- ``screens/`` and ``widgets/`` talk to services only: no ``tui_desk.store`` import, not even
  under ``TYPE_CHECKING`` (the records a screen shows come from ``models`` or a service);
- the command line (``commands/`` and ``cli.py``) parses and dispatches: no ``tui_desk.store``
  import either, the work is in services (``services.databases`` opens the database).

Imports are read from the syntax tree: ``import a.b``, ``from a.b import c`` (seen as ``a.b``
and ``a.b.c``, so ``from tui_desk import store`` counts) and relative imports, wherever they
are in the module (inside a function too).
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "tui_desk"
UI = {"screens", "widgets"}
UI_MODULES = {"app.py"}  # the Application class itself
SQL = re.compile(
    r"^\s*(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)"
    r"|PRAGMA\s|BEGIN\b|COMMIT\b|ROLLBACK\b|ALTER\s+TABLE|DROP\s+TABLE)",
    re.DOTALL,  # SQL in this project is written in capitals; "Begin" is a Dutch column label
)

# What each new rule forbids (a name matches itself and everything under it).
DEVICES_FORBIDDEN = ("textual", "tui_desk.services", "tui_desk.screens", "tui_desk.widgets",
                     "tui_desk.app", "tui_desk.cli", "tui_desk.store")
CONFIG_FORBIDDEN = ("textual", "tui_desk.store", "tui_desk.services", "tui_desk.screens",
                    "tui_desk.widgets", "tui_desk.app", "tui_desk.cli")
DATABASE_DRIVERS = ("sqlite3", "sqlite_utils", "psycopg", "psycopg2", "psycopg_pool")
STORE = ("tui_desk.store",)

def modules() -> Iterator[tuple[Path, tuple[str, ...]]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, path.relative_to(PACKAGE).parts


def _package_of(parts: tuple[str, ...]) -> list[str]:
    """The dotted package a module lives in: ``("screens", "cash.py")`` → tui_desk.screens."""
    return ["tui_desk", *parts[:-1]]


def imports(tree: ast.AST, parts: tuple[str, ...] = ("x.py",)) -> set[str]:
    """Every module name the source imports (see the module docstring)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolved against the module's own package
                base = _package_of(parts)[: len(_package_of(parts)) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def strings(tree: ast.AST) -> Iterator[str]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.JoinedStr):
            yield "".join(v.value for v in node.values if isinstance(v, ast.Constant))


def _matches(name: str, forbidden: Iterable[str]) -> bool:
    return any(name == f or name.startswith(f + ".") for f in forbidden)


def _offending(source: str, parts: tuple[str, ...], forbidden: Iterable[str]) -> list[str]:
    return sorted(n for n in imports(ast.parse(source), parts) if _matches(n, forbidden))


# -- the new rules: which modules each covers and what they may not import ---------------------

def _is_device(parts: tuple[str, ...]) -> bool:
    return parts[0] == "devices"


def _is_config(parts: tuple[str, ...]) -> bool:
    return parts == ("config.py",) or parts[0] == "config"  # a module or, once split, a package


def _outside_store(parts: tuple[str, ...]) -> bool:
    return parts[0] != "store"


def _is_ui(parts: tuple[str, ...]) -> bool:
    return parts[0] in UI


def _is_command_line(parts: tuple[str, ...]) -> bool:
    return parts == ("cli.py",) or parts[0] == "commands"


RULES = {
    "devices": (_is_device, DEVICES_FORBIDDEN),
    "config": (_is_config, CONFIG_FORBIDDEN),
    "sqlite3": (_outside_store, DATABASE_DRIVERS),
    "store_in_ui": (_is_ui, STORE),
    "store_in_commands": (_is_command_line, STORE),
}


def offenders_of(rule: str, sources: Iterable[tuple[str, tuple[str, ...]]]) -> dict[str, list]:
    """``{path: [forbidden imports]}`` of the modules the rule covers."""
    covers, forbidden = RULES[rule]
    found = {}
    for source, parts in sources:
        if covers(parts):
            names = _offending(source, parts, forbidden)
            if names:
                found["/".join(parts)] = names
    return found


def package_sources() -> list[tuple[str, tuple[str, ...]]]:
    return [(path.read_text(), parts) for path, parts in modules()]


@pytest.mark.parametrize("rule", sorted(RULES))
def test_new_layer_rules(rule):
    assert offenders_of(rule, package_sources()) == {}


PLANTED = {
    "devices": ("devices/planted.py", "from textual.widgets import Static\n"
                                      "from tui_desk.services.printing import x\n"
                                      "from tui_desk.store import audit\n"),
    "config": ("config/printers.py", "def f():\n    from tui_desk.store.db import Database\n"),
    "sqlite3": ("services/planted.py", "import sqlite3\n"),
    "store_in_ui": ("screens/planted.py", "from tui_desk import store\n"),
    "store_in_commands": ("commands/planted.py",
                          "def run():\n    from tui_desk.store.db import open_database\n"),
}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_new_rule_catches_a_planted_offender(rule):
    # Guard against a rule that cannot fail: one planted module per rule is reported, and
    # the same source in a module the rule does not cover is not.
    path, source = PLANTED[rule]
    parts = tuple(path.split("/"))
    assert offenders_of(rule, [(source, parts)]) != {}
    elsewhere = ("store", "planted.py") if rule == "sqlite3" else ("rules", "planted.py")
    assert offenders_of(rule, [(source, elsewhere)]) == {}


@pytest.mark.parametrize("source", ["import psycopg\n", "from psycopg import errors\n",
                                    "def f():\n    import psycopg.pq\n"])
def test_psycopg_is_a_database_driver_too(source):
    assert offenders_of("sqlite3", [(source, ("services", "planted.py"))]) != {}
    assert offenders_of("sqlite3", [(source, ("store", "pg_backend.py"))]) == {}


def test_the_config_rule_covers_the_module_and_a_package():
    source = "from tui_desk.services import desk\n"
    assert offenders_of("config", [(source, ("config.py",))]) != {}
    assert offenders_of("config", [(source, ("config", "__init__.py"))]) != {}
    assert offenders_of("config", [(source, ("clock.py",))]) == {}


def test_relative_and_from_package_imports_are_seen():
    tree = ast.parse("from ..store import audit\nfrom tui_desk import services\n"
                     "from . import base\n")
    found = imports(tree, ("screens", "cash.py"))
    assert {"tui_desk.store.audit", "tui_desk.services", "tui_desk.screens.base"} <= found


def test_only_screens_and_widgets_import_textual():
    offenders = []
    for path, parts in modules():
        if parts[0] in UI or parts == ("app.py",):
            continue
        for name in imports(ast.parse(path.read_text()), parts):
            if name == "textual" or name.startswith("textual."):
                offenders.append(f"{'/'.join(parts)} imports {name}")
    assert offenders == []


def test_rules_are_pure():
    forbidden = ("sqlite3", "sqlite_utils", "psycopg", "tui_desk.store", "tui_desk.services",
                 "textual", "socket", "serial", "smtplib", "subprocess")
    offenders = []
    for path, parts in modules():
        if parts[0] != "rules":
            continue
        for name in imports(ast.parse(path.read_text()), parts):
            if _matches(name, forbidden):
                offenders.append(f"{'/'.join(parts)} imports {name}")
    assert offenders == []


def test_dependencies_point_downward():
    # store must not reach up into services or screens; services not into screens.
    up = {"store": ("tui_desk.services", "tui_desk.screens", "tui_desk.widgets", "tui_desk.app"),
          "services": ("tui_desk.screens", "tui_desk.widgets", "tui_desk.app")}
    offenders = []
    for path, parts in modules():
        for name in imports(ast.parse(path.read_text()), parts):
            if _matches(name, up.get(parts[0], ())):
                offenders.append(f"{'/'.join(parts)} imports {name}")
    assert offenders == []


def test_sql_only_in_store():
    offenders = []
    for path, parts in modules():
        if parts[0] == "store":
            continue
        for text in strings(ast.parse(path.read_text())):
            if SQL.search(text):
                offenders.append(f"{'/'.join(parts)}: {text[:60]!r}")
    assert offenders == []


def test_the_checks_would_catch_an_offender():
    # Guard against a test that cannot fail: the detectors see a planted violation.
    planted = ast.parse("import textual.app\nq = 'SELECT id FROM customers'\n")
    assert "textual.app" in imports(planted)
    assert any(SQL.search(s) for s in strings(planted))
