"""Training in a real terminal (tmux, 80x24): a sandbox per trainee, exercises the program
checks, F1 help, and the rough edges of the registration seen at 80x24."""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys

from tests.terminal.test_settlement_mandate_terminal import register_manual_customer
from tests.terminal.tmux import TerminalTimeout, Tmux
from tests.terminal.wizard_steps import (
    new_registration,
    past_the_duplicates,
    register_with,
    type_fields,
)
from tui_desk.config import demo_config
from tui_desk.store.demo import ensure_demo
from tui_desk.store.sandbox import sandbox_path

TRAINEES = {"10.20.0.11": None, "10.20.0.12": None}


def start_trainee(tmp_path, address: str) -> Tmux:
    """``tui-desk --demo`` as the shared training login over SSH from ``address``."""
    env = {
        "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_DATA_HOME": str(tmp_path / "data"), "ESCDELAY": "25",
        "TUI_DESK_LOGIN": "oefen", "SSH_CONNECTION": f"{address} 52000 10.20.0.1 22",
    }
    return Tmux([sys.executable, "-m", "tui_desk", "--demo", "--db",
                 str(tmp_path / "demo.sqlite3")], env=env)


def de_vries_step_1(term: Tmux) -> None:
    """Klantgegevens of the first exercise, field by field with Enter."""
    term.keys("C-n")
    term.wait_for("Klantgegevens (stap 1)")
    term.type("V")
    term.keys("Enter")
    term.wait_for("Nieuw pasnummer uitgegeven")
    # Voorletters … Roepnaam, Geboortedatum, Land, Postcode, Huisnummer
    type_fields(term, "P", "de", "Vries", "", "14-06-1984", "", "9468 AA", "5")
    term.wait_for("✓ postcodetabel")
    term.keys("Enter")                           # Toevoeging; Straat and Plaats are passed by
    term.type("m")                               # Persoon: Man
    term.keys("Enter", "Enter", "Enter", "Enter", "Enter", "Enter")  # … IBAN, Legitimatie
    term.type("n")                               # Gebruik inlogaccount: Nee
    term.keys("Enter")
    term.type("p.devries@example.nl")


def to_settlement(term: Tmux) -> None:
    past_the_duplicates(term)
    register_with(term, "0045")


def pay_by_pin(term: Tmux) -> None:
    term.keys("BTab")                            # Ontvangstwijze
    term.type("p")                               # PIN
    term.wait_for("PIN")
    term.keys("Tab", "F10")
    term.wait_for("Kassabon — opdracht")
    term.keys("Escape")
    term.wait_gone("Kassabon — opdracht")


def open_first_exercise(term: Tmux) -> None:
    term.keys("M-e")
    term.wait_for("Volwassene inschrijven, Basis")
    term.keys("Enter")
    term.wait_for("Uitgangssituatie")


def test_two_trainees_do_the_same_registration_exercise_at_once(tmp_path):
    ensure_demo(tmp_path / "demo.sqlite3", demo_config(), dt.date.today()).close()
    terms = {address: start_trainee(tmp_path, address) for address in TRAINEES}
    try:
        for address, term in terms.items():
            term.wait_for(f"OEFENOMGEVING {address}", timeout=30)
        # Step by step, first one trainee then the other: both work at the same time.
        for step in (open_first_exercise, lambda t: t.keys("F5"),
                     lambda t: t.wait_for("Begonnen"), lambda t: t.keys("Escape"),
                     de_vries_step_1, to_settlement, pay_by_pin, open_first_exercise,
                     lambda t: t.keys("F10")):
            for term in terms.values():
                step(term)
        for address, term in terms.items():
            screen = term.wait_for("Goed gedaan!")
            assert "✓ klant ingeschreven" in screen
            assert "✓ abonnement 0045" in screen and "✓ betaald via PIN" in screen
            assert f"OEFENOMGEVING {address}" in screen
        # Each sandbox has its own trainee's customer, and only that one.
        for address in terms:
            raw = sqlite3.connect(sandbox_path(tmp_path / "demo.sqlite3", address))
            assert raw.execute("SELECT count(*) FROM customers WHERE surname = 'Vries'"
                               " AND birth_date = '1984-06-14'").fetchone()[0] == 1
            raw.close()
        template = sqlite3.connect(tmp_path / "demo.sqlite3")
        assert template.execute("SELECT count(*) FROM customers WHERE surname = 'Vries'"
                                " AND birth_date = '1984-06-14'").fetchone()[0] == 0
        template.close()
        # On screen: searching the birth date finds one De Vries, not the other trainee's as
        # a second one. (The demo's generated customers may share the birth date: then the
        # list shows them beside her; a single hit opens the record at once.)
        for term in terms.values():
            term.keys("Escape", "M-z")
            term.wait_for("pasnummer, achternaam")
            term.type("14-06-1984")
            term.keys("Enter")
            screen = term.wait_for("P. de Vries")
            if "klanten gevonden" in screen:
                assert sum("de Vries" in line for line in screen.splitlines()) == 1
            else:
                screen = term.wait_for("Dhr. P. de Vries")
                assert "1.Klant" in screen and "geboortedatum 14-06-1984" in screen
    finally:
        for term in terms.values():
            term.close()


