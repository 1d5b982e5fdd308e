"""Selectie codes: Boekstart, vrijwilliger, personeel and action codes with a discount.

The codes are data (``tui_desk/data/selections.toml``). :func:`load_selections` is pure: it takes
the TOML text. :func:`default_selections` is the one function here that reads anything — the
packaged file, through ``importlib.resources`` — so that callers need not know where it lives.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass
from typing import Any

from tui_desk.rules.dates import show
from tui_desk.rules.errors import RuleError


class SelectionError(RuleError):
    """A typed Selectie that is unknown, expired or not for this customer."""


class SelectionFileError(RuleError):
    """A selections file that cannot be read; the message names the entry and the field."""


KINDS = ("boekstart", "vrijwilliger", "personeel", "actie")
_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{0,29}")


@dataclass(frozen=True)
class Selection:
    code: str
    name: str
    kind: str
    description: str = ""
    free_subscription: bool = False
    discount_cents: int = 0
    discount_percent: int = 0
    max_age: int | None = None
    valid_from: dt.date | None = None
    valid_until: dt.date | None = None

    def valid_on(self, day: dt.date) -> bool:
        """Whether the code can be chosen on ``day``.

        >>> Selection("X", "X", "actie", valid_until=dt.date(2025, 8, 31)).valid_on(
        ...     dt.date(2025, 9, 1))
        False
        """
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_until is None or day <= self.valid_until
        )

    def discount_on(self, amount_cents: int) -> int:
        """The discount in cents on an amount: never more than the amount; percentages round
        half up to whole cents; a free subscription is the whole amount.

        >>> Selection("X", "X", "actie", discount_percent=25).discount_on(5600)
        1400
        """
        if amount_cents <= 0:
            return 0
        if self.free_subscription:
            return amount_cents
        if self.discount_percent:
            return min(amount_cents, (amount_cents * self.discount_percent + 50) // 100)
        return min(amount_cents, self.discount_cents)


_FIELDS: dict[str, tuple[type, ...]] = {
    "code": (str,),
    "name": (str,),
    "kind": (str,),
    "description": (str,),
    "free_subscription": (bool,),
    "discount_cents": (int,),
    "discount_percent": (int,),
    "max_age": (int,),
    "valid_from": (dt.date,),
    "valid_until": (dt.date,),
}


def _entry(n: int, raw: Any) -> Selection:
    where = f"Selectie {n}"
    if not isinstance(raw, dict):
        raise SelectionFileError(f"{where}: geen tabel [[selection]].")
    for key, value in raw.items():
        if key not in _FIELDS:
            raise SelectionFileError(f"{where}: onbekend veld '{key}'.")
        types = _FIELDS[key]
        # bool is an int and datetime a date: refuse those where they are not meant.
        wrong_bool = isinstance(value, bool) and bool not in types
        wrong_datetime = isinstance(value, dt.datetime) or isinstance(value, dt.time)
        if not isinstance(value, types) or wrong_bool or wrong_datetime:
            raise SelectionFileError(f"{where}: veld '{key}' heeft een verkeerd type.")
    for key in ("code", "name", "kind"):
        if not str(raw.get(key, "")).strip():
            raise SelectionFileError(f"{where}: veld '{key}' ontbreekt.")
    code = raw["code"].strip().upper()
    where = f"Selectie {code[:30]}"
    if not _CODE.fullmatch(code):
        raise SelectionFileError(f"{where}: een code is A-Z, 0-9 en '-', maximaal 30 tekens.")
    if raw["kind"] not in KINDS:
        raise SelectionFileError(f"{where}: soort moet een van {', '.join(KINDS)} zijn.")
    if "discount_cents" in raw and "discount_percent" in raw:
        raise SelectionFileError(f"{where}: korting in centen óf procenten, niet allebei.")
    if not 0 <= raw.get("discount_cents", 0) <= 10**7:
        raise SelectionFileError(f"{where}: korting in centen ligt buiten 0..10000000.")
    if not 0 <= raw.get("discount_percent", 0) <= 100:
        raise SelectionFileError(f"{where}: korting in procenten ligt buiten 0..100.")
    if not 0 <= raw.get("max_age", 0) <= 150:
        raise SelectionFileError(f"{where}: max_age ligt buiten 0..150.")
    start, end = raw.get("valid_from"), raw.get("valid_until")
    if start is not None and end is not None and end < start:
        raise SelectionFileError(f"{where}: valid_until ligt voor valid_from.")
    return Selection(**{**raw, "code": code, "name": raw["name"].strip()})


def load_selections(text: str) -> dict[str, Selection]:
    """The selection codes from the TOML text of a selections file, by code, in file order.

    Raises :class:`SelectionFileError` for text that is not TOML or an entry that is wrong.

    >>> load_selections('[[selection]]\\ncode = "boekstart"\\nname = "Boekstart"\\n'
    ...                 'kind = "boekstart"')["BOEKSTART"].name
    'Boekstart'
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SelectionFileError(f"Het selectiebestand is geen geldige TOML: {exc}") from None
    entries = doc.get("selection", [])
    if not isinstance(entries, list):
        raise SelectionFileError("Het selectiebestand hoort [[selection]]-tabellen te bevatten.")
    unknown = set(doc) - {"selection"}
    if unknown:
        raise SelectionFileError(f"Onbekende sleutel in het selectiebestand: {sorted(unknown)[0]}.")
    result: dict[str, Selection] = {}
    for n, raw in enumerate(entries, start=1):
        selection = _entry(n, raw)
        if selection.code in result:
            raise SelectionFileError(f"Selectie {selection.code} staat twee keer in het bestand.")
        result[selection.code] = selection
    return result


def default_selections() -> dict[str, Selection]:
    """The selections packaged with tui-desk (``tui_desk/data/selections.toml``).

    >>> "VRIJWILLIGER" in default_selections()
    True
    """
    from importlib.resources import files

    return load_selections(files("tui_desk.data").joinpath("selections.toml").read_text("utf-8"))


def parse_selection(
    text: str,
    known: dict[str, Selection],
    *,
    today: dt.date | None = None,
    age: int | None = None,
) -> Selection | None:
    """The Selectie typed or chosen: a code or a name, any case; empty gives None ("Anders leeg
    laten"). With ``today`` an action outside its dates is refused, with ``age`` a code for
    younger customers (Boekstart). Raises :class:`SelectionError`.

    >>> parse_selection("vrijwilliger", default_selections()).code
    'VRIJWILLIGER'
    """
    t = re.sub(r"\s+", " ", text).strip()
    if not t:
        return None
    wanted = t.casefold()
    found = next(
        (s for s in known.values() if wanted in (s.code.casefold(), s.name.casefold())), None
    )
    if found is None:
        shown = t if len(t) <= 30 else t[:29] + "…"
        raise SelectionError(f"Selectie '{shown}' is onbekend.")
    if today is not None and not found.valid_on(today):
        if found.valid_from is not None and today < found.valid_from:
            raise SelectionError(
                f"Selectie {found.code} geldt pas vanaf {show(found.valid_from)}."
            )
        raise SelectionError(
            f"Selectie {found.code} is verlopen (geldig t/m {show(found.valid_until)})."
        )
    if age is not None and found.max_age is not None and age > found.max_age:
        raise SelectionError(
            f"Selectie {found.name} is voor klanten t/m {found.max_age} jaar."
        )
    return found
