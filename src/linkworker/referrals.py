"""The referral lifecycle: taking a referral, contacts and attempts, and closing the episode.

``received -> contacting (attempts logged) -> accepted | declined | not_reached -> discharged``;
a referral can be accepted or declined straight from 'received' (the person rang back).

This module is the one owner of the lifecycle's rules: which moves are allowed (and why
not, in words), when "not reached" may be recorded, what code accepting and declining
record, and what closing an episode cancels (its planned follow-ups). Every function that
writes takes a :class:`~linkworker.clock.Clock` and runs as one transaction with its audit
rows. :mod:`linkworker.followups` calls this module; this module never calls followups.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, cast

from sqlite_utils import Database

from linkworker import people
from linkworker.clock import Clock
from linkworker.display import short_date
from linkworker.errors import CaseloadError
from linkworker.models import (
    OPEN_STATUSES,
    SNOMED_DECLINED,
    SNOMED_REFERRED,
    ContactDetails,
    DischargeReason,
    FollowUpStatus,
    PersonDetails,
    ReferralDetails,
    ReferralStatus,
)
from linkworker.store import audit
from linkworker.store.db import row_by_id


class ReferralRow(audit.CorrectableRow):
    """One row of the ``referrals`` table: an episode, as stored (dates ISO text)."""

    id: int
    person_id: int
    source: str
    referrer_name: str | None
    referrer_organisation: str | None
    received_on: str
    needs: str  # a JSON list of need codes
    urgency: str
    reason: str | None
    consent_to_share_gp: int | None
    status: str
    status_changed_on: str | None
    accepted_on: str | None
    declined_on: str | None
    decline_reason: str | None
    not_reached_on: str | None
    snomed_code: str | None
    discharged_on: str | None
    discharge_reason: str | None
    discharge_summary: str | None


# --- Reading ------------------------------------------------------------------------------


def get_referral(db: Database, referral_id: int) -> ReferralRow:
    """One referral; LookupError names the id when there is none."""
    return cast(ReferralRow, row_by_id(db, "referrals", referral_id, "referral"))


def latest_referral(db: Database, person_id: int) -> ReferralRow | None:
    """The person's most recent referral episode, open or closed."""
    rows = list(
        db.query(
            "SELECT * FROM referrals WHERE person_id = ? "
            "ORDER BY received_on DESC, id DESC LIMIT 1",
            [person_id],
        )
    )
    return cast(ReferralRow, rows[0]) if rows else None


def open_referral(db: Database, person_id: int) -> ReferralRow | None:
    """The person's referral that is still being worked, if any."""
    placeholders = ", ".join("?" for _ in OPEN_STATUSES)
    rows = list(
        db.query(
            f"SELECT * FROM referrals WHERE person_id = ? AND status IN ({placeholders}) "
            "ORDER BY received_on DESC, id DESC LIMIT 1",
            [person_id, *[s.value for s in OPEN_STATUSES]],
        )
    )
    return cast(ReferralRow, rows[0]) if rows else None


# --- Taking a referral --------------------------------------------------------------------


def check_new_referral(db: Database, person_id: int) -> None:
    """Raise CaseloadError when the person already has a referral that is still open."""
    current = open_referral(db, person_id)
    if current is not None:
        raise CaseloadError(
            f"this person already has an open referral (received {current['received_on']}, "
            f"{ReferralStatus(current['status']).label.lower()}); close it before a new one"
        )


def add_referral(db: Database, person_id: int, details: ReferralDetails, clock: Clock) -> int:
    """Open a new referral episode for a person (status 'received')."""
    with db.atomic():
        check_new_referral(db, person_id)
        values = details.model_dump()
        values.update(
            person_id=person_id,
            status=ReferralStatus.RECEIVED,
            status_changed_on=details.received_on,
        )
        return audit.insert(db, "referrals", values, person_id=person_id, clock=clock)


@dataclass
class IntakeResult:
    """What taking a referral did: whose it is, which episode, and what was new."""

    person_id: int
    referral_id: int
    new_person: bool
    filled: dict[str, tuple[object, object]] = field(default_factory=dict)
    #: On a record chosen as the same person: the name and birthday fields the referral gave
    #: differently (kept as recorded, for the worker to review).
    differs: tuple[str, ...] = ()


