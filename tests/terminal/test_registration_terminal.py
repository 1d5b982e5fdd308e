"""The registration wizard in a real terminal (tmux, 80x24), typed key by key.

The manual's example is typed into step 1 with wrong input first; steps 2 and 3 are walked the
three ways the manual describes (new login account, existing account, no login account). The
demo runs on 15-04-2021 (``--today``) so that the cost build-up is the manual's: Basis € 52,00
billed to 30-04-2022.
"""

from __future__ import annotations

import datetime as dt

from tests.terminal.conftest import sandbox_of
from tests.terminal.tmux import TerminalTimeout
from tests.terminal.wizard_steps import new_registration, type_fields
from tui_desk.clock import FixedClock
from tui_desk.config import demo_config
from tui_desk.services.identity import AccountName, LocalIdentityService
from tui_desk.store.demo import ensure_demo

MANUAL_DAY = "2021-04-15"


def type_step_1(term, *, postcode="9468 BG", birth="1 januari 1991", email="a.test@example.nl",
                login="Ja", surname="Test", iban=None):
    """Klantgegevens in the manual's order; Enter moves to the next field."""
    term.keys("C-n")
    term.wait_for("Klantgegevens (stap 1)")
    term.type("V")
    term.keys("Enter")                                  # Klantnummer: V = next free number
    term.wait_for("Nieuw pasnummer uitgegeven")
    # Voorletters … Roepnaam, Geboortedatum, Land, Postcode, Huisnummer: the postcode table looks
    type_fields(term, "A", "van der", surname, "", birth, "", postcode, "41")
    if postcode == "9468 BG":                           # up Straat and Plaats; Enter then
        term.wait_for("✓ postcodetabel")                # passes them by
        term.keys("Enter")                              # Toevoeging
    else:
        term.keys("Enter", "Enter", "Enter")            # Toevoeging, Straat, Plaats
    term.type("v")                                      # Persoon: Vrouw
    term.keys("Enter", "Enter", "Enter")                # Persoon, Telefoon, SMS-nummer
    if iban:
        term.keys("Space", "Enter")                     # Sepa incasso: [X]
        term.type(iban)
        term.wait_for(iban)
    else:
        term.keys("Enter")
    term.keys("Enter", "Enter")                         # IBAN, Legitimatie
    if login == "Nee":
        term.type("n")
    term.keys("Enter")                                  # Gebruik inlogaccount
    if email:
        term.type(email)
        term.wait_for(email)                            # as the clerk sees it before F10
    else:
        term.keys("Tab")
        term.type("j")                                  # [Leeg]


def test_manual_example_with_wrong_input_then_through_to_the_cost_build_up(demo_terminal):
    term = demo_terminal("--today", MANUAL_DAY)
    term.wait_for("OEFENOMGEVING", timeout=30)
    type_step_1(term, postcode="1234 SS", birth="31-02-2000")
    term.keys("F10")
    screen = term.wait_for("31-02-2000 bestaat niet")
    assert "SS worden niet gebruikt" in screen           # next to "1234 SS", kept as typed
    assert "1234 SS" in screen

    # Correct the postcode and the birth date; everything else stays as typed.
    term.keys("M-z")            # proves global keys still work mid-form, then come back
    term.wait_for("pasnummer, achternaam")
    term.keys("Escape")
    term.wait_for("Klantgegevens (stap 1)")
    # The form scrolls back to the field being worked on (a moment after it is shown).
    screen = term.wait_for("31-02-2000")
    assert "1234 SS" in screen

    # Go to the birth date field: it is the first field in error after F10.
    term.keys("F10")
    term.keys("C-u")
    term.type("1 januari 1991")
    term.keys("Enter", "Enter", "C-u")
    term.type("9468 BG")
    term.keys("Enter")
    term.wait_for("Kruisakkers")
    # A wrong IBAN is explained at the field and kept.
    for _ in range(8):
        term.keys("Tab")
    term.type("NL91ABNA0417164301")
    term.keys("Tab")
    screen = term.wait_for("controlegetal is onjuist")
    assert "NL91ABNA0417164301" in screen
    term.keys("BTab", "C-u", "Tab")

    term.keys("F10")
    term.wait_for("Mogelijk dubbele klant")      # the manual's own Mw. A. van de Test
    screen = term.screen()
    assert "29401000075801" in screen
    term.keys("F10")                             # toch nieuwe klant
    term.wait_for("Inlogaccount (stap 2)")
    term.keys("F10")                             # Nieuw inlogaccount genereren
    term.wait_for("Abonnement (stap 3)")

    term.wait_for("Opbouw abonnementskosten")
    for _ in range(10):
        try:
            screen = term.wait_for("Tariefcode   0045", timeout=0.6)
            break
        except TerminalTimeout:
            term.keys("Down")
    screen = term.wait_for("Tariefcode   0045")
    assert "Opbouw abonnementskosten" in screen
    assert "€ 52,00" in screen
    assert "Vervalmaand  April" in screen
    assert "Rechten t/m  30-04-2022" in screen
    assert "Geldig t/m  April 2022" in screen
    term.keys("Enter", "F10")
    screen = term.wait_for("Genereren van inlogaccount gelukt")
    assert "Gebruikersnaam  atest" in screen
    assert "24" in screen


