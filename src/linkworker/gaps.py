"""Unmet needs: what a person needs that no activity in the directory answers, or that a
barrier (cost, a waiting list, transport, access, language, timing) keeps them from.

A gap is part of the person's record (``gaps`` is in PERSONAL_TABLES: erased with them,
in their subject access export, every write audited). It keeps only the postcode district
of where they live (``HV2``), copied when it is recorded, so the gap report for
commissioners and funders never reads a full postcode.
"""

from __future__ import annotations

from typing import TypedDict, cast

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.models import GapDetails
from linkworker.people import get_person
from linkworker.store import audit
from linkworker.validation import check_plain_text


class GapRow(TypedDict):
    """A stored unmet need."""

    id: int
    person_id: int
    recorded_on: str
    need: str
    barrier: str
    area: str | None
    searched: str | None
    note: str | None
    entered_in_error_at: str | None


def postcode_district(postcode: object) -> str | None:
    """The outward code of a postcode ('HV2' of 'HV2 1AB'); None when there is none.

    Postcodes are stored normalised (upper case, one space), so the district is the part
    before the space; a postcode without its inward half is already a district.
    """
    if not isinstance(postcode, str) or not postcode.strip():
        return None
    return postcode.strip().upper().split()[0]


def record_gap(db: Database, person_id: int, details: GapDetails, clock: Clock) -> int:
    """Record an unmet need for a person; returns its id.

    The area is the district of the postcode on their record today (None without one).
    """
    for name in ("note", "searched"):
        text = getattr(details, name)
        if text:
            try:
                check_plain_text(text, multiline=name == "note")
            except ValueError as exc:
                raise ValueError(f"{name}: {exc}") from exc
    with db.atomic():
        person = get_person(db, person_id)
        values = details.model_dump()
        values.update(person_id=person_id, area=postcode_district(person["postcode"]))
        return audit.insert(db, "gaps", values, person_id=person_id, clock=clock)


def person_gaps(db: Database, person_id: int) -> list[GapRow]:
    """The person's unmet needs, newest first (struck-out ones left out)."""
    rows = db.query(
        "SELECT id, person_id, recorded_on, need, barrier, area, searched, note, "
        "entered_in_error_at FROM gaps WHERE person_id = ? AND entered_in_error_at IS NULL "
        "ORDER BY recorded_on DESC, id DESC",
        [person_id],
    )
    return [cast(GapRow, row) for row in rows]
