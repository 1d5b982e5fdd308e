"""The print spool: jobs stored before they are sent, with their status and last error."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from tui_desk.rules.dates import stamp
from tui_desk.statuses import PrintStatus
from tui_desk.store.db import Database
from tui_desk.store.rows import Where, changed, one, record

# The old names of the statuses, kept for the code that imports them.
QUEUED, PRINTING, DONE, SENT, FAILED, CANCELLED = (
    PrintStatus.QUEUED, PrintStatus.PRINTING, PrintStatus.DONE, PrintStatus.SENT,
    PrintStatus.FAILED, PrintStatus.CANCELLED)
STATUSES = tuple(PrintStatus)
# done: the printer confirmed it could print; sent: every byte went to a printer that does not
# say (no status configured, a device file): the job is finished, but nobody knows it printed.
FINISHED = (DONE, SENT)
OPEN = (QUEUED, PRINTING, FAILED)       # a request key is taken while a job is in one of these
KINDS = ("kassabon", "inschrijfbewijs", "klantbon", "machtiging", "ledenpas")


@dataclass(frozen=True)
class PrintJob:
    id: int
    created_at: dt.datetime
    updated_at: dt.datetime
    workstation: str
    printer: str
    kind: str
    customer_id: int | None
    label: str
    status: PrintStatus
    tries: int
    last_error: str
    request_key: str
    options: dict[str, Any] = field(default_factory=dict)
    payload: bytes | None = None         # None when listed without it
    staff_id: int | None = None


def _job(row: sqlite3.Row, with_payload: bool) -> PrintJob:
    try:
        options = json.loads(row["options"] or "{}")
    except ValueError:
        options = {}
    return record(PrintJob, row, options=options if isinstance(options, dict) else {},
                  payload=bytes(row["payload"]) if with_payload else None)


_LIST_COLUMNS = ("id, created_at, updated_at, workstation, printer, kind, customer_id, label, "
                 "options, status, tries, last_error, request_key, staff_id")


def insert(db: Database, *, now: dt.datetime, workstation: str, printer: str, kind: str,
           customer_id: int | None, label: str, payload: bytes, options: dict[str, Any],
           request_key: str, staff_id: int | None = None) -> int | None:
    """Store a queued job and return its id; None when a job for the same request is open
    (another session stored it a moment ago). Not an error: on PostgreSQL a failed statement
    would end the caller's whole transaction, which this runs inside."""
    job_id = db.scalar(
        "INSERT INTO print_jobs(created_at, updated_at, workstation, printer, kind,"
        " customer_id, label, payload, options, status, tries, request_key, staff_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', 0, ?, ?) ON CONFLICT DO NOTHING"
        " RETURNING id",
        (stamp(now), stamp(now), workstation, printer, kind, customer_id, label,
         bytes(payload), json.dumps(options, sort_keys=True), request_key, staff_id),
    )
    return None if job_id is None else int(job_id)


def get(db: Database, job_id: int, *, with_payload: bool = True) -> PrintJob | None:
    columns = _LIST_COLUMNS + (", payload" if with_payload else "")
    return one(db, lambda row: _job(row, with_payload),
               f"SELECT {columns} FROM print_jobs WHERE id = ?", (job_id,))


def open_by_key(db: Database, request_key: str) -> PrintJob | None:
    """The queued, printing or failed job for this request, if there is one."""
    return one(db, lambda row: _job(row, True),
               f"SELECT {_LIST_COLUMNS}, payload FROM print_jobs WHERE request_key = ? "
               "AND status IN ('queued', 'printing', 'failed')", (request_key,))


def done_since(db: Database, request_key: str, since: dt.datetime) -> PrintJob | None:
    """The latest job for this request that was printed at or after ``since``."""
    return one(db, lambda row: _job(row, False),
               f"SELECT {_LIST_COLUMNS} FROM print_jobs WHERE request_key = ?"
               " AND status IN ('done', 'sent') AND updated_at >= ?"
               " ORDER BY updated_at DESC, id DESC LIMIT 1", (request_key, stamp(since)))


def list_jobs(db: Database, workstation: str | None = None, *, limit: int = 200,
              statuses: tuple[str, ...] | None = None) -> list[PrintJob]:
    """Newest first, without the payloads."""
    where = Where()
    if workstation is not None:
        where.add("workstation = ?", workstation)
    if statuses:
        where.among("status", statuses)
    rows = db.all(
        f"SELECT {_LIST_COLUMNS} FROM print_jobs WHERE {where} ORDER BY created_at DESC, id DESC"
        " LIMIT ?",
        (*where.params, limit),
    )
    return [_job(r, False) for r in rows]


def claim(db: Database, job_id: int, now: dt.datetime) -> bool:
    """Queued or failed → printing; False when another session has it (or it is finished)."""
    return _take_waiting(db, job_id, now, PRINTING)


def finish(db: Database, job_id: int, now: dt.datetime, *, ok: bool, attempts: int,
           error: str = "", printer: str | None = None, confirmed: bool = True) -> bool:
    """Printing → done (``confirmed`` by the printer), sent (not confirmed) or failed, counting
    the attempts; the error is kept for a failure."""
    status = (DONE if confirmed else SENT) if ok else FAILED
    return changed(
        db, "UPDATE print_jobs SET status = ?, tries = tries + ?, last_error = ?, updated_at = ?, "
        "printer = COALESCE(?, printer) WHERE id = ? AND status = 'printing'",
        (status, attempts, "" if ok else error, stamp(now), printer, job_id),
    ) == 1


def cancel(db: Database, job_id: int, now: dt.datetime) -> bool:
    """Queued or failed → cancelled."""
    return _take_waiting(db, job_id, now, CANCELLED)


def _take_waiting(db: Database, job_id: int, now: dt.datetime, status: PrintStatus) -> bool:
    """A job waiting to print (queued or failed) moves to ``status``; False when it was not
    waiting (any more)."""
    return changed(
        db, "UPDATE print_jobs SET status = ?, updated_at = ? "
        "WHERE id = ? AND status IN ('queued', 'failed')",
        (status, stamp(now), job_id),
    ) == 1


def fail_stale(db: Database, before: dt.datetime, now: dt.datetime, error: str) -> int:
    """Jobs left 'printing' since before ``before`` (the program stopped) become failed."""
    return changed(
        db, "UPDATE print_jobs SET status = 'failed', last_error = ?, updated_at = ? "
        "WHERE status = 'printing' AND updated_at < ?",
        (error, stamp(now), stamp(before)),
    )


def queued_ids(db: Database, workstation: str) -> list[int]:
    return [r["id"] for r in db.all(
        "SELECT id FROM print_jobs WHERE workstation = ? AND status = 'queued' ORDER BY id",
        (workstation,),
    )]


def customer_card(db: Database, card_number: str) -> tuple[int | None, str] | None:
    """(customer id, status) of a card number, None when the number is unknown."""
    return one(db, lambda row: (row["customer_id"], row["status"]),
               "SELECT customer_id, status FROM cards WHERE number = ?", (card_number,))
