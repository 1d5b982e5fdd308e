"""The SEPA collection file: validated against the pain.008.001.02 XSD, amounts to the cent,
FRST then RCUR, nothing collected twice, revoked and lapsed mandates left alone; the
pre-notifications through the outbox; the creditor id checked when the config loads; and the
command line."""

from __future__ import annotations

import dataclasses
import datetime as dt
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest

from tests.config_files import (
    ANNEN,
    CREDITOR,
    LIBRARY,
    refuses_settings,
    write_config,
)
from tests.factories import make_customer, make_manual_customer, make_staff
from tui_desk import cli
from tui_desk.config import demo_config, load_file
from tui_desk.services import mandates as svc
from tui_desk.services import sepa_export as sepa
from tui_desk.store import mandates as store
from tui_desk.store import outbox
from tui_desk.store import settlement as settlement_store
from tui_desk.store import subscriptions as sub_store

D = dt.date
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
COLLECT = D(2026, 12, 8)          # the clock says 28-11-2026


@pytest.fixture
def staff(db):
    return make_staff(db, name="J. de Balie")


def invoice(db, customer_id, cents, due, *, discount=0, description="Contributie Basis"):
    return sub_store.insert_invoice(
        db, customer_id=customer_id, period_id=None, amount_cents=cents,
        discount_cents=discount, description=description,
        created_at=dt.datetime(2026, 11, 1, 9, 0), due_date=due, staff_id=None)


def with_mandate(db, clock, staff, config, customer_id, iban="NL20INGB0001234567", bic=""):
    form = svc.print_new_mandate(db, clock, staff, config, customer_id, iban, bic,
                                 "Klant", "ANNEN")
    return svc.process_mandate(db, clock, staff, customer_id, form.document_code,
                               "none").mandate


def transactions(xml: bytes) -> list[dict]:
    root = ET.fromstring(xml)
    found = []
    for info in root.iterfind(".//p:PmtInf", NS):
        seq = info.findtext("p:PmtTpInf/p:SeqTp", namespaces=NS)
        for tx in info.iterfind("p:DrctDbtTxInf", NS):
            found.append({
                "seq": seq,
                "amount": Decimal(tx.findtext("p:InstdAmt", namespaces=NS)),
                "mandate": tx.findtext(".//p:MndtId", namespaces=NS),
                "iban": tx.findtext("p:DbtrAcct/p:Id/p:IBAN", namespaces=NS),
                "date": info.findtext("p:ReqdColltnDt", namespaces=NS),
            })
    return found


def validate(xml: bytes) -> None:
    """Validated independently of the export: the XSD that ships with sepaxml."""
    import os

    import sepaxml
    import xmlschema

    xsd = os.path.join(os.path.dirname(sepaxml.__file__), "schemas", "pain.008.001.02.xsd")
    xmlschema.XMLSchema(xsd).validate(xml.decode())


def test_the_file_validates_and_holds_every_amount_due_to_the_cent(db, clock, staff, config,
                                                                  tmp_path):
    monthly = make_customer(db)
    yearly = make_manual_customer(db)
    no_mandate = make_customer(db)
    m1 = with_mandate(db, clock, staff, config, monthly)
    m2 = with_mandate(db, clock, staff, config, yearly, iban="DE89370400440532013000")
    a = invoice(db, monthly, 500, D(2026, 12, 1), description="Basis (maand-incasso) dec")
    b = invoice(db, monthly, 550, D(2026, 11, 1), description="Compleet (maand-incasso) nov")
    c = invoice(db, yearly, 5600, D(2026, 12, 1), discount=1234)
    invoice(db, yearly, 5600, D(2027, 1, 1))                  # due after the collection date
    invoice(db, no_mandate, 5600, D(2026, 12, 1))             # no mandate: not collected
    out = tmp_path / "incasso.xml"

    result = sepa.export_collection(db, clock, config, COLLECT, out)

    xml = out.read_bytes()
    validate(xml)
    found = sorted(transactions(xml), key=lambda t: t["amount"])
    assert found == [
        {"seq": "FRST", "amount": Decimal("10.50"), "mandate": m1.kenmerk,
         "iban": "NL20INGB0001234567", "date": "2026-12-08"},
        {"seq": "FRST", "amount": Decimal("43.66"), "mandate": m2.kenmerk,
         "iban": "DE89370400440532013000", "date": "2026-12-08"},
    ]
    root = ET.fromstring(xml)
    assert root.findtext(".//p:GrpHdr/p:CtrlSum", namespaces=NS) == "54.16"
    scheme_id = ".//p:CdtrSchmeId/p:Id/p:PrvtId/p:Othr/p:Id"
    assert root.findtext(scheme_id, namespaces=NS) == "NL11ZZZ040892510000"
    assert result.total_cents == 500 + 550 + 5600 - 1234
    assert {(k.invoice_id, k.amount_cents) for k in store.collections(db)} == {
        (a, 500), (b, 550), (c, 4366)}
    assert "FRST): 2" in "\n".join(result.lines())


