"""Conversations, goals, actions, reviews and the printed plan (linkworker.plans)."""

from __future__ import annotations

import json
from datetime import date

import pytest
from pydantic import ValidationError

from linkworker import plans, referrals
from linkworker.clock import Clock
from linkworker.formats.plan_document import CONTACT_LINE
from linkworker.models import (
    ActionDetails,
    ActionOwner,
    Barrier,
    ConversationDetails,
    GoalDetails,
    GoalStatus,
    NeedDomain,
    ReferralDetails,
    error_lines,
)
from linkworker.store.db import Database
from linkworker.timeline import person_timeline

import factories

MAGGIE = {"given_name": "Maggie", "family_name": "Trelawny", "nhs_number": "943 476 5919"}


def _conversation(today: date, **values: object) -> ConversationDetails:
    return ConversationDetails.model_validate(values, context={"today": today})


def _audit(db: Database, table: str) -> list[dict[str, object]]:
    return list(db.query("SELECT * FROM audit WHERE table_name = ? ORDER BY id", [table]))


# --- conversations ------------------------------------------------------------------------


def test_a_conversation_is_stored_with_needs_notes_and_barriers(
    db: Database, clock: Clock, today: date
) -> None:
    pid = factories.add_person(db, clock, **MAGGIE)
    rid = referrals.add_referral(
        db, pid, ReferralDetails(source="gp_practice", received_on=date(2026, 11, 2)), clock
    )
    cid = plans.record_conversation(
        db,
        pid,
        _conversation(
            today,
            held_on="16/11/2026",
            what_matters="Getting back to the allotment",
            strengths="My neighbour Pat; I know a lot about roses",
            needs={"loneliness": "Since her husband died", "physical_activity": None},
            barriers=["transport", "cost"],
            barriers_note="No bus after 5pm",
        ),
        clock,
    )
    row = db["conversations"].get(cid)
    assert row["held_on"] == "2026-11-16"
    assert row["referral_id"] == rid
    assert json.loads(row["needs"]) == {
        "loneliness": "Since her husband died",
        "physical_activity": "",
    }
    assert json.loads(row["barriers"]) == ["transport", "cost"]
    assert row["barriers_note"] == "No bus after 5pm"
    audit_rows = _audit(db, "conversations")
    assert [(a["action"], a["record_id"], a["person_id"]) for a in audit_rows] == [
        ("insert", cid, pid)
    ]
    back = plans.conversations(db, pid)[0]
    assert back.needs == {
        NeedDomain.LONELINESS: "Since her husband died",
        NeedDomain.PHYSICAL_ACTIVITY: "",
    }
    assert back.barriers == [Barrier.TRANSPORT, Barrier.COST]


def test_conversations_are_listed_newest_first(db: Database, clock: Clock, today: date) -> None:
    pid = factories.add_person(db, clock, **MAGGIE)
    for held, words in (("2026-09-01", "first"), ("2026-11-20", "third"), ("2026-10-05", "second")):
        plans.record_conversation(
            db, pid, _conversation(today, held_on=held, what_matters=words), clock
        )
    assert [c.what_matters for c in plans.conversations(db, pid)] == ["third", "second", "first"]
    latest = plans.latest_conversation(db, pid)
    assert latest is not None and latest.what_matters == "third"


def test_a_conversation_in_the_future_or_saying_nothing_is_refused(
    db: Database, clock: Clock, today: date
) -> None:
    with pytest.raises(ValidationError) as caught:
        _conversation(today, held_on="24/11/2026", what_matters="x")
    assert error_lines(caught.value) == ["held on: 24 Nov 2026 is in the future"]
    with pytest.raises(ValidationError) as caught:
        _conversation(today, held_on="31/11/2026")
    assert "held on: '31/11/2026' is not a date" in error_lines(caught.value)[0]
    pid = factories.add_person(db, clock, **MAGGIE)
    with pytest.raises(plans.PlanError, match="what matters: write what matters"):
        plans.record_conversation(db, pid, _conversation(today, held_on=today), clock)
    only_needs = _conversation(today, held_on=today, needs={"loneliness": None}, strengths="x")
    with pytest.raises(plans.PlanError, match="what matters: write what matters"):
        plans.record_conversation(db, pid, only_needs, clock)
    assert db["conversations"].count == 0
    assert _audit(db, "conversations") == []


