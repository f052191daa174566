"""Open Referral UK (HSDS v3) import and export: pure mapping and validation.

An Open Referral UK feed describes *services*; linkworker stores each one as an
*activity*, a flat :class:`ActivityRecord` whose :meth:`ActivityRecord.to_row` gives
exactly the columns of the ``activities`` table.

Import reads a JSON service, a list page, an array of services, a folder of those, or
an HSDS tabular data package (CSV), and maps what is usable. Real feeds are messy, so a
bad record never stops an import: it is skipped (no name, not an object, duplicate id)
or imported with the bad field dropped, and each problem is reported as a
:class:`RecordProblem`. Only input that is not a feed at all raises :class:`FeedError`.

Export builds one HSDS v3 list page from activity rows. ``parse_services`` of an exported
page gives back records equal to the originals, field for field.

Text is kept literally: markup such as ``[bold]`` or terminal escape sequences are data
here, and the display code escapes them.

This module is pure: standard library and pydantic only, no database or UI.
"""

from __future__ import annotations

import csv
import json
import math
import re
import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Literal, cast

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic import ValidationError as PydanticValidationError

from linkworker.validation import ValidationError, normalise_postcode

__all__ = [
    "COLUMNS",
    "STATUSES",
    "ActivityRecord",
    "FeedError",
    "ParsedFeed",
    "RecordProblem",
    "export_page",
    "load_feed",
    "parse_services",
]

# --- Vocabulary -------------------------------------------------------------------------

STATUSES: tuple[str, ...] = ("active", "inactive", "defunct", "temporarily closed")
Status = Literal["active", "inactive", "defunct", "temporarily closed"]
Scalar = bool | int | float | str

WEEKDAYS: tuple[str, ...] = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = {
    "MO": "Mon",
    "TU": "Tue",
    "WE": "Wed",
    "TH": "Thu",
    "FR": "Fri",
    "SA": "Sat",
    "SU": "Sun",
}
SCHEDULE_KEYS: tuple[str, ...] = (
    "freq",
    "byday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "description",
)
TAXONOMY = "linkworker-activities"

# The columns of the activities table that this module owns, in table order.
COLUMNS: tuple[str, ...] = (
    "source_id",
    "name",
    "organisation",
    "description",
    "status",
    "categories",
    "category_codes",
    "venue",
    "address",
    "town",
    "postcode",
    "latitude",
    "longitude",
    "schedules",
    "days",
    "schedule_text",
    "cost",
    "is_free",
    "eligibility",
    "min_age",
    "max_age",
    "languages",
    "accessibility",
    "phone",
    "email",
    "url",
    "contact_name",
    "assured_date",
    "alert",
    "extra",
)
_JSON_COLUMNS = frozenset(
    {"categories", "category_codes", "schedules", "days", "languages", "extra"}
)
# Private columns a row may carry; exported only when asked (include_notes).
_NOTE_COLUMNS: tuple[str, ...] = ("notes", "favourite", "verified_on")

# Top-level service fields mapped to a column (so not copied into ``extra``), plus the
# nested structures export writes and the tabular link columns we rebuild.
_MAPPED_KEYS = frozenset(
    {
        "id",
        "name",
        "description",
        "status",
        "url",
        "email",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "fees_description",
        "assured_date",
        "alert",
        "organization",
        "organization_id",
        "program_id",
        "phones",
        "schedules",
        "service_at_locations",
        "cost_options",
        "languages",
        "contacts",
        "attributes",
        "x_linkworker",
    }
)

# A fixed namespace so derived ids are the same on every machine and every run.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://linkworker.example/oruk")


def _uid(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "\x1f".join(str(p) for p in parts)))


# --- Errors and results -----------------------------------------------------------------


class FeedError(Exception):
    """The input is not an Open Referral feed at all; the message is one line naming the file."""


@dataclass
class RecordProblem:
    """One problem with one record: skipped, or imported with a field dropped (a warning)."""

    index: int  # 1-based position in the feed (across all files of a folder)
    source_id: str | None
    name: str | None
    field: str
    reason: str
    skipped: bool

    def __str__(self) -> str:
        who = self.name or self.source_id or "(no name)"
        what = "skipped" if self.skipped else "warning"
        return f"record {self.index} ({who}): {what}: {self.field}: {self.reason}"


@dataclass
class ParsedFeed:
    """The activities read from a feed, and the problems met on the way."""

    activities: list[ActivityRecord]
    problems: list[RecordProblem]
    source: str

    @property
    def skipped(self) -> list[RecordProblem]:
        """Problems that kept a record out of the import."""
        return [p for p in self.problems if p.skipped]

    @property
    def warnings(self) -> list[RecordProblem]:
        """Problems that dropped a field of an imported record."""
        return [p for p in self.problems if not p.skipped]


# --- Small value helpers (shared by the model and the parser) -------------------------

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


# --- The activity record ----------------------------------------------------------------

_OPTIONAL_TEXT = (
    "organisation",
    "description",
    "venue",
    "address",
    "town",
    "cost",
    "eligibility",
    "accessibility",
    "phone",
    "email",
    "url",
    "contact_name",
    "alert",
)


