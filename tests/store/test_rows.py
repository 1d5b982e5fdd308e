"""store.rows: a row becomes a record by its fields' types; a record's values become a row."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest

from tui_desk.statuses import MailStatus
from tui_desk.store import rows
from tui_desk.store.db import open_database


@dataclass(frozen=True)
class Sample:
    id: int
    day: dt.date
    at: dt.datetime
    flag: bool
    status: MailStatus
    maybe_day: dt.date | None
    maybe_status: MailStatus | None
    note: str | None
    label: str = "standaard"


@pytest.fixture
def db():
    database = open_database(":memory:", environment="demo")
    database.execute(
        "CREATE TABLE sample (id INTEGER PRIMARY KEY, day TEXT, at TEXT, flag INTEGER,"
        " status TEXT, maybe_day TEXT, maybe_status TEXT, note TEXT, extra TEXT)")
    yield database
    database.close()


def test_a_row_becomes_a_record_converted_by_field_type(db):
    db.execute("INSERT INTO sample VALUES (7, '1991-01-01', '2021-04-15T10:05:30', 1, 'parked',"
               " '2022-02-02', 'sent', '', 'ignored')")
    got = rows.one(db, lambda r: rows.record(Sample, r), "SELECT * FROM sample")
    assert got == Sample(7, dt.date(1991, 1, 1), dt.datetime(2021, 4, 15, 10, 5, 30), True,
                         MailStatus.PARKED, dt.date(2022, 2, 2), MailStatus.SENT, "")
    assert type(got.status) is MailStatus and got.flag is True


def test_null_and_empty_text_are_none_for_optional_fields_only(db):
    db.execute("INSERT INTO sample VALUES (1, '1991-01-01', '2021-04-15T10:05:30', 0, 'queued',"
               " '', NULL, NULL, NULL)")
    got = rows.one(db, rows.reader(Sample), "SELECT * FROM sample")
    assert got is not None
    assert (got.maybe_day, got.maybe_status, got.note, got.flag) == (None, None, None, False)


def test_given_values_win_and_missing_columns_keep_the_default(db):
    db.execute("INSERT INTO sample VALUES (1, '1991-01-01', '2021-04-15T10:05:30', 0, 'queued',"
               " NULL, NULL, 'x', NULL)")
    row = db.one("SELECT * FROM sample")
    got = rows.record(Sample, row, note="gegeven", day=dt.date(2000, 1, 1))
    assert (got.note, got.day, got.label) == ("gegeven", dt.date(2000, 1, 1), "standaard")
    with pytest.raises(TypeError):
        rows.record(Sample, db.one("SELECT id FROM sample"))


def test_one_gives_none_when_nothing_is_found(db):
    assert rows.one(db, lambda r: r["id"], "SELECT * FROM sample WHERE id = ?", (9,)) is None


def test_insert_stores_moments_and_dates_as_the_database_keeps_them(db):
    new_id = rows.insert(db, "sample", day=dt.date(1991, 1, 1),
                         at=dt.datetime(2021, 4, 15, 10, 5, 30, 999), flag=True,
                         status=MailStatus.SENT, maybe_day=None)
    row = db.one("SELECT * FROM sample WHERE id = ?", (new_id,))
    assert (row["day"], row["at"], row["flag"], row["status"], row["maybe_day"]) == (
        "1991-01-01", "2021-04-15T10:05:30", 1, "sent", None)


def test_changed_counts_rows_and_marks_has_one_placeholder_per_value(db):
    for _ in range(3):
        rows.insert(db, "sample", flag=False)
    ids = [1, 2]
    assert rows.marks(ids) == "?, ?"
    assert rows.changed(db, f"UPDATE sample SET flag = 1 WHERE id IN ({rows.marks(ids)})",
                        tuple(ids)) == 2
    assert rows.changed(db, "UPDATE sample SET flag = 1 WHERE id = 99") == 0


def test_where_joins_its_conditions_and_an_empty_list_matches_nothing(db):
    for flag in (True, False, True):
        rows.insert(db, "sample", flag=flag)
    assert str(rows.Where()) == "1 = 1"   # a boolean on both engines (PostgreSQL wants one)
    where = rows.Where().add("flag = ?", 1).among("id", [1, 2])
    assert (str(where), where.params) == ("flag = ? AND id IN (?, ?)", [1, 1, 2])
    assert [r["id"] for r in db.all(f"SELECT id FROM sample WHERE {where}",
                                    tuple(where.params))] == [1]
    nothing = rows.Where().among("id", [])
    assert db.all(f"SELECT id FROM sample WHERE {nothing}", tuple(nothing.params)) == []
