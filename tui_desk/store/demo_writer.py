"""Writes the demo database: loads the reference tables, hands them to the pure generator
(``store.demo_generator``) and inserts the rows it returns, all in one transaction."""

from __future__ import annotations

import datetime as dt

from tui_desk.config import Config
from tui_desk.store import privacy
from tui_desk.store.branches import sync_branches
from tui_desk.store.db import DEMO, Database, StoreError
from tui_desk.store.demo import DEMO_SPECIAL_CARDS, load_names
from tui_desk.store.demo_generator import DemoGenerator
from tui_desk.store.demo_mandates import seed_demo_mandates
from tui_desk.store.demo_world import DemoRows, PostcodeRange, World
from tui_desk.store.dialect_check import is_sqlite
from tui_desk.store.postcodes import load_postcodes
from tui_desk.store.tariffs import load_tariffs


def write_demo(db: Database, config: Config, clock_today: dt.date, *, customers: int,
               rng_seed: int, now: dt.datetime | None) -> int:
    """``store.demo.seed_demo``: fill an empty demo database in one transaction."""
    if db.environment != DEMO:
        raise StoreError("Alleen een oefendatabase (OEFENOMGEVING) kan met demoklanten worden "
                         "gevuld.")
    if customers < 10:
        raise ValueError("customers must be at least 10")
    generator = DemoGenerator(rng_seed)
    staff = generator.staff(config)  # scrypt is slow: hash before taking the write lock
    with db.transaction():
        if db.scalar("SELECT count(*) FROM customers"):
            raise StoreError("De oefendatabase bevat al klanten; gebruik 'opnieuw opbouwen'.")
        sync_branches(db, config)
        load_tariffs(db)
        load_postcodes(db)
        db.executemany(
            "INSERT INTO staff (username, name, branch_code, roles, pin_hash)"
            " VALUES (?, ?, ?, ?, ?)"
            " ON CONFLICT(username) DO UPDATE SET name = excluded.name,"
            " branch_code = excluded.branch_code, roles = excluded.roles,"
            " pin_hash = excluded.pin_hash, failed_attempts = 0, locked_until = NULL,"
            " active = 1",
            staff,
        )
        rows = generator.customers(_world(db, config, clock_today), customers)
        _insert(db, rows)
        if not is_sqlite(db):
            # The customers came with their ids: PostgreSQL's identity goes on after them.
            db.scalar("SELECT setval(pg_get_serial_sequence('customers', 'id'),"
                      " (SELECT max(id) FROM customers))")
        seed_demo_mandates(db, config, clock_today)
        _seed_privacy(db, clock_today)
        db.set_setting("demo_seeded_at",
                       (now or dt.datetime.now()).replace(microsecond=0).isoformat())
        db.set_setting("demo_today", clock_today.isoformat())
        db.set_setting("demo_rng_seed", str(rng_seed))
    return len(rows.customers)


def _world(db: Database, config: Config, today: dt.date) -> World:
    """The loaded reference tables, as the generator reads them."""
    staff_ids: dict[str, list[int]] = {}
    for row in db.all("SELECT id, branch_code FROM staff"):
        staff_ids.setdefault(row["branch_code"], []).append(row["id"])
    tariffs = {r["code"]: (r["period_unit"], r["period_length"], r["strips"])
               for r in db.all("SELECT code, period_unit, period_length, strips FROM tariffs")}
    prices: dict[tuple[str, str], list[tuple[str, int]]] = {}
    for r in db.all("SELECT tariff_code, audience, valid_from, price_cents FROM tariff_prices"
                    " ORDER BY valid_from"):
        prices.setdefault((r["tariff_code"], r["audience"]), []).append(
            (r["valid_from"], r["price_cents"]))
    postcodes = [PostcodeRange(*r) for r in db.all(
        "SELECT postcode, min_number, max_number, parity, street, place, region"
        " FROM postcodes ORDER BY postcode, min_number, parity")]
    return World(config=config, today=today, names=load_names(), tariffs=tariffs,
                 prices=prices, postcodes=postcodes, staff_ids=staff_ids,
                 first_id=(db.scalar("SELECT max(id) FROM customers") or 0) + 1)


