"""Upcoming follow-ups for the link worker's own calendar: gathered here, written by
:mod:`linkworker.formats.ics`.

By default an event says only the person's initials and the kind of follow-up; with
``identifiable`` it names the person and adds where and what for.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING

from linkworker.display import initials as initials
from linkworker.followups.booking import DEFAULT_DURATION_MINUTES, OPEN_REFERRAL_SQL, full_name
from linkworker.followups.days import london
from linkworker.formats.ics import CalendarEvent, calendar_ics

if TYPE_CHECKING:
    from sqlite_utils import Database

#: How far ahead the calendar export looks by default (today included).
CALENDAR_DAYS = 28


def _utc(stamp: str) -> datetime:
    # Stamps are stored as the link worker's clock shows them, without a zone: London time,
    # read as such whatever zone the machine is set to (DTSTAMP must not move with it).
    return datetime.fromisoformat(stamp).replace(tzinfo=london()).astimezone(UTC)


@dataclass
class CalendarExport:
    """The .ics bytes and what they hold: ``events`` planned follow-ups and ``cancelled``
    ones sent as cancelled."""

    data: bytes
    events: int
    first: date
    last: date
    identifiable: bool
    cancelled: int = 0


def calendar_events(
    db: Database, first: date, last: date, *, identifiable: bool = False
) -> list[CalendarEvent]:
    """Follow-ups due from ``first`` to ``last``, as events: the planned ones on open
    referrals, and the cancelled ones (however their referral ended) marked cancelled, so a
    calendar that imported them before drops them."""
    events = []
    for row in db.query(
        "SELECT f.*, p.given_name, p.family_name, "
        # person_id first: the audit table is indexed by person, not by record.
        "(SELECT count(DISTINCT a.at) FROM audit a WHERE a.person_id = f.person_id "
        "  AND a.table_name = 'followups' AND a.record_id = f.id AND a.action = 'update') "
        "  AS changes "
        "FROM followups f JOIN people p ON p.id = f.person_id "
        "LEFT JOIN referrals r ON r.id = f.referral_id "
        "WHERE f.due_on BETWEEN ? AND ? "
        "AND (f.status = 'cancelled' OR (f.status = 'planned' "
        f"AND (f.referral_id IS NULL OR r.status IN {OPEN_REFERRAL_SQL}))) "
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
                uid=str(row["calendar_uid"]),
                summary=f"{who} – {kind} follow-up",
                day=date.fromisoformat(row["due_on"]),
                start=start,
                minutes=int(row["duration_minutes"] or DEFAULT_DURATION_MINUTES),
                created=_utc(row["created_at"]),
                modified=_utc(row["updated_at"]),
                sequence=int(row["changes"] or 0),
                location=row["location"] if identifiable else None,
                description=row["purpose"] if identifiable else None,
                cancelled=row["status"] == "cancelled",
            )
        )
    return events


def calendar(
    db: Database, today: date, *, days: int = CALENDAR_DAYS, identifiable: bool = False
) -> CalendarExport:
    """Planned follow-ups from ``today`` for ``days`` days as an RFC 5545 calendar.

    Each event's UID is the follow-up's own random one (stored when it was booked, never
    reused), and its SEQUENCE counts the changes made to it, so importing a newer export
    updates events rather than duplicating them, and cancels the cancelled ones.
    """
    if days < 1:
        raise ValueError("days: give 1 or more")
    last = today + timedelta(days=days - 1)
    events = calendar_events(db, today, last, identifiable=identifiable)
    cancelled = sum(e.cancelled for e in events)
    return CalendarExport(
        calendar_ics(events), len(events) - cancelled, today, last, identifiable, cancelled
    )
