"""Issue 13 in a real terminal: a byte that is not UTF-8 (an ë from a Latin-1 terminal) does not
end the session; it becomes U+FFFD in the field and the message line says why (finding 7)."""

from __future__ import annotations


def test_a_byte_that_is_not_utf8_is_replaced_not_fatal(demo_terminal):
    term = demo_terminal()
    term.wait_for("OEFENOMGEVING", timeout=30)
    term.keys("C-n")
    term.wait_for("Klantgegevens (stap 1)")
    term.keys("Enter")                          # Klantnummer: leave it empty, on to Voorletters
    term.keys("Tab", "Tab")                     # Voorvoegsel, Achternaam
    term.type("Lo")
    term.hex("eb")                              # ë in Latin-1: not UTF-8
    term.type("we")
    term.wait_for("onleesbaar binnen")              # the message line says why
    assert not term.exited()
    term.keys("Escape")                         # the session goes on
    term.wait_for("Inschrijving onderbroken")
    assert not term.exited()
