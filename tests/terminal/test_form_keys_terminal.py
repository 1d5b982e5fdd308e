"""Down, Up and PgUp in step 1 in a real terminal (tmux, 80x24): the cursor goes from field to
field and what is typed next appears in the field below, also where the form has to scroll.

Before, the form's scroll box took Down: the form scrolled, the cursor stayed in Klantnummer and
the text typed next went there, out of sight.
"""

from __future__ import annotations

import re

from tests.terminal.wizard_steps import new_registration


def row(screen: str, label: str) -> str:
    """The screen's line of the form row labelled ``label`` (empty when it is out of view)."""
    return next((line for line in screen.splitlines() if line.strip().startswith(label)), "")


def test_text_typed_after_down_appears_in_the_field_below(demo_terminal):
    term = demo_terminal()
    new_registration(term)
    # Down Down and the text in one burst, as a fast typist sends them.
    term.burst("Down", "Down", "van")
    screen = term.wait_for_match(r"Voorvoegsel +van\b").string
    assert "van" not in row(screen, "Klantnummer")
    assert "van" not in row(screen, "Voorletters")

    # 20 more: Selectie, below the fold at 80x24; the form scrolls along with the cursor.
    term.burst(*["Down"] * 20, "Boekstart")
    screen = term.wait_for_match(r"Selectie +Boekstart\b").string
    assert not re.search(r"Voorvoegsel +van\b", screen)      # scrolled up out of view

    # PgUp twice: back at the top of the form, both texts where they were typed.
    term.burst("PPage", "PPage")
    screen = term.wait_for("Klantnummer")
    assert re.search(r"Voorvoegsel +van\b", screen)
    term.type("12")                                          # the cursor is in Klantnummer
    term.wait_for_match(r"Klantnummer +12\b")
