"""Step 5, Incassomachtiging, through the screens (Pilot at 80x24) with the manual's data:
Print nieuwe machtiging → Verwerk machtiging → Geen upload → scan 6775991190016261 →
Controleer (Klantnaam, Actor id, Documenttype) → Opslaan → Controleer gegevens
incassomachtiging → OK → Vastleggen klantdocument voltooid → kenmerk shown, Incasso ticked.
Also: the BIC only for a foreign IBAN, refused codes, Intrekken and IBAN wijzigen."""

from __future__ import annotations

import dataclasses

import pytest

from tests.factories import fill, make_customer, make_manual_customer, make_staff, screen_text
from tui_desk.app import TuiDeskApp
from tui_desk.devices.pdf import mandate_pdf
from tui_desk.screens.mandate import (
    BankDetailsScreen,
    DoneScreen,
    IbanChangeScreen,
    MandateScreen,
    ProcessMandateScreen,
    ReviewMandateScreen,
    RevokeScreen,
)
from tui_desk.services import mandates as svc
from tui_desk.services import printing, scans
from tui_desk.services.desk import Desk
from tui_desk.store import counters
from tui_desk.store import drafts as draft_store
from tui_desk.store import mandates as store

MANUAL_CODE = "6775991190016261"
IBAN = "NL20INGB0001234567"


@pytest.fixture
def staff(db):
    return make_staff(db, name="J. de Balie")


