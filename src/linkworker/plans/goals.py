"""Goals in the person's words, their agreed actions, and reviewing them.

Reviewing a goal records what happened (a ``goal_reviews`` row) and moves its status.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.models import ActionDetails, Goal, GoalDetails, GoalStatus
from linkworker.plans.conversations import latest_conversation
from linkworker.plans.records import (
    PlanError,
    action_of,
    check_person,
    current_referral_id,
    goal_of,
    goal_row,
    review_of,
    stored_date,
)
from linkworker.store import audit
from linkworker.validation import format_date

#: Goals still being worked on come first on the plan; then the ones that are finished.
CLOSED_GOAL_STATUSES = (GoalStatus.ACHIEVED, GoalStatus.CHANGED, GoalStatus.DROPPED)


def _not_before_set(field: str, day: date, set_on: date | str) -> None:
    if day < (set_on if isinstance(set_on, date) else stored_date(set_on)):
        raise PlanError(
            f"{field}: {format_date(day)} is before the goal was set ({format_date(set_on)})"
        )


def _not_in_future(field: str, day: date, today: date) -> None:
    if day > today:
        raise PlanError(f"{field}: {format_date(day)} is in the future")


def _check_action(action: ActionDetails, set_on: date, number: int | None = None) -> None:
    where = f"action {number}: " if number is not None else ""
    if action.due_on is not None:
        _not_before_set(f"{where}by when", action.due_on, set_on)


def add_goal(
    db: Database,
    person_id: int,
    goal: GoalDetails,
    actions: Sequence[ActionDetails],
    clock: Clock,
    *,
    set_on: date | None = None,
    conversation_id: int | None = None,
) -> int:
    """Agree a goal in the person's words with its actions, in one transaction; returns its id.

    The goal hangs off the latest conversation unless ``conversation_id`` says otherwise.
    """
    today = clock.today()
    set_on = set_on or today
    _not_in_future("set on", set_on, today)
    if goal.review_on is not None:
        _not_before_set("review on", goal.review_on, set_on)
    for n, action in enumerate(actions, start=1):
        _check_action(action, set_on, n)
    with db.atomic():
        check_person(db, person_id)
        if conversation_id is None:
            latest = latest_conversation(db, person_id)
            conversation_id = latest.id if latest else None
        values: dict[str, object] = {
            "person_id": person_id,
            "referral_id": current_referral_id(db, person_id),
            "conversation_id": conversation_id,
            "description": goal.description,
            "status": goal.status,
            "status_changed_on": None if goal.status is GoalStatus.OPEN else set_on,
            "review_on": goal.review_on,
            "set_on": set_on,
        }
        goal_id = audit.insert(db, "goals", values, person_id=person_id, clock=clock)
        for action in actions:
            _insert_action(db, goal_id, person_id, action, clock)
        return goal_id


def _insert_action(
    db: Database, goal_id: int, person_id: int, action: ActionDetails, clock: Clock
) -> int:
    values = action.model_dump()
    values["goal_id"] = goal_id
    return audit.insert(db, "actions", values, person_id=person_id, clock=clock)


def add_action(db: Database, goal_id: int, action: ActionDetails, clock: Clock) -> int:
    """Add an agreed action to an existing goal; returns its id."""
    with db.atomic():
        goal = goal_row(db, goal_id)
        _check_action(action, date.fromisoformat(goal["set_on"]))
        return _insert_action(db, goal_id, int(goal["person_id"]), action, clock)


def set_action_done(
    db: Database, action_id: int, clock: Clock, done_on: date | None = None, *, done: bool = True
) -> None:
    """Mark an action done (today unless ``done_on``), or not done again with ``done=False``."""
    rows = list(
        db.query(
            "SELECT a.*, g.person_id, g.set_on FROM actions a JOIN goals g ON g.id = a.goal_id "
            "WHERE a.id = ?",
            [action_id],
        )
    )
    if not rows:
        raise LookupError(f"no action with id {action_id}")
    row = rows[0]
    when: date | None = None
    if done:
        when = done_on or clock.today()
        _not_in_future("done on", when, clock.today())
        _not_before_set("done on", when, row["set_on"])
    with db.atomic():
        audit.update(
            db, "actions", action_id, {"done_on": when}, person_id=row["person_id"], clock=clock
        )


def _check_review(
    status: GoalStatus,
    reviewed_on: date,
    today: date,
    next_review_on: date | None,
    new_description: str | None,
) -> None:
    _not_in_future("reviewed on", reviewed_on, today)
    if next_review_on is not None and next_review_on < reviewed_on:
        raise PlanError(
            f"next review: {format_date(next_review_on)} is before this review "
            f"({format_date(reviewed_on)})"
        )
    if new_description is not None and status is not GoalStatus.CHANGED:
        raise PlanError("new goal: only a goal marked changed takes new words")
    if new_description is not None and len(new_description) > 2000:
        raise PlanError("new goal: at most 2000 characters")


def _goal_in_new_words(
    db: Database,
    goal: dict[str, Any],
    description: str,
    reviewed_on: date,
    next_review_on: date | None,
    clock: Clock,
) -> None:
    """A changed goal's successor: open, in the new words, with the open actions moved over."""
    person_id = int(goal["person_id"])
    new_id = audit.insert(
        db,
        "goals",
        {
            "person_id": person_id,
            "referral_id": goal["referral_id"],
            "conversation_id": goal["conversation_id"],
            "description": description,
            "status": GoalStatus.OPEN,
            "review_on": next_review_on,
            "set_on": reviewed_on,
        },
        person_id=person_id,
        clock=clock,
    )
    for action in db.query(
        "SELECT id FROM actions WHERE goal_id = ? AND done_on IS NULL", [goal["id"]]
    ):
        audit.update(
            db, "actions", int(action["id"]), {"goal_id": new_id}, person_id=person_id, clock=clock
        )


