"""People on record: adding, reading and editing a person, their flags, and finding duplicates.

Every function that writes takes a :class:`~linkworker.clock.Clock` and runs as one
transaction with its audit rows. A person's referrals (episodes) are
:mod:`linkworker.referrals`'; this module knows nothing of their lifecycle.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, cast

from linkworker.clock import Clock
from linkworker.errors import CaseloadError
from linkworker.store import audit
from linkworker.store.db import row_by_id
from linkworker.validation import check_plain_text, format_nhs_number
from linkworker.vocabulary import OPEN_STATUSES, FlagKind

if TYPE_CHECKING:
    from sqlite_utils import Database

    from linkworker.models import FlagDetails, PersonDetails


class PersonIdentity(TypedDict):
    """Who the person is, as the ``people`` table stores it: what every person row carries."""

    id: int
    given_name: str
    family_name: str
    preferred_name: str | None
    date_of_birth: str | None
    nhs_number: str | None
    postcode: str | None


class PersonRow(PersonIdentity):
    """One row of the ``people`` table, as stored (dates ISO text, consent 1/0/None)."""

    sex: str | None
    ethnicity: str | None
    ethnic_group: str | None
    phone: str | None
    email: str | None
    address: str | None
    preferred_contact: str | None
    gp_practice: str | None
    communication_needs: str | None
    consent_to_share_gp: int | None
    consent_date: str | None
    created_at: str
    updated_at: str


class FlagRow(TypedDict):
    """One row of the ``flags`` table: a risk or safeguarding flag, cleared or not."""

    id: int
    person_id: int
    kind: str
    note: str | None
    raised_on: str
    cleared_on: str | None
    #: Why it was cleared: needed for a safeguarding or lone-working flag.
    cleared_reason: str | None
    created_at: str
    #: When and why the entry was struck out as entered in error (corrections.py).
    entered_in_error_at: str | None
    entered_in_error_reason: str | None


def add_person(db: Database, details: PersonDetails, clock: Clock) -> int:
    """Store a new person; returns their id."""
    with db.atomic():
        return audit.insert(db, "people", details.model_dump(), person_id=None, clock=clock)


def get_person(db: Database, person_id: int) -> PersonRow:
    """One person's row; LookupError names the id when there is none."""
    return cast(PersonRow, row_by_id(db, "people", person_id, "person"))


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
            check_nhs_free(db, details.nhs_number, person_id)
        return audit.update(
            db, "people", person_id, details.model_dump(), person_id=person_id, clock=clock
        )


def fill_blanks(
    db: Database, existing: PersonRow, person: PersonDetails, clock: Clock
) -> dict[str, tuple[object, object]]:
    """Fill in what a person's record lacks from newly given details; nothing is overwritten.

    A different NHS number from the one on record is refused (it names another person).
    Returns {field: (old, new)} for what was filled.
    """
    pid = int(existing["id"])
    if person.nhs_number and existing["nhs_number"] and person.nhs_number != existing["nhs_number"]:
        raise CaseloadError(
            f"{format_nhs_number(person.nhs_number)} is not the NHS number on this person's "
            f"record ({format_nhs_number(existing['nhs_number'])})",
            field="nhs_number",
        )
    if person.nhs_number and not existing["nhs_number"]:
        check_nhs_free(db, person.nhs_number, pid)
    recorded: dict[str, object] = dict(existing)
    gaps = {
        name: value
        for name, value in person.model_dump().items()
        if value is not None and recorded.get(name) in (None, "")
    }
    return audit.update(db, "people", pid, gaps, person_id=pid, clock=clock) if gaps else {}


def check_nhs_free(db: Database, nhs_number: str, person_id: int | None) -> None:
    """Raise CaseloadError when the NHS number is already on someone else's record."""
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


# --- Flags ------------------------------------------------------------------------------


def add_flag(db: Database, person_id: int, details: FlagDetails, clock: Clock) -> int:
    """Raise a risk or safeguarding flag on a person."""
    with db.atomic():
        values = details.model_dump()
        values.update(person_id=person_id, raised_on=clock.today())
        return audit.insert(db, "flags", values, person_id=person_id, clock=clock)


def open_flags(db: Database, person_id: int) -> list[FlagRow]:
    """The person's flags not yet cleared: safeguarding, lone working, others; oldest first."""
    # Safeguarding first, then lone working: the flags that keep someone safe lead.
    rows = db.query(
        "SELECT * FROM flags WHERE person_id = ? AND cleared_on IS NULL "
        "AND entered_in_error_at IS NULL ORDER BY "
        "CASE kind WHEN 'safeguarding' THEN 0 WHEN 'lone_working' THEN 1 ELSE 2 END, "
        "raised_on, id",
        [person_id],
    )
    return [cast(FlagRow, row) for row in rows]


