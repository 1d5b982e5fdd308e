"""Reading a reference table (tariffs, postcodes): a file given by path, or the built-in one."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from tui_desk.store.errors import StoreError


def read_data_file(path: Path | str | None, builtin: str, *, encoding: str = "utf-8",
                   key: str | None = None) -> tuple[str, str]:
    """(text, source name) of ``path``, or of ``tui_desk/data/<builtin>`` when it is None.

    A file that cannot be read is a StoreError naming it (and ``key``, when given).
    """
    if path is None:
        text = resources.files("tui_desk.data").joinpath(builtin).read_text("utf-8")
        return text, f"{builtin} (built in)"
    source = str(path)
    try:
        return Path(path).read_text(encoding=encoding), source
    except OSError as exc:
        where = f"{source}: {key}" if key else source
        raise StoreError(f"{where}: cannot be read: {exc.strerror}") from None
