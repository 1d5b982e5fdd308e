"""No personal data in log files.

tui-desk writes no log file of its own. Two ways one could still appear are guarded here:
a logging (or Textual ``log``) call that passes a customer's data, found by reading the source;
and Textual's ``TEXTUAL_LOG``, which writes every event - typed names included - to a file: the
production program turns it off, which a run with a registration proves. The wrapper that
starts the program over SSH clears the environment as well (tests/test_deploy.py,
tests/terminal/test_ssh.py).
"""

from __future__ import annotations

import ast
import logging
from pathlib import Path

import textual.constants

from tests.factories import make_staff
from tui_desk.app import TuiDeskApp
from tui_desk.services import customers as customer_service
from tui_desk.services.desk import Desk
from tui_desk.services.registration import LOGIN_GENERATED, RegistrationService
from tui_desk.store.postcodes import load_postcodes
from tui_desk.store.tariffs import load_tariffs

PACKAGE = Path(__file__).resolve().parents[1] / "tui_desk"

# Identifiers that carry a person's data; a logging call must not pass any of them.
PERSONAL = {
    "name", "full_name", "display_name", "initials", "prefix", "surname", "first_name",
    "achternaam", "voorletters", "roepnaam", "birth_date", "geboortedatum", "street", "straat",
    "house_number", "huisnummer", "postcode", "place", "plaats", "address", "addresses",
    "phone", "telefoon", "sms", "email", "to_addr", "iban", "bic", "values", "data", "draft",
    "customer", "text", "notice", "notices", "username", "pin",
}
LOG_METHODS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log",
               "event", "system"}
LOGGERS = {"logging", "log", "logger", "_log", "LOG", "LOGGER"}

# The values a registration below types: none may end up in a log.
SECRETS = {
    "surname": "Zwaluwstaart", "initials": "Q", "iban": "NL91ABNA0417164300",
    "email": "q.zwaluwstaart@example.org", "phone": "0612345678", "street": "Kruisakkers",
}


def _logger_name(node: ast.AST) -> str | None:
    """``logging``, ``logger``, ``self.log``, ``self.app.log`` → the last name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def log_calls_with_personal_data(tree: ast.AST) -> list[str]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        is_log = (
            isinstance(func, ast.Attribute) and func.attr in LOG_METHODS
            and _logger_name(func.value) in LOGGERS
        ) or (isinstance(func, ast.Attribute) and func.attr == "log"
              and isinstance(func.value, ast.Name | ast.Attribute))
        if not is_log:
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            for sub in ast.walk(arg):
                ident = sub.id if isinstance(sub, ast.Name) else (
                    sub.attr if isinstance(sub, ast.Attribute) else None)
                if ident and ident.lower() in PERSONAL:
                    found.append(f"line {node.lineno}: {ident}")
    return found


def log_files_opened(tree: ast.AST) -> list[str]:
    """FileHandler/basicConfig(filename=...)/RotatingFileHandler: tui-desk writes no log files."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            name = _logger_name(node.func)
            if name and name.endswith("FileHandler"):
                found.append(f"line {node.lineno}: {name}")
            if name == "basicConfig" and any(k.arg == "filename" for k in node.keywords):
                found.append(f"line {node.lineno}: basicConfig(filename=...)")
    return found


def test_no_logging_call_passes_personal_data_and_no_log_file_is_opened():
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(PACKAGE)
        offenders += [f"{rel} {o}" for o in log_calls_with_personal_data(tree)]
        offenders += [f"{rel} {o}" for o in log_files_opened(tree)]
    assert offenders == []


def test_print_is_only_for_the_command_line():
    # A print inside the program would land on the terminal under the screen, or in a
    # journal when run from a timer; reports for the administrator are printed by cli.py.
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "cli.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "print"):
                offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


def test_the_detectors_catch_planted_offenders():
    planted = ast.parse(
        "import logging\n"
        "logger = logging.getLogger(__name__)\n"
        "logger.info('saved %s', customer.surname)\n"
        "logging.warning(f'bad iban {iban}')\n"
        "self.log(draft.values)\n"
        "self.app.log.event(data)\n"
        "logging.basicConfig(filename='/var/log/tui-desk.log')\n"
        "h = logging.FileHandler('x.log')\n"
        "logger.info('saved customer %d', customer_id)\n"   # an id is fine
    )
    assert sorted(o.split(": ")[1] for o in log_calls_with_personal_data(planted)) == [
        "customer", "data", "draft", "iban", "surname", "values"]
    assert len(log_files_opened(planted)) == 2


def test_a_whole_registration_logs_nothing_personal(db, clock, caplog):
    """Every logger at DEBUG while a customer is registered, changed and given a notice."""
    load_tariffs(db)
    load_postcodes(db)
    staff = make_staff(db)
    caplog.set_level(logging.DEBUG)
    service = RegistrationService(db, clock, staff)
    draft = service.start()
    service.issue_card(draft)
    for name, value in {
        "initials": SECRETS["initials"], "surname": SECRETS["surname"],
        "birth_date": "1-1-1991", "postcode": "9468 BG", "house_number": "41",
        "gender": "V", "phone": SECRETS["phone"], "incasso": "Ja",
        "iban": SECRETS["iban"], "email": SECRETS["email"], "legitimatie": "Ja",
    }.items():
        service.set(draft, name, value)
    service.lookup_address(draft)
    service.finish_customer_step(draft, duplicates_seen=True)
    service.choose_login(draft, LOGIN_GENERATED)
    done = service.register(draft, "0045")
    customer_service.update_naw(db, clock, staff, done.customer_id,
                                {"surname": SECRETS["surname"] + "-Mees"})
    customer_service.set_notice(db, clock, staff, done.customer_id,
                                f"Belt {SECRETS['phone']} terug", False, None)
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for what, value in SECRETS.items():
        assert value not in logged, what


async def test_textual_log_is_off_in_production_even_when_asked_for(db, config, clock,
                                                                     tmp_path, monkeypatch):
    """TEXTUAL_LOG=file would receive every Input.Changed with its value (it does in the
    training database, where developers may use it: there this test would fail)."""
    log = tmp_path / "textual.log"
    monkeypatch.setattr(textual.constants, "LOG_FILE", str(log))
    load_postcodes(db)
    staff = make_staff(db, name="J. de Balie")
    app = TuiDeskApp(Desk(config=config, db=db, demo=False, clock=clock, staff=staff))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+n")
        await pilot.press("V", "enter", "Q", "enter", "enter")
        app.focused.insert_text_at_cursor(SECRETS["surname"])
        await pilot.press("enter")
        assert app.screen.draft.values["surname"] == SECRETS["surname"]
    assert not log.exists() or SECRETS["surname"] not in log.read_text(encoding="utf-8")
