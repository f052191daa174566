"""Snapshots at 80x24 of a person with several conversations, goals and measures (fixed clock)."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from tests.factories import open_store
from textual.pilot import Pilot

from linkworker import outcomes, people, plans, referrals
from linkworker.clock import Clock, fixed
from linkworker.models import (
    ActionDetails,
    ConversationDetails,
    GoalDetails,
    GoalStatus,
    PersonDetails,
    ReferralDetails,
)
from linkworker.tui.app import LinkWorkerApp

SWEMWBS = ("optimistic", "useful", "relaxed", "dealing_with_problems", "thinking_clearly",
           "close_to_others", "own_mind")  # fmt: skip


def _ons4(*values: int) -> dict[str, int]:
    return dict(
        zip(("life_satisfaction", "worthwhile", "happiness", "anxiety"), values, strict=True)
    )


@pytest.fixture
def person_store(store_path: Path, clock: Clock) -> Path:
    return build_person_store(store_path, clock)


def build_person_store(store_path: Path, clock: Clock) -> Path:
    """Maggie: three conversations, goals open and achieved, ONS4/SWEMWBS/UCLA-3 over time."""
    db = open_store(store_path)
    at = fixed(date(2026, 8, 20))  # the referral arrived before today; later writes use `clock`
    pid = people.add_person(
        db,
        PersonDetails(
            given_name="Maggie",
            family_name="Trelawny",
            date_of_birth=date(1948, 5, 2),
            postcode="TR14 8SH",
        ),
        at,
    )
    referrals.add_referral(
        db,
        pid,
        ReferralDetails(source="gp_practice", received_on=date(2026, 8, 20), needs=["loneliness"]),
        at,
    )
    talks = [
        (
            "2026-09-01",
            "Not feeling herself since moving into the flat",
            {"loneliness": "New area"},
        ),
        (
            "2026-10-06",
            "Wants to get out more; misses the choir",
            {"loneliness": "Lonely evenings"},
        ),
        (
            "2026-11-16",
            "Seeing the grandchildren and singing again",
            {"loneliness": "Better on Thursdays", "money_debt": "Council tax letter"},
        ),
    ]
    for held, words, needs in talks:
        plans.record_conversation(
            db,
            pid,
            ConversationDetails(
                held_on=date.fromisoformat(held),
                what_matters=words,
                strengths="Sister in Redruth; good cook",
                needs=needs,  # type: ignore[arg-type]
                barriers=["transport"],  # type: ignore[list-item]
            ),
            clock,
        )
    lunch = plans.add_goal(
        db,
        pid,
        GoalDetails(description="Go to the Thursday lunch club", review_on=date(2026, 12, 14)),
        [
            ActionDetails(description="Visit the club together", owner="link_worker"),  # type: ignore[arg-type]
            ActionDetails(description="Ask about the bus pass", due_on=date(2026, 11, 30)),
        ],
        clock,
        set_on=date(2026, 10, 6),
    )
    visit = next(a for a in plans.get_goal(db, lunch).actions if a.description.startswith("Visit"))
    plans.set_action_done(db, visit.id, clock, date(2026, 10, 16))
    boiler = plans.add_goal(
        db, pid, GoalDetails(description="Get the boiler fixed"), [], clock, set_on=date(2026, 9, 1)
    )
    plans.review_goal(
        db,
        boiler,
        GoalStatus.ACHIEVED,
        clock,
        note="Landlord fixed it",
        reviewed_on=date(2026, 10, 6),
    )
    record = outcomes.record_measure
    record(db, pid, "ons4", "baseline", "2026-09-01", _ons4(4, 5, 3, 7), clock)
    record(
        db,
        pid,
        "swemwbs",
        "baseline",
        "2026-09-01",
        dict(zip(SWEMWBS, [3, 3, 2, 3, 3, 2, 4], strict=True)),
        clock,
    )
    record(
        db,
        pid,
        "ucla3",
        "baseline",
        "2026-09-01",
        {"companionship": 3, "left_out": 3, "isolated": 2},
        clock,
    )
    record(
        db,
        pid,
        "swemwbs",
        "follow_up",
        "2026-10-06",
        dict(zip(SWEMWBS, [3, 3, None, 3, 3, 3, 4], strict=True)),
        clock,
    )
    record(db, pid, "ons4", "follow_up", "2026-11-16", _ons4(7, 6, 7, 3), clock)
    record(
        db,
        pid,
        "swemwbs",
        "follow_up",
        "2026-11-16",
        dict(zip(SWEMWBS, [4, 4, 3, 4, 3, 4, 4], strict=True)),
        clock,
    )
    record(
        db,
        pid,
        "ucla3",
        "follow_up",
        "2026-11-16",
        {"companionship": 2, "left_out": 1, "isolated": 2},
        clock,
    )
    db.close()
    return store_path


def _open(keys: list[str]) -> Any:
    async def run_before(pilot: Pilot[Any]) -> None:
        await pilot.pause()
        app = pilot.app
        assert isinstance(app, LinkWorkerApp)
        app.open_person(1)
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()

    return run_before


def test_person_with_a_plan_and_measures_80x24(
    snap_compare: Any, person_store: Path, clock: Clock
) -> None:
    app = LinkWorkerApp(store_path=person_store, clock=clock)
    assert snap_compare(app, run_before=_open([]), terminal_size=(80, 24))


def test_outcomes_tab_80x24(snap_compare: Any, person_store: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=person_store, clock=clock)
    assert snap_compare(app, run_before=_open(["o"]), terminal_size=(80, 24))


def test_conversations_tab_80x24(snap_compare: Any, person_store: Path, clock: Clock) -> None:
    app = LinkWorkerApp(store_path=person_store, clock=clock)
    assert snap_compare(app, run_before=_open(["p", "c"]), terminal_size=(80, 24))
