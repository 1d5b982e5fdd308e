"""Typed access to the TOML tables of a configuration file, and the check for keys nobody read."""

from __future__ import annotations

import builtins
import difflib
import os
from pathlib import Path
from typing import Any

from tui_desk.config.settings import ConfigError


class Asked:
    """Which keys of which TOML tables the readers of one ``parse`` asked for.

    Every key a ``Reader`` is asked for is known; a key in the file that nobody asked for is
    unknown and an error (``unknown_keys``). So a key added to ``parse`` later is known without
    a list to keep up to date.
    """

    def __init__(self) -> None:
        # id(table) -> {key: how it was asked: "key", "table" ([x]) or "tables" ([[x]])}
        self.keys: dict[int, dict[str, str]] = {}

    def note(self, table: dict[str, Any], name: str, kind: str = "key") -> None:
        self.keys.setdefault(id(table), {})[name] = kind

    def of(self, table: dict[str, Any]) -> dict[str, str]:
        return self.keys.get(id(table), {})


class Reader:
    """Typed access to a TOML table that reports the full key on every error."""

    def __init__(self, source: str, table: dict[str, Any], prefix: str = "",
                 asked: Asked | None = None) -> None:
        self.source = source
        self.table = table
        self.prefix = prefix
        self.asked = asked if asked is not None else Asked()

    def key(self, name: str) -> str:
        return f"{self.prefix}{name}"

    def fail(self, name: str, problem: str) -> ConfigError:
        return ConfigError(self.source, self.key(name), problem)

    def has(self, name: str) -> bool:
        """Whether the table has the key (which is known from now on)."""
        self.asked.note(self.table, name)
        return name in self.table

    def _get(self, name: str, default: Any = None, kind: str = "key") -> Any:
        self.asked.note(self.table, name, kind)
        return self.table.get(name, default)

    def _missing(self, name: str) -> ConfigError:
        # A required key that is missing is often one that is misspelt: say so.
        near = difflib.get_close_matches(name, [k for k in self.table if k != name], n=1)
        hint = f" (is {near[0]!r} a typo?)" if near else ""
        return self.fail(name, f"is missing{hint}")

    def str(self, name: str, default: str | None = None, *, required: bool = False) -> str | None:
        value = self._get(name)
        if name not in self.table:
            if required:
                raise self._missing(name)
            return default
        if not isinstance(value, str):
            raise self.fail(name, f"must be text, not {type(value).__name__}")
        if required and not value.strip():
            raise self.fail(name, "must not be empty")
        return value

    def table_(self, name: builtins.str) -> Reader:
        value = self._get(name, {}, "table")
        if not isinstance(value, dict):
            raise self.fail(name, "must be a table")
        return Reader(self.source, value, f"{self.key(name)}.", self.asked)

    def tables(self, name: builtins.str) -> list[Reader]:
        value = self._get(name, [], "tables")
        if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
            raise self.fail(name, f"must be a list of tables ([[{name}]])")
        return [Reader(self.source, v, f"{self.key(name)}[{i}].", self.asked)
                for i, v in enumerate(value)]

    def number(self, name: builtins.str, default: float, *, minimum: float, maximum: float,
               integer: bool = False) -> float:
        value = self._get(name)
        if name not in self.table:
            return default
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds):
            raise self.fail(name, f"must be {'a whole number' if integer else 'a number'}, "
                                  f"not {type(value).__name__}")
        if not minimum <= value <= maximum:
            raise self.fail(name, f"must be between {minimum} and {maximum}, not {value}")
        return value

    def flag(self, name: builtins.str, default: bool) -> bool:
        value = self._get(name)
        if name not in self.table:
            return default
        if not isinstance(value, bool):
            raise self.fail(name, f"must be true or false, not {type(value).__name__}")
        return value

    def str_list(self, name: builtins.str) -> tuple[builtins.str, ...]:
        value = self._get(name, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(name, "must be a list of text values")
        return tuple(value)

    def amount(self, name: builtins.str, default: int) -> int:
        """An amount of money in euros: ``"100,00"`` (text, as typed at the desk) or a whole
        number of euros; returned in cents."""
        from tui_desk.rules.money import AmountError, parse_cents

        value = self._get(name)
        if name not in self.table:
            return default
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise self.fail(name, 'must be an amount in euros as text, e.g. "100,00", '
                                  f"not {type(value).__name__}")
        try:
            return parse_cents(str(value))
        except AmountError:
            raise self.fail(name, f'is not an amount in euros (e.g. "100,00"): {value!r}') \
                from None


def _shown(section: str, index: int | None) -> str:
    return f"[[{section}]]" if index is not None else f"[{section}]"


def unknown_keys(data: dict[str, Any], asked: Asked,
                 skip: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, str]]:
    """(key as shown, Dutch problem) of every key in ``data`` that no reader asked for, in the
    file's order, each with the nearest known key when there is one; top-level ``skip``
    sections are left out."""
    found: list[tuple[str, str]] = []

    def walk(table: dict[str, Any], section: str, index: int | None) -> None:
        known = asked.of(table)
        for key, value in table.items():
            if table is data and key in skip:
                continue
            kind = known.get(key)
            if kind == "table" and isinstance(value, dict):
                walk(value, f"{section}.{key}" if section else key, None)
                continue
            if kind == "tables" and isinstance(value, list):
                for i, entry in enumerate(value):
                    if isinstance(entry, dict):
                        walk(entry, f"{section}.{key}" if section else key, i)
                continue
            if kind is not None:
                continue
            is_table = isinstance(value, dict) or (
                isinstance(value, list) and bool(value)
                and all(isinstance(v, dict) for v in value))
            entry = f" (nr. {index + 1})" if index is not None else ""
            if is_table:
                full = f"{section}.{key}" if section else key
                style = "[[{}]]" if isinstance(value, list) else "[{}]"
                shown = f"`{style.format(full)}`{entry}"
                what = "onbekende sectie"
            else:
                shown = f"`{_shown(section, index)} {key}`{entry}" if section else f"`{key}`"
                what = "onbekende sleutel"
            near = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
            if near:
                name, near_kind = near[0], known[near[0]]
                full = f"{section}.{name}" if section else name
                suggestion = ("[[{}]]" if near_kind == "tables" else "[{}]").format(full) \
                    if near_kind != "key" else name
                found.append((shown, f"{what}; bedoelt u `{suggestion}`?"))
            elif known:
                names = ", ".join(f"`{k}`" for k in sorted(known))
                found.append((shown, f"{what}; bekend zijn {names}."))
            else:
                found.append((shown, f"{what}."))

    walk(data, "", None)
    return found


def path_value(reader: Reader, name: str, default: Path, base: Path | None) -> Path:
    """A path key: ``$VARS`` and ``~`` expanded, relative to the config file's folder."""
    text = reader.str(name)
    if text is None:
        return default
    path = Path(os.path.expandvars(text)).expanduser()
    if not path.is_absolute() and base is not None:
        path = base / path
    return path


def optional_path(reader: Reader, name: str, base: Path | None) -> Path | None:
    """A path key that may be absent (None)."""
    return path_value(reader, name, Path(), base) if reader.has(name) else None
