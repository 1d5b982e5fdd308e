"""What a parser says when it refuses typed text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tui_desk.rules.errors import RuleError


def refusal(error: type[Exception], parse: Callable[..., Any], *args: Any) -> str:
    """The sentence ``parse(*args)`` refuses with, raising ``error`` (a subclass counts);
    the test fails when it accepts."""
    with pytest.raises(error) as info:
        parse(*args)
    return str(info.value)


def are_rule_errors(*errors: type[Exception]) -> Callable[[], None]:
    """A test, bound to a ``test_…`` name in the test module, that each of a module's refusals
    is a RuleError (and so a ValueError and a DeskError), which a screen shows as it is."""

    def test() -> None:
        for error in errors:
            assert issubclass(error, RuleError), f"{error.__name__} is no RuleError"

    return test
