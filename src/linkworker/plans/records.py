"""Reading the plan's rows back as the dataclasses of :mod:`linkworker.models.plans`."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlite_utils import Database

from linkworker.models import (
    Action,
    ActionOwner,
    Barrier,
    Conversation,
    Goal,
    GoalReview,
    GoalStatus,
    NeedDomain,
)
from linkworker.store.db import row_by_id


class PlanError(ValueError):
    """A plan change that is not allowed; the message names the field and says why."""


def optional_date(value: str | None) -> date | None:
    """A stored ISO date (or date-time) as a date; None for none."""
    return date.fromisoformat(value[:10]) if value else None


def stored_date(value: str) -> date:
    """A stored ISO date (or date-time) that is always there."""
    return date.fromisoformat(value[:10])


def person_row(db: Database, person_id: int) -> dict[str, Any]:
    """The person's row; LookupError names the id when there is none."""
    rows = list(db.query("SELECT * FROM people WHERE id = ?", [person_id]))
    if not rows:
        raise LookupError(f"no person with id {person_id}")
    return rows[0]


def check_person(db: Database, person_id: int) -> None:
    """LookupError naming the id unless the person exists."""
    if db.execute("SELECT 1 FROM people WHERE id = ?", [person_id]).fetchone() is None:
        raise LookupError(f"no person with id {person_id}")


def current_referral_id(db: Database, person_id: int) -> int | None:
    """The person's latest referral (the episode a conversation or goal belongs to)."""
    row = db.execute(
        "SELECT id FROM referrals WHERE person_id = ? ORDER BY received_on DESC, id DESC LIMIT 1",
        [person_id],
    ).fetchone()
    return int(row[0]) if row else None


def goal_row(db: Database, goal_id: int) -> dict[str, Any]:
    """The goal's row; LookupError names the id when there is none."""
    return row_by_id(db, "goals", goal_id, "goal")


def _json(value: str | None, empty: str) -> object:
    try:
        return json.loads(value or empty)
    except json.JSONDecodeError:
        return json.loads(empty)


def conversation_of(row: dict[str, Any]) -> Conversation:
    """A conversations row decoded; unknown need or barrier codes are kept as 'other' or left."""
    raw_needs = _json(row["needs"], "{}")
    needs: dict[NeedDomain, str] = {}
    if isinstance(raw_needs, dict):
        for key, note in raw_needs.items():
            try:
                needs[NeedDomain(key)] = "" if note is None else str(note)
            except ValueError:
                needs[NeedDomain.OTHER] = f"{key}: {note}" if note else str(key)
    raw_barriers = _json(row["barriers"], "[]")
    barriers = []
    for code in raw_barriers if isinstance(raw_barriers, list) else []:
        try:
            barriers.append(Barrier(code))
        except ValueError:
            continue
    # Show the domains in the order of the form, whatever order they were stored in.
    ordered = {d: needs[d] for d in NeedDomain if d in needs}
    return Conversation(
        id=int(row["id"]),
        person_id=int(row["person_id"]),
        held_on=stored_date(row["held_on"]),
        what_matters=row["what_matters"],
        strengths=row["strengths"],
        needs=ordered,
        barriers=[b for b in Barrier if b in barriers],
        barriers_note=row["barriers_note"],
    )


def action_of(row: dict[str, Any]) -> Action:
    """An actions row decoded (an unknown owner reads as someone else)."""
    try:
        owner = ActionOwner(row["owner"])
    except ValueError:
        owner = ActionOwner.SOMEONE_ELSE
    return Action(
        id=int(row["id"]),
        goal_id=int(row["goal_id"]),
        description=row["description"],
        owner=owner,
        owner_name=row["owner_name"],
        due_on=optional_date(row["due_on"]),
        done_on=optional_date(row["done_on"]),
    )


def review_of(row: dict[str, Any]) -> GoalReview:
    """A goal_reviews row decoded."""
    return GoalReview(
        id=int(row["id"]),
        goal_id=int(row["goal_id"]),
        reviewed_on=stored_date(row["reviewed_on"]),
        status=GoalStatus(row["status"]),
        note=row["note"],
    )


def goal_of(row: dict[str, Any], actions: list[Action], reviews: list[GoalReview]) -> Goal:
    """A goals row decoded, with its actions and reviews."""
    return Goal(
        id=int(row["id"]),
        person_id=int(row["person_id"]),
        description=row["description"],
        status=GoalStatus(row["status"]),
        status_changed_on=optional_date(row["status_changed_on"]),
        review_on=optional_date(row["review_on"]),
        set_on=stored_date(row["set_on"]),
        conversation_id=row["conversation_id"],
        actions=actions,
        reviews=reviews,
    )
