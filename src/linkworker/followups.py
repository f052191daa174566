"""Follow-ups and the daily agenda: booking, completing, missing, and who needs you today.

A follow-up is a planned contact on a person's open referral. Every function that writes
takes a :class:`~linkworker.clock.Clock`, runs as one transaction and writes through
:mod:`linkworker.store.audit`. Completing a follow-up logs the contact with
:func:`linkworker.caseload.log_contact`; missing one logs an attempt with
:func:`linkworker.caseload.log_attempt`, so the referral rules (attempts, "not reached",
discharge) stay in :mod:`linkworker.caseload`.

The agenda (:func:`build_agenda`) is computed in SQL for one ``today``; nothing here reads
the system clock, so ``--today`` and tests reproduce it exactly.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlite_utils import Database

from linkworker import people, referrals
from linkworker.clock import Clock
from linkworker.display import label
from linkworker.models import (
    OPEN_STATUSES,
    AttemptOutcome,
    ContactDetails,
    ContactMode,
    FollowUpDetails,
    FollowUpKind,
    FollowUpStatus,
    ReferralSource,
    ReferralStatus,
)
from linkworker.referrals import ReferralRow
from linkworker.settings import Settings
from linkworker.store import audit
from linkworker.validation import format_date

#: A timed follow-up booked without a duration is taken to last this long (clashes, .ics).
DEFAULT_DURATION_MINUTES = 30
#: A recurring series is capped at this many follow-ups (a year of weekly reviews).
MAX_SERIES = 52
#: How far ahead the agenda and the calendar export look by default (today included).
AGENDA_DAYS = 7
CALENDAR_DAYS = 28

_OPEN = tuple(s.value for s in OPEN_STATUSES)
_OPEN_SQL = "(" + ", ".join(f"'{s}'" for s in _OPEN) + ")"


class FollowUpError(ValueError):
    """A follow-up action is not allowed; the message says why, in the link worker's words."""


# --- Dates ------------------------------------------------------------------------------


def add_working_days(start: date, days: int) -> date:
    """``start`` moved by ``days`` working days (Monday to Friday); negative goes back."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    current = start
    while remaining:
        current += timedelta(days=step)
        if current.weekday() < 5:
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    whole_weeks, extra = divmod((end - start).days, 7)
    count = whole_weeks * 5
    for offset in range(1, extra + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            count += 1
    return count


def next_working_day(day: date) -> date:
    """``day`` itself on a weekday; the Monday after on a Saturday or Sunday."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def suggest_next(after: date, settings: Settings) -> date:
    """The next follow-up to offer after a contact on ``after``: the default interval,
    moved to the Monday when it lands on a weekend."""
    return next_working_day(after + timedelta(days=settings.followup_interval_days))


def suggest_retry(today: date) -> date:
    """After a missed follow-up: try again on the next working day."""
    return add_working_days(today, 1)


# --- Reading ----------------------------------------------------------------------------


def get_followup(db: Database, followup_id: int) -> dict[str, Any]:
    """One follow-up; LookupError names the id when there is none."""
    rows = list(db.query("SELECT * FROM followups WHERE id = ?", [followup_id]))
    if not rows:
        raise LookupError(f"no follow-up with id {followup_id}")
    return rows[0]


def planned_for(db: Database, person_id: int, today: date) -> list[dict[str, Any]]:
    """The person's planned follow-ups from ``today`` on (earliest first)."""
    return list(
        db.query(
            "SELECT * FROM followups WHERE person_id = ? AND status = 'planned' AND due_on >= ? "
            "ORDER BY due_on, due_time IS NULL, due_time, id",
            [person_id, today.isoformat()],
        )
    )


def details(data: dict[str, Any], today: date) -> FollowUpDetails:
    """Validate a booking typed by the user (UK dates, times, no date in the past)."""
    return FollowUpDetails.model_validate(data, context={"today": today})


def day_text(day: date | str, today: date) -> str:
    """'25 Oct' within the current year, '25 Oct 2025' otherwise (agenda lines are short)."""
    value = date.fromisoformat(day[:10]) if isinstance(day, str) else day
    if value.year == today.year:
        return f"{value.day} {value.strftime('%b')}"
    return format_date(value)


