"""Contacts and attempts on follow-ups: completing one, missing one, and what to offer next.

Completing a follow-up logs the contact with :func:`linkworker.referrals.log_contact`;
missing one logs an attempt with :func:`linkworker.referrals.log_attempt`, so the referral
rules (attempts, "not reached", discharge) stay in :mod:`linkworker.referrals`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any

from linkworker import referrals
from linkworker.clock import Clock
from linkworker.followups.booking import (
    FollowUpError,
    FollowUpRow,
    get_followup,
    planned_for,
    planned_or_refused,
)
from linkworker.followups.days import suggest_next, suggest_retry
from linkworker.models import (
    AttemptOutcome,
    ContactDetails,
    ContactMode,
    FollowUpKind,
    FollowUpStatus,
    ReferralStatus,
)
from linkworker.settings import Settings
from linkworker.store import audit
from linkworker.validation import format_date

if TYPE_CHECKING:
    from sqlite_utils import Database


@dataclass
class Completed:
    """A contact logged (and the follow-up it completed); what to offer next."""

    contact_id: int
    followup_id: int | None
    suggested_next: date
    next_booked: date | None

    @property
    def offer_next(self) -> bool:
        """Offer to book the next one only when nothing else is booked for the person."""
        return self.next_booked is None


def booked_moment(row: Mapping[str, Any], now: datetime) -> datetime:
    """When a contact or attempt on this follow-up took place unless the worker says otherwise:
    the booked date and time (midnight, "that day", when no time was booked). One recorded
    before its booked time (done early) took place ``now``: a contact is never in the future."""
    day = date.fromisoformat(row["due_on"])
    at = time.fromisoformat(row["due_time"]) if row["due_time"] else time(0, 0)
    return min(datetime.combine(day, at), now.replace(second=0, microsecond=0))


def _contact_moment(text: str, clock: Clock) -> datetime:
    try:
        moment = (
            datetime.combine(date.fromisoformat(text), time(0, 0))
            if len(text) == 10
            else datetime.fromisoformat(text)
        )
    except ValueError:
        raise FollowUpError(f"when: '{text}' is not a date and time") from None
    if moment.replace(tzinfo=None) > clock.now():
        raise FollowUpError(f"when: {format_date(moment.date())} {text[11:16]} is in the future")
    return moment


def _followup_referral(db: Database, row: FollowUpRow) -> int:
    if row["referral_id"] is not None:
        return int(row["referral_id"])
    referral = referrals.open_referral(db, int(row["person_id"]))
    if referral is None:
        raise FollowUpError("this person has no open referral to record the contact on")
    return int(referral["id"])


def _end_watch(db: Database, followup_ids: list[int], clock: Clock) -> None:
    # Lone working reads follow-ups, so it loads here rather than with this module.
    from linkworker.lone_working import end_watch

    end_watch(db, followup_ids, clock)


def record_contact(
    db: Database,
    person_id: int,
    contact: ContactDetails,
    clock: Clock,
    settings: Settings,
    *,
    followup_id: int | None = None,
) -> Completed:
    """Log a contact (mode, duration, note) and, given a follow-up, mark it done with that
    contact, in one transaction. Returns the next follow-up to offer."""
    if contact.attempt:
        raise FollowUpError("a completed follow-up is a contact, not an attempt")
    moment = _contact_moment(contact.contact_at, clock)
    with db.atomic():
        referral_id = None
        row = None
        if followup_id is not None:
            row = planned_or_refused(db, followup_id, "completed")
            if int(row["person_id"]) != person_id:
                raise FollowUpError(f"follow-up {followup_id} is not this person's")
            referral_id = _followup_referral(db, row)
        contact_id = referrals.log_contact(db, person_id, contact, clock, referral_id=referral_id)
        if row is not None and followup_id is not None:
            # The contact points back at the follow-up it completed (and vice versa).
            audit.update(
                db,
                "contacts",
                contact_id,
                {"followup_id": followup_id},
                person_id=person_id,
                clock=clock,
            )
            audit.update(
                db,
                "followups",
                followup_id,
                {"status": FollowUpStatus.DONE, "contact_id": contact_id},
                person_id=person_id,
                clock=clock,
            )
            _end_watch(db, [followup_id], clock)
        later = planned_for(db, person_id, moment.date())
    return Completed(
        contact_id=contact_id,
        followup_id=followup_id,
        suggested_next=suggest_next(max(moment.date(), clock.today()), settings),
        next_booked=date.fromisoformat(later[0]["due_on"]) if later else None,
    )


def complete(
    db: Database,
    followup_id: int,
    contact: ContactDetails,
    clock: Clock,
    settings: Settings,
) -> Completed:
    """Complete a planned follow-up: log the contact and mark the follow-up done, together."""
    row = get_followup(db, followup_id)
    return record_contact(
        db, int(row["person_id"]), contact, clock, settings, followup_id=followup_id
    )


@dataclass
class Missed:
    """An unsuccessful attempt (did not attend, no answer...) and what the referral rules say."""

    contact_id: int
    followup_id: int | None
    referral_id: int
    referral_status: str
    attempts: int
    threshold: int
    retry_on: date
    next_booked: date | None = None

    @property
    def offer_retry(self) -> bool:
        """Offer to book another try when nothing else is booked and the referral stays open."""
        return self.next_booked is None and not self.threshold_reached

    @property
    def threshold_reached(self) -> bool:
        return self.attempts >= self.threshold

    @property
    def next_step(self) -> str | None:
        """'not_reached' (received or contacting), 'discharge' (accepted: disengaged), or None."""
        if not self.threshold_reached:
            return None
        if self.referral_status == ReferralStatus.ACCEPTED:
            return "discharge"
        return "not_reached"


def default_outcome(kind: str | None) -> AttemptOutcome:
    """'Did not attend' for a meeting in person; 'no answer' for a call, video or text."""
    if kind is None or kind in (FollowUpKind.PHONE, FollowUpKind.VIDEO, FollowUpKind.TEXT):
        return AttemptOutcome.NO_ANSWER
    return AttemptOutcome.DID_NOT_ATTEND


def record_attempt(
    db: Database,
    referral_id: int,
    outcome: AttemptOutcome,
    clock: Clock,
    settings: Settings,
    *,
    mode: ContactMode = ContactMode.PHONE,
    note: str | None = None,
    followup_id: int | None = None,
    contact_at: str | None = None,
) -> Missed:
    """Record an unsuccessful attempt on a referral (referrals.log_attempt) and, given a
    follow-up, mark it missed with that attempt, in one transaction.

    The attempts that count are the lifecycle's: those since the person was last reached, so three
    no-shows in a row suggest "not reached" (before acceptance) or discharging as disengaged
    (after), not three spread over months of good contact. ``contact_at`` (ISO, default now)
    is when the attempt was made.
    """
    attempt = ContactDetails(
        contact_at=contact_at or clock.stamp(), mode=mode, attempt=True, outcome=outcome, note=note
    )
    with db.atomic():
        result = referrals.log_attempt(
            db, referral_id, attempt, clock, threshold=settings.not_reached_attempts
        )
        if followup_id is not None:
            row = get_followup(db, followup_id)
            audit.update(
                db,
                "contacts",
                result.contact_id,
                {"followup_id": followup_id},
                person_id=int(row["person_id"]),
                clock=clock,
            )
            audit.update(
                db,
                "followups",
                followup_id,
                {"status": FollowUpStatus.MISSED, "contact_id": result.contact_id},
                person_id=int(row["person_id"]),
                clock=clock,
            )
            _end_watch(db, [followup_id], clock)
        referral = referrals.get_referral(db, referral_id)
        # referrals counts the attempts since the person was last reached, in every state.
        attempts = result.attempts
        later = planned_for(db, int(referral["person_id"]), clock.today())
    return Missed(
        contact_id=result.contact_id,
        followup_id=followup_id,
        referral_id=referral_id,
        referral_status=str(referral["status"]),
        attempts=attempts,
        threshold=settings.not_reached_attempts,
        retry_on=suggest_retry(clock.today(), settings),
        next_booked=date.fromisoformat(later[0]["due_on"]) if later else None,
    )


def record_missed(
    db: Database,
    followup_id: int,
    outcome: AttemptOutcome,
    clock: Clock,
    settings: Settings,
    *,
    note: str | None = None,
    contact_at: str | None = None,
) -> Missed:
    """The person did not attend, or could not be reached, for a planned follow-up.

    The attempt is recorded at ``contact_at`` (ISO), by default the booked date and time
    (:func:`booked_moment`), never the clock time of when it was typed in.
    """
    with db.atomic():
        row = planned_or_refused(db, followup_id, "marked missed")
        referral_id = _followup_referral(db, row)
        when = contact_at or booked_moment(row, clock.now()).isoformat(timespec="seconds")
        _contact_moment(when, clock)
        return record_attempt(
            db,
            referral_id,
            outcome,
            clock,
            settings,
            mode=ContactMode(row["kind"]),
            note=note,
            followup_id=followup_id,
            contact_at=when,
        )
