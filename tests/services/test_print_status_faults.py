"""Print status is believed only when the printer says so (issue 18): a receipt printer that
accepts TCP and never answers its status query is a failure and the job stays on the queue; a
printer configured without status gets the job "verstuurd", never "geprint"."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.devices.fakes import FakeReceiptPrinter
from tests.factories import make_manual_customer
from tui_desk.config import PrintingSettings, Workstation
from tui_desk.services import printing
from tui_desk.store import print_jobs as store


@pytest.fixture
def cfg(config, tmp_path):
    return replace(config, printing=PrintingSettings(tries=2, retry_delay=0, timeout=0.3,
                                                     demo_folder=tmp_path / "demo"))


@pytest.fixture
def customer(db):
    with db.transaction():
        return make_manual_customer(db)


def station(url: str, status: bool) -> Workstation:
    return Workstation("balie-1", "9401", receipt_printer=url, receipt_status=status,
                       printer_timeout=0.3)


def test_a_silent_printer_configured_for_status_fails_and_the_job_stays(db, clock, cfg,
                                                                        customer):
    with FakeReceiptPrinter(answer=False) as printer:
        outcome = printing.print_inschrijfbewijs(db, clock, cfg, station(printer.url, True),
                                                 customer)
    assert not outcome.ok
    assert "Printer antwoordt niet op de statusvraag" in outcome.message
    assert "geprint." not in outcome.message and "Printwachtrij" in outcome.message
    job = store.get(db, outcome.job.id)
    assert job.status == store.FAILED and "statusvraag" in job.last_error
    assert printing.describe(job)["Status"] == "Mislukt"
    assert b"Inschrijfbewijs" not in bytes(printer.received)      # nothing printed
    # the same request again is that job, not a second copy
    assert store.open_by_key(db, job.request_key).id == job.id


def test_a_printer_without_status_gets_the_job_sent_not_printed(db, clock, cfg, customer):
    with FakeReceiptPrinter(answer=False) as printer:
        outcome = printing.print_inschrijfbewijs(db, clock, cfg, station(printer.url, False),
                                                 customer)
    assert outcome.ok
    assert outcome.message.startswith("Inschrijfbewijs verstuurd naar de printer")
    assert "geprint" not in outcome.message
    job = store.get(db, outcome.job.id)
    assert job.status == store.SENT and printing.describe(job)["Status"] == "Verstuurd"
    assert printer.queries == []


def test_a_printer_that_answers_is_printed(db, clock, cfg, customer):
    with FakeReceiptPrinter() as printer:
        outcome = printing.print_inschrijfbewijs(db, clock, cfg, station(printer.url, True),
                                                 customer)
    assert outcome.ok and outcome.message == "Inschrijfbewijs geprint."
    assert store.get(db, outcome.job.id).status == store.DONE
    assert printer.queries == [2, 4]