# --- goals and actions ---------------------------------------------------------------------


def _goal(db: Database, pid: int, clock: Clock, **goal: object) -> int:
    return plans.add_goal(
        db,
        pid,
        GoalDetails.model_validate({"description": "Join a walking group", **goal}),
        [
            ActionDetails(description="Ring the Tuesday walkers", due_on="30/11/2026"),
            ActionDetails(
                description="Lend walking boots",
                owner=ActionOwner.SOMEONE_ELSE,
                owner_name="Daughter, Sue",
            ),
        ],
        clock,
    )


def test_a_goal_with_two_actions_is_one_audited_write(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **MAGGIE)
    cid = plans.record_conversation(
        db, pid, ConversationDetails(held_on=date(2026, 11, 20), what_matters="Walking"), clock
    )
    gid = _goal(db, pid, clock, review_on="14/12/2026")
    goal = plans.get_goal(db, gid)
    assert goal.status is GoalStatus.OPEN
    assert goal.set_on == date(2026, 11, 23)
    assert goal.review_on == date(2026, 12, 14)
    assert goal.conversation_id == cid
    assert [(a.description, a.who, a.due_on) for a in goal.actions] == [
        ("Ring the Tuesday walkers", "The person", date(2026, 11, 30)),
        ("Lend walking boots", "Daughter, Sue", None),
    ]
    assert [a["action"] for a in _audit(db, "goals")] == ["insert"]
    assert [(a["action"], a["person_id"]) for a in _audit(db, "actions")] == [
        ("insert", pid),
        ("insert", pid),
    ]


def test_someone_else_must_be_named() -> None:
    with pytest.raises(ValidationError) as caught:
        ActionDetails(description="Drive to the group", owner=ActionOwner.SOMEONE_ELSE)
    assert error_lines(caught.value) == ["owner name: say who else will do it"]


def test_an_action_due_before_the_goal_saves_nothing(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **MAGGIE)
    with pytest.raises(plans.PlanError, match=r"action 2: by when: 1 Nov 2026 is before"):
        plans.add_goal(
            db,
            pid,
            GoalDetails(description="Sleep better"),
            [
                ActionDetails(description="Try the relaxation app"),
                ActionDetails(description="See the GP", due_on=date(2026, 11, 1)),
            ],
            clock,
        )
    with pytest.raises(plans.PlanError, match="review on: 1 Nov 2026 is before"):
        plans.add_goal(
            db, pid, GoalDetails(description="x", review_on=date(2026, 11, 1)), [], clock
        )
    assert db["goals"].count == 0 and db["actions"].count == 0
    assert _audit(db, "goals") == []


def test_review_as_achieved_records_what_happened(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **MAGGIE)
    gid = plans.add_goal(
        db, pid, GoalDetails(description="Walk to the shop"), [], clock, set_on=date(2026, 11, 2)
    )
    rid = plans.review_goal(db, gid, GoalStatus.ACHIEVED, clock, note="Goes twice a week with Pat")
    review = db["goal_reviews"].get(rid)
    assert (review["reviewed_on"], review["status"], review["note"]) == (
        "2026-11-23",
        "achieved",
        "Goes twice a week with Pat",
    )
    goal = plans.get_goal(db, gid)
    assert goal.status is GoalStatus.ACHIEVED
    assert goal.status_changed_on == date(2026, 11, 23)
    assert [r.note for r in goal.reviews] == ["Goes twice a week with Pat"]
    changes = {
        (a["field"], a["old"], a["new"]) for a in _audit(db, "goals") if a["action"] == "update"
    }
    assert changes == {("status", "open", "achieved"), ("status_changed_on", None, "2026-11-23")}
    assert [a["person_id"] for a in _audit(db, "goal_reviews")] == [pid]


