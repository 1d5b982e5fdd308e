"""The hypothesis settings and the typed-text strategies of the rules' property tests.

Each ``…ISH`` strategy draws text that looks like what is typed into one kind of field, wrong
characters included, so a parser meets its near misses as well as its good input.
"""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st

FAST = settings(max_examples=200, deadline=None)

IBANISH = st.text(alphabet="NLDEBGXnl0123456789ABNAINGB ", max_size=30)
PHONEISH = st.text(alphabet="0123456789+()-. /", max_size=20)
EMAILISH = st.text(alphabet="abcXYZ019.-_+@ \u00e9", max_size=30)
DATEISH = st.text(alphabet="0123456789-/. januarimeoktsp\t", max_size=20)
NAMEISH = st.text(alphabet="aAbBtThHiIjJcCrR .-'’ßĳ1\t\x00é\u0301", max_size=30)
POSTCODEISH = st.text(alphabet="0123456789ABDGSabgs -NL\tß", max_size=12)
HOUSEISH = st.text(alphabet="0123456789abAB -/.½\n", max_size=14)
