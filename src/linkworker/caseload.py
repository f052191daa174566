"""People, referrals and contacts: the caseload, as plain functions over the store.

Every function that writes takes a :class:`~linkworker.clock.Clock` and runs as one
transaction with its audit rows. Reads for the caseload table go through
``person_summary`` (kept by triggers) so filtering and sorting stay in SQL.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlite_utils import Database

from linkworker import audit
from linkworker.clock import Clock
from linkworker.models import (
    OPEN_STATUSES,
    SNOMED_DECLINED,
    SNOMED_REFERRED,
    ContactDetails,
    DischargeReason,
    FlagDetails,
    PersonDetails,
    ReferralDetails,
    ReferralStatus,
)
from linkworker.validation import age_on

PAGE_SIZE = 200

#: Sortable caseload columns -> SQL expression (NULLs last whichever way round).
SORT_COLUMNS: dict[str, str] = {
    "name": "s.full_name COLLATE NOCASE",
    "age": "s.date_of_birth",
    "status": "s.status",
    "referred": "s.received_on",
    "last_contact": "s.last_contact_at",
    "next_followup": "s.next_followup_on",
    "contacts": "s.contacts",
    "flags": "s.flags",
}


class CaseloadError(ValueError):
    """A caseload action is not allowed (the message says why, in the link worker's words)."""


def person_details_row(details: PersonDetails) -> dict[str, Any]:
    """The people-table columns for a validated PersonDetails."""
    return details.model_dump()


def add_person(db: Database, details: PersonDetails, clock: Clock) -> int:
    """Store a new person; returns their id."""
    with db.atomic():
        return audit.insert(db, "people", details.model_dump(), person_id=None, clock=clock)


def add_referral(db: Database, person_id: int, details: ReferralDetails, clock: Clock) -> int:
    """Open a new referral episode for a person (status 'received')."""
    with db.atomic():
        current = open_referral(db, person_id)
        if current is not None:
            raise CaseloadError(
                f"this person already has an open referral (received {current['received_on']}, "
                f"{ReferralStatus(current['status']).label.lower()}); close it before a new one"
            )
        values = details.model_dump()
        values.update(
            person_id=person_id,
            status=ReferralStatus.RECEIVED,
            status_changed_on=details.received_on,
        )
        return audit.insert(db, "referrals", values, person_id=person_id, clock=clock)


def add_flag(db: Database, person_id: int, details: FlagDetails, clock: Clock) -> int:
    """Raise a risk or safeguarding flag on a person."""
    with db.atomic():
        values = details.model_dump()
        values.update(person_id=person_id, raised_on=clock.today())
        return audit.insert(db, "flags", values, person_id=person_id, clock=clock)


def log_contact(
    db: Database,
    person_id: int,
    details: ContactDetails,
    clock: Clock,
    referral_id: int | None = None,
) -> int:
    """Record a contact (or an unsuccessful attempt) with a person, on their current referral."""
    with db.atomic():
        if referral_id is None:
            current = latest_referral(db, person_id)
            referral_id = int(current["id"]) if current else None
        values = details.model_dump()
        values.update(person_id=person_id, referral_id=referral_id)
        return audit.insert(db, "contacts", values, person_id=person_id, clock=clock)


# --- The referral lifecycle ---------------------------------------------------------------
#
# received -> contacting (attempts logged) -> accepted | declined | not_reached -> discharged.
# A referral can be accepted or declined straight from 'received' (the person rang back).

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

_WHY_NOT: dict[tuple[ReferralStatus, ReferralStatus], str] = {
    (
        ReferralStatus.RECEIVED,
        ReferralStatus.DISCHARGED,
    ): "a referral that was never accepted cannot be discharged; decline it or mark it "
    "not reached instead",
    (
        ReferralStatus.CONTACTING,
        ReferralStatus.DISCHARGED,
    ): "a referral that was never accepted cannot be discharged; decline it or mark it "
    "not reached instead",
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


def get_referral(db: Database, referral_id: int) -> dict[str, Any]:
    """One referral; LookupError names the id when there is none."""
    rows = list(db.query("SELECT * FROM referrals WHERE id = ?", [referral_id]))
    if not rows:
        raise LookupError(f"no referral with id {referral_id}")
    return rows[0]


def _move(
    db: Database,
    referral_id: int,
    target: ReferralStatus,
    on: date,
    clock: Clock,
    **fields: object,
) -> dict[str, Any]:
    with db.atomic():
        referral = get_referral(db, referral_id)
        check_transition(referral["status"], target)
        if on < date.fromisoformat(referral["received_on"]):
            raise CaseloadError(
                f"{on.isoformat()} is before the referral was received ({referral['received_on']})"
            )
        if on > clock.today():
            raise CaseloadError(f"{on.isoformat()} is in the future")
        changes: dict[str, object] = {"status": target, "status_changed_on": on, **fields}
        audit.update(
            db, "referrals", referral_id, changes, person_id=referral["person_id"], clock=clock
        )
        return get_referral(db, referral_id)


@dataclass
class AttemptResult:
    """After an unsuccessful attempt: how many so far, and whether to offer 'not reached'."""

    contact_id: int
    attempts: int
    threshold: int

    @property
    def threshold_reached(self) -> bool:
        return self.attempts >= self.threshold


def attempts_on(db: Database, referral_id: int) -> int:
    """Unsuccessful contact attempts logged on a referral."""
    return int(
        db.execute(
            "SELECT count(*) FROM contacts WHERE referral_id = ? AND attempt = 1", [referral_id]
        ).fetchone()[0]
    )


def log_attempt(
    db: Database, referral_id: int, details: ContactDetails, clock: Clock, *, threshold: int
) -> AttemptResult:
    """Log an unsuccessful attempt to reach the person; 'received' becomes 'contacting'."""
    with db.atomic():
        referral = get_referral(db, referral_id)
        if referral["status"] not in (
            ReferralStatus.RECEIVED,
            ReferralStatus.CONTACTING,
            ReferralStatus.ACCEPTED,
        ):
            raise CaseloadError(
                f"this referral is {ReferralStatus(referral['status']).label.lower()}; "
                "contact attempts are logged on open referrals"
            )
        attempt = details.model_copy(update={"attempt": True})
        contact_id = log_contact(
            db, int(referral["person_id"]), attempt, clock, referral_id=referral_id
        )
        if referral["status"] == ReferralStatus.RECEIVED:
            on = date.fromisoformat(attempt.contact_at[:10])
            _move(
                db,
                referral_id,
                ReferralStatus.CONTACTING,
                max(on, date.fromisoformat(referral["received_on"])),
                clock,
            )
        return AttemptResult(contact_id, attempts_on(db, referral_id), threshold)


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


def decline(
    db: Database, referral_id: int, on: date, clock: Clock, reason: str | None = None
) -> tuple[str, str]:
    """The person declines; returns the SNOMED CT code and term to record."""
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
    return SNOMED_DECLINED


def mark_not_reached(
    db: Database, referral_id: int, on: date, clock: Clock, *, threshold: int
) -> None:
    """Close a referral as not reached; needs ``threshold`` unsuccessful attempts first."""
    made = attempts_on(db, referral_id)
    if made < threshold:
        raise CaseloadError(
            f"only {made} of {threshold} contact attempts are logged; log the attempts before "
            "marking the referral not reached"
        )
    _move(db, referral_id, ReferralStatus.NOT_REACHED, on, clock, not_reached_on=on)


def discharge(
    db: Database,
    referral_id: int,
    on: date,
    reason: DischargeReason,
    summary: str | None,
    clock: Clock,
) -> None:
    """Close an accepted referral with a reason and a summary; the person stays on record."""
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


def get_person(db: Database, person_id: int) -> dict[str, Any]:
    """One person's row; LookupError names the id when there is none."""
    rows = list(db.query("SELECT * FROM people WHERE id = ?", [person_id]))
    if not rows:
        raise LookupError(f"no person with id {person_id}")
    return rows[0]


def latest_referral(db: Database, person_id: int) -> dict[str, Any] | None:
    """The person's most recent referral episode, open or closed."""
    rows = list(
        db.query(
            "SELECT * FROM referrals WHERE person_id = ? "
            "ORDER BY received_on DESC, id DESC LIMIT 1",
            [person_id],
        )
    )
    return rows[0] if rows else None


def open_referral(db: Database, person_id: int) -> dict[str, Any] | None:
    """The person's referral that is still being worked, if any."""
    placeholders = ", ".join("?" for _ in OPEN_STATUSES)
    rows = list(
        db.query(
            f"SELECT * FROM referrals WHERE person_id = ? AND status IN ({placeholders}) "
            "ORDER BY received_on DESC, id DESC LIMIT 1",
            [person_id, *[s.value for s in OPEN_STATUSES]],
        )
    )
    return rows[0] if rows else None


@dataclass
class CaseloadFilter:
    """What the caseload table is narrowed to; every field is applied in SQL."""

    text: str = ""
    statuses: list[str] = field(default_factory=list)
    need: str | None = None
    source: str | None = None
    sort: str = "referred"
    descending: bool = True


@dataclass
class CaseloadRow:
    """One line of the caseload table, in display-ready facts."""

    person_id: int
    name: str
    age: int | None
    status: str | None
    referred_on: str | None
    days_since_contact: int | None
    next_followup_on: str | None
    contacts: int
    flags: list[str]
    nhs_number: str | None


def _where(f: CaseloadFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    text = f.text.strip().lower()
    if text:
        digits = text.replace(" ", "")
        if digits.isdigit():
            clauses.append("s.nhs_number LIKE ?")
            params.append(digits + "%")
        else:
            for word in text.split():
                clauses.append("s.search_text LIKE ?")
                params.append(f"%{word}%")
    if f.statuses:
        clauses.append(f"s.status IN ({', '.join('?' for _ in f.statuses)})")
        params.extend(f.statuses)
    if f.need:
        clauses.append("EXISTS (SELECT 1 FROM json_each(s.needs) WHERE value = ?)")
        params.append(f.need)
    if f.source:
        clauses.append("s.source = ?")
        params.append(f.source)
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def caseload_count(db: Database, f: CaseloadFilter) -> int:
    """How many people match a filter."""
    where, params = _where(f)
    return int(db.execute(f"SELECT count(*) FROM person_summary s{where}", params).fetchone()[0])


def caseload_page(
    db: Database, f: CaseloadFilter, today: date, *, limit: int = PAGE_SIZE, offset: int = 0
) -> list[CaseloadRow]:
    """One page of the caseload table, filtered and sorted in SQL."""
    where, params = _where(f)
    order = SORT_COLUMNS.get(f.sort, SORT_COLUMNS["referred"])
    direction = "DESC" if f.descending else "ASC"
    sql = (
        "SELECT s.* FROM person_summary s"
        f"{where} ORDER BY ({order}) IS NULL, {order} {direction}, s.person_id "
        "LIMIT ? OFFSET ?"
    )
    rows = db.execute(sql, [*params, limit, offset])
    names = [d[0] for d in rows.description]
    result = []
    for values in rows.fetchall():
        r = dict(zip(names, values, strict=True))
        result.append(_caseload_row(r, today))
    return result


def _caseload_row(r: dict[str, Any], today: date) -> CaseloadRow:
    age = None
    if r["date_of_birth"]:
        age = age_on(date.fromisoformat(r["date_of_birth"]), today)
    since = None
    if r["last_contact_at"]:
        since = (today - date.fromisoformat(r["last_contact_at"][:10])).days
    return CaseloadRow(
        person_id=int(r["person_id"]),
        name=r["full_name"],
        age=age,
        status=r["status"],
        referred_on=r["received_on"],
        days_since_contact=since,
        next_followup_on=r["next_followup_on"],
        contacts=int(r["contacts"] or 0),
        flags=[f for f in (r["flags"] or "").split(",") if f],
        nhs_number=r["nhs_number"],
    )


def status_counts(db: Database) -> dict[str, int]:
    """People by the status of their current referral ('none' for no referral yet)."""
    counts: dict[str, int] = {}
    for status, n in db.execute(
        "SELECT coalesce(status, 'none'), count(*) FROM person_summary GROUP BY 1"
    ).fetchall():
        counts[str(status)] = int(n)
    return counts


def needs_of(row: dict[str, Any]) -> list[str]:
    """The need codes stored on a referral row."""
    try:
        value = json.loads(row.get("needs") or "[]")
    except json.JSONDecodeError:
        return []
    return [str(n) for n in value] if isinstance(value, list) else []