def _name(row: Mapping[str, Any]) -> str:
    return f"{row['given_name']} {row['family_name']}"


def initials(given: str | None, family: str | None) -> str:
    """'J.S.' for Joan Smith: enough for a calendar without naming anyone."""
    letters = [
        next((ch.upper() for ch in (part or "") if ch.isalnum()), "") for part in (given, family)
    ]
    return "".join(f"{ch}." for ch in letters if ch) or "?"


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
                    name=_name(row),
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

    @property
    def followup_id(self) -> int:
        return self.followup_ids[0]


def series_dates(first: date, every_weeks: int, until: date) -> list[date]:
    """The dates of a recurring review: ``first``, then every N weeks up to ``until``."""
    if not 1 <= every_weeks <= 52:
        raise FollowUpError("repeat every: give a number of weeks from 1 to 52")
    if until < first:
        raise FollowUpError(
            f"repeat until: {format_date(until)} is before the first follow-up "
            f"({format_date(first)})"
        )
    dates = []
    day = first
    while day <= until:
        dates.append(day)
        day += timedelta(weeks=every_weeks)
    if len(dates) > MAX_SERIES:
        raise FollowUpError(
            f"repeat until: that makes {len(dates)} follow-ups; a series holds at most "
            f"{MAX_SERIES} (choose an earlier end date or a longer gap)"
        )
    return dates


def _booking_referral(db: Database, person_id: int) -> ReferralRow:
    person = people.get_person(db, person_id)
    referral = referrals.open_referral(db, person_id)
    if referral is None:
        raise FollowUpError(
            f"{_name(person)} has no open referral; follow-ups are booked on an open referral "
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
    db: Database,
    person_id: int,
    booking: FollowUpDetails,
    *,
    every_weeks: int | None = None,
    until: date | None = None,
) -> list[Clash]:
    """Everything :func:`schedule` checks, without writing: raises on a refusal, returns clashes.

    The form calls this first so that it can show clashes and let the user book anyway
    or change the time.
    """
    _booking_referral(db, person_id)
    _check_links(db, person_id, booking)
    dates = [booking.due_on]
    if every_weeks is not None:
        if until is None:
            raise FollowUpError("repeat until: give the date the reviews stop")
        dates = series_dates(booking.due_on, every_weeks, until)
    clashes: list[Clash] = []
    for day in dates:
        clashes.extend(find_clashes(db, day, booking.due_time, booking.duration_minutes))
    return clashes


def schedule(
    db: Database,
    person_id: int,
    booking: FollowUpDetails,
    clock: Clock,
    *,
    every_weeks: int | None = None,
    until: date | None = None,
) -> Booking:
    """Book a follow-up (or a recurring series every N weeks until a date) on the person's
    open referral. Clashes do not stop the booking: they come back for the user to see."""
    with db.atomic():
        referral = _booking_referral(db, person_id)
        clashes = check_booking(db, person_id, booking, every_weeks=every_weeks, until=until)
        dates = [booking.due_on]
        series_id = None
        if every_weeks is not None and until is not None:
            dates = series_dates(booking.due_on, every_weeks, until)
            series_id = uuid.uuid4().hex
        ids = []
        for day in dates:
            values = booking.model_dump()
            values.update(
                due_on=day,
                person_id=person_id,
                referral_id=int(referral["id"]),
                status=FollowUpStatus.PLANNED,
                series_id=series_id,
            )
            ids.append(audit.insert(db, "followups", values, person_id=person_id, clock=clock))
    return Booking(ids, clashes, series_id)


