"""A drop-down menu of the menu bar, opened with its Alt key; only items that work are listed."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from tui_desk import keymap
from tui_desk.errors import DeskError
from tui_desk.rules.text import printable
from tui_desk.widgets.dialog import Dialog

# (label, action) per menu, in the manual's order.
MENU_ITEMS: dict[str, tuple[tuple[str, str], ...]] = {
    "Klanten": (
        ("Klantenadministratie", "klantenadministratie"),
        ("Zoek klant", "zoek_klant"),
        ("Inschrijven klant", "nieuwe_klant"),
        ("Openstaande inschrijvingen", "openstaande_inschrijvingen"),
        ("Zoek klant (direct)", "zoek_klant_direct"),
        ("Zoek klant (via vorige lijst)", "zoek_vorige_lijst"),
        ("Vorige klant", "vorige_klant"),
        ("Berichten (verzonden mail)", "berichten"),
        ("Einde sessie", "einde_sessie"),
    ),
    # Shown in the Klanten menu while a customer record is open ("Print klantgegevens" & co).
    "Klant": (
        ("Print klantgegevens: Ledenpas", "screen.ledenpas"),
        ("Print klantgegevens: Inschrijfbewijs", "screen.inschrijfbewijs"),
        ("Print klantbon", "screen.klantbon"),
        ("Afrekenen (openstaand bedrag)", "screen.afrekenen"),
        ("Inlogaccount", "screen.inlogaccount"),
        ("Incassomachtiging", "screen.incassomachtiging"),
        ("Muteer abonnement", "screen.muteer_abonnement"),
        ("Abonnement opzeggen", "screen.opzeggen"),
        ("Nieuwe pas (verloren pas blokkeren)", "screen.nieuwe_pas"),
        ("Privacy: toestemming, blokkade, inzage", "screen.privacy"),
    ),
    "Financieel": (
        ("Kas (dagtotalen en kasopmaak)", "kas"),
        ("Printwachtrij", "printwachtrij"),
        ("Onbekende scans", "onbekende_scans"),
    ),
}


# The training database's menu (its items are the exercise files).
TRAINING = "Oefeningen"


def _row(label: str, action: str) -> Table:
    grid = Table.grid(expand=True)
    grid.add_column(ratio=1)
    grid.add_column(justify="right")
    try:
        shortcut = keymap.by_action(action.removeprefix("screen.")).display
    except KeyError:
        shortcut = ""
    grid.add_row(Text(label), Text(shortcut))  # never markup: exercise titles are files' text
    return grid


class MenuScreen(Dialog[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Sluiten"),
        Binding("left", "neighbour(-1)", "Vorig menu", show=False),
        Binding("right", "neighbour(1)", "Volgend menu", show=False),
    ]
    DEFAULT_CSS = """
    MenuScreen { align: left top; background: $background 30%; }
    MenuScreen > Vertical {
        margin: 1 0 0 0; width: 44; height: auto; border: round $primary; background: $panel;
    }
    MenuScreen OptionList { height: auto; border: none; }
    """

    def __init__(self, menu: str, *, record_open: bool = False) -> None:
        super().__init__()
        self.menu = menu
        self.record_open = record_open

    def compose(self) -> ComposeResult:
        items = [] if self.menu == TRAINING else list(MENU_ITEMS[self.menu])
        if self.menu == "Klanten" and self.record_open:
            items += MENU_ITEMS["Klant"]
        options = [Option(_row(label, action), id=action) for label, action in items]
        with self.frame(self.menu) as box:
            if self.menu == TRAINING:
                box.styles.width = 64  # the exercises' titles
            yield OptionList(*options)

    def on_mount(self) -> None:
        # The exercises' states come from the database: read once the menu is there, so that
        # a failure is this screen's error (``show_error``), not a screen that cannot be built.
        if self.menu == TRAINING:
            options = self.query_one(OptionList)
            options.add_options([Option(_row(label, action), id=action)
                                 for label, action in self._exercise_items()])
            options.highlighted = 0

    def show_error(self, error: DeskError) -> None:
        """The menu cannot be shown: close it and say why."""
        from tui_desk.screens.error import ErrorDialog

        self.dismiss(None)
        self.app.push_screen(ErrorDialog(str(error)))

    def _exercise_items(self) -> list[tuple[str, str]]:
        """Every exercise, with ✓ when done right and ✗ when checked and not yet right."""
        from tui_desk.services import exercises

        desk = self.desk_app.desk
        items = []
        for ex in exercises.load_exercises(desk.config.demo_exercises):
            state = exercises.state(desk.db, ex)
            mark = "  " if state.passed is None else "✓ " if state.passed else "✗ "
            items.append((f"{mark}{printable(ex.title)}", f"oefening({ex.id!r})"))
        return items

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        action = event.option.id
        self.dismiss(action)
        if action:
            self.app.call_later(self.app.run_action, action)


    def action_neighbour(self, step: int) -> None:
        """Left/Right walk along the menu bar, as in a desktop menu."""
        titles = [t for t in MENU_ITEMS if t != "Klant"]
        if self.desk_app.desk.demo:
            titles.append(TRAINING)
        other = titles[(titles.index(self.menu) + step) % len(titles)]
        self.dismiss(None)
        self.app.push_screen(MenuScreen(other, record_open=self.record_open))