def _insert(db: Database, rows: DemoRows) -> None:
    db.executemany(
        "INSERT INTO customers (id, actor_id, kind, gender, initials, prefix, surname, first_name,"
        " search_name, birth_date, phone, sms, email, newsletter, id_checked, use_login,"
        " loan_history, notify_loaned_before, selection, branch_code, registered_on,"
        " last_activity, items_on_loan, strips, balance_cents, created_at, updated_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows.customers,
    )
    db.executemany(
        "INSERT INTO addresses (customer_id, street, house_number, house_suffix, postcode, place,"
        " region) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows.addresses,
    )
    db.executemany(
        "INSERT INTO cards (number, customer_id, branch_code, status, issued_on, blocked_on,"
        " reason) VALUES (?, ?, ?, ?, ?, ?, ?)",
        rows.cards,
    )
    db.executemany(
        "INSERT INTO subscription_periods (customer_id, tariff_code, instance, branch_code,"
        " start_date, end_date, status, amount_cents, discount_cents, created_at, ended_on,"
        " end_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows.periods,
    )
    db.executemany(
        "INSERT INTO notices (customer_id, slot, text, private, created_at, staff_id)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        rows.notices,
    )
    db.executemany(
        "UPDATE branches SET card_seq = max(card_seq, ?) WHERE code = ?",
        rows.card_seq,
    )


def _seed_privacy(db: Database, today: dt.date) -> None:
    """The privacy examples (README "Privacy"), inside the seeding transaction: every consent
    flag as a consent record, Daan's guardian, Sanne's withdrawn newsletter consent, Piet's
    block and the anonymised former customer."""
    for kind, flag in privacy.CONSENT_FLAGS.items():
        db.execute(f"INSERT INTO consents(customer_id, kind, given_at, method) SELECT id, ?,"
                   f" registered_on || 'T10:00:00', 'balie' FROM customers WHERE {flag} = 1",
                   (kind,))

    def customer(key: str) -> int:
        return int(db.scalar("SELECT customer_id FROM cards WHERE number = ?",
                             (DEMO_SPECIAL_CARDS[key],)))

    staff = db.scalar("SELECT id FROM staff WHERE username = 'balie'")
    at = dt.datetime.combine(today - dt.timedelta(days=60), dt.time(11, 5))
    mother, child = customer("ouder"), customer("kind")
    privacy.insert_guardian(db, customer_id=child, guardian_customer_id=mother, name="",
                            relation="moeder", phone="", email="", at=at, staff_id=staff)
    consent = privacy.insert_consent(db, customer_id=mother, kind="nieuwsbrief", at=at,
                                     staff_id=staff, method="formulier", by_guardian=False)
    privacy.withdraw_consent(db, consent, customer_id=mother, kind="nieuwsbrief",
                             at=at + dt.timedelta(days=30), staff_id=staff, method="balie")
    privacy.insert_consent(db, customer_id=child, kind="leenhistorie", at=at, staff_id=staff,
                           method="balie", by_guardian=True)
    privacy.insert_block(db, customer_id=customer("blokkade"), type="gedrag",
                         reason="Herhaaldelijk onbeschoft tegen medewerkers",
                         start=today - dt.timedelta(days=3), end=today + dt.timedelta(days=30),
                         staff_id=staff, at=at)
    former = customer("oud_lid")
    actor = db.scalar("SELECT actor_id FROM customers WHERE id = ?", (former,))
    privacy.anonymise(db, former, pseudonym=f"Geanonimiseerd {actor}", day=today,
                      at=dt.datetime.combine(today, dt.time(3, 0)))

