"""The PostgreSQL migration series against the SQLite one (issue 17, contract 5): after every
migration both engines have the same tables, columns (name, nullability, kind of default), keys
and indexes; and PostgreSQL's tui_search_key gives the key rules.names.search_key gives."""

from __future__ import annotations

import random
import re
import sqlite3
import unicodedata
from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest

from tests.store import pg_cluster
from tui_desk.rules.names import search_key
from tui_desk.store.db import _connect, _split_sql, migrations

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def pg_migrations() -> list[tuple[int, str, str]]:
    folder = resources.files("tui_desk.store").joinpath("migrations", "postgresql")
    found = []
    for entry in folder.iterdir():
        match = re.match(r"^(\d{4})_(\w+)\.sql$", entry.name)
        if match:
            found.append((int(match.group(1)), match.group(2), entry.read_text("utf-8")))
    return sorted(found)


@pytest.fixture(scope="module")
def cluster() -> Iterator[pg_cluster.Cluster]:
    """Started once for the module: initdb and a server start take a few seconds."""
    yield from pg_cluster.cluster()


def test_the_two_series_have_the_same_numbers_and_names():
    assert [(n, name) for n, name, _ in pg_migrations()] == \
        [(n, name) for n, name, _ in migrations()]


# -- the schema as both engines describe it ------------------------------------------------------
def _default_class(value: str | None, identity: bool) -> str | None:
    if identity:
        return "identity"
    if value is None or value.upper() == "NULL":
        return None
    value = re.sub(r"::[\w ]+$", "", value.strip("()"))
    if value.startswith("'"):
        return f"text {value}"
    return f"number {value}"


def sqlite_schema(conn: sqlite3.Connection) -> dict[str, Any]:
    conn.row_factory = sqlite3.Row
    tables = {}
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'"
                                " AND name NOT LIKE 'sqlite_%' ORDER BY name").fetchall():
        info = conn.execute(f"PRAGMA table_info({name})").fetchall()
        pk = [r["name"] for r in sorted((r for r in info if r["pk"]), key=lambda r: r["pk"])]
        # An INTEGER PRIMARY KEY numbers new rows itself (PostgreSQL: an identity), unless it
        # is a reference to another table's row (renewals_withheld.period_id): always given.
        referring = {r["from"] for r in conn.execute(f"PRAGMA foreign_key_list({name})")}
        rowid_alias = len(pk) == 1 and pk[0] not in referring and any(
            r["name"] == pk[0] and r["type"].upper() == "INTEGER" for r in info)
        columns = [(r["name"], bool(r["notnull"]) or r["name"] in pk,
                    _default_class(r["dflt_value"], rowid_alias and r["name"] == pk[0]))
                   for r in info]
        keys = {("primary", tuple(pk))}
        indexes = set()
        for index in conn.execute(f"PRAGMA index_list({name})").fetchall():
            cols = tuple(r["name"] or "<expression>" for r in conn.execute(
                f"PRAGMA index_xinfo({index['name']})").fetchall() if r["key"])
            if index["origin"] == "u":
                keys.add(("unique", cols))
            elif index["origin"] == "c":
                indexes.add((index["name"], cols, bool(index["unique"]), bool(index["partial"])))
        tables[name] = {"columns": columns, "keys": keys, "indexes": indexes}
    return tables


def pg_schema(conn: Any) -> dict[str, Any]:
    tables = {}
    names = [r[0] for r in conn.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
        " AND table_type = 'BASE TABLE' AND table_name <> 'schema_version' ORDER BY 1")]
    for name in names:
        columns = [(r[0], r[1] == "NO", _default_class(r[2], r[3] == "YES")) for r in conn.execute(
            "SELECT column_name, is_nullable, column_default, is_identity"
            " FROM information_schema.columns WHERE table_schema = 'public' AND table_name = %s"
            " ORDER BY ordinal_position", (name,))]
        keys = set()
        for kind, cols in conn.execute(
                "SELECT c.contype, ARRAY(SELECT a.attname FROM unnest(c.conkey)"
                " WITH ORDINALITY AS k(n, i) JOIN pg_attribute a ON a.attrelid = c.conrelid"
                " AND a.attnum = k.n ORDER BY k.i) FROM pg_constraint c"
                " WHERE c.conrelid = %s::regclass AND c.contype IN ('p', 'u')", (name,)):
            keys.add(("primary" if kind == "p" else "unique", tuple(cols)))
        indexes = set()
        for index, unique, partial, cols in conn.execute(
                "SELECT i.relname, x.indisunique, x.indpred IS NOT NULL,"
                " ARRAY(SELECT COALESCE(a.attname, '<expression>') FROM unnest(x.indkey)"
                "  WITH ORDINALITY AS k(n, o) LEFT JOIN pg_attribute a"
                "  ON a.attrelid = x.indrelid AND a.attnum = k.n AND k.n <> 0 ORDER BY k.o)"
                " FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
                " WHERE x.indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c"
                "  WHERE c.conindid = x.indexrelid AND c.contype IN ('p', 'u'))", (name,)):
            indexes.add((index, tuple(cols), unique, partial))
        tables[name] = {"columns": columns, "keys": keys, "indexes": indexes}
    return tables


