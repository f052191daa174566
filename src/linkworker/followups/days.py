"""Working days: the link worker's week is Monday to Friday, less the bank holidays of
their nation (``Settings.bank_holidays``), and so are suggested dates. Also the clock
changes: a booked time is London time, and twice a year one hour does not exist or happens
twice."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from typing import TYPE_CHECKING

from linkworker.followups.bank_holidays import BankHolidays, calendar_of
from linkworker.validation import format_date

if TYPE_CHECKING:
    from linkworker.settings import Settings

#: A timed follow-up booked without a duration is taken to last this long (clashes, .ics,
#: a lone visit's expected return).
DEFAULT_DURATION_MINUTES = 30

DEFAULT_NATION = "england-and-wales"


def _calendar(nation: str) -> BankHolidays:
    # The years around today come from the cache file (bank_holidays.py), so Today's first
    # paint does not import the holidays package; other years are asked of the package.
    return calendar_of(nation, date.today().year)


def bank_holiday(day: date, nation: str = DEFAULT_NATION) -> str | None:
    """The bank holiday's name when ``day`` is one in ``nation``, else None."""
    return _calendar(nation).name(day)


def is_working_day(day: date, nation: str = DEFAULT_NATION) -> bool:
    """Monday to Friday and not a bank holiday of ``nation``."""
    return day.weekday() < 5 and _calendar(nation).name(day) is None


def add_working_days(start: date, days: int, nation: str = DEFAULT_NATION) -> date:
    """``start`` moved by ``days`` working days; negative goes back."""
    step = 1 if days >= 0 else -1
    remaining = abs(days)
    current = start
    while remaining:
        current += timedelta(days=step)
        if is_working_day(current, nation):
            remaining -= 1
    return current


def working_days_between(start: date, end: date, nation: str = DEFAULT_NATION) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when end <= start)."""
    if end <= start:
        return 0
    whole_weeks, extra = divmod((end - start).days, 7)
    count = whole_weeks * 5
    for offset in range(1, extra + 1):
        if (start + timedelta(days=offset)).weekday() < 5:
            count += 1
    count -= sum(1 for day in _calendar(nation).between(start, end) if day.weekday() < 5)
    return count


def working_day_back(today: date, count: int, nation: str = DEFAULT_NATION) -> date:
    """The ``count``-th working day counting back from ``today`` (today is the first when it
    is one): ``working_days_between(start, today) >= count`` exactly when ``start`` is before
    it, so a query can find who has waited that long by date alone."""
    if count < 1:
        raise ValueError("count: give 1 or more")
    current, found = today, 0
    while True:
        if is_working_day(current, nation):
            found += 1
            if found == count:
                return current
        current -= timedelta(days=1)


def days_back_skipping_bank_holidays(today: date, days: int, nation: str = DEFAULT_NATION) -> date:
    """The day ``days`` days before ``today`` when bank holidays do not count as days
    (so Christmas does not make someone 'gone quiet')."""
    current = today
    remaining = days
    while remaining:
        current -= timedelta(days=1)
        if bank_holiday(current, nation) is None:
            remaining -= 1
    return current


def next_working_day(day: date, nation: str = DEFAULT_NATION) -> date:
    """``day`` itself on a working day; else the first working day after it."""
    while not is_working_day(day, nation):
        day += timedelta(days=1)
    return day


def suggest_next(after: date, settings: Settings) -> date:
    """The next follow-up to offer after a contact on ``after``: the default interval,
    moved to the next working day when it lands on a weekend or a bank holiday."""
    return next_working_day(
        after + timedelta(days=settings.followup_interval_days), settings.bank_holidays
    )


def suggest_retry(today: date, settings: Settings | None = None) -> date:
    """After a missed follow-up: try again on the next working day."""
    nation = settings.bank_holidays if settings else DEFAULT_NATION
    return add_working_days(today, 1, nation)


@lru_cache(maxsize=1)
def london() -> tzinfo:
    """The link worker's clock: every booked time is a time in London (GMT or BST).

    Loaded on first use: ``zoneinfo`` and the zone's file cost ~2.5 ms that Today's first
    paint does not need (issue 18).
    """
    from zoneinfo import ZoneInfo

    return ZoneInfo("Europe/London")


def clock_change(day: date, at: time) -> str | None:
    """Why ``at`` on ``day`` is not one moment in London, or None when it is.

    In spring the clocks go from 01:00 to 02:00, so 01:30 never happens; in autumn they go
    back from 02:00 to 01:00, so 01:30 happens twice. A calendar shows the first 01:30 (BST)
    in autumn and 02:30 BST for a spring time that does not exist.
    """
    local, zone = datetime.combine(day, at), london()
    first = local.replace(tzinfo=zone, fold=0)
    second = local.replace(tzinfo=zone, fold=1)
    when = f"{day.strftime('%a')} {format_date(day)} {at.strftime('%H:%M')}"
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != local:
        shown = first.astimezone(UTC).astimezone(zone).strftime("%H:%M")
        return (
            f"{when} does not exist in London: the clocks go forward an hour that night "
            f"(calendars will show {shown} BST)"
        )
    if first.utcoffset() != second.utcoffset():
        return (
            f"{when} happens twice in London: the clocks go back an hour that night "
            "(calendars will show the first, in BST)"
        )
    return None
