"""Table-driven tests of parsers: a test module holds its cases, this module the test.

Each helper returns a test function parametrized over a table; bind it to a ``test_…`` name in
the test module, which is the name pytest collects and reports::

    test_phone = parses(parse_phone, [("0592-123456", "+31592123456"), ("", "")])

The cases' ids are the values, as with a hand-written ``@pytest.mark.parametrize``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pytest

from tests.rules.refusals import refusal

Parse = Callable[[Any], Any]


def parses(parse: Parse, cases: Iterable[tuple[Any, Any]]) -> Callable[..., None]:
    """A test that ``parse(typed) == expected`` for each ``(typed, expected)`` case."""

    @pytest.mark.parametrize(("typed", "expected"), list(cases))
    def test(typed: Any, expected: Any) -> None:
        result = parse(typed)
        assert result == expected, f"{typed!r} gave {result!r}, expected {expected!r}"

    return test


def refuses(error: type[Exception], parse: Parse,
            cases: Iterable[tuple[Any, str]]) -> Callable[..., None]:
    """A test that ``parse`` refuses each ``(typed, message)`` case with ``error`` (a subclass
    counts) whose sentence is ``message``, to the letter."""

    @pytest.mark.parametrize(("typed", "message"), list(cases))
    def test(typed: Any, message: str) -> None:
        said = refusal(error, parse, typed)
        assert said == message, f"{typed!r} was refused with {said!r}, expected {message!r}"

    return test


def refuses_each(error: type[Exception], parse: Parse,
                 typed: Iterable[Any]) -> Callable[..., None]:
    """A test that ``parse`` refuses each typed value with ``error`` (a subclass counts)."""

    @pytest.mark.parametrize("typed", list(typed))
    def test(typed: Any) -> None:
        with pytest.raises(error):
            parse(typed)

    return test


def refuses_naming(error: type[Exception], parse: Parse,
                   cases: Iterable[tuple[Any, str]]) -> Callable[..., None]:
    """A test that ``parse`` refuses each ``(typed, part)`` case with ``error`` whose sentence
    contains ``part`` (a regular expression, as ``pytest.raises(match=…)``)."""

    @pytest.mark.parametrize(("typed", "part"), list(cases))
    def test(typed: Any, part: str) -> None:
        with pytest.raises(error, match=part):
            parse(typed)

    return test
