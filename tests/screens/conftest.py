"""Fixtures of the screen tests."""

from __future__ import annotations

import pytest

from tests.factories import make_staff
from tui_desk.app import TuiDeskApp
from tui_desk.services.desk import Desk
from tui_desk.store.postcodes import load_postcodes


@pytest.fixture
def staff(db):
    """The counter employee signed in to ``app`` (a module may define its own ``staff``)."""
    return make_staff(db, name="J. de Balie")


@pytest.fixture
def app(db, config, clock, staff):
    """The app of a signed-in counter on the test database with the postcode table (a module
    may define its own ``app``)."""
    load_postcodes(db)
    return TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff))
