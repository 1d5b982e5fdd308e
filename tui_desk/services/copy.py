"""Moving a library's SQLite database to PostgreSQL (``tui-desk db copy``): the SQLite file is
read (never changed), the PostgreSQL database gets the schema and every row in one transaction,
checked per table by row count and checksum (``store.copy``)."""

from __future__ import annotations

from pathlib import Path

from tui_desk.store.copy import CopyError, CopyResult, Progress, copy_database, opened_source
from tui_desk.store.copy import opened_target as _opened_target


def copy_to_postgresql(source: Path, url: str, *,
                       progress: Progress | None = None) -> CopyResult:
    """Copy the SQLite database at ``source`` into the (new, empty) PostgreSQL database at
    ``url`` and verify it; CopyError (Dutch) when it cannot start or does not verify."""
    with opened_source(Path(source).expanduser()) as src, _opened_target(url) as dst:
        return copy_database(src, dst, progress=progress)


def where(url: str) -> str:
    """The URL without its password, for the screen."""
    from tui_desk.store.pg_backend import redacted

    return redacted(url)


__all__ = ["CopyError", "CopyResult", "copy_to_postgresql", "where"]