def _planned(db: Database, followup_id: int, doing: str) -> dict[str, Any]:
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
) -> list[Clash]:
    """Move a planned follow-up to another date (and time); returns what the new slot clashes
    with. Pass the new values through :func:`details` first so they are validated."""
    with db.atomic():
        row = _planned(db, followup_id, "rescheduled")
        if due_on < clock.today():
            raise FollowUpError(f"date: {format_date(due_on)} is in the past")
        duration = row["duration_minutes"] if keep_duration else duration_minutes
        clashes = find_clashes(db, due_on, due_time, duration, ignore=[followup_id])
        audit.update(
            db,
            "followups",
            followup_id,
            {"due_on": due_on, "due_time": due_time, "duration_minutes": duration},
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
        row = _planned(db, followup_id, "cancelled")
        ids = [followup_id]
        if rest_of_series and row["series_id"]:
            ids += [
                int(r["id"])
                for r in db.query(
                    "SELECT id FROM followups WHERE series_id = ? AND status = 'planned' "
                    "AND id != ? AND (due_on > ? OR (due_on = ? AND id > ?)) ORDER BY due_on",
                    [row["series_id"], followup_id, row["due_on"], row["due_on"], followup_id],
                )
            ]
        for fid in ids:
            audit.update(
                db,
                "followups",
                fid,
                {"status": FollowUpStatus.CANCELLED, "cancel_reason": reason},
                person_id=int(row["person_id"]),
                clock=clock,
            )
    return len(ids)


# --- Completing and missing ---------------------------------------------------------------


@dataclass
class Completed:
    """A contact logged (and the follow-up it completed); what to offer next."""

    contact_id: int
    followup_id: int | None
    suggested_next: date
    next_booked: date | None

    @property
    def offer_next(self) -> bool:
        """Offer to book the next one only when nothing else is booked for the person."""
        return self.next_booked is None


def _contact_moment(text: str, clock: Clock) -> datetime:
    try:
        moment = (
            datetime.combine(date.fromisoformat(text), time(0, 0))
            if len(text) == 10
            else datetime.fromisoformat(text)
        )
    except ValueError:
        raise FollowUpError(f"when: '{text}' is not a date and time") from None
    if moment.replace(tzinfo=None) > clock.now():
        raise FollowUpError(f"when: {format_date(moment.date())} {text[11:16]} is in the future")
    return moment


def _followup_referral(db: Database, row: dict[str, Any]) -> int:
    if row["referral_id"] is not None:
        return int(row["referral_id"])
    referral = referrals.open_referral(db, int(row["person_id"]))
    if referral is None:
        raise FollowUpError("this person has no open referral to record the contact on")
    return int(referral["id"])


def record_contact(
    db: Database,
    person_id: int,
    contact: ContactDetails,
    clock: Clock,
    settings: Settings,
    *,
    followup_id: int | None = None,
) -> Completed:
    """Log a contact (mode, duration, note) and, given a follow-up, mark it done with that
    contact, in one transaction. Returns the next follow-up to offer."""
    if contact.attempt:
        raise FollowUpError("a completed follow-up is a contact, not an attempt")
    moment = _contact_moment(contact.contact_at, clock)
    with db.atomic():
        referral_id = None
        row = None
        if followup_id is not None:
            row = _planned(db, followup_id, "completed")
            if int(row["person_id"]) != person_id:
                raise FollowUpError(f"follow-up {followup_id} is not this person's")
            referral_id = _followup_referral(db, row)
        contact_id = referrals.log_contact(db, person_id, contact, clock, referral_id=referral_id)
        if row is not None and followup_id is not None:
            # The contact points back at the follow-up it completed (and vice versa).
            audit.update(
                db,
                "contacts",
                contact_id,
                {"followup_id": followup_id},
                person_id=person_id,
                clock=clock,
            )
            audit.update(
                db,
                "followups",
                followup_id,
                {"status": FollowUpStatus.DONE, "contact_id": contact_id},
                person_id=person_id,
                clock=clock,
            )
        later = planned_for(db, person_id, moment.date())
    return Completed(
        contact_id=contact_id,
        followup_id=followup_id,
        suggested_next=suggest_next(max(moment.date(), clock.today()), settings),
        next_booked=date.fromisoformat(later[0]["due_on"]) if later else None,
    )


def complete(
    db: Database,
    followup_id: int,
    contact: ContactDetails,
    clock: Clock,
    settings: Settings,
) -> Completed:
    """Complete a planned follow-up: log the contact and mark the follow-up done, together."""
    row = get_followup(db, followup_id)
    return record_contact(
        db, int(row["person_id"]), contact, clock, settings, followup_id=followup_id
    )


@dataclass
class Missed:
    """An unsuccessful attempt (did not attend, no answer...) and what the referral rules say."""

    contact_id: int
    followup_id: int | None
    referral_id: int
    referral_status: str
    attempts: int
    threshold: int
    retry_on: date
    next_booked: date | None = None

    @property
    def offer_retry(self) -> bool:
        """Offer to book another try when nothing else is booked and the referral stays open."""
        return self.next_booked is None and not self.threshold_reached

    @property
    def threshold_reached(self) -> bool:
        return self.attempts >= self.threshold

    @property
    def next_step(self) -> str | None:
        """'not_reached' (received or contacting), 'discharge' (accepted: disengaged), or None."""
        if not self.threshold_reached:
            return None
        if self.referral_status == ReferralStatus.ACCEPTED:
            return "discharge"
        return "not_reached"


def default_outcome(kind: str | None) -> AttemptOutcome:
    """'Did not attend' for a meeting in person; 'no answer' for a call, video or text."""
    if kind is None or kind in (FollowUpKind.PHONE, FollowUpKind.VIDEO, FollowUpKind.TEXT):
        return AttemptOutcome.NO_ANSWER
    return AttemptOutcome.DID_NOT_ATTEND


def record_attempt(
    db: Database,
    referral_id: int,
    outcome: AttemptOutcome,
    clock: Clock,
    settings: Settings,
    *,
    mode: ContactMode = ContactMode.PHONE,
    note: str | None = None,
    followup_id: int | None = None,
) -> Missed:
    """Record an unsuccessful attempt on a referral (referrals.log_attempt) and, given a
    follow-up, mark it missed with that attempt, in one transaction.

    The attempts that count are caseload's: those since the person was last reached, so three
    no-shows in a row suggest "not reached" (before acceptance) or discharging as disengaged
    (after), not three spread over months of good contact.
    """
    attempt = ContactDetails(
        contact_at=clock.stamp(), mode=mode, attempt=True, outcome=outcome, note=note
    )
    with db.atomic():
        result = referrals.log_attempt(
            db, referral_id, attempt, clock, threshold=settings.not_reached_attempts
        )
        if followup_id is not None:
            row = get_followup(db, followup_id)
            audit.update(
                db,
                "contacts",
                result.contact_id,
                {"followup_id": followup_id},
                person_id=int(row["person_id"]),
                clock=clock,
            )
            audit.update(
                db,
                "followups",
                followup_id,
                {"status": FollowUpStatus.MISSED, "contact_id": result.contact_id},
                person_id=int(row["person_id"]),
                clock=clock,
            )
        referral = referrals.get_referral(db, referral_id)
        # caseload counts the attempts since the person was last reached, in every state.
        attempts = result.attempts
        later = planned_for(db, int(referral["person_id"]), clock.today())
    return Missed(
        contact_id=result.contact_id,
        followup_id=followup_id,
        referral_id=referral_id,
        referral_status=str(referral["status"]),
        attempts=attempts,
        threshold=settings.not_reached_attempts,
        retry_on=suggest_retry(clock.today()),
        next_booked=date.fromisoformat(later[0]["due_on"]) if later else None,
    )


def record_missed(
    db: Database,
    followup_id: int,
    outcome: AttemptOutcome,
    clock: Clock,
    settings: Settings,
    *,
    note: str | None = None,
) -> Missed:
    """The person did not attend, or could not be reached, for a planned follow-up."""
    with db.atomic():
        row = _planned(db, followup_id, "marked missed")
        referral_id = _followup_referral(db, row)
        return record_attempt(
            db,
            referral_id,
            outcome,
            clock,
            settings,
            mode=ContactMode(row["kind"]),
            note=note,
            followup_id=followup_id,
        )


# --- The agenda ---------------------------------------------------------------------------


@dataclass
class AgendaLine:
    """One line of the agenda: a follow-up, a referral, or a person needing attention."""

    bucket: str
    person_id: int
    name: str
    what: str
    on: date | None = None  # the date the line is about (due, received, last contact...)
    time: str | None = None
    days: int | None = None  # days late / waiting / quiet (working days for first contact)
    kind: str | None = None
    followup_id: int | None = None
    referral_id: int | None = None
    goal_ids: list[int] = field(default_factory=list)
    connection_ids: list[int] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO text)."""
        data = asdict(self)
        data["on"] = self.on.isoformat() if self.on else None
        return data

    def when_text(self) -> str:
        """The 'when' column: a time today, how late, how long waiting or quiet."""
        days = self.days or 0
        if self.bucket == "due_today":
            return self.time or "any time"
        if self.bucket == "overdue":
            return f"{days} day{'s' if days != 1 else ''} late"
        if self.bucket == "awaiting_first_contact":
            return f"{days} working days"
        if self.bucket == "reviews_due":
            return "due today" if days == 0 else f"{days} day{'s' if days != 1 else ''} late"
        if self.bucket in ("gone_quiet", "connections_to_check"):
            return f"{days} days"
        if self.on is None:
            return ""
        return f"{self.on.strftime('%a')} {self.on.day}" + (f" {self.time}" if self.time else "")


#: (key, title, short title for the counts line) in the order a link worker works through.
BUCKETS: tuple[tuple[str, str, str], ...] = (
    ("due_today", "Due today", "Due today"),
    ("overdue", "Overdue", "Overdue"),
    ("awaiting_first_contact", "Waiting for a first contact", "First contact"),
    ("gone_quiet", "Gone quiet", "Gone quiet"),
    ("reviews_due", "Plan reviews due", "Reviews"),
    ("connections_to_check", "Did they go? Connections to check", "Connections"),
    ("this_week", "Coming up", "This week"),
)


@dataclass
class Agenda:
    """The day's agenda in the order a link worker works through it."""

    today: date
    days: int = AGENDA_DAYS
    due_today: list[AgendaLine] = field(default_factory=list)
    overdue: list[AgendaLine] = field(default_factory=list)
    awaiting_first_contact: list[AgendaLine] = field(default_factory=list)
    gone_quiet: list[AgendaLine] = field(default_factory=list)
    reviews_due: list[AgendaLine] = field(default_factory=list)
    connections_to_check: list[AgendaLine] = field(default_factory=list)
    this_week: list[AgendaLine] = field(default_factory=list)

    def buckets(self) -> list[tuple[str, str, list[AgendaLine]]]:
        """(key, title, lines) for every bucket, in agenda order."""
        return [(key, self.title(key), getattr(self, key)) for key, _, _ in BUCKETS]

    def title(self, key: str) -> str:
        for k, title, _ in BUCKETS:
            if k == key:
                if key == "this_week":
                    return f"Coming up (next {self.days - 1} days)"
                return title
        raise KeyError(key)

    def counts(self) -> dict[str, int]:
        return {key: len(getattr(self, key)) for key, _, _ in BUCKETS}

    def summary(self) -> str:
        """'Due today: 4  Overdue: 3  ...' for a status line."""
        return "  ".join(f"{short}: {len(getattr(self, key))}" for key, _, short in BUCKETS)

    def to_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "days": self.days,
            "counts": self.counts(),
            "buckets": {
                key: [line.to_dict() for line in getattr(self, key)] for key, _, _ in BUCKETS
            },
        }


