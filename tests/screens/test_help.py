"""F1 help: every screen has its help, and every key its footer shows is explained."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from textual.screen import Screen

import tui_desk.screens as screens_package
from tests.factories import make_staff, screen_text
from tui_desk import keymap
from tui_desk.app import TuiDeskApp
from tui_desk.screens.base import DeskModal, DeskScreen
from tui_desk.screens.help import common_keys, help_for
from tui_desk.screens.help_screen import HelpScreen
from tui_desk.services.desk import Desk


def screen_classes() -> list[type[Screen]]:
    found = []
    for info in pkgutil.walk_packages(screens_package.__path__, "tui_desk.screens."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (issubclass(cls, Screen) and cls.__module__ == module.__name__
                    and not name.startswith("_") and cls not in (DeskScreen, DeskModal)):
                found.append(cls)
    # A base that other screens derive from (MandateDialog) is never shown itself.
    return [cls for cls in found
            if not any(other is not cls and issubclass(other, cls) for other in found)]


def footer_keys(cls: type[Screen]) -> set[str]:
    """The keys the screen's own footer shows (its bindings with show=True)."""
    merged = cls._merge_bindings()
    return {key for key, bindings in merged.key_to_bindings.items()
            if any(b.show for b in bindings)}


def test_the_screens_are_found():
    names = {c.__name__ for c in screen_classes()}
    assert {"CustomerStepScreen", "MainScreen", "MandateScreen", "HelpScreen",
            "ExerciseScreen"} <= names
    assert len(names) >= 30


@pytest.mark.parametrize("cls", screen_classes(), ids=lambda c: c.__name__)
def test_every_screen_has_help_that_explains_its_footer_keys(cls):
    found = help_for(cls.__name__)
    assert found is not None, f"no help for {cls.__name__} (tui_desk/screens/help/*.toml)"
    assert found.title and len(found.purpose) > 40
    common = {k for k, _ in common_keys()}
    missing = {k for k in footer_keys(cls) if not found.explains(k) and k not in common}
    assert not missing, f"{cls.__name__}: keys in the footer without help: {sorted(missing)}"


def test_the_keys_of_every_screen_are_explained_once():
    shown = {k.key for k in keymap.GLOBAL if k.show}
    assert shown <= {k for k, _ in common_keys()}


async def test_f1_opens_the_help_of_the_screen_in_front_and_f1_closes_it(db, config, clock):
    from tui_desk.store.postcodes import load_postcodes

    load_postcodes(db)
    app = TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=make_staff(db)))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = screen_text(app)
        assert "Help: Inschrijven klant: Klantgegevens (stap 1)" in shown
        assert "Ok, Vervolg" in shown
        await pilot.press("end")
        await pilot.pause()
        shown = screen_text(app)
        assert "Roepnaam is verplicht voor jeugdleden" in shown.replace("│", "")
        await pilot.press("f1")
        await pilot.pause()
        assert type(app.screen).__name__ == "CustomerStepScreen"
