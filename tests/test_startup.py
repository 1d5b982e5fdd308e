"""Start-up stays light: what the first screen needs does not load the heavy libraries, and
what replaced them gives the same text (see bench/startup.py and docs/performance.md)."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pytest

# Each costs from ~5 ms (python-stdnum) to ~50 ms (schwifty with its bank registry) to load.
HEAVY = ("babel", "schwifty", "phonenumbers", "stdnum", "pycountry")
FIRST_SCREEN = ("tui_desk.cli", "tui_desk.app", "tui_desk.screens.main", "tui_desk.services.auth",
                "tui_desk.services.desk", "tui_desk.store.demo", "tui_desk.store.drafts")


def test_the_first_screen_imports_no_heavy_library():
    code = (
        "import importlib, json, sys\n"
        f"for name in {FIRST_SCREEN!r}: importlib.import_module(name)\n"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert json.loads(out) == []


@pytest.mark.parametrize("month", range(1, 13))
def test_dutch_month_names_are_babels(month):
    from babel.dates import format_date

    from tui_desk.rules.dates import month_year, show_long
    from tui_desk.rules.periods import month_name

    day = dt.date(2021, month, 9)
    assert show_long(day) == format_date(day, "d MMMM y", locale="nl_NL")
    assert month_year(day) == format_date(day, "MMMM y", locale="nl_NL").capitalize()
    assert month_name(month) == format_date(day, "MMMM", locale="nl_NL").capitalize()


@pytest.mark.parametrize("cents", [0, 5, 99, 100, 5600, 99999, 123456, 100000000, -5, -123456])
def test_amounts_are_grouped_as_babel_does(cents):
    from babel.numbers import format_decimal

    from tui_desk.rules.money import format_cents

    whole, rest = divmod(abs(cents), 100)
    sign = "-" if cents < 0 else ""
    assert format_cents(cents) == f"€ {sign}{format_decimal(whole, locale='nl_NL')},{rest:02d}"


def test_month_name_refuses_what_is_no_month():
    from tui_desk.rules.periods import month_name

    with pytest.raises(ValueError):
        month_name(13)
