"""Steps of the registration wizard as the real-terminal tests type them (tmux, 80x24).

Each step waits for what the screen shows before the next keys: a loaded machine redraws
slowly, a fixed pause would type past it.
"""

from __future__ import annotations

import time

from tests.terminal.tmux import TerminalTimeout, Tmux


def new_registration(term: Tmux) -> None:
    """From the main screen of the training program just started: Ctrl+N, step 1 in view."""
    term.wait_for("OEFENOMGEVING", timeout=30)
    term.keys("C-n")
    term.wait_for("Klantgegevens (stap 1)")


def type_fields(term: Tmux, *texts: str) -> None:
    """Each text typed into the field in focus (an empty one leaves it empty), then Enter."""
    for text in texts:
        if text:
            term.type(text)
        term.keys("Enter")


def choose_tariff(term: Tmux, code: str) -> str:
    """Step 3: Down until the cost build-up shows ``code``, waiting for it to follow each key;
    the screen then."""
    pattern = r"Tariefcode   (\d{4})"
    shown = term.wait_for_match(pattern).group(1)
    for _ in range(14):
        if shown == code:
            return term.wait_for(f"Tariefcode   {code}")
        term.keys("Down")
        end = time.monotonic() + 20
        while (now := term.wait_for_match(pattern).group(1)) == shown:
            assert time.monotonic() < end, term.screen()
            time.sleep(0.05)
        shown = now
    raise AssertionError(f"tariff {code} not in the list:\n{term.screen()}")


def past_the_duplicates(term: Tmux) -> None:
    """F10 on a filled-in step 1; a "Mogelijk dubbele klant" warning (the training data holds
    the manual's customer) is answered with F10, toch nieuwe klant. Ends on step 3."""
    term.keys("F10")
    try:
        term.wait_for("Mogelijk dubbele klant", timeout=3)
        term.keys("F10")                                  # toch nieuwe klant
    except TerminalTimeout:
        pass
    term.wait_for("Abonnement (stap 3)")


def register_with(term: Tmux, code: str) -> str:
    """Step 3: tariff ``code``, saved; Enter on "Klant ingeschreven" ends on AFREKENEN NIEUWE
    LENER. The screen of step 3 with the tariff chosen."""
    screen = choose_tariff(term, code)
    term.keys("Enter", "F10")
    term.wait_for("Klant ingeschreven")
    term.keys("Enter")
    term.wait_for("AFREKENEN NIEUWE LENER")
    return screen
