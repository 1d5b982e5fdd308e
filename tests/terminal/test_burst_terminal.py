"""A whole registration sent as one burst of keys gets what the same keys typed slowly get
(issue 13, "Type-ahead is kept").

Ctrl+N, a scanned card number, every field of step 1, F10, the tariff, F10, the done screen,
the tendered amount, F10, the receipt preview closed, the record: first typed as a person
would — screen by screen, a key at a time — then, on a fresh copy of the same training
database, the very same keys in one ``tmux send-keys`` (one write to the terminal, as a fast
SSH packet or a scanner delivers them, without waiting for any screen). The stored customer,
address, card, subscription, invoice and payment must be the same.

The burst closes the receipt preview with Enter, not Escape: an Escape followed at once by more
bytes is, to any terminal program, the start of an Alt+key sequence.

These tests take 20-40 s each: a whole registration typed at a human pace is the reference.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.terminal.conftest import sandbox_of
from tests.terminal.test_registration_terminal import MANUAL_DAY
from tests.terminal.tmux import TerminalTimeout, Tmux
from tui_desk.rules.cards import make

# A blank card of the branch, far ahead of the numbers the training database has issued:
# scanned, it is free in every copy.
CARD = make("9401", 9000).number
MOMENT = f"{MANUAL_DAY}T10:00"
TENDERED = "60"

# What a registration stores: the customer's row and the rows of the tables that point at
# the customer; the columns that differ between two runs for reasons other than the keys (when
# it happened, row ids) are left out.
TABLES = ("customers", "addresses", "cards", "subscription_periods", "invoices", "payments",
          "consents", "communication_preferences", "guardians", "open_registrations",
          "contribution_letters", "mandates", "customer_logins")


def _varies(column: str) -> bool:
    return (column == "id" or column.endswith("_id") or column.endswith("_at")
            or column in ("at", "created", "updated", "recorded", "timestamp"))


def stored(path: Path, surname: str = "Burst") -> dict[str, list[tuple]]:
    """What the database holds about the registered customer."""
    db = sqlite3.connect(path)
    try:
        [(customer_id,)] = db.execute("SELECT id FROM customers WHERE surname = ?",
                                      (surname,)).fetchall()
        result: dict[str, list[tuple]] = {}
        for table in TABLES:
            columns = [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
            key = "id" if table == "customers" else "customer_id"
            if key not in columns:
                continue
            kept = ", ".join(c for c in columns if not _varies(c))
            rows = db.execute(f"SELECT {kept} FROM {table} WHERE {key} = ?",
                              (customer_id,)).fetchall()
            result[table] = sorted(rows, key=repr)
        allocated = db.execute(
            "SELECT a.amount_cents FROM payment_allocations a JOIN payments p "
            "ON p.id = a.payment_id WHERE p.customer_id = ?", (customer_id,)).fetchall()
        result["payment_allocations"] = sorted(allocated)
        return result
    finally:
        db.close()


def step_1_keys() -> list[str]:
    """Klantgegevens in the manual's order (tmux key names and literal text)."""
    return [
        CARD, "Enter",                          # Klantnummer: the scanner sends digits + Enter
        "A", "Enter", "van der", "Enter", "Burst", "Enter",
        "Enter",                                # Roepnaam
        "1 januari 1991", "Enter",
        "Enter",                                # Land: Nederland
        "9468 BG", "Enter", "41", "Enter",
        "Enter",                                # Toevoeging; Straat and Plaats are passed by
        "v", "Enter",                           # Persoon: Vrouw
        "Enter", "Enter", "Enter", "Enter",     # Telefoon, SMS-nummer, Sepa incasso, IBAN
        "Enter",                                # Legitimatie
        "n", "Enter",                           # Gebruik inlogaccount: Nee
        "Tab", "j",                             # E-mailadres: [Leeg]
    ]


def after_tariff_keys(downs: int) -> list[str]:
    return [
        *(["Down"] * downs), "Enter", "F10",    # Abonnement: Basis (0045), Opslaan
        "Enter",                                # Klant ingeschreven
        TENDERED, "F10",                        # Afrekenen: € 60,00 ontvangen, contant
        "Enter",                                # the receipt preview (training printer)
        "Enter",                                # on to the new customer's record
    ]


