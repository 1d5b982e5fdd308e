"""F1 help: the Dutch help text of every screen, kept as data beside the screens.

One TOML file per screen module (``help/<module>.toml``), a table per screen class::

    [CustomerStepScreen]
    titel = "Klantgegevens (stap 1)"
    doel = "What the screen is for."
    regels = ["A rule that bites, and why."]
    [CustomerStepScreen.velden]
    Klantnummer = "..."
    [CustomerStepScreen.toetsen]
    f10 = "..."                  # Textual key names, as in the screen's bindings

``_algemeen.toml`` explains the keys that work on every screen (``[toetsen]``).
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class ScreenHelp:
    title: str
    purpose: str
    fields: tuple[tuple[str, str], ...] = ()
    keys: tuple[tuple[str, str], ...] = ()
    rules: tuple[str, ...] = ()

    def explains(self, key: str) -> bool:
        return any(key == k for k, _ in self.keys)


def reflow(text: str) -> str:
    """Paragraphs of a multi-line TOML string as single lines (the screen wraps them)."""
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


def _parse(name: str, table: dict) -> ScreenHelp:
    return ScreenHelp(
        title=table["titel"], purpose=reflow(table["doel"]),
        fields=tuple((k, reflow(v)) for k, v in table.get("velden", {}).items()),
        keys=tuple((k, reflow(v)) for k, v in table.get("toetsen", {}).items()),
        rules=tuple(reflow(r) for r in table.get("regels", ())))


@functools.cache
def all_help() -> dict[str, ScreenHelp]:
    """Screen class name → its help."""
    found: dict[str, ScreenHelp] = {}
    for entry in resources.files(__name__).iterdir():
        if entry.name.endswith(".toml") and not entry.name.startswith("_"):
            for name, table in tomllib.loads(entry.read_text("utf-8")).items():
                found[name] = _parse(name, table)
    return found


@functools.cache
def common_keys() -> tuple[tuple[str, str], ...]:
    """The keys of every screen (the app's), explained once."""
    text = resources.files(__name__).joinpath("_algemeen.toml").read_text("utf-8")
    return tuple((k, reflow(v)) for k, v in tomllib.loads(text)["toetsen"].items())


def help_for(screen_class: str) -> ScreenHelp | None:
    return all_help().get(screen_class)


def key_display(key: str) -> str:
    """``f10`` → ``F10``, ``alt+z`` → ``Alt+Z``, ``escape`` → ``Esc``, ``1`` → ``1``,
    ``up,down`` → ``↑ ↓`` (keys explained together)."""
    if "," in key:
        return " ".join(key_display(k) for k in key.split(","))
    names = {"escape": "Esc", "enter": "Enter", "delete": "Del", "tab": "Tab",
             "space": "Spatie", "up": "↑", "down": "↓", "pageup": "PgUp", "pagedown": "PgDn"}
    parts = key.split("+")
    return "+".join(names.get(p, p.capitalize() if len(p) > 1 else p.upper()) for p in parts)
