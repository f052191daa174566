"""People, referrals and contacts: the caseload, as plain functions over the store.

Every function that writes takes a :class:`~linkworker.clock.Clock` and runs as one
transaction with its audit rows. Reads for the caseload table go through
``person_summary`` (kept by triggers) so filtering and sorting stay in SQL.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlite_utils import Database

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
from linkworker.store import audit
from linkworker.validation import age_on, format_nhs_number

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
    """A caseload action is not allowed (the message says why, in the link worker's words).

    ``field`` names the form field the problem belongs to, when there is one, so a form can
    show the message beside it.
    """

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def person_details_row(details: PersonDetails) -> dict[str, Any]:
    """The people-table columns for a validated PersonDetails."""
    return details.model_dump()


def add_person(db: Database, details: PersonDetails, clock: Clock) -> int:
    """Store a new person; returns their id."""
    with db.atomic():
        return audit.insert(db, "people", details.model_dump(), person_id=None, clock=clock)


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
    """Record a contact (or an unsuccessful attempt) with a person, on their current referral.

    Any contact or attempt on a referral that is still 'received' moves it to 'contacting':
    the link worker has started to work it.
    """
    with db.atomic():
        get_person(db, person_id)
        day = date.fromisoformat(details.contact_at[:10])
        if day > clock.today():
            raise CaseloadError(f"{day.isoformat()} is in the future", field="contact_at")
        if referral_id is None:
            current = latest_referral(db, person_id)
            referral_id = int(current["id"]) if current else None
        values = details.model_dump()
        values.update(person_id=person_id, referral_id=referral_id)
        contact_id = audit.insert(db, "contacts", values, person_id=person_id, clock=clock)
        if referral_id is not None:
            referral = get_referral(db, referral_id)
            if referral["status"] == ReferralStatus.RECEIVED:
                received = date.fromisoformat(referral["received_on"])
                _move(db, referral_id, ReferralStatus.CONTACTING, max(day, received), clock)
        return contact_id


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
            "SELECT count(*) FROM contacts WHERE referral_id = ? AND attempt = 1", [referral_id]
        ).fetchone()[0]
    )


def unanswered_attempts(db: Database, referral_id: int) -> int:
    """Unsuccessful attempts on a referral since the last contact that reached the person."""
    return int(
        db.execute(
            "SELECT count(*) FROM contacts WHERE referral_id = ? AND attempt = 1 AND "
            "contact_at > coalesce((SELECT max(contact_at) FROM contacts "
            "WHERE referral_id = ? AND attempt = 0), '')",
            [referral_id, referral_id],
        ).fetchone()[0]
    )


def check_attempt(referral: dict[str, Any]) -> None:
    """Raise CaseloadError unless attempts may be logged on this referral (it is open)."""
    if referral["status"] not in {s.value for s in OPEN_STATUSES}:
        raise CaseloadError(
            f"this referral is {ReferralStatus(referral['status']).label.lower()}; "
            "contact attempts are logged on open referrals"
        )


def referral_progress(db: Database, referral_id: int) -> tuple[int, int]:
    """(contacts that reached the person, unanswered attempts since the last one)."""
    contacts = db.execute(
        "SELECT count(*) FROM contacts WHERE referral_id = ? AND attempt = 0", [referral_id]
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
    """Close a referral as not reached; needs ``threshold`` unsuccessful attempts first.

    The attempts that count are those since the person was last reached.
    """
    check_transition(get_referral(db, referral_id)["status"], ReferralStatus.NOT_REACHED)
    made = unanswered_attempts(db, referral_id)
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


# --- Intake: duplicates, new people and re-referrals --------------------------------------

MATCHED_ON_NHS = "NHS number"
MATCHED_ON_NAME = "name and date of birth"


@dataclass(frozen=True)
class PersonMatch:
    """Someone already on record who may be the person being referred."""

    person_id: int
    given_name: str
    family_name: str
    date_of_birth: str | None
    nhs_number: str | None
    postcode: str | None
    matched_on: str  # MATCHED_ON_NHS or MATCHED_ON_NAME
    status: str | None  # their latest referral's status (None: never referred)

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def has_open_referral(self) -> bool:
        return self.status in {s.value for s in OPEN_STATUSES}


class DuplicatePersonError(CaseloadError):
    """The person being added is (probably) already on record; ``matches`` says who."""

    def __init__(self, matches: list[PersonMatch]) -> None:
        first = matches[0]
        field = "nhs_number" if first.matched_on == MATCHED_ON_NHS else "family_name"
        super().__init__(
            f"{first.name} (id {first.person_id}) is already on record with the same "
            f"{first.matched_on}; add the referral to that person instead",
            field=field,
        )
        self.matches = matches


def name_key(value: str | None) -> str:
    """A name for matching: case, spaces, hyphens, apostrophes and full stops ignored."""
    return re.sub(r"[\s\-'’.]", "", value or "").casefold()


def find_duplicates(
    db: Database, details: PersonDetails, *, exclude_person_id: int | None = None
) -> list[PersonMatch]:
    """People already on record with the same NHS number, or the same name and date of birth.

    A same-name-and-birthday match is left out when both records have NHS numbers and they
    differ: an NHS number belongs to one person only, so those are two people.
    """
    found: dict[int, PersonMatch] = {}

    def add(row: dict[str, Any], matched_on: str) -> None:
        pid = int(row["id"])
        if pid == exclude_person_id or pid in found:
            return
        latest = latest_referral(db, pid)
        found[pid] = PersonMatch(
            person_id=pid,
            given_name=row["given_name"],
            family_name=row["family_name"],
            date_of_birth=row["date_of_birth"],
            nhs_number=row["nhs_number"],
            postcode=row["postcode"],
            matched_on=matched_on,
            status=latest["status"] if latest else None,
        )

    if details.nhs_number:
        for row in db.query("SELECT * FROM people WHERE nhs_number = ?", [details.nhs_number]):
            add(row, MATCHED_ON_NHS)
    if details.date_of_birth:
        given, family = name_key(details.given_name), name_key(details.family_name)
        for row in db.query(
            "SELECT * FROM people WHERE date_of_birth = ? ORDER BY id",
            [details.date_of_birth.isoformat()],
        ):
            if name_key(row["given_name"]) != given or name_key(row["family_name"]) != family:
                continue
            if details.nhs_number and row["nhs_number"] and row["nhs_number"] != details.nhs_number:
                continue
            add(row, MATCHED_ON_NAME)
    return list(found.values())


@dataclass
class IntakeResult:
    """What taking a referral did: whose it is, which episode, and what was new."""

    person_id: int
    referral_id: int
    new_person: bool
    filled: dict[str, tuple[object, object]] = field(default_factory=dict)


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
      same name and date of birth (then :class:`DuplicatePersonError`, listing them). When the
      link worker has checked that a same-name-and-birthday match is someone else,
      ``different_person=True`` adds the new person anyway (never for an NHS number match).
    - ``person_id``: a re-referral, a new episode on that person. Details given in ``person``
      fill in what their record lacks; nothing already recorded is overwritten.

    The person's consent to share with the GP follows the referral when the referral records it.
    """
    with db.atomic():
        filled: dict[str, tuple[object, object]] = {}
        new_person = person_id is None
        if person_id is None:
            if person is None:
                raise ValueError("a referral needs a person: new details or an existing id")
            matches = find_duplicates(db, person)
            by_nhs = [m for m in matches if m.matched_on == MATCHED_ON_NHS]
            if by_nhs or (matches and not different_person):
                raise DuplicatePersonError(by_nhs or matches)
            person_id = add_person(db, person, clock)
        else:
            existing = get_person(db, person_id)
            check_new_referral(db, person_id)
            if person is not None:
                filled = _fill_blanks(db, existing, person, clock)
        referral_id = add_referral(db, person_id, referral, clock)
        if referral.consent_to_share_gp is not None:
            current = get_person(db, person_id)
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
        return IntakeResult(person_id, referral_id, new_person, filled)


def _fill_blanks(
    db: Database, existing: dict[str, Any], person: PersonDetails, clock: Clock
) -> dict[str, tuple[object, object]]:
    pid = int(existing["id"])
    if person.nhs_number and existing["nhs_number"] and person.nhs_number != existing["nhs_number"]:
        raise CaseloadError(
            f"{format_nhs_number(person.nhs_number)} is not the NHS number on this person's "
            f"record ({format_nhs_number(existing['nhs_number'])})",
            field="nhs_number",
        )
    if person.nhs_number and not existing["nhs_number"]:
        _check_nhs_free(db, person.nhs_number, pid)
    gaps = {
        name: value
        for name, value in person.model_dump().items()
        if value is not None and existing.get(name) in (None, "")
    }
    return audit.update(db, "people", pid, gaps, person_id=pid, clock=clock) if gaps else {}


def _check_nhs_free(db: Database, nhs_number: str, person_id: int | None) -> None:
    row = db.execute(
        "SELECT id, given_name, family_name FROM people WHERE nhs_number = ? AND id IS NOT ?",
        [nhs_number, person_id],
    ).fetchone()
    if row is not None:
        raise CaseloadError(
            f"{format_nhs_number(nhs_number)} is already the NHS number of {row[1]} {row[2]} "
            f"(id {row[0]})",
            field="nhs_number",
        )


# --- The person's record: edits, flags ------------------------------------------------------


def update_person(
    db: Database, person_id: int, details: PersonDetails, clock: Clock
) -> dict[str, tuple[object, object]]:
    """Replace a person's details with the edited ones; returns {field: (old, new)} changed.

    Each changed field is audited (old -> new). An NHS number already on someone else's
    record is refused.
    """
    with db.atomic():
        get_person(db, person_id)
        if details.nhs_number:
            _check_nhs_free(db, details.nhs_number, person_id)
        return audit.update(
            db, "people", person_id, details.model_dump(), person_id=person_id, clock=clock
        )


def open_flags(db: Database, person_id: int) -> list[dict[str, Any]]:
    """The person's flags that have not been cleared, oldest first."""
    return list(
        db.query(
            "SELECT * FROM flags WHERE person_id = ? AND cleared_on IS NULL ORDER BY raised_on, id",
            [person_id],
        )
    )


def clear_flag(db: Database, flag_id: int, clock: Clock) -> None:
    """Clear a flag today; it stays on the record (and the timeline) as cleared."""
    with db.atomic():
        rows = list(db.query("SELECT * FROM flags WHERE id = ?", [flag_id]))
        if not rows:
            raise LookupError(f"no flag with id {flag_id}")
        flag = rows[0]
        if flag["cleared_on"]:
            raise CaseloadError(f"this flag was already cleared on {flag['cleared_on']}")
        audit.update(
            db,
            "flags",
            flag_id,
            {"cleared_on": clock.today()},
            person_id=int(flag["person_id"]),
            clock=clock,
        )


# --- Lists for the command line ------------------------------------------------------------

#: What `people list --status` accepts: every referral status, 'open' and 'none'.
STATUS_FILTERS = [*(s.value for s in ReferralStatus), "open", "none"]


def list_people(db: Database, status: str | None = None) -> list[dict[str, Any]]:
    """Everyone on record with their current referral, by family name then given name."""
    where = ""
    params: list[Any] = []
    if status == "open":
        where = f" WHERE s.status IN ({', '.join('?' for _ in OPEN_STATUSES)})"
        params = [s.value for s in OPEN_STATUSES]
    elif status == "none":
        where = " WHERE s.status IS NULL"
    elif status:
        if status not in {s.value for s in ReferralStatus}:
            raise ValueError(f"status '{status}' is not one of: {', '.join(STATUS_FILTERS)}")
        where = " WHERE s.status = ?"
        params = [status]
    return list(
        db.query(
            "SELECT p.id, p.given_name, p.family_name, p.preferred_name, p.date_of_birth, "
            "p.nhs_number, p.postcode, s.status, s.referral_id, s.received_on, s.contacts, "
            "s.flags FROM people p JOIN person_summary s ON s.person_id = p.id"
            f"{where} ORDER BY p.family_name COLLATE NOCASE, p.given_name COLLATE NOCASE, p.id",
            params,
        )
    )
