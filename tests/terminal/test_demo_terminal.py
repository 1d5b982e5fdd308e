"""The demo in a real terminal: find the manual's customer by card and by name, read the record.

These tests start the real program (seeding its training database first), so each takes a few
seconds: they are the proof that the keys work through a terminal, not only in Pilot.
"""

from __future__ import annotations


def zoek_klant(term, query: str, wait: str) -> str:
    """Alt+Z, type the query (a scan or a name), Enter; the screen once ``wait`` shows."""
    term.keys("M-z")
    term.wait_for("pasnummer, achternaam")
    term.type(query)
    term.keys("Enter")
    return term.wait_for(wait)


def assert_manual_header(screen: str) -> None:
    """The manual's record header for Mw. A. van de Test."""
    assert "29401000075801 [381847] 9401 (Annen) Basis" in screen
    assert "Gefactureerd t/m April 2022" in screen
    assert "Mw. A. van de Test" in screen
    assert "geboortedatum 01-01-1991" in screen
    assert "Kruisakkers 41" in screen and "9468 BG ANNEN" in screen
    assert "OEFENOMGEVING" in screen


def test_find_the_manuals_customer_by_card_and_by_surname(demo_terminal):
    term = demo_terminal()
    screen = term.wait_for("OEFENOMGEVING", timeout=20)
    assert "Klanten" in screen
    term.wait_for("Zoek klant")

    # Alt+Z, scan the card: one hit opens the record at once.
    assert_manual_header(zoek_klant(term, "29401000075801", "[381847]"))

    # F12 ends the session with this customer; find her again by surname with prefix.
    term.keys("F12")
    term.wait_gone("[381847]")
    screen = zoek_klant(term, "van de Test", "Mw. A. van de Test")
    assert "29401000075801" in screen


def test_markup_and_escape_sequences_in_names_show_literally(demo_terminal):
    term = demo_terminal()
    term.wait_for("OEFENOMGEVING", timeout=20)
    screen = zoek_klant(term, "29401000075819", "[b]Test[/b]")
    assert "29401000075819 [" in screen

    # ESC [31m in a surname: shown as ^[[31m, never executed by the terminal.
    term.keys("F12")
    screen = zoek_klant(term, "29401000075827", "^[[31mRood")
    assert "29401000075827 [" in screen


def test_sixteen_colours_and_the_linux_console(demo_terminal):
    for term_name, colours in (("xterm", "standard"), ("linux", "standard")):
        term = demo_terminal(term=term_name, env={"TEXTUAL_COLOR_SYSTEM": colours})
        term.wait_for("OEFENOMGEVING", timeout=20)
        term.wait_for("Zoek klant")
        term.keys("M-z")
        term.wait_for("pasnummer, achternaam")
        term.close()
