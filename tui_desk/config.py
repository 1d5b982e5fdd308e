"""Configuration from a TOML file.

Where the file is found, in order: ``--config PATH``, ``$TUI_DESK_CONFIG``,
``/etc/tui-desk/config.toml``, ``~/.config/tui-desk/config.toml``. A production run needs one;
``--demo`` runs without one on the built-in training library (``data/demo-config.toml``).
Every problem is reported with the key it concerns, e.g. ``branches[1].code``.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

SYSTEM_CONFIG = Path("/etc/tui-desk/config.toml")


def user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "tui-desk" / "config.toml"


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "tui-desk"


class ConfigError(Exception):
    """A configuration problem, naming the file, the key and what is wrong."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        super().__init__(f"{source}: {key}: {problem}")


@dataclass(frozen=True)
class Branch:
    code: str
    name: str
    place: str
    registers: tuple[str, ...]


@dataclass(frozen=True)
class Workstation:
    name: str
    branch: str
    clients: tuple[str, ...] = ()
    register: str | None = None


@dataclass(frozen=True)
class Library:
    name: str
    address: str = ""
    postcode: str = ""
    place: str = ""


@dataclass(frozen=True)
class Config:
    source: str
    library: Library
    database: Path
    demo_database: Path
    demo_auto_sign_in: str | None
    branches: tuple[Branch, ...]
    workstations: tuple[Workstation, ...] = ()
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def branch(self, code: str) -> Branch | None:
        return next((b for b in self.branches if b.code == code), None)


class _Reader:
    """Typed access to a TOML table that reports the full key on every error."""

    def __init__(self, source: str, table: dict[str, Any], prefix: str = "") -> None:
        self.source = source
        self.table = table
        self.prefix = prefix

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, problem: str) -> ConfigError:
        return ConfigError(self.source, self.key(name), problem)

    def str(self, name: str, default: str | None = None, *, required: bool = False) -> str | None:
        if name not in self.table:
            if required:
                raise self.fail(name, "is missing")
            return default
        value = self.table[name]
        if not isinstance(value, str):
            raise self.fail(name, f"must be text, not {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(name, "must not be empty")
        return value

    def table_(self, name: str) -> _Reader:
        value = self.table.get(name, {})
        if not isinstance(value, dict):
            raise self.fail(name, "must be a table")
        return _Reader(self.source, value, f"{self.key(name)}.")

    def tables(self, name: str) -> list[_Reader]:
        value = self.table.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, "must be a list of tables ([[%s]])" % name)
        return [_Reader(self.source, v, f"{self.key(name)}[{i}].") for i, v in enumerate(value)]

    def str_list(self, name: str) -> tuple[str, ...]:
        value = self.table.get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(name, "must be a list of text values")
        return tuple(value)


_BRANCH_CODE = re.compile(r"^[0-9]{4}$")


def _path(reader: _Reader, name: str, default: Path, base: Path | None) -> Path:
    text = reader.str(name)
    if text is None:
        return default
    path = Path(os.path.expandvars(text)).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def parse(data: dict[str, Any], source: str, base: Path | None = None) -> Config:
    """Build a Config from parsed TOML, validating every key it uses."""
    top = _Reader(source, data)
    lib = top.table_("library")
    library = Library(
        name=lib.str("name", required=True) or "",
        address=lib.str("address", "") or "",
        postcode=lib.str("postcode", "") or "",
        place=lib.str("place", "") or "",
    )
    db = top.table_("database")
    database = _path(db, "path", default_data_dir() / "tui-desk.sqlite3", base)
    demo = top.table_("demo")
    demo_database = _path(demo, "path", default_data_dir() / "demo.sqlite3", base)
    auto = demo.str("auto_sign_in", "balie")

    branches: list[Branch] = []
    for reader in top.tables("branches"):
        code = reader.str("code", required=True) or ""
        if not _BRANCH_CODE.match(code):
            raise reader.fail("code", f"must be four digits, not {code!r}")
        if any(b.code == code for b in branches):
            raise reader.fail("code", f"branch {code} is listed twice")
        name = reader.str("name", required=True) or ""
        registers = reader.str_list("registers") or (f"Kas {name}",)
        branches.append(Branch(code, name, reader.str("place", name.upper()) or "", registers))
    if not branches:
        raise ConfigError(source, "branches", "at least one [[branches]] entry is needed")

    known = {b.code for b in branches}
    workstations: list[Workstation] = []
    for reader in top.tables("workstations"):
        name = reader.str("name", required=True) or ""
        branch = reader.str("branch", required=True) or ""
        if branch not in known:
            raise reader.fail("branch", f"unknown branch {branch!r} (not in [[branches]])")
        register = reader.str("register")
        if register is not None:
            registers = next(b.registers for b in branches if b.code == branch)
            if register not in registers:
                raise reader.fail("register", f"{register!r} is not a register of branch {branch}")
        workstations.append(Workstation(name, branch, reader.str_list("clients"), register))

    return Config(
        source=source,
        library=library,
        database=database,
        demo_database=demo_database,
        demo_auto_sign_in=auto or None,
        branches=tuple(branches),
        workstations=tuple(workstations),
        raw=data,
    )


def load_file(path: Path) -> Config:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(path), "(file)", "does not exist") from None
    except OSError as exc:
        raise ConfigError(str(path), "(file)", f"cannot be read: {exc.strerror}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(str(path), "(syntax)", str(exc)) from None
    return parse(data, str(path), path.parent)


def demo_config() -> Config:
    """The built-in training library: the branches of the manual (9401 Annen and others)."""
    text = resources.files("tui_desk.data").joinpath("demo-config.toml").read_text("utf-8")
    return parse(tomllib.loads(text), "demo-config.toml (built in)")


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
    when there is one, only contributes its ``[demo]`` and ``[[workstations]]`` settings.
    """
    path = find_config(explicit)
    if demo:
        base = demo_config()
        if path is None:
            return base
        own = load_file(path)
        merged = dict(base.raw)
        if "demo" in own.raw:
            merged["demo"] = own.raw["demo"]
        cfg = parse(merged, f"{own.source} (demo)", path.parent)
        return cfg
    if path is None:
        raise ConfigError(
            "tui-desk",
            "--config",
            "no configuration file found (looked at $TUI_DESK_CONFIG, "
            f"{SYSTEM_CONFIG} and {user_config_path()}); see README 'Configuration', "
            "or start the training database with --demo",
        )
    return load_file(path)
