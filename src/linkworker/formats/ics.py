"""Follow-ups as an iCalendar (RFC 5545) file: pure, from plain event objects.

:mod:`linkworker.followups.calendar_export` gathers the events from the store; this module
only writes them, so it imports no store and can be tested on hand-made events.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

PRODUCT_ID = "-//linkworker//follow-ups//EN"
CALENDAR_NAME = "linkworker follow-ups"


@dataclass(frozen=True)
class CalendarEvent:
    """One planned follow-up as a calendar event.

    ``start`` is a "floating" local time (the time on the link worker's own clock); None
    makes it an all-day event. ``created`` and ``modified`` are timezone-aware (UTC), and
    ``sequence`` counts the changes made to the event, so a newer export updates it.
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


def calendar_ics(events: Iterable[CalendarEvent], *, name: str = CALENDAR_NAME) -> bytes:
    """The .ics bytes of a calendar holding ``events``, in the order given."""
    # Loaded on the first export only: starting the app never pays for icalendar.
    from icalendar import Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODUCT_ID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", item.modified)
        event.add("created", item.created)
        event.add("last-modified", item.modified)
        event.add("sequence", item.sequence)
        event.add("summary", item.summary)
        if item.start is not None:
            start = datetime.combine(item.day, item.start)
            event.add("dtstart", start)
            event.add("dtend", start + timedelta(minutes=item.minutes))
        else:
            event.add("dtstart", item.day)
            event.add("dtend", item.day + timedelta(days=1))
        if item.location:
            event.add("location", item.location)
        if item.description:
            event.add("description", item.description)
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        cal.add_component(event)
    return bytes(cal.to_ical())