def _flags(value: str | None) -> list[str]:
    return [f for f in (value or "").split(",") if f]


def followup_what(row: dict[str, Any]) -> str:
    """'Home visit at 12 Mill Road: Review plan' (kind, where, purpose)."""
    text = label(FollowUpKind, row["kind"])
    if row.get("location"):
        text += f" at {row['location']}"
    if row.get("purpose"):
        text += f": {row['purpose']}"
    return text


def build_agenda(
    db: Database, today: date, settings: Settings, *, days: int = AGENDA_DAYS
) -> Agenda:
    """The agenda for ``today``, looking ``days`` days ahead (today included).

    Buckets and their rules (settings in brackets):

    - due today: planned follow-ups due today, timed ones by time, then "any time";
    - overdue: planned follow-ups due before today, oldest first, with days late;
    - waiting for a first contact: referrals received or contacting with no contact yet,
      received more than ``first_contact_working_days`` working days ago;
    - gone quiet: people with an accepted referral and no contact for ``gone_quiet_days``
      days or more (counted from acceptance if never seen), unless they are already due
      today or overdue above;
    - plan reviews due: open goals whose review date has come (one line per person);
    - connections to check: activities suggested or referred ``connection_check_days`` days
      or more ago with no news of whether the person went (one line per person);
    - coming up: planned follow-ups in the rest of the window.

    Only open referrals count: a closed episode's leftovers never nag.
    """
    if days < 1:
        raise ValueError("days: give 1 or more")
    agenda = Agenda(today=today, days=days)
    _followup_lines(db, agenda, today, days)
    _first_contact_lines(db, agenda, today, settings)
    _quiet_lines(db, agenda, today, settings)
    _review_lines(db, agenda, today)
    _connection_lines(db, agenda, today, settings)
    return agenda


