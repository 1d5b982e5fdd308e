"""The one place that decides which key does what.

Wise's shortcuts use Ctrl+Alt+letter, which most terminals send over SSH as ESC + Ctrl+letter:
Textual then reports plain ``ctrl+letter`` (the Alt is lost). So each Wise shortcut is mapped to
a key a real terminal delivers; where Wise's own key would collide (Ctrl+Alt+Z and Ctrl+Z both
arrive as ``ctrl+z``) another key is chosen and the footer shows it. Modified function keys and
Alt+digit never arrive and are not used.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Key:
    action: str      # Textual action name on the app or screen
    key: str         # Textual key name as the terminal delivers it
    label: str       # Dutch label for footer and menu
    wise: str = ""   # the shortcut the staff know from Wise
    show: bool = True
    long: str = ""   # the full name where there is room (main screen)

    @property
    def display(self) -> str:
        """How the key is written in menus: ``Alt+Z``, ``Ctrl+N``, ``F12``."""
        parts = self.key.split(",")[0].split("+")
        return "+".join(p.capitalize() if len(p) > 1 else p.upper() for p in parts)


# Keys that work on every screen (app level, priority: they win over text inputs). The footer
# has room for few at 80 columns: the others are listed with their keys in the Klanten menu
# (Alt+K) and on the main screen.
GLOBAL: tuple[Key, ...] = (
    Key("zoek_klant", "alt+z", "Zoek klant", "Alt+Z"),
    Key("zoek_klant_direct", "ctrl+z", "Zoek direct", "Ctrl+Z", show=False,
        long="Zoek klant (direct)"),
    Key("zoek_vorige_lijst", "alt+l", "Vorige lijst", "Ctrl+Alt+Z", show=False,
        long="Zoek klant (via vorige lijst)"),
    Key("vorige_klant", "ctrl+v", "Vorige klant", "Ctrl+Alt+V", show=False),
    Key("nieuwe_klant", "ctrl+n", "Nieuwe klant", "Ctrl+Alt+N", long="Inschrijven klant"),
    Key("klantenadministratie", "alt+a", "Klantenadm.", "Alt+A", show=False,
        long="Klantenadministratie"),
    Key("menu_klanten", "alt+k", "Menu", "", show=True, long="Menu Klanten"),
    Key("menu_financieel", "alt+c", "Financieel", "", show=False, long="Menu Financieel"),
    # Only in the training database (OEFENOMGEVING): the exercises.
    Key("menu_oefeningen", "alt+e", "Oefeningen", "", show=False, long="Menu Oefeningen"),
    Key("help", "f1", "Help", "F1"),
    Key("einde_sessie", "f12", "Einde sessie", "F12"),
)

# Keys of the customer record. Ctrl+Alt+I (Inschrijfbewijs) arrives as Shift+Tab and Ctrl+Alt+C
# (Incassomachtiging) as Ctrl+C; ESC b / ESC f are word moves: other keys are chosen for those.
RECORD: tuple[Key, ...] = (
    Key("melding", "alt+m", "Melding", "Alt+M"),
    Key("ledenpas", "ctrl+p", "Ledenpas", "Ctrl+Alt+P", show=False),
    Key("inschrijfbewijs", "alt+w", "Inschrijfbewijs", "Ctrl+Alt+I", show=False),
    Key("klantbon", "alt+p", "Klantbon", "Alt+P", show=False),
    Key("afrekenen", "alt+r", "Afrekenen", "", show=False),
    Key("inlogaccount", "f7", "Inlogaccount", "", show=False),
    Key("incassomachtiging", "f6", "Incasso", "Ctrl+Alt+C", show=False),
    Key("muteer_abonnement", "f8", "Muteer abonnement", "", show=False),
    Key("opzeggen", "alt+o", "Opzeggen", "", show=False),
    Key("nieuwe_pas", "alt+n", "Nieuwe pas", "", show=False),
    Key("privacy", "alt+v", "Privacy (AVG)", "", show=False),
)


# Keys of every form (the wizard's steps, the record's NAW tab, settlement, the mandate dialogs,
# sign-in): they move the cursor between the fields, like Tab/Shift+Tab and Enter, and the field
# it lands on is scrolled into view. A widget that gives the key a meaning of its own keeps it:
# a list's or a table's cursor, a text field's Home/End (``widgets.form.FieldKeys``). Priority
# keys: the cursor moves the moment the key arrives, so what is typed next lands in that field.
FORM: tuple[Key, ...] = (
    Key("field_key('down')", "down", "Volgend veld", show=False),
    Key("field_key('up')", "up", "Vorig veld", show=False),
    Key("field_key('pagedown')", "pagedown", "Scherm verder", show=False),
    Key("field_key('pageup')", "pageup", "Scherm terug", show=False),
    Key("field_key('end')", "end", "Laatste veld", show=False),
    Key("field_key('home')", "home", "Eerste veld", show=False),
)


def by_action(action: str) -> Key:
    for key in GLOBAL + RECORD:
        if key.action == action:
            return key
    raise KeyError(action)
