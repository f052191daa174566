"""Pilot tests of triage on the person screen: attempts, contacts, accept with the SNOMED
code shown, not reached after N attempts, discharge, re-referral, edits, flags, erasure.

A decline with its code shown is in test_closing_referrals.py, with the follow-ups it cancels.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tests.factories import open_store
from tests.ui.conftest import SIZE, DialogHost, HostDialog
from textual.message import Message
from textual.widgets import DataTable, Input, Select, Static, TextArea

from linkworker import followups, people, referrals
from linkworker.clock import Clock
from linkworker.erasure import ErasureResult
from linkworker.models import AttemptOutcome, PersonDetails
from linkworker.settings import Settings
from linkworker.store.db import Database
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.dialogs import ChoiceDialog
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.screens.caseload import CaseloadScreen
from linkworker.tui.screens.contact_forms import (
    CompleteFollowUpModal,
    MissedModal,
    ThresholdModal,
)
from linkworker.tui.screens.erase import EraseScreen
from linkworker.tui.screens.intake import IntakeScreen
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.person_commands import PERSON_ACTIONS
from linkworker.tui.screens.person_edit import (
    ClearFlagDialog,
    FlagsScreen,
    HistoryScreen,
    PersonEditScreen,
)
from linkworker.tui.screens.triage import (
    CodeScreen,
    DecisionScreen,
    DischargeScreen,
)

import factories
from pilots import open_person, palette_offers


def posted(seen: list[Message], kind: type[Message]) -> list[Message]:
    unique: dict[int, Message] = {}
    for message in seen:
        if isinstance(message, kind):
            unique.setdefault(id(message), message)
    return list(unique.values())


def told(seen: list[Message], person_id: int | None) -> bool:
    """Whether the app was told that this person's record (None: the caseload) changed."""
    return any(m.person_id == person_id for m in posted(seen, CaseloadChanged))  # type: ignore[attr-defined]


def new_referral(path: Path, clock: Clock) -> int:
    return factories.build_in(path, factories.add_person_with_referral, clock)[0]


def referral_row(path: Path, person_id: int) -> dict[str, object]:
    db = open_store(path)
    try:
        row = referrals.latest_referral(db, person_id)
        assert row is not None
        return row
    finally:
        db.close()


def facts(app: LinkWorkerApp) -> str:
    return str(app.screen.query_one("#person-facts", Static).render())


def timeline(app: LinkWorkerApp) -> list[str]:
    table = app.screen.query_one("#timeline", DataTable)
    return [str(table.get_row_at(i)[1]) for i in range(table.row_count)]


def status_now(app: LinkWorkerApp, person_id: int) -> str:
    """The person's latest referral's status, read while the app runs."""
    row = referrals.latest_referral(app.db, person_id)
    assert row is not None
    return str(row["status"])


async def test_a_new_referral_refuses_illegal_moves_logs_a_contact_then_is_accepted(
    store_path: Path, clock: Clock
) -> None:
    # One record through three things the person screen does to a received referral, each
    # checked as it happens: illegal moves show the core's message; c logs a contact, its
    # fields checked, which moves the referral on; y accepts it, showing the SNOMED code.
    pid = new_referral(store_path, clock)
    seen: list[Message] = []
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await open_person(pilot, pid)
        # Illegal moves show the core's message.
        await pilot.press("x")  # discharge a referral never accepted
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        messages = [n.message for n in app._notifications]
        assert any("never accepted cannot be discharged" in m for m in messages)
        await pilot.press("u")  # not reached with no attempts: the form's save says why
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        message = str(app.screen.query_one("#form-message", Static).render())
        assert "only 0 of 3 contact attempts" in message
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert status_now(app, pid) == "received"
        # Log contact checks the fields, then moves the referral on.
        seen.clear()
        await pilot.press("c")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompleteFollowUpModal)  # the same dialog as on Today
        screen.query_one("#duration_minutes", Input).value = "half an hour"
        screen.query_one("#contact_on", Input).value = "22/11/2026"
        screen.query_one("#contact_time", Input).value = "14:30"
        screen.query_one("#mode", Select).value = "home_visit"
        screen.query_one("#note", TextArea).text = "Talked about the lunch club"
        await pilot.press("ctrl+s")
        await pilot.pause()
        error = str(screen.query_one("#duration_minutes-error", Static).render())
        assert "must be a whole number" in error
        assert not told(seen, pid)
        screen.query_one("#duration_minutes", Input).value = "45"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert "Contact (Home visit, 45 min): Talked about the lunch club" in timeline(app)
        assert "contacts 1/6-12" in facts(app)
        assert told(seen, pid)
        assert status_now(app, pid) == "contacting"
        # Accept shows the SNOMED code to record.
        seen.clear()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        assert app.screen.query_one("#on", Input).value == "23/11/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CodeScreen)
        body = str(app.screen.query_one("#message-body", Static).render())
        assert "SNOMED CT 871731000000106" in body
        assert "Referral to social prescribing service (procedure)" in body
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        shown = facts(app)
        assert "Referral: Accepted" in shown and "SNOMED CT 871731000000106" in shown
        assert any("871731000000106" in line for line in timeline(app))
        assert told(seen, pid)
    row = referral_row(store_path, pid)
    assert (row["status"], row["snomed_code"], row["accepted_on"]) == (
        "accepted",
        "871731000000106",
        "2026-11-23",
    )


