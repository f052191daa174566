"""Rules for the identifiers and values a link worker types: one place, reused everywhere.

The intake form, the CSV importer, the directory importer and the CLI all call these, so a
value accepted in one place is accepted in every other. Each function raises
:class:`ValidationError` with a message a person can act on; callers add the field name.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from linkworker.errors import CaseloadError

__all__ = [
    "FIRST_YEAR",
    "LAST_YEAR",
    "ValidationError",
    "age_on",
    "check_date_of_birth",
    "check_plain_text",
    "check_year",
    "escape_controls_in_json",
    "format_date",
    "format_nhs_number",
    "is_valid_nhs_number",
    "normalise_email",
    "normalise_nhs_number",
    "normalise_phone",
    "normalise_postcode",
    "normalise_time",
    "normalise_url",
    "outward_code",
    "parse_date",
]


class ValidationError(ValueError):
    """A value a person typed or a file held is not acceptable; the message says why."""


# --- plain text -------------------------------------------------------------------------

# C0 controls, DEL and C1 controls: what a terminal may obey (ESC starts every escape code).
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_IN_NOTES = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # CR allowed
_LINE_BREAKS = re.compile(r"[\t\n\r]")


def check_plain_text(value: str, *, multiline: bool = False) -> str:
    """The text as given, or ValidationError naming the first control character in it.

    Tab and newline are allowed only in ``multiline`` text (notes); nothing else below a
    space, no DEL and no C1 control is ever stored, so none can reach a terminal later.
    """
    if not multiline and (found := _LINE_BREAKS.search(value)):
        raise ValidationError(
            f"must be one line (a {_control_name(found.group(0))} at character {found.start() + 1})"
        )
    found = (_CONTROL_IN_NOTES if multiline else _CONTROL_CHARACTER).search(value)
    if found:
        raise ValidationError(
            f"contains a control character ({_control_name(found.group(0))} at character "
            f"{found.start() + 1}); type it again without it"
        )
    return value


_C1_OR_DEL = re.compile("[\x7f-\x9f]")


def escape_controls_in_json(text: str) -> str:
    """JSON text with DEL and C1 controls written as \\u escapes (json.dumps does C0 itself).

    Exports and ``--json`` output keep non-ASCII letters readable (ensure_ascii=False), so
    without this a stored C1 control would reach a terminal that shows the file raw.
    """
    return _C1_OR_DEL.sub(lambda found: f"\\u{ord(found.group(0)):04x}", text)


def _control_name(character: str) -> str:
    names = {"\t": "tab", "\n": "line break", "\r": "carriage return", "\x1b": "ESC"}
    return names.get(character, f"U+{ord(character):04X}")


# --- NHS number -------------------------------------------------------------------------

_NHS_SEPARATORS = re.compile(r"[\s-]")


def nhs_check_digit(first_nine: str) -> int | None:
    """The check digit for nine digits, or None when the number can have no valid check digit."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - (total % 11)
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(value: str) -> str:
    """Return the 10 digits of a valid NHS number; spaces and dashes (3-3-4) are accepted."""
    digits = _NHS_SEPARATORS.sub("", value.strip())
    if not digits:
        raise ValidationError("is empty")
    if not digits.isascii() or not digits.isdigit():
        raise ValidationError(f"'{value.strip()}' must contain only digits (10 of them)")
    if len(digits) != 10:
        raise ValidationError(f"must be 10 digits, got {len(digits)}")
    check = nhs_check_digit(digits[:9])
    if check is None:
        raise ValidationError("is not a valid NHS number (no check digit is possible)")
    if check != int(digits[9]):
        raise ValidationError("is not a valid NHS number (check digit does not match)")
    return digits


def is_valid_nhs_number(value: str) -> bool:
    """True when ``value`` is a valid NHS number (mod 11 check)."""
    try:
        normalise_nhs_number(value)
    except ValidationError:
        return False
    return True


def format_nhs_number(digits: str | None) -> str:
    """Show an NHS number the way the NHS prints it: 3-3-4 with spaces."""
    if not digits:
        return ""
    d = _NHS_SEPARATORS.sub("", digits)
    if len(d) != 10:
        return digits
    return f"{d[:3]} {d[3:6]} {d[6:]}"


# --- Postcode ---------------------------------------------------------------------------

_POSTCODE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)\s*([0-9][A-Z]{2})$")


def normalise_postcode(value: str) -> str:
    """Upper case with one space between outward and inward code ("tr148sh" -> "TR14 8SH")."""
    compact = re.sub(r"\s+", "", value.strip().upper())
    if not compact:
        raise ValidationError("is empty")
    match = _POSTCODE.match(compact)
    if not match:
        raise ValidationError(f"'{value.strip()}' is not a UK postcode (like TR14 8SH)")
    return f"{match.group(1)} {match.group(2)}"


def outward_code(postcode: str | None) -> str | None:
    """The outward code (area and district, "TR14") of a postcode, or None."""
    if not postcode:
        return None
    try:
        return normalise_postcode(postcode).split(" ", 1)[0]
    except ValidationError:
        return None