def _followup_lines(db: Database, agenda: Agenda, today: date, days: int) -> None:
    last = today + timedelta(days=days - 1)
    for row in db.query(
        "SELECT f.*, p.given_name, p.family_name, s.flags AS person_flags FROM followups f "
        "JOIN people p ON p.id = f.person_id "
        "LEFT JOIN person_summary s ON s.person_id = f.person_id "
        "LEFT JOIN referrals r ON r.id = f.referral_id "
        f"WHERE f.status = 'planned' AND f.due_on <= ? "
        f"AND (f.referral_id IS NULL OR r.status IN {_OPEN_SQL}) "
        "ORDER BY f.due_on, f.due_time IS NULL, f.due_time, f.id",
        [last.isoformat()],
    ):
        due = date.fromisoformat(row["due_on"])
        bucket = "due_today" if due == today else "overdue" if due < today else "this_week"
        getattr(agenda, bucket).append(
            AgendaLine(
                bucket=bucket,
                person_id=int(row["person_id"]),
                name=_name(row),
                what=followup_what(row),
                on=due,
                time=row["due_time"],
                days=(today - due).days,
                kind=row["kind"],
                followup_id=int(row["id"]),
                referral_id=row["referral_id"],
                flags=_flags(row["person_flags"]),
            )
        )


