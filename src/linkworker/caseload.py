"""The caseload list: who is on it, filtered, sorted and paged, and counted by status.

Reads go through ``person_summary`` (one row per person, kept by triggers) so filtering and
sorting stay in SQL. People are :mod:`linkworker.people`'s and their episodes
:mod:`linkworker.referrals`'; this module only lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from linkworker.people import PersonIdentity
from linkworker.store import finding
from linkworker.store.handed_over import handed_over_people
from linkworker.validation import ValidationError, age_on, parse_date
from linkworker.vocabulary import OPEN_STATUSES, ReferralStatus

if TYPE_CHECKING:
    from sqlite_utils import Database

    from linkworker.store.db import Reads

PAGE_SIZE = 200

#: Sortable caseload columns -> SQL expression (NULLs last whichever way round).
SORT_COLUMNS: dict[str, str] = {
    "name": "s.sort_name COLLATE NOCASE",
    "age": "s.date_of_birth",
    "status": "s.status",
    "referred": "s.received_on",
    "last_contact": "s.last_contact_at",
    "next_followup": "s.next_followup_on",
    "contacts": "s.contacts",
    "flags": "s.flags",
}


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
    date_of_birth: str | None = None
    #: "handed over to Bea Jones on 2 Dec 2026" when the case went to a colleague.
    handed_over: str | None = None


def _typed_birthday(text: str) -> date | None:
    """The date of birth a search is for, when what was typed is a date (23/11/1950)."""
    if not any(c.isdigit() for c in text) or not any(c in "/-. " for c in text):
        return None
    try:
        return parse_date(text)
    except ValidationError:
        return None


def finding_clauses(typed: str) -> tuple[list[str], list[Any]]:
    """SQL on ``person_summary s`` finding people as they are spoken of.

    Case, accents, apostrophes, hyphens and spaces are ignored on given, family and
    preferred names; an NHS number or phone matches with or without its spaces, a postcode
    with or without its space; a date (23/11/1950) finds the people born that day.
    """
    text = typed.strip()
    if not text:
        return [], []
    born = _typed_birthday(text)
    if born is not None:
        return ["s.date_of_birth = ?"], [born.isoformat()]
    compact = text.replace(" ", "")
    # A number typed in groups (943 476 5919, 07700 900123) is one number.
    words = [compact] if compact.lstrip("+").isdigit() else text.split()
    folded = [w for w in (finding.fold(word).replace("|", "") for word in words) if w]
    # ESCAPE only where a word holds a wildcard character: it costs every row a little.
    clauses = [
        "s.find_text LIKE ? ESCAPE '\\'" if set(w) & set("%_\\") else "s.find_text LIKE ?"
        for w in folded
    ]
    return clauses, [finding.like_pattern(w) for w in folded]


def _where(f: CaseloadFilter) -> tuple[str, list[Any]]:
    clauses, params = finding_clauses(f.text)
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
    locks = handed_over_people(db, [r.person_id for r in result])
    for row in result:
        if row.person_id in locks:
            row.handed_over = locks[row.person_id].words()
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
        date_of_birth=r["date_of_birth"],
    )


def status_counts(db: Reads) -> dict[str, int]:
    """People by the status of their current referral ('none' for no referral yet)."""
    counts: dict[str, int] = {}
    for status, n in db.execute(
        "SELECT coalesce(status, 'none'), count(*) FROM person_summary GROUP BY 1"
    ).fetchall():
        counts[str(status)] = int(n)
    return counts


# --- Lists for the command line ------------------------------------------------------------

#: What `people list --status` accepts: every referral status, 'open' and 'none'.
STATUS_FILTERS = [*(s.value for s in ReferralStatus), "open", "none"]


class PersonListRow(PersonIdentity):
    """One line of `people list`: the person and their current referral (None: no referral)."""

    status: str | None
    referral_id: int | None
    received_on: str | None
    contacts: int
    flags: str | None  # open flag kinds, comma-separated


def list_people(db: Database, status: str | None = None) -> list[PersonListRow]:
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
    rows = db.query(
        "SELECT p.id, p.given_name, p.family_name, p.preferred_name, p.date_of_birth, "
        "p.nhs_number, p.postcode, s.status, s.referral_id, s.received_on, s.contacts, "
        "s.flags FROM people p JOIN person_summary s ON s.person_id = p.id"
        f"{where} ORDER BY p.family_name COLLATE NOCASE, p.given_name COLLATE NOCASE, p.id",
        params,
    )
    return [cast(PersonListRow, row) for row in rows]
