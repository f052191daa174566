"""The directory's rows as typed dicts, and reading one activity or a page of them back.

Every function of :mod:`linkworker.directory` that returns a stored row returns one of these
instead of ``dict[str, Any]``; JSON columns (categories, schedules, ...) stay JSON text.
"""

from __future__ import annotations

import json
from typing import Any, Literal, TypedDict, cast

from sqlite_utils import Database


class DirectoryError(ValueError):
    """A directory action is not allowed; the message says why, in the link worker's words."""


class ActivityRow(TypedDict):
    """A row of the ``activities`` table (an Open Referral UK service plus the worker's own)."""

    id: int
    source_id: str
    name: str
    organisation: str | None
    description: str | None
    status: str  # active, inactive, defunct, temporarily closed (oruk.STATUSES)
    categories: str  # JSON list of labels
    category_codes: str  # JSON list of codes, in step with categories
    venue: str | None
    address: str | None
    town: str | None
    postcode: str | None
    latitude: float | None
    longitude: float | None
    schedules: str  # JSON list of schedule objects (byday, opens_at, ...)
    days: str  # JSON list of weekday codes
    schedule_text: str | None
    cost: str | None
    is_free: int | None
    eligibility: str | None
    min_age: int | None
    max_age: int | None
    languages: str  # JSON list
    accessibility: str | None
    phone: str | None
    email: str | None
    url: str | None
    contact_name: str | None
    assured_date: str | None
    alert: str | None
    extra: str  # JSON object of fields kept from the feed
    locations: str  # JSON list: every location of the feed (id, name, address, country...)
    phones: str  # JSON list: every phone (id, number, extension, type, description)
    contacts: str  # JSON list: every contact (id, name, title, department, email, phone)
    cost_options: str  # JSON list: every cost option (id, option, amount, currency...)
    organisation_id: str | None
    feed_source: str | None  # the feed (file or URL) that last listed it
    retired_by_feed: int  # 1: a feed retired it; listed again, it comes back
    missing_pulls: int  # complete whole-directory pulls in a row that did not list it
    hand_edited: str  # JSON list of imported columns edited by hand (imports leave them)
    origin: Literal["import", "hand"]
    retired: int
    notes: str | None
    favourite: int
    verified_on: str | None
    #: JSON object: what the link worker knows that feeds lack (directory/knowledge.py).
    worker_knowledge: str
    #: The name folded and the postcode (computed by SQLite, m012): likely duplicates share it.
    duplicate_key: str | None
    created_at: str
    updated_at: str


class ConnectionRow(TypedDict):
    """A row of the ``connections`` table: a person linked to an activity."""

    id: int
    person_id: int
    activity_id: int
    referral_id: int | None
    kind: Literal["signpost", "referral"]
    status: Literal["suggested", "referred", "attended", "attending", "stopped"]
    suggested_on: str
    referred_on: str | None
    attended_on: str | None
    stopped_on: str | None
    status_changed_on: str
    feedback: str | None
    created_at: str
    updated_at: str
    #: When and why the entry was struck out as entered in error (corrections.py).
    entered_in_error_at: str | None
    entered_in_error_reason: str | None


class ConnectionWithActivity(ConnectionRow):
    """A connection as a person's history shows it: with its activity's name and state."""

    activity_name: str
    activity_retired: int
    activity_status: str
    activity_when: str | None


class ConnectionWithPerson(ConnectionRow):
    """A connection as an activity's list of people shows it."""

    person_name: str


def activity_rows(db: Database, sql: str, params: list[object] | None = None) -> list[ActivityRow]:
    """The rows of a ``SELECT * FROM activities ...`` query."""
    return [cast(ActivityRow, row) for row in db.query(sql, params or [])]


def get_activity(db: Database, activity_id: int) -> ActivityRow:
    """One activity; LookupError names the id when there is none."""
    rows = activity_rows(db, "SELECT * FROM activities WHERE id = ?", [activity_id])
    if not rows:
        raise LookupError(f"no activity with id {activity_id}")
    return rows[0]


def activity_count(db: Database, *, include_retired: bool = False) -> int:
    """How many activities the directory holds."""
    where = "" if include_retired else " WHERE retired = 0"
    return int(db.execute(f"SELECT count(*) FROM activities{where}").fetchone()[0])


def list_activities(
    db: Database, *, limit: int = 200, offset: int = 0, include_retired: bool = False
) -> list[ActivityRow]:
    """Activities in name order (the directory screen pages through these)."""
    where = "" if include_retired else "WHERE retired = 0"
    return activity_rows(
        db,
        f"SELECT * FROM activities {where} ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?",
        [limit, offset],
    )


def json_value(value: str | None, default: Any) -> Any:
    """A JSON column decoded, or ``default`` when it is empty or not JSON."""
    try:
        return json.loads(value) if value else default
    except json.JSONDecodeError:
        return default


def decode_list(value: str | None) -> list[str]:
    """A JSON list column as a Python list of strings (empty on anything odd)."""
    try:
        decoded = json.loads(value or "[]")
    except json.JSONDecodeError:
        return []
    return [str(v) for v in decoded] if isinstance(decoded, list) else []
