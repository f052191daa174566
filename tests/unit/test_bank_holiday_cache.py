"""The bank-holiday cache (followups/bank_holidays.py): Today's first paint reads the years
around now from a file instead of importing the ``holidays`` package (issue 18), and the
file is never the authority: a stale, damaged or edited cache is made again."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from linkworker import paths
from linkworker.followups import bank_holidays as bh
from linkworker.followups.days import (
    add_working_days,
    is_working_day,
    working_day_back,
    working_days_between,
)


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    bh.calendar_of.cache_clear()


def the_package(nation: str, first: date, last: date) -> dict[date, str]:
    calendar = bh.package_calendar(nation)
    return {day: str(calendar.get(day)) for day in _days(first, last) if day in calendar}


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def test_the_cache_holds_what_the_package_says_for_each_nation() -> None:
    for nation in bh.NATIONS:
        built = bh.calendar_of(nation, 2026)
        assert bh.cache_file(nation).exists()
        assert built.covers(2026 - bh.YEARS_BEFORE, 2026 + bh.YEARS_AFTER)
        first, last = date(2016, 1, 1), date(2031, 12, 31)
        assert built.days == the_package(nation, first, last)
        bh.calendar_of.cache_clear()
        assert bh.calendar_of(nation, 2026).days == built.days  # read back from the file


def test_a_day_beyond_the_cached_years_is_asked_of_the_package() -> None:
    kept = bh.calendar_of("england-and-wales", 2026)
    assert kept.name(date(1990, 12, 25)) == "Christmas Day"
    assert kept.name(date(2045, 12, 26)) == "Boxing Day"
    first, last = date(1999, 12, 24), date(2000, 1, 4)
    between = kept.between(first, last)
    assert between == sorted(the_package("england-and-wales", first + timedelta(days=1), last))
    assert date(1999, 12, 31) in between  # the Millennium's one-off bank holiday


def test_a_stale_damaged_or_edited_cache_is_made_again(monkeypatch: pytest.MonkeyPatch) -> None:
    path = bh.cache_file("scotland")
    bh.calendar_of("scotland", 2026)
    good = json.loads(path.read_text(encoding="utf-8"))

    def kept_after(content: str) -> dict[str, object]:
        path.write_text(content, encoding="utf-8")
        bh.calendar_of.cache_clear()
        assert bh.calendar_of("scotland", 2026).name(date(2026, 11, 30)) == "Saint Andrew's Day"
        return dict(json.loads(path.read_text(encoding="utf-8")))

    assert kept_after("{not json") == good
    assert kept_after(json.dumps({**good, "package": "another build"})) == good
    assert kept_after(json.dumps({**good, "nation": "northern-ireland"})) == good
    escape = {**good, "days": {**good["days"], "2026-11-30": "\x1b[2JSaint Andrew's Day"}}
    assert kept_after(json.dumps(escape)) == good
    # Too narrow for the year asked about: made again around it.
    assert kept_after(json.dumps({**good, "last_year": 2027})) == good


def test_a_home_that_cannot_be_written_still_gets_its_bank_holidays(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    monkeypatch.setattr(paths, "cache_dir", lambda: blocked / "cache")
    assert bh.calendar_of("england-and-wales", 2026).name(date(2026, 12, 25)) == "Christmas Day"
    assert not (blocked / "cache").exists()


def test_working_days_agree_with_the_package_over_years_in_and_out_of_the_cache() -> None:
    calendar = bh.package_calendar("northern-ireland")
    this_year = date.today().year
    for first in (date(this_year - 1, 12, 1), date(1998, 12, 1), date(this_year + 9, 3, 1)):
        for day in _days(first, first + timedelta(days=60)):
            expected = day.weekday() < 5 and day not in calendar
            assert is_working_day(day, "northern-ireland") is expected, day


def test_the_working_day_back_is_where_waiting_that_long_begins() -> None:
    today = date(2027, 1, 4)  # after Christmas and New Year
    for count in range(1, 12):
        back = working_day_back(today, count)
        assert working_days_between(back - timedelta(days=1), today) >= count
        assert working_days_between(back, today) == count - 1
        assert back == add_working_days(today, -(count - 1)) or not is_working_day(today)
    with pytest.raises(ValueError):
        working_day_back(today, 0)


def test_the_first_paint_reads_the_cache_without_importing_holidays(tmp_path: Path) -> None:
    bh.calendar_of("england-and-wales", date.today().year)  # writes this home's cache
    code = (
        "import sys\n"
        "from datetime import date\n"
        "from linkworker.followups.days import working_days_between\n"
        "print(working_days_between(date.today().replace(month=1, day=1), date.today()))\n"
        "print('holidays' in sys.modules)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert shown[1] == "False"
