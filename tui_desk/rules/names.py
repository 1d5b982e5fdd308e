"""Names: prefixes (tussenvoegsels), search keys and how a name is shown."""

from __future__ import annotations

import re
import unicodedata

from tui_desk.rules.errors import RuleError
from tui_desk.rules.text import invisible

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
    # 't typed without its apostrophe ("van t Hof")
    "t": "'t",
    "van t": "van 't",
    "in t": "in 't",
    "op t": "op 't",
}
PREFIXES: tuple[str, ...] = tuple(
    sorted(
        {
            "van", "van der", "van den", "van de", "van het", "van 't", "de", "der", "den",
            "het", "'t", "te", "ter", "ten", "in 't", "in de", "in het", "op de", "op den",
            "op 't", "uit de", "uit den", "uit het", "aan de", "aan den", "bij de", "over de",
            "onder de", "von", "von der", "da", "di", "du", "del", "della", "la", "le", "van de la",
            "d'", "el", "al", "de la", "de los", "de las", "op ten", "van ter", "van ten",
            "vande", "vanden", "vander",
        },
        key=lambda p: (-len(p), p),
    )
)


# Letters without a decomposition that strips to a-z: Yılmaz, Ðorđević, Wałęsa, Søndergaard.
_LETTERS = str.maketrans({
    "ı": "i", "İ": "i", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d", "ł": "l", "Ł": "l", "ø": "o",
    "Ø": "o", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "Þ": "th", "ß": "ss",
    "ĳ": "ij", "Ĳ": "ij",
})


def _kept(ch: str) -> bool:
    """Letters, digits and marks of every script stay; punctuation and the rest separate."""
    return ch in "' " or unicodedata.category(ch)[0] in "LMN"


