"""Fixtures of the screen tests."""

from __future__ import annotations

import pytest

from tests.factories import make_staff
from tui_desk.app import TuiDeskApp
from tui_desk.services.desk import Desk
from tui_desk.store.postcodes import load_postcodes


@pytest.fixture
def app(db, config, clock):
    """The app of a signed-in counter on the test database with the postcode table (a module
    may define its own ``app``)."""
    load_postcodes(db)
    staff = make_staff(db, name="J. de Balie")
    return TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff))
