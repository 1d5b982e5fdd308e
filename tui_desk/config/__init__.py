"""Configuration from a TOML file.

Where the file is found, in order: ``--config PATH``, ``$TUI_DESK_CONFIG``,
``/etc/tui-desk/config.toml``, ``~/.config/tui-desk/config.toml``. A production run needs one;
``--demo`` runs without one on the built-in training library (``data/demo-config.toml``).
Every problem is reported with the key it concerns, e.g. ``branches[1].code``.

The package: ``settings`` (the typed, frozen dataclasses and ConfigError; every public name is
re-exported here), ``reader`` (typed access to a TOML table, unknown keys), ``sections`` and
``office`` (one reader per section), ``paths`` (default locations); finding and loading the file
is here.
"""

from __future__ import annotations

import os
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from tui_desk.config.paths import default_data_dir as default_data_dir  # re-exported
from tui_desk.config.paths import user_config_path
from tui_desk.config.reader import Reader, unknown_keys
from tui_desk.config.sections import Problems, parse_sections
from tui_desk.config.settings import *  # noqa: F403 - the settings are this package's public names
from tui_desk.config.settings import Config, ConfigError, ConfigProblems, UnknownKeyError

SYSTEM_CONFIG = Path("/etc/tui-desk/config.toml")


def parse(data: dict[str, Any], source: str, base: Path | None = None) -> Config:
    """Build a Config from parsed TOML, validating every key; a section or key that is not
    read here is an error naming it and the nearest known one."""
    top = Reader(source, data)
    problems = Problems()
    config = parse_sections(top, source, base, problems)
    # A section with an error was not read to its end: its keys are not all known.
    unknown = unknown_keys(data, top.asked, skip=problems.failed)
    errors = problems.errors + [UnknownKeyError(source, key, problem)
                                for key, problem in unknown]
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ConfigProblems(errors)
    return config


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
