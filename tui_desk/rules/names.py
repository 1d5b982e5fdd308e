"""Names: prefixes (tussenvoegsels), search keys and how a name is shown."""

from __future__ import annotations

import re
import unicodedata

# Known Dutch surname prefixes, longest first so that "van der" wins over "van".
# Abbreviations staff type ("v.d.") are expanded to the written form.
_ABBREVIATIONS = {
    "v.d.": "van der",
    "v.d": "van der",
    "vd": "van der",
    "v/d": "van der",
    "v.": "van",
    "i.t.": "in 't",
    "v.h.": "van het",
    "vh": "van het",
}
PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "van", "van der", "van den", "van de", "van het", "van 't", "de", "der", "den",
            "het", "'t", "te", "ter", "ten", "in 't", "in de", "in het", "op de", "op den",
            "op 't", "uit de", "uit den", "uit het", "aan de", "aan den", "bij de", "over de",
            "onder de", "von", "von der", "da", "di", "du", "del", "della", "la", "le", "van de la",
            "d'", "el", "al", "op ten", "van ter", "van ten", "vande", "vanden", "vander",
        },
        key=lambda p: (-len(p), p),
    )
)


def fold(text: str) -> str:
    """Lower case without accents or punctuation, for comparing and searching.

    >>> fold("Çelik-Özdemir")
    'celik ozdemir'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.casefold().replace("ß", "ss").replace("ĳ", "ij")
    bare = re.sub(r"[^0-9a-z' ]+", " ", bare)
    return re.sub(r"\s+", " ", bare).strip()


def normalise_prefix(text: str) -> str:
    """The written form of a typed prefix ("v.d." → "van der"); unknown text stays as typed.

    >>> normalise_prefix("V.D.")
    'van der'
    """
    t = re.sub(r"\s+", " ", text.strip()).lower()
    return _ABBREVIATIONS.get(t, t)


def split_prefix(name: str) -> tuple[str, str]:
    """Split a typed surname into (prefix, surname).

    >>> split_prefix("van der Test")
    ('van der', 'Test')
    """
    words = name.strip().split()
    lowered = [normalise_prefix(w) for w in words]
    for n in range(len(words) - 1, 0, -1):
        candidate = normalise_prefix(" ".join(words[:n]))
        if candidate in PREFIXES or all(w in PREFIXES for w in lowered[:n]):
            return candidate, " ".join(words[n:])
    return "", name.strip()


def search_key(surname: str) -> str:
    """The key customers are found by: surname without prefix, folded.

    >>> search_key("van der Tést")
    'test'
    """
    _prefix, bare = split_prefix(surname)
    return fold(bare)


def display_name(initials: str, prefix: str, surname: str, salutation: str = "") -> str:
    """``Mw. A. van de Test``: the name as the record header shows it.

    >>> display_name("A.", "van de", "Test", "Mw.")
    'Mw. A. van de Test'
    """
    parts = [salutation, initials, prefix, surname]
    return " ".join(p for p in parts if p)


def salutation(gender: str) -> str:
    """Dhr. for Man, Mw. for Vrouw, nothing for Neutraal, Onbekend and Instelling.

    >>> salutation("V")
    'Mw.'
    """
    return {"M": "Dhr.", "V": "Mw."}.get(gender, "")