class ActivityRecord(BaseModel):
    """One activity, in the shape of the ``activities`` table.

    The model keeps itself canonical, which is what makes export -> import exact:
    text is stripped (empty -> None), ``days`` and ``schedule_text`` are always derived
    from ``schedules``, ``category_codes`` runs parallel to ``categories``, latitude and
    longitude come as a pair, and a free (or paid) activity with no cost text gets
    "Free" (or "Charge applies").
    """

    model_config = ConfigDict(extra="forbid")

    source_id: str
    name: str
    organisation: str | None = None
    description: str | None = None
    status: Status = "active"
    categories: list[str] = Field(default_factory=list)
    category_codes: list[str] = Field(default_factory=list)
    venue: str | None = None
    address: str | None = None
    town: str | None = None
    postcode: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    schedules: list[dict[str, str | None]] = Field(default_factory=list)
    days: list[str] = Field(default_factory=list)
    schedule_text: str = ""
    cost: str | None = None
    is_free: bool | None = None
    eligibility: str | None = None
    min_age: int | None = Field(default=None, ge=0)
    max_age: int | None = Field(default=None, ge=0)
    languages: list[str] = Field(default_factory=list)
    accessibility: str | None = None
    phone: str | None = None
    email: str | None = None
    url: str | None = None
    contact_name: str | None = None
    assured_date: str | None = None
    alert: str | None = None
    extra: dict[str, Scalar] = Field(default_factory=dict)

    @field_validator("source_id", "name", mode="before")
    @classmethod
    def _required_text(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                raise ValueError("must not be empty")
        return value

    @field_validator(*_OPTIONAL_TEXT, mode="before")
    @classmethod
    def _optional_text(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator("phone", mode="after")
    @classmethod
    def _phone(cls, value: str | None) -> str | None:
        return _clean_phone(value) if value else None

    @field_validator("status", mode="before")
    @classmethod
    def _status(cls, value: object) -> object:
        if value is None or value == "":
            return "active"
        if isinstance(value, str):
            return value.strip().lower().replace("_", " ")
        return value

    @field_validator("postcode", mode="before")
    @classmethod
    def _postcode(cls, value: object) -> object:
        if isinstance(value, str):
            if not value.strip():
                return None
            return normalise_postcode(value)  # ValidationError is a ValueError
        return value

    @field_validator("assured_date", mode="before")
    @classmethod
    def _assured_date(cls, value: object) -> object:
        if isinstance(value, datetime):
            return value.date().isoformat()
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str):
            if not value.strip():
                return None
            iso = _iso_date(value)
            if iso is None:
                raise ValueError(f"'{value.strip()}' is not an ISO date (YYYY-MM-DD)")
            return iso
        return value

    @field_validator("schedule_text", mode="before")
    @classmethod
    def _schedule_text_none(cls, value: object) -> object:
        return "" if value is None else value

    @field_validator("languages", "days", mode="after")
    @classmethod
    def _text_list(cls, value: list[str]) -> list[str]:
        return [v.strip() for v in value if v.strip()]

    @field_validator("schedules", mode="after")
    @classmethod
    def _schedules(cls, value: list[dict[str, str | None]]) -> list[dict[str, str | None]]:
        out: list[dict[str, str | None]] = []
        for raw in value:
            s = _canonical_schedule(raw)
            if any(v is not None for v in s.values()) and s not in out:
                out.append(s)
        return out

    @field_validator("extra", mode="after")
    @classmethod
    def _extra(cls, value: dict[str, Scalar]) -> dict[str, Scalar]:
        out: dict[str, Scalar] = {}
        for key, item in value.items():
            if key in _MAPPED_KEYS:
                continue  # export must never let extra overwrite a mapped field
            if isinstance(item, str):
                item = item.strip()
                if not item:
                    continue
            elif isinstance(item, float) and not math.isfinite(item):
                continue
            out[key] = item
        return out

    @model_validator(mode="after")
    def _canonical(self) -> ActivityRecord:
        # Categories: de-duplicated by label, order kept; a missing code is the label.
        labels: list[str] = []
        codes: list[str] = []
        for i, raw in enumerate(self.categories):
            label = raw.strip()
            if not label or label in labels:
                continue
            code = self.category_codes[i].strip() if i < len(self.category_codes) else ""
            labels.append(label)
            codes.append(code or label)
        self.categories, self.category_codes = labels, codes
        self.languages = list(dict.fromkeys(self.languages))
        # A coordinate on its own places nothing.
        if self.latitude is None or self.longitude is None:
            self.latitude = self.longitude = None
        # Hand-made records may carry days or a schedule text with no schedule: keep them
        # as a schedule so they survive export.
        if not self.schedules and (self.days or self.schedule_text):
            byday = ",".join(d for d in WEEKDAYS if d in {c.upper() for c in self.days})
            synth = {k: None for k in SCHEDULE_KEYS} | {
                "freq": "WEEKLY" if byday else None,
                "byday": byday or None,
                "description": self.schedule_text.strip() or None,
            }
            self.schedules = [synth] if any(synth.values()) else []
        self.days = _days_of(self.schedules)
        self.schedule_text = _schedule_text(self.schedules)
        if self.cost is None and self.is_free is not None:
            self.cost = "Free" if self.is_free else "Charge applies"
        return self

    def to_row(self) -> dict[str, object]:
        """The ``activities`` columns: lists and dicts as JSON text, is_free as 0/1/None."""
        row: dict[str, object] = {}
        for column in COLUMNS:
            value = getattr(self, column)
            if column in _JSON_COLUMNS:
                row[column] = json.dumps(value, ensure_ascii=False, sort_keys=True)
            elif column == "is_free":
                row[column] = None if value is None else int(value)
            else:
                row[column] = value
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, object]) -> ActivityRecord:
        """Read a row of the activities table (JSON text columns decoded; others ignored)."""
        data: dict[str, object] = {}
        for column in COLUMNS:
            if column not in row:
                continue
            value = row[column]
            if column in _JSON_COLUMNS and isinstance(value, str):
                try:
                    value = json.loads(value) if value.strip() else None
                except ValueError as exc:
                    raise ValueError(f"column {column} is not valid JSON: {exc}") from exc
            if column in _JSON_COLUMNS and value is None:
                continue
            if column == "is_free" and value is not None:
                value = bool(value)
            data[column] = value
        return cls.model_validate(data)


