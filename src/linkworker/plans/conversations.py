""" "What matters to you" conversations: recording them and reading them back."""

from __future__ import annotations

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.models import Conversation, ConversationDetails
from linkworker.plans.records import PlanError, check_person, conversation_of, current_referral_id
from linkworker.store import audit
from linkworker.validation import format_date

# A conversation struck out ("entered in error") stays on record but in no live list.
_NEWEST_FIRST = (
    "SELECT * FROM conversations WHERE person_id = ? AND entered_in_error_at IS NULL "
    "ORDER BY held_on DESC, id DESC"
)


def record_conversation(
    db: Database,
    person_id: int,
    details: ConversationDetails,
    clock: Clock,
    referral_id: int | None = None,
) -> int:
    """Store a "what matters to you" conversation (on the current referral); returns its id.

    What matters to the person is the heart of it and is required (their words; "not sure
    yet" is an answer), so a form saved by mistake with only the referral's needs ticked
    records nothing.
    """
    if details.held_on > clock.today():
        raise PlanError(f"held on: {format_date(details.held_on)} is in the future")
    if not details.what_matters:
        raise PlanError("what matters: write what matters to the person, in their words")
    with db.atomic():
        check_person(db, person_id)
        if referral_id is None:
            referral_id = current_referral_id(db, person_id)
        values = details.model_dump()
        values.update(person_id=person_id, referral_id=referral_id)
        return audit.insert(db, "conversations", values, person_id=person_id, clock=clock)


def conversations(db: Database, person_id: int) -> list[Conversation]:
    """Every conversation with the person, newest first (none struck out)."""
    return [conversation_of(r) for r in db.query(_NEWEST_FIRST, [person_id])]


def latest_conversation(db: Database, person_id: int) -> Conversation | None:
    """The most recent conversation, or None."""
    rows = list(db.query(_NEWEST_FIRST + " LIMIT 1", [person_id]))
    return conversation_of(rows[0]) if rows else None
