"""What the registration wizard's steps 2 and 3 share: a screen for one draft, built once per
session and reset for the next registration (``for_draft``), as step 1 is (issue 20: composing,
mounting and styling each step again cost CPU on every registration); the title "Inschrijven
klant · <step>"; F10 that goes on and Esc that goes back a step, what was typed kept."""

from __future__ import annotations

from typing import ClassVar, Self

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from tui_desk.screens.base import DeskScreen
from tui_desk.services.registration import Draft, RegistrationService
from tui_desk.widgets.styled import StyledOnce, kept_screen


class WizardStep(StyledOnce, DeskScreen):
    CSS_PATH = "registration.tcss"
    # The name under which the app keeps the step's one screen.
    INSTALLED_AS: ClassVar[str]
    # The step in the title: "Inschrijven klant · Abonnement (stap 3)".
    STEP_TITLE: ClassVar[str]

    @staticmethod
    def step_bindings(go_on: str, go_on_label: str, back_label: str) -> list[BindingType]:
        """F10 goes on (the action ``go_on``), Esc goes back a step (``action_back``): both
        before what a field would do with the key."""
        return [Binding("f10", go_on, go_on_label, priority=True),
                Binding("escape", "back", back_label, priority=True)]

    def __init__(self, service: RegistrationService, draft: Draft) -> None:
        super().__init__()
        self.service = service
        self.draft = draft

    @classmethod
    def for_draft(cls, app: App, service: RegistrationService, draft: Draft) -> Self:
        """The step's screen for ``draft``: the kept one reset, or a new one."""
        return kept_screen(app, cls.INSTALLED_AS, cls, lambda: cls(service, draft),
                           lambda kept: kept.reset(service, draft))

    def compose_body(self) -> ComposeResult:
        yield Static(Text(f"Inschrijven klant · {self.STEP_TITLE}", style="bold"), id="reg-title")
        yield from self.compose_step()

    def compose_step(self) -> ComposeResult:
        """The step's own widgets, under the title."""
        raise NotImplementedError

    def reset(self, service: RegistrationService, draft: Draft) -> bool:
        """Show ``draft`` as a newly built screen would; False when this screen was never
        built (installed, not shown) or cannot show it."""
        if not self.query("#reg-title"):
            return False
        self.service, self.draft = service, draft
        self.hide_busy()
        return self.show_draft()

    def show_draft(self) -> bool:
        """Fill the built screen from ``self.draft`` (on mount and on every reset)."""
        raise NotImplementedError

    def previous_step(self) -> str:
        """The step Esc goes back to."""
        raise NotImplementedError

    def action_back(self, to: str | None = None) -> None:
        """Back to step ``to`` (default: ``previous_step()``), what was typed kept."""
        step = to or self.previous_step()
        self.service.back_to(self.draft, step)
        self.desk_app.open_registration_step(self.service, self.draft, step)