def _canonical_schedule(raw: Mapping[str, object]) -> dict[str, str | None]:
    """A schedule with exactly SCHEDULE_KEYS, normalised; ValueError for bad values."""
    out: dict[str, str | None] = {}
    for key in SCHEDULE_KEYS:
        value = raw.get(key)
        if value is None:
            out[key] = None
            continue
        if not isinstance(value, str):
            raise ValueError(f"schedule {key} must be text")
        text = value.strip()
        if not text:
            out[key] = None
        elif key == "freq":
            out[key] = text.upper()
        elif key == "byday":
            norm, bad = _norm_byday(text)
            if bad:
                raise ValueError(f"schedule byday has unknown days: {', '.join(bad)}")
            out[key] = norm
        elif key in ("opens_at", "closes_at"):
            out[key] = _norm_time(text)
            if out[key] is None:
                raise ValueError(f"schedule {key} '{text}' is not a time")
        elif key in ("valid_from", "valid_to"):
            out[key] = _iso_date(text)
            if out[key] is None:
                raise ValueError(f"schedule {key} '{text}' is not an ISO date")
        else:
            out[key] = text
    return out


# --- Import: one service -> one record --------------------------------------------------


@dataclass
class _Ctx:
    """Where we are in the feed, and the warnings gathered for the current record."""

    index: int
    source_id: str | None = None
    name: str | None = None
    warnings: list[tuple[str, str]] = field(default_factory=list)

    def warn(self, fld: str, reason: str) -> None:
        self.warnings.append((fld, reason))


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _shown(value: object) -> str:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return repr(text if len(text) <= 40 else text[:37] + "...")


def _text(value: object, fld: str, ctx: _Ctx) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    ctx.warn(fld, f"expected text, got {_kind(value)}; dropped")
    return None


def _number(value: object, fld: str, ctx: _Ctx) -> float | None:
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        if not value.strip():
            return None
        try:
            number = float(value.strip())
        except ValueError:
            ctx.warn(fld, f"expected a number, got {_shown(value)}; dropped")
            return None
    else:
        ctx.warn(fld, f"expected a number, got {_kind(value)}; dropped")
        return None
    if not math.isfinite(number):
        ctx.warn(fld, f"expected a number, got {_shown(value)}; dropped")
        return None
    return number


def _age(value: object, fld: str, ctx: _Ctx) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    number: float | None = None
    if (isinstance(value, int | float) and not isinstance(value, bool)) or (
        isinstance(value, str) and re.fullmatch(r"\s*\d+(?:\.0+)?\s*", value)
    ):
        number = float(value)
    if number is None or not number.is_integer():
        ctx.warn(fld, f"expected a whole number of years, got {_shown(value)}; dropped")
        return None
    if not 0 <= number <= 150:
        ctx.warn(fld, f"{number:.0f} is not a plausible age; dropped")
        return None
    return int(number)


def _list(value: object, fld: str, ctx: _Ctx) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        ctx.warn(fld, f"expected a list, got {_kind(value)}; dropped")
        return []
    objects = [item for item in value if isinstance(item, dict)]
    if len(objects) != len(value):
        ctx.warn(fld, f"ignored {len(value) - len(objects)} entries that are not objects")
    return objects


def _obj(value: object, fld: str, ctx: _Ctx) -> dict[str, Any] | None:
    if value is None:
        return None
    if isinstance(value, dict):
        return value
    ctx.warn(fld, f"expected an object, got {_kind(value)}; dropped")
    return None


def _organisation(svc: Mapping[str, Any], ctx: _Ctx) -> str | None:
    org = _obj(svc.get("organization"), "organization", ctx)
    return _text(org.get("name"), "organization.name", ctx) if org else None


def _status(value: object, ctx: _Ctx) -> Status:
    if value is None:
        return "active"
    if not isinstance(value, str):
        ctx.warn("status", f"expected text, got {_kind(value)}; imported as active")
        return "active"
    norm = value.strip().lower().replace("_", " ")
    if not norm:
        return "active"
    if norm in STATUSES:
        return cast(Status, norm)
    ctx.warn("status", f"unknown status {_shown(value.strip())}; imported as active")
    return "active"


def _schedule(raw: Mapping[str, Any], fld: str, ctx: _Ctx) -> dict[str, str | None]:
    """Lenient reading of one schedule: bad values are dropped with a warning."""
    out: dict[str, str | None] = {}
    for key in SCHEDULE_KEYS:
        text = _text(raw.get(key), f"{fld}.{key}", ctx)
        if text is None:
            out[key] = None
        elif key == "freq":
            out[key] = text.upper()
        elif key == "byday":
            norm, bad = _norm_byday(text)
            if bad:
                ctx.warn(f"{fld}.byday", f"unknown days {', '.join(map(repr, bad))}; ignored")
            out[key] = norm
        elif key in ("opens_at", "closes_at"):
            out[key] = _norm_time(text)
            if out[key] is None:
                ctx.warn(f"{fld}.{key}", f"{_shown(text)} is not a time; dropped")
        elif key in ("valid_from", "valid_to"):
            out[key] = _iso_date(text)
            if out[key] is None:
                ctx.warn(f"{fld}.{key}", f"{_shown(text)} is not an ISO date; dropped")
        else:
            out[key] = text
    return out


