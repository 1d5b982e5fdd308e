"""Tab 1.Klant: the customer's details, the four addresses, the region and the family."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui_desk.models import Customer
from tui_desk.rules import dates
from tui_desk.rules.text import printable
from tui_desk.screens.record.common import pairs, safe
from tui_desk.services import customers as service
from tui_desk.services import privacy

ADDRESS_LABELS = (
    ("hoofdadres", "Hoofdadres"), ("postadres", "Postadres"), ("factuuradres", "Factuuradres"),
    ("alternatief", "Alternatief adres"),
)


class KlantTab(VerticalScroll):
    def compose(self) -> ComposeResult:
        yield Static(id="klant-info")
        yield Static(id="klant-addresses")
        yield Static(id="klant-region")
        yield Static(id="klant-family")

    def show(self, c: Customer) -> None:
        info = pairs([
            ("Voorletters", c.initials, "Telefoon", service.show_phone(c.phone)),
            ("Voorvoegsel", c.prefix, "SMS-nummer", service.show_phone(c.sms)),
            ("Achternaam", c.surname, "E-mail", c.email),
            ("Roepnaam", c.first_name, "Filiaal", c.branch_name),
            ("Geboren", dates.show_long(c.birth_date), "Inschrijfdatum",
             dates.show(c.registered_on)),
        ])
        self.query_one("#klant-info", Static).update(info)
        table = Table(box=None, padding=(0, 1), header_style="bold underline", show_edge=False)
        for label, width in (("Type", 18), ("Straat", 22), ("Huisnr", 7), ("Postcode", 9),
                             ("Plaats", 12), ("Land", 5)):
            table.add_column(label, width=width, no_wrap=True, overflow="ellipsis")
        by_kind = {a.kind: a for a in c.addresses}
        for kind, label in ADDRESS_LABELS:
            a = by_kind.get(kind)
            if a is None:
                table.add_row(Text(label), *(Text("") for _ in range(5)))
            else:
                table.add_row(Text(label), safe(a.street), safe(a.number_text), safe(a.postcode),
                              safe(a.place.upper()), safe(a.country))
        self.query_one("#klant-addresses", Static).update(table)
        region = Text()
        region.append("Regio/wijk  ", style="bold")
        region.append(printable(c.address.region if c.address else ""))
        self.query_one("#klant-region", Static).update(region)

    def show_family(self, guardians: list[privacy.Guardian],
                    wards: list[privacy.Ward]) -> None:
        """The ouder/verzorger link both ways."""
        family = Text()
        for g in guardians:
            family.append("Ouder/verzorger  ", style="bold")
            family.append(printable(f"{g.name} ({g.relation})"
                                    f"{'  pas ' + g.card_number if g.card_number else ''}"))
            family.append("\n")
        for w in wards:
            family.append("Ouder/verz. van  ", style="bold")
            family.append(printable(f"{w.name} ({dates.show(w.birth_date)})  pas "
                                    f"{w.card_number}"))
            family.append("\n")
        self.query_one("#klant-family", Static).update(family)
