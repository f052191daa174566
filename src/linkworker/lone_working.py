"""Lone working: the day's visits as a plan for a buddy, checking in and out, and what is late.

A visit is a follow-up booked as a home visit, at a venue or as a walk and talk (the kinds
that take the worker out alone). Checking in starts the watch: the visit is expected back
at its booked end (or, untimed or started late, its length after checking in). A visit
checked in and not checked out by then plus ``Settings.visit_margin_minutes`` is
*overdue*: the app shows it first at the next start and on Today, and the plan tells the
buddy what to do then (``Settings.buddy_action``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

from linkworker.clock import Clock
from linkworker.display import initials, label
from linkworker.errors import CaseloadError
from linkworker.store.db import query
from linkworker.validation import format_date
from linkworker.vocabulary import FollowUpKind, FollowUpStatus

# The audit log (written by check-in and check-out) and the default visit length
# (followups.days) load where they are used: Today's first paint reads late visits, and
# needs neither (issue 18).

if TYPE_CHECKING:
    from sqlite_utils import Database

    from linkworker.settings import Settings
    from linkworker.settings_start import SettingsNow
    from linkworker.store.db import Reads

#: The follow-up kinds that take the worker out to see someone alone.
VISIT_KINDS = (FollowUpKind.HOME_VISIT, FollowUpKind.VENUE, FollowUpKind.WALK_AND_TALK)
_VISIT_SQL = "(" + ", ".join(f"'{k.value}'" for k in VISIT_KINDS) + ")"

Names = Literal["initials", "full"]
NAME_CHOICES: tuple[Names, ...] = ("initials", "full")


class VisitError(CaseloadError):
    """Checking in or out is not possible; the message says why."""


@dataclass(frozen=True)
class Visit:
    """One visit of the day, where it is and how far its check has got."""

    followup_id: int
    person_id: int
    given_name: str
    family_name: str
    due_on: date
    start: str | None
    duration: int
    kind: str
    where: str
    lone_working_flag: bool
    checked_in_at: datetime | None = None
    expected_back_at: datetime | None = None
    checked_out_at: datetime | None = None
    status: str = FollowUpStatus.PLANNED

    def who(self, names: Names) -> str:
        """'J.S.' or 'Joan Smith', as the worker chose."""
        if names == "full":
            return f"{self.given_name} {self.family_name}"
        return initials(self.given_name, self.family_name)

    def booked_end(self) -> datetime | None:
        """When the booked visit ends (None for an untimed one)."""
        if self.start is None:
            return None
        hours, minutes = (int(x) for x in self.start.split(":"))
        begins = datetime.combine(self.due_on, datetime.min.time()).replace(
            hour=hours, minute=minutes
        )
        return begins + timedelta(minutes=self.duration)

    def back_by(self) -> datetime | None:
        """When the worker is expected back: as checked in, else the booked end."""
        return self.expected_back_at or self.booked_end()

    def state(self) -> str:
        """'not checked in', 'checked in 10:02' or 'checked out 11:05'."""
        if self.checked_out_at is not None:
            return f"checked out {self.checked_out_at:%H:%M}"
        if self.checked_in_at is not None:
            return f"checked in {self.checked_in_at:%H:%M}"
        return "not checked in"


_SELECT = (
    "SELECT f.id, f.person_id, f.status, f.due_on, f.due_time, f.duration_minutes, f.kind, "
    "f.location, "
    "p.given_name, p.family_name, p.address, p.postcode, "
    "v.checked_in_at, v.expected_back_at, v.checked_out_at, "
    "EXISTS (SELECT 1 FROM flags g WHERE g.person_id = p.id AND g.kind = 'lone_working' "
    "  AND g.cleared_on IS NULL AND g.entered_in_error_at IS NULL) AS lone_flag "
    "FROM followups f JOIN people p ON p.id = f.person_id "
    "LEFT JOIN visit_checks v ON v.followup_id = f.id "
)


def _stamp(value: object) -> datetime | None:
    return datetime.fromisoformat(str(value)) if value else None


def _visit(row: dict[str, Any]) -> Visit:
    from linkworker.followups.days import DEFAULT_DURATION_MINUTES

    where = row["location"]
    if not where and row["kind"] == FollowUpKind.VENUE:
        # A venue is somewhere else than home: the buddy must not be sent to the address.
        where = "(no venue recorded: tell your buddy where)"
    where = where or ", ".join(
        part.replace("\n", ", ") for part in (row["address"], row["postcode"]) if part
    )
    return Visit(
        followup_id=int(row["id"]),
        person_id=int(row["person_id"]),
        given_name=row["given_name"],
        family_name=row["family_name"],
        due_on=date.fromisoformat(row["due_on"]),
        start=row["due_time"],
        duration=int(row["duration_minutes"] or DEFAULT_DURATION_MINUTES),
        kind=row["kind"],
        where=where or "(no address recorded)",
        lone_working_flag=bool(row["lone_flag"]),
        checked_in_at=_stamp(row["checked_in_at"]),
        expected_back_at=_stamp(row["expected_back_at"]),
        checked_out_at=_stamp(row["checked_out_at"]),
        status=row["status"],
    )


def visits_on(db: Database, day: date) -> list[Visit]:
    """The day's visits still planned or done (not cancelled or missed), in time order."""
    rows = db.query(
        _SELECT + f"WHERE f.due_on = ? AND f.kind IN {_VISIT_SQL} "
        "AND f.status IN ('planned', 'done') AND f.entered_in_error_at IS NULL "
        "ORDER BY f.due_time IS NULL, f.due_time, f.id",
        [day.isoformat()],
    )
    return [_visit(row) for row in rows]