def _schedules(
    svc: Mapping[str, Any],
    sals: list[dict[str, Any]],
    location: Mapping[str, Any] | None,
    ctx: _Ctx,
) -> list[dict[str, str | None]]:
    # The service's own schedules; else those of its first place. HSDS repeats the same
    # schedule at all three levels (see service_full.json), so merging would duplicate it.
    sources: list[tuple[object, str]] = [(svc.get("schedules"), "schedules")]
    if sals:
        sources.append((sals[0].get("schedules"), "service_at_locations.schedules"))
    if location is not None:
        sources.append((location.get("schedules"), "location.schedules"))
    for value, fld in sources:
        found = [_schedule(s, fld, ctx) for s in _list(value, fld, ctx)]
        found = [s for s in found if any(v is not None for v in s.values())]
        if found:
            return found
    return []


def _first_text(items: Iterable[Mapping[str, Any]], key: str, fld: str, ctx: _Ctx) -> str | None:
    for item in items:
        text = _text(item.get(key), fld, ctx)
        if text:
            return text
    return None


def _cost(svc: Mapping[str, Any], ctx: _Ctx) -> tuple[str | None, bool | None]:
    fees = _text(svc.get("fees_description"), "fees_description", ctx)
    summaries: list[str] = []
    amounts: list[float] = []
    for opt in _list(svc.get("cost_options"), "cost_options", ctx):
        amount = _number(opt.get("amount"), "cost_options.amount", ctx)
        if amount is not None and amount < 0:
            ctx.warn("cost_options.amount", f"negative amount {amount:g}; dropped")
            amount = None
        currency = _text(opt.get("currency"), "cost_options.currency", ctx)
        label = _text(opt.get("option"), "cost_options.option", ctx)
        detail = _text(opt.get("amount_description"), "cost_options.amount_description", ctx)
        if amount is not None:
            amounts.append(amount)
        price = None if amount is None else ("Free" if amount == 0 else _money(amount, currency))
        if label and price == "Free" and label.lower() == "free":
            label = None
        if price == "Free" and detail:
            body = f"Free ({detail})"
        else:
            body = " ".join(p for p in (price, detail) if p)
        summary = f"{label}: {body}" if label and body else (label or body)
        if not summary or (fees and _says_already(fees, summary, price)):
            continue
        if summary not in summaries:
            summaries.append(summary)
    cost = _join_sentences([fees, *summaries])
    is_free = all(a == 0 for a in amounts) if amounts else _free_from_text(cost)
    return cost, is_free


def _says_already(fees: str, summary: str, price: str | None) -> bool:
    """True when the fees text already gives what a cost option would add.

    Feeds often repeat their cost options in fees_description; appending them again
    makes the cost line twice as long for nothing. A price the text does not mention
    (a concession rate, say) is still added.
    """
    if summary == "Free" or summary.lower() in fees.lower():
        return True  # a bare "Free" adds nothing to a fees text: is_free carries it
    if price == "Free":
        return bool(_FREE_RE.search(fees))
    if price:
        # "£4" must not match inside "£40" or "£4.50".
        return re.search(re.escape(price) + r"(?!\d|[.,]\d)", fees) is not None
    return False


def _categories(svc: Mapping[str, Any], ctx: _Ctx) -> tuple[list[str], list[str]]:
    labels: list[str] = []
    codes: list[str] = []
    for attr in _list(svc.get("attributes"), "attributes", ctx):
        term = _obj(attr.get("taxonomy_term"), "attributes.taxonomy_term", ctx)
        if term is None:
            continue
        # HSDS v3 calls the label "name"; Open Referral UK v1/v2 feeds call it "term".
        label = _text(term.get("name"), "taxonomy_term.name", ctx) or _text(
            term.get("term"), "taxonomy_term.term", ctx
        )
        code = _text(term.get("code"), "taxonomy_term.code", ctx)
        label = label or code
        if label and label not in labels:
            labels.append(label)
            codes.append(code or label)
    return labels, codes


def _languages(svc: Mapping[str, Any], ctx: _Ctx) -> list[str]:
    value = svc.get("languages")
    if value is None:
        return []
    if not isinstance(value, list):
        ctx.warn("languages", f"expected a list, got {_kind(value)}; dropped")
        return []
    names: list[str] = []
    for item in value:
        name = None
        if isinstance(item, str):  # some feeds list bare names
            name = item.strip() or None
        elif isinstance(item, dict):
            name = _text(item.get("name"), "languages.name", ctx) or _text(
                item.get("code"), "languages.code", ctx
            )
        if name and name not in names:
            names.append(name)
    return names


def _place(
    svc: Mapping[str, Any], ctx: _Ctx
) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any] | None]:
    """Venue fields from the first location; accessibility from every location."""
    sals = _list(svc.get("service_at_locations"), "service_at_locations", ctx)
    locations = [
        loc
        for sal in sals
        if (loc := _obj(sal.get("location"), "service_at_locations.location", ctx))
    ]
    out: dict[str, Any] = {}
    first = locations[0] if locations else None
    if first is not None:
        out["venue"] = _text(first.get("name"), "location.name", ctx)
        addresses = _list(first.get("addresses"), "location.addresses", ctx)
        if addresses:
            addr = addresses[0]
            lines = [_text(addr.get(k), f"address.{k}", ctx) for k in ("address_1", "address_2")]
            out["address"] = ", ".join(line for line in lines if line) or None
            out["town"] = _text(addr.get("city"), "address.city", ctx)
            raw_pc = _text(addr.get("postal_code"), "postal_code", ctx)
            if raw_pc:
                out["postcode"] = _postcode_or_none(raw_pc)
                if out["postcode"] is None:
                    ctx.warn("postal_code", f"{_shown(raw_pc)} is not a UK postcode; dropped")
        out["latitude"], out["longitude"] = _coordinates(first, ctx)
    access: list[str] = []
    for loc in locations:
        key = "accessibility" if "accessibility" in loc else "accessibilities"
        for item in _list(loc.get(key), f"location.{key}", ctx):
            text = _text(item.get("description"), "accessibility.description", ctx) or _text(
                item.get("details"), "accessibility.details", ctx
            )
            if text and text not in access:
                access.append(text)
    out["accessibility"] = "; ".join(access) or None
    return out, sals, first