@pytest.fixture(scope="module")
def migrated(cluster) -> Iterator[tuple[list[dict], list[dict]]]:
    """The schema after each migration on both engines (index 0: after 0001)."""
    import psycopg

    lite = _connect(":memory:")
    pg = psycopg.connect(cluster.new_database("schema_steps"), autocommit=True)
    lite_steps, pg_steps = [], []
    for (_number, _name, lite_sql), (_n, _same, pg_sql) in zip(migrations(), pg_migrations(),
                                                               strict=True):
        lite.execute("BEGIN")
        for statement in _split_sql(lite_sql):
            lite.execute(statement)
        lite.execute("COMMIT")
        with pg.transaction():
            pg.execute(pg_sql)
        lite_steps.append(sqlite_schema(lite))
        pg_steps.append(pg_schema(pg))
    yield lite_steps, pg_steps
    pg.close()
    lite.close()


def test_after_every_migration_both_engines_have_the_same_schema(migrated):
    lite_steps, pg_steps = migrated
    assert len(lite_steps) == len(migrations())
    for number, (lite, pg) in enumerate(zip(lite_steps, pg_steps, strict=True), start=1):
        assert sorted(pg) == sorted(lite), f"tables after migration {number}"
        for table in lite:
            for part in ("columns", "keys", "indexes"):
                assert pg[table][part] == lite[table][part], \
                    f"{table} {part} after migration {number}"


# -- tui_search_key ---------------------------------------------------------------------------
NAMES = [
    "van der Tést", "Test", "d'Ancona", "D'Ancona", "van t Hof", "in 't Veld", "V.D. Berg",
    "v.d. Berg", "Çelik-Özdemir", "Yılmaz", "محمد", "王", "Σοφία", "Йорданов", "Ðorđević",
    "Wałęsa", "Søndergaard", "Straße", "ĲSSELSTEIN", "ﬁnk", "  van   de  Berg  ", "de",
    "van", "", "\x1b[31mRood", "[b]Test[/b]", "O\u2019Brien", "van de la Fuente", "Jansen\t",
    "d\u2019Hondt", "de Vries-van\u2013Dam", "Müller", "Ǆokić", "ǈubljana", "Ⅻ Brown", "㈱ Sony",
    "ΐ", "İnce", "Ꭰ", "ꭰ", "van\u00a0Dijk", "Nguyễn", "Kelvin \u212a", "vande Velde",
]


def _random_names(seed: int, count: int) -> list[str]:
    rng = random.Random(seed)
    pool = [chr(cp) for cp in range(0x20, 0x3000) if unicodedata.category(chr(cp)) != "Cs"]
    pool += list(" '’-.dDvanert") * 20
    return ["".join(rng.choice(pool) for _ in range(rng.randint(1, 12))) for _ in range(count)]


@pytest.fixture(scope="module")
def pg_keyed(cluster) -> Iterator[Any]:
    import psycopg

    conn = psycopg.connect(cluster.new_database("search_key"), autocommit=True)
    for _number, _name, sql in pg_migrations():
        with conn.transaction():
            conn.execute(sql)
    yield conn
    conn.close()


def test_postgresql_gives_the_search_key_python_gives(pg_keyed):
    names = NAMES + _random_names(17, 1000)
    got = pg_keyed.execute("SELECT n, tui_search_key(n) FROM unnest(%s::text[]) AS n",
                           (names,)).fetchall()
    wrong = [(n, key, search_key(n)) for n, key in got if key != search_key(n)]
    assert wrong == []
    assert pg_keyed.execute("SELECT tui_search_key(NULL)").fetchone()[0] == ""


def test_every_character_folds_as_in_python(pg_keyed):
    """One character at a time: every one up to U+2FFF (the scripts names are written in), then
    every 11th up to U+1FFFF (a sample of the rest, CJK and the supplementary planes)."""
    points = [*range(1, 0x3000), *range(0x3000, 0x20000, 11)]
    chars = [chr(cp) for cp in points if not 0xD800 <= cp <= 0xDFFF]
    got = pg_keyed.execute("SELECT tui_fold(c) FROM unnest(%s::text[]) WITH ORDINALITY AS u(c, i)"
                           " ORDER BY i", (chars,)).fetchall()
    from tui_desk.rules.names import fold

    wrong = [(hex(ord(c)), key, fold(c)) for c, (key,) in zip(chars, got, strict=True)
             if key != fold(c)]
    assert wrong[:20] == [] and len(wrong) == 0
