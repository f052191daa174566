"""Small value helpers shared by the record and the reader: times, weekdays (RFC 5545
BYDAY), ISO dates, postcodes, phone numbers, schedules in words, and costs."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date
from html.parser import HTMLParser

from linkworker.formats.oruk.vocabulary import (
    _DAY_NAMES,
    WEEKDAYS,
)
from linkworker.validation import ValidationError, normalise_postcode

_TIME_RE = re.compile(
    r"^(\d{1,2}):?(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE
)

_BYDAY_RE = re.compile(r"^([+-]?\d{1,2})?(MO|TU|WE|TH|FR|SA|SU)$")

_ISO_DATE_RE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:$|[T ])")


def _norm_time(value: str) -> str | None:
    """'10:00:00', '10:00', '1000', '10:00:00Z' -> '10:00'; None when not a time."""
    match = _TIME_RE.match(value.strip())
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if minute > 59 or hour > 24 or (hour == 24 and minute != 0):
        return None
    return f"{hour:02d}:{minute:02d}"


def _norm_byday(value: str) -> tuple[str | None, list[str]]:
    """Normalise an RFC 5545 BYDAY list; returns (normalised or None, invalid tokens)."""
    good: list[str] = []
    bad: list[str] = []
    for raw in value.split(","):
        token = raw.strip().upper().replace(" ", "")
        if not token:
            continue
        match = _BYDAY_RE.match(token)
        if match and (match.group(1) is None or 0 < abs(int(match.group(1))) <= 5):
            if token not in good:
                good.append(token)
        else:
            bad.append(raw.strip())
    return (",".join(good) or None), bad


def _iso_date(value: str) -> str | None:
    """The 'YYYY-MM-DD' of an ISO date or date-time, or None when it is not one."""
    match = _ISO_DATE_RE.match(value.strip())
    if not match:
        return None
    try:
        return date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return None


# What a schedule value must be, for the messages about one that is not.
_SCHEDULE_VALUE_KIND = {
    "opens_at": "a time",
    "closes_at": "a time",
    "valid_from": "an ISO date",
    "valid_to": "an ISO date",
    "until": "an ISO date",
    "dtstart": "an ISO date",
    "interval": "a whole number from 1",
    "count": "a whole number from 1",
    "bymonthday": "days of the month (1 to 31, or -1 for the last)",
}

_WHOLE_RE = re.compile(r"^\+?(\d{1,4})(?:\.0+)?$")


def _whole(text: str) -> str | None:
    """'2', '2.0' -> '2' (1 to 9999); None when not a whole number from 1."""
    match = _WHOLE_RE.match(text.strip())
    if not match or int(match.group(1)) < 1:
        return None
    return str(int(match.group(1)))


def _norm_monthdays(value: str) -> tuple[str | None, list[str]]:
    """An RFC 5545 BYMONTHDAY list ('1,15', '-1'); returns (normalised or None, bad)."""
    good: list[str] = []
    bad: list[str] = []
    for raw in value.split(","):
        token = raw.strip()
        if not token:
            continue
        if re.fullmatch(r"[+-]?\d{1,2}", token) and 1 <= abs(int(token)) <= 31:
            if str(int(token)) not in good:
                good.append(str(int(token)))
        else:
            bad.append(token)
    return (",".join(good) or None), bad


def _schedule_value(key: str, text: str) -> tuple[str | None, list[str]]:
    """One schedule field (stripped, not empty) normalised: (value, what was wrong).

    A bad time or date gives (None, [text]); unknown BYDAY tokens are listed and the
    good ones kept. The record refuses what is wrong; a feed's reader warns and goes on.
    """
    if key == "freq":
        return text.upper(), []
    if key == "byday":
        return _norm_byday(text)
    if key == "bymonthday":
        return _norm_monthdays(text)
    if key in ("opens_at", "closes_at"):
        value = _norm_time(text)
    elif key in ("valid_from", "valid_to", "until", "dtstart"):
        value = _iso_date(text)
    elif key in ("interval", "count"):
        value = _whole(text)
    else:
        return text, []
    return value, [] if value else [text]


def _postcode_or_none(value: str) -> str | None:
    try:
        return normalise_postcode(value)
    except ValidationError:
        return None


def _clean_phone(value: str) -> str | None:
    # Feeds (the HSDS examples among them) sometimes wrap numbers in literal quotes.
    return value.strip().strip("\"'“”‘’").strip() or None


def _day_codes(byday: str | None) -> list[str]:
    if not byday:
        return []
    codes = []
    for token in byday.split(","):
        match = _BYDAY_RE.match(token)
        if match:
            codes.append(match.group(2))
    return codes


def _ordinal(n: int) -> str:
    if n == -1:
        return "last"
    if n < 0:
        return f"{_ordinal(-n)} last"
    suffix = {1: "st", 2: "nd", 3: "rd"}.get(n if n < 20 else n % 10, "th")
    return f"{n}{suffix}"


def _schedule_summary(s: Mapping[str, str | None]) -> str | None:
    """One schedule as text: 'Tue, Thu 10:00-12:00' or '1st Thu of the month 14:00-16:00'."""
    opens, closes = s.get("opens_at"), s.get("closes_at")
    if opens and closes:
        times = f"{opens}-{closes}"
    elif opens:
        times = f"from {opens}"
    elif closes:
        times = f"until {closes}"
    else:
        times = ""
    plain: list[str] = []
    nth: list[str] = []
    for token in (s.get("byday") or "").split(","):
        match = _BYDAY_RE.match(token)
        if not match:
            continue
        day = _DAY_NAMES[match.group(2)]
        if match.group(1):
            nth.append(f"{_ordinal(int(match.group(1)))} {day} of the month")
        else:
            plain.append(day)
    days = ", ".join(p for p in (", ".join(plain), ", ".join(nth)) if p)
    if not times and s.get("description"):
        # No structured times: the feed's own words say more than a list of days.
        return s["description"]
    if not days and not times:
        freq = s.get("freq")
        return freq.capitalize() if freq else None
    if not days and s.get("freq"):
        days = (s.get("freq") or "").capitalize()
    return " ".join(p for p in (days, times) if p)


def _days_of(schedules: Iterable[Mapping[str, str | None]]) -> list[str]:
    present = {code for s in schedules for code in _day_codes(s.get("byday"))}
    return [d for d in WEEKDAYS if d in present]


def _schedule_text(schedules: Iterable[Mapping[str, str | None]]) -> str:
    parts: list[str] = []
    for s in schedules:
        text = _schedule_summary(s)
        if text and text not in parts:
            parts.append(text)
    return "; ".join(parts)


# Free/paid from words, used when cost options carry no amounts. Heuristic by nature.
_PRICE_RE = re.compile(
    r"(?:[£$€]\s?|\b(?:GBP|EUR|USD)\s?)(\d[\d,]*(?:\.\d+)?)"
    r"|\b(\d+(?:\.\d+)?)(?:p\b(?!\.)|\s?(?:pence|pounds?)\b)",
    re.IGNORECASE,
)

_FREE_RE = re.compile(r"\bfree\b|\bno[ -](?:charges?|costs?|fees?)\b", re.IGNORECASE)

_PAID_RE = re.compile(r"\b(?:charges? appl(?:y|ies)|fees? appl(?:y|ies)|paid)\b", re.IGNORECASE)


def _free_from_text(text: str | None) -> bool | None:
    if not text:
        return None
    amounts: list[float] = []
    for match in _PRICE_RE.finditer(text):
        digits = (match.group(1) or match.group(2) or "").replace(",", "")
        try:
            amounts.append(float(digits))
        except ValueError:
            continue
    if any(a > 0 for a in amounts):
        return False
    if _FREE_RE.search(text) or amounts:
        return True
    if _PAID_RE.search(text):
        return False
    return None


_SYMBOLS = {"GBP": "£", "EUR": "€", "USD": "$"}


def _money(amount: float, currency: str | None) -> str:
    number = f"{amount:.0f}" if float(amount).is_integer() else f"{amount:.2f}"
    code = (currency or "GBP").upper()  # Open Referral UK: pounds unless told otherwise
    symbol = _SYMBOLS.get(code)
    return f"{symbol}{number}" if symbol else f"{code} {number}"


_HTML_RE = re.compile(
    r"<(?:[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?|/[a-zA-Z][a-zA-Z0-9]*\s*)>|&(?:[a-zA-Z]{2,8}|#\d{1,6});"
)

# Tags that end a line or a paragraph of text.
_LINE_TAGS = frozenset({"br", "li", "tr"})
_BLOCK_TAGS = frozenset({"p", "div", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "table"})


class _PlainText(HTMLParser):
    """The text of an HTML fragment: paragraphs and line breaks kept, list items marked."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self.skipping += 1
        elif tag in _LINE_TAGS:
            self.parts.append("\n- " if tag == "li" else "\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(re.sub(r"\s+", " ", data))


def _plain_text(text: str) -> str:
    """Text with any HTML markup a feed put in it turned into plain text (else unchanged)."""
    if not _HTML_RE.search(text):
        return text
    parser = _PlainText()
    parser.feed(text)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
