"""Booking follow-ups: schedule one or a series, find clashes, reschedule and cancel.

A follow-up is a planned contact on a person's open referral. Every function that writes
takes a :class:`~linkworker.clock.Clock`, runs as one transaction and writes through
:mod:`linkworker.store.audit`. What closing a referral cancels is the lifecycle's
(:func:`linkworker.referrals.cancel_planned_followups`), not this module's.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import TYPE_CHECKING, Any, TypedDict, Unpack, cast

from linkworker import people, referrals
from linkworker.clock import Clock
from linkworker.display import full_name as full_name
from linkworker.display import label
from linkworker.errors import CaseloadError
from linkworker.followups.days import DEFAULT_DURATION_MINUTES as DEFAULT_DURATION_MINUTES
from linkworker.followups.days import (
    DEFAULT_NATION,
    bank_holiday,
    clock_change,
    next_working_day,
)
from linkworker.models import FollowUpDetails, FollowUpKind, FollowUpStatus
from linkworker.referrals import ReferralRow
from linkworker.store import audit
from linkworker.store.db import row_by_id
from linkworker.validation import format_date
from linkworker.vocabulary import OPEN_REFERRAL_SQL as OPEN_REFERRAL_SQL

if TYPE_CHECKING:
    from sqlite_utils import Database

#: A recurring series is capped at this many follow-ups (a year of weekly reviews).
MAX_SERIES = 52

#: SQL for "the referral is still open", for queries that leave a closed episode's rows out.


class FollowUpError(CaseloadError):
    """A follow-up action is not allowed; the message says why, in the link worker's words.

    A :class:`~linkworker.errors.CaseloadError`, so one ``except`` catches every refusal.
    """


class FollowUpRow(audit.CorrectableRow):
    """One row of the ``followups`` table, as stored (dates ISO text, times 'HH:MM')."""

    id: int
    person_id: int
    referral_id: int | None
    goal_id: int | None
    connection_id: int | None
    due_on: str
    due_time: str | None
    duration_minutes: int | None
    kind: str
    location: str | None
    purpose: str | None
    status: str
    series_id: str | None
    #: The follow-up's calendar UID: random, made when it is booked, never reused.
    calendar_uid: str | None
    contact_id: int | None
    cancel_reason: str | None


# --- Reading ----------------------------------------------------------------------------


def get_followup(db: Database, followup_id: int) -> FollowUpRow:
    """One follow-up; LookupError names the id when there is none."""
    return cast(FollowUpRow, row_by_id(db, "followups", followup_id, "follow-up"))


def planned_for(db: Database, person_id: int, today: date) -> list[FollowUpRow]:
    """The person's planned follow-ups from ``today`` on (earliest first)."""
    rows = db.query(
        "SELECT * FROM followups WHERE person_id = ? AND status = 'planned' AND due_on >= ? "
        "ORDER BY due_on, due_time IS NULL, due_time, id",
        [person_id, today.isoformat()],
    )
    return [cast(FollowUpRow, row) for row in rows]


@dataclass(frozen=True)
class ListedFollowUp:
    """One of a person's follow-ups as their list shows it: the row, and where it stands in
    its series (``position`` of ``size``; None for a one-off)."""

    row: FollowUpRow
    position: int | None = None
    size: int | None = None

    @property
    def series_words(self) -> str:
        """'2 of 6 in a series', or '' for a one-off."""
        return f"{self.position} of {self.size} in a series" if self.position else ""


def followups_of(db: Database, person_id: int) -> list[ListedFollowUp]:
    """Every follow-up of the person, whatever its status, in date order (earliest first),
    each of a series with its place in it (all its follow-ups counted, cancelled ones too)."""
    rows = [
        cast(FollowUpRow, row)
        for row in db.query(
            "SELECT * FROM followups WHERE person_id = ? "
            "ORDER BY due_on, due_time IS NULL, due_time, id",
            [person_id],
        )
    ]
    series: dict[str, list[int]] = {}
    for row in rows:
        if row["series_id"]:
            series.setdefault(row["series_id"], []).append(int(row["id"]))
    listed = []
    for row in rows:
        members = series.get(row["series_id"] or "")
        if members:
            listed.append(ListedFollowUp(row, members.index(int(row["id"])) + 1, len(members)))
        else:
            listed.append(ListedFollowUp(row))
    return listed


