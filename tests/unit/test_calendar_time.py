"""Calendars that keep time: London times around both 2027 clock changes, read back by two
parsers linkworker did not write (icalendar and ics), cancelled follow-ups sent as
cancelled, and calendar UIDs that no one else ever takes over.

The instants are checked in UTC: 28 Mar 2027 the clocks go forward at 01:00 GMT, 31 Oct
2027 they go back at 02:00 BST, so 10:00 in London is 10:00Z before spring and after
autumn, 09:00Z between.
"""

from __future__ import annotations

import os
import time as system_time
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import ics
import pytest
from icalendar import Calendar

from linkworker import erasure, followups
from linkworker.clock import fixed
from linkworker.store.db import Database

from factories import add_person_with_referral

BOOKED = fixed(date(2026, 11, 23), time(9, 0))
FIRST = date(2027, 3, 26)
DAYS = 230  # to 11 Nov 2027: both changes

#: (due on, London time, the UTC instant a calendar must show)
AROUND_THE_CHANGES = [
    ("2027-03-27", "10:00", datetime(2027, 3, 27, 10, 0, tzinfo=UTC)),  # GMT
    ("2027-03-28", "00:30", datetime(2027, 3, 28, 0, 30, tzinfo=UTC)),  # before the jump
    ("2027-03-28", "03:00", datetime(2027, 3, 28, 2, 0, tzinfo=UTC)),  # BST from 01:00Z
    ("2027-03-29", "10:00", datetime(2027, 3, 29, 9, 0, tzinfo=UTC)),  # BST
    ("2027-10-30", "10:00", datetime(2027, 10, 30, 9, 0, tzinfo=UTC)),  # still BST
    ("2027-10-31", "00:30", datetime(2027, 10, 30, 23, 30, tzinfo=UTC)),  # BST
    ("2027-10-31", "03:00", datetime(2027, 10, 31, 3, 0, tzinfo=UTC)),  # GMT again
    ("2027-11-01", "10:00", datetime(2027, 11, 1, 10, 0, tzinfo=UTC)),  # GMT
]


def _book(db: Database, pid: int, due_on: str, due_time: str | None = None) -> int:
    booking = followups.details({"due_on": due_on, "due_time": due_time}, BOOKED.today())
    return followups.schedule(db, pid, booking, BOOKED).followup_id


def _uid(db: Database, followup_id: int) -> str:
    row = db.execute("SELECT calendar_uid FROM followups WHERE id = ?", [followup_id]).fetchone()
    return str(row[0])


