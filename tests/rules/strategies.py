"""The hypothesis settings and the typed-text strategies of the rules' property tests.

Each ``…ISH`` strategy draws text that looks like what is typed into one kind of field, wrong
characters included, so a parser meets its near misses as well as its good input.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

FAST = settings(max_examples=200, deadline=None)

IBANISH = st.text(alphabet="NLDEBGXnl0123456789ABNAINGB ", max_size=30)
PHONEISH = st.text(alphabet="0123456789+()-. /", max_size=20)
EMAILISH = st.text(alphabet="abcXYZ019.-_+@ \u00e9", max_size=30)
DATEISH = st.text(alphabet="0123456789-/. januarimeoktsp\t", max_size=20)
NAMEISH = st.text(alphabet="aAbBtThHiIjJcCrR .-'’ßĳ1\t\x00é\u0301", max_size=30)
POSTCODEISH = st.text(alphabet="0123456789ABDGSabgs -NL\tß", max_size=12)
HOUSEISH = st.text(alphabet="0123456789abAB -/.½\n", max_size=14)


def returns_or_refuses(
    parse: Callable[[str], Any],
    error: type[Exception],
    texts: st.SearchStrategy[str],
    holds: Callable[[Any], bool] = lambda result: True,
    *,
    stable: bool = False,
) -> Callable[..., None]:
    """A property test, bound to a ``test_…`` name in the test module: ``parse`` either refuses
    each drawn text with ``error`` in a sentence, or returns a result for which ``holds`` is
    true and, when ``stable``, which it parses to itself again."""

    def test(text: str) -> None:
        try:
            result = parse(text)
        except error as exc:
            assert str(exc), f"{text!r} was refused without a sentence"
            return
        assert holds(result), f"{text!r} gave {result!r}"
        if stable:
            again = parse(result)
            assert again == result, f"{text!r} gave {result!r}, which parses to {again!r}"

    return FAST(given(texts)(test))