def test_review_still_open_moves_the_review_date_not_the_status(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **MAGGIE)
    gid = plans.add_goal(
        db,
        pid,
        GoalDetails(description="Cook a hot meal", review_on=date(2026, 11, 30)),
        [],
        clock,
        set_on=date(2026, 11, 1),
    )
    plans.review_goal(
        db,
        gid,
        GoalStatus.OPEN,
        clock,
        note="Twice this week",
        next_review_on=date(2026, 12, 21),
    )
    goal = plans.get_goal(db, gid)
    assert goal.status is GoalStatus.OPEN and goal.status_changed_on is None
    assert goal.review_on == date(2026, 12, 21)
    assert len(goal.reviews) == 1


def test_a_changed_goal_can_carry_on_in_new_words(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **MAGGIE)
    gid = plans.add_goal(
        db,
        pid,
        GoalDetails(description="Join a choir"),
        [
            ActionDetails(description="Find a choir", owner=ActionOwner.LINK_WORKER),
            ActionDetails(description="Buy a songbook"),
        ],
        clock,
        set_on=date(2026, 11, 2),
    )
    done = plans.get_goal(db, gid).actions[1].id
    plans.set_action_done(db, done, clock, date(2026, 11, 10))
    plans.review_goal(
        db,
        gid,
        GoalStatus.CHANGED,
        clock,
        note="Prefers a small group",
        new_description="Sing with the Friday ukulele group",
        next_review_on=date(2027, 1, 4),
    )
    old, new = plans.get_goal(db, gid), plans.goals(db, pid, open_only=True)[0]
    assert old.status is GoalStatus.CHANGED
    assert new.description == "Sing with the Friday ukulele group"
    assert new.review_on == date(2027, 1, 4) and new.set_on == date(2026, 11, 23)
    assert [a.description for a in new.actions] == ["Find a choir"]
    assert [a.description for a in old.actions] == ["Buy a songbook"]
    with pytest.raises(plans.PlanError, match="only a goal marked changed"):
        plans.review_goal(db, new.id, GoalStatus.ACHIEVED, clock, new_description="x")


def test_review_dates_are_checked_and_nothing_is_saved(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **MAGGIE)
    gid = plans.add_goal(
        db, pid, GoalDetails(description="x"), [], clock, set_on=date(2026, 11, 20)
    )
    with pytest.raises(plans.PlanError, match="reviewed on: 19 Nov 2026 is before the goal"):
        plans.review_goal(db, gid, GoalStatus.ACHIEVED, clock, reviewed_on=date(2026, 11, 19))
    with pytest.raises(plans.PlanError, match="reviewed on: 24 Nov 2026 is in the future"):
        plans.review_goal(db, gid, GoalStatus.ACHIEVED, clock, reviewed_on=date(2026, 11, 24))
    with pytest.raises(plans.PlanError, match="next review: 1 Nov 2026 is before this review"):
        plans.review_goal(db, gid, GoalStatus.OPEN, clock, next_review_on=date(2026, 11, 1))
    assert db["goal_reviews"].count == 0
    assert plans.get_goal(db, gid).status is GoalStatus.OPEN