async def test_a_date_before_the_referral_is_shown_on_the_field(
    store_path: Path, clock: Clock, dialog_host: HostDialog
) -> None:
    # The accept dialog alone, as y on the person screen opens it for the open referral
    # (y itself: test_accept_shows_the_snomed_code_to_record).
    pid = new_referral(store_path, clock)
    rid = int(str(referral_row(store_path, pid)["id"]))
    db = open_store(store_path)
    async with dialog_host(DecisionScreen(rid, "accept"), db=db, size=(100, 30)) as pilot:
        app = pilot.app
        app.screen.query_one("#on", Input).value = "01/11/2026"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        error = str(app.screen.query_one("#on-error", Static).render())
        assert "before the referral was received" in error
        assert app.results == []
    db.close()
    assert referral_row(store_path, pid)["status"] == "received"


async def test_not_reached_is_prompted_after_the_set_number_of_attempts(
    store_path: Path, clock: Clock
) -> None:
    pid = new_referral(store_path, clock)
    seen: list[Message] = []
    app = LinkWorkerApp(
        store_path=store_path, clock=clock, settings=Settings(not_reached_attempts=2)
    )
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await open_person(pilot, pid)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, MissedModal)  # as on Today
        assert app.screen.query_one("#contact_at", Input).value == "23/11/2026 09:00"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)  # one attempt: no prompt yet
        assert "Referral: Contacting" in facts(app)
        assert "unanswered attempts 1 of 2" in facts(app)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#outcome", Select).value = "left_message"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ThresholdModal)  # the same prompt as on Today
        assert "2 unsuccessful attempts" in str(app.screen.query_one("#dialog-title").render())
        assert app.screen.focused is not None and app.screen.focused.id == "cancel"  # Not now
        await pilot.click("#save")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert "Referral: Not reached" in facts(app)
        assert "Contact attempt (Phone): Left message" in timeline(app)
        assert told(seen, pid)
    assert referral_row(store_path, pid)["status"] == "not_reached"


async def test_saying_no_to_the_prompt_leaves_the_referral_open(
    db: Database, clock: Clock, dialog_host: HostDialog
) -> None:
    # The prompt alone, as the person screen opens it after an attempt that reaches the
    # limit (a, the attempt and the prompt: test_not_reached_is_prompted_after_the_set_...).
    settings = Settings(not_reached_attempts=1)
    pid, rid = factories.add_person_with_referral(db, clock)
    missed = followups.record_attempt(db, rid, AttemptOutcome.NO_ANSWER, clock, settings)
    assert missed.next_step == "not_reached"  # one attempt of one: the prompt is offered
    prompt = ThresholdModal(
        pid,
        referral_id=rid,
        attempts=missed.attempts,
        threshold=missed.threshold,
        next_step="not_reached",
    )
    async with dialog_host(prompt, db=db, settings=settings) as pilot:
        assert pilot.app.screen is prompt
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, ThresholdModal)
        assert pilot.app.results == [None]  # Not now: the person screen does nothing
    assert referrals.get_referral(db, rid)["status"] == "contacting"


