"""Step 1's form (``registration_customer.CustomerStepScreen``): its rows in the manual's
order, one widget per field, and a field shown again for another draft. Labels and limits come
from the wizard's field specs, which take them from the one field table (``rules.fields``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from tui_desk.rules.text import printable
from tui_desk.services.registration import CUSTOMER_FIELDS, FIELD, NO, YES
from tui_desk.widgets.choice import Choice, Toggle
from tui_desk.widgets.form import FormInput
from tui_desk.widgets.styled import StyledOnce

if TYPE_CHECKING:
    from textual.screen import Screen

    _Base = Screen[None]
else:
    _Base = object

# Fields that share a row with the one before them.
SAME_ROW = {"house_suffix", "email_leeg", "taal"}
# Where a field's message goes: the row it shares.
MESSAGE_ROW = {"house_suffix": "house_number", "email_leeg": "email", "taal": "kanaal"}
WIDTH = {"kaart": 17, "initials": 10, "prefix": 10, "birth_date": 18,
         "postcode": 10, "house_number": 8, "house_suffix": 6, "phone": 16, "sms": 16,
         "iban": 26, "bic": 12, "selectie": 16, "country": 16,
         "ouder_pas": 17, "ouder_naam": 24, "ouder_relatie": 16, "ouder_telefoon": 16,
         "ouder_email": 24}
# Fields as wide as their row allows (an e-mail address stays in sight while it is typed);
# their message takes room only when there is one (registration.tcss, .reg-wide).
WIDE = {"email"}
PLACEHOLDER = {"kaart": "scan pas of V", "birth_date": "dd-mm-jjjj",
               "postcode": "1234 AB", "selectie": "Boekstart, …",
               "ouder_pas": "scan pas ouder", "ouder_naam": "of typ de naam",
               "ouder_relatie": "moeder, vader, voogd"}


def form(get: dict[str, str]) -> ComposeResult:
    """The title, the form's rows and the button row; ``get``: the draft's value per field."""
    yield Static(Text("Inschrijven klant · Klantgegevens (stap 1)", style="bold"),
                 id="reg-title")
    with VerticalScroll(id="reg-form"):
        specs = list(CUSTOMER_FIELDS)
        i = 0
        while i < len(specs):
            spec = specs[i]
            extra = specs[i + 1] if i + 1 < len(specs) and specs[i + 1].name in SAME_ROW \
                else None
            with Horizontal(classes="reg-row", id=f"row-{spec.name}"):
                label = spec.label if extra is None or extra.name == "email_leeg" else (
                    f"{spec.label} / taal" if extra.name == "taal" else
                    f"{spec.label} / toev.")
                yield Label(label, classes="reg-label", id=f"label-{spec.name}")
                yield field_widget(spec.name, get[spec.name])
                if extra is not None:
                    yield field_widget(extra.name, get[extra.name])
                yield Static("", classes="reg-message", id=f"msg-{spec.name}")
            i += 2 if extra is not None else 1
    with Horizontal(id="reg-buttons"):
        yield Static("", id="reg-status")
        yield Button("Ok, Vervolg (F10)", id="reg-next", variant="primary")


def field_widget(name: str, value: str) -> Widget:
    """The widget for field ``name`` showing ``value``."""
    spec = FIELD[name]
    if spec.kind == "choice":
        return Choice(spec.choices, value, id=f"f-{name}")
    if spec.kind == "yesno":
        return Choice(((YES, "Ja"), (NO, "Nee")), value, id=f"f-{name}")
    if spec.kind == "check":
        label = {"incasso": "Incasso", "email_leeg": "Leeg"}.get(name, "")
        return Toggle(label, value == YES, id=f"f-{name}")
    # A resumed draft's stored text, made printable: an ESC in it would reach the terminal
    # from the field.
    field = FormInput(value=printable(value), id=f"f-{name}",
                      placeholder=PLACEHOLDER.get(name, ""), classes="reg-input",
                      limit=spec.max_length)
    if name in WIDE:
        field.add_class("reg-wide")
    else:
        field.styles.width = WIDTH.get(name, 30)
    return field


def show_value(widget: Widget, value: str) -> None:
    """Show ``value`` in a field's widget as a newly built one would, without a Changed."""
    if isinstance(widget, Toggle):
        widget.set_reactive(Toggle.value, value == YES)
        widget.refresh()
    elif isinstance(widget, Choice):
        options = dict(widget.options)
        widget.set_reactive(Choice.value, value if value in options else widget.options[0][0])
        widget.refresh()
    elif isinstance(widget, Input):
        with widget.prevent(Input.Changed):
            widget.value = value
        widget.cursor_position = len(value)
        widget.scroll_to(0, animate=False)


class KeptForm(StyledOnce):
    """Mixin (first base) for a screen of many fields that the app keeps and shows again for
    every next draft: it is not styled again on every return (``StyledOnce``), and its widgets
    are found by id without a query of the whole screen."""

    def _by_id(self, widget_id: str) -> Widget | None:
        """A widget of the form by id, without a query of the whole screen (a reset looks up
        every field and message)."""
        index = self.__dict__.get("_index")
        if index is None:
            index = {w.id: w for w in self.walk_children(Widget) if w.id}
            if "f-kaart" not in index:
                return None  # not built yet
            self._index = index
        return index.get(widget_id)