def take_referral(
    db: Database,
    referral: ReferralDetails,
    clock: Clock,
    *,
    person: PersonDetails | None = None,
    person_id: int | None = None,
    different_person: bool = False,
) -> IntakeResult:
    """Record a referral, with a new person or on someone already on record, in one transaction.

    - ``person`` alone: a new person, unless someone on record has the same NHS number or the
      same name and date of birth (then :class:`~linkworker.people.DuplicatePersonError`,
      listing them). When the link worker has checked that a same-name-and-birthday match is
      someone else, ``different_person=True`` adds the new person anyway (never for an NHS
      number match).
    - ``person_id``: a re-referral, a new episode on that person. Details given in ``person``
      fill in what their record lacks; nothing already recorded is overwritten.

    The person's consent to share with the GP follows the referral when the referral records it.
    """
    with db.atomic():
        filled: dict[str, tuple[object, object]] = {}
        differs: tuple[str, ...] = ()
        new_person = person_id is None
        if person_id is None:
            if person is None:
                raise ValueError("a referral needs a person: new details or an existing id")
            matches = people.find_duplicates(db, person)
            by_nhs = [m for m in matches if m.matched_on == people.MATCHED_ON_NHS]
            if by_nhs or (matches and not different_person):
                raise people.DuplicatePersonError(by_nhs or matches)
            person_id = people.add_person(db, person, clock)
        else:
            existing = people.get_person(db, person_id)
            check_new_referral(db, person_id)
            if person is not None:
                differs = people.identity_differences(person, dict(existing))
                filled = people.fill_blanks(db, existing, person, clock)
        referral_id = add_referral(db, person_id, referral, clock)
        if referral.consent_to_share_gp is not None:
            current = people.get_person(db, person_id)
            wanted = int(referral.consent_to_share_gp)
            if current["consent_to_share_gp"] != wanted:
                audit.update(
                    db,
                    "people",
                    person_id,
                    {"consent_to_share_gp": wanted, "consent_date": referral.received_on},
                    person_id=person_id,
                    clock=clock,
                )
        return IntakeResult(person_id, referral_id, new_person, filled, differs)


# --- The transition rule --------------------------------------------------------------------

ALLOWED: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.RECEIVED: frozenset(
        {
            ReferralStatus.CONTACTING,
            ReferralStatus.ACCEPTED,
            ReferralStatus.DECLINED,
            ReferralStatus.NOT_REACHED,
        }
    ),
    ReferralStatus.CONTACTING: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.NOT_REACHED}
    ),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.DISCHARGED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.NOT_REACHED: frozenset(),
    ReferralStatus.DISCHARGED: frozenset(),
}

_NEVER_ACCEPTED = (
    "a referral that was never accepted cannot be discharged; decline it or mark it "
    "not reached instead"
)
_WHY_NOT: dict[tuple[ReferralStatus, ReferralStatus], str] = {
    (ReferralStatus.RECEIVED, ReferralStatus.DISCHARGED): _NEVER_ACCEPTED,
    (ReferralStatus.CONTACTING, ReferralStatus.DISCHARGED): _NEVER_ACCEPTED,
    (
        ReferralStatus.DISCHARGED,
        ReferralStatus.ACCEPTED,
    ): "this referral is discharged; a new referral opens a new episode",
    (
        ReferralStatus.DECLINED,
        ReferralStatus.ACCEPTED,
    ): "this referral was declined; if the person has changed their mind, add a new referral",
    (
        ReferralStatus.NOT_REACHED,
        ReferralStatus.ACCEPTED,
    ): "this referral was closed as not reached; if the person has been in touch, add a new "
    "referral",
    (ReferralStatus.ACCEPTED, ReferralStatus.ACCEPTED): "this referral is already accepted",
    (
        ReferralStatus.ACCEPTED,
        ReferralStatus.DECLINED,
    ): "this referral was accepted; discharge it (reason: declined further support) instead",
    (
        ReferralStatus.ACCEPTED,
        ReferralStatus.NOT_REACHED,
    ): "this referral was accepted; discharge it (reason: disengaged) instead",
}


def check_transition(current: str, target: ReferralStatus) -> None:
    """Raise CaseloadError, in words, when a referral may not move from current to target."""
    status = ReferralStatus(current)
    if target in ALLOWED[status]:
        return
    reason = _WHY_NOT.get((status, target))
    if reason is None:
        reason = (
            f"a referral that is {status.label.lower()} cannot be marked {target.label.lower()}"
        )
    raise CaseloadError(reason)


def _move(
    db: Database,
    referral_id: int,
    target: ReferralStatus,
    on: date,
    clock: Clock,
    **fields: object,
) -> ReferralRow:
    with db.atomic():
        referral = get_referral(db, referral_id)
        check_transition(referral["status"], target)
        if on < date.fromisoformat(referral["received_on"]):
            raise CaseloadError(
                f"{on.isoformat()} is before the referral was received ({referral['received_on']})",
                field="on",
            )
        if on > clock.today():
            raise CaseloadError(f"{on.isoformat()} is in the future", field="on")
        changes: dict[str, object] = {"status": target, "status_changed_on": on, **fields}
        audit.update(
            db, "referrals", referral_id, changes, person_id=referral["person_id"], clock=clock
        )
        return get_referral(db, referral_id)


# --- Contacts and attempts ------------------------------------------------------------------


