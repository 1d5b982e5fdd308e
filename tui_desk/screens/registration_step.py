"""What the registration wizard's steps 2 and 3 share: a screen for one draft, built once per
session and reset for the next registration (``for_draft``), as step 1 is (issue 20: composing,
mounting and styling each step again cost CPU on every registration)."""

from __future__ import annotations

from typing import ClassVar, Self

from textual.app import App

from tui_desk.screens.base import DeskScreen
from tui_desk.services.registration import Draft, RegistrationService
from tui_desk.widgets.styled import StyledOnce, kept_screen


class WizardStep(StyledOnce, DeskScreen):
    CSS_PATH = "registration.tcss"
    # The name under which the app keeps the step's one screen.
    INSTALLED_AS: ClassVar[str]

    def __init__(self, service: RegistrationService, draft: Draft) -> None:
        super().__init__()
        self.service = service
        self.draft = draft

    @classmethod
    def for_draft(cls, app: App, service: RegistrationService, draft: Draft) -> Self:
        """The step's screen for ``draft``: the kept one reset, or a new one."""
        return kept_screen(app, cls.INSTALLED_AS, cls, lambda: cls(service, draft),
                           lambda kept: kept.reset(service, draft))

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
