"""What a parser says when it refuses typed text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


def refusal(error: type[Exception], parse: Callable[..., Any], *args: Any) -> str:
    """The sentence ``parse(*args)`` refuses with, raising ``error`` (a subclass counts);
    the test fails when it accepts."""
    with pytest.raises(error) as info:
        parse(*args)
    return str(info.value)