def later_in_series(db: Database, row: FollowUpRow) -> list[FollowUpRow]:
    """The planned follow-ups of ``row``'s series after it (none for a one-off), in order."""
    if not row["series_id"]:
        return []
    return [
        cast(FollowUpRow, r)
        for r in db.query(
            "SELECT * FROM followups WHERE series_id = ? AND status = 'planned' "
            "AND id != ? AND (due_on > ? OR (due_on = ? AND id > ?)) ORDER BY due_on, id",
            [row["series_id"], row["id"], row["due_on"], row["due_on"], row["id"]],
        )
    ]


def details(data: dict[str, Any], today: date) -> FollowUpDetails:
    """Validate a booking typed by the user (UK dates, times, no date in the past)."""
    return FollowUpDetails.model_validate(data, context={"today": today})


# --- Clashes ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Clash:
    """A planned follow-up that overlaps a booking (the link worker cannot be in two places)."""

    followup_id: int
    person_id: int
    name: str
    due_on: date
    start: str
    end: str
    kind: str

    def describe(self) -> str:
        """'Mon 7 Dec 10:00-10:30 Joan Smith (Phone)'."""
        return (
            f"{self.due_on.strftime('%a')} {format_date(self.due_on)} {self.start}-{self.end} "
            f"{self.name} ({label(FollowUpKind, self.kind)})"
        )


def _span(due_time: str, duration: int | None) -> tuple[int, int]:
    hours, minutes = (int(x) for x in due_time.split(":"))
    start = hours * 60 + minutes
    return start, start + (duration or DEFAULT_DURATION_MINUTES)


def _clock_text(minutes: int) -> str:
    minutes = min(minutes, 24 * 60 - 1)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def find_clashes(
    db: Database,
    due_on: date,
    due_time: str | None,
    duration_minutes: int | None,
    *,
    ignore: Iterable[int] = (),
) -> list[Clash]:
    """Planned, timed follow-ups on ``due_on`` whose time overlaps this one.

    Untimed follow-ups ("some time that day") never clash. ``ignore`` leaves out the
    follow-up being moved.
    """
    if due_time is None:
        return []
    start, end = _span(due_time, duration_minutes)
    skip = set(ignore)
    clashes = []
    for row in db.query(
        "SELECT f.*, p.given_name, p.family_name FROM followups f "
        "JOIN people p ON p.id = f.person_id "
        "WHERE f.status = 'planned' AND f.due_on = ? AND f.due_time IS NOT NULL "
        "ORDER BY f.due_time, f.id",
        [due_on.isoformat()],
    ):
        if int(row["id"]) in skip:
            continue
        other_start, other_end = _span(row["due_time"], row["duration_minutes"])
        if other_start < end and start < other_end:
            clashes.append(
                Clash(
                    followup_id=int(row["id"]),
                    person_id=int(row["person_id"]),
                    name=full_name(row),
                    due_on=due_on,
                    start=_clock_text(other_start),
                    end=_clock_text(other_end),
                    kind=row["kind"],
                )
            )
    return clashes


# --- Booking ----------------------------------------------------------------------------


@dataclass
class Booking:
    """What a booking wrote (one id, or one per follow-up of a series) and what it clashes with."""

    followup_ids: list[int]
    clashes: list[Clash]
    series_id: str | None = None
    #: Follow-ups of a series moved off a bank holiday, to be told to the worker.
    moved: list[MovedDay] = field(default_factory=list)

    @property
    def followup_id(self) -> int:
        return self.followup_ids[0]


@dataclass(frozen=True)
class MovedDay:
    """A follow-up of a series that fell on a bank holiday and went to the next working day."""

    planned: date
    booked: date
    holiday: str

    def describe(self) -> str:
        """One line for the person booking, e.g. 'Mon 28 Dec 2026 is Boxing Day ...'."""
        return (
            f"{format_date(self.planned)} is {self.holiday}: booked on "
            f"{format_date(self.booked)} instead"
        )


