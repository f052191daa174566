"""Reporting periods: whole calendar months (or quarters), and the periods a link worker picks.

A caseload report covers whole months only (issue 14): two reports whose periods differed by
a day could be compared to give back one person's figures. A period asked for with other
days is widened to whole months, and remembers what was asked so the report can say so.
"""

from __future__ import annotations

import calendar
import functools
from dataclasses import dataclass, field
from datetime import date, timedelta


def _long(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


@dataclass(frozen=True)
class Period:
    """A reporting period, both ends included.

    ``asked`` is the period typed before it was widened to whole months (None when it was
    already whole months); it is not part of the period's identity.
    """

    start: date
    end: date
    asked: tuple[date, date] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(
                f"the period starts on {self.start.isoformat()}, after it ends on "
                f"{self.end.isoformat()}"
            )

    @property
    def months(self) -> list[str]:
        """Every calendar month the period touches, as 'YYYY-MM' (a new list each time)."""
        return list(self._months)

    @functools.cached_property
    def _months(self) -> tuple[str, ...]:
        # Worked out once a period: a hub asks it of every bundle it reads.
        out: list[str] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return tuple(out)

    @property
    def is_whole_months(self) -> bool:
        """True when the period starts on a 1st and ends on the last day of a month."""
        return self.start.day == 1 and self.end == _month_end(self.end)

    def whole_months(self) -> Period:
        """This period widened to whole calendar months (itself when it already is)."""
        if self.is_whole_months:
            return self
        return Period(_month_start(self.start), _month_end(self.end), asked=(self.start, self.end))

    def widened_words(self) -> str | None:
        """What the report says when the period asked for was widened (None when it was not)."""
        if self.asked is None:
            return None
        start, end = self.asked
        return (
            f"The period asked for, {_long(start)} to {_long(end)}, was widened to whole "
            f"calendar months ({_long(self.start)} to {_long(self.end)}) so that reports "
            "cannot be compared day by day."
        )


def _month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_presets(today: date) -> list[tuple[str, str, Period]]:
    """The periods a link worker reports on: (key, label, period), the default first.

    Every one is whole calendar months. Quarters are calendar quarters (Jan-Mar, Apr-Jun...);
    the financial year starts 1 April. "So far" periods run to the end of this month (the
    figures stop at today, as nothing later is recorded).
    """
    this_quarter = _quarter_start(today)
    last_quarter_end = this_quarter - timedelta(days=1)
    last_month_end = _month_start(today) - timedelta(days=1)
    fy_start = date(today.year if today.month >= 4 else today.year - 1, 4, 1)
    year, month = last_month_end.year, last_month_end.month - 11
    if month < 1:
        year, month = year - 1, month + 12
    twelve_start = date(year, month, 1)
    return [
        ("this_quarter", "This quarter so far", Period(this_quarter, _month_end(today))),
        ("last_month", "Last full month", Period(_month_start(last_month_end), last_month_end)),
        (
            "last_quarter",
            "Last full quarter",
            Period(_quarter_start(last_quarter_end), last_quarter_end),
        ),
        ("financial_year", "Financial year so far", Period(fy_start, _month_end(today))),
        ("last_12_months", "Last 12 full months", Period(twelve_start, last_month_end)),
    ]
