"""Closing a referral from either screen cancels its planned follow-ups.

The person screen (x discharges, d records a decline) and Today (the not-reached /
disengaged prompt after missed follow-ups) call the same functions of
:mod:`linkworker.referrals`; afterwards no follow-up is planned and the Caseload shows no
"Next due" date for the person. A decline also shows the SNOMED CT code to record, with the
reason, on the person screen.
"""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

from tests.factories import open_store
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable, Input, Select, Static, TextArea

from linkworker import followups, people, referrals
from linkworker.clock import fixed
from linkworker.models import AttemptOutcome, PersonDetails, ReferralDetails
from linkworker.settings import Settings
from linkworker.tui.app import LinkWorkerApp
from linkworker.tui.dialogs import ChoiceDialog
from linkworker.tui.messages import CaseloadChanged
from linkworker.tui.screens.caseload import COLUMNS, CaseloadScreen
from linkworker.tui.screens.contact_forms import MissedModal, ThresholdModal
from linkworker.tui.screens.person import PersonScreen
from linkworker.tui.screens.today import TodayScreen
from linkworker.tui.screens.triage import CodeScreen, DecisionScreen, DischargeScreen

TODAY = date(2026, 11, 23)
CLOCK = fixed(TODAY, time(11, 0))
NEXT_DUE = [key for key, _ in COLUMNS].index("next_followup")


def _case(
    path: Path, *, accepted: bool, misses: int = 0, name: tuple[str, str] = ("Joan", "Smith")
) -> tuple[int, int]:
    """Joan Smith (or ``name``) with a referral, a follow-up due today and two more booked
    after it."""
    db = open_store(path)
    try:
        given, family = name
        pid = people.add_person(db, PersonDetails(given_name=given, family_name=family), CLOCK)
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


def _told(seen: list[Message], person_id: int) -> bool:
    """Whether the app was told that this person's record changed."""
    return any(isinstance(m, CaseloadChanged) and m.person_id == person_id for m in seen)


def _next_due(pilot: Pilot[None], pid: int) -> str:
    screen = pilot.app.screen
    assert isinstance(screen, CaseloadScreen)
    return str(screen.query_one(DataTable).get_row(str(pid))[NEXT_DUE])


async def _next_due_on_caseload(pilot: Pilot[None], pid: int) -> str:
    """F3 (closing the record in front), then the person's "Next due" on the Caseload."""
    await pilot.press("f3")
    await pilot.pause()
    return _next_due(pilot, pid)


async def _open_person(pilot: Pilot[None], pid: int) -> PersonScreen:
    """Open the record from the Caseload (in front); the screen."""
    app = pilot.app
    assert isinstance(app, LinkWorkerApp) and isinstance(app.screen, CaseloadScreen)
    app.open_person(pid)
    await pilot.pause()
    assert isinstance(app.screen, PersonScreen)
    return app.screen


async def test_discharge_and_decline_from_the_person_screen_cancel_the_follow_ups(
    store_path: Path,
) -> None:
    # Two people in one app: Joan's accepted referral is discharged (x), Ann's new one
    # declined (d); each one's follow-ups go, and only theirs.
    joan, joan_rid = _case(store_path, accepted=True)
    ann, ann_rid = _case(store_path, accepted=False, name=("Ann", "Jones"))
    seen: list[Message] = []
    app = LinkWorkerApp(store_path=store_path, clock=CLOCK)
    async with app.run_test(size=(100, 30), message_hook=seen.append) as pilot:
        await pilot.pause()
        assert await _next_due_on_caseload(pilot, joan) == "23 Nov 26"
        assert _next_due(pilot, ann) == "23 Nov 26"
        # Discharge from the person screen cancels the follow-ups.
        await _open_person(pilot, joan)
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
        assert await _next_due_on_caseload(pilot, joan) == ""
        assert _next_due(pilot, ann) == "23 Nov 26"  # Ann's are still planned
        assert _status(store_path, joan_rid) == "discharged"
        assert _planned(store_path, joan) == 0
        # Decline from the person screen, with a reason: the declined code is shown, and
        # the follow-ups are cancelled.
        seen.clear()
        await _open_person(pilot, ann)
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, DecisionScreen)
        app.screen.query_one("#reason", Input).value = "Managing with family help"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, CodeScreen)
        body = str(app.screen.query_one("#message-body", Static).render())
        assert "SNOMED CT 871711000000103" in body and "Social prescribing declined" in body
        await pilot.press("escape")
        await pilot.pause()
        facts = str(app.screen.query_one("#person-facts", Static).render())
        assert "SNOMED CT 871711000000103" in facts
        assert "Managing with family help" in facts
        assert _told(seen, ann)
        assert await _next_due_on_caseload(pilot, ann) == ""
    db = open_store(store_path)
    try:
        declined = referrals.get_referral(db, ann_rid)
    finally:
        db.close()
    assert (declined["status"], declined["decline_reason"]) == (
        "declined",
        "Managing with family help",
    )
    assert _planned(store_path, ann) == 0


async def _close_from_today(pilot: Pilot[None], pid: int, summary: str | None = None) -> None:
    """d on the person's follow-up due today, save the attempt, then close the referral at
    the prompt: Today shows none of their follow-ups."""
    app = pilot.app
    screen = app.screen
    assert isinstance(screen, TodayScreen)
    table = screen.query_one(DataTable)
    key = next(
        k
        for k, line in screen._lines.items()
        if line.bucket == "due_today" and line.person_id == pid
    )
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
    lines = app.screen._lines.values()
    assert not [line for line in lines if line.followup_id is not None and line.person_id == pid]


async def test_not_reached_and_disengaged_from_today_cancel_the_follow_ups(
    store_path: Path,
) -> None:
    # Two people in one app, each with two misses: Joan's new referral is closed as not
    # reached, Ann's accepted one discharged as disengaged, both from Today's prompt.
    joan, joan_rid = _case(store_path, accepted=False, misses=2)
    ann, ann_rid = _case(store_path, accepted=True, misses=2, name=("Ann", "Jones"))
    app = LinkWorkerApp(store_path=store_path, clock=CLOCK)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert str(app.screen.query_one(DataTable).get_row_at(0)[0]).startswith("DUE TODAY")
        await _close_from_today(pilot, joan)
        assert _status(store_path, joan_rid) == "not_reached"
        assert _planned(store_path, joan) == 0
        assert _planned(store_path, ann) == 3  # Ann's are still planned
        await _close_from_today(pilot, ann, summary="No answer since the first session")
        # Neither has a follow-up left on Today.
        assert not [line for line in app.screen._lines.values() if line.followup_id is not None]
        assert await _next_due_on_caseload(pilot, joan) == ""
        assert _next_due(pilot, ann) == ""
    assert _status(store_path, ann_rid) == "discharged"
    assert _planned(store_path, ann) == 0
