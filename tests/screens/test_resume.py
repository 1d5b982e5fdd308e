"""An unfinished registration is offered when its staff member starts the program or signs in."""

from __future__ import annotations

import datetime as dt

import pytest
from textual.widgets import DataTable

from tests.factories import make_staff, screen_text, wait_until
from tui_desk.app import TuiDeskApp
from tui_desk.clock import FixedClock
from tui_desk.rules.pins import hash_pin
from tui_desk.screens.main import MainScreen
from tui_desk.screens.registration_customer import CustomerStepScreen
from tui_desk.screens.registration_login import LoginStepScreen
from tui_desk.screens.resume import ResumeScreen
from tui_desk.screens.signin import SignInScreen
from tui_desk.services.desk import Desk
from tui_desk.services.registration import STEP_LOGIN, RegistrationService
from tui_desk.store import drafts as draft_store
from tui_desk.store import staff as staff_store

SIZE = (80, 24)


@pytest.fixture
def clock():
    return FixedClock(dt.datetime(2026, 11, 28, 10, 0))


@pytest.fixture
def staff(db):
    return make_staff(db, username="jbalie", name="J. de Balie")


def make_draft(db, clock, staff, *, surname: str, step: str | None = None, **values: str):
    service = RegistrationService(db, clock, staff)
    draft = service.start()
    for name, value in {"initials": "A", "prefix": "van der", "surname": surname,
                        **values}.items():
        service.set(draft, name, value)
    if step:
        service.back_to(draft, step)
    return draft


def app_for(db, config, clock, staff=None, login=None) -> TuiDeskApp:
    return TuiDeskApp(Desk(config=config, db=db, demo=True, clock=clock, staff=staff,
                           login=login))


async def test_open_drafts_are_offered_at_start_and_enter_resumes(db, config, clock, staff):
    older = make_draft(db, clock, staff, surname="Test", birth_date="1-1-1991")
    clock.advance(minutes=95)
    newer = make_draft(db, clock, staff, surname="Zwaluw", step=STEP_LOGIN)
    clock.advance(hours=20)
    app = app_for(db, config, clock, staff)
    async with app.run_test(size=SIZE) as pilot:
        # Under load the list may be drawn a moment after the dialog is shown.
        await wait_until(pilot, lambda: isinstance(app.screen, ResumeScreen)
                         and "A. van der Test" in screen_text(app))
        text = screen_text(app)
        assert "Onafgemaakte inschrijving" in text
        assert "28-11-2026 11:35" in text and "2. Inlogaccount" in text
        assert "A. van der Zwaluw" in text
        assert "28-11-2026 10:00" in text and "1. Klantgegevens" in text
        assert "A. van der Test" in text
        assert "Enter = verder" in text and "Del = weggooien" in text

        await pilot.press("down", "enter")      # the older one, at step 1
        assert isinstance(app.screen, CustomerStepScreen)
        assert app.screen.draft.id == older.id
        assert app.screen.draft.values["surname"] == "Test"
        assert app.screen.draft.values["birth_date"] == "1-1-1991"
        assert app.screen_stack[-2].__class__ is MainScreen
    assert draft_store.get(db, newer.id).status == "open"


async def test_resume_goes_to_the_step_where_it_stopped(db, config, clock, staff):
    draft = make_draft(db, clock, staff, surname="Zwaluw", step=STEP_LOGIN)
    app = app_for(db, config, clock, staff)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        assert isinstance(app.screen, LoginStepScreen)
        assert app.screen.draft.id == draft.id


async def test_del_twice_throws_a_draft_away_and_escape_decides_later(db, config, clock, staff):
    first = make_draft(db, clock, staff, surname="Test")
    clock.advance(minutes=5)
    second = make_draft(db, clock, staff, surname="Zwaluw")
    app = app_for(db, config, clock, staff)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        await pilot.press("delete")                # the newest first: only a warning
        assert "Nogmaals Del" in screen_text(app)
        await pilot.press("down", "delete")        # moving away disarms: a warning again
        assert draft_store.get(db, second.id).status == "open"
        assert draft_store.get(db, first.id).status == "open"
        await pilot.press("delete")
        assert draft_store.get(db, first.id).status == "abandoned"
        assert "weggegooid" in screen_text(app)
        assert app.screen.query_one(DataTable).row_count == 1

        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
    assert draft_store.get(db, second.id).status == "open"