def log_contact(
    db: Database,
    person_id: int,
    details: ContactDetails,
    clock: Clock,
    referral_id: int | None = None,
) -> int:
    """Record a contact (or an unsuccessful attempt) with a person, on their current referral.

    Any contact or attempt on a referral that is still 'received' moves it to 'contacting':
    the link worker has started to work it.
    """
    with db.atomic():
        people.get_person(db, person_id)
        day = date.fromisoformat(details.contact_at[:10])
        if day > clock.today():
            raise CaseloadError(f"{day.isoformat()} is in the future", field="contact_at")
        if referral_id is None:
            current = latest_referral(db, person_id)
            referral_id = int(current["id"]) if current else None
        if referral_id is not None:
            _check_not_before_received(get_referral(db, referral_id), day)
        values = details.model_dump()
        values.update(person_id=person_id, referral_id=referral_id)
        contact_id = audit.insert(db, "contacts", values, person_id=person_id, clock=clock)
        if referral_id is not None:
            referral = get_referral(db, referral_id)
            if referral["status"] == ReferralStatus.RECEIVED:
                received = date.fromisoformat(referral["received_on"])
                _move(db, referral_id, ReferralStatus.CONTACTING, max(day, received), clock)
        return contact_id


def _check_not_before_received(referral: ReferralRow, day: date) -> None:
    """Refuse a contact or attempt dated before the referral arrived, naming its date.

    Such an entry cannot be true and would count towards 'not reached'.
    """
    received = date.fromisoformat(referral["received_on"])
    if day < received:
        raise CaseloadError(
            f"{short_date(day)} is before the referral was received ({short_date(received)})",
            field="contact_at",
        )


@dataclass
class AttemptResult:
    """After an unsuccessful attempt: how many so far, and whether to offer 'not reached'.

    ``attempts`` counts the unanswered attempts since the person was last reached (all of
    them when they never were); ``status`` is the referral's status after the attempt.
    """

    contact_id: int
    attempts: int
    threshold: int
    status: str = ReferralStatus.CONTACTING

    @property
    def threshold_reached(self) -> bool:
        return self.attempts >= self.threshold

    @property
    def offer_not_reached(self) -> bool:
        """True when the app should prompt to close the referral as not reached."""
        return self.threshold_reached and ReferralStatus.NOT_REACHED in ALLOWED.get(
            ReferralStatus(self.status), frozenset()
        )


def attempts_on(db: Database, referral_id: int) -> int:
    """Unsuccessful contact attempts logged on a referral."""
    return int(
        db.execute(
            "SELECT count(*) FROM contacts WHERE referral_id = ? AND attempt = 1 "
            "AND entered_in_error_at IS NULL",
            [referral_id],
        ).fetchone()[0]
    )


def unanswered_attempts(db: Database, referral_id: int) -> int:
    """Unsuccessful attempts on a referral since the last contact that reached the person."""
    return int(
        db.execute(
            "SELECT count(*) FROM contacts WHERE referral_id = ? AND attempt = 1 AND "
            "entered_in_error_at IS NULL AND contact_at > coalesce((SELECT max(contact_at) "
            "FROM contacts WHERE referral_id = ? AND attempt = 0 "
            "AND entered_in_error_at IS NULL), '')",
            [referral_id, referral_id],
        ).fetchone()[0]
    )


def check_attempt(referral: ReferralRow) -> None:
    """Raise CaseloadError unless attempts may be logged on this referral (it is open)."""
    if referral["status"] not in {s.value for s in OPEN_STATUSES}:
        raise CaseloadError(
            f"this referral is {ReferralStatus(referral['status']).label.lower()}; "
            "contact attempts are logged on open referrals"
        )


def referral_progress(db: Database, referral_id: int) -> tuple[int, int]:
    """(contacts that reached the person, unanswered attempts since the last one)."""
    contacts = db.execute(
        "SELECT count(*) FROM contacts WHERE referral_id = ? AND attempt = 0 "
        "AND entered_in_error_at IS NULL",
        [referral_id],
    ).fetchone()[0]
    return int(contacts), unanswered_attempts(db, referral_id)


def log_attempt(
    db: Database, referral_id: int, details: ContactDetails, clock: Clock, *, threshold: int
) -> AttemptResult:
    """Log an unsuccessful attempt to reach the person; 'received' becomes 'contacting'."""
    with db.atomic():
        referral = get_referral(db, referral_id)
        check_attempt(referral)
        attempt = details.model_copy(update={"attempt": True})
        # log_contact moves a 'received' referral to 'contacting'.
        contact_id = log_contact(
            db, int(referral["person_id"]), attempt, clock, referral_id=referral_id
        )
        return AttemptResult(
            contact_id,
            unanswered_attempts(db, referral_id),
            threshold,
            get_referral(db, referral_id)["status"],
        )