def type_slowly(term: Tmux) -> int:
    """A person at the desk: each screen read before typing on it, a key at a time. Returns the
    number of Down presses that reached Basis in step 3."""
    term.wait_for("OEFENOMGEVING", timeout=30)
    term.keys("C-n")
    term.wait_for("Klantgegevens (stap 1)")
    for item in step_1_keys():
        _one(term, item)
    term.keys("F10")
    term.wait_for("Abonnement (stap 3)")          # no login account: step 2 is skipped
    term.wait_for("Opbouw abonnementskosten")
    downs = 0
    while True:
        try:
            term.wait_for("Tariefcode   0045", timeout=0.8)
            break
        except TerminalTimeout:
            downs += 1
            assert downs < 15, term.screen()
            _one(term, "Down")
    rest = iter(after_tariff_keys(downs)[downs:])
    shown_after = ["Gekozen: 0045", "Klant ingeschreven", "AFREKENEN NIEUWE LENER",
                   "Teruggave € ", "Kassabon — opdracht"]
    # The list first: zip stops at its end without taking one more key from ``rest``.
    for then_shown, item in zip(shown_after, rest, strict=False):
        _one(term, item)
        term.wait_for(then_shown)
    _one(term, next(rest))                        # Enter: the preview closes
    term.wait_gone("Kassabon — opdracht")
    _one(term, next(rest))                        # Enter: the record
    term.wait_for("1.Klant")
    assert next(rest, None) is None
    return downs


def _one(term: Tmux, item: str) -> None:
    """One key, or one word typed a character at a time, at a human pace."""
    if item in ("Enter", "Tab", "Down", "F10") or item.startswith("C-"):
        term.keys(item, pause=0.2)
    else:
        for char in item:
            term.type(char)


def send_as_one_burst(term: Tmux, downs: int) -> None:
    """The same keys in one write to the terminal, Ctrl+N included; nothing waits."""
    term.wait_for("OEFENOMGEVING", timeout=30)
    term.wait_for("Zoek klant")
    term.burst("C-n", *step_1_keys(), "F10", *after_tariff_keys(downs))
    term.wait_for("1.Klant", timeout=40)
    term.wait_for("A. van der Burst")


def test_a_whole_registration_as_one_burst_stores_what_slow_typing_stores(demo_terminal,
                                                                       tmp_path):
    # Both runs start at 10:00 on the manual's day: neither crosses midnight halfway.
    slow = demo_terminal("--today", MOMENT)
    downs = type_slowly(slow)
    slow.close()
    expected = stored(sandbox_of(tmp_path))
    assert [row[0] for row in expected["cards"]] == [CARD]
    assert len(expected["subscription_periods"]) == 1 and len(expected["payments"]) == 1

    other = tmp_path / "burst"
    other.mkdir()
    fast = demo_terminal("--today", MOMENT, "--db", str(other / "demo.sqlite3"))
    send_as_one_burst(fast, downs)
    assert stored(sandbox_of(other)) == expected


def test_the_same_burst_over_ssh(demo_terminal, ssh_session, tmp_path):
    """Over the real sshd: the keys travel as one SSH packet stream, the program runs under
    the shipped wrapper. The reference is typed slowly in a local terminal on the same day."""
    # The wrapper runs the program in the library's time zone: its "today" (near midnight UTC
    # it is not the test's).
    zone = ZoneInfo(ssh_session.program_environment()["TZ"])
    now = dt.datetime.now(zone)
    midnight = dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time(), tzinfo=zone)
    if (midnight - now).total_seconds() < 180:
        # Both runs on one day: the program over SSH keeps the real clock. (Once a day at
        # most, a run waits the few minutes to midnight.)
        time.sleep((midnight - now).total_seconds() + 1)
    today = dt.datetime.now(zone).date().isoformat()
    local = tmp_path / "local"
    local.mkdir()
    slow = demo_terminal("--today", today, "--db", str(local / "demo.sqlite3"))
    downs = type_slowly(slow)
    slow.close()
    expected = stored(sandbox_of(local))

    send_as_one_burst(ssh_session.terminal, downs)
    assert stored(ssh_session.demo_db) == expected