def test_f1_shows_the_help_of_the_screen(demo_terminal):
    term = demo_terminal()
    new_registration(term)
    term.keys("F1")
    term.wait_for("Help: Inschrijven klant")
    # The box is laid out after its title first shows: wait for its keys section (the footer
    # writes the key in lower case, the help in capitals).
    screen = term.wait_for("F10")
    assert "Ok, Vervolg: controleer" in screen
    term.keys("F1")
    term.wait_gone("Help: Inschrijven klant")


def test_the_email_field_shows_a_long_address_whole(demo_terminal):
    term = demo_terminal()
    new_registration(term)
    for _ in range(19):                          # Tab to E-mail, past the mandatory fields
        term.keys("Tab", pause=0.05)
    address = "annemarie.van.der.test@bibliotheek.nl"   # 38 characters: 22 showed
    term.type(address)
    line = next(ln for ln in term.wait_for(address).splitlines() if address in ln)
    assert line.lstrip().startswith("E-mail")


def test_enter_passes_the_address_the_table_filled_and_the_postcode_is_written_out(
        demo_terminal):
    term = demo_terminal()
    new_registration(term)
    for _ in range(7):                           # Tab to Postcode
        term.keys("Tab", pause=0.05)
    term.type("9468bg")
    term.keys("Enter")
    screen = term.wait_for("9468 BG")            # written out the moment it is left
    assert "9468bg" not in screen
    term.type("41")
    term.keys("Enter")
    term.wait_for("✓ postcodetabel")
    term.keys("Enter")                           # Toevoeging → Persoon, not Straat
    term.type("v")                               # would overwrite Plaats before the fix
    screen = term.wait_for("Vrouw")
    lines = {ln.split("  ")[0].strip(): ln for ln in screen.splitlines()}
    assert lines["Straat"].rstrip().endswith("Kruisakkers") or "Kruisakkers" in lines["Straat"]
    assert "ANNEN" in lines["Plaats"] and "v" not in lines["Plaats"].split("Plaats", 1)[1]


def test_messages_leave_the_receipt_preview_and_the_form_uncovered(demo_terminal):
    term = demo_terminal("--today", "2021-04-15")
    register_manual_customer(term, surname="Bon")
    term.keys("F10")
    screen = term.wait_for("Kassabon — opdracht")
    screen = term.wait_for("Kassabon geprint op de oefenprinter")
    rows = screen.splitlines()
    # The message is in the line above the footer, below the receipt box, which is whole
    # from its title to its bottom border; a toast covered the box's bottom right before.
    message = next(i for i, row in enumerate(rows) if "Kassabon geprint op de" in row)
    bottom = next(i for i, row in enumerate(rows) if "╰" in row)
    assert bottom < message and message >= 21, screen
    assert "│" not in rows[message], screen
    assert any("Totaal" in row for row in rows[:bottom]), screen


def test_the_mandates_document_dialog_has_klant_opzoeken(demo_terminal):
    term = demo_terminal()
    term.wait_for("OEFENOMGEVING", timeout=30)
    term.keys("C-z")                             # Zoek klant (direct): the manual's customer
    term.wait_for("Zoek klant (direct)")
    term.type("29401000075801")
    term.keys("Enter")
    term.wait_for("1.Klant")
    term.keys("F6")                              # Incassomachtiging
    term.wait_for("Incassomachtiging")
    term.keys("F5")                              # print a new mandate form
    term.wait_for("Geef de bankrekeninggegevens in")
    for _ in range(5):                           # the dialog takes the cursor once it is up
        term.keys("C-u")
        term.type("NL91ABNA0417164300")
        try:
            term.wait_for("IBAN rekeningnummer:     NL91ABNA0417164300", timeout=2)
            break
        except TerminalTimeout:
            continue
    term.keys("F10")
    term.wait_for("Machtiging — opdracht")       # the preview of the A4 form
    term.keys("Escape")
    term.wait_gone("Machtiging — opdracht")
    term.wait_for("nog niet verwerkt")
    term.keys("F6")                              # Verwerk machtiging
    screen = term.wait_for("Actor document uploaden")
    assert "Klant opzoeken" in screen
    term.keys("F4")                              # the code will not scan: look it up
    screen = term.wait_for("01 - Incassomachtiging")
    assert "van de Test" in screen and "6775" in screen
