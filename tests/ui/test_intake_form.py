"""Pilot tests of intake: a valid referral, errors on the field with nothing saved, duplicates."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.factories import open_store
from tests.ui.conftest import DialogHost, HostDialog
from textual.message import Message
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import Input, Select, SelectionList, Static

from linkworker import people, referrals
from linkworker.clock import Clock
from linkworker.models import DischargeReason, PersonDetails, ReferralDetails
from linkworker.referrals import IntakeResult
from linkworker.store.db import Database
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.dialogs import ConfirmDialog
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.screens.intake import DuplicateScreen, IdentityCheckScreen, IntakeScreen
from linkworker.tui.screens.person import PersonScreen

VALID_NHS = "943 476 5919"


@pytest.fixture(autouse=True)
def _existing_store(store_path: Path) -> None:
    """The store exists (plain, by explicit choice), so the app opens straight on Today."""
    open_store(store_path).close()


def posted(seen: list[Message], kind: type[Message]) -> list[Message]:
    """Messages of one kind, each once (the hook sees a message at every pump it bubbles to)."""
    unique: dict[int, Message] = {}
    for message in seen:
        if isinstance(message, kind):
            unique.setdefault(id(message), message)
    return list(unique.values())


def counts(path: Path) -> tuple[int, int, int]:
    db = open_store(path)
    try:
        row = db.execute(
            "SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM referrals), "
            "(SELECT count(*) FROM audit)"
        ).fetchone()
        return int(row[0]), int(row[1]), int(row[2])
    finally:
        db.close()


async def type_into(pilot: Pilot[None], field: str, text: str, *, keys: bool = False) -> None:
    """Fill a field: key by key when ``keys`` (slow), else as a paste would."""
    box = pilot.app.screen.query_one(f"#{field}", Input)
    box.focus()
    box.value = ""
    if keys:
        await pilot.press(*text)
    else:
        box.insert_text_at_cursor(text)


async def fill_referral_form(
    pilot: Pilot[None], *, nhs: str = VALID_NHS, typed: bool = False
) -> None:
    """Fill the form in front for Joan Smith; her given name key by key when ``typed``
    (the journey's: the rest is pasted)."""
    screen = pilot.app.screen
    await type_into(pilot, "given_name", "Joan", keys=typed)
    await type_into(pilot, "family_name", "Smith")
    await type_into(pilot, "date_of_birth", "01/02/1950")
    await type_into(pilot, "nhs_number", nhs)
    await type_into(pilot, "postcode", "hv1 2ab")
    screen.query_one("#source", Select).value = "gp_practice"
    await type_into(pilot, "referrer_name", "Dr Patel")
    needs = screen.query_one("#needs", SelectionList)
    needs.select("loneliness")
    needs.select("money_debt")
    screen.query_one("#consent_to_share_gp", Select).value = "yes"
    await pilot.pause()


async def test_a_valid_referral_is_saved_and_the_person_opens(
    store_path: Path, clock: Clock
) -> None:
    seen: list[Message] = []
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 36), message_hook=seen.append) as pilot:
        await pilot.press("f3", "n")
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)
        assert app.screen.query_one("#received_on", Input).value == "23/11/2026"
        await fill_referral_form(pilot, typed=True)
        hint = str(app.screen.query_one("#needs-hint", Static).render())
        assert hint == "Chosen: Loneliness and isolation, Money and debt"  # ticks in words
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        facts = str(app.screen.query_one("#person-facts", Static).render())
        assert "Joan Smith" in facts and "943 476 5919" in facts and "Received" in facts
        told = [m for m in posted(seen, CaseloadChanged) if getattr(m, "person_id", None)]
        assert told, "the app was not told of the new referral"
        person_id = told[0].person_id  # type: ignore[attr-defined]
    db = open_store(store_path)
    assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 1  # a new person
    person = people.get_person(db, person_id)
    latest = referrals.latest_referral(db, person_id)
    assert latest is not None
    referral = referrals.get_referral(db, latest["id"])
    db.close()
    assert (person["nhs_number"], person["postcode"], person["consent_to_share_gp"]) == (
        "9434765919",
        "HV1 2AB",
        1,
    )
    assert (referral["source"], referral["status"], referral["received_on"]) == (
        "gp_practice",
        "received",
        "2026-11-23",
    )
    assert referral["needs"] == '["loneliness", "money_debt"]'
    assert referral["referrer_name"] == "Dr Patel"


async def test_an_invalid_nhs_number_is_shown_on_the_field_and_nothing_is_saved(
    store_path: Path, dialog_host: HostDialog
) -> None:
    # The form alone (F3 then n opening it, and the person opening after a save, are
    # test_a_valid_referral_is_saved_and_the_person_opens's).
    before = counts(store_path)
    db = open_store(store_path)
    async with dialog_host(IntakeScreen(), db=db, size=(100, 36)) as pilot:
        await fill_referral_form(pilot, nhs="943 476 5918")
        await type_into(pilot, "received_on", "24/11/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, IntakeScreen)
        error = str(screen.query_one("#nhs_number-error", Static).render())
        assert "✗" in error and "check digit does not match" in error
        assert screen.query_one("#nhs_number-row").has_class("-has-error")
        assert screen.query_one("#nhs_number-error").display
        # Every wrong field at once, each beside its own field; the right ones show nothing.
        assert "in the future" in str(screen.query_one("#received_on-error", Static).render())
        assert not screen.query_one("#postcode-error").display
        assert pilot.app.focused is screen.query_one("#nhs_number", Input)
        assert counts(store_path) == before
        # Put it right and save: the errors go and the referral is stored.
        await type_into(pilot, "nhs_number", VALID_NHS)
        await type_into(pilot, "received_on", "20/11/2026")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, IntakeScreen)
        [result] = pilot.app.results
        assert isinstance(result, IntakeResult) and result.new_person
    db.close()
    assert counts(store_path)[:2] == (before[0] + 1, before[1] + 1)


