"""The print spool: stored before sent, never a second copy, faults kept for a retry, the
caller's business never disturbed."""

from __future__ import annotations

from dataclasses import replace

import pytest
import zxingcpp

from tests.devices.fakes import FakeEvolis, FakeReceiptPrinter, panel_picture, refused_port
from tests.factories import MANUAL_CARD, make_customer, make_manual_customer
from tui_desk.config import PrintingSettings, Workstation
from tui_desk.devices import escpos
from tui_desk.services import printing
from tui_desk.services.settlement import Receipt, ReceiptLine
from tui_desk.store import print_jobs as store


@pytest.fixture
def cfg(config, tmp_path):
    return replace(config, printing=PrintingSettings(tries=2, retry_delay=0, timeout=0.3,
                                                     demo_folder=tmp_path / "demo"))


def station(card: str | None = None, receipt: str | None = None, **kw) -> Workstation:
    return Workstation("balie-1", "9401", card_printer=card, receipt_printer=receipt,
                       printer_timeout=0.3, card_baudrate=921600, **kw)


@pytest.fixture
def customer(db):
    with db.transaction():
        return make_manual_customer(db)


def jobs(db):
    return printing.list_jobs(db)


# -- the card ------------------------------------------------------------------------------
def test_a_ledenpas_on_the_fake_printer_scans_as_the_card_number(db, clock, cfg, customer):
    with FakeEvolis() as fake:
        outcome = printing.print_ledenpas(db, clock, cfg, station(card=fake.url), customer)
    assert outcome.ok, outcome.message
    assert outcome.message == "Ledenpas geprint."
    assert outcome.job.status == store.DONE and outcome.job.tries == 1
    assert fake.commands == ["Rfv", "Rsn", "Pr;k", "Ss", "Sr", "Db", "Se"]
    found = zxingcpp.read_barcodes(panel_picture(fake.panels[0]))
    assert [r.text for r in found] == [f"A{MANUAL_CARD}B"]
    assert outcome.job.label == f"{MANUAL_CARD} A. van de Test"


def test_the_job_is_stored_before_it_is_sent(db, clock, cfg, customer, monkeypatch):
    seen = []

    def spy(job, settings=None, **kw):
        stored = store.get(db, job.id)
        seen.append((stored.status, stored.payload == job.payload, db.in_transaction))
        return printing.SendResult(True, 1)

    monkeypatch.setattr(printing, "transmit", spy)
    printing.print_ledenpas(db, clock, cfg, station(card="demo:"), customer)
    assert seen == [(store.PRINTING, True, False)]     # committed, claimed, no transaction open


# -- never a second copy -------------------------------------------------------------------
def test_a_second_request_while_printing_returns_the_same_job(db, clock, cfg, customer):
    ws = station(card="demo:")
    first = printing.request_ledenpas(db, clock, cfg, ws, customer)
    assert first.send and first.job.status == store.PRINTING
    second = printing.request_ledenpas(db, clock, cfg, ws, customer)   # Enter, again
    assert not second.send and second.duplicate
    assert second.job.id == first.job.id
    assert "er komt geen tweede exemplaar" in second.message
    assert len(jobs(db)) == 1


def test_a_request_just_after_printing_is_the_same_print(db, clock, cfg, customer):
    ws = station(card="demo:")
    assert printing.print_ledenpas(db, clock, cfg, ws, customer).ok
    again = printing.print_ledenpas(db, clock, cfg, ws, customer)
    assert again.duplicate and len(jobs(db)) == 1
    clock.advance(seconds=10)
    later = printing.print_ledenpas(db, clock, cfg, ws, customer)      # a deliberate reprint
    assert later.ok and not later.duplicate and len(jobs(db)) == 2


def test_a_new_request_replaces_a_failed_job(db, clock, cfg, customer, tmp_path):
    ws = station(card=f"file://{tmp_path}/missing/card.bin")
    failed = printing.print_ledenpas(db, clock, cfg, ws, customer)
    assert not failed.ok
    (tmp_path / "missing").mkdir()
    again = printing.print_ledenpas(db, clock, cfg, ws, customer)
    assert again.ok and again.job.id != failed.job.id
    statuses = {j.id: j.status for j in jobs(db)}
    assert statuses == {failed.job.id: store.CANCELLED, again.job.id: store.SENT}


def test_two_sessions_cannot_both_hold_the_same_request(db, clock, cfg, customer):
    with db.transaction():
        key = "ledenpas|x"
        first = store.insert(db, now=clock.now(), workstation="a", printer="demo:",
                             kind="ledenpas", customer_id=customer, label="", payload=b"1",
                             options={}, request_key=key)
        second = store.insert(db, now=clock.now(), workstation="a", printer="demo:",
                              kind="ledenpas", customer_id=customer, label="", payload=b"2",
                              options={}, request_key=key)
        assert first is not None and second is None
        # The caller's transaction goes on (PostgreSQL ends a transaction at a failed
        # statement: the duplicate must not be one).
        assert store.open_by_key(db, key).id == first
    assert [j.id for j in jobs(db)] == [first]


