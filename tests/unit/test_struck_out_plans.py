"""Struck-out goals, actions and conversations are in no live plan list (issue 13)."""

from __future__ import annotations

from datetime import date

from tests.factories import add_person_with_referral

from linkworker import corrections, plans
from linkworker.clock import Clock
from linkworker.models import ActionDetails, ConversationDetails, GoalDetails
from linkworker.store.db import Database

TODAY = date(2026, 11, 23)


def test_struck_out_plan_entries_are_left_out_of_lists_and_the_plan(
    db: Database, clock: Clock
) -> None:
    pid, _ = add_person_with_referral(db, status="accepted")
    kept = plans.add_goal(
        db,
        pid,
        GoalDetails(description="Walk twice a week"),
        [ActionDetails(description="Join the walk")],
        clock,
    )
    wrong = plans.add_goal(db, pid, GoalDetails(description="Wrong person's goal"), [], clock)
    stray = plans.add_action(db, kept, ActionDetails(description="Stray action"), clock)
    talk = plans.record_conversation(
        db, pid, ConversationDetails(held_on=clock.today(), what_matters="Wrong notes"), clock
    )
    for table, row in (("goals", wrong), ("actions", stray), ("conversations", talk)):
        corrections.strike_out(db, table, row, "entered on the wrong record", clock, "Priya")
    listed = plans.goals(db, pid)
    assert [g.description for g in listed] == ["Walk twice a week"]
    assert [a.description for a in listed[0].actions] == ["Join the walk"]
    assert [g.description for g in plans.goals(db, pid, open_only=True)] == ["Walk twice a week"]
    assert plans.conversations(db, pid) == []
    assert plans.latest_conversation(db, pid) is None
    text = plans.plan_text(db, pid, TODAY)
    assert "Walk twice a week" in text
    assert "Wrong person's goal" not in text and "Stray action" not in text
    assert "Wrong notes" not in text
    assert db.execute("SELECT count(*) FROM goals").fetchone()[0] == 2  # kept on record