# --- Dates ------------------------------------------------------------------------------

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y")


def parse_date(value: str | date) -> date:
    """Read a date written the UK way (23/11/2026, 23 Nov 2026) or as ISO (2026-11-23)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = re.sub(r"\s+", " ", value.strip())
    if not text:
        raise ValidationError("is empty")
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if len(text) > 10 and text[4] == "-":
        # ISO date-times from feeds and exports: keep the date part.
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            pass
    raise ValidationError(f"'{value.strip()}' is not a date (use 23/11/2026 or 2026-11-23)")


#: The years a date on the record may fall in: a caseload's dates lie well inside them, and
#: the follow-up arithmetic (a date plus weeks) must never step outside Python's calendar.
FIRST_YEAR = 1900
LAST_YEAR = 2199


def check_year(value: date) -> date:
    """The date, or ValidationError when its year is outside FIRST_YEAR..LAST_YEAR."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValidationError(
            f"{value.isoformat()} is out of range (give a date between {FIRST_YEAR} and "
            f"{LAST_YEAR})"
        )
    return value


def format_date(value: date | str | None, style: str = "short") -> str:
    """Show a date as UK users read it: '23 Nov 2026' (short) or '23/11/2026' (numeric)."""
    if value is None or value == "":
        return ""
    d = value if isinstance(value, date) else parse_date(value)
    if style == "numeric":
        return d.strftime("%d/%m/%Y")
    return f"{d.day} {d.strftime('%b %Y')}"


def age_on(date_of_birth: date, on: date) -> int:
    """Age in whole years on a given day."""
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def check_date_of_birth(value: str | date, today: date) -> date:
    """A date of birth: not in the future, and an age of 120 or less."""
    dob = parse_date(value)
    if dob > today:
        raise ValidationError(f"{format_date(dob)} is in the future")
    if age_on(dob, today) > 120:
        raise ValidationError(f"{format_date(dob)} would make the person older than 120")
    return dob


#: Dates that can be true but seldom are: the form asks "are you sure?" before saving them.
OLDEST_LIKELY_AGE = 110
OLDEST_LIKELY_REFERRAL_DAYS = 365


def doubtful_dates(
    today: date, *, received_on: date | None = None, date_of_birth: date | None = None
) -> dict[str, str]:
    """{field: why it looks wrong} for a referral over a year old or an age over 110.

    Neither is refused (a late-filed referral, a centenarian); the worker is asked to make
    sure, and the CSV import reports the row.
    """
    found: dict[str, str] = {}
    if received_on is not None and (today - received_on).days > OLDEST_LIKELY_REFERRAL_DAYS:
        found["received_on"] = (
            f"the referral was received on {format_date(received_on)}, over a year ago"
        )
    if date_of_birth is not None and age_on(date_of_birth, today) > OLDEST_LIKELY_AGE:
        found["date_of_birth"] = (
            f"a date of birth of {format_date(date_of_birth)} makes them "
            f"{age_on(date_of_birth, today)}, over {OLDEST_LIKELY_AGE}"
        )
    return found


_TIME = re.compile(r"^([01]?\d|2[0-3])[:.]?([0-5]\d)(?::[0-5]\d)?$")


def normalise_time(value: str) -> str:
    """A time of day as HH:MM (accepts 9:30, 0930, 09.30, 09:30:00)."""
    text = value.strip().lower()
    suffix = None
    if text.endswith(("am", "pm")):
        suffix, text = text[-2:], text[:-2].strip()
    if suffix and text.isdigit() and len(text) <= 2:
        text += ":00"
    match = _TIME.match(text)
    if not match:
        raise ValidationError(f"'{value.strip()}' is not a time (use 24-hour HH:MM, like 14:30)")
    hour, minute = int(match.group(1)), int(match.group(2))
    if suffix:
        if hour < 1 or hour > 12:
            raise ValidationError(f"'{value.strip()}' is not a time")
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    return f"{hour:02d}:{minute:02d}"


# --- Phone, email, URL ------------------------------------------------------------------


def normalise_phone(value: str) -> str:
    """A UK phone number, stored as digits starting 0 and shown with the usual spacing.

    Accepts +44, 0044 and (0) forms, spaces, dashes, dots and brackets.
    """
    text = value.strip()
    if not text:
        raise ValidationError("is empty")
    compact = re.sub(r"[\s\-.()]", "", text.replace("(0)", ""))
    if compact.startswith("+44"):
        compact = "0" + compact[3:]
    elif compact.startswith("0044"):
        compact = "0" + compact[4:]
    if not compact.isascii() or not compact.isdigit():
        raise ValidationError(f"'{text}' is not a UK phone number (digits, spaces and + only)")
    if not compact.startswith("0") or compact.startswith("00"):
        raise ValidationError(f"'{text}' is not a UK phone number (it should start 0 or +44)")
    if len(compact) not in (10, 11):
        raise ValidationError(f"'{text}' is not a UK phone number (10 or 11 digits from the 0)")
    return _space_phone(compact)