def test_existing_login_account_is_found_case_sensitively(demo_terminal, tmp_path):
    day = dt.date.fromisoformat(MANUAL_DAY)
    db = ensure_demo(sandbox_of(tmp_path), demo_config(), day)
    identity = LocalIdentityService(db, FixedClock(day))
    account = identity.create_account("verhuisd@example.nl", AccountName("B.", "", "Verhuizer"))
    identity.activate_username(account.username)
    db.close()

    term = demo_terminal("--today", MANUAL_DAY)
    term.wait_for("OEFENOMGEVING", timeout=30)
    type_step_1(term, surname="Verhuizer", birth="02-02-1980", email="verhuisd@example.nl")
    term.keys("F10")
    term.wait_for("Inlogaccount (stap 2)")
    term.keys("Left")                               # Bestaand inlogaccount gebruiken
    term.wait_for("Hoofdlettergevoelig")
    term.keys("Tab")
    term.type(account.username.upper())
    term.keys("Enter")
    term.wait_for("Geen inlogaccount gevonden")
    term.keys("C-u")
    term.type(account.username)
    term.keys("Enter")
    screen = term.wait_for("verhuisd@example.nl")
    assert "Resultaat" in screen and account.username in screen
    term.keys("F10")
    term.wait_for("Abonnement (stap 3)")
    term.keys("F10")
    screen = term.wait_for("is gekoppeld aan de klant")
    assert account.username in screen


def test_no_login_account_says_what_the_customer_misses(demo_terminal):
    term = demo_terminal("--today", MANUAL_DAY)
    term.wait_for("OEFENOMGEVING", timeout=30)
    type_step_1(term, surname="Zonderlogin", birth="03-03-1970", login="Nee", email="")
    term.wait_for("Let op: zonder inlogaccount kan de klant")
    term.keys("F10")
    term.wait_for("Abonnement (stap 3)")              # step 2 is skipped
    term.keys("F10")
    term.wait_for("Klant ingeschreven")
    term.wait_for("zonder inlogaccount kan de klant niet inloggen")


def test_a_burst_of_keys_lands_in_the_right_fields(demo_terminal):
    """A scanner or a fast typist: every key is sent at once, without waiting for the screen."""
    term = demo_terminal()
    new_registration(term)
    term.burst("V", "Enter", "A", "Enter", "van der", "Enter", "Test", "Enter", "Enter",
               "1 januari 1991", "Enter", "Enter", "9468 BG", "Enter", "41", "Enter")
    term.wait_for("Kruisakkers")
    # The card number is fetched off the event loop while the next fields fill.
    screen = term.wait_for("Nieuw pasnummer uitgegeven")
    lines = {line.split("  ")[0].strip(): line for line in screen.splitlines()}
    assert "Nieuw pasnummer uitgegeven" in lines["Klantnummer"]
    assert lines["Voorletters"].split()[-1] == "A"
    assert lines["Voorvoegsel"].endswith("van der")
    assert lines["Achternaam"].split()[-1] == "Test"
    assert "1 januari 1991" in lines["Geboortedatum"]
    assert "9468 BG" in lines["Postcode"]
    assert "ANNEN" in lines["Plaats"]
