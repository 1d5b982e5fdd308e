"""Telefoon, SMS-nummer and E-mail; the manual's record has (088) 012 82 95 and
info@bibliotheekannen.nl."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.rules.refusals import are_rule_errors
from tests.rules.strategies import EMAILISH, FAST, PHONEISH, returns_or_refuses
from tests.tables import parses, refuses_each
from tui_desk.rules.contact import (
    EmailError,
    PhoneError,
    parse_email,
    parse_phone,
    parse_sms,
    show_phone,
)


def test_the_manuals_phone_number():
    assert parse_phone("(088) 012 82 95") == "+31880128295"
    assert show_phone("+31880128295") == "088 012 8295"


test_phone = parses(
    parse_phone,
    [
        ("0592-123456", "+31592123456"),
        ("050 123 4567", "+31501234567"),
        ("06-1234 5678", "+31612345678"),
        ("+31 (0)6 12345678", "+31612345678"),
        ("0031 6 12345678", "+31612345678"),
        ("+32 470 12 34 56", "+32470123456"),
        ("", ""),
        ("  ", ""),
    ],
)


def test_phone_of_another_country():
    assert parse_phone("030 123456", country="DE") == "+4930123456"


test_phone_refused = refuses_each(
    PhoneError,
    parse_phone,
    ["112", "06", "abc", "06-12345678a", "0612345678 ext 3", "+"],
)


def test_sms_must_be_mobile():
    assert parse_sms("06-1234 5678") == "+31612345678"
    assert parse_sms("+32 470 12 34 56") == "+32470123456"
    assert parse_sms("") == ""
    for landline in ("0592-123456", "(088) 012 82 95", "0800-1234"):
        with pytest.raises(PhoneError) as info:
            parse_sms(landline)
        assert str(info.value) == "Een SMS-nummer moet een mobiel nummer zijn."


def test_show_phone():
    assert show_phone("+31612345678") == "06 12345678"
    assert show_phone("+32470123456") == "+32 470 12 34 56"
    assert show_phone("") == ""
    assert show_phone("onbekend") == "onbekend"


test_email = parses(
    parse_email,
    [
        ("info@bibliotheekannen.nl", "info@bibliotheekannen.nl"),
        (" Info@BibliotheekAnnen.NL ", "Info@bibliotheekannen.nl"),
        ("a.b+lid@sub.example.com", "a.b+lid@sub.example.com"),
        ("", ""),
        ("   ", ""),
    ],
)


test_email_refused = refuses_each(
    EmailError,
    parse_email,
    [
        "info",
        "info@",
        "@bibliotheek.nl",
        "info@bibliotheek",
        "info@bibliotheek,nl",
        "in fo@bibliotheek.nl",
        "a@@b.nl",
        ".a@b.nl",
        "a..b@c.nl",
        "a@-b.nl",
        "a@b.c",
        "jöran@example.nl",
        "a" * 65 + "@b.nl",
        "a@" + "b" * 250 + ".nl",
    ],
)


test_error_classes = are_rule_errors(PhoneError, EmailError)


test_phone_returns_or_refuses = returns_or_refuses(
    parse_phone,
    PhoneError,
    st.one_of(st.text(), PHONEISH),
    lambda e164: e164 == "" or (e164.startswith("+") and e164[1:].isdigit()),
    stable=True,
)


@FAST
@given(st.one_of(st.text(), PHONEISH), st.sampled_from(["NL", "BE", "DE", "XX"]))
def test_sms_returns_or_refuses(text, country):
    try:
        parse_sms(text, country)
    except PhoneError:
        pass


@FAST
@given(st.text())
def test_show_phone_never_fails(text):
    assert isinstance(show_phone(text), str)


test_email_returns_or_refuses = returns_or_refuses(
    parse_email,
    EmailError,
    st.one_of(st.text(), EMAILISH, st.emails()),
    lambda email: len(email) <= 254 and " " not in email,
    stable=True,
)
