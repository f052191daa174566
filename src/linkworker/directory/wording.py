"""An activity in a few words (table cells) and in plain sentences (a person's hand-out).

Schedules are stored the Open Referral way (RRULE-like ``byday`` such as ``MO,2TH,-1FR``,
``opens_at``/``closes_at``); people read "Tuesdays, 10am to 11am".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

from linkworker.directory.rows import ActivityRow, json_value
from linkworker.formats import oruk
from linkworker.validation import WEEKDAY_CODES, WEEKDAY_NAMES, outward_code

_BYDAY = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")
_PRICE = re.compile(r"£\s?\d[\d,]*(?:\.\d{1,2})?|\d+(?:\.\d+)?p\b")
_ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", 5: "fifth", -1: "last"}
_MENTIONS_WHEN = re.compile(
    r"\b(mon|tue|wed|thu|fri|sat|sun)|\d(?:am|pm|:\d\d)|\bnoon\b|\bdaily\b|\bevery\b",
    re.IGNORECASE,
)


def and_list(words: list[str]) -> str:
    """'Mondays', 'Mondays and Fridays', 'Mondays, Tuesdays and Fridays' ('' for none)."""
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _byday(schedule: dict[str, Any]) -> Iterator[tuple[str | None, str]]:
    """(which one of the month as written, or None for every week; the day code)."""
    for token in (schedule.get("byday") or "").split(","):
        match = _BYDAY.match(token.strip())
        if match:
            yield match.group(1), match.group(2)


def _schedules(row: ActivityRow) -> list[dict[str, Any]]:
    return [s for s in json_value(row.get("schedules"), []) if isinstance(s, dict)]


# --- Short cells for tables -----------------------------------------------------------------


def cost_short(row: ActivityRow) -> str:
    """The cost in a few characters: 'Free', the first price the cost text gives, or ''."""
    if row.get("is_free") == 1 or row.get("is_free") is True:
        return "Free"
    text = str(row.get("cost") or "")
    price = _PRICE.search(text)
    if price:
        return price.group(0).replace(" ", "")
    return text


def when_short(row: ActivityRow) -> str:
    """When, briefly, for a table cell: 'Mon-Fri 09:00', '1st, 3rd Tue 18:00', or the words."""
    schedules = _schedules(row)
    plain: set[str] = set()
    nth: dict[str, list[int]] = {}
    for s in schedules:
        for which, code in _byday(s):
            if which:
                nth.setdefault(code, []).append(int(which))
            else:
                plain.add(code)
    if not plain and not nth:
        return str(row.get("schedule_text") or "")
    parts = _day_runs([d for d in WEEKDAY_CODES if d in plain])
    for code in WEEKDAY_CODES:
        if code in nth:
            which_words = ", ".join(
                "last" if n == -1 else oruk._ordinal(n) for n in sorted(set(nth[code]))
            )
            parts.append(f"{which_words} {WEEKDAY_NAMES[code][:3]}")
    opens = sorted({s["opens_at"] for s in schedules if s.get("opens_at")})
    time = opens[0] + ("+" if len(opens) > 1 else "") if opens else ""
    return " ".join(p for p in (", ".join(parts), time) if p)


def _day_runs(codes: list[str]) -> list[str]:
    """['MO', 'TU', 'WE', 'FR'] -> ['Mon-Wed', 'Fri']: three or more days in a row as a run."""
    runs: list[list[str]] = []
    for code in codes:
        if runs and WEEKDAY_CODES.index(code) == WEEKDAY_CODES.index(runs[-1][-1]) + 1:
            runs[-1].append(code)
        else:
            runs.append([code])
    out: list[str] = []
    for run in runs:
        names = [WEEKDAY_NAMES[c][:3] for c in run]
        out += [f"{names[0]}-{names[-1]}"] if len(run) >= 3 else names
    return out


def where_short(row: ActivityRow) -> str:
    """Where, briefly: outward code and the venue (or town)."""
    outward = outward_code(row.get("postcode"))
    place = row.get("venue") or row.get("town") or ""
    return " ".join(p for p in (outward, place) if p)


# --- Plain sentences for people ---------------------------------------------------------------


def clock_words(hhmm: str) -> str:
    """'10:00' -> '10am', '13:30' -> '1:30pm', '12:00' -> '12 noon'."""
    hour, minute = int(hhmm[:2]), int(hhmm[3:5])
    if (hour, minute) == (12, 0):
        return "12 noon"
    if hour in (0, 24) and minute == 0:
        return "midnight"
    suffix = "am" if hour < 12 else "pm"
    shown = hour % 12 or 12
    return f"{shown}{suffix}" if minute == 0 else f"{shown}:{minute:02d}{suffix}"


_NUMBER_WORDS: tuple[str, ...] = ("one", "two", "three", "four", "five", "six", "seven", "eight")
_NUMBER_WORDS += ("nine", "ten", "eleven", "twelve")


def _number_words(n: int) -> str:
    return _NUMBER_WORDS[n - 1] if 1 <= n <= len(_NUMBER_WORDS) else str(n)


def _whole(value: object) -> int:
    return int(value) if isinstance(value, str) and value.isdigit() else 1


def _month_days(s: dict[str, Any]) -> list[str]:
    """BYMONTHDAY in words: 'the 15th', 'the last day'."""
    out: list[str] = []
    for token in str(s.get("bymonthday") or "").split(","):
        token = token.strip()
        if token.lstrip("-").isdigit() and token != "0":
            n = int(token)
            out.append("the last day" if n == -1 else f"the {oruk._ordinal(n)}")
    return out


def _session_days(s: dict[str, Any]) -> str:
    """The days of one schedule: 'Tuesdays and the first Friday of the month', 'every other
    Tuesday', 'the 15th of the month'."""
    freq = (s.get("freq") or "").upper()
    interval = _whole(s.get("interval"))
    every = "every other" if interval == 2 else f"every {interval}"
    plain: list[str] = []
    nth: list[str] = []
    for which, code in _byday(s):
        day = WEEKDAY_NAMES[code]
        if which:
            nth.append(f"the {_ORDINALS.get(int(which), which)} {day}")
        else:
            plain.append(day)
    month = "every other month" if interval == 2 else f"every {interval} months"
    of_month = "of the month" if interval == 1 else f"of {month}"
    if plain and interval > 1 and freq in ("WEEKLY", ""):
        unit = "" if interval == 2 else " weeks on"
        days = [f"{every}{unit} {and_list(plain)}"]
    else:
        days = [d + "s" for d in plain]
    if nth:
        days.append(f"{and_list(nth)} {of_month}")
    if not plain and not nth and _month_days(s):
        days.append(f"{and_list(_month_days(s))} {of_month}")
    if not days and freq == "DAILY":
        days = [
            "Every day" if interval == 1 else f"{every.capitalize()} day" + "s" * (interval > 2)
        ]
    return and_list(days)