def test_a_print_inside_a_business_transaction_that_meets_an_open_request(
        db, clock, cfg, customer, monkeypatch):
    """Another session queued the same print between this one's look and its insert: this one
    says so and the business action around it still commits, on both engines."""
    ws = station(card="demo:")
    with db.transaction():
        queued = printing.request_ledenpas(db, clock, cfg, ws, customer)   # queued, not sent
    real_open_by_key = store.open_by_key
    looks: list[str] = []

    def not_yet_there(db_, key):
        looks.append(key)
        return None if len(looks) == 1 else real_open_by_key(db_, key)

    monkeypatch.setattr(store, "open_by_key", not_yet_there)
    with db.transaction():
        outcome = printing.request_ledenpas(db, clock, cfg, ws, customer)
        db.execute("UPDATE customers SET surname = 'Na de print' WHERE id = ?", (customer,))
    assert len(looks) == 2
    assert outcome.duplicate and outcome.job.id == queued.job.id
    assert "er komt geen tweede exemplaar" in outcome.message
    assert db.scalar("SELECT surname FROM customers WHERE id = ?", (customer,)) == "Na de print"
    assert len(jobs(db)) == 1


# -- faults: a clear message, the job kept, the caller untouched ---------------------------
def register_then_print(db, clock, cfg, ws, print_call):
    """A business action commits first; then printing fails; nothing is raised."""
    with db.transaction():
        customer_id = make_customer(db, surname="Nieuwelid")
    outcome = print_call(db, clock, cfg, ws, customer_id)
    assert db.scalar("SELECT surname FROM customers WHERE id = ?", (customer_id,)) == "Nieuwelid"
    return outcome


def test_port_missing(db, clock, cfg):
    ws = station(card="/dev/ttyDOES-NOT-EXIST")
    outcome = register_then_print(db, clock, cfg, ws, printing.print_ledenpas)
    assert not outcome.ok
    assert "Printer niet gevonden op /dev/ttyDOES-NOT-EXIST" in outcome.message
    assert "Printwachtrij" in outcome.message
    job = store.get(db, outcome.job.id)
    assert job.status == store.FAILED and job.tries == 2        # retried: nothing was sent
    assert job.last_error.startswith("Printer niet gevonden")
    assert job.payload and evolis_frames(job.payload)            # kept for a retry


def evolis_frames(payload: bytes) -> list[str]:
    from tui_desk.devices import evolis

    return evolis.frames_summary(evolis.split_frames(payload))


def test_write_timeout(db, clock, cfg):
    with FakeEvolis(stall_on="Db") as fake:
        outcome = register_then_print(db, clock, cfg, station(card=fake.url),
                                      printing.print_ledenpas)
    assert not outcome.ok
    assert "reageert niet (time-out)" in outcome.message
    job = store.get(db, outcome.job.id)
    assert job.status == store.FAILED and job.tries == 1         # half a card: no automatic retry


def test_printer_answers_an_error_then_the_retry_prints(db, clock, cfg, customer):
    with FakeEvolis(replies={"Ss": "ERR RIBBON ENDED"}) as fake:
        ws = station(card=fake.url)
        outcome = printing.print_ledenpas(db, clock, cfg, ws, customer)
        assert not outcome.ok
        assert "Het lint van de pasprinter is op" in outcome.message
        job = store.get(db, outcome.job.id)
        assert (job.status, job.tries) == (store.FAILED, 1)
        assert "ERR RIBBON ENDED" in job.last_error
        fake.replies["Ss"] = "OK"                                  # a new ribbon
        retried = printing.retry(db, clock, job.id, cfg)
    assert retried.ok, retried.message
    assert store.get(db, job.id).status == store.DONE
    assert store.get(db, job.id).tries == 2
    assert len(fake.panels) == 1


def test_tcp_printer_refuses_the_connection(db, clock, cfg):
    port = refused_port()
    ws = station(receipt=f"tcp://127.0.0.1:{port}")
    outcome = register_then_print(db, clock, cfg, ws, printing.print_klantbon)
    assert not outcome.ok
    assert f"Printer op 127.0.0.1:{port} weigert de verbinding" in outcome.message
    job = store.get(db, outcome.job.id)
    assert job.status == store.FAILED and job.tries == 2
    assert job.kind == "klantbon"


