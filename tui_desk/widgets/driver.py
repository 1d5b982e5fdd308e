"""The terminal driver: Textual's Linux driver, made to end when its terminal goes away and to
sleep while nobody types.

Textual's ``LinuxDriver`` has three habits that do not suit a counter session on a server:

- **A terminal that goes away is not noticed.** When the line drops (an SSH connection, a thin
  client switched off, ``tmux kill-server``), reading the terminal returns end-of-file (or
  fails with EIO). Textual's input loop treats an empty read as "nothing this time" and selects
  again at once: the process spins at 100 % CPU for ever. Only the session leader gets SIGHUP
  from the kernel; a program started under ``make`` or a shell script is not the leader, so
  nothing ever ends it. Here end-of-file or an error on the terminal, SIGHUP and SIGTERM all
  post :class:`TerminalGone` to the app, which keeps what was typed and exits
  (``TuiDeskApp.on_terminal_gone``).
- **Writing to a terminal that is gone kills the output thread.** Textual's writer thread
  dies on the first EIO; the next screenfuls then block the app for ever on the thread's full
  queue. The thread writes through :class:`_TerminalOutput`: once a write fails, the output
  goes to ``/dev/null`` (nothing can read it any more) and the app is told the terminal is
  gone.
- **The input thread wakes ten times a second.** ``select(..., 0.1)`` only serves the parser's
  timeout (a lone Esc becomes the Escape key once no more bytes follow). Here the loop waits
  without a timeout unless the parser waits for one, and a wake-up pipe ends the wait when the
  app stops: an idle session makes no wake-ups at all.

Also: the terminal's bytes are decoded with ``errors="replace"`` (a byte that is not UTF-8
becomes U+FFFD instead of ending the session), and a SIGCONT that does not follow a SIGTSTP
(the kernel sends one with the SIGHUP of a hang-up) does not start a second application mode.
"""

from __future__ import annotations

import asyncio
import errno
import io
import os
import selectors
import signal
import threading
from codecs import getincrementaldecoder
from collections.abc import Callable
from typing import Any, TextIO, cast

from textual._time import get_time
from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver
from textual.message import Message

# Exit statuses, as a shell reports a process ended by the signal (128 + its number): the
# terminal went away (end-of-file or an error on it, or SIGHUP), or the system asked the
# program to stop (SIGTERM, e.g. a shutdown).
HANGUP_STATUS = 128 + signal.SIGHUP
TERMINATED_STATUS = 128 + signal.SIGTERM


class TerminalGone(Message):
    """The terminal went away (``reason``: ``"eof"``, ``"eio"``, ``"output"``, ``"SIGHUP"``),
    the program was asked to stop (``"SIGTERM"``) or reading the terminal failed unexpectedly
    (``"error"``, in the log); ``status``: the exit status to end with."""

    def __init__(self, reason: str, status: int) -> None:
        super().__init__()
        self.reason = reason
        self.status = status


class _WakingEvent(threading.Event):
    """Textual's ``exit_event``: setting it also wakes the input thread's wait (Textual's
    ``disable_input`` sets it and joins the thread)."""

    def __init__(self, wake: Any) -> None:
        super().__init__()
        self._wake = wake

    def set(self) -> None:
        super().set()
        self._wake()


class _TerminalOutput:
    """The terminal as Textual's writer thread writes to it (see the module): a write that
    fails sends the rest to ``/dev/null`` and tells the app the terminal is gone, instead of
    ending the thread."""

    def __init__(self, file: TextIO, on_gone: Callable[[str, int], None]) -> None:
        self._file = file
        self._on_gone = on_gone
        self.gone = False

    def write(self, text: str) -> int:
        try:
            return self._file.write(text)
        except (OSError, ValueError):
            self._lost()
            return len(text)

    def flush(self) -> None:
        try:
            self._file.flush()
        except (OSError, ValueError):
            self._lost()

    def fileno(self) -> int:
        return self._file.fileno()

    def _lost(self) -> None:
        if self.gone:
            return
        self.gone = True
        # Nothing can read the terminal any more: what is still written (the restore
        # sequences at the end, Python's last flush of stderr) goes nowhere instead of
        # failing again.
        try:
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, self._file.fileno())
            finally:
                os.close(null)
        except (OSError, ValueError):
            pass
        self._on_gone("output", HANGUP_STATUS)


