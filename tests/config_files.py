"""Configuration and tariff files for the tests: the pieces most of them share, and writing one
to disk.

A test that checks one section of the configuration adds that section to ``LIBRARY + ANNEN``
as literal TOML, so the key it changes stays readable in the test. ``refuses_settings`` turns a
table of wrong values into the test that each stops the load, naming its key.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
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


_HEADER = re.compile(r"\[\[(?P<array>[\w.]+)\]\]|\[(?P<table>[\w.]+)\]")


def with_setting(text: str, key: str, value: object) -> str:
    """``text`` with one key set to ``value`` (written as in ``toml_table``), or without it
    where ``value`` is None. ``key`` is spelt as the errors name it: ``"mail.port"``,
    ``"workstations[0].register"``. A key its table lacks is added at the table's end; a table
    the text lacks, at the end."""
    table, _, name = key.rpartition(".")
    lines = text.split("\n")
    counts: dict[str, int] = {}
    inside = False
    found = end = None
    for number, line in enumerate(lines):
        header = _HEADER.fullmatch(line.strip())
        if header and inside:
            break
        if header and header["array"]:
            index = counts.get(header["array"], 0)
            counts[header["array"]] = index + 1
            inside = f"{header['array']}[{index}]" == table
        elif header:
            inside = header["table"] == table
        elif inside and re.match(rf"\s*{re.escape(name)}\s*=", line):
            found = number
        if inside and line.strip():
            end = number + 1
    setting = [] if value is None else [f"{name} = {json.dumps(value)}"]
    if found is not None:
        lines[found:found + 1] = setting
    elif value is None or (end is None and "[" in table):
        raise ValueError(f"the configuration has no {key} to change")
    elif end is not None:
        lines[end:end] = setting
    else:
        lines += ["", f"[{table}]", *setting, ""]
    return "\n".join(lines)


def refuses_settings(base: str, cases: Iterable[tuple[object, ...]]) -> Callable[..., None]:
    """A test, bound to a ``test_…`` name in the test module, that the configuration ``base``
    with each case's setting does not load: the ConfigError names the key and the problem.

    A case is ``(key, value, problem)``: ``value`` is text, a number or a list as in
    ``toml_table``, or None to leave the key out, and ``problem`` a part of the error's
    problem. Where the error names another key than the one set (a setting that makes another
    one wrong), that key comes fourth."""

    table = [(*case, case[0])[:4] for case in cases]

    @pytest.mark.parametrize(("key", "value", "problem", "named"), table,
                             ids=[f"{key} left out" if value is None
                                  else f"{key} = {json.dumps(value)}"
                                  for key, value, *_ in table])
    def test(tmp_path: Path, key: str, value: object, problem: str, named: str) -> None:
        error = config_error(tmp_path, with_setting(base, key, value))
        assert error.key == named, f"the error names {error.key}: {error.problem}"
        assert problem in error.problem, error.problem
        assert named in str(error)

    return test