def _space_phone(d: str) -> str:
    # The spacing the UK numbering plan uses: 020 7946 0000, 0121 496 0000, 01632 960123.
    if len(d) == 11 and d.startswith("02"):
        return f"{d[:3]} {d[3:7]} {d[7:]}"
    if len(d) == 11 and (d.startswith("011") or (d.startswith("01") and d[3] == "1")):
        return f"{d[:4]} {d[4:7]} {d[7:]}"
    return f"{d[:5]} {d[5:]}"


_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")


def normalise_email(value: str) -> str:
    """An email address, trimmed, with the domain in lower case."""
    text = value.strip()
    if not text:
        raise ValidationError("is empty")
    if not _EMAIL.match(text) or ".." in text:
        raise ValidationError(f"'{text}' is not an email address (like name@example.org)")
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


def normalise_url(value: str) -> str:
    """A web address; 'www.example.org' gains https://."""
    text = value.strip()
    if not text:
        raise ValidationError("is empty")
    if not re.match(r"^[a-z]+://", text, re.IGNORECASE):
        text = "https://" + text
    if not _URL.match(text) or "." not in text.split("://", 1)[1].split("/", 1)[0]:
        raise ValidationError(f"'{value.strip()}' is not a web address (like https://example.org)")
    return text


# --- Moments (a date with an optional time) ----------------------------------------------


def normalise_moment(value: str | date) -> str:
    """A date, or a date and time, as stored: '2026-11-23' or '2026-11-23T14:30:00'.

    Accepts what a link worker types: '23/11/2026 14:30', '23 Nov 2026 2pm', '2026-11-23T14:30'
    or a date alone. The time, when given, is read by :func:`normalise_time`.
    """
    if isinstance(value, datetime):
        return value.replace(microsecond=0).isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    text = re.sub(r"\s+", " ", value.strip())
    if not text:
        raise ValidationError("is empty")
    if len(text) > 10 and text[4] == "-" and text[10] in "T ":
        head, tail = text[:10], text[11:]
    else:
        # The time, if any, follows the last space ('23 Nov 2026 14:30'); a date alone has none.
        head, _, tail = text.rpartition(" ")
        if not head or not re.search(r"\d[:.]\d|\d\s*[ap]m$", tail, re.IGNORECASE):
            head, tail = text, ""
    day = parse_date(head)
    if not tail:
        return day.isoformat()
    try:
        hhmm = normalise_time(tail)
    except ValidationError:
        raise ValidationError(
            f"'{value.strip()}' is not a date and time (use 23/11/2026 14:30)"
        ) from None
    return f"{day.isoformat()}T{hhmm}:00"


# --- Days of the week -------------------------------------------------------------------

#: RFC 5545 day codes (as Open Referral schedules use them), Monday first.
WEEKDAY_CODES: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
WEEKDAY_NAMES: dict[str, str] = {
    "MO": "Monday",
    "TU": "Tuesday",
    "WE": "Wednesday",
    "TH": "Thursday",
    "FR": "Friday",
    "SA": "Saturday",
    "SU": "Sunday",
}


def normalise_weekday(value: str) -> str:
    """One day of the week as its code: 'Tue', 'tuesday', 'tues', 'TU' -> 'TU'."""
    text = value.strip().lower().rstrip(".")
    if text.endswith("s") and text[:-1] in {n.lower() for n in WEEKDAY_NAMES.values()}:
        text = text[:-1]  # "Tuesdays"
    if len(text) >= 2:
        for code, name in WEEKDAY_NAMES.items():
            if text == code.lower() or name.lower().startswith(text):
                return code
    raise ValidationError(f"'{value.strip()}' is not a day of the week (use Mon, Tue, ... Sun)")


def normalise_weekdays(value: str | list[str] | tuple[str, ...]) -> list[str]:
    """Days of the week as codes in week order: 'Tue, Thu' or 'tuesday and friday' -> [...]."""
    if isinstance(value, str):
        parts = re.split(r"[\s,;/&+]+|\band\b", value.strip(), flags=re.IGNORECASE)
    else:
        parts = [str(p) for p in value]
    codes = {normalise_weekday(p) for p in parts if p and p.strip()}
    return [c for c in WEEKDAY_CODES if c in codes]


def form_text(
    value: str | None,
    name: str,
    most: int,
    *,
    multiline: bool = False,
    required: bool = False,
    error: type[CaseloadError] = CaseloadError,
) -> str | None:
    """Typed text trimmed and checked: None when blank (refused if ``required``), at most
    ``most`` characters, no control character; ``error`` (a CaseloadError) names ``name``."""
    value = (value or "").strip()
    if not value:
        if required:
            raise error(f"{name}: say what it is", field=name)
        return None
    if len(value) > most:
        raise error(f"{name}: at most {most} characters", field=name)
    try:
        return check_plain_text(value, multiline=multiline)
    except ValidationError as exc:
        raise error(f"{name}: {exc}", field=name) from exc
