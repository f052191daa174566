"""Closing a referral from either screen cancels its planned follow-ups.

The person screen (x discharges, d records a decline) and Today (the not-reached /
disengaged prompt after missed follow-ups) call the same functions of
:mod:`linkworker.referrals`; afterwards no follow-up is planned and the Caseload shows no
"Next due" date for the person.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from tests.factories import open_store
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, TextArea

from linkworker import followups, people, referrals
from linkworker.clock import fixed
from linkworker.models import AttemptOutcome, PersonDetails, ReferralDetails
from linkworker.settings import Settings
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.dialogs import ChoiceDialog
from linkworker.tui.screens.caseload import COLUMNS, CaseloadScreen
from linkworker.tui.screens.contact_forms import MissedModal, ThresholdModal
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.today import TodayScreen
from linkworker.tui.screens.triage import CodeScreen, DecisionScreen, DischargeScreen

TODAY = date(2026, 11, 23)
CLOCK = fixed(TODAY, time(11, 0))
NEXT_DUE = [key for key, _ in COLUMNS].index("next_followup")


def _case(path: Path, *, accepted: bool, misses: int = 0) -> tuple[int, int]:
    """Joan Smith with a referral, a follow-up due today and two more booked after it."""
    db = open_store(path)
    try:
        pid = people.add_person(db, PersonDetails(given_name="Joan", family_name="Smith"), CLOCK)
        details = ReferralDetails.model_validate(
            {"source": "gp_practice", "received_on": "2026-11-02"}, context={"today": TODAY}
        )
        rid = referrals.add_referral(db, pid, details, CLOCK)
        if accepted:
            referrals.accept(db, rid, date(2026, 11, 4), CLOCK)
        for _ in range(misses):
            followups.record_attempt(db, rid, AttemptOutcome.NO_ANSWER, CLOCK, Settings())
        for day in ("2026-11-23", "2026-11-30", "2026-12-14"):
            booking = followups.details({"due_on": day, "kind": "phone"}, TODAY)
            followups.schedule(db, pid, booking, CLOCK)
    finally:
        db.close()
    return pid, rid


def _planned(path: Path, pid: int) -> int:
    db = open_store(path)
    try:
        return int(
            db.execute(
                "SELECT count(*) FROM followups WHERE person_id = ? AND status = 'planned'", [pid]
            ).fetchone()[0]
        )
    finally:
        db.close()


def _status(path: Path, rid: int) -> str:
    db = open_store(path)
    try:
        return referrals.get_referral(db, rid)["status"]
    finally:
        db.close()


async def _next_due_on_caseload(pilot: Pilot[None], pid: int) -> str:
    await pilot.press("f3")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, CaseloadScreen)
    return str(screen.query_one(DataTable).get_row(str(pid))[NEXT_DUE])


async def _open_person(pilot: Pilot[None], pid: int) -> None:
    app = pilot.app
    assert isinstance(app, LinkWorkerApp)
    await pilot.press("f3")
    await pilot.pause()
    assert await _next_due_on_caseload(pilot, pid) == "23 Nov 26"
    app.open_person(pid)
    await pilot.pause()
    assert isinstance(app.screen, PersonScreen)


async def test_discharge_from_the_person_screen_cancels_the_follow_ups(store_path: Path) -> None:
    pid, rid = _case(store_path, accepted=True)
    app = LinkWorkerApp(store_path=store_path, clock=CLOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_person(pilot, pid)
        await pilot.press("x")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, DischargeScreen)
        screen.query_one("#reason", Select).value = "goals_met"
        screen.query_one("#summary", TextArea).text = "Goes to the walking group."
        await pilot.press("ctrl+s")
        await pilot.pause()
        # Discharged: the follow-up outcome measure and CollaboRATE are offered ("Not now").
        assert isinstance(app.screen, ChoiceDialog)
        assert app.screen.title_text == "At discharge: outcomes"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, PersonScreen)
        assert await _next_due_on_caseload(pilot, pid) == ""
    assert _status(store_path, rid) == "discharged"
    assert _planned(store_path, pid) == 0


async def test_decline_from_the_person_screen_cancels_the_follow_ups(store_path: Path) -> None:
    pid, rid = _case(store_path, accepted=False)
    app = LinkWorkerApp(store_path=store_path, clock=CLOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await _open_person(pilot, pid)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CodeScreen)
        await pilot.press("escape")
        await pilot.pause()
        assert await _next_due_on_caseload(pilot, pid) == ""
    assert _status(store_path, rid) == "declined"
    assert _planned(store_path, pid) == 0


async def _close_from_today(pilot: Pilot[None], summary: str | None = None) -> None:
    """d on today's follow-up, save the attempt, then close the referral at the prompt."""
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, TodayScreen)
    table = screen.query_one(DataTable)
    key = next(k for k, line in screen._lines.items() if line.bucket == "due_today")
    table.move_cursor(row=table.get_row_index(key))
    await pilot.press("d")
    await pilot.pause()
    assert isinstance(app.screen, MissedModal)
    await pilot.press("ctrl+s")
    await pilot.pause()
    assert isinstance(app.screen, ThresholdModal)
    if summary is not None:
        app.screen.query_one("#summary", Input).value = summary
    await pilot.click("#save")
    await pilot.pause()
    assert isinstance(app.screen, TodayScreen)
    assert not [line for line in app.screen._lines.values() if line.followup_id is not None]


async def test_not_reached_from_today_cancels_the_follow_ups(store_path: Path) -> None:
    pid, rid = _case(store_path, accepted=False, misses=2)
    app = LinkWorkerApp(store_path=store_path, clock=CLOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await _close_from_today(pilot)
        assert await _next_due_on_caseload(pilot, pid) == ""
    assert _status(store_path, rid) == "not_reached"
    assert _planned(store_path, pid) == 0


async def test_disengaged_from_today_cancels_the_follow_ups(store_path: Path) -> None:
    pid, rid = _case(store_path, accepted=True, misses=2)
    app = LinkWorkerApp(store_path=store_path, clock=CLOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one(DataTable).get_row_at(0)[0]).startswith("DUE TODAY")
        await _close_from_today(pilot, summary="No answer since the first session")
        assert await _next_due_on_caseload(pilot, pid) == ""
    assert _status(store_path, rid) == "discharged"
    assert _planned(store_path, pid) == 0