def series_plan(
    first: date, every_weeks: int, until: date, nation: str = DEFAULT_NATION
) -> tuple[list[date], list[MovedDay]]:
    """The dates of a recurring review (``first``, then every N weeks up to ``until``),
    each on a bank holiday moved to the next working day, and the moves made."""
    if not 1 <= every_weeks <= 52:
        raise FollowUpError("repeat every: give a number of weeks from 1 to 52")
    if until < first:
        raise FollowUpError(
            f"repeat until: {format_date(until)} is before the first follow-up "
            f"({format_date(first)})"
        )
    dates: list[date] = []
    moved: list[MovedDay] = []
    day = first
    while day <= until:
        holiday = bank_holiday(day, nation)
        # The first date is the one the worker chose; only the repeats are moved for them.
        if holiday and day != first:
            booked = next_working_day(day, nation)
            moved.append(MovedDay(day, booked, holiday))
            dates.append(booked)
        else:
            dates.append(day)
        day += timedelta(weeks=every_weeks)
    if len(dates) > MAX_SERIES:
        raise FollowUpError(
            f"repeat until: that makes {len(dates)} follow-ups; a series holds at most "
            f"{MAX_SERIES} (choose an earlier end date or a longer gap)"
        )
    return dates, moved


class Repeat(TypedDict, total=False):
    """How a booking repeats, the same for checking it and making it: every ``every_weeks``
    weeks up to ``until`` (none: a single follow-up), with ``nation``'s bank holidays."""

    every_weeks: int | None
    until: date | None
    nation: str


def booking_days(first: date, repeat: Repeat) -> tuple[list[date], list[MovedDay]]:
    """The days a booking makes (``first`` alone, or the series :func:`series_plan` plans)
    and the bank-holiday moves; a gap without an end date is refused."""
    every_weeks = repeat.get("every_weeks")
    if every_weeks is None:
        return [first], []
    until = repeat.get("until")
    if until is None:
        raise FollowUpError("repeat until: give the date the reviews stop")
    return series_plan(first, every_weeks, until, repeat.get("nation", DEFAULT_NATION))


def _booking_referral(db: Database, person_id: int) -> ReferralRow:
    person = people.get_person(db, person_id)
    referral = referrals.open_referral(db, person_id)
    if referral is None:
        raise FollowUpError(
            f"{full_name(person)} has no open referral; follow-ups are booked on an open referral "
            "(add a new referral first)"
        )
    return referral


def _check_links(db: Database, person_id: int, booking: FollowUpDetails) -> None:
    if booking.goal_id is not None:
        row = db.execute("SELECT person_id FROM goals WHERE id = ?", [booking.goal_id]).fetchone()
        if row is None or int(row[0]) != person_id:
            raise FollowUpError(f"linked goal: goal {booking.goal_id} is not on this person's plan")
    if booking.connection_id is not None:
        row = db.execute(
            "SELECT person_id FROM connections WHERE id = ?", [booking.connection_id]
        ).fetchone()
        if row is None or int(row[0]) != person_id:
            raise FollowUpError(
                f"linked activity: connection {booking.connection_id} is not this person's"
            )


def check_booking(
    db: Database, person_id: int, booking: FollowUpDetails, **repeat: Unpack[Repeat]
) -> list[Clash]:
    """Everything :func:`schedule` checks, without writing: raises on a refusal, returns clashes.

    The form calls this first so that it can show clashes and let the user book anyway
    or change the time.
    """
    return _checked_days(db, person_id, booking, repeat)[2]


def _checked_days(
    db: Database, person_id: int, booking: FollowUpDetails, repeat: Repeat
) -> tuple[list[date], list[MovedDay], list[Clash]]:
    """The booking's days, the bank-holiday moves and the clashes, after every refusal."""
    _booking_referral(db, person_id)
    _check_links(db, person_id, booking)
    dates, moved = booking_days(booking.due_on, repeat)
    clashes: list[Clash] = []
    for day in dates:
        clashes.extend(find_clashes(db, day, booking.due_time, booking.duration_minutes))
    return dates, moved, clashes


def new_calendar_uid() -> str:
    """A random calendar UID for a follow-up being booked (128 random bits, never reused)."""
    return f"{uuid.uuid4().hex}@linkworker"


def clock_changes(days: Iterable[date], due_time: str | None) -> list[str]:
    """A sentence for each day on which ``due_time`` does not exist or happens twice in
    London (the clock changes); none for an untimed follow-up."""
    if due_time is None:
        return []
    hours, minutes = (int(x) for x in due_time.split(":"))
    found = (clock_change(day, time(hours, minutes)) for day in days)
    return [line for line in found if line]