def fold(text: str) -> str:
    """Lower case without accents or punctuation, for comparing and searching.

    What folds, folds (NFKD, case, accents: ``Çelik`` is ``celik``, ``Σοφία`` is ``σοφια``,
    ``Йорданов`` is ``иорданов``); letters of other scripts stay as they are, so that an
    Arabic or Chinese surname has a search key too.

    >>> fold("Çelik-Özdemir"), fold("Yılmaz"), fold("محمد"), fold("王")
    ('celik ozdemir', 'yilmaz', 'محمد', '王')
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    bare = bare.casefold().translate(_LETTERS)
    bare = "".join(ch if _kept(ch) else " " for ch in bare)
    return re.sub(r"\s+", " ", bare).strip()


def normalise_prefix(text: str) -> str:
    """The written form of a typed prefix ("v.d." → "van der"); unknown text stays as typed.

    >>> normalise_prefix("V.D.")
    'van der'
    """
    t = re.sub(r"\s+", " ", text.strip()).lower()
    return _ABBREVIATIONS.get(t, t)


_ELIDED = re.compile(r"(^|\s)[dD]'(?=\w)")


def split_prefix(name: str) -> tuple[str, str]:
    """Split a typed surname into (prefix, surname).

    >>> split_prefix("van der Test")
    ('van der', 'Test')
    >>> split_prefix("d'Ancona"), split_prefix("van t Hof")
    (("d'", 'Ancona'), ("van 't", 'Hof'))
    """
    # "d'Ancona": the elided prefix is written against the name; split it off like "de".
    name = _ELIDED.sub(r"\1d' ", name.translate(_PLAIN))
    words = name.strip().split()
    lowered = [normalise_prefix(w) for w in words]
    for n in range(len(words) - 1, 0, -1):
        candidate = normalise_prefix(" ".join(words[:n]))
        if candidate in PREFIXES or all(w in PREFIXES for w in lowered[:n]):
            return candidate, " ".join(words[n:])
    return "", name.strip()


# Terminal escape sequences that slipped into a name are not part of what staff search for.
_CONTROL_SEQUENCE = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b.|[\x00-\x1f\x7f]")


def search_key(surname: str) -> str:
    """The key customers are found by: surname without prefix, folded.

    >>> search_key("van der Tést")
    'test'
    """
    surname = _CONTROL_SEQUENCE.sub("", surname)
    _prefix, bare = split_prefix(surname)
    return fold(bare)


def display_name(initials: str, prefix: str, surname: str, salutation: str = "") -> str:
    """``Mw. A. van de Test``: the name as the record header shows it.

    >>> display_name("A.", "van de", "Test", "Mw."), display_name("A.", "d'", "Ancona")
    ('Mw. A. van de Test', "A. d'Ancona")
    """
    parts = [salutation, initials, prefix, surname]
    shown = " ".join(p for p in parts if p)
    if prefix.endswith("'") and prefix != "'t" and surname:
        # d' is written against the name: "A. d'Ancona", not "A. d' Ancona"
        shown = shown.replace(f"{prefix} {surname}", f"{prefix}{surname}")
    return shown


def salutation(gender: str) -> str:
    """Dhr. for Man, Mw. for Vrouw, nothing for Neutraal, Onbekend and Instelling.

    >>> salutation("V")
    'Mw.'
    """
    return {"M": "Dhr.", "V": "Mw."}.get(gender, "")


# --- Parsers for the Klantgegevens fields Voorletters, Voorvoegsel, Achternaam, Roepnaam ---


class InitialsError(RuleError):
    """Voorletters that cannot be read as initials."""


class PrefixError(RuleError):
    """A Voorvoegsel that is not a known Dutch surname prefix."""


class SurnameError(RuleError):
    """An Achternaam that is missing, too long or has characters a name cannot have."""


class GivenNameError(RuleError):
    """A Roepnaam that is missing (youth members) or has characters a name cannot have."""


SURNAME_MAX = 60
GIVEN_NAME_MAX = 40
INITIALS_MAX = 10  # letters, not characters: "Chr." counts as one

# Typographic quotes and dashes typed or pasted into names, mapped to the plain forms we store.
_PLAIN = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'",
                        "\u2010": "-", "\u2011": "-", "\u2013": "-"})


def _shown(text: str, limit: int = 20) -> str:
    """Echo typed text back in a message, cut short so the message stays readable."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def normalise_initials(text: str) -> str:
    """Voorletters as written on the card: capitals, each followed by a period.

    Periods, spaces and hyphens separate initials. A run typed all in capitals or all in lower
    case is one initial per letter ("AB" → "A.B."); a capital followed by lower case is one
    Dutch multi-letter initial ("Th.", "Chr.", "Sj."); "ij" typed as one run is the single
    initial "IJ." ("I.J." stays two). Empty input gives "". Raises :class:`InitialsError`.

    >>> [normalise_initials(t) for t in ("a b", "a.b.", "AB", "Th.", "ij", "")]
    ['A.B.', 'A.B.', 'A.B.', 'Th.', 'IJ.', '']
    """
    t = unicodedata.normalize("NFKC", text)
    if any(invisible(ch) for ch in t):
        raise InitialsError("Voorletters bevatten een onzichtbaar of ongeldig teken.")
    initials: list[str] = []
    for token in re.split(r"[.\s\-]+", t):
        if not token:
            continue
        if token.casefold() == "ij":
            initials.append("IJ")
            continue
        mixed = any(ch.isupper() for ch in token) and any(ch.islower() for ch in token)
        letters: list[str] = []
        typed_capital = False  # the initial being built was typed as a capital
        for ch in token:
            latin = unicodedata.name(ch, "").startswith("LATIN")
            if not latin or not (ch.isupper() or ch.islower()) or len(ch.upper()) != 1:
                raise InitialsError(
                    f"Voorletters bevatten een ongeldig teken: {ch!r}. Vul alleen letters in."
                )
            if mixed and ch.islower() and typed_capital:
                letters[-1] += ch  # "Th", "Chr": one initial
            else:
                letters.append(ch.upper())
                typed_capital = ch.isupper()
        # "Ij" is the Dutch digraph IJ, written as one capital initial either way.
        letters = ["IJ" if initial == "Ij" else initial for initial in letters]
        for initial in letters:
            if len(initial) > 3:
                raise InitialsError(
                    f"'{_shown(token)}' lijkt een voornaam: vul alleen de voorletters in."
                )
        initials.extend(letters)
    if len(initials) > INITIALS_MAX:
        raise InitialsError(f"Te veel voorletters: maximaal {INITIALS_MAX}.")
    return "".join(f"{i}." for i in initials)