def _first_contact_lines(db: Database, agenda: Agenda, today: date, settings: Settings) -> None:
    limit = settings.first_contact_working_days
    # Calendar days are at least working days: a cheap SQL pre-filter, exact count below.
    latest = today - timedelta(days=limit)
    for row in db.query(
        "SELECT r.id, r.person_id, r.received_on, r.status, r.source, r.urgency, "
        "p.given_name, p.family_name, s.flags AS person_flags, "
        "(SELECT count(*) FROM contacts c WHERE c.referral_id = r.id AND c.attempt = 1) "
        "  AS attempts, "
        "(SELECT min(f.due_on) FROM followups f WHERE f.person_id = r.person_id "
        "  AND f.status = 'planned' AND f.referral_id = r.id) AS next_booked "
        "FROM referrals r JOIN people p ON p.id = r.person_id "
        "LEFT JOIN person_summary s ON s.person_id = r.person_id "
        "WHERE r.status IN ('received', 'contacting') AND r.received_on < ? "
        "AND NOT EXISTS (SELECT 1 FROM contacts c WHERE c.referral_id = r.id AND c.attempt = 0) "
        "ORDER BY r.received_on, r.id",
        [latest.isoformat()],
    ):
        received = date.fromisoformat(row["received_on"])
        waited = working_days_between(received, today)
        if waited <= limit:
            continue
        attempts = int(row["attempts"])
        source = row["source"]
        what = (
            "Self-referral" if source == "self" else f"Referred by {label(ReferralSource, source)}"
        )
        what += ", " + (
            f"{attempts} attempt{'s' if attempts != 1 else ''}" if attempts else "not tried yet"
        )
        if row["urgency"] != "routine":
            what += f", {row['urgency']}"
        if row["next_booked"]:
            what += f"; booked {day_text(row['next_booked'], today)}"
        agenda.awaiting_first_contact.append(
            AgendaLine(
                bucket="awaiting_first_contact",
                person_id=int(row["person_id"]),
                name=_name(row),
                what=what,
                on=received,
                days=waited,
                referral_id=int(row["id"]),
                flags=_flags(row["person_flags"]),
            )
        )