class DeskDriver(LinuxDriver):
    """``LinuxDriver`` that ends the session when its terminal goes away and sleeps while
    idle (see the module)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake_read: int | None = None
        self._wake_write: int | None = None
        self.exit_event = _WakingEvent(self._wake)
        self._suspended = False
        self._gone: str | None = None
        self._signals: list[int] = []
        # Textual's writer thread writes to ``_file`` (the terminal, stderr); it only calls
        # write, flush and fileno, which the wrapper has (typed by Textual as the TextIOWrapper
        # that sys.__stderr__ is).
        if self._file is not None:
            self._file = cast(io.TextIOWrapper, _TerminalOutput(self._file, self._terminal_gone))

    # -- the terminal goes away ---------------------------------------------------------------
    def _terminal_gone(self, reason: str, status: int) -> None:
        """Tell the app, once (from any thread)."""
        if self._gone is not None:
            return
        self._gone = reason
        self.send_message(TerminalGone(reason, status))

    def _on_signal(self, signum: int) -> None:
        name = signal.Signals(signum).name
        self._terminal_gone(name, 128 + signum)

    def _catch_signals(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(signum, self._on_signal, signum)
            except (RuntimeError, ValueError, NotImplementedError):
                continue  # not the main thread: the default action stays
            self._signals.append(signum)

    def _release_signals(self) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = self._loop
        for signum in self._signals:
            try:
                loop.remove_signal_handler(signum)
            except (RuntimeError, ValueError):
                pass
        self._signals.clear()

    def _sigtstp_application(self, *args: Any) -> None:
        self._suspended = True
        super()._sigtstp_application(*args)

    def _sigcont_application(self, *args: Any) -> None:
        # Only back from a suspension: the kernel sends SIGCONT together with a hang-up's
        # SIGHUP, and a stray ``kill -CONT`` would start a second input and output thread.
        if not self._suspended or self._gone is not None:
            return
        self._suspended = False
        super()._sigcont_application(*args)

    # -- application mode -----------------------------------------------------------------------
    def start_application_mode(self) -> None:
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_write, False)
        self._catch_signals()
        super().start_application_mode()

    def stop_application_mode(self) -> None:
        super().stop_application_mode()  # joins the input thread (``disable_input``)
        if self._key_thread is not None and self._key_thread.is_alive():
            return  # not joined (Textual's disable_input failed): it still selects on them
        for fd in (self._wake_read, self._wake_write):
            if fd is not None:
                os.close(fd)
        self._wake_read = self._wake_write = None

    def close(self) -> None:
        self._release_signals()
        super().close()

    def _wake(self) -> None:
        fd = self._wake_write
        if fd is not None:
            try:
                os.write(fd, b"x")
            except OSError:
                pass  # full (already woken) or closed

    # -- input ----------------------------------------------------------------------------------
    def _run_input_thread(self) -> None:
        """Textual's wrapper would show a traceback, local variables included, on the
        terminal (``App.panic``): an unexpected failure of the input goes to the log instead,
        and the session ends as when the terminal goes away (what was typed is stored),
        with status 1."""
        try:
            self.run_input_thread()
        except Exception as exc:  # the input is dead: end, keeping what was typed
            from tui_desk import crashlog

            crashlog.write(exc, "terminal input")
            self._terminal_gone("error", 1)

    def run_input_thread(self) -> None:
        """Read the terminal and post its keys; wait without a timeout unless the parser has
        one (a lone Esc), and end on end-of-file or an error (the terminal is gone)."""
        fileno = self.fileno
        wake = self._wake_read
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")(errors="replace").decode
        selector = selectors.SelectSelector()
        selector.register(fileno, selectors.EVENT_READ)
        if wake is not None:
            selector.register(wake, selectors.EVENT_READ)
        try:
            while not self.exit_event.is_set():
                # The parser's deadline (a private field of Textual's parser): set only while
                # an escape sequence may still continue.
                deadline: float | None = parser._timeout_time
                timeout = None if deadline is None else max(0.0, deadline - get_time())
                ready = selector.select(timeout)
                for key, _mask in ready:
                    if key.fd == wake:
                        try:
                            os.read(wake, 512)
                        except OSError:
                            pass
                        continue
                    try:
                        data = os.read(fileno, 4096)
                    except OSError as exc:
                        if exc.errno in (errno.EAGAIN, errno.EINTR):
                            continue
                        self._terminal_gone("eio", HANGUP_STATUS)
                        return
                    if not data:
                        self._terminal_gone("eof", HANGUP_STATUS)
                        return
                    text = decode(data)
                    if not text:
                        continue  # the first byte(s) of a character: the rest follows
                    for event in parser.feed(text):  # (an empty feed means end-of-file)
                        self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()