# --- Deciding and closing -------------------------------------------------------------------


def accept(db: Database, referral_id: int, on: date, clock: Clock) -> tuple[str, str]:
    """The person accepts social prescribing; returns the SNOMED CT code and term to record."""
    _move(
        db,
        referral_id,
        ReferralStatus.ACCEPTED,
        on,
        clock,
        accepted_on=on,
        snomed_code=SNOMED_REFERRED[0],
    )
    return SNOMED_REFERRED


#: The cancel reason a closed referral gives its planned follow-ups, by how it closed; a
#: correction of the closing finds them by these words to plan them again.
CLOSED_WORDS = {
    ReferralStatus.DECLINED: "referral closed: declined",
    ReferralStatus.NOT_REACHED: "referral closed: not reached",
    ReferralStatus.DISCHARGED: "referral closed: discharged",
}


def cancel_planned_followups(db: Database, referral_id: int, reason: str, clock: Clock) -> int:
    """Cancel every planned follow-up of a referral that has closed; returns how many.

    Each one is audited with ``reason``. Every way of closing an episode calls this in its
    own transaction, so a closed referral never leaves a follow-up (or a "Next due" date)
    behind.
    """
    with db.atomic():
        rows = list(
            db.query(
                "SELECT id, person_id FROM followups WHERE referral_id = ? AND status = 'planned'",
                [referral_id],
            )
        )
        move_followups(db, rows, FollowUpStatus.CANCELLED, reason, clock)
        # A visit of the closed referral still checked in is over. (Lone working reads
        # follow-ups, and so this module: it loads here.)
        from linkworker.lone_working import end_watch

        end_watch(db, [int(row["id"]) for row in rows], clock)
    return len(rows)


def move_followups(
    db: Database,
    rows: Iterable[Mapping[str, Any]],
    status: FollowUpStatus,
    cancel_reason: str | None,
    clock: Clock,
    *,
    why: str | None = None,
    worker: str | None = None,
) -> None:
    """Give each follow-up (a row with its ``id`` and ``person_id``) a new status and cancel
    reason, each change audited: closing a referral cancels its planned follow-ups with the
    words of :data:`CLOSED_WORDS`, and correcting the closing plans them again
    (corrections.py), which audits the correction's ``why`` and ``worker`` too."""
    for row in rows:
        audit.update(
            db,
            "followups",
            int(row["id"]),
            {"status": status, "cancel_reason": cancel_reason},
            person_id=int(row["person_id"]),
            clock=clock,
            reason=why,
            worker=worker,
        )


def decline(
    db: Database, referral_id: int, on: date, clock: Clock, reason: str | None = None
) -> tuple[str, str]:
    """The person declines; returns the SNOMED CT code and term to record.

    The referral's planned follow-ups are cancelled in the same transaction.
    """
    with db.atomic():
        _move(
            db,
            referral_id,
            ReferralStatus.DECLINED,
            on,
            clock,
            declined_on=on,
            decline_reason=(reason or "").strip() or None,
            snomed_code=SNOMED_DECLINED[0],
        )
        cancel_planned_followups(db, referral_id, CLOSED_WORDS[ReferralStatus.DECLINED], clock)
    return SNOMED_DECLINED


def mark_not_reached(
    db: Database, referral_id: int, on: date, clock: Clock, *, threshold: int
) -> int:
    """Close a referral as not reached; needs ``threshold`` unsuccessful attempts first.

    The attempts that count are those since the person was last reached. The referral's
    planned follow-ups are cancelled in the same transaction; returns how many.
    """
    with db.atomic():
        check_transition(get_referral(db, referral_id)["status"], ReferralStatus.NOT_REACHED)
        made = unanswered_attempts(db, referral_id)
        if made < threshold:
            raise CaseloadError(
                f"only {made} of {threshold} contact attempts are logged; log the attempts "
                "before marking the referral not reached"
            )
        _move(db, referral_id, ReferralStatus.NOT_REACHED, on, clock, not_reached_on=on)
        return cancel_planned_followups(
            db, referral_id, CLOSED_WORDS[ReferralStatus.NOT_REACHED], clock
        )


def discharge(
    db: Database,
    referral_id: int,
    on: date,
    reason: DischargeReason,
    summary: str | None,
    clock: Clock,
) -> int:
    """Close an accepted referral with a reason and a summary; the person stays on record.

    The referral's planned follow-ups are cancelled in the same transaction; returns how many.
    """
    with db.atomic():
        _move(
            db,
            referral_id,
            ReferralStatus.DISCHARGED,
            on,
            clock,
            discharged_on=on,
            discharge_reason=reason,
            discharge_summary=(summary or "").strip() or None,
        )
        return cancel_planned_followups(
            db, referral_id, CLOSED_WORDS[ReferralStatus.DISCHARGED], clock
        )
