"""Privacy by design (AVG) and minors: guardian, consents, preferences, blocks, inzage,
uitschrijven, anonymisation and retention (services/privacy.py)."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.factories import make_customer, make_staff
from tui_desk.clock import FixedClock
from tui_desk.config import PrivacySettings, Workstation
from tui_desk.services import mandates, printing, settlement
from tui_desk.services import privacy as svc
from tui_desk.services.registration import LOGIN_GENERATED, RegistrationService
from tui_desk.store import audit
from tui_desk.store import privacy as store
from tui_desk.store.postcodes import load_postcodes
from tui_desk.store.tariffs import load_tariffs

PARENT_EMAIL = "m.zwaluwstaart@example.org"
IBAN = "NL91ABNA0417164300"


@pytest.fixture
def staff(db):
    load_tariffs(db)
    load_postcodes(db)
    return make_staff(db, name="J. de Balie")


def parent(db) -> tuple[int, str]:
    cid = make_customer(db, surname="Zwaluwstaart", initials="M.", gender="V",
                        email=PARENT_EMAIL, birth_date="1985-03-03")
    card = db.scalar("SELECT number FROM cards WHERE customer_id = ?", (cid,))
    return cid, card


def register(db, clock, staff, config, **values) -> int:
    service = RegistrationService(db, clock, staff, config)
    draft = service.start()
    service.issue_card(draft)
    fields = {"initials": "K", "surname": "Zwaluwstaart", "first_name": "Kees",
              "birth_date": "01-02-2017", "postcode": "9468 BG", "house_number": "41",
              "gender": "M"}
    fields.update(values)
    for name, value in fields.items():
        service.set(draft, name, value)
    service.lookup_address(draft)
    service.finish_customer_step(draft, duplicates_seen=True)
    if fields.get("use_login", "Ja") == "Ja":
        service.choose_login(draft, LOGIN_GENERATED)
    tariff = next(c.code for c in service.tariff_choices(draft) if c.allowed)
    return service.register(draft, tariff).customer_id


# -- 1. ouder/verzorger ------------------------------------------------------------
def test_a_minor_cannot_leave_step_1_without_a_guardian(db, clock, staff, config):
    service = RegistrationService(db, clock, staff, config)
    draft = service.start()
    service.set(draft, "birth_date", "01-02-2017")
    service.set(draft, "gender", "M")
    assert service.guardian_asked(draft)
    assert "guardian_card" in service.required(draft)
    assert "guardian_card" in service.errors(draft)
    service.set(draft, "birth_date", "01-02-2000")
    assert not service.guardian_asked(draft)
    assert "guardian_card" not in service.errors(draft)


def test_guardian_age_is_configurable(db, clock, staff, config):
    import dataclasses

    cfg = dataclasses.replace(config, privacy=PrivacySettings(guardian_below_age=12))
    service = RegistrationService(db, clock, staff, cfg)
    draft = service.start()
    service.set(draft, "birth_date", "01-02-2012")   # 14 on 28-11-2026
    assert not service.guardian_asked(draft)
    service.set(draft, "birth_date", "01-02-2017")   # 9
    assert service.guardian_asked(draft)


def test_a_typed_guardian_needs_relation_and_phone_or_email(db, clock, staff, config):
    service = RegistrationService(db, clock, staff, config)
    draft = service.start()
    for name, value in {"birth_date": "01-02-2017", "guardian_name": "P. Jansen"}.items():
        service.set(draft, name, value)
    errors = service.errors(draft)
    assert "guardian_relation" in errors and "guardian_phone" in errors
    service.set(draft, "guardian_card", "29401999999999")
    assert "onbekend" in service.errors(draft)["guardian_card"]


def test_minor_with_scanned_parent_activation_mail_goes_to_the_parent(db, clock, staff, config):
    parent_id, card = parent(db)
    child = register(db, clock, staff, config, guardian_card=card, guardian_relation="moeder",
                     newsletter="Ja")
    [mail] = db.all("SELECT to_addr, body_text FROM mail_outbox WHERE kind = 'activation'")
    assert mail["to_addr"] == PARENT_EMAIL
    assert "Kees" in mail["body_text"] and "ouder/verzorger" in mail["body_text"]
    # the link both ways
    [g] = svc.guardians(db, child)
    assert g.customer_id == parent_id and g.relation == "moeder" and g.email == PARENT_EMAIL
    [w] = svc.wards(db, parent_id)
    assert w.customer_id == child and w.card_number
    # the newsletter consent was given by the guardian, who gets a confirmation
    [consent] = svc.consent_history(db, child)
    assert consent.kind == "nieuwsbrief" and consent.by_guardian and consent.method == "balie"
    assert db.scalar("SELECT to_addr FROM mail_outbox WHERE kind = 'toestemming'") == \
        PARENT_EMAIL


def test_the_contribution_letter_of_a_minor_goes_to_the_guardian(db, clock, staff, config):
    _, card = parent(db)
    child = register(db, clock, staff, config, guardian_card=card, guardian_relation="vader",
                     use_login="Nee")
    make_open = db.scalar("SELECT COUNT(*) FROM invoices WHERE customer_id = ? AND "
                          "status = 'open'", (child,))
    if not make_open:
        db.execute("INSERT INTO invoices(customer_id, amount_cents, created_at, due_date) "
                   "VALUES (?, 1000, '2026-11-28T10:00:00', '2026-11-28')", (child,))
    ws = Workstation("balie-1", "9401", register="Kas Annen")
    session = settlement.session(db, clock, staff, child, ws, config=config)
    result = settlement.register_open(db, clock, staff, session, config.privacy)
    assert result.channel == "email"
    to, body = db.one("SELECT to_addr, body_text FROM mail_outbox WHERE kind = ?",
                      (settlement.LETTER_KIND,))
    assert to == PARENT_EMAIL and "ouder/verzorger van" in body


def test_a_child_who_came_of_age_gets_its_own_mail(db, config, staff):
    _, card = parent(db)
    young = FixedClock(dt.datetime(2026, 11, 28, 10))
    child = register(db, young, staff, config, guardian_card=card, guardian_relation="moeder",
                     use_login="Nee", email="kees@example.org")
    assert svc.recipient(db, young.today(), child, "contributie", config.privacy).guardian
    later = dt.date(2033, 2, 1)   # 16
    to = svc.recipient(db, later, child, "contributie", config.privacy)
    assert not to.guardian and to.email == "kees@example.org"
    assert svc.guardians(db, child)   # the link stays


# -- 2. consents ------------------------------------------------------------
def test_consents_are_records_and_withdrawal_takes_effect_at_once(db, clock, staff):
    cid = make_customer(db, loan_history=0)
    svc.give_consent(db, clock, staff, cid, "leenhistorie", "formulier")
    assert db.scalar("SELECT loan_history FROM customers WHERE id = ?", (cid,)) == 1
    later = FixedClock(dt.datetime(2026, 12, 1, 9))
    result = svc.withdraw_consent(db, later, staff, cid, "leenhistorie", "balie")
    assert "gewist" in result.message
    assert db.scalar("SELECT loan_history FROM customers WHERE id = ?", (cid,)) == 0
    [c] = svc.consent_history(db, cid)
    assert (c.method, c.given_by, c.withdrawn_method) == ("formulier", "J. de Balie", "balie")
    assert c.withdrawn_at == dt.datetime(2026, 12, 1, 9)
    line = svc.consent_line(c)
    assert "op formulier" in line and "ingetrokken 01-12-2026" in line
    with pytest.raises(svc.PrivacyError):
        svc.withdraw_consent(db, later, staff, cid, "leenhistorie")
    actions = [e.action for e in audit.for_customer(db, cid) if e.entity == "consent"]
    assert actions == ["withdraw", "give"]


def test_existing_flags_became_consent_records_in_the_migration(db):
    from tui_desk.store.db import migrations

    sql = next(s for n, name, s in migrations() if name == "privacy")
    assert "INSERT INTO consents" in sql and "WHERE newsletter = 1" in sql


# -- 3. preferences ------------------------------------------------------------
def test_step_1_preferences_are_stored_with_sensible_defaults(db, clock, staff, config):
    cid = register(db, clock, staff, config, birth_date="01-01-1990", first_name="",
                   email="k@example.org", language="en", use_login="Nee")
    prefs = svc.preferences(db, cid)
    assert prefs["contributie"] == svc.Preference("email", "en")
    assert prefs["nieuwsbrief"].channel == "geen"      # no consent: no newsletter
    with pytest.raises(svc.PrivacyError):
        svc.set_preference(db, clock, staff, cid, "contributie", "geen", "nl")


def test_the_mailer_honours_channel_and_language(db, clock, staff, config):
    cid = register(db, clock, staff, config, birth_date="01-01-1990", first_name="",
                   email="k@example.org", use_login="Nee")
    db.execute("INSERT INTO invoices(customer_id, amount_cents, created_at, due_date) "
               "VALUES (?, 1000, '2026-11-28T10:00:00', '2026-11-28')", (cid,))
    svc.set_preference(db, clock, staff, cid, "contributie", "email", "en")
    ws = Workstation("balie-1", "9401", register="Kas Annen")
    session = settlement.session(db, clock, staff, cid, ws, config=config)
    settlement.register_open(db, clock, staff, session, config.privacy)
    subject = db.scalar("SELECT subject FROM mail_outbox WHERE kind = ?",
                        (settlement.LETTER_KIND,))
    assert subject.startswith("Membership fee")
    # post: no mail, the letter waits for the postal batch
    other = register(db, clock, staff, config, birth_date="01-01-1991", first_name="",
                     surname="Post", email="p@example.org", use_login="Nee",
                     channel="post")
    db.execute("INSERT INTO invoices(customer_id, amount_cents, created_at, due_date) "
               "VALUES (?, 1000, '2026-11-28T10:00:00', '2026-11-28')", (other,))
    session = settlement.session(db, clock, staff, other, ws, config=config)
    result = settlement.register_open(db, clock, staff, session, config.privacy)
    assert result.channel == "post" and result.mail_id is None


# -- 4. blocks ------------------------------------------------------------
def test_blocks_show_while_in_force_and_maintenance_lifts_ended_ones(db, clock, staff):
    cid = make_customer(db)
    block_id = svc.add_block(db, clock, staff, cid, "gedrag", "Schreeuwde tegen de balie",
                             end=dt.date(2026, 12, 5))
    assert [b.id for b in svc.active_blocks(db, cid, clock.today())] == [block_id]
    assert svc.lift_ended(db, clock) == 0
    after = FixedClock(dt.datetime(2026, 12, 6, 3))
    assert svc.lift_ended(db, after) == 1
    assert svc.active_blocks(db, cid, after.today()) == []
    assert svc.lift_ended(db, after) == 0
    actions = [e.action for e in audit.for_customer(db, cid) if e.entity == "block"]
    assert actions == ["lift", "insert"]
    with pytest.raises(svc.PrivacyError):
        svc.add_block(db, clock, staff, cid, "gedrag", "   ")


# -- 5. inzage ------------------------------------------------------------
def fill_every_table(db, clock, staff, config) -> int:
    """A customer with rows in as many customer tables as the services make."""
    _, card = parent(db)
    child = register(db, clock, staff, config, guardian_card=card, guardian_relation="moeder",
                     newsletter="Ja", direct_debit="Ja", iban=IBAN)
    svc.add_block(db, clock, staff, child, "adres_onbekend", "Post kwam terug")
    db.execute("INSERT INTO notices(customer_id, slot, text, created_at) "
               "VALUES (?, 1, 'Kees is jarig', '2026-11-28T10:00:00')", (child,))
    form = mandates.print_new_mandate(db, clock, staff, config, child, IBAN, "",
                                      "M. Zwaluwstaart", "Annen")
    ws = Workstation("balie-1", "9401", receipt_printer="file:///dev/null",
                     register="Kas Annen")
    mandates.mandate_print_request(db, clock, config, ws, form, staff=staff)
    mandates.process_mandate(db, clock, staff, child, form.document_code, "none")
    session = settlement.session(db, clock, staff, child, ws, config=config)
    if session.due_cents:
        settlement.register_open(db, clock, staff, session, config.privacy)
    printing.request_klantbon(db, clock, config, ws, child, staff=staff)
    return child


def test_the_export_holds_every_row_of_every_table_with_a_customer_key(db, clock, staff,
                                                                         config):
    child = fill_every_table(db, clock, staff, config)
    keys = store.customer_key_columns(db)
    before = {(t, c): {r[0] for r in db.all(f"SELECT rowid FROM {t} WHERE {c} = ?", (child,))}
              for t, c in keys}
    result = svc.export(db, clock, staff, child)
    data = json.loads(result.as_json())["gegevens"]
    assert {t for t, _ in keys} >= {"addresses", "cards", "consents", "guardians",
                                     "customer_blocks", "mandates", "mail_outbox",
                                     "print_jobs", "audit_log", "invoices"}
    checked = 0
    for table, column in keys:
        ids = before[(table, column)]
        exported = {r.get("id") for r in data.get(table, [])}
        if table == "communication_preferences":
            exported = {r["kind"] for r in data[table]}
            ids = {r[0] for r in db.all("SELECT kind FROM communication_preferences "
                                        "WHERE customer_id = ?", (child,))}
        assert ids <= exported, (table, column, ids - exported)
        checked += bool(ids)
    assert checked >= 12
    assert data["login_accounts"] and "token_hash" not in data["login_accounts"][0]
    assert "Zwaluwstaart" in result.as_text() and "== Ouder/verzorger (1) ==" in result.as_text()
    # the draft's typed fields under the manual's labels, not the keys in code
    assert "      Achternaam: Zwaluwstaart\n      Roepnaam: Kees" in result.as_text()
    assert "      relatie ouder/verz.: moeder\n" in result.as_text()
    assert "      sepa incasso: Ja\n" in result.as_text()
    # the export itself is logged: by whom and when
    [entry] = [e for e in audit.for_customer(db, child) if e.entity == "inzage"]
    assert entry.staff_name == "J. de Balie" and entry.at == clock.now()


@pytest.mark.sqlite_only("the command line opens the test's SQLite file")
def test_cli_export_writes_json_and_text(db, clock, staff, config, tmp_path, capsys):
    from tui_desk import cli

    cid = make_customer(db, surname="Inzage")
    card = db.scalar("SELECT number FROM cards WHERE customer_id = ?", (cid,))
    db.close()
    out = tmp_path / "inzage"
    code = cli.main(["--demo", "--db", str(tmp_path / "test.sqlite3"), "--today",
                     "2026-11-28", "customer", "export", card, "-o", str(out)])
    assert code == 0
    data = json.loads((tmp_path / "inzage.json").read_text())
    assert data["gegevens"]["customers"][0]["surname"] == "Inzage"
    assert "Inzage persoonsgegevens" in (tmp_path / "inzage.txt").read_text()
    assert oct((tmp_path / "inzage.json").stat().st_mode & 0o777) == "0o600"


# -- 6. uitschrijven and anonymisation ------------------------------------------------------------
def test_uitschrijven_ends_the_membership_and_prints_an_uitschrijfbewijs(db, clock, staff,
                                                                          config, tmp_path):
    cid = register(db, clock, staff, config, birth_date="01-01-1990", first_name="",
                   email="k@example.org", use_login="Nee")
    done = svc.deregister(db, clock, staff, cid)
    assert done.day == clock.today()
    assert db.scalar("SELECT COUNT(*) FROM subscription_periods WHERE customer_id = ? AND "
                     "end_date >= ? AND status <> 'Ongeldig'",
                     (cid, clock.today().isoformat())) == 0
    ws = Workstation("balie-1", "9401", receipt_printer=f"file://{tmp_path}/bon.bin")
    request = printing.request_uitschrijfbewijs(db, clock, config, ws, cid, staff=staff)
    outcome = printing.send_request(db, clock, config, request)
    assert outcome.ok
    text = "\n".join(printing.preview_lines(printing.get_job(db, request.job.id)))
    assert "UITSCHRIJFBEWIJS" in text and "28-11-2026" in text
    with pytest.raises(svc.PrivacyError):
        svc.deregister(db, clock, staff, cid)


@pytest.mark.sqlite_only("searches the bytes of the SQLite file and its WAL")
def test_anonymised_data_is_gone_from_the_database_file_and_its_wal(db, clock, staff, config):
    child = fill_every_table(db, clock, staff, config)
    name = "Zwaluwstaart"
    child_email = db.scalar("SELECT email FROM login_accounts")
    svc.anonymise(db, clock, staff, child) if settlement.open_amounts(
        db, child).outstanding_cents == 0 else None
    if db.scalar("SELECT anonymised_on FROM customers WHERE id = ?", (child,)) is None:
        # settle what is open first, as the desk would
        ws = Workstation("balie-1", "9401", register="Kas Annen")
        session = settlement.session(db, clock, staff, child, ws, config=config)
        settlement.pay(db, clock, staff, session, "pin", session.due_cents)
        svc.anonymise(db, clock, staff, child)
    # the parent is anonymised too, so the name is nowhere
    parent_id = db.scalar("SELECT id FROM customers WHERE email = ?", (PARENT_EMAIL,))
    svc.anonymise(db, clock, staff, parent_id)
    path = db.path
    raw = path.read_bytes() + (path.with_name(path.name + "-wal").read_bytes()
                               if path.with_name(path.name + "-wal").exists() else b"")
    for secret in (name, name.lower(), PARENT_EMAIL, IBAN, child_email):
        assert secret.encode() not in raw, secret
    # what stays: the pseudonymised financial records, the year of birth, the audit fact
    row = db.one("SELECT surname, birth_date, birth_year FROM customers WHERE id = ?", (child,))
    assert row["surname"].startswith("Geanonimiseerd") and row["birth_date"] is None
    assert row["birth_year"] == 2017
    assert db.scalar("SELECT iban || holder_name FROM mandates WHERE customer_id = ?",
                     (child,)) == ""
    assert db.scalar("SELECT status FROM cards WHERE customer_id = ?", (child,)) == \
        "geblokkeerd"
    [entry] = [e for e in audit.for_customer(db, child) if e.action == "anonymise"]
    assert "reason" in entry.after


def test_maintenance_anonymises_after_the_retention_term_then_removes_the_finance(db, staff,
                                                                                 config):
    settings = PrivacySettings()
    active = make_customer(db, last_activity="2026-01-05", surname="Actief")
    sleeping = make_customer(db, last_activity="2023-06-01", surname="Slaper",
                             registered_on="2015-01-01")
    on_loan = make_customer(db, last_activity="2023-06-01", items_on_loan=2,
                            registered_on="2015-01-01")
    db.execute("INSERT INTO invoices(customer_id, amount_cents, status, created_at, due_date) "
               "VALUES (?, 1000, 'paid', '2023-05-01T10:00:00', '2023-05-01')", (sleeping,))
    now = FixedClock(dt.datetime(2026, 11, 28, 3))
    assert svc.figures(db, now.now(), settings).past_retention == 1
    report = svc.run_retention(db, now, settings)
    assert report.anonymised == 1
    state = {r["id"]: r["anonymised_on"] for r in db.all("SELECT id, anonymised_on FROM "
                                                          "customers")}
    assert state[sleeping] == "2026-11-28" and state[active] is None and state[on_loan] is None
    assert svc.run_retention(db, now, settings).anonymised == 0     # idempotent
    assert db.scalar("SELECT COUNT(*) FROM invoices WHERE customer_id = ?", (sleeping,)) == 1
    later = FixedClock(dt.datetime(2031, 1, 2, 3))
    assert svc.run_retention(db, later, settings).fiscal_removed == 1
    assert db.scalar("SELECT COUNT(*) FROM invoices WHERE customer_id = ?", (sleeping,)) == 0


# -- 7. print jobs and the figures ------------------------------------------------------------
def test_print_job_payloads_are_purged_after_their_term(db, clock, staff, config, tmp_path):
    cid = make_customer(db, surname="Printer", last_activity="2026-11-01")
    ws = Workstation("balie-1", "9401", receipt_printer=f"file://{tmp_path}/bon.bin")
    request = printing.request_klantbon(db, clock, config, ws, cid, staff=staff)
    printing.send_request(db, clock, config, request)
    settings = PrivacySettings()
    soon = FixedClock(clock.now() + dt.timedelta(days=29))
    assert svc.figures(db, soon.now(), settings).print_jobs_past == 0
    late = FixedClock(clock.now() + dt.timedelta(days=31))
    assert svc.figures(db, late.now(), settings).print_jobs_past == 1
    assert svc.run_retention(db, late, settings).print_jobs_purged == 1
    job = printing.get_job(db, request.job.id)
    assert job.payload == b""
    assert svc.figures(db, late.now(), settings).print_jobs_past == 0


@pytest.mark.sqlite_only("SQLite's secure_delete")
def test_secure_delete_is_on(db):
    assert db.scalar("PRAGMA secure_delete") == 1