def _extent(s: dict[str, Any]) -> str:
    """How long a schedule runs: 'six weeks from 5 January 2027', 'until 30 June 2027'."""
    start = s.get("dtstart") or s.get("valid_from")
    end = s.get("until") or s.get("valid_to")
    count = _whole(s.get("count")) if s.get("count") else 0
    if count:
        freq = (s.get("freq") or "WEEKLY").upper()
        unit = {"DAILY": "day", "MONTHLY": "month"}.get(freq, "week")
        if _whole(s.get("interval")) > 1:
            unit = "session"
        words = f"{_number_words(count)} {unit}{'s' if count > 1 else ''}"
        return f"{words} from {long_date(start)}" if start else f"for {words}"
    if start and end:
        return f"from {long_date(start)} until {long_date(end)}"
    if end:
        return f"until {long_date(end)}"
    return f"from {long_date(start)}" if start else ""


def _session_words(s: dict[str, Any]) -> str:
    """One schedule in plain words: 'Tuesdays, 10am to 11am'."""
    day_words = _session_days(s)
    opens, closes = s.get("opens_at"), s.get("closes_at")
    if opens and closes:
        times = f"{clock_words(opens)} to {clock_words(closes)}"
    elif opens:
        times = f"from {clock_words(opens)}"
    else:
        times = ""
    composed = ", ".join(p for p in (day_words, times, _extent(s)) if p)
    words = (s.get("description") or "").strip()
    if words and (not composed or _MENTIONS_WHEN.search(words)):
        return words  # the feed's own words already say when
    if words:
        return f"{composed} ({words[0].lower() + words[1:]})"
    return composed


def when_lines(row: ActivityRow) -> list[str]:
    """Each session of an activity in plain words, for people rather than machines."""
    lines = [_session_words(s) for s in _schedules(row)]
    return [line for line in dict.fromkeys(lines) if line]


def long_date(value: str | None) -> str:
    """'23 November 2026' for a stored ISO date ('' for none)."""
    if not value:
        return ""
    day = date.fromisoformat(value[:10])
    return f"{day.day} {day.strftime('%B %Y')}"
