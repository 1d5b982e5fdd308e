"""Leaving step 1 (Klantgegevens): a card number for "V", the address from the postcode table,
likely duplicates, and the step checked and normalised into ``CustomerData``."""

from __future__ import annotations

from tui_desk.rules import banking, cards, customers, names, postcodes, selections
from tui_desk.rules.duplicates import Person, likely_same
from tui_desk.rules.errors import RuleError
from tui_desk.services import subscriptions
from tui_desk.services.customer_data import CustomerData
from tui_desk.services.registration.checks import FieldChecks
from tui_desk.services.registration.draft import (
    NO,
    NO_LOGIN_WARNING,
    STEP_LOGIN,
    STEP_SUBSCRIPTION,
    YES,
    AddressLookup,
    Draft,
    DuplicateCandidate,
    DuplicatesFound,
    StepIncomplete,
)
from tui_desk.store import drafts as draft_store
from tui_desk.store import postcodes as postcode_store
from tui_desk.store.duplicates import candidates


class CustomerStep(FieldChecks):
    """Step 1's actions besides typing; the base of ``RegistrationService``."""

    # -- card -------------------------------------------------------------------------------------
    def issue_card(self, draft: Draft) -> str:
        """"V" + Enter: the branch's next free number, reserved for this draft.

        The sequence is advanced inside one IMMEDIATE transaction, so two counters pressing V
        at the same moment get different numbers.
        """
        now = self.clock.now()
        with self.db.transaction():
            number = draft_store.next_free_card_number(self.db, draft.branch_code)
            draft_store.reserve_card(self.db, number, draft.id, now)
        draft.values["kaart"] = number
        draft.values["kaart_gereserveerd"] = number
        draft.values["kaart_v"] = YES
        self.save(draft)
        return number

    # -- address ------------------------------------------------------------------------------
    def lookup_address(self, draft: Draft) -> AddressLookup:
        """Postcode + house number → street and place from the postcode table.

        Found: the street and place are filled in (and marked checked). Not found: they stay
        editable and the address is marked "niet gecontroleerd".
        """
        if not self._is_dutch(draft):
            draft.values["adres_gecontroleerd"] = NO
            self.save(draft)
            return AddressLookup(False, applies=False)
        try:
            code = postcodes.parse_postcode(draft.get("postcode"))
            number, _suffix = postcodes.parse_house_number(draft.get("house_number"))
        except RuleError:
            return AddressLookup(False)
        row = postcode_store.lookup(self.db, code, number)
        if row is None:
            draft.values["adres_gecontroleerd"] = NO
            draft.values.pop("regio", None)
            self.save(draft)
            return AddressLookup(False)
        draft.values.update(street=row["street"], place=row["place"], regio=row["region"],
                            adres_gecontroleerd=YES)
        self.save(draft)
        return AddressLookup(True, row["street"], row["place"], row["region"])

    # -- duplicates -------------------------------------------------------------------------
    def duplicates(self, draft: Draft) -> list[DuplicateCandidate]:
        """Customers who are probably this person already (see rules/duplicates.py)."""
        gender = draft.get("gender")
        birth = self._birth(draft)
        try:
            postcode = postcodes.parse_postcode(draft.get("postcode"))
        except RuleError:
            postcode = draft.get("postcode").strip().upper()
        try:
            number, suffix = postcodes.parse_house_number(draft.get("house_number"))
        except RuleError:
            number, suffix = None, ""
        suffix = draft.get("house_suffix").strip().upper() or suffix
        try:
            prefix = names.parse_prefix(draft.get("prefix"))
        except RuleError:
            prefix = draft.get("prefix")
        new = Person(draft.get("initials"), prefix, draft.get("surname"),
                     None if gender == "I" else birth, postcode, number, suffix,
                     institution=gender == "I")
        found = []
        for row in candidates(self.db, birth_date=new.birth_date, postcode=postcode,
                              house_number=number):
            known = Person(row.initials, row.prefix, row.surname, row.birth_date, row.postcode,
                           row.house_number, row.house_suffix, institution=row.kind ==
                           "institution")
            reason = likely_same(new, known)
            if reason:
                address = f"{row.street} {row.house_number or ''}{row.house_suffix}".strip()
                place = row.place.upper()
                found.append(DuplicateCandidate(
                    customer_id=row.customer_id,
                    card_number=row.card_number,
                    name=names.display_name(row.initials, row.prefix, row.surname,
                                            names.salutation(row.gender)),
                    birth_date=row.birth_date,
                    address=f"{address}, {place}".strip(", "),
                    reason=reason,
                ))
        return found

    # -- leaving step 1 ------------------------------------------------------------------------
    def _text(self, draft: Draft, name: str) -> str:
        """A text field of the table as it is stored (every one of them parses to text)."""
        return str(self.parsed(draft, name))

    def customer_data(self, draft: Draft) -> CustomerData:
        """Step 1 checked and normalised; raises StepIncomplete with every problem."""
        problems = self.errors(draft)
        if problems:
            raise StepIncomplete(problems)
        g = draft.get
        gender = customers.parse_gender(g("gender"))
        number, suffix = postcodes.parse_house_number(g("house_number"))
        suffix = self._text(draft, "house_suffix") or suffix
        iban = banking.parse_iban(g("iban")) if g("iban").strip() else None
        bic = ""
        if iban is not None:
            bic = banking.parse_bic(g("bic")) if g("bic").strip() else (iban.bic or "")
        selection = selections.parse_selection(g("selectie"), subscriptions.known_selections())
        warnings = []
        if iban is not None and iban.warning:
            warnings.append(iban.warning)
        if self._is_dutch(draft) and not self.address_verified(draft):
            warnings.append("Adres niet gecontroleerd: niet gevonden in de postcodetabel.")
        if not draft.yes("inlogaccount"):
            warnings.append(NO_LOGIN_WARNING)
        birth = self._birth(draft)
        assert birth is not None
        return CustomerData(
            card_number=cards.parse(g("kaart")).number,
            card_issued_by_system=draft.values.get("kaart_v") == YES,
            gender=gender,
            initials="" if gender == "I" else self._text(draft, "initials"),
            prefix=self._text(draft, "prefix"),
            surname=self._text(draft, "surname"),
            first_name=names.parse_given_name(g("first_name")),
            birth_date=birth,
            country=postcodes.country_code(g("country") or "Nederland"),
            postcode=self._text(draft, "postcode"),
            house_number=number,
            house_suffix=suffix,
            street=self._text(draft, "street"),
            place=self._text(draft, "place"),
            address_verified=self.address_verified(draft),
            region=draft.values.get("regio", ""),
            phone=self._text(draft, "phone"),
            sms=self._text(draft, "sms"),
            direct_debit=draft.yes("incasso"),
            iban=iban.iban if iban else "",
            bic=bic,
            id_checked=draft.yes("legitimatie"),
            use_login=draft.yes("inlogaccount"),
            email="" if draft.yes("email_leeg") or not g("email").strip()
            else self._text(draft, "email"),
            newsletter=draft.yes("nieuwsbrief"),
            selection=selection.code if selection else "",
            loan_history=draft.yes("leenhistorie"),
            notify_loaned_before=draft.yes("melding_eerder_geleend"),
            warnings=tuple(warnings),
            guardian=self.guardian_input(draft) if self.guardian_asked(draft) else None,
            channel=g("kanaal"),
            language=g("taal") or "nl",
        )

    def finish_customer_step(self, draft: Draft, *, duplicates_seen: bool = False) -> str:
        """"Ok, Vervolg": check the step, look for duplicates, move on.

        Raises StepIncomplete when something is missing or wrong, and ``DuplicatesFound`` the
        first time likely duplicates exist (the screen lists them; staff open one or go on with
        "toch nieuwe klant", which calls this again with ``duplicates_seen=True``).
        """
        data = self.customer_data(draft)
        if not (duplicates_seen or draft.duplicates_seen):
            found = self.duplicates(draft)
            if found:
                raise DuplicatesFound(found)
        draft.duplicates_seen = True
        draft.step = STEP_LOGIN if data.use_login else STEP_SUBSCRIPTION
        self.save(draft)
        return draft.step
