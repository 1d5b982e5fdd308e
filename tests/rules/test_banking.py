"""IBAN and BIC for SEPA direct debit ("Bic (*) * Alleen bij buitenlandse rekeningnummers")."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from schwifty import IBAN

from tests.rules.refusals import are_rule_errors, refusal
from tests.rules.strategies import FAST, IBANISH, returns_or_refuses
from tests.tables import parses, refuses
from tui_desk.rules.banking import (
    UNKNOWN_BANK_WARNING,
    BicError,
    IbanError,
    IbanResult,
    bic_asked,
    bic_required,
    mask_iban,
    parse_bic,
    parse_iban,
)


def test_dutch_iban_gets_its_bic():
    result = parse_iban("NL91ABNA0417164300")
    assert result == IbanResult(
        iban="NL91ABNA0417164300",
        bic="ABNANL2A",
        bank_known=True,
        foreign=False,
        warning="",
        bank_name="ABN AMRO BANK N.V.",
    )
    assert result.formatted == "NL91 ABNA 0417 1643 00"
    assert not bic_asked(result) and not bic_required(result)


@pytest.mark.parametrize(
    "typed", ["nl91 abna 0417 1643 00", " NL91ABNA0417164300 ", "nl91abna0417164300"]
)
def test_spaces_and_lower_case(typed):
    assert parse_iban(typed).iban == "NL91ABNA0417164300"


def test_ing_iban():
    iban = str(IBAN.generate("NL", bank_code="INGB", account_code="0001234567"))
    assert parse_iban(iban).bic == "INGBNL2A"


def test_wrong_check_digit():
    assert refusal(IbanError, parse_iban, "NL91ABNA0417164301") == (
        "IBAN klopt niet: controlegetal is onjuist.")


test_iban_refused = refuses(
    IbanError,
    parse_iban,
    [
        ("", "Vul een IBAN in, bijvoorbeeld NL91 ABNA 0417 1643 00."),
        ("NL91-ABNA", "Een IBAN bestaat alleen uit letters en cijfers."),
        ("NL", "Een IBAN begint met een landcode en twee cijfers, bijvoorbeeld NL91."),
        ("XX91ABNA0417164300", "IBAN klopt niet: het begint niet met een bekende landcode."),
        ("NL91ABNA041716430", "IBAN klopt niet: het aantal tekens past niet bij het land."),
        (
            "TR330006100519786457841326",
            "Een rekening uit Turkije kan niet voor SEPA-incasso gebruikt worden.",
        ),
    ],
)


def test_unknown_dutch_bank_is_accepted_with_a_warning():
    iban = str(IBAN.generate("NL", bank_code="ZZZZ", account_code="0417164300"))
    result = parse_iban(iban)
    assert result.bic is None and not result.bank_known and not result.foreign
    assert result.warning == UNKNOWN_BANK_WARNING == "Onbekende bank: controleer het IBAN."
    assert not bic_required(result)  # Dutch: the BIC field is not even shown


def test_foreign_iban_with_derived_bic():
    result = parse_iban("DE89370400440532013000")
    assert result.foreign and result.bank_known
    assert result.bic == "COBADEFFXXX"
    assert result.warning == ""
    assert bic_asked(result)  # shown, prefilled
    assert not bic_required(result)


def test_foreign_iban_without_derivable_bic_requires_one():
    result = parse_iban("BE68539007547034")
    assert result.foreign and result.bic is None
    assert bic_asked(result) and bic_required(result)
    assert result.warning == ""


test_bic = parses(
    parse_bic,
    [("ABNANL2A", "ABNANL2A"), ("abnanl2a", "ABNANL2A"), ("COBA DE FF XXX", "COBADEFFXXX")],
)


test_bic_refused = refuses(
    BicError,
    parse_bic,
    [
        ("", "Vul een BIC in, bijvoorbeeld COBADEFFXXX."),
        ("ABNANL2", "Een BIC heeft 8 of 11 tekens, dit zijn er 7."),
        ("ABNAXX2A", "BIC klopt niet: XX is geen landcode."),
        ("ABNA-NL2A", "Een BIC bestaat alleen uit letters en cijfers."),
    ],
)


test_mask_iban = parses(
    mask_iban,
    [
        ("NL91ABNA0417164300", "NL** **** **** **4300"),
        ("NL91 ABNA 0417 1643 00", "NL** **** **** **4300"),
        ("DE89370400440532013000", "DE** **** **** **** **3000"),
        ("BE68539007547034", "BE** **** **** 7034"),
        ("", ""),
    ],
)


test_error_classes = are_rule_errors(IbanError, BicError)


test_iban_returns_or_refuses = returns_or_refuses(
    parse_iban,
    IbanError,
    st.one_of(st.text(), IBANISH),
    lambda result: (
        parse_iban(result.iban) == result and result.foreign == (not result.iban.startswith("NL"))
    ),
)


@FAST
@given(st.from_regex(r"[0-9]{10}", fullmatch=True), st.sampled_from(["ABNA", "INGB", "RABO"]))
def test_generated_dutch_ibans_are_valid(account, bank):
    iban = str(IBAN.generate("NL", bank_code=bank, account_code=account))
    result = parse_iban(iban)
    assert result.bic is not None and result.bic[4:6] == "NL"
    masked = mask_iban(iban)
    assert masked.endswith(iban[-4:]) and masked.startswith("NL**")
    assert masked.replace(" ", "").count("*") == len(iban) - 6


test_bic_returns_or_refuses = returns_or_refuses(
    parse_bic, BicError, st.one_of(st.text(), IBANISH), lambda bic: len(bic) in (8, 11)
)


@FAST
@given(st.text())
def test_mask_never_fails(text):
    assert isinstance(mask_iban(text), str)