def visit(db: Database, followup_id: int) -> Visit:
    """One visit; VisitError when the follow-up is not a visit (LookupError: no follow-up)."""
    # Booking (and the referral rules behind it) loads here, not with Today's banner.
    from linkworker.followups.booking import get_followup

    row = get_followup(db, followup_id)
    if row["kind"] not in {k.value for k in VISIT_KINDS}:
        raise VisitError(
            f"follow-up {followup_id} is {label(FollowUpKind, row['kind']).lower()}, not a "
            "visit: only home visits, venues and walks are checked in and out"
        )
    return _visit(next(iter(db.query(_SELECT + "WHERE f.id = ?", [followup_id]))))


def check_in(db: Database, followup_id: int, clock: Clock) -> Visit:
    """Start the watch on a visit: expected back at its booked end, or its length from now."""
    from linkworker.store import audit

    with db.atomic():
        found = visit(db, followup_id)
        if found.checked_in_at is not None:
            raise VisitError(f"this visit was already checked in at {found.checked_in_at:%H:%M}")
        if found.status != FollowUpStatus.PLANNED:
            done = label(FollowUpStatus, found.status).lower()
            raise VisitError(f"this visit is {done}, so there is nothing to check in to")
        if found.due_on != clock.today():
            raise VisitError(
                f"this visit is booked for {found.due_on:%a} {format_date(found.due_on)}: "
                "check in on the day, as you set off"
            )
        now = clock.now()
        booked_end = found.booked_end()
        expected = booked_end if booked_end and booked_end > now else None
        expected = expected or now + timedelta(minutes=found.duration)
        audit.insert(
            db,
            "visit_checks",
            {
                "followup_id": followup_id,
                "person_id": found.person_id,
                "checked_in_at": now,
                "expected_back_at": expected,
            },
            person_id=found.person_id,
            clock=clock,
        )
        return visit(db, followup_id)


def check_out(db: Database, followup_id: int, clock: Clock) -> Visit:
    """End the watch on a visit checked in (VisitError if it was not, or is out already)."""
    from linkworker.store import audit

    with db.atomic():
        found = visit(db, followup_id)
        if found.checked_in_at is None:
            raise VisitError("this visit was not checked in, so it cannot be checked out")
        if found.checked_out_at is not None:
            raise VisitError(f"this visit was already checked out at {found.checked_out_at:%H:%M}")
        check_id = db.execute(
            "SELECT id FROM visit_checks WHERE followup_id = ?", [followup_id]
        ).fetchone()[0]
        audit.update(
            db,
            "visit_checks",
            int(check_id),
            {"checked_out_at": clock.now()},
            person_id=found.person_id,
            clock=clock,
        )
        return visit(db, followup_id)