def _coordinates(location: Mapping[str, Any], ctx: _Ctx) -> tuple[float | None, float | None]:
    # A coordinate on its own, or out of range, places nothing: keep both or neither.
    lat = _number(location.get("latitude"), "latitude", ctx)
    lon = _number(location.get("longitude"), "longitude", ctx)
    if lat is None and lon is None:
        return None, None
    if lat is None or lon is None:
        ctx.warn(
            "latitude" if lat is None else "longitude",
            "missing, so the other coordinate is dropped too",
        )
        return None, None
    if not -90 <= lat <= 90:
        ctx.warn("latitude", f"{lat:g} is out of range (-90 to 90); latitude and longitude dropped")
        return None, None
    if not -180 <= lon <= 180:
        ctx.warn(
            "longitude", f"{lon:g} is out of range (-180 to 180); latitude and longitude dropped"
        )
        return None, None
    return lat, lon


def _join_sentences(parts: Iterable[str | None]) -> str | None:
    # "...prices." + "Under 18s: £35" reads better without a "; " after a full stop.
    out = ""
    for part in parts:
        if not part:
            continue
        if out:
            out += " " if out[-1] in ".!?;" else "; "
        out += part
    return out or None


def _extra(svc: Mapping[str, Any]) -> dict[str, Scalar]:
    # Top-level scalars only: nested objects we do not map are dropped, to keep rows small.
    out: dict[str, Scalar] = {}
    for key, value in svc.items():
        if key in _MAPPED_KEYS or not isinstance(key, str):
            continue
        if isinstance(value, str):
            if value.strip():
                out[key] = value.strip()
        elif isinstance(value, bool | int) or (isinstance(value, float) and math.isfinite(value)):
            out[key] = value
    return out


def _map_service(svc: Mapping[str, Any], ctx: _Ctx) -> dict[str, Any]:
    """All optional fields of one service; bad values are dropped with a warning."""
    place, sals, location = _place(svc, ctx)
    contacts = _list(svc.get("contacts"), "contacts", ctx)
    if not contacts and sals:
        contacts = _list(sals[0].get("contacts"), "service_at_locations.contacts", ctx)
    if not contacts and location is not None:
        contacts = _list(location.get("contacts"), "location.contacts", ctx)
    contact_name = None
    for contact in contacts:
        person = _text(contact.get("name"), "contacts.name", ctx)
        title = _text(contact.get("title"), "contacts.title", ctx)
        if person or title:
            contact_name = f"{person} ({title})" if person and title else (person or title)
            break
    phone_sources = [(svc.get("phones"), "phones")]
    if sals:
        phone_sources.append((sals[0].get("phones"), "service_at_locations.phones"))
    if location is not None:
        phone_sources.append((location.get("phones"), "location.phones"))
    phone_sources += [(c.get("phones"), "contacts.phones") for c in contacts]
    phone = None
    for value, fld in phone_sources:
        raw = _first_text(_list(value, fld, ctx), "number", f"{fld}.number", ctx)
        phone = _clean_phone(raw) if raw else None
        if phone:
            break
    email = _text(svc.get("email"), "email", ctx) or _first_text(
        contacts, "email", "contacts.email", ctx
    )
    assured = _text(svc.get("assured_date"), "assured_date", ctx)
    assured_date = _iso_date(assured) if assured else None
    if assured and assured_date is None:
        ctx.warn("assured_date", f"{_shown(assured)} is not an ISO date; dropped")
    min_age = _age(svc.get("minimum_age"), "minimum_age", ctx)
    max_age = _age(svc.get("maximum_age"), "maximum_age", ctx)
    cost, is_free = _cost(svc, ctx)
    categories, codes = _categories(svc, ctx)
    return {
        "description": _text(svc.get("description"), "description", ctx),
        "status": _status(svc.get("status"), ctx),
        "categories": categories,
        "category_codes": codes,
        **place,
        "schedules": _schedules(svc, sals, location, ctx),
        "cost": cost,
        "is_free": is_free,
        "eligibility": _text(svc.get("eligibility_description"), "eligibility_description", ctx),
        "min_age": min_age,
        "max_age": max_age,
        "languages": _languages(svc, ctx),
        "phone": phone,
        "email": email,
        "url": _text(svc.get("url"), "url", ctx),
        "contact_name": contact_name,
        "assured_date": assured_date,
        "alert": _text(svc.get("alert"), "alert", ctx),
        "extra": _extra(svc),
    }


def _first_error(exc: PydanticValidationError) -> tuple[str, str]:
    err = exc.errors()[0]
    fld = ".".join(str(p) for p in err.get("loc", ())) or "record"
    return fld, str(err.get("msg", "is not valid")).removeprefix("Value error, ")


