"""Every screen and dialog of the program has injected-fault tests (issue 13): the record and
its dialogs in test_faults_record.py, the office screens, the wizard and the settlement in
test_faults_office.py; screens that call no service are listed there with the reason."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.screen import Screen

import tui_desk.screens
from tests.resilience import test_faults_office, test_faults_record


def screen_classes() -> set[str]:
    names = set()
    for module_info in pkgutil.iter_modules(tui_desk.screens.__path__):
        module = importlib.import_module(f"tui_desk.screens.{module_info.name}")
        for name, value in vars(module).items():
            if (inspect.isclass(value) and issubclass(value, Screen)
                    and value.__module__ == module.__name__ and not name.startswith("_")
                    and not inspect.isabstract(value)):
                names.add(name)
    return names


def test_every_screen_class_is_covered_by_a_fault_test():
    covered = (set(test_faults_record.COVERED_SCREENS) | set(test_faults_office.COVERED_SCREENS)
               | set(test_faults_office.NO_SERVICE_CALLS))
    # steps 2 and 3 derive from WizardStep, steps 4 and 5 from FollowUpStep
    bases = {"DeskScreen", "DeskModal", "WizardStep", "FollowUpStep"}
    assert screen_classes() - bases - covered == set()