def end_watch(db: Database, followup_ids: list[int], clock: Clock) -> int:
    """Check out the visits among ``followup_ids`` still checked in: a visit completed,
    missed or cancelled is over, so nobody should be told it is overdue. Returns how many.

    The follow-up owners (completing, missing, cancelling, closing a referral) call this in
    their own transaction.
    """
    from linkworker.store import audit

    if not followup_ids:
        return 0
    marks = ", ".join("?" * len(followup_ids))
    watched = db.execute(
        f"SELECT id, person_id FROM visit_checks WHERE followup_id IN ({marks}) "
        "AND checked_out_at IS NULL",
        list(followup_ids),
    ).fetchall()
    for check_id, person_id in watched:
        audit.update(
            db,
            "visit_checks",
            int(check_id),
            {"checked_out_at": clock.now()},
            person_id=int(person_id),
            clock=clock,
        )
    return len(watched)


def check_in_or_out(db: Database, followup_id: int, clock: Clock) -> tuple[str, Visit]:
    """The one key on Today: check in a visit not checked in, else check it out."""
    if visit(db, followup_id).checked_in_at is None:
        return "checked in", check_in(db, followup_id, clock)
    return "checked out", check_out(db, followup_id, clock)


def overdue_visits(db: Reads, now: datetime, settings: SettingsNow) -> list[Visit]:
    """Visits checked in and not out by their expected back time plus the margin."""
    latest = now - timedelta(minutes=settings.visit_margin_minutes)
    rows = query(
        db,
        _SELECT + "WHERE v.checked_in_at IS NOT NULL AND v.checked_out_at IS NULL "
        "AND v.expected_back_at < ? ORDER BY v.expected_back_at, f.id",
        [latest.isoformat(timespec="seconds")],
    )
    return [_visit(row) for row in rows]


def late_by(found: Visit, now: datetime) -> str:
    """'not checked out: expected back 11:00 on 2 Dec 2026 (1 h 20 min ago)'."""
    back = found.back_by() or now
    minutes = max(0, int((now - back).total_seconds() // 60))
    ago = f"{minutes // 60} h {minutes % 60} min" if minutes >= 60 else f"{minutes} min"
    return f"not checked out: expected back {back:%H:%M} on {format_date(back.date())} ({ago} ago)"


def overdue_text(
    found: list[Visit], now: datetime, *, how: str = "on Today (k on its line)"
) -> str:
    """What the start-up message, Today and ``visits list`` say about visits not checked
    out; ``how`` says where to check out."""
    lines = [
        f"{label(FollowUpKind, v.kind)} with {v.who('full')} at {v.where}: {late_by(v, now)}"
        for v in found
    ]
    lines.append(f"Check out {how} once you are safe, or ask your buddy what they have done.")
    return "\n".join(lines)


def _check_on_me(found: Visit, settings: Settings) -> str:
    back = found.back_by()
    if back is None:
        return "Expected back: no time booked (I will text you when I leave)"
    check = back + timedelta(minutes=settings.visit_margin_minutes)
    return f"Expected back: {back:%H:%M} (check on me from {check:%H:%M})"


def plan_text(visits: list[Visit], day: date, settings: Settings, names: Names) -> str:
    """The day's visits as a plain-text note for the buddy, to send from the worker's phone."""
    lines = [f"Lone working plan: my visits on {day:%a} {format_date(day)}"]
    me = ", ".join(part for part in (settings.worker_name, settings.worker_phone) if part)
    if me:
        lines.append(f"Me: {me}")
    buddy = ", ".join(part for part in (settings.buddy_name, settings.buddy_phone) if part)
    lines.append(f"Buddy: {buddy or '(set buddy_name and buddy_phone in settings)'}")
    if not visits:
        lines += ["", "No home or community visits booked today."]
    for found in visits:
        end = found.booked_end()
        when = f"{found.start}-{end:%H:%M}" if found.start and end else "Time not booked"
        lines += [
            "",
            f"{when} {label(FollowUpKind, found.kind)} with {found.who(names)}",
            f"  Where: {found.where}",
            f"  {_check_on_me(found, settings)}",
        ]
        if found.lone_working_flag:
            lines.append("  A lone-working risk is recorded for this visit.")
    lines += [
        "",
        "I check in when I arrive and out when I leave. If I have not checked out by the "
        f"check-on-me time: {settings.buddy_action}",
    ]
    return "\n".join(lines) + "\n"


def visits_lines(visits: list[Visit], names: Names) -> list[str]:
    """The day's visits with how far each check has got, for ``visits list``."""
    return [
        f"{v.followup_id:>6}  {v.start or '--:--'}  {label(FollowUpKind, v.kind):<24} "
        f"{v.who(names):<20} {v.state()}"
        for v in visits
    ]