def parse_prefix(text: str) -> str:
    """The written form of a Voorvoegsel; abbreviations expand, empty input gives "".

    Only known Dutch (and a few foreign) surname prefixes are accepted. Raises
    :class:`PrefixError`.

    >>> parse_prefix("v.d.")
    'van der'
    """
    t = unicodedata.normalize("NFKC", text)
    if any(invisible(ch) for ch in t):
        raise PrefixError("Voorvoegsel bevat een onzichtbaar of ongeldig teken.")
    t = re.sub(r"\s+", " ", t.translate(_PLAIN)).strip()
    if not t:
        return ""
    for candidate in (t, re.sub(r"([./]) ", r"\1", t)):  # "v. d." is typed too
        written = normalise_prefix(candidate)
        if written in PREFIXES:
            return written
    raise PrefixError(
        f"Voorvoegsel '{_shown(t)}' is onbekend. Bijvoorbeeld: van, van der (v.d.), de, ter."
    )


def _parse_name(
    text: str, *, label: str, max_len: int, required: bool, error: type[RuleError]
) -> str:
    t = unicodedata.normalize("NFC", text)
    if any(invisible(ch) for ch in t):
        raise error(f"{label} bevat een onzichtbaar of ongeldig teken.")
    t = re.sub(r"\s+", " ", t.translate(_PLAIN)).strip()
    t = re.sub(r" ?- ?", "-", t)  # "Jansen - de Vries" → "Jansen-de Vries"
    if not t:
        if required:
            raise error(f"Vul de {label.lower()} in.")
        return ""
    previous = " "
    for ch in t:
        if ch.isdigit() or unicodedata.category(ch) == "Nd":
            raise error(f"{label} mag geen cijfers bevatten.")
        combining = unicodedata.category(ch).startswith("M")
        if not (ch.isalpha() or ch in " -'" or (combining and previous.isalpha())):
            raise error(f"{label} bevat een ongeldig teken: {ch!r}.")
        if not combining:
            previous = ch
    if not any(ch.isalpha() for ch in t):
        raise error(f"{label} moet letters bevatten.")
    if t.startswith("-") or t.endswith("-") or "--" in t:
        raise error(f"{label}: een streepje hoort tussen twee namen.")
    if len(t) > max_len:
        raise error(f"{label} is te lang: maximaal {max_len} tekens, dit zijn er {len(t)}.")
    return t


def parse_surname(text: str) -> str:
    """A required Achternaam: letters, spaces, hyphens and apostrophes, at most 60 characters.

    Spaces are tidied and typographic apostrophes become ``'``; the case is kept as typed.
    Raises :class:`SurnameError`.

    >>> parse_surname("  Test ")
    'Test'
    """
    return _parse_name(
        text, label="Achternaam", max_len=SURNAME_MAX, required=True, error=SurnameError
    )


def parse_given_name(text: str, *, required: bool = False) -> str:
    """A Roepnaam (first name), required only for youth members; empty gives "".

    Same characters as a surname, at most 40. Raises :class:`GivenNameError`.

    >>> parse_given_name("Anne-Fleur", required=True)
    'Anne-Fleur'
    """
    return _parse_name(
        text, label="Roepnaam", max_len=GIVEN_NAME_MAX, required=required, error=GivenNameError
    )