#: Flags that keep someone safe: clearing one needs a reason, kept with the flag.
REASON_TO_CLEAR = frozenset({"safeguarding", "lone_working"})


def clear_flag(db: Database, flag_id: int, clock: Clock, *, reason: str = "") -> None:
    """Clear a flag today; it stays on the record (and the timeline) as cleared.

    A safeguarding or lone-working flag is cleared only with a reason, stored beside it.
    """
    reason = reason.strip()
    try:
        check_plain_text(reason, multiline=False)
    except ValueError as exc:
        raise CaseloadError(f"the reason: {exc}", field="reason") from exc
    with db.atomic():
        rows = list(db.query("SELECT * FROM flags WHERE id = ?", [flag_id]))
        if not rows:
            raise LookupError(f"no flag with id {flag_id}")
        flag = cast(FlagRow, rows[0])
        if flag["cleared_on"]:
            raise CaseloadError(f"this flag was already cleared on {flag['cleared_on']}")
        if flag["kind"] in REASON_TO_CLEAR and not reason:
            raise CaseloadError(
                f"say why the {FlagKind(flag['kind']).label.lower()} flag is being cleared",
                field="reason",
            )
        audit.update(
            db,
            "flags",
            flag_id,
            {"cleared_on": clock.today(), "cleared_reason": reason or None},
            person_id=int(flag["person_id"]),
            clock=clock,
        )


# --- Already on record? -------------------------------------------------------------------

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
    #: Who-they-are fields the referral gives differently (IDENTITY_FIELDS, in that order).
    differs: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def has_open_referral(self) -> bool:
        return self.status in {s.value for s in OPEN_STATUSES}

    @property
    def identity_differs(self) -> bool:
        """Matched on NHS number, but the name or date of birth is not the one on record."""
        return self.matched_on == MATCHED_ON_NHS and bool(self.differs)


#: The fields that say who someone is, compared when an NHS number matches.
IDENTITY_FIELDS = ("given_name", "family_name", "date_of_birth")


def identity_differences(details: PersonDetails, row: dict[str, object]) -> tuple[str, ...]:
    """Which of name and date of birth ``details`` gives differently from the record ``row``.

    Names are compared as the duplicate check does (case, spaces, hyphens and apostrophes
    ignored); a date of birth missing on either side is not a difference.
    """
    found: list[str] = []
    for name in ("given_name", "family_name"):
        if name_key(str(row[name])) != name_key(getattr(details, name)):
            found.append(name)
    born = row.get("date_of_birth")
    if details.date_of_birth and born and str(born) != details.date_of_birth.isoformat():
        found.append("date_of_birth")
    return tuple(found)


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


# The person's latest referral status comes from person_summary (kept by triggers with the
# same "latest referral" rule as referrals.latest_referral), so people needs no referrals.
_CANDIDATES = (
    "SELECT p.id, p.given_name, p.family_name, p.date_of_birth, p.nhs_number, p.postcode, "
    "s.status FROM people p LEFT JOIN person_summary s ON s.person_id = p.id "
)


def find_duplicates(
    db: Database, details: PersonDetails, *, exclude_person_id: int | None = None
) -> list[PersonMatch]:
    """People already on record with the same NHS number, or the same name and date of birth.

    A same-name-and-birthday match is left out when both records have NHS numbers and they
    differ: an NHS number belongs to one person only, so those are two people.
    """
    found: dict[int, PersonMatch] = {}

    def add(row: dict[str, object], matched_on: str) -> None:
        pid = int(cast(int, row["id"]))
        if pid == exclude_person_id or pid in found:
            return
        differs = identity_differences(details, row) if matched_on == MATCHED_ON_NHS else ()
        found[pid] = PersonMatch(
            person_id=pid,
            given_name=str(row["given_name"]),
            family_name=str(row["family_name"]),
            date_of_birth=cast("str | None", row["date_of_birth"]),
            nhs_number=cast("str | None", row["nhs_number"]),
            postcode=cast("str | None", row["postcode"]),
            matched_on=matched_on,
            status=cast("str | None", row["status"]),
            differs=differs,
        )

    if details.nhs_number:
        for row in db.query(_CANDIDATES + "WHERE p.nhs_number = ?", [details.nhs_number]):
            add(row, MATCHED_ON_NHS)
    if details.date_of_birth:
        given, family = name_key(details.given_name), name_key(details.family_name)
        for row in db.query(
            _CANDIDATES + "WHERE p.date_of_birth = ? ORDER BY p.id",
            [details.date_of_birth.isoformat()],
        ):
            if name_key(row["given_name"]) != given or name_key(row["family_name"]) != family:
                continue
            if details.nhs_number and row["nhs_number"] and row["nhs_number"] != details.nhs_number:
                continue
            add(row, MATCHED_ON_NAME)
    return list(found.values())