@pytest.fixture
def new_york() -> Iterator[None]:
    """The machine set to another zone: nothing in the calendar may move with it."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    system_time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    system_time.tzset()


def test_times_around_both_2027_clock_changes_are_the_right_instants(
    db: Database, new_york: None
) -> None:
    pid, _ = add_person_with_referral(db, BOOKED, status="accepted")
    uids = {_uid(db, _book(db, pid, day, at)): instant for day, at, instant in AROUND_THE_CHANGES}
    whole_day = _uid(db, _book(db, pid, "2027-03-28"))
    data = followups.calendar(db, FIRST, days=DAYS).data
    text = data.decode("utf-8")
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text
    assert text.count("DTSTART;TZID=Europe/London:") == len(AROUND_THE_CHANGES)

    # icalendar
    events = {str(e["UID"]): e for e in Calendar.from_ical(data).walk("VEVENT")}
    for uid, instant in uids.items():
        assert events[uid].decoded("DTSTART").astimezone(UTC) == instant
        stamp = events[uid].decoded("DTSTAMP")
        assert stamp.utcoffset().total_seconds() == 0
        # Booked 09:00 London on 23 Nov 2026 (GMT), whatever zone the machine is in.
        assert stamp == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    assert events[whole_day].decoded("DTSTART") == date(2027, 3, 28)
    assert events[whole_day].decoded("DTEND") == date(2027, 3, 29)

    # ics (a second, independent parser)
    other = {e.uid: e for e in ics.Calendar(text).events}
    for uid, instant in uids.items():
        begin = other[uid].begin.datetime
        assert begin.astimezone(UTC) == instant, uid
        # In UTC: the same zone on both sides would subtract wall-clock times.
        end = other[uid].end.datetime.astimezone(UTC)
        assert (end - begin.astimezone(UTC)).total_seconds() == 30 * 60
    assert other[whole_day].all_day


def test_an_hour_across_the_change_lasts_an_hour(db: Database) -> None:
    pid, _ = add_person_with_referral(db, BOOKED, status="accepted")
    booking = followups.details(
        {"due_on": "2027-10-31", "due_time": "00:30", "duration_minutes": 120}, BOOKED.today()
    )
    uid = _uid(db, followups.schedule(db, pid, booking, BOOKED).followup_id)
    event = next(
        e for e in Calendar.from_ical(followups.calendar(db, FIRST, days=DAYS).data).walk("VEVENT")
    )
    assert str(event["UID"]) == uid
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert (end.astimezone(UTC) - start.astimezone(UTC)).total_seconds() == 120 * 60
    # The end, 01:30 GMT, is the second 01:30 of the night: written in UTC, read right.
    assert end.astimezone(UTC) == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)
    other = next(iter(ics.Calendar(followups.calendar(db, FIRST, days=DAYS).data.decode()).events))
    assert other.end.datetime.astimezone(UTC) == datetime(2027, 10, 31, 1, 30, tzinfo=UTC)


def test_a_time_the_clocks_skip_or_repeat_is_named_before_booking() -> None:
    spring = followups.clock_changes([date(2027, 3, 28)], "01:30")
    autumn = followups.clock_changes([date(2027, 10, 31)], "01:30")
    assert spring == [
        "Sun 28 Mar 2027 01:30 does not exist in London: the clocks go forward an hour that "
        "night (calendars will show 02:30 BST)"
    ]
    assert autumn and "happens twice" in autumn[0] and "31 Oct 2027 01:30" in autumn[0]
    ordinary = [date(2027, 3, 27), date(2027, 3, 29), date(2027, 10, 30)]
    assert followups.clock_changes(ordinary, "01:30") == []
    assert followups.clock_changes([date(2027, 3, 28)], "02:00") == []
    assert followups.clock_changes([date(2027, 10, 31)], "02:00") == []
    assert followups.clock_changes([date(2027, 3, 28)], None) == []


def test_a_cancelled_follow_up_goes_out_as_cancelled_with_a_higher_sequence(
    db: Database,
) -> None:
    pid, _ = add_person_with_referral(db, BOOKED, status="accepted")
    fid = _book(db, pid, "2027-04-02", "11:00")
    uid = _uid(db, fid)
    before = {
        str(e["UID"]): e
        for e in Calendar.from_ical(followups.calendar(db, FIRST).data).walk("VEVENT")
    }
    assert str(before[uid]["STATUS"]) == "CONFIRMED"
    followups.cancel(db, fid, "Person is away", fixed(date(2026, 11, 24), time(10, 0)))
    export = followups.calendar(db, FIRST)
    assert (export.events, export.cancelled) == (0, 1)
    after = {str(e["UID"]): e for e in Calendar.from_ical(export.data).walk("VEVENT")}
    assert str(after[uid]["STATUS"]) == "CANCELLED"
    assert int(after[uid]["SEQUENCE"]) > int(before[uid]["SEQUENCE"])
    assert next(e for e in ics.Calendar(export.data.decode()).events).status == "CANCELLED"
    # Once its day is out of range it is no longer sent.
    assert followups.calendar(db, date(2027, 4, 3)).cancelled == 0


def test_after_an_erasure_no_uid_of_the_erased_person_is_reused(db: Database) -> None:
    erased, _ = add_person_with_referral(db, BOOKED, status="accepted", given_name="Erin")
    ids = [_book(db, erased, f"2027-04-0{d}", "10:00") for d in (1, 2, 5)]
    gone = {_uid(db, fid) for fid in ids}
    erasure.erase_person(db, erased, BOOKED)
    other, _ = add_person_with_referral(db, BOOKED, status="accepted", given_name="Omar")
    new = [_book(db, other, f"2027-04-0{d}", "10:00") for d in (1, 2, 5)]
    # SQLite hands the erased rows' numbers out again: the row ids are the same ones...
    assert set(new) & set(ids)
    # ...but their calendar UIDs are new.
    now = {
        str(e["UID"]) for e in Calendar.from_ical(followups.calendar(db, FIRST).data).walk("VEVENT")
    }
    assert len(now) == 3 and not now & gone
    assert not {_uid(db, fid) for fid in new} & gone
