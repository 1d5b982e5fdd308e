"""The record's print keys and the dialogs it opens (Afrekenen, Inlogaccount, Incasso, Muteer
abonnement, Opzeggen, Privacy, Nieuwe pas): each shows the record as stored afterwards."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tui_desk.screens.results import said_by
from tui_desk.services.cards import Replacement

if TYPE_CHECKING:
    from tui_desk.screens.base import DeskScreen

    _Base = DeskScreen
else:
    _Base = object


class RecordActions(_Base):
    """Mixin (first base) of ``CustomerScreen``: the actions of ``keymap.RECORD``."""

    customer_id: int

    if TYPE_CHECKING:
        def reload(self, message: str | None = None) -> None: ...  # CustomerScreen's

    def _print(self, kind: str) -> None:
        from tui_desk.screens.print_queue import print_for_customer

        # The spool hands a second press the job already queued: never a second card.
        print_for_customer(self.app, kind, self.customer_id,
                           on_done=lambda _outcome: self.reload())

    def action_ledenpas(self) -> None:
        self._print("ledenpas")

    def action_inschrijfbewijs(self) -> None:
        self._print("inschrijfbewijs")

    def action_klantbon(self) -> None:
        self._print("klantbon")

    def action_afrekenen(self) -> None:
        from tui_desk.screens.settlement import SettlementScreen

        self.app.push_screen(SettlementScreen(self.customer_id,
                                              on_done=said_by(self, lambda _s: self.reload())))

    def action_inlogaccount(self) -> None:
        from tui_desk.screens.login_account import LoginAccountScreen

        self.app.push_screen(LoginAccountScreen(self.customer_id), said_by(self, self.reload))

    def action_incassomachtiging(self) -> None:
        from tui_desk.screens.mandate import MandateScreen

        self.app.push_screen(MandateScreen(self.customer_id,
                                           on_done=said_by(self, lambda _p: self.reload())))

    def action_muteer_abonnement(self) -> None:
        from tui_desk.screens.subscription_change import ChangeSubscriptionScreen

        self.app.push_screen(ChangeSubscriptionScreen(self.customer_id),
                             said_by(self, self.reload))

    def action_opzeggen(self) -> None:
        from tui_desk.screens.subscription_change import CancelSubscriptionScreen

        self.app.push_screen(CancelSubscriptionScreen(self.customer_id),
                             said_by(self, self.reload))

    def action_privacy(self) -> None:
        from tui_desk.screens.privacy import PrivacyScreen

        self.app.push_screen(PrivacyScreen(self.customer_id),
                             said_by(self, lambda _r: self.reload()))

    def action_nieuwe_pas(self) -> None:
        from tui_desk.screens.card_replace import ReplaceCardScreen

        def done(result: Replacement | None) -> None:
            if result is None:
                return
            self.reload(f"Pas {result.old_number or ''} geblokkeerd; nieuwe pas "
                        f"{result.new_number}. De ledenpas wordt geprint.")
            self._print("ledenpas")

        self.app.push_screen(ReplaceCardScreen(self.customer_id), said_by(self, done))