def test_actions_are_marked_done_and_undone(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **MAGGIE)
    gid = _goal(db, pid, clock)
    action = plans.get_goal(db, gid).actions[0]
    plans.set_action_done(db, action.id, clock)
    assert plans.get_goal(db, gid).actions[-1].done_on == date(2026, 11, 23)
    with pytest.raises(plans.PlanError, match="in the future"):
        plans.set_action_done(db, action.id, clock, date(2026, 12, 1))
    plans.set_action_done(db, action.id, clock, done=False)
    assert all(a.done_on is None for a in plans.get_goal(db, gid).actions)
    updates = [(a["field"], a["old"], a["new"]) for a in _audit(db, "actions")[2:]]
    assert updates == [("done_on", None, "2026-11-23"), ("done_on", "2026-11-23", None)]
    added = plans.add_action(db, gid, ActionDetails(description="Check the bus times"), clock)
    assert added in {a.id for a in plans.get_goal(db, gid).actions}


def test_open_goals_come_first_soonest_review_first(db: Database, clock: Clock) -> None:
    pid = factories.add_person(db, clock, **MAGGIE)
    later = plans.add_goal(
        db, pid, GoalDetails(description="later", review_on=date(2027, 1, 5)), [], clock
    )
    done = plans.add_goal(db, pid, GoalDetails(description="done"), [], clock)
    plans.review_goal(db, done, GoalStatus.ACHIEVED, clock)
    sooner = plans.add_goal(
        db, pid, GoalDetails(description="sooner", review_on=date(2026, 12, 1)), [], clock
    )
    assert [g.id for g in plans.goals(db, pid)] == [sooner, later, done]
    assert [g.id for g in plans.goals(db, pid, open_only=True)] == [sooner, later]


# --- the plan as a page --------------------------------------------------------------------


def _full_plan(db: Database, clock: Clock, today: date, **person: object) -> int:
    pid = factories.add_person(db, clock, **{**MAGGIE, **person})
    plans.record_conversation(
        db, pid, _conversation(today, held_on="2026-09-01", what_matters="An old worry"), clock
    )
    plans.record_conversation(
        db,
        pid,
        _conversation(
            today,
            held_on="2026-11-16",
            what_matters="Seeing my grandchildren and getting out of the flat",
            strengths="Good cook; sister in Redruth",
            needs={"loneliness": "Lives alone", "money_debt": "Council tax arrears"},
            barriers=["confidence"],
            barriers_note="Anxious on buses",
        ),
        clock,
    )
    gid = plans.add_goal(
        db,
        pid,
        GoalDetails(description="Go to the Thursday lunch club", review_on="14/12/2026"),
        [
            ActionDetails(description="Visit the lunch club with me", owner="link_worker",
                          due_on="3/12/2026"),
            ActionDetails(description="Ask about the bus pass", due_on="30/11/2026"),
            ActionDetails(description="Call about the arrears", owner="someone_else",
                          owner_name="Citizens Advice"),
        ],
        clock,
    )  # fmt: skip
    visit = next(a for a in plans.get_goal(db, gid).actions if a.description.startswith("Visit"))
    plans.set_action_done(db, visit.id, clock)
    old = plans.add_goal(db, pid, GoalDetails(description="Sort out the boiler"), [], clock)
    plans.review_goal(db, old, GoalStatus.ACHIEVED, clock)
    return pid