def test_twice_for_the_same_date_exports_nothing_new(db, clock, staff, config, tmp_path):
    customer = make_customer(db)
    with_mandate(db, clock, staff, config, customer)
    invoice(db, customer, 500, D(2026, 12, 1))
    first = sepa.export_collection(db, clock, config, COLLECT, tmp_path / "1.xml")
    assert first.invoice_count == 1
    again = sepa.export_collection(db, clock, config, COLLECT, tmp_path / "2.xml")
    assert again.transactions == [] and again.path is None
    assert not (tmp_path / "2.xml").exists()
    assert "Niets te incasseren" in again.lines()[0]
    assert len(store.collections(db)) == 1


def test_frst_on_first_use_then_rcur(db, clock, staff, config, tmp_path):
    customer = make_customer(db)
    mandate = with_mandate(db, clock, staff, config, customer)
    invoice(db, customer, 500, D(2026, 12, 1))
    sepa.export_collection(db, clock, config, D(2026, 12, 1), tmp_path / "dec.xml")
    invoice(db, customer, 500, D(2027, 1, 1))
    sepa.export_collection(db, clock, config, D(2027, 1, 2), tmp_path / "jan.xml")
    assert [t["seq"] for t in transactions((tmp_path / "dec.xml").read_bytes())] == ["FRST"]
    assert [t["seq"] for t in transactions((tmp_path / "jan.xml").read_bytes())] == ["RCUR"]
    used = store.get(db, mandate.id)
    assert (used.first_collected_on, used.last_collected_on) == (D(2026, 12, 1), D(2027, 1, 2))


def test_a_revoked_mandate_is_not_collected(db, clock, staff, config, tmp_path):
    kept, revoked = make_customer(db), make_customer(db)
    with_mandate(db, clock, staff, config, kept)
    with_mandate(db, clock, staff, config, revoked)
    invoice(db, kept, 500, D(2026, 12, 1))
    invoice(db, revoked, 550, D(2026, 12, 1))
    svc.revoke(db, clock, staff, revoked, reason="Op verzoek klant")
    result = sepa.export_collection(db, clock, config, COLLECT, tmp_path / "x.xml")
    assert [t.customer_id for t in result.transactions] == [kept]
    assert {k.customer_id for k in store.collections(db)} == {kept}


def test_a_lapsed_mandate_is_not_collected_and_marked(db, clock, staff, config, tmp_path):
    customer = make_customer(db)
    mandate = with_mandate(db, clock, staff, config, customer)
    invoice(db, customer, 500, D(2029, 12, 1))
    clock.set(dt.datetime(2029, 12, 1, 9, 0))
    result = sepa.export_collection(db, clock, config, D(2029, 12, 2), tmp_path / "x.xml")
    assert result.transactions == [] and [m.id for m in result.lapsed] == [mandate.id]
    assert store.get(db, mandate.id).status == "lapsed"


def test_what_was_paid_at_the_desk_is_not_collected(db, clock, staff, config, tmp_path):
    customer = make_customer(db)
    with_mandate(db, clock, staff, config, customer)
    partly = invoice(db, customer, 5600, D(2026, 12, 1))
    register = settlement_store.registers_of_branch(db, "9401")[0]
    payment = settlement_store.insert_payment(
        db, customer_id=customer, register_id=register.id, method="pin", amount_cents=1601,
        tendered_cents=None, change_cents=0, staff_id=staff.id, at=clock.now(), session_id="s")
    settlement_store.insert_allocation(db, payment, partly, 1601)
    result = sepa.export_collection(db, clock, config, COLLECT, tmp_path / "x.xml")
    assert result.total_cents == 3999


def test_without_a_configured_bic_the_creditor_bic_is_derived(db, clock, staff, config,
                                                              tmp_path):
    customer = make_customer(db)
    with_mandate(db, clock, staff, config, customer)
    invoice(db, customer, 500, D(2026, 12, 1))
    config = dataclasses.replace(config, creditor=dataclasses.replace(config.creditor, bic=""))
    sepa.export_collection(db, clock, config, COLLECT, tmp_path / "x.xml")
    root = ET.fromstring((tmp_path / "x.xml").read_bytes())
    assert root.findtext(".//p:CdtrAgt/p:FinInstnId/p:BIC", namespaces=NS) == "INGBNL2A"


def test_a_collection_date_in_the_past_or_no_creditor_is_refused(db, clock, config, tmp_path):
    with pytest.raises(sepa.ExportError, match="verleden"):
        sepa.export_collection(db, clock, config, D(2026, 11, 27), tmp_path / "x.xml")
    with pytest.raises(sepa.ExportError, match=r"\[creditor\]"):
        sepa.export_collection(db, clock, dataclasses.replace(config, creditor=None), COLLECT,
                               tmp_path / "x.xml")


