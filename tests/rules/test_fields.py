"""The field table: one entry per customer field, for the wizard and the record alike."""

from __future__ import annotations

import datetime as dt

import pytest

from tui_desk.rules import fields
from tui_desk.rules.customers import GENDERS
from tui_desk.rules.errors import RuleError

CONTEXT = fields.Context(dt.date(2025, 4, 15))


def test_every_field_has_one_key_and_a_label():
    assert len(fields.BY_KEY) == len({f.label for f in fields.FIELDS}) == len(fields.FIELDS)
    assert fields.field("street").label == "Straat"
    with pytest.raises(KeyError):
        fields.field("straat")   # the drafts' Dutch keys are gone (migration 0014)


@pytest.mark.parametrize("text", ["Kruis\x07\x08\x7fakkers", "Kruis\u202eakkers", "a\x1b[2J"])
def test_invisible_characters_are_refused_in_free_text(text):
    with pytest.raises(RuleError):
        fields.parse("street", text, CONTEXT)


def test_the_limit_of_a_field_is_what_its_parser_takes():
    street = fields.field("street")
    assert fields.parse("street", "K" * street.max_length, CONTEXT)
    with pytest.raises(RuleError, match="maximaal 80"):
        fields.parse("street", "K" * (street.max_length + 1), CONTEXT)
    with pytest.raises(RuleError, match="maximaal 60"):
        fields.parse("place", "A" * 10_000, CONTEXT)


def test_a_toevoeging_alone_is_checked_as_after_a_number():
    assert fields.parse("house_suffix", " a 2", CONTEXT) == "A-2"
    assert fields.parse("house_suffix", "", CONTEXT) == ""
    for bad in ("[@click=app.quit]B[/]", "ABCDEFG", "a\x07"):
        with pytest.raises(RuleError):
            fields.parse("house_suffix", bad, CONTEXT)


def test_the_postcode_follows_the_country():
    assert fields.parse("postcode", "9468bg", CONTEXT) == "9468 BG"
    foreign = fields.Context(CONTEXT.today, country="BE")
    assert fields.parse("postcode", "1000", foreign) == "1000"


def test_mandatory_rules():
    assert fields.is_mandatory("surname", institution=True, youth=False, dutch=False)
    assert not fields.is_mandatory("birth_date", institution=True, youth=False, dutch=True)
    assert fields.is_mandatory("first_name", institution=False, youth=True, dutch=True)
    assert not fields.is_mandatory("first_name", institution=False, youth=False, dutch=True)
    assert not fields.is_mandatory("postcode", institution=False, youth=False, dutch=False)


def test_a_cut_says_so():
    assert fields.cut("abc", 2) == ("ab", True)
    assert fields.cut("ab", 2) == ("ab", False)
    assert "80" in fields.cut_message("Straat", 80)


def test_gender_labels_are_defined_once():
    from tui_desk.services import registration

    spec = registration.FIELD["gender"]
    assert dict(spec.choices) == GENDERS
