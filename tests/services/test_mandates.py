"""Step 5 without a screen: the bank details from step 1, Print nieuwe machtiging, Verwerk
machtiging with its refusals, the stored scan, revocation, IBAN change with and without the
overstapservice, and the 36-month lapse."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

import pytest

from tests.factories import make_customer, make_manual_customer, make_staff
from tui_desk.config import Workstation
from tui_desk.services import mandates as svc
from tui_desk.services import printing, scans
from tui_desk.store import audit, counters
from tui_desk.store import drafts as draft_store
from tui_desk.store import mandates as store
from tui_desk.store import settlement as settlement_store

IBAN = "NL20INGB0001234567"
OTHER_IBAN = "NL91ABNA0417164300"
GERMAN = "DE89370400440532013000"
MANUAL_CODE = "6775991190016261"


@pytest.fixture
def staff(db):
    return make_staff(db, name="J. de Balie")


@pytest.fixture
def customer(db):
    return make_manual_customer(db)


def print_form(db, clock, staff, config, customer_id, iban=IBAN, bic="",
               name="Mw. A. van de Test", place="Annen", **kwargs):
    return svc.print_new_mandate(db, clock, staff, config, customer_id, iban, bic, name, place,
                                 **kwargs)


def signed(db, clock, staff, config, customer_id, **kwargs):
    form = print_form(db, clock, staff, config, customer_id, **kwargs)
    return form, svc.process_mandate(db, clock, staff, customer_id, form.document_code, "none")


# -- the bank details -----------------------------------------------------------------------------
def test_bank_details_are_taken_over_from_step_1(db, clock, staff, customer):
    empty = svc.mandate_data_for(db, customer)
    assert (empty.iban, empty.holder_name, empty.holder_place, empty.source) == (
        "", "Mw. A. van de Test", "ANNEN", "")
    draft_id = draft_store.create(db, staff_id=staff.id, branch_code="9401", step="klaar",
                                  data={"values": {"iban": "nl20 ingb 0001 2345 67",
                                                   "bic": ""}}, now=clock.now())
    draft_store.set_status(db, draft_id, "done", now=clock.now(), customer_id=customer)
    data = svc.mandate_data_for(db, customer)
    assert (data.iban, data.bic, data.bic_asked, data.source) == (IBAN, "", False, "registratie")


def test_a_foreign_iban_asks_for_the_bic(db, clock, staff):
    customer = make_customer(db)
    draft_id = draft_store.create(db, staff_id=staff.id, branch_code="9401", step="klaar",
                                  data={"values": {"iban": GERMAN, "bic": "COBADEFFXXX"}},
                                  now=clock.now())
    draft_store.set_status(db, draft_id, "done", now=clock.now(), customer_id=customer)
    data = svc.mandate_data_for(db, customer)
    assert data.bic_asked and data.bic == "COBADEFFXXX"


@pytest.mark.parametrize(("args", "field", "problem"), [
    ((IBAN[:-1] + "8", "", "X", "Y"), "iban", "controlegetal"),
    (("BE68539007547034", "", "X", "Y"), "bic", "Vul de BIC in"),
    ((GERMAN, "COBA", "X", "Y"), "bic", "8 of 11 tekens"),
    ((IBAN, "", " ", "Y"), "holder_name", "naam van de rekeninghouder"),
    ((IBAN, "", "X" * 71, "Y"), "holder_name", "hoogstens 70"),
    ((IBAN, "", "X", ""), "holder_place", "woonplaats"),
])
def test_bank_details_are_checked(args, field, problem):
    with pytest.raises(svc.MandateInputError) as err:
        svc.check_bank_details(*args)
    assert problem in err.value.errors[field]


def test_a_dutch_iban_needs_no_bic_and_a_foreign_one_gets_the_derived_bic():
    assert svc.check_bank_details(IBAN, "IGNORED", "A", "annen").bic == ""
    assert svc.check_bank_details(IBAN, "", "A", "annen").holder_place == "ANNEN"
    assert svc.check_bank_details(GERMAN, "", "A", "Berlin").bic == "COBADEFFXXX"


# -- Print nieuwe machtiging ----------------------------------------------------------------------
def test_print_stores_a_pending_mandate_and_hands_the_form_to_the_printer(
        db, clock, staff, config, customer):
    counters.set_value(db, counters.DOCUMENT_CODE, 99119001625)
    printed = []
    form = print_form(db, clock, staff, config, customer, printer=printed.append)
    assert printed == [form]
    assert form.document_code == MANUAL_CODE and form.kenmerk == "381847-001"
    assert (form.creditor_id, form.creditor_name) == ("NL11ZZZ040892510000",
                                                      "Bibliotheek Drenthe")
    assert (form.debtor_name, form.debtor_iban, form.debtor_place) == (
        "Mw. A. van de Test", IBAN, "ANNEN")
    mandate = store.by_document_code(db, MANUAL_CODE)
    assert mandate.status == "pending" and mandate.signed_on is None
    assert not svc.has_incasso(db, customer)
    [entry] = [e for e in audit.for_customer(db, customer) if e.entity == "mandate"]
    assert entry.after["iban"] == "NL** **** **** **4567"   # no whole IBAN in the audit log


def test_a_new_print_supersedes_the_unprocessed_one(db, clock, staff, config, customer):
    first = print_form(db, clock, staff, config, customer)
    second = print_form(db, clock, staff, config, customer)
    assert first.document_code != second.document_code
    assert (first.kenmerk, second.kenmerk) == ("381847-001", "381847-002")
    with pytest.raises(svc.DocumentRefused, match="vervangen door een later geprinte"):
        svc.check_document(db, customer, first.document_code)
    assert svc.check_document(db, customer, second.document_code).mandate_id


def test_without_a_creditor_nothing_can_be_printed(db, clock, staff, config, customer):
    with pytest.raises(svc.MandateError, match="geen incassant"):
        print_form(db, clock, staff, dataclasses.replace(config, creditor=None), customer)


def test_the_form_goes_to_the_receipt_printer_as_a_machtiging_job(
        db, clock, staff, config, customer, tmp_path):
    form = print_form(db, clock, staff, config, customer)
    ws = Workstation("balie-1", "9401", receipt_printer=f"file://{tmp_path}/bon.bin")
    request = svc.mandate_print_request(db, clock, config, ws, form, staff=staff)
    assert request.job.kind == "machtiging" and request.job.customer_id == customer
    text = "\n".join(printing.preview_lines(printing.get_job(db, request.job.id)))
    for expected in ("SEPA DOORLOPENDE MACHTIGING", "Incassant-ID", "381847-001",
                     "binnen 8 weken", f"CODABAR A{form.document_code}B"):
        assert expected in text, expected
    # "Scan de barcode links bovenaan": the document code is the first thing on the paper
    payload = printing.get_job(db, request.job.id).payload
    assert payload.index(b"\x1dk") < payload.index(b"SEPA DOORLOPENDE MACHTIGING")
    assert text.splitlines()[0] == f"[CODABAR A{form.document_code}B]"


# -- Verwerk machtiging ---------------------------------------------------------------------------
def test_controleer_shows_klantnaam_actor_id_and_documenttype(db, clock, staff, config,
                                                             customer):
    form = print_form(db, clock, staff, config, customer)
    check = svc.check_document(db, customer, f"A{form.document_code}B")
    assert (check.klantnaam, check.actor_id, check.documenttype) == (
        "Mw. A. van de Test", 381847, "01 - Incassomachtiging")


def test_codes_that_cannot_be_processed_are_refused_with_the_reason(
        db, clock, staff, config, customer):
    other = make_customer(db, actor_id=400001)
    theirs = print_form(db, clock, staff, config, other)
    with pytest.raises(svc.DocumentRefused, match="controlecijfer"):
        svc.check_document(db, customer, "6775991190016262")
    with pytest.raises(svc.DocumentRefused, match="onbekend"):
        svc.check_document(db, customer, MANUAL_CODE)
    with pytest.raises(svc.DocumentRefused, match=r"andere klant \(actor id 400001\)"):
        svc.check_document(db, customer, theirs.document_code)
    mine, _ = signed(db, clock, staff, config, customer)
    with pytest.raises(svc.DocumentRefused, match="al verwerkt"):
        svc.check_document(db, customer, mine.document_code)
    with pytest.raises(svc.DocumentRefused, match="al verwerkt"):
        svc.process_mandate(db, clock, staff, customer, mine.document_code, "none")


def test_processing_activates_the_mandate_and_ticks_incasso(db, clock, staff, config, customer):
    form = print_form(db, clock, staff, config, customer)
    review = svc.review_mandate(db, clock, customer, form.document_code)
    assert review.rows() == [
        ("Naam rekeninghouder", "Mw. A. van de Test"), ("Plaats rekeninghouder", "ANNEN"),
        ("Datum machtiging", "28-11-2026"), ("IBAN rekeningnummer", "NL20 INGB 0001 2345 67"),
        ("BIC banknummer", "")]
    result = svc.process_mandate(db, clock, staff, customer, form.document_code, "none")
    assert result.message == "Vastleggen klantdocument voltooid"
    assert result.kenmerk == "381847-001" and result.direct_debit
    assert result.mandate.signed_on == clock.today()
    assert svc.active_mandate(db, customer).kenmerk == "381847-001"
    # the settlement's own check agrees: an amount left open goes to incasso
    assert settlement_store.has_active_mandate(db, customer)
    doc = store.document(db, form.document_code)
    assert (doc.status, doc.source) == ("processed", "none")
    panel = svc.mandate_panel(db, customer)
    assert panel.direct_debit and panel.kenmerk == "381847-001" and panel.pending is None


def test_selecteer_bestand_archives_the_scan_and_takes_it_out_of_the_inbox(
        db, clock, staff, config, customer, tmp_path):
    form = print_form(db, clock, staff, config, customer)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "machtiging.pdf").write_bytes(b"%PDF-1.4\n% signed form\n")
    scan = scans.read(inbox, "machtiging.pdf")
    result = svc.process_mandate(db, clock, staff, customer, form.document_code, "file", scan,
                                 inbox=inbox)
    assert result.file_name == "machtiging.pdf" and result.warning == ""
    assert store.document_file(db, form.document_code) == (
        "machtiging.pdf", "application/pdf", b"%PDF-1.4\n% signed form\n")
    assert store.document_checksum(db, form.document_code) == hashlib.sha256(
        b"%PDF-1.4\n% signed form\n").hexdigest()
    assert not (inbox / "machtiging.pdf").exists()            # moved out of the inbox
    archived = svc.archived_scan(db, form.document_code)
    assert (archived.file_name, archived.file_size) == ("machtiging.pdf", 23)


@pytest.mark.parametrize(("source", "problem"), [
    ("file", "Kies de scan"),
    ("scan", "Kies de scan"),
    ("elsewhere", "Kies een bron"),
])
def test_a_scan_is_needed_unless_geen_upload(db, clock, staff, config, customer, source,
                                             problem):
    form = print_form(db, clock, staff, config, customer)
    with pytest.raises(svc.MandateInputError) as err:
        svc.process_mandate(db, clock, staff, customer, form.document_code, source, None)
    assert problem in " ".join(err.value.errors.values())
    assert store.by_document_code(db, form.document_code).status == "pending"


def test_a_new_mandate_replaces_the_active_one(db, clock, staff, config, customer):
    _, first = signed(db, clock, staff, config, customer)
    _, second = signed(db, clock, staff, config, customer, iban=OTHER_IBAN)
    assert second.replaced_kenmerk == first.kenmerk
    old = store.get(db, first.mandate.id)
    assert old.status == "revoked" and "Vervangen door machtiging 381847-002" in (
        old.revoke_reason)
    assert svc.active_mandate(db, customer).iban == OTHER_IBAN


def test_the_date_of_the_mandate_cannot_be_in_the_future(db, clock, staff, config, customer):
    form = print_form(db, clock, staff, config, customer)
    with pytest.raises(svc.MandateInputError, match="toekomst"):
        svc.process_mandate(db, clock, staff, customer, form.document_code, "none",
                            signed_on=clock.today() + dt.timedelta(days=1))


# -- the mandate's life ---------------------------------------------------------------------------
def test_revocation_with_date_and_reason(db, clock, staff, config, customer):
    signed(db, clock, staff, config, customer)
    with pytest.raises(svc.MandateInputError, match="reden"):
        svc.revoke(db, clock, staff, customer, reason=" ")
    with pytest.raises(svc.MandateInputError, match="toekomst"):
        svc.revoke(db, clock, staff, customer, reason="Op verzoek klant",
                   on=clock.today() + dt.timedelta(days=1))
    mandate = svc.revoke(db, clock, staff, customer, reason="Op verzoek klant")
    assert (mandate.status, mandate.revoked_on, mandate.revoke_reason) == (
        "revoked", clock.today(), "Op verzoek klant")
    assert not svc.has_incasso(db, customer)
    assert not settlement_store.has_active_mandate(db, customer)
    panel = svc.mandate_panel(db, customer)
    assert not panel.direct_debit and panel.current.revoked_on == clock.today()
    with pytest.raises(svc.MandateError, match="geen actieve machtiging"):
        svc.revoke(db, clock, staff, customer, reason="nogmaals")


def test_iban_change_with_overstapservice_keeps_the_mandate(db, clock, staff, config, customer):
    _, result = signed(db, clock, staff, config, customer)
    change = svc.change_iban(db, clock, staff, customer, OTHER_IBAN, switch_service=True)
    assert change.kept and not change.needs_new_mandate
    mandate = svc.active_mandate(db, customer)
    assert (mandate.id, mandate.kenmerk, mandate.iban) == (
        result.mandate.id, result.kenmerk, OTHER_IBAN)
    assert mandate.uses_switch_service and mandate.previous_iban == IBAN
    same = svc.change_iban(db, clock, staff, customer, OTHER_IBAN, switch_service=False)
    assert same.kept and "ongewijzigd" in same.message


def test_iban_change_without_overstapservice_needs_a_new_mandate(db, clock, staff, config,
                                                                 customer):
    signed(db, clock, staff, config, customer)
    change = svc.change_iban(db, clock, staff, customer, OTHER_IBAN, switch_service=False)
    assert not change.kept and change.needs_new_mandate and change.iban == OTHER_IBAN
    assert "nieuwe machtiging" in change.message
    assert not svc.has_incasso(db, customer)
    assert change.mandate.revoke_reason == "Nieuw rekeningnummer zonder overstapservice"


def test_a_mandate_unused_for_36_months_lapses(db, clock, staff, config, customer):
    _, result = signed(db, clock, staff, config, customer)
    clock.set(clock.now() + dt.timedelta(days=3 * 365 + 1))
    [lapsed] = svc.lapse_unused(db, clock)
    assert lapsed.id == result.mandate.id
    assert store.get(db, lapsed.id).status == "lapsed"
    assert not svc.has_incasso(db, customer)
    assert svc.lapse_unused(db, clock) == []