def test_a_file_that_cannot_be_written_records_nothing(db, clock, staff, config, tmp_path):
    customer = make_customer(db)
    with_mandate(db, clock, staff, config, customer)
    invoice(db, customer, 500, D(2026, 12, 1))
    with pytest.raises(sepa.ExportError, match="bestaat niet"):
        sepa.export_collection(db, clock, config, COLLECT, tmp_path / "missing" / "x.xml")
    assert store.collections(db) == []
    assert store.active_for(db, customer).first_collected_on is None


# -- pre-notification -----------------------------------------------------------------------------
def test_pre_notifications_go_through_the_outbox_once(db, clock, staff, config):
    mailed = make_customer(db, email="klant@example.nl")
    silent = make_customer(db, email="")
    later = make_customer(db, email="later@example.nl")
    for customer in (mailed, silent, later):
        with_mandate(db, clock, staff, config, customer)
    invoice(db, mailed, 500, D(2026, 12, 5), description="Basis (maand-incasso) december")
    invoice(db, silent, 550, D(2026, 12, 1))
    invoice(db, later, 500, D(2026, 12, 6))       # 8 days ahead: not yet
    report = sepa.queue_pre_notifications(db, clock, config)
    assert (report.mailed, report.invoices, report.total_cents) == (1, 2, 1050)
    assert [c for c, _ in report.without_email] == [silent]
    [mail] = outbox.recent(db, customer_id=mailed)
    assert mail.kind == "incasso_aankondiging" and mail.to_addr == "klant@example.nl"
    for expected in ("05-12-2026", "€ 5,00", "Basis (maand-incasso) december",
                     "NL11ZZZ040892510000", "Kenmerk machtiging", "8 weken"):
        assert expected in mail.body_text, expected
    assert "NL20INGB0001234567" not in mail.body_text          # masked in a mail
    assert sepa.queue_pre_notifications(db, clock, config).invoices == 0
    clock.advance(days=1)
    assert sepa.queue_pre_notifications(db, clock, config).mailed == 1


def test_an_export_warns_about_invoices_not_pre_notified_in_time(db, clock, staff, config,
                                                                 tmp_path):
    customer = make_customer(db, email="klant@example.nl")
    with_mandate(db, clock, staff, config, customer)
    invoice(db, customer, 500, D(2026, 11, 29))
    result = sepa.export_collection(db, clock, config, D(2026, 11, 30), tmp_path / "x.xml")
    assert result.not_notified == 1 and "vooraankondiging" in "\n".join(result.lines())


# -- the creditor id in the config, and the command ------------------------------------------------
GOOD = LIBRARY + """address = "Kruisakkers 41"
postcode = "9468 BG"
place = "ANNEN"
""" + CREDITOR + ANNEN


def test_the_creditor_is_read_with_defaults_from_the_library(tmp_path):
    creditor = load_file(write_config(tmp_path, GOOD)).creditor
    assert (creditor.id, creditor.name, creditor.iban, creditor.bic, creditor.place,
            creditor.pre_notification_days) == (
        "NL11ZZZ040892510000", "Bibliotheek Test", "NL20INGB0670000000", "", "ANNEN", 7)
    assert demo_config().creditor.id == "NL11ZZZ040892510000"


test_a_wrong_creditor_stops_the_config_naming_the_key = refuses_settings(GOOD, [
    ("creditor.id", "NL12ZZZ040892510000", "check digits"),
    ("creditor.id", "hallo", "not a SEPA creditor id"),
    ("creditor.id", "NL67ZZZ0408925100", "KvK"),
    ("creditor.id", None, "missing"),
    ("creditor.iban", "NL21INGB0670000000", "check digits"),
    ("creditor.iban", "NL20INGB067000000", "not an IBAN"),
    ("creditor.bic", "ING", "not a BIC"),
    ("creditor.pre_notification_days", 0, "between"),
])


def test_a_wrong_creditor_id_stops_the_program_at_start(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text(GOOD.replace("NL11ZZZ", "NL12ZZZ"), encoding="utf-8")
    assert cli.main(["--config", str(path), "--db", str(tmp_path / "x.sqlite3")]) == 2
    assert "creditor.id" in capsys.readouterr().err


def test_the_command_writes_the_file(tmp_path, capsys):
    path = tmp_path / "config.toml"
    path.write_text(GOOD + f'\n[database]\npath = "{tmp_path}/prod.sqlite3"\n', "utf-8")
    out = tmp_path / "incasso.xml"
    day = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    args = ["--config", str(path), "sepa-export", "--collection-date", day, "-o", str(out)]
    assert cli.main(args) == 0
    assert "Niets te incasseren" in capsys.readouterr().out and not out.exists()
    assert cli.main(["--config", str(path), "sepa-export", "--collection-date", "morgen",
                     "-o", str(out)]) == 2
    assert "--collection-date" in capsys.readouterr().err
