"""Each nation's bank holidays, as the ``holidays`` package gives them, kept in a cache file.

Importing ``holidays`` and building the GB calendar takes ~75 ms (the package loads all of
its ~200 countries' modules to find one), which Today's first paint needs for the working
days of its first-contact bucket (issue 18). So the dates and names it gives for the years
around now are written once to ``paths.cache_dir()/bank-holidays-NATION.json`` and read
from there at start. The file is a cache, never the authority:

- it records a stamp of the installed package (its ``version.py``'s size and modification
  time, found without importing it), so an upgrade that adds a bank holiday rebuilds it;
- a day outside the years it holds is asked of the package itself;
- a missing, unreadable, damaged or stale file is rebuilt, and one that cannot be written
  (a read-only home) is simply not kept: the package answers, as before.
"""

from __future__ import annotations

import bisect
import importlib.util
import json
import os
from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from linkworker import paths

if TYPE_CHECKING:
    import holidays as holidays_package

#: The bank-holiday nations a setting may name, as the ``holidays`` package spells them.
#: England and Wales share one calendar.
NATIONS = {"england-and-wales": "ENG", "scotland": "SCT", "northern-ireland": "NIR"}

#: The cache holds these years either side of the current one: referrals waiting for a first
#: contact, people gone quiet and follow-ups being booked all fall well inside them.
YEARS_BEFORE = 10
YEARS_AFTER = 5

#: The cache file's layout; a file of another version is rebuilt.
CACHE_VERSION = 1


@lru_cache(maxsize=8)
def package_calendar(nation: str) -> holidays_package.HolidayBase:
    """The ``holidays`` package's own calendar of ``nation`` (it fills each year in the
    first time a day of that year is asked about)."""
    import holidays

    return holidays.country_holidays("GB", subdiv=NATIONS[nation])


def package_stamp() -> str | None:
    """Which build of the ``holidays`` package is installed, read without importing it."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or not spec.origin:
        return None
    try:
        version = os.stat(Path(spec.origin).with_name("version.py"))
    except OSError:
        return None
    return f"{version.st_size}:{version.st_mtime_ns}"


class BankHolidays:
    """The bank holidays of one nation: the cached years, and the package beyond them."""

    def __init__(self, nation: str, first_year: int, last_year: int, days: Mapping[date, str]):
        self.nation = nation
        self.first_year = first_year
        self.last_year = last_year
        self.days = dict(days)
        self._sorted = sorted(self.days)  # for between(): Today asks once a waiting referral

    def covers(self, first_year: int, last_year: int) -> bool:
        """Whether every year from ``first_year`` to ``last_year`` is held here."""
        return self.first_year <= first_year and last_year <= self.last_year

    def name(self, day: date) -> str | None:
        """The bank holiday's name when ``day`` is one, else None."""
        if self.covers(day.year, day.year):
            return self.days.get(day)
        found = package_calendar(self.nation).get(day)
        return str(found) if found else None

    def between(self, start: date, end: date) -> list[date]:
        """The bank holidays after ``start`` up to and including ``end``."""
        if self.covers(start.year, end.year):
            ordered = self._sorted
            return ordered[bisect.bisect_right(ordered, start) : bisect.bisect_right(ordered, end)]
        calendar = package_calendar(self.nation)
        for year in range(start.year, end.year + 1):
            calendar.get(date(year, 1, 1))  # fills that year in
        return sorted(day for day in calendar if start < day <= end)


def cache_file(nation: str) -> Path:
    """Where ``nation``'s bank holidays are cached."""
    return paths.cache_dir() / f"bank-holidays-{nation}.json"


def _read(path: Path, nation: str, stamp: str | None, year: int) -> BankHolidays | None:
    """The cached calendar, or None when it is missing, damaged, stale or too narrow."""
    try:
        kept: Any = json.loads(path.read_text(encoding="utf-8"))
        if not (
            isinstance(kept, dict)
            and kept.get("version") == CACHE_VERSION
            and kept.get("nation") == nation
            and stamp is not None
            and kept.get("package") == stamp
        ):
            return None
        first, last = int(kept["first_year"]), int(kept["last_year"])
        days = {date.fromisoformat(day): name for day, name in kept["days"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    # The names are shown on screen: a cache that was edited to hold anything but plain
    # printable text is not trusted.
    if not all(isinstance(name, str) and name.isprintable() for name in days.values()):
        return None
    if not (first <= year - YEARS_BEFORE and year + YEARS_AFTER <= last):
        return None
    return BankHolidays(nation, first, last, days)


def _build(nation: str, stamp: str | None, year: int) -> BankHolidays:
    """The calendar made by the package, and written to the cache when that is possible."""
    import holidays

    first, last = year - YEARS_BEFORE, year + YEARS_AFTER
    calendar = holidays.country_holidays("GB", subdiv=NATIONS[nation], years=range(first, last + 1))
    days = {day: str(name) for day, name in sorted(calendar.items())}
    built = BankHolidays(nation, first, last, days)
    if stamp is not None:
        _keep(built, stamp)
    return built


def _keep(built: BankHolidays, stamp: str) -> None:
    from linkworker.formats import writer

    kept = {
        "version": CACHE_VERSION,
        "nation": built.nation,
        "package": stamp,
        "first_year": built.first_year,
        "last_year": built.last_year,
        "days": {day.isoformat(): name for day, name in built.days.items()},
    }
    path = cache_file(built.nation)
    try:
        writer.make_folder(path.parent, parents=True)
        writer.write_text(path, json.dumps(kept, indent=1) + "\n", force=True)
    except (OSError, writer.ExportError):
        pass  # a cache that cannot be kept costs time, never an answer


@lru_cache(maxsize=8)
def calendar_of(nation: str, year: int) -> BankHolidays:
    """``nation``'s bank holidays around ``year`` (the current year), from the cache when it
    is good, else from the package."""
    if nation not in NATIONS:
        raise KeyError(nation)
    stamp = package_stamp()
    return _read(cache_file(nation), nation, stamp, year) or _build(nation, stamp, year)