def parse_services(services: Iterable[object], source: str = "<services>") -> ParsedFeed:
    """Map HSDS service objects to activity records, reporting every problem.

    A non-object, a record without a name, an id of the wrong type or a repeated id is
    skipped; a bad optional field is dropped with a warning; a missing id is derived.
    """
    activities: list[ActivityRecord] = []
    problems: list[RecordProblem] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(services, start=1):
        ctx = _Ctx(index)

        def skip(fld: str, reason: str, ctx: _Ctx = ctx) -> None:
            problems.append(RecordProblem(ctx.index, ctx.source_id, ctx.name, fld, reason, True))

        if not isinstance(item, dict):
            skip("record", f"not a service object (got {_kind(item)})")
            continue
        other = _other_kind(item)
        raw_id = item.get("id")
        if isinstance(raw_id, str):
            ctx.source_id = raw_id.strip() or None
        elif isinstance(raw_id, int) and not isinstance(raw_id, bool):
            ctx.source_id = str(raw_id)
        elif raw_id is not None:
            skip("id", f"expected text, got {_kind(raw_id)}")
            continue
        raw_name = item.get("name")
        if isinstance(raw_name, str) and raw_name.strip():
            ctx.name = raw_name.strip()
        if other:
            skip("record", f"an HSDS {other}, not a service")
            continue
        if raw_name is None:
            skip("name", "missing name")
            continue
        if not isinstance(raw_name, str):
            skip("name", f"expected text, got {_kind(raw_name)}")
            continue
        if ctx.name is None:
            skip("name", "empty name")
            continue
        organisation = _organisation(item, ctx)
        if ctx.source_id is None:
            ctx.source_id = _uid("service", ctx.name, organisation or "")
            ctx.warn("id", f"no id; derived {ctx.source_id} from the name and organisation")
        if ctx.source_id in seen:
            skip("id", f"duplicate id (first seen at record {seen[ctx.source_id]})")
            continue
        try:
            record = ActivityRecord(
                source_id=ctx.source_id,
                name=ctx.name,
                organisation=organisation,
                **_map_service(item, ctx),
            )
        except PydanticValidationError as exc:  # a safety net: the mapping pre-validates
            skip(*_first_error(exc))
            continue
        seen[ctx.source_id] = index
        activities.append(record)
        problems.extend(
            RecordProblem(index, ctx.source_id, ctx.name, fld, reason, False)
            for fld, reason in ctx.warnings
        )
    return ParsedFeed(activities=activities, problems=problems, source=source)


# --- Import: recognising feed shapes ----------------------------------------------------

# Keys only a service has (so an object with one of them is a service, whatever else).
_SERVICE_KEYS = frozenset(
    {
        "status",
        "service_at_locations",
        "organization",
        "organization_id",
        "program_id",
        "eligibility_description",
        "fees_description",
        "minimum_age",
        "maximum_age",
        "assured_date",
        "cost_options",
        "alert",
        "program",
        "interpretation_services",
        "application_process",
        "wait_time",
        "accreditations",
        "licenses",
        "required_documents",
        "service_areas",
        "attributes",
    }
)
_ORGANIZATION_KEYS = frozenset(
    {
        "services",
        "website",
        "tax_status",
        "tax_id",
        "year_incorporated",
        "legal_status",
        "logo",
        "parent_organization_id",
        "organization_identifiers",
        "programs",
    }
)
_LOCATION_KEYS = frozenset(
    {"location_type", "addresses", "transportation", "accessibility", "external_identifier"}
)
_TERM_KEYS = frozenset({"taxonomy_detail", "term_uri", "taxonomy_id", "parent_id", "code"})


def _other_kind(obj: Mapping[str, Any]) -> str | None:
    """The HSDS object type when ``obj`` is clearly not a service, else None."""
    keys = set(obj)
    if keys & _SERVICE_KEYS:
        return None
    if isinstance(obj.get("service"), dict):
        return "service_at_location"
    if keys & _ORGANIZATION_KEYS:
        return "organization"
    if keys & _LOCATION_KEYS:
        return "location"
    if keys & _TERM_KEYS:
        return "taxonomy term"
    if "version" in keys:
        return "taxonomy"
    return None


_NOT_A_FEED = (
    "not an Open Referral feed (expected a service, a list page with 'contents', "
    "or an array of services)"
)


def _org_services(org: Mapping[str, Any]) -> list[object]:
    """The services of an organization object, each told which organization it belongs to."""
    ref = {k: org[k] for k in ("id", "name") if k in org}
    out: list[object] = []
    for svc in org.get("services") or []:
        if isinstance(svc, dict) and "organization" not in svc and ref:
            svc = {**svc, "organization": ref}
        out.append(svc)
    return out


def _expand(entries: list[object]) -> list[object]:
    """Services from the entries of a page or array; other HSDS objects pass through as-is
    (parse_services reports them), service_at_locations become services."""
    out: list[object] = []
    by_service: dict[str, dict[str, Any]] = {}
    for entry in entries:
        if not isinstance(entry, dict):
            out.append(entry)
            continue
        kind = _other_kind(entry)
        if kind == "service_at_location":
            sal = {k: v for k, v in entry.items() if k != "service"}
            svc = dict(entry["service"])
            sid = svc.get("id")
            if isinstance(sid, str) and sid in by_service:
                # The same service at another place: one activity, more locations.
                by_service[sid].setdefault("service_at_locations", []).append(sal)
                continue
            if (
                not isinstance(svc.get("service_at_locations"), list)
                or not svc["service_at_locations"]
            ):
                svc["service_at_locations"] = [sal]
            if isinstance(sid, str):
                by_service[sid] = svc
            out.append(svc)
        elif kind == "organization" and isinstance(entry.get("services"), list):
            out.extend(_org_services(entry))
        else:
            out.append(entry)
    return out