def _quiet_lines(db: Database, agenda: Agenda, today: date, settings: Settings) -> None:
    cutoff = today - timedelta(days=settings.gone_quiet_days)
    for row in db.query(
        "SELECT * FROM (SELECT s.person_id, s.full_name, s.flags, s.referral_id, "
        "s.last_contact_at, s.next_followup_on, r.accepted_on, "
        "coalesce(substr(s.last_contact_at, 1, 10), r.accepted_on, r.received_on) AS since "
        "FROM person_summary s JOIN referrals r ON r.id = s.referral_id "
        "WHERE s.status = 'accepted') AS q "
        "WHERE q.since <= ? AND NOT EXISTS (SELECT 1 FROM followups f WHERE "
        "f.person_id = q.person_id AND f.status = 'planned' AND f.due_on <= ?) "
        "ORDER BY q.since, q.person_id",
        [cutoff.isoformat(), today.isoformat()],
    ):
        since = date.fromisoformat(row["since"])
        if row["last_contact_at"]:
            what = f"Last contact {day_text(since, today)}"
        else:
            what = f"No contact since accepted on {day_text(since, today)}"
        what += (
            f"; next booked {day_text(row['next_followup_on'], today)}"
            if row["next_followup_on"]
            else "; nothing booked"
        )
        agenda.gone_quiet.append(
            AgendaLine(
                bucket="gone_quiet",
                person_id=int(row["person_id"]),
                name=row["full_name"],
                what=what,
                on=since,
                days=(today - since).days,
                referral_id=int(row["referral_id"]),
                flags=_flags(row["flags"]),
            )
        )


def _review_lines(db: Database, agenda: Agenda, today: date) -> None:
    by_person: dict[int, AgendaLine] = {}
    descriptions: dict[int, list[str]] = {}
    for row in db.query(
        "SELECT g.id, g.person_id, g.description, g.review_on, s.full_name, s.flags, "
        "s.referral_id FROM goals g JOIN person_summary s ON s.person_id = g.person_id "
        "WHERE g.status = 'open' AND g.review_on <= ? AND s.status = 'accepted' "
        "ORDER BY g.review_on, g.id",
        [today.isoformat()],
    ):
        pid = int(row["person_id"])
        line = by_person.get(pid)
        if line is None:
            review_on = date.fromisoformat(row["review_on"])
            line = AgendaLine(
                bucket="reviews_due",
                person_id=pid,
                name=row["full_name"],
                what="",
                on=review_on,
                days=(today - review_on).days,
                referral_id=row["referral_id"],
                flags=_flags(row["flags"]),
            )
            by_person[pid] = line
            descriptions[pid] = []
            agenda.reviews_due.append(line)
        line.goal_ids.append(int(row["id"]))
        descriptions[pid].append(str(row["description"]))
    for pid, line in by_person.items():
        goals = descriptions[pid]
        count = f"{len(goals)} goals" if len(goals) > 1 else "goal"
        line.what = f"Review {count}: " + "; ".join(goals)


def _connection_lines(db: Database, agenda: Agenda, today: date, settings: Settings) -> None:
    cutoff = today - timedelta(days=settings.connection_check_days)
    by_person: dict[int, AgendaLine] = {}
    parts: dict[int, list[str]] = {}
    for row in db.query(
        "SELECT c.id, c.person_id, c.status, c.status_changed_on, a.name AS activity, "
        "s.full_name, s.flags, s.referral_id FROM connections c "
        "JOIN activities a ON a.id = c.activity_id "
        "JOIN person_summary s ON s.person_id = c.person_id "
        "WHERE c.status IN ('suggested', 'referred') AND c.status_changed_on <= ? "
        "AND s.status = 'accepted' ORDER BY c.status_changed_on, c.id",
        [cutoff.isoformat()],
    ):
        pid = int(row["person_id"])
        changed = date.fromisoformat(row["status_changed_on"])
        line = by_person.get(pid)
        if line is None:
            line = AgendaLine(
                bucket="connections_to_check",
                person_id=pid,
                name=row["full_name"],
                what="",
                on=changed,
                days=(today - changed).days,
                referral_id=row["referral_id"],
                flags=_flags(row["flags"]),
            )
            by_person[pid] = line
            parts[pid] = []
            agenda.connections_to_check.append(line)
        line.connection_ids.append(int(row["id"]))
        parts[pid].append(f"{row['activity']} ({row['status']} {day_text(changed, today)})")
    for pid, line in by_person.items():
        line.what = "Did they go? " + "; ".join(parts[pid])


