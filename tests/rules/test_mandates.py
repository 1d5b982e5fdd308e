"""Mandate rules: document codes with a Luhn check digit, the kenmerk, FRST/RCUR, the 36-month
lapse, the overstapservice, and what the printed form must show."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.tables import refuses_naming
from tui_desk.rules import mandates as m

D = dt.date


def test_the_manuals_document_code_is_valid_and_generated_from_prefix_and_sequence():
    assert m.parse_document_code("6775991190016261") == "6775991190016261"
    assert m.document_code(m.DOCUMENT_PREFIX, 99119001626) == "6775991190016261"
    assert m.document_code("6775", 1) == "677500000000001" + m.document_code("6775", 1)[-1]
    assert len(m.document_code("6775", 1)) == 16


@given(st.integers(min_value=1, max_value=10**11 - 1))
def test_every_generated_code_parses(sequence):
    code = m.document_code(m.DOCUMENT_PREFIX, sequence)
    assert m.parse_document_code(code) == code and code.startswith("6775")


@pytest.mark.parametrize(("text", "problem"), [
    ("", "Scan de barcode"),
    ("6775-99x1", "alleen uit cijfers"),
    ("677599119001626", "16 cijfers, dit zijn er 15"),
    ("6775991190016262", "controlecijfer"),
])
def test_a_bad_document_code_is_refused_in_dutch(text, problem):
    with pytest.raises(m.DocumentCodeError, match=problem):
        m.parse_document_code(text)
    assert not m.is_document_code(text)


def test_a_scanner_may_add_codabar_letters_and_spaces():
    assert m.parse_document_code("A6775991190016261B\n") == "6775991190016261"


def test_document_code_arguments_are_checked():
    with pytest.raises(ValueError):
        m.document_code("67x5", 1)
    with pytest.raises(ValueError):
        m.document_code("6775", 10**11)
    with pytest.raises(ValueError):
        m.document_code("6775", 0)


def test_kenmerk_from_actor_id_and_sequence():
    assert m.make_kenmerk(381847, 1) == "381847-001"
    assert m.make_kenmerk(381847, 12) == "381847-012"
    with pytest.raises(ValueError):
        m.make_kenmerk(0, 1)


@pytest.mark.parametrize("good", ["381847-001", "A/B-C?D:E(F).G,H'I+J", "x" * 35])
def test_kenmerk_accepts_the_sepa_characters(good):
    assert m.parse_kenmerk(good) == good


test_kenmerk_refuses_what_sepa_refuses = refuses_naming(
    m.KenmerkError,
    m.parse_kenmerk,
    [
        ("", "leeg"),
        ("x" * 36, "hoogstens 35"),
        ("381847 001", "geen spaties"),
        ("3818é7", "letters, cijfers"),
        ("/381847", "begint en eindigt niet met /"),
        ("381847/", "begint en eindigt niet met /"),
        ("38//1847", "bevat geen //"),
    ],
)


def test_frst_on_first_use_rcur_after():
    assert m.sequence_type(None) == m.FRST
    assert m.sequence_type(D(2026, 12, 1)) == m.RCUR


def test_a_mandate_unused_for_36_months_lapses():
    signed = D(2021, 4, 15)
    assert m.lapses_on(signed, None) == D(2024, 4, 15)
    assert not m.is_lapsed(signed, None, D(2024, 4, 14))
    assert m.is_lapsed(signed, None, D(2024, 4, 15))
    # every collection starts the 36 months again
    assert m.lapses_on(signed, D(2023, 12, 1)) == D(2026, 12, 1)
    assert not m.is_lapsed(signed, D(2023, 12, 1), D(2026, 11, 30))
    assert m.is_lapsed(signed, D(2023, 12, 1), D(2026, 12, 1))


def test_iban_change_with_overstapservice_keeps_the_mandate():
    old, new = "NL91ABNA0417164300", "NL20INGB0001234567"
    assert m.needs_new_mandate(old, new, switch_service=False)
    assert not m.needs_new_mandate(old, new, switch_service=True)
    assert not m.needs_new_mandate(old, "nl91 abna 0417 1643 00", switch_service=False)


def form(**changes) -> m.MandateForm:
    values = dict(
        document_code="6775991190016261", kenmerk="381847-001",
        creditor_name="Bibliotheek Drenthe", creditor_address="Kruisakkers 41",
        creditor_postcode="9468 BG", creditor_place="ANNEN", creditor_id="NL11ZZZ040892510000",
        debtor_name="Dhr. N. Test", debtor_iban="NL20INGB0001234567", debtor_bic="",
        debtor_place="ANNEN", printed_on=D(2021, 4, 15))
    values.update(changes)
    return m.MandateForm(**values)


def test_the_form_shows_everything_sepa_requires():
    lines = m.form_lines(form())
    text = "\n".join(lines)
    assert lines[:2] == ["SEPA", "Doorlopende machtiging"]
    for expected in ("Naam incassant: Bibliotheek Drenthe", "Adres: Kruisakkers 41",
                     "Postcode/plaats: 9468 BG ANNEN", "Incassant-ID: NL11ZZZ040892510000",
                     "Kenmerk machtiging: 381847-001", "Met uw handtekening onder dit formulier",
                     "binnen 8 weken na de afschrijving", "Naam rekeninghouder: Dhr. N. Test",
                     "Woonplaats: ANNEN", "IBAN: NL20 INGB 0001 2345 67", "Plaats: ___",
                     "Datum: 15-04-2021", "Handtekening:", "Documentcode: 6775991190016261"):
        assert expected in text, expected
    assert "BIC" not in text                  # a Dutch account: no BIC on the form
    foreign = "\n".join(m.form_lines(form(debtor_iban="DE89370400440532013000",
                                          debtor_bic="COBADEFFXXX")))
    assert "BIC: COBADEFFXXX" in foreign


def test_form_rows_are_text_and_label_value_pairs_for_the_receipt_printer():
    rows = m.form_rows(form())
    assert all(isinstance(r, str) or (isinstance(r, tuple) and len(r) == 2) for r in rows)
    assert ("IBAN", "NL20 INGB 0001 2345 67") in rows
    assert "SEPA" in m.FORM_TITLE


def test_review_shows_the_whole_iban_to_compare_with_the_signed_form():
    """Finding 10: "Controleer gegevens incassomachtiging" masked the IBAN, so staff could not
    compare it with the signed form - the dialog's only purpose. Whole there and on the form;
    masked in lists, logs and receipts."""
    assert m.review_iban("NL20INGB0001234567") == "NL20 INGB 0001 2345 67"
    assert m.review_iban("DE89 3704 0044 0532 0130 00") == "DE89 3704 0044 0532 0130 00"