async def test_the_last_draft_thrown_away_closes_the_question(db, config, clock, staff):
    draft = make_draft(db, clock, staff, surname="Test")
    app = app_for(db, config, clock, staff)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("delete", "delete")
        assert isinstance(app.screen, MainScreen)
    assert draft_store.get(db, draft.id).status == "abandoned"
    assert RegistrationService(db, clock, staff).open_drafts() == []


async def test_offered_right_after_sign_in_and_only_the_own_drafts(db, config, clock, staff):
    staff_store.update(db, staff.id, pin_hash=hash_pin("4321"))
    other = make_staff(db, username="collega", name="C. Collega")
    make_draft(db, clock, other, surname="Vanderander")
    make_draft(db, clock, staff, surname="Eigen")
    app = app_for(db, config, clock, login="piet")
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, SignInScreen)
        await pilot.press(*"jbalie", "enter", *"4321", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        text = screen_text(app)
        assert "A. van der Eigen" in text
        assert "Vanderander" not in text


async def test_no_question_without_open_drafts(db, config, clock, staff):
    draft = make_draft(db, clock, staff, surname="Test")
    RegistrationService(db, clock, staff).abandon(draft)
    app = app_for(db, config, clock, staff)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)


async def test_a_draft_finished_elsewhere_meanwhile_is_dropped_from_the_list(db, config, clock,
                                                                              staff):
    draft = make_draft(db, clock, staff, surname="Test")
    keep = make_draft(db, clock, staff, surname="Zwaluw")
    app = app_for(db, config, clock, staff)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        # Another session of the same person throws it away while the question is open.
        RegistrationService(db, clock, staff).abandon(draft)
        table = app.screen.query_one(DataTable)
        table.move_cursor(row=table.get_row_index(str(draft.id)))
        await pilot.press("enter")
        assert isinstance(app.screen, ResumeScreen)
        assert "niet meer open" in screen_text(app)
        assert table.row_count == 1
        await pilot.press("enter")
        assert isinstance(app.screen, CustomerStepScreen)
        assert app.screen.draft.id == keep.id


async def test_trainees_signed_in_as_the_same_demo_staff_see_only_their_own_drafts(
        db, config, clock, staff, monkeypatch):
    def trainee_draft(session: str, surname: str):
        service = RegistrationService(db, clock, staff, session=session)
        draft = service.start()
        service.set(draft, "surname", surname)
        return draft

    mine = trainee_draft("oefen@10.0.0.5", "Eigen")
    trainee_draft("oefen@10.0.0.6", "Vanderander")
    # this trainee's line dropped; the thin terminal 10.0.0.5 logs in again (new port)
    monkeypatch.setenv("SSH_CONNECTION", "10.0.0.5 52100 10.0.0.1 22")
    app = app_for(db, config, clock, staff, login="oefen")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ResumeScreen)
        text = screen_text(app)
        assert "Eigen" in text and "Vanderander" not in text
        await pilot.press("escape", "ctrl+n")
        assert isinstance(app.screen, CustomerStepScreen)
        assert draft_store.get(db, app.screen.draft.id).session == "oefen@10.0.0.5"
    assert draft_store.get(db, mine.id).status == "open"


async def test_no_question_once_the_person_has_started(db, config, clock, staff):
    # Under load the start-up question came after a Ctrl+N typed before the first frame:
    # it offered that registration's own new draft as unfinished, under step 1.
    make_draft(db, clock, staff, surname="Test")
    app = app_for(db, config, clock, staff)
    async with app.run_test(size=SIZE) as pilot:
        await wait_until(pilot, lambda: isinstance(app.screen, (MainScreen, ResumeScreen)))
        while app.screen_stack[-1] is not app.screen_stack[0]:
            app.pop_screen()                    # the question of the start: not this test's
            await pilot.pause()
        app._key_number = 1                     # as if Ctrl+N came first
        app._offer_at_start()                   # the start-up callback, late
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
