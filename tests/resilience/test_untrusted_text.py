"""Issue 13: every piece of stored text shown on any screen or CLI listing passes the one
``printable()`` filter and is never read as markup.

One test builds a training database, fills every free-text column of every table with text that
carries terminal escape sequences, C1 controls and Textual/Rich markup, then opens the screens
and dialogs (with the app's own keys and actions) and the CLI listings, and looks at what they
put out: no ESC, BEL or C1 character from the data in the rendered segments, no link or click
action from the data in their styles, and the markup shown as the literal text it is.

Which columns get the hostile text is discovered, not listed (``free_text_columns``):
every TEXT column of every table (``sqlite_master`` / ``PRAGMA table_info``), except
- keys: a column of the primary key, of a foreign key, or of a UNIQUE index (card numbers,
  usernames, branch codes: other rows point to them);
- values the program parses: a column whose name says date/time, amount, IBAN/BIC, number,
  code, hash/token, or an enum (status, kind, type, method, channel, ...), see ``STRUCTURED``,
  or whose every value is a date, a time or a number (``parses``);
- columns the schema itself constrains: the UPDATE that would write the hostile text fails
  with a CHECK constraint (``CHECK (status IN (...))``), and the column keeps its value.
JSON columns (the audit log's before/after, a draft's data) keep parsing: their string values
under free-text keys get the hostile text.

The test takes long (about 10 s idle, more under load): it is one walk through some forty
screens, dialogs and CLI commands on one database, which is cheaper than forty set-ups.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import re
import sqlite3

import pytest

from tui_desk.app import TuiDeskApp
from tui_desk.cli import main as cli_main
from tui_desk.clock import FixedClock
from tui_desk.config import PrintingSettings, ScanningSettings, demo_config
from tui_desk.services import followups, printing
from tui_desk.services import settlement as settlement_svc
from tui_desk.services.desk import Desk
from tui_desk.services.registration import RegistrationService
from tui_desk.store import outbox
from tui_desk.store import staff as staff_store
from tui_desk.store.db import open_database
from tui_desk.store.demo import DEMO_SPECIAL_CARDS, seed_demo

DAY = dt.date(2026, 11, 28)
NOW = dt.datetime(2026, 11, 28, 10, 0)
MARKUP = "[b]B[/b][link=https://evil.invalid]L[/link][@click=app.quit]Q[/]"
HOSTILE = "\x1b[2J\x1b]0;x\x07\x9b31m\x85" + MARKUP
SHORT = "\x1b[2J\x9b[b]B[/b]"
# Characters that must never reach the terminal from the data: ESC, BEL, CSI/NEL (C1).
FORBIDDEN = re.compile("[\x1b\x07\x80-\x9f]")

# Column names whose values the program parses (keep them valid).
STRUCTURED = re.compile(
    r"(^|_)(at|on|date|from|until|since|day)$|date|iban|bic|postcode|number|code|hash|token|"
    r"sha256|status|kind|type|method|channel|gender|roles?$|^step$|parity|unit|category|"
    r"audience|selections?$|instance|section|language|country|region|^data$|^before$|^after$|"
    r"options|^value$|^key$|session|message_id|end_to_end|kenmerk|request_key|^origin$|"
    r"^printer$|^workstation$|^search_name$|^entity|^action$|file_name|file_type|source|"
    r"^closed_how$|^sequence_type$|postal_status|^collection$|reason_code|^relation$")
JSON_COLUMNS = {("audit_log", "before"), ("audit_log", "after"),
                ("registration_drafts", "data")}


# -- the database -----------------------------------------------------------------------------
def keys_of(conn: sqlite3.Connection, table: str) -> set[str]:
    keys = {r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[5]}
    keys |= {r[3] for r in conn.execute(f"PRAGMA foreign_key_list({table})")}
    for index in conn.execute(f"PRAGMA index_list({table})"):
        if index[2]:  # unique
            keys |= {r[2] for r in conn.execute(f"PRAGMA index_info({index[1]})")}
    # Columns other tables point to.
    for (other,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
        for fk in conn.execute(f"PRAGMA foreign_key_list({other})"):
            if fk[2] == table and fk[4]:
                keys.add(fk[4])
    return keys


SHAPED = re.compile(r"[\d\s.,:+-]*|\d{4}-\d{2}-\d{2}([T ][\d:.]+)?")


def parses(conn: sqlite3.Connection, table: str, column: str) -> bool:
    """Every value the column holds is a date, a time or a number (whatever its name)."""
    values = [r[0] for r in conn.execute(
        f'SELECT DISTINCT "{column}" FROM {table} WHERE "{column}" IS NOT NULL LIMIT 200')]
    return bool(values) and all(SHAPED.fullmatch(str(v)) for v in values)


def free_text_columns(conn: sqlite3.Connection) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    tables = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
    for table in tables:
        keys = keys_of(conn, table)
        for _cid, name, kind, *_rest in conn.execute(f"PRAGMA table_info({table})"):
            if "TEXT" not in (kind or "TEXT").upper() or name in keys:
                continue
            if (table, name) in JSON_COLUMNS:
                found.setdefault(table, []).append(name)
            elif not STRUCTURED.search(name) and not parses(conn, table, name):
                found.setdefault(table, []).append(name)
    return found


def hostile_json(value: object, key: str = "") -> object:
    if isinstance(value, dict):
        return {k: hostile_json(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [hostile_json(v, key) for v in value]
    if isinstance(value, str) and value and not STRUCTURED.search(key) \
            and not SHAPED.fullmatch(value):
        return value + HOSTILE
    return value


def fill_hostile(path) -> dict[str, list[str]]:
    """Append the hostile text to every free-text value; returns what was filled."""
    conn = sqlite3.connect(path, isolation_level=None)
    filled: dict[str, list[str]] = {}
    try:
        for table, columns in free_text_columns(conn).items():
            for column in columns:
                if (table, column) in JSON_COLUMNS:
                    rows = conn.execute(f'SELECT rowid, "{column}" FROM {table}').fetchall()
                    for rowid, text in rows:
                        with contextlib.suppress(ValueError, TypeError):
                            conn.execute(f'UPDATE {table} SET "{column}" = ? WHERE rowid = ?',
                                         (json.dumps(hostile_json(json.loads(text))), rowid))
                    filled.setdefault(table, []).append(column)
                    continue
                where = f'WHERE "{column}" IS NOT NULL AND "{column}" != \'\''
                try:
                    conn.execute(f'UPDATE {table} SET "{column}" = "{column}" || ? {where}',
                                 (HOSTILE,))
                except sqlite3.IntegrityError:
                    try:   # a length limit (a notice has 60 characters): the short form
                        conn.execute(f'UPDATE {table} SET "{column}" = '
                                     f'substr("{column}", 1, 10) || ? {where}', (SHORT,))
                    except sqlite3.IntegrityError:
                        continue   # the schema constrains it (CHECK ... IN): must parse
                filled.setdefault(table, []).append(column)
    finally:
        conn.close()
    return filled


@pytest.fixture
def hostile(tmp_path, monkeypatch):
    for name in ("TUI_DESK_WORKSTATION", "SSH_CONNECTION", "SSH_CLIENT"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    base = demo_config()
    config = dataclasses.replace(
        base, library=dataclasses.replace(base.library, name=base.library.name + HOSTILE),
        scanning=ScanningSettings(inbox=inbox),
        printing=PrintingSettings(tries=1, retry_delay=0, timeout=0.3,
                                  demo_folder=tmp_path / "demo"))
    path = tmp_path / "demo.sqlite3"
    db = open_database(path, environment="demo")
    seed_demo(db, base, DAY, customers=20, now=NOW)
    clock = FixedClock(NOW)
    staff = staff_store.by_username(db, "beheer")
    manual = db.scalar("SELECT customer_id FROM cards WHERE number = ?",
                       (DEMO_SPECIAL_CARDS["manual"],))
    # Something in the tables that start empty: a payment and a cash-up, an amount kept open
    # (a notice, an open registration), a mail, a print job, an unfinished registration.
    followups.keep_open(db, clock, staff, config, manual, followups.PAYMENT, "Geen pin")
    session = settlement_svc.session(db, clock, staff, manual, config=config)
    register = session.register
    settlement_svc.cash_up(db, clock, staff, register, 0, "Kas geteld", config=config)
    mail = outbox.enqueue(db, now=NOW, to_addr="a.test@example.nl", subject="Welkom",
                          body_text="Beste klant,\nwelkom bij de bibliotheek.", kind="welkom",
                          customer_id=manual)
    outbox.mark_parked(db, mail, "550 onbekende ontvanger", NOW)
    here = printing.resolve_workstation(config, {}, demo=True)
    printing.print_klantbon(db, clock, config, here, manual)
    this_session = Desk(config=config, db=db, demo=True, clock=clock, staff=staff).session
    service = RegistrationService(db, clock, staff, config, session=this_session)
    draft = service.start()
    for name, value in (("initials", "K"), ("surname", "Klaassen"),
                        ("birth_date", "01-02-1990")):
        service.set(draft, name, value)
    db.close()
    filled = fill_hostile(path)
    db = open_database(path, environment="demo")
    staff = staff_store.by_username(db, "beheer")     # with the name as it is stored now
    yield config, db, clock, staff, manual, filled, path
    db.close()


# -- what the terminal gets -------------------------------------------------------------------
@dataclasses.dataclass
class Seen:
    screens: list[str] = dataclasses.field(default_factory=list)
    literal_markup: int = 0     # screens that show the markup as text
    leaks: list[str] = dataclasses.field(default_factory=list)


def check_screen(app: TuiDeskApp, where: str, seen: Seen) -> None:
    strips = app.screen._compositor.render_strips()
    for row, strip in enumerate(strips):
        for segment in strip:
            if segment.control:
                continue   # Textual's own (cursor moves): not text from the data
            if FORBIDDEN.search(segment.text):
                seen.leaks.append(f"{where}, row {row}: {segment.text!r}")
            style = segment.style
            if style is not None and ("evil.invalid" in (style.link or "")
                                      or "app.quit" in repr(style.meta)):
                seen.leaks.append(f"{where}, row {row}: markup from the data: "
                                  f"{segment.text!r}")
    text = "\n".join(strip.text for strip in strips)
    literal = "[b]" in text or "[link=" in text or "[@click" in text
    seen.literal_markup += literal
    seen.screens.append(where + (" *" if literal else ""))


async def settle(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def back_to(pilot, screen_class: type) -> None:
    for _ in range(5):
        if isinstance(pilot.app.screen, screen_class):
            return
        await pilot.press("escape")
        await settle(pilot)
    assert isinstance(pilot.app.screen, screen_class), type(pilot.app.screen).__name__


async def test_no_escape_sequence_nor_markup_from_the_data_reaches_the_terminal(
        hostile, capsys):
    from tui_desk.screens.customer import TABS, CustomerScreen
    from tui_desk.screens.main import MainScreen

    config, db, clock, staff, manual, filled, path = hostile
    # The discovery found the columns that hold people's and staff's text.
    for table, column in (("customers", "surname"), ("staff", "name"), ("branches", "name"),
                          ("addresses", "street"), ("notices", "text"),
                          ("mail_outbox", "subject"), ("print_jobs", "label"),
                          ("open_followups", "reason"), ("cash_ups", "note"),
                          ("registration_drafts", "data"), ("audit_log", "after")):
        assert column in filled.get(table, []), (table, column)
    assert "status" not in filled.get("cards", []) and "number" not in filled.get("cards", [])

    seen = Seen()
    desk = Desk(config=config, db=db, demo=True, clock=clock, staff=staff)
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        # The unfinished registration is offered first (its name from the draft); Enter goes
        # on with it: step 1 with the stored values in its fields.
        check_screen(app, type(app.screen).__name__, seen)
        await pilot.press("enter")
        await settle(pilot)
        check_screen(app, f"resumed ({type(app.screen).__name__})", seen)
        await pilot.press("f12")
        await settle(pilot)
        await back_to(pilot, MainScreen)
        check_screen(app, "MainScreen", seen)

        async def visit(where: str, *keys: str, action: str | None = None,
                        back: type = MainScreen) -> None:
            if action:
                await app.run_action(action)
            await pilot.press(*keys)
            await settle(pilot)
            check_screen(app, f"{where} ({type(app.screen).__name__})", seen)
            await back_to(pilot, back)

        await visit("help", "f1")
        await visit("menu Klanten", "alt+k")
        await visit("menu Financieel", "alt+c")
        await visit("menu Oefeningen", "alt+e")
        await visit("Kas", action="kas")
        await visit("Printwachtrij", action="printwachtrij")
        await app.run_action("printwachtrij")
        await settle(pilot)
        await visit("Afdrukvoorbeeld", "v", back=type(app.screen))
        await back_to(pilot, MainScreen)
        await visit("Onbekende scans", action="onbekende_scans")
        await visit("Berichten", "down", "up", action="berichten")
        await visit("Openstaande inschrijvingen", "down", action="openstaande_inschrijvingen")
        await visit("Oefening", "f5", "f10", action="oefening('01-volwassene-pin')")
        await visit("Inschrijven stap 1", "ctrl+n")

        # Zoek klant: the list, then the record and each of its tabs and dialogs.
        await pilot.press("alt+z")
        await settle(pilot)
        app.focused.insert_text_at_cursor("Test")
        await pilot.press("enter")
        await settle(pilot)
        check_screen(app, "Zoek klant", seen)
        await back_to(pilot, MainScreen)
        app.open_customer(manual)
        await settle(pilot)
        check_screen(app, f"record opened ({type(app.screen).__name__})", seen)
        await back_to(pilot, CustomerScreen)     # past the pop-up of a private notice
        record = app.screen
        assert isinstance(record, CustomerScreen)
        for tab, _title, _key in TABS:
            record.action_show_tab(tab)
            await settle(pilot)
            check_screen(app, f"record tab {tab}", seen)
        for key in ("alt+m", "f7", "f6", "f8", "alt+o", "alt+n", "alt+v", "alt+r", "ctrl+p",
                    "alt+w", "alt+p"):
            await visit(f"record {key}", key, back=CustomerScreen)
        await pilot.press("f12")
        await settle(pilot)
        assert app.is_running
    assert len(seen.screens) >= 30
    assert seen.literal_markup >= 5, seen.screens

    # Signing in: the login that is not mapped is shown too.
    desk = Desk(config=config, db=db, demo=True, clock=clock, login="piet" + HOSTILE)
    app = TuiDeskApp(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        check_screen(app, "SignInScreen", seen)

    # The CLI listings.
    capsys.readouterr()
    card = DEMO_SPECIAL_CARDS["manual"]
    for argv in (["staff", "list"], ["tariffs", "list"], ["mail", "list", "--queued"],
                 ["print", "jobs", "--all"], ["customer", "export", card], ["doctor"],
                 ["demo", "exercises"], ["demo", "progress"]):
        cli_main(["--demo", "--db", str(path), *argv])
        out = capsys.readouterr()
        printed = out.out + out.err
        for line in printed.splitlines():
            if FORBIDDEN.search(line):
                seen.leaks.append(f"tui-desk {' '.join(argv)}: {line!r}")
        assert "[b]B[/b]" in printed or argv[0] in ("demo", "doctor"), argv
    assert not seen.leaks, "\n".join(seen.leaks)