async def test_discharge_then_a_new_referral_opens_a_new_episode(
    store_path: Path, clock: Clock
) -> None:
    pid = new_referral(store_path, clock)
    db = open_store(store_path)
    first = referrals.latest_referral(db, pid)
    assert first is not None
    referrals.accept(db, int(first["id"]), date(2026, 11, 3), clock)
    db.close()
    seen: list[Message] = []
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await open_person(pilot, pid)
        await pilot.press("n")  # an open referral: refused with the core's words
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert any("already has an open referral" in n.message for n in app._notifications)
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DischargeScreen)
        await pilot.press("ctrl+s")  # no reason chosen
        await pilot.pause()
        assert "is required" in str(screen.query_one("#reason-error", Static).render())
        screen.query_one("#reason", Select).value = "goals_met"
        screen.query_one("#summary", TextArea).text = "Goes to the walking group weekly."
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Discharged: the follow-up outcome measure and CollaboRATE are offered ("Not now").
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.title_text == "At discharge: outcomes"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        shown = facts(app)
        assert "Referral: Discharged" in shown and "Goals met" in shown
        assert "Goes to the walking group weekly." in shown
        assert "Discharged: Goals met (Goes to the walking group weekly.)" in timeline(app)
        assert told(seen, pid)
        # The person stays; a new referral is a new episode on them.
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)
        assert "Joan Smith" in str(app.screen.query_one("#intake-person", Static).render())
        assert not app.screen.query("#given_name")  # no person fields: it is Joan's
        app.screen.query_one("#source", Select).value = "self"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert "Referral: Received" in facts(app) and "Self-referral" in facts(app)
        assert told(seen, pid)
    db = open_store(store_path)
    statuses = [
        r[0]
        for r in db.execute("SELECT status FROM referrals WHERE person_id = ? ORDER BY id", [pid])
    ]
    db.close()
    assert statuses == ["discharged", "received"]


async def test_edit_details_and_flags_each_show_on_the_record(
    store_path: Path, clock: Clock
) -> None:
    # One record, two things done to it in turn: edit details validates and the history
    # shows old and new; flags are raised, shown in words and cleared.
    pid = new_referral(store_path, clock)
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_person(pilot, pid)
        # Edit details validates, and the history shows old and new.
        await pilot.press("e")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, PersonEditScreen)
        assert screen.query_one("#given_name", Input).value == "Joan"
        screen.query_one("#postcode", Input).value = "not a postcode"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "is not a UK postcode" in str(screen.query_one("#postcode-error", Static).render())
        screen.query_one("#postcode", Input).value = "hv2 9zz"
        screen.query_one("#family_name", Input).value = "Smith-Jones"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert "Smith-Jones" in facts(app) and "HV2 9ZZ" in facts(app)
        await pilot.press("h")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        table = app.screen.query_one("#history-table", DataTable)
        rows = [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]
        assert ["details 1", "family name", "Smith → Smith-Jones", ""] in [r[1:] for r in rows]
        assert ["details 1", "postcode", "(blank) → HV2 9ZZ", ""] in [r[1:] for r in rows]
        assert rows[-1][1:] == ["details 1", "", "added", ""]
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        # Flags are raised, shown in words and cleared.
        assert not app.screen.query_one("#person-flags").display
        await pilot.press("F")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, FlagsScreen)
        screen.query_one("#kind", Select).value = "lone_working"
        screen.query_one("#note", Input).value = "Large dog; meet at the library"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.query_one("#flags-table", DataTable).row_count == 1
        await pilot.press("escape")
        await pilot.pause()
        flags = str(app.screen.query_one("#person-flags", Static).render())
        assert "◆ LONE WORKING" in flags and "Large dog" in flags
        await pilot.press("F")
        await pilot.pause()
        flags_screen = app.screen
        assert app.focused is flags_screen.query_one("#flags-table", DataTable)  # first row
        await pilot.press("delete")
        await pilot.pause()
        # Issue 13 item 3: a lone-working flag is cleared only with a reason.
        assert isinstance(app.screen, ClearFlagDialog)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ClearFlagDialog)  # no reason: refused
        assert "say why" in str(app.screen.query_one("#reason-error", Static).render())
        app.screen.query_one("#reason", Input).value = "Dog rehomed"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is flags_screen
        assert app.screen.query_one("#flags-table", DataTable).row_count == 0
        await pilot.press("escape")
        await pilot.pause()
        assert not app.screen.query_one("#person-flags").display
        assert "Flag cleared: Lone-working risk (Dog rehomed)" in timeline(app)