def schedule(
    db: Database, person_id: int, booking: FollowUpDetails, clock: Clock, **repeat: Unpack[Repeat]
) -> Booking:
    """Book a follow-up (or a recurring series every N weeks until a date) on the person's
    open referral. Clashes do not stop the booking: they come back for the user to see."""
    with db.atomic():
        referral = _booking_referral(db, person_id)
        dates, moved, clashes = _checked_days(db, person_id, booking, repeat)
        series_id = None if repeat.get("every_weeks") is None else uuid.uuid4().hex
        ids = []
        for day in dates:
            values = booking.model_dump()
            values.update(
                due_on=day,
                person_id=person_id,
                referral_id=int(referral["id"]),
                status=FollowUpStatus.PLANNED,
                series_id=series_id,
                calendar_uid=new_calendar_uid(),
            )
            ids.append(audit.insert(db, "followups", values, person_id=person_id, clock=clock))
    return Booking(ids, clashes, series_id, moved)


def planned_or_refused(db: Database, followup_id: int, doing: str) -> FollowUpRow:
    """The follow-up, when it is still planned; FollowUpError says it cannot be ``doing``."""
    row = get_followup(db, followup_id)
    if row["status"] != FollowUpStatus.PLANNED:
        raise FollowUpError(
            f"this follow-up is already {label(FollowUpStatus, row['status']).lower()}; "
            f"only a planned follow-up can be {doing}"
        )
    return row


def reschedule(
    db: Database,
    followup_id: int,
    due_on: date,
    due_time: str | None,
    clock: Clock,
    *,
    duration_minutes: int | None = None,
    keep_duration: bool = True,
    rest_of_series: bool = False,
    nation: str = DEFAULT_NATION,
) -> list[Clash]:
    """Move a planned follow-up to another date (and time); returns what the new slots clash
    with. Pass the new values through :func:`details` first so they are validated.

    With ``rest_of_series`` the later planned follow-ups of its series move by as many days,
    to the same time and length (one landing on a bank holiday goes to the next working day,
    as a series is booked): the review day changes, the rhythm stays.
    """
    with db.atomic():
        row = planned_or_refused(db, followup_id, "rescheduled")
        if due_on < clock.today():
            raise FollowUpError(f"date: {format_date(due_on)} is in the past")
        duration = row["duration_minutes"] if keep_duration else duration_minutes
        shift = due_on - date.fromisoformat(row["due_on"])
        moves = [(row, due_on)]
        if rest_of_series:
            for later in later_in_series(db, row):
                day = date.fromisoformat(later["due_on"]) + shift
                moves.append(
                    (later, next_working_day(day, nation) if bank_holiday(day, nation) else day)
                )
        moving = [int(r["id"]) for r, _ in moves]
        clashes = []
        for moved, day in moves:
            clashes += find_clashes(db, day, due_time, duration, ignore=moving)
            audit.update(
                db,
                "followups",
                int(moved["id"]),
                {"due_on": day, "due_time": due_time, "duration_minutes": duration},
                person_id=int(row["person_id"]),
                clock=clock,
            )
    return clashes


def cancel(
    db: Database, followup_id: int, reason: str, clock: Clock, *, rest_of_series: bool = False
) -> int:
    """Cancel a planned follow-up with a reason (and, if asked, the later ones of its series).

    Returns how many were cancelled.
    """
    reason = (reason or "").strip()
    if not reason:
        raise FollowUpError("reason: say why the follow-up is cancelled")
    if len(reason) > 500:
        raise FollowUpError("reason: keep it under 500 characters")
    with db.atomic():
        row = planned_or_refused(db, followup_id, "cancelled")
        ids = [followup_id]
        if rest_of_series:
            ids += [int(r["id"]) for r in later_in_series(db, row)]
        for fid in ids:
            audit.update(
                db,
                "followups",
                fid,
                {"status": FollowUpStatus.CANCELLED, "cancel_reason": reason},
                person_id=int(row["person_id"]),
                clock=clock,
            )
        # Lone working reads follow-ups, so it loads here rather than with this module.
        from linkworker.lone_working import end_watch

        end_watch(db, ids, clock)
    return len(ids)
