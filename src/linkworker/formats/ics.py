"""Follow-ups as an iCalendar (RFC 5545) file: pure, from plain event objects.

:mod:`linkworker.followups.calendar_export` gathers the events from the store; this module
only writes them, so it imports no store and can be tested on hand-made events.

Every timed event is London time (``TZID=Europe/London``) with the matching VTIMEZONE,
which icalendar builds from zoneinfo, so Outlook, Google and Apple calendars put it at the
right hour on either side of a clock change; an all-day event is a date. DTSTAMP, CREATED
and LAST-MODIFIED are UTC.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

PRODUCT_ID = "-//linkworker//follow-ups//EN"
CALENDAR_NAME = "linkworker follow-ups"
#: The time zone of every booked time.
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class CalendarEvent:
    """One follow-up as a calendar event.

    ``start`` is a time on the link worker's clock in London; None makes it an all-day
    event. ``created`` and ``modified`` are timezone-aware, and ``sequence`` counts the
    changes made to the event, so a newer export updates it. A ``cancelled`` event tells a
    calendar that imported it before to cancel it.
    """

    uid: str
    summary: str
    day: date
    start: time | None
    minutes: int
    created: datetime
    modified: datetime
    sequence: int
    location: str | None = None
    description: str | None = None
    cancelled: bool = False


def calendar_ics(events: Iterable[CalendarEvent], *, name: str = CALENDAR_NAME) -> bytes:
    """The .ics bytes of a calendar holding ``events``, in the order given."""
    # Loaded on the first export only: starting the app never pays for icalendar.
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Europe/London")
    days: list[date] = []
    for item in events:
        days.append(item.day)
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.modified.astimezone(UTC))
        event.add("created", item.created.astimezone(UTC))
        event.add("last-modified", item.modified.astimezone(UTC))
        event.add("sequence", item.sequence)
        event.add("summary", item.summary)
        if item.start is not None:
            # fold=0: a time that happens twice is the first (BST); one that does not
            # exist is read with the offset before the change, as RFC 5545 says.
            start = datetime.combine(item.day, item.start, tzinfo=LONDON)
            event.add("dtstart", start)
            event.add("dtend", _end(start, item.minutes))
        else:
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
        cal.add_component(event)
    if days:
        # The VTIMEZONE covers the events' years only (not 1970 to 2038): a short file.
        cal.add_missing_timezones(
            first_date=date(min(days).year, 1, 1), last_date=date(max(days).year + 1, 1, 1)
        )
    return bytes(cal.to_ical())


def _end(start: datetime, minutes: int) -> datetime:
    """The end after ``minutes`` elapsed (an hour across the clock change is an hour).

    In London time unless it falls in the second of autumn's repeated hours: written
    with TZID that reads as the first one, so that end is written in UTC instead.
    """
    end = (start.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(LONDON)
    if end.replace(fold=0).astimezone(UTC) != end.astimezone(UTC):
        return end.astimezone(UTC)
    return end