def review_goal(
    db: Database,
    goal_id: int,
    status: GoalStatus,
    clock: Clock,
    *,
    note: str | None = None,
    reviewed_on: date | None = None,
    next_review_on: date | None = None,
    new_description: str | None = None,
) -> int:
    """Record what happened at a goal's review and move its status; returns the review's id.

    The goal's ``status_changed_on`` becomes the review date when the status changes. For a goal
    still open, ``next_review_on`` sets the next review. A goal marked *changed* with
    ``new_description`` gets a new open goal in the new words (same conversation), with the
    open actions carried over. Everything happens in one transaction.
    """
    today = clock.today()
    reviewed_on = reviewed_on or today
    note = (note or "").strip() or None
    new_description = (new_description or "").strip() or None
    _check_review(status, reviewed_on, today, next_review_on, new_description)
    with db.atomic():
        goal = goal_row(db, goal_id)
        person_id = int(goal["person_id"])
        _not_before_set("reviewed on", reviewed_on, goal["set_on"])
        review_id = audit.insert(
            db,
            "goal_reviews",
            {"goal_id": goal_id, "reviewed_on": reviewed_on, "status": status, "note": note},
            person_id=person_id,
            clock=clock,
        )
        changes: dict[str, object] = {}
        if goal["status"] != status.value:
            changes["status"] = status
            changes["status_changed_on"] = reviewed_on
        if status is GoalStatus.OPEN and next_review_on is not None:
            changes["review_on"] = next_review_on
        if changes:
            audit.update(db, "goals", goal_id, changes, person_id=person_id, clock=clock)
        if new_description is not None:
            _goal_in_new_words(db, goal, new_description, reviewed_on, next_review_on, clock)
        return review_id


def get_goal(db: Database, goal_id: int) -> Goal:
    """One goal with its actions and reviews."""
    return _goals(db, [goal_row(db, goal_id)])[0]


#: Struck out ("entered in error", corrections.py): kept on record, shown in no live list.
_LIVE = "entered_in_error_at IS NULL"


def _live_rows_by_goal(
    db: Database, table: str, ids: list[int], order: str
) -> dict[int, list[dict[str, Any]]]:
    """The live rows of ``table`` (a goal's actions or reviews) for each goal id, in
    ``order``; a goal with none has an empty list."""
    found: dict[int, list[dict[str, Any]]] = {i: [] for i in ids}
    marks = ", ".join("?" for _ in ids)
    for row in db.query(
        f"SELECT * FROM [{table}] WHERE goal_id IN ({marks}) AND {_LIVE} ORDER BY {order}", ids
    ):
        found[int(row["goal_id"])].append(row)
    return found


def _goals(db: Database, rows: list[dict[str, Any]]) -> list[Goal]:
    if not rows:
        return []
    ids = [int(r["id"]) for r in rows]
    actions = _live_rows_by_goal(
        db, "actions", ids, "done_on IS NOT NULL, due_on IS NULL, due_on, id"
    )
    reviews = _live_rows_by_goal(db, "goal_reviews", ids, "reviewed_on, id")
    return [
        goal_of(
            r,
            [action_of(a) for a in actions[int(r["id"])]],
            [review_of(v) for v in reviews[int(r["id"])]],
        )
        for r in rows
    ]


def goals(db: Database, person_id: int, *, open_only: bool = False) -> list[Goal]:
    """The person's goals: open ones first (soonest review first), then finished ones (newest
    first). A goal, action or review struck out ("entered in error") is not among them."""
    where = f"person_id = ? AND {_LIVE}" + (" AND status = 'open'" if open_only else "")
    rows = list(
        db.query(
            f"SELECT * FROM goals WHERE {where} ORDER BY status != 'open', "
            "CASE WHEN status = 'open' THEN coalesce(review_on, '9999') END, "
            "coalesce(status_changed_on, set_on) DESC, id",
            [person_id],
        )
    )
    return _goals(db, rows)
