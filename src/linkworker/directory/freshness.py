"""Freshness (when an activity was last checked) and the link worker's own columns.

The link worker's own columns (verified, favourite, notes) are never touched by an import
and never exported unless asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlite_utils import Database

from linkworker.clock import Clock
from linkworker.directory.rows import ActivityRow, DirectoryError, get_activity
from linkworker.display import short_date, table_date
from linkworker.store import audit


def stale_before(today: date, months: int) -> date:
    """The date before which an activity's last check counts as stale."""
    month = today.month - months
    year = today.year
    while month < 1:
        month += 12
        year -= 1
    day = min(today.day, 28) if month == 2 else min(today.day, 30 if month in (4, 6, 9, 11) else 31)
    return date(year, month, day)


def last_checked(row: ActivityRow) -> str | None:
    """The newer of the feed's assured date and the link worker's own verification."""
    dates = [d for d in (row.get("assured_date"), row.get("verified_on")) if d]
    return max(dates) if dates else None


def is_stale(row: ActivityRow, today: date, months: int) -> bool:
    """True when nobody has checked this activity within the freshness window."""
    checked = last_checked(row)
    return checked is None or checked < stale_before(today, months).isoformat()


@dataclass(frozen=True)
class Freshness:
    """When an activity was last checked by its publisher and by the link worker."""

    assured_date: str | None
    verified_on: str | None
    last_checked: str | None
    stale: bool
    months: int

    def words(self) -> str:
        """One line a link worker reads: when it was checked and whether it is stale."""
        if self.last_checked is None:
            return f"⚠ STALE: never checked (check before recommending; limit {self.months} months)"
        when = short_date(self.last_checked)
        if self.stale:
            return (
                f"⚠ STALE: last checked {when}, over {self.months} months ago "
                "(check before recommending)"
            )
        return f"✓ checked {when}"

    def cell(self) -> str:
        """A short table cell: the date, or '⚠ stale'."""
        if self.stale:
            return "⚠ stale"
        return table_date(self.last_checked)


def freshness(row: ActivityRow, today: date, months: int) -> Freshness:
    """Assured date, the link worker's own verification and staleness of one activity."""
    return Freshness(
        assured_date=row.get("assured_date"),
        verified_on=row.get("verified_on"),
        last_checked=last_checked(row),
        stale=is_stale(row, today, months),
        months=months,
    )


# --- The link worker's own columns: verified, favourite, notes -----------------------------


def mark_verified(db: Database, activity_id: int, clock: Clock) -> str:
    """Record that the link worker checked the activity today; returns the date."""
    get_activity(db, activity_id)
    on = clock.today().isoformat()
    with db.atomic():
        audit.update(
            db, "activities", activity_id, {"verified_on": on}, person_id=None, clock=clock
        )
    return on


def toggle_favourite(db: Database, activity_id: int, clock: Clock) -> bool:
    """Make the activity a favourite, or stop it being one; returns the new state."""
    row = get_activity(db, activity_id)
    new = not row["favourite"]
    with db.atomic():
        audit.update(db, "activities", activity_id, {"favourite": new}, person_id=None, clock=clock)
    return new


def set_notes(db: Database, activity_id: int, notes: str | None, clock: Clock) -> None:
    """The link worker's private notes ("ask for Sue on Tuesdays"); never exported unless asked."""
    get_activity(db, activity_id)
    text = (notes or "").strip() or None
    if text is not None and len(text) > 5000:
        raise DirectoryError("notes: at most 5000 characters")
    with db.atomic():
        audit.update(db, "activities", activity_id, {"notes": text}, person_id=None, clock=clock)
