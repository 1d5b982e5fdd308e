"""Issue 14 without a screen: a registration ends complete or visibly unfinished (findings 1
and 2), 0091 is always paid at once (3), and the service side of findings 6, 8 and 9."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from tests.factories import make_customer, make_staff
from tui_desk.clock import FixedClock
from tui_desk.config import ConfigError, parse
from tui_desk.rules.settlement import SettlementError
from tui_desk.services import followups
from tui_desk.services import mandates as mandate_svc
from tui_desk.services import sepa_export as sepa
from tui_desk.services import settlement as settlement_svc
from tui_desk.services.maintenance import format_report, run_monthly
from tui_desk.services.registration import NEWSLETTER_NEEDS_EMAIL, RegistrationService
from tui_desk.services.search import search
from tui_desk.store import customers as customer_store
from tui_desk.store import db as store_db
from tui_desk.store import settlement as settlement_store
from tui_desk.store.branches import sync_branches
from tui_desk.store.db import open_database
from tui_desk.store.postcodes import load_postcodes
from tui_desk.store.tariffs import load_tariffs

D = dt.date
IBAN = "NL91ABNA0417164300"
MANUAL = {
    "initials": "A", "prefix": "van der", "surname": "Test",
    "birth_date": "1 januari 1991", "country": "Nederland", "postcode": "9468 BG",
    "house_number": "41", "gender": "V", "email": "a.test@example.nl", "use_login": "Nee",
}


@pytest.fixture
def staff(db):
    load_tariffs(db)
    load_postcodes(db)
    return make_staff(db, name="J. de Balie")


@pytest.fixture
def service(db, clock, staff, config):
    return RegistrationService(db, clock, staff, config)


def register(service, tariff, **values):
    draft = service.start()
    service.issue_card(draft)
    for name, value in (MANUAL | values).items():
        assert service.set(draft, name, value) is None, name
    service.lookup_address(draft)
    service.finish_customer_step(draft, duplicates_seen=True)
    return service.register(draft, tariff)


def step_4(db, clock, staff, config, done):
    return settlement_svc.session(db, clock, staff, done.customer_id,
                                  invoice_ids=done.open_invoice_ids, config=config,
                                  mandate_follows=done.direct_debit)


def notices(db, customer_id):
    return [(n.text, n.private) for n in customer_store.notices(db, customer_id)]


def periods(db, customer_id):
    return db.all("SELECT tariff_code, start_date, end_date FROM subscription_periods"
                  " WHERE customer_id = ? ORDER BY start_date", (customer_id,))


def sign_mandate(db, clock, staff, config, customer_id):
    form = mandate_svc.print_new_mandate(db, clock, staff, config, customer_id, IBAN, "",
                                         "Mw. A. van der Test", "ANNEN")
    return mandate_svc.process_mandate(db, clock, staff, customer_id, form.document_code, "none")


# -- finding 1: Sepa + 0049, step 5 left without a mandate ---------------------------------------
def test_0049_without_a_mandate_stays_open_is_listed_and_is_not_renewed(
        db, clock, staff, config, service):
    done = register(service, "0049", direct_debit="Ja", iban=IBAN)
    assert done.direct_debit
    # step 4: Registreren — the mandate follows, so no contribution letter
    result = settlement_svc.register_open(db, clock, staff, step_4(db, clock, staff, config, done))
    assert result.channel == "incasso" and result.letter_id is None
    # step 5 left with "Later": kept open with the reason
    kept = followups.keep_open(db, clock, staff, config, done.customer_id, followups.MANDATE,
                               "Klant brengt de getekende machtiging morgen")
    assert kept.due_on == D(2026, 12, 12)          # [registration] mandate_days = 14
    assert notices(db, done.customer_id) == [
        ("Open inschrijving: machtiging vóór 12-12-2026", True)]
    [listed] = followups.open_for_branch(db, clock, "9401")
    assert (listed.customer_id, listed.what, listed.reason, listed.overdue) == (
        done.customer_id, "incassomachtiging ontbreekt",
        "Klant brengt de getekende machtiging morgen", False)
    # nothing is collected without an active mandate
    assert not [t for t in sepa.plan(db, config, D(2026, 12, 5)).transactions
                if t.customer_id == done.customer_id]

    # the monthly run: 0049 ends 27-12-2026 and is not renewed; the customer is listed
    report = run_monthly(db, FixedClock(dt.datetime(2026, 12, 1, 6, 0)))
    assert [p["tariff_code"] for p in periods(db, done.customer_id)] == ["0049"]
    assert [line.customer_id for line in report.no_mandate] == [done.customer_id]
    assert report.newly_withheld == 1 and report.news == 1
    text = format_report(report)
    assert "Niet verlengd: geen actieve incassomachtiging: 1" in text
    assert "Openstaande inschrijvingen: 1" in text and "A. van der Test" in text
    # a second run withholds nothing new, and still renews nothing
    again = run_monthly(db, FixedClock(dt.datetime(2026, 12, 1, 6, 5)))
    assert again.news == 0 and len(again.no_mandate) == 1
    assert len(periods(db, done.customer_id)) == 1
    # past the deadline the registration is overdue
    late = FixedClock(dt.datetime(2026, 12, 13, 9, 0))
    assert followups.open_for_branch(db, late, "9401")[0].overdue

    # the signed mandate completes the registration: the Melding and the line go
    sign_mandate(db, clock, staff, config, done.customer_id)
    assert notices(db, done.customer_id) == []
    assert followups.open_for_branch(db, clock, "9401") == []
    [collect] = [t for t in sepa.plan(db, config, D(2026, 12, 5)).transactions
                 if t.customer_id == done.customer_id]
    assert collect.amount_cents == 500
    # and from now on the monthly tariff renews
    renewed = run_monthly(db, FixedClock(dt.datetime(2026, 12, 15, 6, 0)))
    assert [line.customer_id for line in renewed.renewed] == [done.customer_id]
    assert renewed.no_mandate == []


def test_no_mandate_after_all_sends_the_contribution_letter(db, clock, staff, config, service):
    done = register(service, "0049", direct_debit="Ja", iban=IBAN)
    settlement_svc.register_open(db, clock, staff, step_4(db, clock, staff, config, done))
    followups.keep_open(db, clock, staff, config, done.customer_id, followups.MANDATE, "later")
    message = settlement_svc.register_without_mandate(db, clock, staff, done.customer_id,
                                                      config=config)
    assert message == ("€ 5,00 geregistreerd. De contributiebrief gaat per e-mail naar "
                       "a.test@example.nl.")
    rows = db.all("SELECT collection, letter_id FROM open_registrations WHERE customer_id = ?",
                  (done.customer_id,))
    assert [(r["collection"], r["letter_id"] is not None) for r in rows] == [("brief", True)]
    assert followups.open_for_branch(db, clock, "9401") == []
    assert notices(db, done.customer_id) == []


# -- finding 2: step 4 left with the amount neither paid, waived nor registered -------------------
def test_the_first_amount_kept_open_is_a_melding_until_it_is_paid(
        db, clock, staff, config, service):
    done = register(service, "0045")
    session = step_4(db, clock, staff, config, done)
    assert session.due_cents == 5600
    kept = followups.keep_open(db, clock, staff, config, done.customer_id, followups.PAYMENT,
                               "Klant betaalt volgende week")
    assert kept.what == "eerste bedrag niet betaald"
    assert notices(db, done.customer_id) == [
        ("Open inschrijving: eerste bedrag € 56,00 onbetaald", True)]
    # asked again: one line, the reason updated
    followups.keep_open(db, clock, staff, config, done.customer_id, followups.PAYMENT,
                        "Klant betaalt morgen")
    [listed] = followups.open_for_branch(db, clock, "9401")
    assert listed.reason == "Klant betaalt morgen"
    with pytest.raises(followups.FollowUpError, match="reden"):
        followups.keep_open(db, clock, staff, config, done.customer_id, followups.PAYMENT, "  ")
    # paying later at the counter completes it
    later = settlement_svc.session(db, clock, staff, done.customer_id, config=config)
    settlement_svc.pay(db, clock, staff, later, "pin", 5600)
    assert followups.open_for_branch(db, clock, "9401") == []
    assert notices(db, done.customer_id) == []


def test_mandate_days_is_a_typed_config_value(config):
    base = {"library": {"name": "Bieb"}, "branches": [{"code": "9401", "name": "Annen"}]}
    assert parse(base, "t.toml").registration.mandate_days == 14
    assert parse(base | {"registration": {"mandate_days": 30}},
                 "t.toml").registration.mandate_days == 30
    with pytest.raises(ConfigError, match="registration.mandate_days"):
        parse(base | {"registration": {"mandate_days": 0}}, "t.toml")
    with pytest.raises(ConfigError, match="registration.mandate_days"):
        parse(base | {"registration": {"mandate_days": "14"}}, "t.toml")


# -- finding 3: 0091 Maandabonnement is always paid at once ---------------------------------------
def test_0091_is_always_paid_directly(db, clock, staff, config, service):
    """The manual: "Maandabonnement (0091) ... abonnementsgeld altijd direct betalen"."""
    done = register(service, "0091", direct_debit="Ja", iban=IBAN)
    assert not done.direct_debit                     # no mandate step for it
    session = step_4(db, clock, staff, config, done)
    assert session.pay_directly and not session.may_register and not session.mandate_follows
    with pytest.raises(SettlementError, match="altijd direct betalen"):
        settlement_svc.register_open(db, clock, staff, session)
    assert db.scalar("SELECT count(*) FROM open_registrations") == 0
    # even with a mandate on file it is never collected
    sign_mandate(db, clock, staff, config, done.customer_id)
    assert not [t for t in sepa.plan(db, config, D(2026, 12, 5)).transactions
                if t.customer_id == done.customer_id]
    assert settlement_store.pay_directly_invoice_ids(db, done.open_invoice_ids) == set(
        done.open_invoice_ids)
    # kept open it stays open until it is paid: a mandate does not settle it
    followups.keep_open(db, clock, staff, config, done.customer_id, followups.PAYMENT, "later")
    assert followups.unsettled_cents(db, done.customer_id) == 1100


# -- findings 6, 8 and 9 through registration ---------------------------------------------
BELGIAN = {"country": "België", "postcode": "2000", "house_number": "12", "street": "Meir",
           "place": "Antwerpen"}


def test_belgian_phone_numbers_are_read_with_the_address_country(db, service):
    draft = service.start()
    service.issue_card(draft)
    for name, value in (MANUAL | BELGIAN).items():
        service.set(draft, name, value)
    assert service.set(draft, "phone", "012 34 56 78") is None
    assert service.set(draft, "sms", "0470 12 34 56") is None
    data = service.customer_data(draft)
    assert (data.phone, data.sms) == ("+3212345678", "+32470123456")


def test_a_foreign_address_gets_no_postcode_table_warning(db, service):
    draft = service.start()
    service.issue_card(draft)
    for name, value in (MANUAL | {"country": "Duitsland", "postcode": "26871",
                                  "house_number": "3", "street": "Hauptstraße",
                                  "place": "Papenburg"}).items():
        service.set(draft, name, value)
    found = service.lookup_address(draft)
    assert not found.found and not found.applies
    assert not any("postcodetabel" in w for w in service.customer_data(draft).warnings)
    # a Dutch address the table does not know is still warned
    dutch = service.start()
    service.issue_card(dutch)
    for name, value in (MANUAL | {"postcode": "9999 ZZ", "house_number": "1", "street": "X",
                                  "place": "Y"}).items():
        service.set(dutch, name, value)
    assert service.lookup_address(dutch).applies
    assert any("postcodetabel" in w for w in service.customer_data(dutch).warnings)


def test_nieuwsbrief_needs_an_email_address(db, service):
    """The manual: "Vink nieuwsbrief aan indien door de klant gewenst" - it goes by e-mail."""
    draft = service.start()
    service.issue_card(draft)
    for name, value in (MANUAL | {"email": "", "no_email": "Ja",
                                  "newsletter": "Ja"}).items():
        service.set(draft, name, value)
    assert service.errors(draft)["newsletter"] == NEWSLETTER_NEEDS_EMAIL
    service.set(draft, "newsletter", "Nee")
    assert "newsletter" not in service.errors(draft)


def test_a_surname_in_arabic_script_is_found_by_name(db, clock, service):
    done = register(service, "0045", prefix="", surname="محمد")
    key = db.scalar("SELECT search_name FROM customers WHERE id = ?", (done.customer_id,))
    assert key == "محمد"
    hits = search(db, "محمد", clock.today()).hits
    assert [h.customer_id for h in hits] == [done.customer_id]
    make_customer(db, surname="Иванова", initials="I.")
    assert [h.name for h in search(db, "иванова", clock.today()).hits] == ["I. Иванова"]


def test_the_migration_recomputes_stored_search_keys(tmp_path, config):
    path = tmp_path / "old.sqlite3"
    db = open_database(path, environment="production")
    sync_branches(db, config)
    ids = [make_customer(db, surname=s, prefix="") for s in ("محمد", "d'Ancona", "Test")]
    # as the previous version stored them
    db.execute("UPDATE customers SET search_name = CASE surname WHEN 'محمد' THEN ''"
               " WHEN 'd''Ancona' THEN 'd''ancona' ELSE 'test' END")
    db.close()
    raw = sqlite3.connect(path)
    raw.execute("DROP TABLE open_followups")
    raw.execute("DROP TABLE renewals_withheld")
    # and what the privacy migration added, which runs again after it
    for table in ("guardians", "consents", "communication_preferences", "customer_blocks"):
        raw.execute(f"DROP TABLE {table}")
    raw.execute("DROP INDEX customers_last_activity")
    for column in ("deregistered_on", "anonymised_on", "birth_year", "fiscal_removed_on"):
        raw.execute(f"ALTER TABLE customers DROP COLUMN {column}")
    # and what the mandate-scan migration added
    for column in ("file_sha256", "file_size", "file_removed_at"):
        raw.execute(f"ALTER TABLE customer_documents DROP COLUMN {column}")
    # and what the counters migration (0015) changed, which runs again after it
    raw.execute("DROP TABLE counters")
    raw.execute("ALTER TABLE branches ADD COLUMN card_seq INTEGER NOT NULL DEFAULT 0")
    raw.execute("PRAGMA user_version = 9")
    raw.commit()
    raw.close()
    db = open_database(path, environment="production")
    assert db.version == store_db.latest_version()
    keys = [db.scalar("SELECT search_name FROM customers WHERE id = ?", (i,)) for i in ids]
    assert keys == ["محمد", "ancona", "test"]
    db.close()