@pytest.fixture(autouse=True)
def data_home(tmp_path, monkeypatch):
    """The training database's scan inbox and demo printer live under the data folder."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))


@pytest.fixture
def app(db, config, clock, staff):
    return TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff))


async def open_mandate(pilot, customer_id, **kwargs) -> MandateScreen:
    screen = MandateScreen(customer_id, **kwargs)
    await pilot.app.push_screen(screen)
    await pilot.pause()
    return screen


async def test_the_whole_flow_with_the_manuals_data(app, db, clock, staff, tmp_path):
    customer_id = make_manual_customer(db)
    # step 1 of the registration had the IBAN (Sepa incasso ticked)
    draft = draft_store.create(db, staff_id=staff.id, branch_code="9401", step="klaar",
                               data={"values": {"iban": IBAN, "bic": ""}}, now=clock.now())
    draft_store.set_status(db, draft, "done", now=clock.now(), customer_id=customer_id)
    counters.set_value(db, counters.DOCUMENT_CODE, 99119001625)   # the next code: the manual's
    forms, done = [], []
    async with app.run_test(size=(80, 24)) as pilot:
        await open_mandate(pilot, customer_id, printer=forms.append, on_done=done.append)
        text = screen_text(app)
        for expected in ("Incassomachtiging", "Mw. A. van de Test", "Bic (*)",
                         "* Alleen bij buitenlandse rekeningnummers", "[ ] Incasso",
                         "Klant gebruikt overstapservice", "Datum afgifte machtiging",
                         "Datum intrekking machtiging", "Reden intrekking",
                         "Tenaamstelling incasso rekening", "Woonplaats incasso rekening",
                         "f5 Print machtiging", "f6 Verwerk machtiging"):
            assert expected in text, expected

        await pilot.press("f5")
        assert isinstance(app.screen, BankDetailsScreen)
        text = screen_text(app)
        for expected in ("Geef de bankrekeninggegevens in", "IBAN rekeningnummer:", IBAN,
                         "Naam rekeninghouder:", "Mw. A. van de Test",
                         "Plaats rekeninghouder:", "ANNEN"):
            assert expected in text, expected
        assert "BIC banknummer" not in text              # a Dutch IBAN: no BIC field
        await pilot.press("enter", "enter", "enter", "enter")   # OK
        assert isinstance(app.screen, MandateScreen)
        [form] = forms
        assert form.document_code == MANUAL_CODE and form.kenmerk == "381847-001"
        assert "Laat de klant" in screen_text(app)

        # the signed form comes back through the multifunction printer into the scan inbox
        inbox = scans.inbox_for(app.desk.config, None, demo=True)
        (inbox / "scan-0001.pdf").write_bytes(mandate_pdf(form))
        (inbox / "scan-0000.pdf").write_bytes(mandate_pdf(dataclasses.replace(
            form, document_code="6775991190016253")))       # another form's scan
        await pilot.press("f6")
        assert isinstance(app.screen, ProcessMandateScreen)
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        for expected in ("Actor document uploaden", "Bronkeuze:", "[Scan pagina]",
                         "Selecteer bestand", "Geen upload", "Document scancode:",
                         "Gevonden: scan-0001.pdf", "scan-0000.pdf", "Controleer", "Opslaan"):
            assert expected in text, expected
        # picked by itself: the scan whose top-left barcode is this form's document code
        assert app.screen.query_one("#md-code").value == MANUAL_CODE
        assert app.screen._chosen_scan().name == "scan-0001.pdf"
        text = screen_text(app)
        for expected in ("Klantnaam:", "Mw. A. van de Test", "Actor id:", "381847",
                         "Documenttype:", "01 - Incassomachtiging"):
            assert expected in text, expected

        await pilot.press("enter")                       # Opslaan
        assert isinstance(app.screen, ReviewMandateScreen)
        text = screen_text(app)
        for expected in ("Controleer gegevens incassomachtiging", "Naam rekeninghouder:",
                         "Mw. A. van de Test", "Plaats rekeninghouder:", "ANNEN",
                         "Datum machtiging:", "28-11-2026", "IBAN rekeningnummer:",
                         "NL20 INGB 0001 2345 67", "BIC banknummer:", "OK"):
            assert expected in text, expected
        assert "NL** " not in text     # finding 10: whole, to compare with the signed form
        await pilot.press("enter")                       # OK
        assert isinstance(app.screen, DoneScreen)
        assert "Vastleggen klantdocument voltooid" in screen_text(app)
        await pilot.press("enter")                       # OK

        assert isinstance(app.screen, MandateScreen)
        text = screen_text(app)
        assert "[X] Incasso   kenmerk machtiging 381847-001" in text
        assert "NL20 INGB 0001 2345 67" in text and "28-11-2026" in text
        assert "scan bewaard 28-11-2026 (scan-0001.pdf" in text
        assert svc.has_incasso(db, customer_id)
        assert sorted(p.name for p in inbox.iterdir()) == ["scan-0000.pdf"]   # archived
        assert store.document_file(db, MANUAL_CODE)[0] == "scan-0001.pdf"

        await pilot.press("f4")                          # Exporteer scan, for the bank
        exported = tmp_path / "data" / "tui-desk" / "scan-export" / (
            f"machtiging-381847-001-{MANUAL_CODE}.pdf")
        assert exported.read_bytes() == store.document_file(db, MANUAL_CODE)[2]
        assert "geëxporteerd" in screen_text(app)
        await pilot.press("f3")                          # Herdruk: the same document code
        await app.workers.wait_for_complete()
        await pilot.pause()
        [again] = printing.list_jobs(db, limit=1)
        assert again.kind == "machtiging" and again.options["format"] == "pdf"
        assert MANUAL_CODE in "\n".join(printing.preview_lines(printing.get_job(db, again.id)))
        await pilot.press("escape")                      # the training printer's preview
        await pilot.press("f10")
        assert not isinstance(app.screen, MandateScreen)
    [panel] = done
    assert panel.direct_debit and panel.kenmerk == "381847-001"


async def test_bic_only_for_a_foreign_iban_and_refused_codes_say_why(app, db, clock, staff,
                                                                     config):
    customer_id = make_manual_customer(db)
    other = make_customer(db, actor_id=400001)
    theirs = svc.print_new_mandate(db, clock, staff, config, other, IBAN, "", "X", "ASSEN")
    forms = []
    async with app.run_test(size=(80, 24)) as pilot:
        await open_mandate(pilot, customer_id, printer=forms.append)
        await pilot.press("f5")
        await fill(pilot, "BE68539007547034")
        assert "BIC banknummer: *" in screen_text(app)
        await pilot.press("f10")
        assert isinstance(app.screen, BankDetailsScreen)
        assert "Vul de BIC in" in screen_text(app)
        assert app.focused.id == "md-bic"
        await fill(pilot, "GKCCBEBB")
        await pilot.press("f10")
        assert isinstance(app.screen, MandateScreen) and forms[0].debtor_bic == "GKCCBEBB"

        await pilot.press("f6")
        await fill(pilot, theirs.document_code)
        await pilot.press("enter")
        text = screen_text(app)
        assert "hoort bij een andere klant (actor id" in text and "400001)" in text
        await pilot.press("f10")                          # Opslaan does not get past it
        assert isinstance(app.screen, ProcessMandateScreen)
        app.screen.query_one("#md-code").value = ""
        await fill(pilot, "1234")
        await pilot.press("enter")
        assert "16 cijfers" in screen_text(app)
        # Selecteer bestand lists the inbox only: no typed path, no link out of it
        inbox = scans.inbox_for(app.desk.config, None, demo=True)
        (inbox / "getekend.png").write_bytes(b"\x89PNG\r\n\x1a\n....")
        (inbox / "elders.pdf").symlink_to("/etc/hostname")
        app.screen.query_one("#md-source").value = "file"
        await app.workers.wait_for_complete()
        await pilot.pause()
        text = screen_text(app)
        assert "[Selecteer bestand]" in text and "getekend.png" in text
        assert "elders.pdf" not in text and not app.screen.query("#md-file")
        (inbox / "getekend.png").unlink()
        app.screen.query_one("#md-code").value = ""
        await fill(pilot, forms[0].document_code)
        await pilot.press("enter")
        await pilot.press("f10")
        assert isinstance(app.screen, ProcessMandateScreen)
        assert "staat niet (meer) in de scanmap" in screen_text(app)
        await pilot.press("escape", "escape")
        assert not isinstance(app.screen, MandateScreen)
    assert not svc.has_incasso(db, customer_id)


async def test_intrekken_and_iban_wijzigen(app, db, clock, staff, config):
    customer_id = make_manual_customer(db)
    form = svc.print_new_mandate(db, clock, staff, config, customer_id, IBAN, "",
                                 "Mw. A. van de Test", "ANNEN")
    svc.process_mandate(db, clock, staff, customer_id, form.document_code, "none")
    async with app.run_test(size=(80, 24)) as pilot:
        await open_mandate(pilot, customer_id)
        await pilot.press("f2")
        assert isinstance(app.screen, IbanChangeScreen)
        await fill(pilot, "NL91ABNA0417164300")
        await pilot.press("tab", "space", "f10")         # Klant gebruikt overstapservice
        assert isinstance(app.screen, MandateScreen)
        text = screen_text(app)
        assert "NL91 ABNA 0417 1643 00" in text and "[X] Klant gebruikt overstapservice" in text
        assert "kenmerk machtiging 381847-001" in text

        await pilot.press("f9")
        assert isinstance(app.screen, RevokeScreen)
        await fill(pilot, "Op verzoek klant")
        await pilot.press("f10")
        assert isinstance(app.screen, MandateScreen)
        text = screen_text(app)
        assert "[ ] Incasso" in text and "Op verzoek klant" in text
        assert "ingetrokken per 28-11-2026" in text
    assert not svc.has_incasso(db, customer_id)
