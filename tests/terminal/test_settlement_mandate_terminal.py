"""Steps 4 and 5 in a real terminal (tmux, 80x24) with the manual's data on 15-04-2021.

Afrekenen nieuwe lener: the manual's € 52,00 paid in cash with € 60,00 tendered shows € 8,00
change and F10 settles; or 2x Enter → Registreren leaves it open with a contribution letter.
Incassomachtiging: print the form, scan its document code, check, save, confirm — ending with
the kenmerk shown and Incasso ticked.
"""

from __future__ import annotations

import sqlite3

from tests.terminal.conftest import sandbox_of
from tests.terminal.test_registration_terminal import MANUAL_DAY, type_step_1
from tests.terminal.wizard_steps import past_the_duplicates, register_with


def register_manual_customer(term, *, iban: str | None = None, surname: str = "Test") -> None:
    """Steps 1-3 for the manual's customer with Basis; ends on the settlement screen."""
    term.wait_for("OEFENOMGEVING", timeout=30)
    type_step_1(term, surname=surname, login="Nee", email="", iban=iban)
    past_the_duplicates(term)
    assert "Abonnement  € 52,00" in register_with(term, "0045")


def test_cash_with_change_then_the_mandate_from_print_to_scan(demo_terminal, tmp_path):
    term = demo_terminal("--today", MANUAL_DAY)
    register_manual_customer(term, iban="NL91ABNA0417164300")
    screen = term.screen()
    assert "Kas Annen" in screen and "€ 52,00" in screen
    term.type("60")
    term.wait_for("Teruggave € 8,00")
    term.keys("F10")
    screen = term.wait_for("Afgerekend")
    assert "Teruggave € 8,00" in screen
    term.wait_for("Kassabon — opdracht")         # the demo shows the printed receipt
    term.keys("Escape")
    term.wait_gone("Kassabon — opdracht")
    term.keys("Enter")                           # step 5 follows: Sepa incasso was ticked
    term.wait_for("Incassomachtiging (stap 5)")
    term.keys("F5")                              # Print nieuwe machtiging
    screen = term.wait_for("NL91ABNA0417164300")  # IBAN taken over from step 1
    term.keys("F10")
    term.wait_for("Machtiging — opdracht")      # the A4 form on the training printer
    term.keys("Escape")
    term.wait_gone("Machtiging — opdracht")
    term.wait_for("nog niet verwerkt")
    # the printed form's document code (a toast may cover it for a moment)
    code = term.wait_for_match(r"\(code (6775\d{12})\)").group(1)
    term.keys("F6")                              # Verwerk machtiging
    term.wait_for("Actor document uploaden")
    term.wait_for("[Scan pagina]")               # the cursor waits in Document scancode
    term.keys("BTab", "BTab", "Left")            # Bronkeuze: Geen upload
    term.wait_for("[Geen upload]")
    term.keys("Tab")                             # to Document scancode
    term.type(code)                              # the scanner types the code + Enter
    term.keys("Enter")
    screen = term.wait_for("01 - Incassomachtiging")
    assert "Mw. A. van der Test" in screen
    term.keys("F10")                             # Opslaan
    screen = term.wait_for("Controleer gegevens incassomachtiging")
    assert "ANNEN" in screen
    term.keys("F10")
    term.wait_for("Vastleggen klantdocument voltooid")
    term.keys("Enter")
    screen = term.wait_for("[X] Incasso")
    assert "kenmerk" in screen.lower()
    raw = sqlite3.connect(sandbox_of(tmp_path))
    [(kenmerk, status)] = raw.execute("SELECT kenmerk, status FROM mandates m JOIN customers c "
                                      "ON c.id = m.customer_id WHERE c.surname = 'Test' AND "
                                      "c.prefix = 'van der'").fetchall()
    assert status == "active" and kenmerk in screen


def test_register_the_amount_and_find_the_contribution_letter(demo_terminal, tmp_path):
    term = demo_terminal("--today", MANUAL_DAY)
    register_manual_customer(term, surname="Registreer")
    term.keys("Enter", "Enter")                  # 2x Enter: kwijtschelden of registreren
    term.wait_for("Registreren")
    term.type("r")
    screen = term.wait_for("€ 52,00 geregistreerd")
    assert "contributiebrief" in screen
    raw = sqlite3.connect(sandbox_of(tmp_path))
    letters = raw.execute(
        "SELECT l.channel, l.amount_cents FROM contribution_letters l JOIN customers c "
        "ON c.id = l.customer_id WHERE c.surname = 'Registreer'").fetchall()
    assert letters == [("post", 5200)]           # no e-mail address: the postal batch