def test_plan_text_is_one_readable_page(db: Database, clock: Clock, today: date) -> None:
    pid = _full_plan(db, clock, today)
    text = plans.plan_text(db, pid, today)
    assert text.startswith("My personalised care and support plan\n")
    assert "Name: Maggie Trelawny\nDate: 23 Nov 2026\n" in text
    assert "From our conversation on 16 Nov 2026." in text
    assert "Seeing my grandchildren and getting out of the flat" in text
    assert "An old worry" not in text  # the plan follows the latest conversation
    assert "Good cook; sister in Redruth" in text
    assert "- Loneliness and isolation: Lives alone" in text
    assert "- Money and debt: Council tax arrears" in text
    assert "Confidence. Anxious on buses" in text
    assert "1. Go to the Thursday lunch club (we will look at this again on 14 Dec 2026)" in text
    assert "[ ] Ask about the bus pass: You, by 30 Nov 2026" in text
    assert "[ ] Call about the arrears: Citizens Advice" in text
    # Long lines wrap at 78 columns; the words run on.
    assert (
        "[x] Visit the lunch club with me: Your link worker, by 3 Dec 2026 (done 23 Nov 2026)"
        in " ".join(text.split())
    )
    assert "- Sort out the boiler: achieved on 23 Nov 2026" in text
    assert "Next review\n-----------\n\n14 Dec 2026" in text
    assert CONTACT_LINE in text
    assert "943" not in text and "NHS" not in text
    assert max(len(line) for line in text.splitlines()) <= 78
    with_line = plans.plan_text(db, pid, today, contact_line="Sam Kemp, 01632 960123")
    assert "Sam Kemp, 01632 960123" in with_line and CONTACT_LINE not in with_line
    # Printed after the goal's review date, the page never says it is still to come.
    later = plans.plan_text(db, pid, date(2026, 12, 20))
    assert "lunch club (we were going to look at this again on 14 Dec 2026)" in " ".join(
        later.split()
    )
    assert "Next review\n-----------\n\nIt was due on 14 Dec 2026: we will agree" in later


def test_plan_markdown_has_headings_checkboxes_and_escapes_typed_text(
    db: Database, clock: Clock, today: date
) -> None:
    pid = _full_plan(db, clock, today, given_name="[bold red]Bob[/]", family_name="X")
    # No form lets an escape code in any more (issue 19); an old store may still hold one.
    db.execute("UPDATE people SET family_name = ? WHERE id = ?", ["\x1b[31mX", pid])
    md = plans.plan_markdown(db, pid, today)
    assert md.startswith("# My personalised care and support plan\n")
    assert "## What matters to me" in md and "## My goals" in md
    assert "- [ ] Ask about the bus pass: You, by 30 Nov 2026" in md
    assert "- [x] Visit the lunch club with me" in md
    assert "Name: \\[bold red\\]Bob\\[/\\] ␛\\[31mX" in md
    text = plans.plan_text(db, pid, today)
    assert "Name: [bold red]Bob[/] ␛[31mX" in text
    assert "\x1b" not in text and "\x1b" not in md


def test_a_plan_with_nothing_yet_still_reads(db: Database, clock: Clock, today: date) -> None:
    pid = factories.add_person(db, clock, **MAGGIE)
    text = plans.plan_text(db, pid, today)
    assert "We have not yet talked about what matters to you." in text
    assert "No open goals yet." in text and "To be agreed." in text


def test_conversations_text_keeps_every_conversation(
    db: Database, clock: Clock, today: date
) -> None:
    pid = _full_plan(db, clock, today)
    text = plans.conversations_text(db, pid)
    assert text.index("16 Nov 2026 (latest)") < text.index("1 Sep 2026")
    assert "An old worry" in text


# --- the timeline --------------------------------------------------------------------------


def test_timeline_shows_conversations_goal_changes_and_done_actions(
    db: Database, clock: Clock, today: date
) -> None:
    pid = _full_plan(db, clock, today)
    gid = plans.goals(db, pid, open_only=True)[0].id
    plans.review_goal(db, gid, GoalStatus.OPEN, clock, note="Went once")
    summaries = [(e.kind, e.summary) for e in person_timeline(db, pid)]
    assert (
        "conversation",
        "'What matters' conversation: Seeing my grandchildren and getting out of the flat",
    ) in summaries
    assert ("goal", "Goal set: Go to the Thursday lunch club") in summaries
    assert ("goal", "Goal reviewed, still open: Go to the Thursday lunch club (Went once)") in (
        summaries
    )
    assert ("goal", "Goal achieved: Sort out the boiler") in summaries
    assert (
        "action",
        "Action done: Visit the lunch club with me (goal: Go to the Thursday lunch club)",
    ) in summaries
    # The achieved goal shows once, from its review, not again from the goal row.
    assert sum(1 for _, s in summaries if s.startswith("Goal achieved")) == 1