# --- iCalendar export ---------------------------------------------------------------------


def store_uuid(db: Database) -> str:
    """A random id for this store, made once and kept in ``meta`` (calendar UIDs use it)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'store_uuid'").fetchone()
    if row:
        return str(row[0])
    value = str(uuid.uuid4())
    with db.atomic():
        db.execute("INSERT OR IGNORE INTO meta (key, value) VALUES ('store_uuid', ?)", [value])
    return str(db.execute("SELECT value FROM meta WHERE key = 'store_uuid'").fetchone()[0])


def followup_uid(followup_id: int, store: str) -> str:
    """The calendar UID of a follow-up: the same on every export, so re-importing updates it."""
    return f"followup-{followup_id}@linkworker.{store}"


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


def calendar(
    db: Database, today: date, *, days: int = CALENDAR_DAYS, identifiable: bool = False
) -> CalendarExport:
    """Planned follow-ups from ``today`` for ``days`` days as an RFC 5545 calendar.

    Each event's UID comes from the follow-up id and the store, and its SEQUENCE counts the
    changes made to it, so importing a newer export updates events rather than duplicating
    them. Times are "floating" local times (the time on the link worker's own clock). By
    default an event says only the person's initials and the kind of follow-up; with
    ``identifiable`` it names the person and adds where and what for.
    """
    from icalendar import Calendar, Event

    if days < 1:
        raise ValueError("days: give 1 or more")
    last = today + timedelta(days=days - 1)
    store = store_uuid(db)
    cal = Calendar()
    cal.add("prodid", "-//linkworker//follow-ups//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", "linkworker follow-ups")
    count = 0
    for row in db.query(
        "SELECT f.*, p.given_name, p.family_name, "
        # person_id first: the audit table is indexed by person, not by record.
        "(SELECT count(DISTINCT a.at) FROM audit a WHERE a.person_id = f.person_id "
        "  AND a.table_name = 'followups' AND a.record_id = f.id AND a.action = 'update') "
        "  AS changes "
        "FROM followups f JOIN people p ON p.id = f.person_id "
        "LEFT JOIN referrals r ON r.id = f.referral_id "
        f"WHERE f.status = 'planned' AND f.due_on BETWEEN ? AND ? "
        f"AND (f.referral_id IS NULL OR r.status IN {_OPEN_SQL}) "
        "ORDER BY f.due_on, f.due_time IS NULL, f.due_time, f.id",
        [today.isoformat(), last.isoformat()],
    ):
        kind = str(row["kind"]).replace("_", " ")
        who = _name(row) if identifiable else initials(row["given_name"], row["family_name"])
        event = Event()
        event.add("uid", followup_uid(int(row["id"]), store))
        event.add("dtstamp", _utc(row["updated_at"]))
        event.add("created", _utc(row["created_at"]))
        event.add("last-modified", _utc(row["updated_at"]))
        event.add("sequence", int(row["changes"] or 0))
        event.add("summary", f"{who} – {kind} follow-up")
        due = date.fromisoformat(row["due_on"])
        if row["due_time"]:
            hours, minutes = (int(x) for x in row["due_time"].split(":"))
            start = datetime.combine(due, time(hours, minutes))
            event.add("dtstart", start)
            duration = row["duration_minutes"] or DEFAULT_DURATION_MINUTES
            event.add("dtend", start + timedelta(minutes=duration))
        else:
            event.add("dtstart", due)
            event.add("dtend", due + timedelta(days=1))
        if identifiable:
            if row["location"]:
                event.add("location", row["location"])
            if row["purpose"]:
                event.add("description", row["purpose"])
        event.add("status", "CONFIRMED")
        event.add("transp", "OPAQUE")
        cal.add_component(event)
        count += 1
    return CalendarExport(cal.to_ical(), count, today, last, identifiable)
