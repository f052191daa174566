"""Upcoming follow-ups for the link worker's own calendar: gathered here, written by
:mod:`linkworker.formats.ics`.

By default an event says only the person's initials and the kind of follow-up; with
``identifiable`` it names the person and adds where and what for.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from sqlite_utils import Database

from linkworker.followups.booking import DEFAULT_DURATION_MINUTES, OPEN_REFERRAL_SQL, full_name
from linkworker.formats.ics import CalendarEvent, calendar_ics

#: How far ahead the calendar export looks by default (today included).
CALENDAR_DAYS = 28


def store_uuid(db: Database) -> str:
    """A random id for this store, made once and kept in ``meta`` (calendar UIDs use it)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'store_uuid'").fetchone()
    if row:
        return str(row[0])
    value = str(uuid.uuid4())
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('store_uuid', ?)", [value])
    return str(db.execute("SELECT value FROM meta WHERE key = 'store_uuid'").fetchone()[0])


def needs_store_uuid(db: Database) -> bool:
    """True until the store has its calendar id (made once, so the first export writes)."""
    return db.execute("SELECT 1 FROM meta WHERE key = 'store_uuid'").fetchone() is None


def followup_uid(followup_id: int, store: str) -> str:
    """The calendar UID of a follow-up: the same on every export, so re-importing updates it."""
    return f"followup-{followup_id}@linkworker.{store}"


def initials(given: str | None, family: str | None) -> str:
    """'J.S.' for Joan Smith: enough for a calendar without naming anyone."""
    letters = [
        next((ch.upper() for ch in (part or "") if ch.isalnum()), "") for part in (given, family)
    ]
    return "".join(f"{ch}." for ch in letters if ch) or "?"


def _utc(stamp: str) -> datetime:
    # Stamps are stored in local time without a zone; astimezone() reads them as local.
    return datetime.fromisoformat(stamp).astimezone(UTC)


@dataclass
class CalendarExport:
    """The .ics bytes and what they hold."""

    data: bytes
    events: int
    first: date
    last: date
    identifiable: bool


def calendar_events(
    db: Database, first: date, last: date, *, identifiable: bool = False
) -> list[CalendarEvent]:
    """Planned follow-ups on open referrals due from ``first`` to ``last``, as events."""
    store = store_uuid(db)
    events = []
    for row in db.query(
        "SELECT f.*, p.given_name, p.family_name, "
        # person_id first: the audit table is indexed by person, not by record.
        "(SELECT count(DISTINCT a.at) FROM audit a WHERE a.person_id = f.person_id "
        "  AND a.table_name = 'followups' AND a.record_id = f.id AND a.action = 'update') "
        "  AS changes "
        "FROM followups f JOIN people p ON p.id = f.person_id "
        "LEFT JOIN referrals r ON r.id = f.referral_id "
        "WHERE f.status = 'planned' AND f.due_on BETWEEN ? AND ? "
        f"AND (f.referral_id IS NULL OR r.status IN {OPEN_REFERRAL_SQL}) "
        "ORDER BY f.due_on, f.due_time IS NULL, f.due_time, f.id",
        [first.isoformat(), last.isoformat()],
    ):
        kind = str(row["kind"]).replace("_", " ")
        who = full_name(row) if identifiable else initials(row["given_name"], row["family_name"])
        start = None
        if row["due_time"]:
            hours, minutes = (int(x) for x in row["due_time"].split(":"))
            start = time(hours, minutes)
        events.append(
            CalendarEvent(
                uid=followup_uid(int(row["id"]), store),
                summary=f"{who} – {kind} follow-up",
                day=date.fromisoformat(row["due_on"]),
                start=start,
                minutes=int(row["duration_minutes"] or DEFAULT_DURATION_MINUTES),
                created=_utc(row["created_at"]),
                modified=_utc(row["updated_at"]),
                sequence=int(row["changes"] or 0),
                location=row["location"] if identifiable else None,
                description=row["purpose"] if identifiable else None,
            )
        )
    return events


def calendar(
    db: Database, today: date, *, days: int = CALENDAR_DAYS, identifiable: bool = False
) -> CalendarExport:
    """Planned follow-ups from ``today`` for ``days`` days as an RFC 5545 calendar.

    Each event's UID comes from the follow-up id and the store, and its SEQUENCE counts the
    changes made to it, so importing a newer export updates events rather than duplicating
    them.
    """
    if days < 1:
        raise ValueError("days: give 1 or more")
    last = today + timedelta(days=days - 1)
    events = calendar_events(db, today, last, identifiable=identifiable)
    return CalendarExport(calendar_ics(events), len(events), today, last, identifiable)
