"""The log of unexpected errors holds a traceback without local variables or personal data."""

from __future__ import annotations

import errno
import sqlite3
import stat

from tui_desk import crashlog

IBAN = "NL91ABNA0417164300"


def _fail_with_personal_data() -> None:
    customer = {"name": "Verhoeven", "iban": IBAN}  # a local: must not be logged
    raise ValueError(f"bad customer {customer['name']} {customer['iban']}")


def _raise(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_the_log_has_frames_and_the_type_but_no_locals_and_no_message(tmp_path, monkeypatch):
    monkeypatch.delenv(crashlog.ENV_LOG, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    try:
        _fail_with_personal_data()
    except ValueError as exc:
        path = crashlog.write(exc, "test")
    assert path == tmp_path / "state" / "tui-desk" / "tui-desk.log"
    text = path.read_text(encoding="utf-8")
    assert "_fail_with_personal_data" in text and "ValueError" in text
    assert "Verhoeven" not in text and IBAN not in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_entries_are_appended_with_a_timestamp(tmp_path):
    path = tmp_path / "log" / "tui-desk.log"
    crashlog.write(_raise(KeyError("x")), "first", path=path)
    crashlog.write(_raise(KeyError("y")), "second", path=path)
    entries = [line for line in path.read_text().splitlines() if line.startswith("--- ")]
    assert len(entries) == 2 and entries[0].endswith("first") and entries[1].endswith("second")


def test_sqlite_messages_are_kept_os_errors_without_the_file_name():
    sqlite_error = _raise(sqlite3.OperationalError("database or disk is full"))
    assert "database or disk is full" in crashlog.format_exception(sqlite_error)
    os_error = _raise(PermissionError(errno.EACCES, "Permission denied", "/home/jansen/IBAN.txt"))
    text = crashlog.format_exception(os_error)
    assert "[Errno 13] Permission denied" in text and "jansen" not in text


def test_chained_exceptions_are_logged_the_same_way():
    try:
        try:
            _fail_with_personal_data()
        except ValueError as inner:
            raise RuntimeError(f"while saving {IBAN}") from inner
    except RuntimeError as outer:
        text = crashlog.format_exception(outer)
    assert "ValueError" in text and "RuntimeError" in text and "direct cause" in text
    assert IBAN not in text and "Verhoeven" not in text


def test_log_path_is_the_xdg_state_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(crashlog.ENV_LOG, raising=False)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert crashlog.log_path(None) == tmp_path / "tui-desk" / "tui-desk.log"
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert crashlog.log_path(None) == tmp_path / "home/.local/state/tui-desk/tui-desk.log"
