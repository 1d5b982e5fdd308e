"""Configuration from a TOML file.

Where the file is found, in order: ``--config PATH``, ``$TUI_DESK_CONFIG``,
``/etc/tui-desk/config.toml``, ``~/.config/tui-desk/config.toml``. A production run needs one;
``--demo`` runs without one on the built-in training library (``data/demo-config.toml``).
Every problem is reported with the key it concerns, e.g. ``branches[1].code``.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

from tui_desk.config.paths import default_data_dir, user_config_path
from tui_desk.config.reader import Reader, unknown_keys
from tui_desk.config.sections import (
    _branches,
    _creditor,
    _identity,
    _library,
    _mail,
    _path,
    _printing,
    _privacy,
    _registration,
    _scanning,
    _settlement,
    _training,
    _workstations,
)
from tui_desk.config.settings import (
    CARD_BARCODES,
    DEFAULT_ACTIVATION_URL,
    DEFAULT_DRAFTS_RETENTION_HOURS,
    DEFAULT_FISCAL_RETENTION_YEARS,
    DEFAULT_GUARDIAN_BELOW_AGE,
    DEFAULT_MANDATE_DAYS,
    DEFAULT_MANDATE_RETENTION_MONTHS,
    DEFAULT_PRE_NOTIFICATION_DAYS,
    DEFAULT_PRINT_JOBS_RETENTION_DAYS,
    DEFAULT_PRINTER_TIMEOUT,
    DEFAULT_RETENTION_YEARS_INACTIVE,
    DEFAULT_SHARED_LOGINS,
    DEFAULT_WAIVE_ROLES,
    FORM_BARCODES,
    MAIL_SECURITY,
    RECEIPT_COLUMNS,
    Branch,
    Config,
    ConfigError,
    ConfigProblems,
    Creditor,
    IdentitySettings,
    Library,
    MailSettings,
    PrinterSettings,
    PrintingSettings,
    PrivacySettings,
    RegistrationSettings,
    ScanningSettings,
    SettlementSettings,
    UnknownKeyError,
    Workstation,
)

__all__ = [
    "Branch",
    "CARD_BARCODES",
    "Config",
    "ConfigError",
    "ConfigProblems",
    "Creditor",
    "DEFAULT_ACTIVATION_URL",
    "DEFAULT_DRAFTS_RETENTION_HOURS",
    "DEFAULT_FISCAL_RETENTION_YEARS",
    "DEFAULT_GUARDIAN_BELOW_AGE",
    "DEFAULT_MANDATE_DAYS",
    "DEFAULT_MANDATE_RETENTION_MONTHS",
    "DEFAULT_PRE_NOTIFICATION_DAYS",
    "DEFAULT_PRINTER_TIMEOUT",
    "DEFAULT_PRINT_JOBS_RETENTION_DAYS",
    "DEFAULT_RETENTION_YEARS_INACTIVE",
    "DEFAULT_SHARED_LOGINS",
    "DEFAULT_WAIVE_ROLES",
    "FORM_BARCODES",
    "IdentitySettings",
    "Library",
    "MAIL_SECURITY",
    "MailSettings",
    "PrinterSettings",
    "PrintingSettings",
    "PrivacySettings",
    "RECEIPT_COLUMNS",
    "RegistrationSettings",
    "SYSTEM_CONFIG",
    "ScanningSettings",
    "SettlementSettings",
    "UnknownKeyError",
    "Workstation",
    "default_data_dir",
    "demo_config",
    "find_config",
    "load",
    "load_file",
    "parse",
    "unknown_keys",
    "user_config_path",
]

SYSTEM_CONFIG = Path("/etc/tui-desk/config.toml")


def parse(data: dict[str, Any], source: str, base: Path | None = None) -> Config:
    """Build a Config from parsed TOML, validating every key; a section or key that is not
    read here is an error naming it and the nearest known one."""
    top = Reader(source, data)
    problems = _Problems()
    config = _parse(top, source, base, problems)
    # A section with an error was not read to its end: its keys are not all known.
    unknown = unknown_keys(data, top.asked, skip=problems.failed)
    errors = problems.errors + [UnknownKeyError(source, key, problem)
                                for key, problem in unknown]
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ConfigProblems(errors)
    return config


class _Problems:
    """The ConfigErrors of one ``parse``: every section is checked even when an earlier one is
    wrong, so that one run (``doctor``) names every problem, not only the first."""

    def __init__(self) -> None:
        self.errors: list[ConfigError] = []
        self.failed: set[str] = set()      # top-level sections with an error

    def run(self, section: str, read: Callable[[], Any], default: Any) -> Any:
        try:
            return read()
        except ConfigError as exc:
            self.errors.append(exc)
            self.failed.add(section)
            return default


def _parse(top: Reader, source: str, base: Path | None, problems: _Problems) -> Config:
    run = problems.run
    library = run("library", lambda: _library(top), Library(name=""))
    database = run("database", lambda: _path(top.table_("database"), "path",
                                             default_data_dir() / "tui-desk.sqlite3", base),
                   default_data_dir() / "tui-desk.sqlite3")
    busy_wait = run("database.busy_wait", lambda: float(top.table_("database").number(
        "busy_wait", 10.0, minimum=0.5, maximum=120)), 10.0)
    cursor_blink = run("screen", lambda: top.table_("screen").flag("cursor_blink", False),
                       False)
    demo_database, auto = run("demo", lambda: (
        _path(top.table_("demo"), "path", default_data_dir() / "demo.sqlite3", base),
        top.table_("demo").str("auto_sign_in", "balie")),
        (default_data_dir() / "demo.sqlite3", None))
    shared, exercises = run("demo", lambda: _training(top, base),
                            (DEFAULT_SHARED_LOGINS, None))
    branches = run("branches", lambda: _branches(top, source, base), [])
    printing = run("printing", lambda: _printing(top, base), PrintingSettings())
    # Workstations refer to branches and take printer defaults from [printing].
    workstations = [] if problems.failed & {"branches", "printing"} else run(
        "workstations", lambda: _workstations(top, branches, printing, base), [])
    if problems.failed & {"branches", "printing"}:
        problems.failed.add("workstations")
    return Config(
        source=source,
        library=library,
        database=database,
        busy_wait=busy_wait,
        cursor_blink=cursor_blink,
        demo_database=demo_database,
        demo_auto_sign_in=auto or None,
        branches=tuple(branches),
        workstations=tuple(workstations),
        mail=run("mail", lambda: _mail(top, library, base), MailSettings()),
        identity=run("identity", lambda: _identity(top), IdentitySettings()),
        printing=printing,
        privacy=run("privacy", lambda: _privacy(top), PrivacySettings()),
        scanning=run("scanning", lambda: _scanning(top, base), ScanningSettings()),
        creditor=run("creditor", lambda: _creditor(top, library), None),
        settlement=run("settlement", lambda: _settlement(top), SettlementSettings()),
        registration=run("registration", lambda: _registration(top), RegistrationSettings()),
        demo_shared_logins=shared,
        demo_exercises=exercises,
    )


def _read(path: Path) -> dict[str, Any]:
    """The TOML of a configuration file; every way it can be unreadable is a ConfigError."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "(file)", "does not exist") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(str(path), "(file)", f"is not UTF-8 text (byte {exc.start + 1}); save "
                                               "it as UTF-8") from None
    except OSError as exc:
        raise ConfigError(str(path), "(file)", f"cannot be read: {exc.strerror}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "(syntax)", str(exc)) from None


def load_file(path: Path) -> Config:
    return parse(_read(path), str(path), path.parent)


def _demo_data() -> dict[str, Any]:
    text = resources.files("tui_desk.data").joinpath("demo-config.toml").read_text("utf-8")
    return tomllib.loads(text)


def demo_config() -> Config:
    """The built-in training library: the branches of the manual (9401 Annen and others)."""
    return parse(_demo_data(), "demo-config.toml (built in)")


def find_config(explicit: str | None) -> Path | None:
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get("TUI_DESK_CONFIG")
    if env:
        return Path(env).expanduser()
    for candidate in (SYSTEM_CONFIG, user_config_path()):
        if candidate.is_file():
            return candidate
    return None


def load(explicit: str | None, *, demo: bool) -> Config:
    """The configuration for this run.

    In demo mode the training library comes from the built-in demo config; a real config file,
    when there is one, is checked completely and contributes its ``[demo]`` settings (where the
    training database is), its ``[screen]`` settings (how the terminal is drawn) and its
    ``[[workstations]]`` (so that training at a counter prints on
    that counter's printers). Those workstations must belong to a branch and register of the
    training library; one that does not is an error that says so.
    """
    path = find_config(explicit)
    if demo:
        if path is None:
            return demo_config()
        data = _read(path)
        own = parse(data, str(path), path.parent)
        merged = _demo_data()
        builtin = demo_config()
        for key in ("demo", "workstations", "screen"):
            if key in data:
                merged[key] = data[key]
        for i, ws in enumerate(own.workstations):
            branch = builtin.branch(ws.branch)
            codes = ", ".join(f"{b.code} {b.name}" for b in builtin.branches)
            if branch is None:
                raise ConfigError(own.source, f"workstations[{i}].branch",
                                  f"{ws.branch!r} is not a branch of the training library; "
                                  f"with --demo a workstation must use one of its branches "
                                  f"({codes})")
            if ws.register is not None and ws.register not in branch.registers:
                raise ConfigError(own.source, f"workstations[{i}].register",
                                  f"{ws.register!r} is not a register of branch {branch.code} "
                                  f"of the training library ({', '.join(branch.registers)})")
        return parse(merged, f"{own.source} (demo)", path.parent)
    if path is None:
        raise ConfigError(
            "tui-desk",
            "--config",
            "no configuration file found (looked at $TUI_DESK_CONFIG, "
            f"{SYSTEM_CONFIG} and {user_config_path()}); see README 'Configuration', "
            "or start the training database with --demo",
        )
    return load_file(path)
