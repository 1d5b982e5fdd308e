"""Issue 14 in a real terminal (tmux, 80x24, the manual's 15-04-2021): Sepa incasso with
0049 Basis (maand-incasso), Esc out of step 5 without a mandate. The question appears;
"later" leaves a Melding on the record and the registration in Klanten ▸ Openstaande
inschrijvingen; `tui-desk maintenance` a month on renews nothing for it and lists it."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys

from tests.terminal.conftest import sandbox_of
from tests.terminal.test_registration_terminal import MANUAL_DAY
from tests.terminal.wizard_steps import past_the_duplicates, register_with, type_fields

SURNAME = "Later"


def type_step_1(term, iban: str) -> None:
    """Klantgegevens for A. van der Later with Sepa incasso and an IBAN, no login, no e-mail;
    each group of fields is confirmed on the screen before the next is typed."""
    term.keys("C-n")
    term.wait_for("Klantgegevens (stap 1)")
    term.type("V")
    term.keys("Enter")                                  # Klantnummer: V = next free number
    term.wait_for("Nieuw pasnummer uitgegeven")
    # Voorletters … Roepnaam, Geboortedatum, Land, Postcode, Huisnummer: the postcode table
    type_fields(term, "A", "van der", SURNAME, "", "1 januari 1991", "", "9468 BG", "41")
    term.wait_for("✓ postcodetabel")                    # Straat and Plaats; Enter passes them
    term.keys("Enter")                                  # Toevoeging
    term.type("v")                                      # Persoon: Vrouw
    term.wait_for("[Vrouw]")
    term.keys("Enter", "Enter", "Enter")                # Persoon, Telefoon, SMS-nummer
    term.type("j")                                      # Sepa incasso: [X]
    term.wait_for("[X] Incasso")
    term.keys("Enter")
    term.type(iban)
    term.wait_for(iban)
    term.keys("Enter", "Enter")                         # IBAN, Legitimatie
    term.type("n")                                      # Gebruik inlogaccount: Nee
    term.wait_for("Ja [Nee]  Let op")
    term.keys("Enter", "Tab")
    term.type("j")                                      # E-mail: [Leeg]
    term.wait_for("[X] Leeg")


def test_sepa_0049_esc_out_of_step_5_stays_open_and_is_not_renewed(demo_terminal, tmp_path):
    term = demo_terminal("--today", MANUAL_DAY)
    term.wait_for("OEFENOMGEVING", timeout=30)
    type_step_1(term, "NL91ABNA0417164300")
    past_the_duplicates(term)
    register_with(term, "0049")
    term.keys("Enter", "Enter")                           # 2x Enter: registreren
    term.wait_for("Registreren")
    term.type("r")
    term.wait_for("automatische incasso geïnd")
    term.keys("Enter")
    term.wait_for("Incassomachtiging (stap 5)")

    term.keys("Escape")                                   # leave step 5 without a mandate
    screen = term.wait_for("Incassomachtiging niet verwerkt")
    for expected in ("nog geen verwerkte incassomachtiging", "L  Later: de machtiging volgt",
                     "B  Geen incasso: contributiebrief", "T  Terug naar de machtiging"):
        assert expected in screen, expected
    term.type("l")
    term.wait_for("Inschrijving open laten")
    term.keys("Enter")                                    # the suggested reason
    # the record opens; the Melding pops up
    screen = term.wait_for("Open inschrijving: machtiging vóór 29-04-2021")
    term.keys("Enter")
    term.wait_gone("Open inschrijving: machtiging vóór")
    term.keys("5")                                        # tab 5.Meldingen
    term.wait_for("Open inschrijving: machtiging vóór 29-04-2021")

    term.keys("M-k")                                      # Klanten ▸ Openstaande inschrijvingen
    term.wait_for("Openstaande inschrijvingen")
    term.keys("Down", "Down", "Down")
    term.keys("Enter")
    term.wait_for("vestiging 9401: 1")
    screen = term.wait_for("Reden: Klant levert de getekende machtiging later in")
    assert "A. van der Later: incassomachtiging ontbreekt sinds 15-04-2021" in screen
    assert re.search(r"A\. van der Later +machtiging +29-04-2021", screen)

    # a month on, the monthly run (a timer, while the counters work) renews nothing for it
    # and lists it
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data")}
    run = subprocess.run(
        [sys.executable, "-m", "tui_desk", "--demo", "--db", str(sandbox_of(tmp_path)),
         "--today", "2021-05-14", "maintenance"],
        capture_output=True, text=True, env=env, timeout=120, check=True)
    section = run.stdout.split("Niet verlengd: geen actieve incassomachtiging:")[1]
    assert "A. van der Later" in section.split("Openstaande inschrijvingen")[0]
    assert "A. van der Later" in run.stdout.split("Openstaande inschrijvingen:")[1]
    raw = sqlite3.connect(sandbox_of(tmp_path))     # the trainee's own copy
    rows = raw.execute(
        "SELECT p.tariff_code, p.start_date, p.end_date FROM subscription_periods p"
        " JOIN customers c ON c.id = p.customer_id WHERE c.surname = ?", (SURNAME,)).fetchall()
    assert rows == [("0049", "2021-04-15", "2021-05-14")]