def _services_from_json(data: object, label: str) -> list[object]:
    """The service objects in one decoded JSON document; FeedError when it holds none."""
    if isinstance(data, list):
        entries: list[object] = data
    elif isinstance(data, dict) and "contents" in data:
        if not isinstance(data["contents"], list):
            raise FeedError(f"{label}: 'contents' is {_kind(data['contents'])}, not a list")
        entries = data["contents"]
    elif isinstance(data, dict):
        kind = _other_kind(data)
        if kind == "organization":
            if not isinstance(data.get("services"), list):
                raise FeedError(
                    f"{label}: an HSDS organization without services, not a services feed"
                )
            return _org_services(data)
        if kind == "service_at_location":
            return _expand([data])
        if kind is not None:
            raise FeedError(f"{label}: an HSDS {kind}, not a services feed")
        if "name" not in data:
            raise FeedError(f"{label}: {_NOT_A_FEED}")
        return [data]
    else:
        raise FeedError(f"{label}: {_NOT_A_FEED}")
    services = _expand(entries)
    dicts = [e for e in services if isinstance(e, dict)]
    kinds = {_other_kind(e) for e in dicts}
    if dicts and None not in kinds:
        names = ", ".join(sorted(k for k in kinds if k))
        raise FeedError(f"{label}: a list of HSDS {names} objects, not services")
    return services


def _read_json(path: Path) -> object:
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise FeedError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    except UnicodeDecodeError as exc:
        raise FeedError(f"{path.name}: not UTF-8 text, so not a JSON feed") from exc
    if not text.strip():
        raise FeedError(f"{path.name}: the file is empty")
    try:
        return json.loads(text)
    except ValueError as exc:
        raise FeedError(f"{path.name}: not valid JSON ({exc})") from exc


# --- Import: the HSDS tabular data package (CSV) ----------------------------------------

_TABLES = (
    "services",
    "organizations",
    "schedules",
    "service_at_location",
    "locations",
    "addresses",
    "phones",
    "cost_options",
    "languages",
    "contacts",
    "attributes",
    "taxonomy_terms",
    "accessibility",
)


def _table_paths(folder: Path, package: Path) -> dict[str, Path]:
    paths = {name: folder / f"{name}.csv" for name in _TABLES}
    try:
        meta = json.loads(package.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, ValueError):
        # The HSDS examples ship datapackage.json as the bare text of a symlink target:
        # the CSVs beside it, by their standard names, are the package all the same.
        return paths
    resources = meta.get("resources") if isinstance(meta, dict) else None
    for res in resources if isinstance(resources, list) else []:
        if not isinstance(res, dict) or not isinstance(res.get("path"), str):
            continue
        candidate = folder / res["path"]
        for name in (res.get("name"), candidate.stem):
            if name in paths and candidate.is_file():
                paths[name] = candidate
    return paths


def _read_table(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            return [
                {
                    k: v
                    for k, v in row.items()
                    if isinstance(k, str) and isinstance(v, str) and v != ""
                }
                for row in csv.DictReader(fh)
            ]
    except OSError as exc:
        raise FeedError(f"{path.name}: cannot be read ({exc.strerror or exc})") from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise FeedError(f"{path.name}: not a readable CSV table ({exc})") from exc


def _group(rows: list[dict[str, str]], key: str) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in rows:
        if key in row:
            out[row[key]].append(row)
    return out


def _services_from_tables(folder: Path, package: Path) -> list[object]:
    """Join the CSV tables by their ids into service objects in the JSON shape."""
    paths = _table_paths(folder, package)
    if not paths["services"].is_file():
        raise FeedError(
            f"{package.name}: the data package has no services.csv in {folder.name or folder}"
        )
    t = {name: _read_table(path) for name, path in paths.items()}
    orgs = {r["id"]: r for r in t["organizations"] if "id" in r}
    terms = {r["id"]: r for r in t["taxonomy_terms"] if "id" in r}
    locations = {r["id"]: r for r in t["locations"] if "id" in r}
    addresses = _group(t["addresses"], "location_id")
    access = _group(t["accessibility"], "location_id")
    sched_by_service = _group(t["schedules"], "service_id")
    sched_by_sal = _group(t["schedules"], "service_at_location_id")
    sched_by_location = _group(t["schedules"], "location_id")
    sals = _group(t["service_at_location"], "service_id")
    phones = _group(t["phones"], "service_id")
    contacts = _group(t["contacts"], "service_id")
    costs = _group(t["cost_options"], "service_id")
    languages = _group(t["languages"], "service_id")
    attributes = _group(t["attributes"], "link_id")

    services: list[object] = []
    for row in t["services"]:
        svc: dict[str, Any] = dict(row)
        sid = row.get("id", "")
        org = orgs.get(row.get("organization_id", ""))
        if org is not None:
            svc["organization"] = dict(org)
        places = []
        for sal in sals.get(sid, []) if sid else []:
            place: dict[str, Any] = dict(sal)
            place["schedules"] = sched_by_sal.get(sal.get("id", ""), [])
            loc_id = sal.get("location_id", "")
            if loc_id in locations:
                place["location"] = {
                    **locations[loc_id],
                    "addresses": addresses.get(loc_id, []),
                    "accessibility": access.get(loc_id, []),
                    "schedules": sched_by_location.get(loc_id, []),
                }
            places.append(place)
        if sid:
            svc |= {
                "phones": phones.get(sid, []),
                "schedules": sched_by_service.get(sid, []),
                "service_at_locations": places,
                "contacts": contacts.get(sid, []),
                "cost_options": costs.get(sid, []),
                "languages": languages.get(sid, []),
                "attributes": [
                    {**a, "taxonomy_term": terms[a["taxonomy_term_id"]]}
                    for a in attributes.get(sid, [])
                    if a.get("taxonomy_term_id") in terms
                ],
            }
        services.append(svc)
    return services


# --- Import: files and folders ----------------------------------------------------------


def load_feed(path: Path) -> ParsedFeed:
    """Read a feed from a JSON file, a folder of JSON pages, or an HSDS tabular data package.

    Raises FeedError when the input is not a feed at all; problems with single records
    are reported in the result instead.
    """
    path = Path(path)
    label = path.name or str(path)
    if path.is_dir():
        package = path / "datapackage.json"
        if package.is_file():
            services = _services_from_tables(path, package)
        else:
            files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() == ".json")
            if not files:
                empty = not any(path.iterdir())
                raise FeedError(
                    f"{label}: {'the folder is empty' if empty else 'no .json files'}"
                    " (expected JSON feed pages or a datapackage.json)"
                )
            services = []
            for file in files:
                services.extend(_services_from_json(_read_json(file), file.name))
    elif path.is_file():
        if path.name.lower() == "datapackage.json" or path.name.lower() == "services.csv":
            services = _services_from_tables(path.parent, path.parent / "datapackage.json")
        else:
            services = _services_from_json(_read_json(path), label)
    else:
        raise FeedError(f"{label}: no such file or folder")
    return parse_services(services, str(path))


