"""Reporting periods: whole days from a start to an end, and the periods a link worker picks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Period:
    """A reporting period, both ends included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(
                f"the period starts on {self.start.isoformat()}, after it ends on "
                f"{self.end.isoformat()}"
            )

    @property
    def months(self) -> list[str]:
        """Every calendar month the period touches, as 'YYYY-MM'."""
        out: list[str] = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            out.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


def _month_start(day: date) -> date:
    return day.replace(day=1)


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def period_presets(today: date) -> list[tuple[str, str, Period]]:
    """The periods a link worker reports on: (key, label, period), the default first.

    Quarters are calendar quarters (Jan-Mar, Apr-Jun...); the financial year starts 1 April.
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
        ("this_quarter", "This quarter so far", Period(this_quarter, today)),
        ("last_month", "Last full month", Period(_month_start(last_month_end), last_month_end)),
        (
            "last_quarter",
            "Last full quarter",
            Period(_quarter_start(last_quarter_end), last_quarter_end),
        ),
        ("financial_year", "Financial year so far", Period(fy_start, today)),
        ("last_12_months", "Last 12 full months", Period(twelve_start, last_month_end)),
    ]