async def test_cancel_saves_nothing(store_path: Path, dialog_host: HostDialog) -> None:
    before = counts(store_path)
    db = open_store(store_path)
    async with dialog_host(IntakeScreen(), db=db, size=(80, 24)) as pilot:
        await fill_referral_form(pilot)
        await pilot.press("escape")
        await pilot.pause()
        # A filled-in form asks before throwing away what was typed (focus on Keep editing).
        assert isinstance(pilot.app.screen, ConfirmDialog)
        assert pilot.app.screen.focused is not None and pilot.app.screen.focused.id == "no"
        await pilot.click("#yes")
        await pilot.pause()
        # The form is gone, closed with nothing (the caseload it was opened from is in front).
        assert not isinstance(pilot.app.screen, (IntakeScreen, ConfirmDialog))
        assert pilot.app.results == [None]
    db.close()
    assert counts(store_path) == before


def _discharged_joan(db: Database, clock: Clock, **extra: object) -> int:
    person = PersonDetails.model_validate(
        {"given_name": "Joan", "family_name": "Smith", "date_of_birth": "1950-02-01", **extra}
    )
    result = referrals.take_referral(
        db,
        ReferralDetails(source="self", received_on=date(2026, 6, 1)),
        clock,
        person=person,
    )
    referrals.accept(db, result.referral_id, date(2026, 6, 3), clock)
    referrals.discharge(
        db, result.referral_id, date(2026, 9, 1), DischargeReason.GOALS_MET, None, clock
    )
    return result.person_id


async def test_a_duplicate_is_offered_and_becomes_a_new_episode(
    store_path: Path, clock: Clock, dialog_host: HostDialog
) -> None:
    # The form alone: it closes with the referral filed on Joan's record (the caseload then
    # opens the person it names: test_a_valid_referral_is_saved_and_the_person_opens).
    db = open_store(store_path)
    joan_id = _discharged_joan(db, clock)
    async with dialog_host(IntakeScreen(), db=db, size=(100, 36)) as pilot:
        await fill_referral_form(pilot, nhs="")
        await type_into(pilot, "given_name", "JOAN")
        await type_into(pilot, "family_name", " smith")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = pilot.app.screen
        assert isinstance(screen, DuplicateScreen)
        assert [m.person_id for m in screen.matches] == [joan_id]
        assert "same name and date of birth" in str(
            screen.query_one("#duplicate-intro", Static).render()
        )
        await pilot.press("enter")  # use the highlighted person
        await pilot.pause()
        assert not isinstance(pilot.app.screen, (IntakeScreen, DuplicateScreen))
        [result] = pilot.app.results
        assert isinstance(result, IntakeResult)
        assert (result.person_id, result.new_person) == (joan_id, False)
    db.close()
    db = open_store(store_path)
    assert db.execute("SELECT count(*) FROM people").fetchone()[0] == 1
    statuses = [r[0] for r in db.execute("SELECT status FROM referrals ORDER BY id")]
    person = people.get_person(db, joan_id)
    db.close()
    assert statuses == ["discharged", "received"]
    # What the existing record lacked was filled in from the form.
    assert person["postcode"] == "HV1 2AB"


class OpensPeople(DialogHost):
    """A DialogHost that, as the app can, is asked to open a person's record: it keeps the
    ids in ``opened`` (the app's open_person pushes their PersonScreen; the journeys show it)."""

    def __init__(self, dialog: Screen[Any], **options: Any) -> None:
        super().__init__(dialog, **options)
        self.opened: list[int] = []

    def open_person(self, person_id: int) -> None:
        self.opened.append(person_id)


async def test_a_duplicate_with_an_open_referral_is_opened_not_referred_twice(
    store_path: Path, clock: Clock
) -> None:
    db = open_store(store_path)
    joan_id = referrals.take_referral(
        db,
        ReferralDetails(source="self", received_on=date(2026, 11, 1)),
        clock,
        person=PersonDetails(given_name="Joan", family_name="Smith", nhs_number=VALID_NHS),
    ).person_id
    app = OpensPeople(IntakeScreen(), db=db, clock=clock)
    async with app.run_test(size=(100, 36)) as pilot:
        await pilot.pause()
        await fill_referral_form(pilot)
        await type_into(pilot, "given_name", "Joanne")
        await pilot.press("ctrl+s")
        await pilot.pause()
        screen = app.screen
        # The given name differs from the record's: both side by side, no default.
        assert isinstance(screen, IdentityCheckScreen)
        assert not screen.query("#new")  # never a second person
        assert "still open" in str(screen.query_one("#identity-note", Static).render())
        await pilot.click("#same")
        await pilot.pause()
        # The form closes with nothing filed, and Joan's record is opened instead.
        assert not isinstance(app.screen, (IntakeScreen, IdentityCheckScreen))
        assert (app.results, app.opened) == ([None], [joan_id])
    db.close()
    assert counts(store_path)[:2] == (1, 1)


async def test_someone_else_with_the_same_name_and_birthday_can_be_added(
    store_path: Path, clock: Clock, dialog_host: HostDialog
) -> None:
    db = open_store(store_path)
    _discharged_joan(db, clock)
    async with dialog_host(IntakeScreen(), db=db, size=(100, 36)) as pilot:
        await fill_referral_form(pilot, nhs="")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(pilot.app.screen, DuplicateScreen)
        await pilot.click("#new")
        await pilot.pause()
        [result] = pilot.app.results
        assert isinstance(result, IntakeResult) and result.new_person
    db.close()
    assert counts(store_path)[:2] == (2, 2)