# --- Export -----------------------------------------------------------------------------


def _export_service(
    row: Mapping[str, object] | ActivityRecord, include_notes: bool
) -> dict[str, Any]:
    rec = row if isinstance(row, ActivityRecord) else ActivityRecord.from_row(row)
    extras: Mapping[str, object] = {} if isinstance(row, ActivityRecord) else row
    sid = rec.source_id
    svc: dict[str, Any] = {"id": sid, "name": rec.name}
    if rec.description:
        svc["description"] = rec.description
    svc["status"] = "inactive" if extras.get("retired") else rec.status
    scalars = {
        "url": rec.url,
        "email": rec.email,
        "eligibility_description": rec.eligibility,
        "minimum_age": rec.min_age,
        "maximum_age": rec.max_age,
        "fees_description": rec.cost,
        "assured_date": rec.assured_date,
        "alert": rec.alert,
    }
    svc |= {k: v for k, v in scalars.items() if v is not None}
    if rec.organisation:
        svc["organization"] = {
            "id": _uid("organization", rec.organisation),
            "name": rec.organisation,
        }
    if rec.phone:
        svc["phones"] = [{"id": _uid(sid, "phone", 0), "number": rec.phone}]
    if rec.schedules:
        svc["schedules"] = []
        for n, s in enumerate(rec.schedules):
            out: dict[str, Any] = {"id": _uid(sid, "schedule", n)}
            for key in SCHEDULE_KEYS:
                value = s.get(key)
                if value is not None:
                    out[key] = f"{value}:00" if key in ("opens_at", "closes_at") else value
            svc["schedules"].append(out)
    address = {"address_1": rec.address, "city": rec.town, "postal_code": rec.postcode}
    location: dict[str, Any] = {"id": _uid(sid, "location", 0), "location_type": "physical"}
    if rec.venue:
        location["name"] = rec.venue
    if rec.latitude is not None and rec.longitude is not None:
        location["latitude"], location["longitude"] = rec.latitude, rec.longitude
    if any(address.values()):
        location["addresses"] = [
            {
                "id": _uid(sid, "address", 0),
                **{k: v for k, v in address.items() if v is not None},
                "country": "GB",
                "address_type": "physical",
            }
        ]
    if rec.accessibility:
        location["accessibility"] = [
            {"id": _uid(sid, "accessibility", 0), "description": rec.accessibility}
        ]
    if len(location) > 2:
        svc["service_at_locations"] = [
            {"id": _uid(sid, "service_at_location", 0), "location": location}
        ]
    if rec.is_free:
        svc["cost_options"] = [
            {"id": _uid(sid, "cost_option", 0), "option": "Free", "amount": 0, "currency": "GBP"}
        ]
    if rec.languages:
        svc["languages"] = [
            {"id": _uid(sid, "language", n), "name": name} for n, name in enumerate(rec.languages)
        ]
    if rec.contact_name:
        svc["contacts"] = [{"id": _uid(sid, "contact", 0), "name": rec.contact_name}]
    if rec.categories:
        svc["attributes"] = []
        for label, code in zip(rec.categories, rec.category_codes, strict=True):
            term_id = _uid(TAXONOMY, code)
            svc["attributes"].append(
                {
                    "id": _uid(sid, "attribute", code),
                    "link_id": sid,
                    "link_type": "service",
                    "link_entity": "service",
                    "taxonomy_term_id": term_id,
                    "taxonomy_term": {
                        "id": term_id,
                        "code": code,
                        "name": label,
                        "term": label,
                        "description": label,
                        "taxonomy": TAXONOMY,
                    },
                }
            )
    for key, scalar in rec.extra.items():
        svc.setdefault(key, scalar)
    if include_notes:
        notes: dict[str, object] = {}
        for key in _NOTE_COLUMNS:
            if key in extras:
                note = extras[key]
                notes[key] = bool(note) if key == "favourite" and note is not None else note
        svc["x_linkworker"] = notes
    return svc


def export_page(
    activities: Iterable[Mapping[str, object] | ActivityRecord], include_notes: bool = False
) -> dict[str, Any]:
    """One HSDS v3 list page of services from activity rows (or records).

    Rows are as the activities table holds them (JSON text columns) or already decoded.
    A retired activity is exported as "inactive". The private notes, favourite and
    verified_on go out (under "x_linkworker") only when include_notes is true.
    """
    contents = [_export_service(row, include_notes) for row in activities]
    return {
        "total_items": len(contents),
        "total_pages": 1,
        "page_number": 1,
        "size": len(contents),
        "first_page": True,
        "last_page": True,
        "empty": not contents,
        "contents": contents,
    }
