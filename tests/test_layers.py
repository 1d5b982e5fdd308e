"""The layers of DESIGN.md: only screens/ and widgets/ import textual; only store/ holds SQL."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "tui_desk"
UI = {"screens", "widgets"}
UI_MODULES = {"app.py"}  # the Application class itself
SQL = re.compile(
    r"^\s*(SELECT\s.+\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)"
    r"|PRAGMA\s|BEGIN\b|COMMIT\b|ROLLBACK\b|ALTER\s+TABLE|DROP\s+TABLE)",
    re.DOTALL,  # SQL in this project is written in capitals; "Begin" is a Dutch column label
)


def modules():
    for path in PACKAGE.rglob("*.py"):
        yield path, path.relative_to(PACKAGE).parts


def imports(tree: ast.AST) -> set[str]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def strings(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            yield node.value
        elif isinstance(node, ast.JoinedStr):
            yield "".join(v.value for v in node.values if isinstance(v, ast.Constant))


def test_only_screens_and_widgets_import_textual():
    offenders = []
    for path, parts in modules():
        if parts[0] in UI or parts == ("app.py",):
            continue
        for name in imports(ast.parse(path.read_text())):
            if name == "textual" or name.startswith("textual."):
                offenders.append(f"{'/'.join(parts)} imports {name}")
    assert offenders == []


def test_rules_are_pure():
    forbidden = ("sqlite3", "sqlite_utils", "tui_desk.store", "tui_desk.services", "textual",
                 "socket", "serial", "smtplib", "subprocess")
    offenders = []
    for path, parts in modules():
        if parts[0] != "rules":
            continue
        for name in imports(ast.parse(path.read_text())):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                offenders.append(f"{'/'.join(parts)} imports {name}")
    assert offenders == []


def test_dependencies_point_downward():
    # store must not reach up into services or screens; services not into screens.
    up = {"store": ("tui_desk.services", "tui_desk.screens", "tui_desk.widgets", "tui_desk.app"),
          "services": ("tui_desk.screens", "tui_desk.widgets", "tui_desk.app")}
    offenders = []
    for path, parts in modules():
        for name in imports(ast.parse(path.read_text())):
            if any(name.startswith(f) for f in up.get(parts[0], ())):
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
