"""The terminal driver (``tui_desk.widgets.driver``) on a real pseudo-terminal, in this process:
an idle session's input thread does not wake up, keys still arrive (a lone Esc too, after its
delay), a stop wakes the thread at once, and a terminal that goes away ends the input and tells
the app.

Wake-ups are counted, not timed: the input thread's voluntary context switches
(``/proc/self/task/<tid>/status``), which Textual's own loop (``select(..., 0.1)``) makes ten a
second.
"""

from __future__ import annotations

import asyncio
import os
import pty
import signal
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from textual import events

from tui_desk.widgets.driver import HANGUP_STATUS, DeskDriver, TerminalGone


@dataclass
class FakeApp:
    """What the driver calls on the app: ``_post_message`` (from its threads)."""

    messages: list[Any] = field(default_factory=list)

    async def _post_message(self, message: Any) -> bool:
        self.messages.append(message)
        return True


@dataclass
class Running:
    driver: DeskDriver
    app: FakeApp
    master: int

    def input_thread(self) -> threading.Thread:
        thread = self.driver._key_thread
        assert thread is not None
        return thread

    def wakeups(self) -> int:
        """The input thread's voluntary context switches so far (each wait that ended)."""
        tid = self.input_thread().native_id
        with open(f"/proc/self/task/{tid}/status") as status:
            for line in status:
                if line.startswith("voluntary_ctxt_switches:"):
                    return int(line.split()[1])
        raise AssertionError("no voluntary_ctxt_switches")

    async def wait_for(self, found: Callable[[Any], bool], timeout: float = 10.0) -> Any:
        end = time.monotonic() + timeout
        while True:
            for message in self.app.messages:
                if found(message):
                    return message
            assert time.monotonic() < end, f"not posted; got {self.app.messages}"
            await asyncio.sleep(0.01)

    def drain(self) -> None:
        """Read what the driver wrote to the terminal (so that it never blocks)."""
        os.set_blocking(self.master, False)
        try:
            while os.read(self.master, 65536):
                pass
        except OSError:
            pass


@asynccontextmanager
async def driver_on_a_pty(monkeypatch) -> AsyncIterator[Running]:
    master, slave = pty.openpty()
    terminal_in = open(slave, closefd=False)
    terminal_out = open(slave, "w", closefd=False)
    # The driver takes the process's terminal: here, the pty.
    monkeypatch.setattr(sys, "__stdin__", terminal_in)
    monkeypatch.setattr(sys, "__stderr__", terminal_out)
    kept = {signum: signal.getsignal(signum)
            for signum in (signal.SIGTSTP, signal.SIGCONT, signal.SIGWINCH)}
    app = FakeApp()
    driver = DeskDriver(app, mouse=False, size=(80, 24))  # type: ignore[arg-type]
    running = Running(driver, app, master)
    try:
        driver.start_application_mode()
        running.drain()
        yield running
    finally:
        driver.stop_application_mode()   # on the main thread, as the app does
        driver.close()
        for signum, handler in kept.items():
            signal.signal(signum, handler)
        for fd in (master, slave):
            try:
                os.close(fd)
            except OSError:
                pass
        terminal_in.close()
        terminal_out.close()


async def test_an_idle_terminal_wakes_the_input_thread_up_no_more_and_keys_still_arrive(
        monkeypatch):
    async with driver_on_a_pty(monkeypatch) as running:
        # The start-up queries are answered by nobody: the thread is waiting now.
        os.write(running.master, b"a")
        await running.wait_for(lambda m: isinstance(m, events.Key) and m.character == "a")
        before = running.wakeups()
        await asyncio.sleep(0.5)   # the period counted over: Textual's loop wakes 5 times
        assert running.wakeups() - before <= 1
        # A lone Esc still becomes the Escape key once no more bytes follow (the parser's
        # timeout is the only one the thread waits with).
        os.write(running.master, b"\x1b")
        await running.wait_for(lambda m: isinstance(m, events.Key) and m.key == "escape")
        assert running.input_thread().is_alive()
        # Stopping wakes the thread at once (no timeout to run out): stop_application_mode,
        # run by the context manager, joins it.
    assert not running.input_thread().is_alive()


async def test_a_terminal_that_goes_away_ends_the_input_and_tells_the_app(monkeypatch):
    async with driver_on_a_pty(monkeypatch) as running:
        os.write(running.master, b"x")
        await running.wait_for(lambda m: isinstance(m, events.Key) and m.character == "x")
        os.close(running.master)    # the line drops
        gone = await running.wait_for(lambda m: isinstance(m, TerminalGone))
        assert gone.reason in ("eof", "eio")
        assert gone.status == HANGUP_STATUS
        thread = running.input_thread()
        await asyncio.to_thread(thread.join, 10)
        assert not thread.is_alive()         # not spinning on end-of-file
        # Writing to the dead terminal neither fails nor blocks: the screen's output goes
        # nowhere (more than the writer's queue holds).
        for _ in range(100):
            running.driver.write("x" * 100)
        running.driver.flush()
    assert [m for m in running.app.messages if isinstance(m, TerminalGone)] == [gone]


async def test_sighup_and_sigterm_tell_the_app_with_their_status(monkeypatch):
    async with driver_on_a_pty(monkeypatch) as running:
        os.kill(os.getpid(), signal.SIGTERM)
        gone = await running.wait_for(lambda m: isinstance(m, TerminalGone))
        assert (gone.reason, gone.status) == ("SIGTERM", 143)
        # A SIGCONT that follows no SIGTSTP (the kernel sends one with a hang-up's SIGHUP)
        # starts no second input thread.
        thread = running.input_thread()
        os.kill(os.getpid(), signal.SIGCONT)
        await asyncio.sleep(0.1)
        assert running.input_thread() is thread
    # After the driver closed, the signals are the program's own again.
    assert signal.getsignal(signal.SIGHUP) in (signal.SIG_DFL, None)


async def test_a_character_split_over_two_reads_and_a_byte_that_is_not_utf8(monkeypatch):
    """The first byte of a character read alone decodes to nothing yet (which Textual's parser
    would take for end-of-file); a byte that is not UTF-8 becomes U+FFFD."""
    async with driver_on_a_pty(monkeypatch) as running:
        os.write(running.master, b"a")
        await running.wait_for(lambda m: isinstance(m, events.Key) and m.character == "a")
        before = running.wakeups()
        os.write(running.master, b"\xc3")          # the first half of "ë"
        end = time.monotonic() + 10
        while running.wakeups() == before:         # read, on its own
            assert time.monotonic() < end
            await asyncio.sleep(0.01)
        os.write(running.master, b"\xab")
        await running.wait_for(lambda m: isinstance(m, events.Key) and m.character == "ë")
        os.write(running.master, b"\xeb")          # ë in Latin-1
        os.write(running.master, b"we")
        await running.wait_for(lambda m: isinstance(m, events.Key) and m.character == "e")
        typed = [m.character for m in running.app.messages if isinstance(m, events.Key)]
        assert typed[-3:] == ["\ufffd", "w", "e"]
        assert running.input_thread().is_alive()
