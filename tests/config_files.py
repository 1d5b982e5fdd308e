"""Configuration and tariff files for the tests: the pieces most of them share, and writing one
to disk.

A test that checks one section of the configuration adds that section to ``LIBRARY + ANNEN``
as literal TOML, so the key it changes stays readable in the test.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tui_desk.config import ConfigError, load_file

LIBRARY = """
[library]
name = "Bibliotheek Test"
"""

# The branch of the manual; a test that needs its register appends ``registers = [...]``.
ANNEN = """
[[branches]]
code = "9401"
name = "Annen"
"""

CREDITOR = """
[creditor]
id = "NL11ZZZ040892510000"
iban = "NL20INGB0670000000"
"""


def toml_table(header: str, **keys: object) -> str:
    """One table as TOML text, e.g. ``toml_table("[[workstations]]", name="annen-1")``; the
    values are written as JSON, which is valid TOML for text, numbers, booleans and lists."""
    return "\n".join(["", header, *(f"{k} = {json.dumps(v)}" for k, v in keys.items())]) + "\n"


def workstation(name: str = "annen-1", branch: str = "9401", **keys: object) -> str:
    return toml_table("[[workstations]]", name=name, branch=branch, **keys)


def write_config(folder: Path, text: str, name: str = "config.toml") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def config_error(folder: Path, text: str) -> ConfigError:
    """The error ``load_file`` raises for ``text`` (the test fails when it loads)."""
    with pytest.raises(ConfigError) as err:
        load_file(write_config(folder, text))
    return err.value


def basis_tariff(name: str = "Basis", valid_from: str = "2027-01-01",
                 price_cents: int = 5900) -> str:
    """A tariffs file (``tui-desk tariffs import``) of one price of Basis, tariff 0045."""
    return toml_table("[[tariffs]]", code="0045", name=name, audience="person",
                      category="vast", min_age=19, max_age=99, period_unit="year",
                      period_length=1, strips=125) + (
        f'prices = [{{ valid_from = {valid_from}, audience = "person", '
        f"price_cents = {price_cents} }}]\n")
