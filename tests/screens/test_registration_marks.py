"""Step 1's marks (red labels, the BIC row, the ouder/verzorger rows) are worked out again only
when a field they depend on changes (issue 20: CPU per registration; working them out on every
keystroke was a quarter of a keystroke's CPU). Counted, not timed."""

from __future__ import annotations

import pytest

from tests.factories import make_staff
from tui_desk.screens import registration_customer
from tui_desk.screens.registration_customer import MARKS_DEPEND_ON, CustomerStepScreen
from tui_desk.services.registration import RegistrationService
from tui_desk.store.postcodes import load_postcodes


class Reads(dict):
    """A draft's values that remember which fields were read."""

    def __init__(self, values: dict[str, str], seen: set[str]) -> None:
        super().__init__(values)
        self.seen = seen

    def get(self, key, default=None):
        self.seen.add(key)
        return super().get(key, default)

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.seen.add(key)
        return super().__contains__(key)


ADULT = {"initials": "A", "surname": "Test", "birth_date": "1 januari 1991", "gender": "V",
         "country": "Nederland", "postcode": "9468 BG", "house_number": "41",
         "email": "a.test@example.nl"}
DRAFTS = [
    {},
    ADULT,
    {**ADULT, "birth_date": "01-06-2015"},                                    # a minor
    {**ADULT, "birth_date": "01-06-2015", "guardian_card": "29401000075801"},
    {**ADULT, "birth_date": "01-06-2015", "guardian_name": "B. Test",
     "guardian_email": "b@example.nl"},
    {**ADULT, "birth_date": "01-06-2012"},                                    # roepnaam age
    {**ADULT, "gender": "I"},                                                 # an institution
    {**ADULT, "country": "Duitsland"},
    {**ADULT, "no_email": "J", "email": ""},
    {**ADULT, "direct_debit": "J", "iban": "NL91ABNA0417164300"},
    {**ADULT, "direct_debit": "J", "iban": "DE89370400440532013000"},
    {**ADULT, "direct_debit": "J", "iban": "CH9300762011623852957"},
]


@pytest.mark.parametrize("values", DRAFTS)
def test_the_marks_read_only_the_fields_they_are_said_to_depend_on(db, clock, values):
    load_postcodes(db)
    service = RegistrationService(db, clock, make_staff(db))
    draft = service.start()
    seen: set[str] = set()
    for name, value in values.items():
        service.set(draft, name, value, save=False)
    draft.values = Reads(draft.values, seen)
    service.required(draft)
    service.bic_asked(draft)
    service.guardian_asked(draft)
    assert seen <= set(MARKS_DEPEND_ON)


async def test_typing_a_name_does_not_work_out_the_marks_again(app, monkeypatch):
    calls: list[str] = []
    original = CustomerStepScreen.refresh_marks

    def refresh_marks(self):
        calls.append(self.focused.id if self.focused else "")
        original(self)

    monkeypatch.setattr(registration_customer.CustomerStepScreen, "refresh_marks", refresh_marks)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        screen = app.screen
        assert isinstance(screen, CustomerStepScreen)
        screen.query_one("#f-surname").focus()
        await pilot.pause()
        calls.clear()
        await pilot.press(*"Vermeulen")
        assert screen.draft.get("surname") == "Vermeulen"
        assert calls == []
        # A field the marks depend on: worked out again, and they follow.
        screen.query_one("#f-iban").focus()
        await pilot.pause()
        await pilot.press(*"DE89370400440532013000")
        assert calls
        assert screen.query_one("#row-bic").display
