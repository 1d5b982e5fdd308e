"""Every packaged exercise done right (it passes) and done wrong (the check names what is
wrong), in a trainee's sandbox copied from one seeded template, through the services the
screens use."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest

from tui_desk.clock import FixedClock
from tui_desk.config import demo_config
from tui_desk.services import cards as card_svc
from tui_desk.services import customers as customer_svc
from tui_desk.services import exercises as ex
from tui_desk.services import mandates as mandate_svc
from tui_desk.services import settlement as settle
from tui_desk.services.registration import RegistrationService
from tui_desk.store import staff as staff_store
from tui_desk.store.demo import ensure_demo
from tui_desk.store.sandbox import copy_template, open_sandbox, sandboxes

DAY = dt.date(2026, 11, 28)
NOW = dt.datetime.combine(DAY, dt.time(10, 0))
IBAN = "NL91ABNA0417164300"


@pytest.fixture
def sandbox(demo_template, tmp_path):
    """A trainee's fresh copy (the template is copied into this test's own folder)."""
    source = ensure_demo(demo_template, demo_config(), DAY)
    try:
        path = copy_template(source, tmp_path / "demo.sqlite3", "10.0.0.5", NOW)
    finally:
        source.close()
    db, made = open_sandbox(tmp_path / "demo.sqlite3", "10.0.0.5", demo_config(), NOW)
    assert not made and db.path == path
    yield db
    db.close()


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def staff(sandbox):
    return staff_store.by_username(sandbox, "balie")


def exercise(ident):
    return ex.by_id(ident)


def register(db, clock, staff, values, tariff, **extra):
    service = RegistrationService(db, clock, staff, demo_config())
    draft = service.start()
    service.issue_card(draft)
    base = {"country": "Nederland", "postcode": "9468 AA", "gender": "V", "inlogaccount": "Nee",
            "email_leeg": "Ja"}
    base.update(values)
    base.update(extra)
    for name, value in base.items():
        message = service.set(draft, name, value)
        assert message is None, (name, message)
    service.lookup_address(draft)
    service.finish_customer_step(draft, duplicates_seen=True)
    return service.register(draft, tariff)


def pay(db, clock, staff, done, method):
    current = settle.session(db, clock, staff, done.customer_id,
                             invoice_ids=done.open_invoice_ids, config=demo_config())
    return settle.pay_typed(db, clock, staff, current, method, "")


def begin_and_check(db, clock, ident, do, answer=""):
    exercise_ = exercise(ident)
    ex.start(db, clock, exercise_)
    do()
    return ex.check(db, clock, exercise_, answer)


# -- 1: adult, Basis, PIN -----------------------------------------------------------------
DE_VRIES = {"initials": "P", "prefix": "de", "surname": "Vries",
            "birth_date": "14-06-1984", "house_number": "5", "gender": "M"}


def test_adult_by_pin_done_right_passes(sandbox, clock, staff):
    result = begin_and_check(sandbox, clock, "01-volwassene-pin", lambda: pay(
        sandbox, clock, staff, register(sandbox, clock, staff, DE_VRIES, "0045"), "pin"))
    assert result.passed, result.summary()
    assert result.summary() == "klant ingeschreven ✓, abonnement 0045 ✓, betaald via PIN ✓"


def test_adult_paid_in_cash_names_what_is_wrong(sandbox, clock, staff):
    result = begin_and_check(sandbox, clock, "01-volwassene-pin", lambda: pay(
        sandbox, clock, staff, register(sandbox, clock, staff, DE_VRIES, "0045"), "kas"))
    assert not result.passed
    assert "abonnement 0045 ✓" in result.summary()
    assert "betaald via PIN ✗: contant afgerekend" in result.summary()


def test_the_result_is_kept_in_the_sandbox_for_the_trainer(sandbox, clock, staff, tmp_path):
    begin_and_check(sandbox, clock, "01-volwassene-pin", lambda: pay(
        sandbox, clock, staff, register(sandbox, clock, staff, DE_VRIES, "0053"), "pin"))
    lines = ex.progress_lines(tmp_path / "demo.sqlite3")
    assert [b.trainee for b in sandboxes(tmp_path / "demo.sqlite3")] == ["10.0.0.5"]
    assert lines[0].startswith("10.0.0.5: 0 van ")
    assert "abonnement 0045 ✗: 0053 (Compleet) gekozen" in "\n".join(lines)


# -- 2: a child gets Jeugd with Roepnaam ------------------------------------------------------
SANNE = {"initials": "S.M.", "surname": "Bakker", "birth_date": "03-03-2016",
         "house_number": "7",
         # her father registers her: a minor needs an ouder/verzorger
         "ouder_naam": "J. Bakker", "ouder_relatie": "vader", "ouder_telefoon": "0592-123456"}


def test_child_with_roepnaam_done_right_passes(sandbox, clock, staff):
    result = begin_and_check(sandbox, clock, "02-kind-jeugd", lambda: register(
        sandbox, clock, staff, {**SANNE, "first_name": "Sanne"}, "0011"))
    assert result.passed, result.summary()


def test_child_with_the_wrong_roepnaam_is_named(sandbox, clock, staff):
    result = begin_and_check(sandbox, clock, "02-kind-jeugd", lambda: register(
        sandbox, clock, staff, {**SANNE, "first_name": "Susan"}, "0011"))
    assert not result.passed
    assert "abonnement 0011 ✓" in result.summary()
    assert "roepnaam Sanne ✗: 'Susan' ingevuld" in result.summary()


# -- 3: Sepa incasso and the mandate from print to scan -------------------------------------
HULSHOF = {"initials": "K", "surname": "Hulshof", "birth_date": "21-09-1977",
           "house_number": "9", "incasso": "Ja", "iban": IBAN}


def _incasso(db, clock, staff, *, process):
    done = register(db, clock, staff, HULSHOF, "0045")
    current = settle.session(db, clock, staff, done.customer_id,
                             invoice_ids=done.open_invoice_ids, config=demo_config(),
                             mandate_follows=True)
    settle.register_open(db, clock, staff, current)
    form = mandate_svc.print_new_mandate(db, clock, staff, demo_config(), done.customer_id,
                                         IBAN, "", "Mw. K. Hulshof", "Annen")
    if process:
        mandate_svc.process_mandate(db, clock, staff, done.customer_id, form.document_code,
                                    "none")


def test_incasso_with_the_mandate_processed_passes(sandbox, clock, staff):
    result = begin_and_check(sandbox, clock, "03-sepa-incasso",
                             lambda: _incasso(sandbox, clock, staff, process=True))
    assert result.passed, result.summary()


def test_incasso_with_the_mandate_only_printed_is_named(sandbox, clock, staff):
    result = begin_and_check(sandbox, clock, "03-sepa-incasso",
                             lambda: _incasso(sandbox, clock, staff, process=False))
    assert not result.passed
    assert "bedrag geregistreerd voor incasso ✓" in result.summary()
    assert "incassomachtiging verwerkt ✗: geprint, maar niet verwerkt" in result.summary()


# -- 4: the likely duplicate is opened instead of registered ---------------------------------
JANSEN_CARD = "29402000314158"


def _new_phone(db, clock, staff):
    from tui_desk.store.exercises import customer_by_card

    customer_svc.update_naw(db, clock, staff, customer_by_card(db, JANSEN_CARD),
                            {"phone": "06-12345678"})


def test_duplicate_opened_and_phone_added_passes(sandbox, clock, staff):
    result = begin_and_check(sandbox, clock, "04-dubbele-klant",
                             lambda: _new_phone(sandbox, clock, staff))
    assert result.passed, result.summary()


def test_registering_the_duplicate_anyway_is_named(sandbox, clock, staff):
    result = begin_and_check(sandbox, clock, "04-dubbele-klant", lambda: register(
        sandbox, clock, staff, {
            "initials": "J", "surname": "Jansen", "birth_date": "12-03-1985",
            "postcode": "9401 AH", "house_number": "12", "gender": "M",
            "phone": "06-12345678"}, "0045"))
    assert not result.passed
    assert "geen dubbele klant ingeschreven ✗: er is een nieuwe klant bij gekomen" \
        in result.summary()
    assert "telefoon 06-12345678 ✗" in result.summary()


# -- 5: register the amount, find the contribution letter ------------------------------------
SEINEN = {"initials": "L", "surname": "Seinen", "birth_date": "30-11-1990",
          "house_number": "11", "email_leeg": "Nee", "email": "l.seinen@example.nl"}


def _registered(db, clock, staff):
    done = register(db, clock, staff, SEINEN, "0045")
    current = settle.session(db, clock, staff, done.customer_id,
                             invoice_ids=done.open_invoice_ids, config=demo_config())
    settle.register_open(db, clock, staff, current)
    return current.due_cents


def test_amount_registered_and_letter_found_passes(sandbox, clock, staff):
    exercise_ = exercise("05-registreren-brief")
    ex.start(sandbox, clock, exercise_)
    due = _registered(sandbox, clock, staff)
    from tui_desk.rules.money import format_cents

    result = ex.check(sandbox, clock, exercise_, format_cents(due))
    assert result.passed, result.summary()


def test_paid_instead_of_registered_and_no_answer_is_named(sandbox, clock, staff):
    result = begin_and_check(sandbox, clock, "05-registreren-brief", lambda: pay(
        sandbox, clock, staff, register(sandbox, clock, staff, SEINEN, "0045"), "pin"))
    assert not result.passed
    summary = result.summary()
    assert "bedrag geregistreerd met contributiebrief ✗: via PIN afgerekend" in summary
    assert "contributiebrief per e-mail ✗: geen contributiebrief" in summary


# -- 6: a lost card -----------------------------------------------------------------------
MANUAL_CARD = "29401000075801"


def _replace(db, clock, staff, reason):
    from tui_desk.store.exercises import customer_by_card

    card_svc.replace_card(db, clock, staff, customer_by_card(db, MANUAL_CARD), reason)


def test_lost_card_blocked_and_replaced_passes(sandbox, clock, staff):
    result = begin_and_check(sandbox, clock, "06-pas-kwijt",
                             lambda: _replace(sandbox, clock, staff, "Verloren"))
    assert result.passed, result.summary()


def test_lost_card_blocked_as_damaged_is_named(sandbox, clock, staff):
    result = begin_and_check(sandbox, clock, "06-pas-kwijt",
                             lambda: _replace(sandbox, clock, staff, "Beschadigd"))
    assert not result.passed
    assert "pas 29401000075801 geblokkeerd (verloren) ✗: reden 'Beschadigd'" \
        in result.summary()
    assert "nieuwe pas uitgegeven ✓" in result.summary()


def test_nothing_done_names_every_check(sandbox, clock):
    for exercise_ in ex.load_exercises():
        ex.start(sandbox, clock, exercise_)
        result = ex.check(sandbox, clock, exercise_)
        assert not result.passed, exercise_.id
        assert all(item.ok or item.why for item in result.items), result.summary()


def test_a_trainer_writes_an_exercise_without_code(tmp_path):
    folder = tmp_path / "oefeningen"
    folder.mkdir()
    (folder / "90-eigen.toml").write_text(
        'titel = "Eigen oefening"\nopdracht = "Zoek de klant."\n'
        '[klant]\npas = "29401000075801"\n[[controle]]\nfeit = "nieuwe_pas"\n')
    found = ex.load_exercises(folder)
    assert found[-1].id == "90-eigen" and found[-1].checks == (ex.Check("nieuwe_pas"),)
    (folder / "91-fout.toml").write_text(
        'titel = "Fout"\nopdracht = "x"\n[klant]\npas = "1"\n[[controle]]\nfeit = "vliegen"\n')
    with pytest.raises(ex.ExerciseError, match="91-fout.toml: controle\\[0\\].feit: onbekend"):
        ex.load_exercises(folder)


def test_an_exercise_names_the_customer_in_the_manuals_words():
    """``[klant] achternaam``/``geboortedatum`` (a trainer's file) are read into the keys in code
    through the field table's labels; a message names the key as the file writes it."""
    def parse(klant: str) -> ex.Exercise:
        return ex.parse(tomllib.loads(f'titel = "T"\nopdracht = "x"\n[klant]\n{klant}\n'
                                      '[[controle]]\nfeit = "nieuwe_pas"\n'), "t", "t.toml")

    found = parse('achternaam = " Vries "\ngeboortedatum = 1984-06-14')
    assert (found.surname, found.birth_date, found.card) == ("Vries", dt.date(1984, 6, 14), "")
    with pytest.raises(ex.ExerciseError, match="t.toml: klant.geboortedatum: moet een datum"):
        parse('achternaam = "V"\ngeboortedatum = "14-6"')
    with pytest.raises(ex.ExerciseError, match="klant.achternaam: moet tekst zijn"):
        parse("achternaam = 1")