async def test_erasure_needs_the_full_name_then_removes_everything(
    demo_path: Path, clock: Clock
) -> None:
    # The erase form alone; ctrl+e opening it, the record closing and the app being told:
    # test_a_record_open_twice_closes_both_after_erasure.
    db = open_store(demo_path)
    pid = int(
        db.execute(
            "SELECT person_id FROM person_summary WHERE contacts > 2 ORDER BY person_id LIMIT 1"
        ).fetchone()[0]
    )
    person = people.get_person(db, pid)
    people.update_person(
        db, pid, PersonDetails(given_name=person["given_name"], family_name="Renamed"), clock
    )
    people_before = db.execute("SELECT count(*) FROM people").fetchone()[0]
    name = f"{person['given_name']} Renamed"
    app = DialogHost(EraseScreen(pid), db=db, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EraseScreen)
        assert name in str(screen.query_one("#erase-warning", Static).render())
        await pilot.press(*person["given_name"], "enter")  # not the full name
        await pilot.pause()
        assert isinstance(app.screen, EraseScreen)
        error = str(screen.query_one("#confirm_name-error", Static).render())
        assert "does not match" in error and "nothing was erased" in error
        assert app.results == []
        check = open_store(demo_path)
        assert check.execute("SELECT count(*) FROM people").fetchone()[0] == people_before
        check.close()
        screen.query_one("#confirm_name", Input).value = f"  {name.upper()} "
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, EraseScreen)
        [result] = app.results
        assert isinstance(result, ErasureResult) and result.total > 0
    db.close()
    db = open_store(demo_path)
    assert db.execute("SELECT count(*) FROM people").fetchone()[0] == people_before - 1
    for table in db.table_names():
        if "person_id" in db.table(table).columns_dict:
            left = db.execute(f"SELECT count(*) FROM [{table}] WHERE person_id = ?", [pid])
            assert left.fetchone()[0] == 0, table
    erase_rows = list(db.query("SELECT * FROM audit WHERE action = 'erase'"))
    identifying = db.execute(
        "SELECT count(*) FROM audit WHERE old LIKE '%Renamed%' OR new LIKE '%Renamed%'"
    ).fetchone()[0]
    db.close()
    assert len(erase_rows) == 1 and erase_rows[0]["person_id"] is None
    assert "Renamed" not in (erase_rows[0]["new"] or "")
    assert identifying == 0


def test_every_palette_command_is_an_action_of_the_person_screen() -> None:
    # The palette's words are package data (person_commands.toml): each names an action.
    assert len(PERSON_ACTIONS) == len({action for _, action, _ in PERSON_ACTIONS}) >= 19
    for title, action, help_text in PERSON_ACTIONS:
        assert callable(getattr(PersonScreen, f"action_{action}", None)), action
        assert title and help_text.endswith(")"), title


async def test_erase_is_in_the_palette_and_a_record_open_twice_closes_both_after(
    store_path: Path, clock: Clock
) -> None:
    pid = new_referral(store_path, clock)
    seen: list[Message] = []
    app = LinkWorkerApp(store_path=store_path, clock=clock)
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await pilot.press("f3")  # opened from the Caseload, which erasing goes back to
        await pilot.pause()
        await open_person(pilot, pid)
        app.open_person(pid)  # e.g. found again through the command palette
        await pilot.pause()
        # Erase is in the command palette (Esc backs out of it, nothing typed).
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"erase this")
        await palette_offers(pilot, "erase")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, EraseScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        # ctrl+e, the full name: both copies of the record close, back to the Caseload.
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, EraseScreen)
        app.screen.query_one("#confirm_name", Input).value = "Joan Smith"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        assert isinstance(app.screen, CaseloadScreen)
        assert told(seen, None)
