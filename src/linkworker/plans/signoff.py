"""Signing the plan off against NHS England's five criteria of a personalised care and
support plan (PCSP), and the copy of the plan the person holds.

A sign-off (a ``plan_signoffs`` row, audited) keeps which criteria the worker ticked, the
review agreed and the episode it belongs to; the latest is the plan's standing. The
person's copy (:func:`person_copy`) is in plain words and obeys their information needs
(large print, easy read): :mod:`linkworker.formats.person_plan` lays it out.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.formats.handout import HandoutStyle, Reading
from linkworker.formats.person_plan import PlanCopy, person_plan_document
from linkworker.models import PcspCriterion, SignOffDetails
from linkworker.plans.conversations import latest_conversation
from linkworker.plans.goals import goals
from linkworker.plans.records import (
    PlanError,
    check_person,
    current_referral_id,
    optional_date,
    person_row,
    stored_date,
)
from linkworker.store import audit
from linkworker.validation import format_date


@dataclass(frozen=True)
class SignOff:
    """One sign-off of the plan: when, the criteria ticked (in NHS England's order), review."""

    id: int
    person_id: int
    signed_on: date
    criteria: tuple[PcspCriterion, ...]
    review_on: date | None
    note: str | None

    @property
    def complete(self) -> bool:
        """All five criteria ticked."""
        return len(self.criteria) == len(PcspCriterion)

    def words(self) -> str:
        """'Signed off 2 Dec 2026: 5 of 5 PCSP criteria met; review 2 Mar 2027'."""
        review = f"; review {format_date(self.review_on)}" if self.review_on else ""
        return (
            f"Signed off {format_date(self.signed_on)}: {len(self.criteria)} of "
            f"{len(PcspCriterion)} PCSP criteria met{review}"
        )


def sign_off(db: Database, person_id: int, details: SignOffDetails, clock: Clock) -> int:
    """Sign the plan off today with the criteria ticked (audited); returns the sign-off's id.

    A review date in the past is refused: the review is still to come.
    """
    if details.review_on is not None and details.review_on < clock.today():
        raise PlanError(f"review date: {format_date(details.review_on)} is in the past")
    with db.atomic():
        check_person(db, person_id)
        values = {
            "person_id": person_id,
            "referral_id": current_referral_id(db, person_id),
            "signed_on": clock.today(),
            # Stored in the criteria's own order, whatever order they were ticked in.
            "criteria": [c.value for c in PcspCriterion if c in details.criteria],
            "review_on": details.review_on,
            "note": details.note,
        }
        return audit.insert(db, "plan_signoffs", values, person_id=person_id, clock=clock)


def _criteria(stored: str | None) -> tuple[PcspCriterion, ...]:
    try:
        codes = json.loads(stored or "[]")
    except json.JSONDecodeError:
        codes = []
    known = {str(c) for c in codes} if isinstance(codes, list) else set()
    return tuple(c for c in PcspCriterion if c.value in known)


def latest_signoff(db: Database, person_id: int) -> SignOff | None:
    """The plan's latest sign-off, or None while it has never been signed off."""
    latest = "SELECT * FROM plan_signoffs WHERE person_id = ? ORDER BY signed_on DESC, id DESC"
    row = next(db.query(latest + " LIMIT 1", [person_id]), None)
    if row is None:
        return None
    return SignOff(
        id=int(row["id"]),
        person_id=person_id,
        signed_on=stored_date(row["signed_on"]),
        criteria=_criteria(row["criteria"]),
        review_on=optional_date(row["review_on"]),
        note=row["note"],
    )


def person_copy(
    db: Database,
    person_id: int,
    today: date,
    style: HandoutStyle,
    reading: Reading,
    signed: list[str] | None = None,
) -> str:
    """The plan the person holds: their goals in their words, who does what, the review and
    how to reach the worker (``signed``, Settings.sign_off()), as ``reading`` needs it."""
    person = person_row(db, person_id)
    open_goals = goals(db, person_id, open_only=True)
    latest = latest_conversation(db, person_id)
    signed_off = latest_signoff(db, person_id)
    reviews = sorted(g.review_on for g in open_goals if g.review_on)
    review = signed_off.review_on if signed_off and signed_off.review_on else None
    copy = PlanCopy(
        name=str(person["preferred_name"] or person["given_name"]),
        made_on=today,
        what_matters=latest.what_matters if latest else None,
        goals=open_goals,
        review_on=review or (reviews[0] if reviews else None),
        signed=signed,
    )
    return person_plan_document(copy, style, reading)