def test_a_receipt_printer_with_its_cover_open(db, clock, cfg, customer):
    with FakeReceiptPrinter(offline=0x16) as fake:
        outcome = printing.print_inschrijfbewijs(db, clock, cfg, station(receipt=fake.url),
                                                 customer)
    assert not outcome.ok and "klep van de bonprinter is open" in outcome.message
    assert store.get(db, outcome.job.id).tries == 1


def test_an_unexpected_error_in_a_driver_does_not_reach_the_caller(db, clock, cfg, customer,
                                                                     monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("kapot")

    monkeypatch.setattr(printing.evolis, "send", broken)
    outcome = printing.print_ledenpas(db, clock, cfg, station(card="demo:"), customer)
    assert not outcome.ok and "kapot" in outcome.message
    assert store.get(db, outcome.job.id).status == store.FAILED


def test_no_printer_configured(db, clock, cfg, customer):
    outcome = printing.print_ledenpas(db, clock, cfg, station(), customer)
    assert not outcome.ok and outcome.job is None
    assert "geen pasprinter ingesteld" in outcome.message and "card_printer" in outcome.message


def test_a_customer_without_an_active_card(db, clock, cfg):
    with db.transaction():
        customer_id = make_customer(db, card=None)
    outcome = printing.print_ledenpas(db, clock, cfg, station(card="demo:"), customer_id)
    assert not outcome.ok and "geen actieve pas" in outcome.message and jobs(db) == []


def test_a_blocked_card_is_not_printed(db, clock, cfg):
    with db.transaction():
        customer_id = make_customer(db, card="29401000075801", card_status="geblokkeerd")
    outcome = printing.print_ledenpas(db, clock, cfg, station(card="demo:"), customer_id,
                                      card_number="29401000075801")
    assert not outcome.ok and "niet actief" in outcome.message


# -- inside the caller's transaction: queued with the business action, sent after ---------
def test_printing_inside_a_transaction_only_queues(db, clock, cfg):
    ws = station(card="demo:")
    with db.transaction():
        customer_id = make_customer(db)
        queued = printing.print_ledenpas(db, clock, cfg, ws, customer_id)
    assert queued.ok and "wachtrij" in queued.message
    assert store.get(db, queued.job.id).status == store.QUEUED
    sent = printing.send_queued(db, clock, cfg, ws.name)
    assert [o.ok for o in sent] == [True]
    assert store.get(db, queued.job.id).status == store.DONE


def test_a_rolled_back_business_action_leaves_no_job(db, clock, cfg):
    with pytest.raises(RuntimeError):
        with db.transaction():
            customer_id = make_customer(db)
            printing.print_ledenpas(db, clock, cfg, station(card="demo:"), customer_id)
            raise RuntimeError("registration failed")
    assert jobs(db) == []


# -- the queue -----------------------------------------------------------------------------
def test_cancel_a_failed_job_but_not_a_printed_one(db, clock, cfg, customer):
    failed = printing.print_ledenpas(db, clock, cfg, station(card="/dev/ttyNOPE"), customer)
    assert printing.cancel(db, clock, failed.job.id).ok
    assert store.get(db, failed.job.id).status == store.CANCELLED
    assert not printing.retry(db, clock, failed.job.id, cfg).ok
    done = printing.print_klantbon(db, clock, cfg, station(receipt="demo:"), customer)
    refused = printing.cancel(db, clock, done.job.id)
    assert not refused.ok and "Geprint" in refused.message


def test_a_job_left_printing_by_a_stopped_program_becomes_failed(db, clock, cfg, customer):
    ws = station(card="demo:")
    stuck = printing.request_ledenpas(db, clock, cfg, ws, customer)    # never finished
    clock.advance(minutes=11)
    again = printing.request_ledenpas(db, clock, cfg, ws, customer)
    assert again.send and again.job.id != stuck.job.id
    old = store.get(db, stuck.job.id)
    assert old.status == store.CANCELLED and "afgebroken" in old.last_error


def test_list_jobs_per_workstation(db, clock, cfg, customer):
    printing.print_klantbon(db, clock, cfg, station(receipt="demo:"), customer)
    other = replace(station(receipt="demo:"), name="balie-2")
    printing.print_klantbon(db, clock, cfg, other, customer)
    assert [j.workstation for j in printing.list_jobs(db, "balie-2")] == ["balie-2"]
    assert len(printing.list_jobs(db)) == 2
    assert all(j.payload is None for j in printing.list_jobs(db))


# -- demo printer and previews -------------------------------------------------------------
def test_the_demo_printer_writes_files_and_the_preview_reads_them_back(db, clock, cfg,
                                                                       customer):
    ws = printing.resolve_workstation(cfg, {}, demo=True)
    card = printing.print_ledenpas(db, clock, cfg, ws, customer)
    bon = printing.print_klantbon(db, clock, cfg, ws, customer)
    assert card.message == "Ledenpas geprint op de oefenprinter."
    suffixes = sorted(p.name.split("-", 3)[-1] for p in cfg.printing.demo_folder.iterdir())
    assert suffixes == ["klantbon.bin", "klantbon.txt", "ledenpas.bin", "ledenpas.png",
                        "ledenpas.txt"]
    lines = printing.preview_lines(printing.get_job(db, bon.job.id))
    assert lines[5].strip() == "KLANTGEGEVENS"
    assert "Status         Gefactureerd t/m April 2022" in lines
    card_text = printing.preview_text(printing.get_job(db, card.job.id))
    assert "A. van de Test" in card_text and MANUAL_CARD in card_text


# -- receipts from the other services ------------------------------------------------------
def test_print_kassabon_takes_the_settlement_receipt(db, clock, cfg, customer):
    receipt = Receipt("Bibliotheek", "Annen", "Kas Annen", "J. Balie", "Mw. A. van de Test",
                      MANUAL_CARD, (ReceiptLine("Abonnement Basis", 5600),), 5600, "kas",
                      "Kas Annen", 6000, 400, 0, clock.now(), 77, customer)
    ws = station(receipt="demo:")
    outcome = printing.print_kassabon(db, clock, cfg, ws, receipt, customer_id=customer)
    assert outcome.ok
    lines = printing.preview_lines(printing.get_job(db, outcome.job.id))
    assert "Teruggave                           € 4,00" in lines
    assert "Bonnummer                               77" in lines
    again = printing.print_kassabon(db, clock, cfg, ws, receipt, customer_id=customer)
    assert again.duplicate                                  # one receipt per payment


def test_print_document_for_the_mandate_form(db, clock, cfg, customer):
    outcome = printing.print_document(
        db, clock, cfg, station(receipt="demo:", receipt_columns=48), title="SEPA-machtiging",
        rows=[("Kenmerk", "MDT-1")], barcode=escpos.Barcode("6775991190016261", "code128"),
        request_key="mandate|1", customer_id=customer)
    assert outcome.ok and outcome.job.kind == "machtiging"
    lines = printing.preview_lines(printing.get_job(db, outcome.job.id))
    assert "[CODE128 6775991190016261]" in [x.strip() for x in lines]


def test_printer_url_overrides_the_workstation(db, clock, cfg, customer, tmp_path):
    target = tmp_path / "card.bin"
    outcome = printing.print_ledenpas(db, clock, cfg, station(), customer,
                                      printer_url=f"file://{target}")
    assert outcome.ok
    assert evolis_frames(target.read_bytes()) == ["Pr;k", "Ss", "Sr", "Db;k;2;…", "Se"]


# -- which workstation ---------------------------------------------------------------------
@pytest.fixture
def stations(cfg):
    return replace(cfg, workstations=(
        Workstation("annen-1", "9401", ("10.0.0.5",), card_printer="tcp://10.0.0.5:9100"),
        Workstation("assen-1", "9402", ("10.0.1.0/24",), receipt_printer="tcp://10.0.1.9"),
    ))


@pytest.mark.parametrize(("env", "name"), [
    ({"TUI_DESK_WORKSTATION": "assen-1", "SSH_CONNECTION": "10.0.0.5 5000 10.0.0.1 22"},
     "assen-1"),
    ({"SSH_CONNECTION": "10.0.0.5 51000 10.0.0.1 22"}, "annen-1"),
    ({"SSH_CLIENT": "10.0.1.77 51000 22"}, "assen-1"),
    ({"SSH_CONNECTION": "::ffff:10.0.0.5 51000 ::1 22"}, "annen-1"),
    ({"SSH_CONNECTION": "192.168.9.9 51000 10.0.0.1 22"}, "onbekend (192.168.9.9)"),
    ({}, "onbekend (lokaal)"),
])
def test_resolve_workstation(stations, env, name):
    ws = printing.resolve_workstation(stations, env)
    assert ws.name == name
    if name.startswith("onbekend"):
        assert ws.card() is None and ws.receipt() is None


def test_in_demo_mode_printers_default_to_the_demo_printer(stations):
    ws = printing.resolve_workstation(stations, {}, demo=True)
    assert (ws.name, ws.card_printer, ws.receipt_printer) == ("oefenbalie", "demo:", "demo:")
    annen = printing.resolve_workstation(stations, {"TUI_DESK_WORKSTATION": "annen-1"},
                                         demo=True)
    assert (annen.card_printer, annen.receipt_printer) == ("tcp://10.0.0.5:9100", "demo:")
