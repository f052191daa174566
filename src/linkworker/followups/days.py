"""Working days: the link worker's week is Monday to Friday, and so are suggested dates."""

from __future__ import annotations

from datetime import date, timedelta

from linkworker.settings import Settings


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
