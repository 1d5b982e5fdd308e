"""A minor registered with a guardian in a real terminal (tmux, 80x24): the 9-year-old's
guardian is linked by scanning the mother's card in the demo (Mw. S. de Boer); the activation
mail goes to the mother, and her record shows the child."""

from __future__ import annotations

import sqlite3

from tests.terminal.conftest import sandbox_of
from tests.terminal.test_demo_terminal import zoek_klant
from tui_desk.store.demo import DEMO_SPECIAL_CARDS

DAY = "2026-11-28"
MOTHER_EMAIL = "s.deboer@ziggo.example"


def test_register_a_nine_year_old_with_the_parents_card(demo_terminal, tmp_path):
    term = demo_terminal("--today", DAY)
    term.wait_for("OEFENOMGEVING", timeout=30)
    term.keys("C-n")
    term.wait_for("Klantgegevens (stap 1)")
    term.type("V")
    term.keys("Enter")
    term.wait_for("Nieuw pasnummer uitgegeven")
    for text in ("E", "de", "Boer", "Eva"):              # Voorletters … Roepnaam
        term.type(text)
        term.keys("Enter")
    screen = term.screen()
    assert "Ouder/verz. pas" not in screen               # asked only for a minor
    term.type("15-06-2017")                              # Geboortedatum: 9 years old
    term.keys("Enter")
    term.wait_for("Ouder/verz. pas")                     # the cursor goes to the card
    term.type(DEMO_SPECIAL_CARDS["ouder"])               # scan the mother's card
    term.keys("Enter")
    screen = term.wait_for("Mw. S. de Boer")             # who was scanned, next to the card
    assert "E-mail ouder/verz." not in screen            # a linked guardian: nothing to type
    term.type("moeder")
    term.keys("Enter", "Enter")                          # Relatie, Land
    term.type("9468 BG")
    term.keys("Enter")
    term.type("47")
    term.keys("Enter")
    term.wait_for("✓ postcodetabel")                     # Straat and Plaats are filled:
    term.keys("Enter")                                   # Enter passes them (Toevoeging)
    term.type("m")                                       # Persoon: Man
    term.keys("F10")                                     # no e-mail of her own: the mother's
    screen = term.wait_for("stap 2)")
    term.keys("F10")                                     # Nieuw inlogaccount genereren
    term.wait_for("Abonnement (stap 3)")
    term.keys("F10")
    term.wait_for("Genereren van inlogaccount gelukt")

    db = sqlite3.connect(sandbox_of(tmp_path))          # the trainee's own copy
    try:
        rows = db.execute(
            "SELECT m.to_addr, m.body_text FROM mail_outbox m JOIN customers c"
            " ON c.id = m.customer_id WHERE m.kind = 'activation' AND c.first_name = 'Eva'"
        ).fetchall()
    finally:
        db.close()
    [(to_addr, body)] = rows
    assert to_addr == MOTHER_EMAIL
    assert "Beste Mw. S. de Boer" in body and "Eva de Boer (u bent ouder/verzorger)" in body

    term.keys("Enter")                                   # naar de klant: Eva's record
    screen = term.wait_for("Ouder/verzorger")
    assert "Mw. S. de Boer (moeder)" in screen and DEMO_SPECIAL_CARDS["ouder"] in screen
    term.keys("F12")
    term.wait_gone("Ouder/verzorger")
    screen = zoek_klant(term, DEMO_SPECIAL_CARDS["ouder"], "Ouder/verz. van")
    assert "E. de Boer" in screen and "D. de Boer" in screen    # Eva, and Daan of the demo
