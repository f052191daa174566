"""Time, injected: core functions never read the system clock themselves.

The app and CLI build one :class:`Clock` and pass it down. ``--today`` gives a clock whose
date is fixed (demos, tests, snapshots); the demo generator uses a clock fixed to the
minute so that the same arguments write the same rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time


@dataclass(frozen=True)
class Clock:
    """Today's date and the current time, possibly with the date pinned."""

    fixed_date: date | None = None
    fixed_time: time | None = None

    def today(self) -> date:
        return self.fixed_date or date.today()

    def now(self) -> datetime:
        moment = datetime.now().replace(microsecond=0)
        if self.fixed_time is not None:
            moment = datetime.combine(moment.date(), self.fixed_time)
        if self.fixed_date is not None:
            moment = datetime.combine(self.fixed_date, moment.time())
        return moment

    def stamp(self) -> str:
        """The current moment as stored: ISO 8601 to the second, local time."""
        return self.now().isoformat(timespec="seconds")


SYSTEM = Clock()


def fixed(day: date, at: time = time(9, 0)) -> Clock:
    """A clock stopped at one moment (for deterministic output)."""
    return Clock(fixed_date=day, fixed_time=at)
